"""Drafts: creating them, their media and face tags, and the check on every save.

A save builds the engine's :class:`~plaatsbaar.core.post.Post` from the draft
(channel, the school account, author role and function, text, planned time,
media with the tagged pupils and the box of their face) and runs the
:class:`~plaatsbaar.core.checker.Checker` with the school's active protocol, the
live consent registry of the tagged pupils and the school's roster. The
outcome is stored as a new, append-only :class:`DraftVersion`, and every file
gets a publishable version: faces that are untagged, tagged "onbekend" or
tagged with a pupil without consent for the channel are blurred, metadata is
stripped. Nothing is ever matched by face recognition: staff tag the faces.

A recording has no faces: the author says who is heard (:func:`tag_voices`),
the pupils and/or "verder alleen medewerkers die ermee instemmen, of geen
herkenbare stemmen". The latter is passed to the check as one staff member
(:data:`STAFF_VOICES`) whose consent is the author's statement: plaatsbaar
keeps no consent register of staff. Saying nothing leaves the voices unknown,
and the protocols block a recording with unknown voices.

Every change writes the audit log (ids and codes only). Refusals raise
:class:`DraftRefused` with a Dutch message for the user.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from plaatsbaar.core.checker import Checker, CheckResult
from plaatsbaar.core.detectors.faces import FaceBox
from plaatsbaar.core.findings import Evidence, Finding
from plaatsbaar.core.fixes import revise_text
from plaatsbaar.core.media.analysis import MediaReport, match_face
from plaatsbaar.core.media.io import MediaError
from plaatsbaar.core.post import MediaItem, Post, TaggedPerson
from plaatsbaar.core.protocol.model import Protocol
from plaatsbaar.core.vocabulary import Channel, FixAction, MediaKind, Verdict
from plaatsbaar.core.vocabulary import Role as PostRole
from plaatsbaar.web.audit.services import record
from plaatsbaar.web.checks.services import (
    ADVICE,
    CheckRefused,
    _finding_view,
    author_of,
    school_protocol,
    school_roster,
)
from plaatsbaar.web.consent.services import registry_for
from plaatsbaar.web.drafts import storage
from plaatsbaar.web.drafts.models import Draft, DraftMedia, DraftVersion, FaceTag, VoiceTag
from plaatsbaar.web.organisation.models import Group, Pupil, Role, School
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.publication.models import SchoolChannel
from plaatsbaar.web.review import workflow

#: The longest text a draft takes (characters).
MAX_TEXT = 10_000
#: The most files one draft takes.
MAX_MEDIA = 10
#: Planned times outside these years are refused (a school's calendar with room to spare; year 1 or
#: 9999 cannot even be converted between time zones).
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: Roles that see and tag every pupil of the school (a medewerker only the classes they teach).
WIDE_ROLES = {Role.MANAGER, Role.COMMUNICATION, Role.PRIVACY_OFFICER}
ORIGINAL, PUBLISHABLE, STILL = "original", "publishable", "still"
#: The person id, in the check, of "only staff who agree, or no recognisable voices" on a recording.
STAFF_VOICES = "medewerkers"
#: Evidence of core.media.analysis for a recording with voices without consent: "<file>: geen toestemming van <ids>".
_VOICE_LABEL, _NO_CONSENT_FROM = "stem zonder toestemming", ": geen toestemming van "


class DraftRefused(ValueError):
    """Something the user may not do with a draft now; ``str()`` is the Dutch reason."""


# --- who may do what -------------------------------------------------------------------------


def allowed_channels(school: School) -> list[str]:
    """The channels a draft of ``school`` may be for, in vocabulary order.

    The school's active channels (:class:`SchoolChannel`) plus the class group
    app; all channels while the school has configured none.
    """
    configured = set(SchoolChannel.objects.filter(school=school, active=True).values_list("channel", flat=True))
    return [c.value for c in Channel if not configured or c.value in configured or c is Channel.GROUP_APP]


def allowed_groups(school: School, user) -> QuerySet[Group]:
    """The classes ``user`` may write about: those they teach (medewerker), all classes of the
    school for communicatie, leidinggevende and FG."""
    groups = Group.objects.filter(school=school).order_by("-school_year", "name")
    if Policy(user).roles_at(school) & WIDE_ROLES:
        return groups
    return groups.filter(teachers__user=user, teachers__school=school).distinct()


def taggable_pupils(school: School, user) -> QuerySet[Pupil]:
    """The pupils ``user`` may tag on a draft of ``school``: current pupils only.

    A medewerker: the pupils of the classes they teach; communicatie,
    leidinggevende and FG: every current pupil of the school; anyone else: none.
    """
    current = Pupil.objects.filter(school=school, left_on__isnull=True).select_related("group")
    roles = Policy(user).roles_at(school)
    if roles & WIDE_ROLES:
        chosen = current
    elif Role.STAFF in roles:
        chosen = current.filter(group__in=allowed_groups(school, user))
    else:
        return Pupil.objects.none()
    return chosen.order_by("group__name", "first_name", "last_name", "pk")


def can_view_draft(user, draft: Draft) -> bool:
    """The draft page: its author, and leidinggevende, communicatie and FG of the school."""
    return draft.author_id == getattr(user, "pk", None) or Policy(user).can_view_drafts_of_others(draft.school)


def can_see_original(user, draft: Draft) -> bool:
    """The unblurred originals: the author, and the reviewers and FG of the school (leidinggevende, FG)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return draft.author_id == user.pk or Policy(user).can_see_originals(draft.school)


def _require_editable(draft: Draft, user) -> None:
    if draft.author_id != getattr(user, "pk", None):
        raise DraftRefused("Alleen de auteur wijzigt dit bericht.")
    if not workflow.can_edit(draft, user):
        raise DraftRefused(f"Dit bericht kan nu niet worden gewijzigd (status: {draft.get_status_display()}).")


def _audit(action: str, draft: Draft, user, changes: dict, ip: str | None) -> None:
    record(action, draft, actor=user, school_id=draft.school_id, board_id=draft.school.board_id, changes=changes, ip=ip)


# --- drafts and media --------------------------------------------------------------------------


def create_draft(school: School, user, channel: str, *, group: Group | None = None, ip: str | None = None) -> Draft:
    """A new concept of ``user`` for ``channel`` of ``school`` (``group``: the class it is about).

    Raises :class:`DraftRefused` when the user writes no drafts for the school,
    the school does not use the channel, the class is not one the user may
    write about, or a group-app message has no class.
    """
    if not Policy(user).can_write_drafts(school):
        raise DraftRefused("Je kunt geen berichten maken voor deze school.")
    if channel not in allowed_channels(school):
        raise DraftRefused("Deze school gebruikt dit kanaal niet.")
    if group is not None and not allowed_groups(school, user).filter(pk=group.pk).exists():
        raise DraftRefused("Je kunt alleen een bericht maken over een groep waaraan je lesgeeft.")
    if channel == Channel.GROUP_APP.value and group is None:
        raise DraftRefused("Kies de groep waarvan je de groepsapp gebruikt.")
    draft = Draft.objects.create(school=school, author=user, channel=channel, group=group)
    _audit("draft.created", draft, user, {"channel": channel, "group": group.pk if group else None}, ip)
    return draft


def add_media(draft: Draft, user, upload, *, ip: str | None = None) -> DraftMedia:
    """Attach an uploaded photo, video or recording (a Django ``UploadedFile``) and find its faces.

    The original goes to ``MEDIA_ROOT/drafts/<id>/origineel/``; ``faces`` are
    the faces found (video: on the first frame with faces). Its publishable
    version is written at the next :func:`save_version`. Raises
    :class:`DraftRefused` when the user may not edit the draft, it has
    :data:`MAX_MEDIA` files, or the file is refused (Dutch, naming it).
    """
    _require_editable(draft, user)
    if draft.media.count() >= MAX_MEDIA:
        raise DraftRefused(f"Een bericht heeft hoogstens {MAX_MEDIA} bestanden.")
    number = (draft.media.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        stored = storage.store_upload(draft.pk, number, upload)
    except storage.MediaRejected as exc:
        raise DraftRefused(str(exc)) from None
    media = DraftMedia.objects.create(draft=draft, number=number, kind=stored.kind.value, original=stored.original,
                                      faces=stored.faces, width=stored.width, height=stored.height)
    _audit("draft.media_added", draft, user, {"media": number, "kind": stored.kind.value, "faces": len(stored.faces)}, ip)
    return media


def tag_face(media: DraftMedia, face: int, pupil: Pupil | None, user, *, ip: str | None = None) -> FaceTag:
    """Say whose face ``face`` (index into ``media.faces``) is: ``pupil``, or ``None`` for "onbekend".

    Raises :class:`DraftRefused` when the user may not edit the draft, the face
    does not exist, or the pupil is not one the user may tag (another class,
    another school, no longer at the school).
    """
    draft = media.draft
    _require_editable(draft, user)
    if not 0 <= face < len(media.faces):
        raise DraftRefused(f"Bestand {media.number} heeft geen gezicht {face + 1}.")
    if pupil is not None and not taggable_pupils(draft.school, user).filter(pk=pupil.pk).exists():
        if pupil.school_id != draft.school_id:
            raise DraftRefused("Deze leerling hoort niet bij deze school.")
        raise DraftRefused("Je kunt alleen leerlingen taggen uit de groepen waaraan je lesgeeft.")
    tag, _ = FaceTag.objects.update_or_create(media=media, face=face, defaults={"pupil": pupil, "tagged_by": user})
    _audit("draft.face_tagged", draft, user,
           {"media": media.number, "face": face, "pupil": pupil.pk if pupil else None}, ip)
    return tag


@transaction.atomic
def tag_faces(media: DraftMedia, choices: dict[int, int | None], user, *, ip: str | None = None) -> list[FaceTag]:
    """Tag several faces at once (face index → pupil id, ``None``: "onbekend"); all or nothing.

    Only faces whose tag changes are written (and audited). Raises
    :class:`DraftRefused` as :func:`tag_face` does, or for an unknown pupil id.
    """
    current = {t.face: t.pupil_id for t in media.tags.all()}
    pupils = Pupil.objects.in_bulk([pid for pid in choices.values() if pid is not None])
    changed = []
    for face, pupil_id in sorted(choices.items()):
        if pupil_id is not None and pupil_id not in pupils:
            raise DraftRefused("Deze leerling bestaat niet (meer).")
        if face in current and current[face] == pupil_id:
            continue
        changed.append(tag_face(media, face, pupils.get(pupil_id) if pupil_id else None, user, ip=ip))
    return changed


@transaction.atomic
def tag_voices(media: DraftMedia, pupil_ids: list[int], staff_or_none: bool, user, *,
               ip: str | None = None) -> list[VoiceTag]:
    """Say who is heard on a recording: ``pupil_ids`` (replacing the earlier choice) and whether,
    besides them, only staff who agree to it are heard or no recognisable voices (``staff_or_none``).

    All or nothing; writes the audit log when something changed. Raises
    :class:`DraftRefused` when the user may not edit the draft, the file is no
    recording, or a pupil is not one the user may tag (unknown, another class
    or school, left the school).
    """
    draft = media.draft
    _require_editable(draft, user)
    if media.kind != MediaKind.AUDIO.value:
        raise DraftRefused(f"Bestand {media.number} is geen geluidsopname.")
    wanted = sorted(set(pupil_ids))
    allowed = set(taggable_pupils(draft.school, user).filter(pk__in=wanted).values_list("pk", flat=True))
    for pupil_id in wanted:
        if pupil_id not in allowed:
            raise DraftRefused(_untaggable(draft, pupil_id))
    current = sorted(media.voices.values_list("pupil_id", flat=True))
    if current != wanted or media.staff_or_no_voices != staff_or_none:
        media.voices.exclude(pupil_id__in=wanted).delete()
        for pupil_id in set(wanted) - set(current):
            VoiceTag.objects.create(media=media, pupil_id=pupil_id, tagged_by=user)
        DraftMedia.objects.filter(pk=media.pk).update(staff_or_no_voices=staff_or_none)
        media.staff_or_no_voices = staff_or_none
        changes = {"media": media.number, "pupils": wanted, "staff_or_none": staff_or_none}
        _audit("draft.voices_tagged", draft, user, changes, ip)
    return list(media.voices.all())


def _untaggable(draft: Draft, pupil_id: int) -> str:
    """Why a pupil cannot be tagged on ``draft`` (Dutch)."""
    pupil = Pupil.objects.filter(pk=pupil_id).first()
    if pupil is None:
        return "Deze leerling bestaat niet (meer)."
    if pupil.school_id != draft.school_id:
        return "Deze leerling hoort niet bij deze school."
    return "Je kunt alleen leerlingen taggen uit de groepen waaraan je lesgeeft."


def remove_media(media: DraftMedia, user, *, ip: str | None = None) -> DraftVersion | None:
    """Remove a file (with its tags) from the draft and check the draft again: returns the new
    version, or ``None`` when the draft had no version yet.

    Its original, still and publishable files are deleted once the removal is
    committed. Raises :class:`DraftRefused` when the user may not edit the
    draft, it would be left without text and files, or the new check is
    refused (then nothing is removed).
    """
    draft = media.draft
    _require_editable(draft, user)
    latest = draft.latest_version()
    if latest is not None and not latest.text.strip() and not draft.media.exclude(pk=media.pk).exists():
        raise DraftRefused("Dit is het enige bestand van een bericht zonder tekst. Schrijf eerst een tekst; "
                           "dan kan het bestand weg.")
    files = storage.files_of(draft.pk, media.original)
    number, kind = media.number, media.kind
    with transaction.atomic():
        DraftMedia.objects.filter(pk=media.pk).delete()
        _audit("draft.media_removed", draft, user, {"media": number, "kind": kind}, ip)
        version = recheck(draft, user, ip=ip) if latest is not None else None
        transaction.on_commit(lambda: storage.remove_files(files))
    return version


def media_file(media: DraftMedia, which: str) -> Path:
    """The file of ``media``: ``"original"``, ``"publishable"`` or ``"still"`` (a video's tagging frame,
    as private as the original).

    Raises ``FileNotFoundError`` before the first publishable version is
    written (or for audio's still) and ``ValueError`` for another ``which``.
    """
    if which == ORIGINAL:
        return storage.absolute(media.original)
    if which == PUBLISHABLE:
        if not media.publishable:
            raise FileNotFoundError("nog geen publiceerbare versie: sla het bericht eerst op")
        return storage.absolute(media.publishable)
    if which == STILL:
        if media.kind != MediaKind.VIDEO.value:
            raise FileNotFoundError("alleen een film heeft een stilstaand beeld")
        return storage.still_path(storage.absolute(media.original))
    raise ValueError(f"onbekend soort bestand: {which!r}")


# --- the check on every save -------------------------------------------------------------------


def save_version(draft: Draft, user, *, text: str, function: str = "", posted_at: datetime | None = None,
                 ip: str | None = None) -> DraftVersion:
    """Check the draft as it is now and store the outcome as its next version.

    ``posted_at``: when it will be posted (aware, or naive local time). Writes
    every file's publishable version (see module docstring) and calls
    :func:`workflow.after_new_version`. Raises :class:`DraftRefused` when the
    user may not edit the draft, it has neither text nor files, the text is
    longer than :data:`MAX_TEXT`, the planned time is not within
    :data:`FIRST_YEAR`–:data:`LAST_YEAR`, the school has no (valid) protocol or
    a file cannot be read.
    """
    _require_editable(draft, user)
    text, function = text or "", (function or "").strip()[:100]
    media = list(draft.media.prefetch_related("tags__pupil", "voices__pupil").order_by("number"))
    if len(text) > MAX_TEXT:
        raise DraftRefused(f"De tekst is langer dan {MAX_TEXT} tekens.")
    if not text.strip() and not media:
        raise DraftRefused("Schrijf een tekst of voeg een foto, film of geluidsopname toe.")
    protocol = _protocol(draft.school)
    posted_at = _planned(posted_at)
    post = _post(draft, user, text, function, posted_at, media)
    tagged = _tagged_pupils(media)
    result, publishable = _check(draft, protocol, post, media, tagged)
    revised = revise_text(text, result.findings)
    for finding in result.findings:  # every publishable file is blurred already
        if finding.fix is not None and finding.fix.action is FixAction.BLUR_FACES:
            finding.fix.applied = True
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = DraftVersion.objects.create(
            draft=draft, number=number, text=text, function=function, posted_at=posted_at,
            verdict=result.verdict.value, findings=[finding_dict(f, protocol, tagged) for f in result.findings],
            revised_text=revised, tags=_tags(media), shown=_shown(media, result.media, post),
            protocol_label=protocol.title[:200], created_by=user,
        )
        for item, path in zip(media, publishable):
            DraftMedia.objects.filter(pk=item.pk).update(publishable=path)
            item.publishable = path
        workflow.after_new_version(draft)
        draft.save(update_fields=["updated_at"])
        _audit("draft.saved", draft, user, {"version": number, "verdict": result.verdict.value}, ip)
    return version


def recheck(draft: Draft, user, *, ip: str | None = None) -> DraftVersion:
    """Save the latest version's text again (after files or tags changed), so the check is current."""
    latest = draft.latest_version()
    if latest is None:
        return save_version(draft, user, text="", ip=ip)
    return save_version(draft, user, text=latest.text, function=latest.function, posted_at=latest.posted_at, ip=ip)


def apply_fixes(draft: Draft, user, *, ip: str | None = None) -> DraftVersion:
    """One click: a new version whose text is the latest version's revised text (names removed,
    disclaimers added); the media are blurred in the publishable files already.

    Raises :class:`DraftRefused` before the first save, when there is nothing
    to change in the text, or as :func:`save_version` does.
    """
    _require_editable(draft, user)
    latest = draft.latest_version()
    if latest is None:
        raise DraftRefused("Sla het bericht eerst op, dan toetst plaatsbaar het.")
    if latest.revised_text == latest.text:
        raise DraftRefused("Er is niets aan de tekst aan te passen; de foto's en films zijn al vervaagd.")
    version = save_version(draft, user, text=latest.revised_text, function=latest.function,
                           posted_at=latest.posted_at, ip=ip)
    _audit("draft.fixes_applied", draft, user, {"from_version": latest.number, "version": version.number}, ip)
    return version


def shown_pupils(version: DraftVersion) -> dict[int, list[int]]:
    """Media number → ids of the tagged pupils recognisable in that file's publishable version."""
    return {int(number): [int(pid) for pid in ids] for number, ids in (version.shown or {}).items()}


def finding_dict(finding: Finding, protocol: Protocol, pupils: dict[int, Pupil]) -> dict:
    """A finding as stored in :attr:`DraftVersion.findings`: verdict, title, message,
    articles ``[{id, text}]``, evidence ``[str]``, fix, fix_applied (the check page's view)."""
    view = _finding_view(_voices_named(finding, pupils), protocol, pupils)
    return {
        "verdict": view.verdict.value, "title": view.title, "message": view.message,
        "articles": [{"id": a.id, "text": a.text} for a in view.articles],
        "evidence": list(view.evidence), "fix": view.fix, "fix_applied": view.fix_applied,
    }


def _voices_named(finding: Finding, pupils: dict[int, Pupil]) -> Finding:
    """``finding`` with the pupils' names instead of their ids in the evidence of voices without consent."""
    evidence = [_voice_named(e, pupils) if e.label == _VOICE_LABEL else e for e in finding.evidence]
    return replace(finding, evidence=evidence)


def _voice_named(evidence: Evidence, pupils: dict[int, Pupil]) -> Evidence:
    path, found, ids = evidence.text.partition(_NO_CONSENT_FROM)
    if not found:
        return evidence
    names = []
    for person in ids.split(", "):
        pupil = pupils.get(int(person)) if person.isascii() and person.isdigit() else None
        names.append(f"{pupil.first_name} {pupil.last_name}" if pupil else person)
    return replace(evidence, text=f"{path}{_NO_CONSENT_FROM}{', '.join(names)}")


def _protocol(school: School) -> Protocol:
    try:
        return school_protocol(school)
    except CheckRefused as exc:
        raise DraftRefused(str(exc)) from None


def _planned(moment: datetime | None) -> datetime | None:
    """The planned time, aware; raises :class:`DraftRefused` outside :data:`FIRST_YEAR`–:data:`LAST_YEAR`
    or when it cannot be converted to local time."""
    if moment is None:
        return None
    refused = f"Het tijdstip van plaatsen kan niet kloppen; kies een datum tussen {FIRST_YEAR} en {LAST_YEAR}."
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise DraftRefused(refused)
    try:
        aware = _aware(moment)
        timezone.localtime(aware)
    except OverflowError:  # only at the ends of the calendar; kept as a guard
        raise DraftRefused(refused) from None
    return aware


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _post(draft: Draft, user, text: str, function: str, posted_at: datetime | None,
          media: list[DraftMedia]) -> Post:
    """The engine's post for this draft: on the school account, by the user in their role."""
    local = timezone.localtime(posted_at).replace(tzinfo=None) if posted_at else None
    items = [MediaItem(path=Path(m.original).name, kind=m.kind, people=_people(m)) for m in media]
    return Post(activity="post", channel=draft.channel, account="school", author=author_of(user, draft.school, function),
                posted_at=local, unsure=draft.unsure, text=text, media=items)


def _people(media: DraftMedia) -> list[TaggedPerson]:
    """The pupils tagged on ``media``, each with the box of their face (onbekend: no one); for a
    recording the pupils heard and, when the author said so, :data:`STAFF_VOICES`."""
    if media.kind == MediaKind.AUDIO.value:
        heard = [TaggedPerson(id=str(v.pupil_id), role=PostRole.PUPIL) for v in _voices(media)]
        return heard + ([TaggedPerson(id=STAFF_VOICES, role=PostRole.STAFF)] if media.staff_or_no_voices else [])
    return [
        TaggedPerson(id=str(tag.pupil_id), role=PostRole.PUPIL, box=tuple(media.faces[tag.face]))
        for tag in sorted(media.tags.all(), key=lambda t: t.face)
        if tag.pupil_id is not None and tag.face < len(media.faces)
    ]


def _voices(media: DraftMedia) -> list[VoiceTag]:
    """The pupils heard on a recording, by id (the order of :attr:`DraftVersion.tags`)."""
    return sorted(media.voices.all(), key=lambda v: v.pupil_id)


def _tagged_pupils(media: list[DraftMedia]) -> dict[int, Pupil]:
    faces = {tag.pupil_id: tag.pupil for m in media for tag in m.tags.all() if tag.pupil_id is not None}
    return faces | {voice.pupil_id: voice.pupil for m in media for voice in m.voices.all()}


def _check(draft: Draft, protocol: Protocol, post: Post, media: list[DraftMedia],
           tagged: dict[int, Pupil]) -> tuple[CheckResult, list[str]]:
    """Run the checker and write the publishable files; raises :class:`DraftRefused` for unreadable media.

    Pupils who left the school count as not consenting (their faces are blurred).
    """
    current = [p for p in tagged.values() if p.left_on is None]
    consent = registry_for(current)
    consent.record(STAFF_VOICES, "*", MediaKind.AUDIO.value, True)  # the author's statement (see module docstring)
    checker = Checker(protocol, consent=consent, roster=school_roster(draft.school))
    originals = storage.originals_folder(draft.pk)
    try:
        result = checker.check(post, base_dir=originals)
        paths = [storage.write_publishable(draft.pk, m.original, MediaKind(m.kind), report)
                 for m, report in zip(media, result.media)]
    except MediaError as exc:  # its message may hold ffmpeg's output and the server's folders
        raise DraftRefused(_unreadable(str(exc), media)) from None
    return result, paths


def _unreadable(message: str, media: list[DraftMedia]) -> str:
    """A fixed Dutch refusal for a file the check could not read, naming it by number when known."""
    numbers = [m.number for m in media if Path(m.original).name in message]
    which = f"Bestand {numbers[0]}" if numbers else "Een bestand"
    return f"{which} kan niet worden gelezen: het is beschadigd of onvolledig. Verwijder het en voeg het opnieuw toe."


def _tags(media: list[DraftMedia]) -> dict[str, dict[str, int | None]]:
    """Per media number the face tags (face index → pupil id or ``None``), for a recording the pupils
    heard (0, 1, … → pupil id)."""
    tags = {}
    for m in media:
        if m.kind == MediaKind.AUDIO.value:
            entries = {str(i): v.pupil_id for i, v in enumerate(_voices(m))}
        else:
            entries = {str(t.face): t.pupil_id for t in m.tags.all()}
        if entries:
            tags[str(m.number)] = entries
    return tags


def _shown(media: list[DraftMedia], reports: list[MediaReport], post: Post) -> dict[str, list[int]]:
    """Per media number, the tagged pupils whose face stays visible in the publishable file.

    Photos: a consenting pupil whose tagged box matched a detected face (as
    :func:`~plaatsbaar.core.media.analysis.cover_faces` matches them). Video:
    every tagged pupil when nothing is blurred, else no one (the whole film is
    blurred). Recordings: the pupils heard when everyone heard consents.
    """
    shown = {}
    for item, report, post_item in zip(media, reports, post.media):
        refused = set(report.people_without_consent)
        people = post_item.people
        if item.kind == MediaKind.PHOTO.value:
            ids, claimed = [], set()
            for person in people:
                index = match_face(FaceBox.from_xywh(person.box, score=0.0), report.boxes, claimed)
                if index is not None:
                    claimed.add(index)
                    if person.id not in refused:
                        ids.append(int(person.id))
        elif item.kind == MediaKind.VIDEO.value:
            ids = [int(p.id) for p in people] if report.faces_to_blur == 0 else []
        else:
            ids = [int(p.id) for p in people if p.role is PostRole.PUPIL] if not refused else []
        if ids:
            shown[str(item.number)] = list(dict.fromkeys(ids))
    return shown


def taggable_with_consent(draft: Draft, user, kind: str) -> list[tuple[Pupil, bool]]:
    """The pupils ``user`` may tag on ``draft``, each with their consent for the draft's channel and
    ``kind`` (photo, video, audio) from the live registry."""
    pupils = list(taggable_pupils(draft.school, user))
    registry = registry_for(pupils)
    return [(p, registry.allows(str(p.pk), Channel(draft.channel), MediaKind(kind))) for p in pupils]


def advice(verdict: str) -> str:
    """What to do now for a stored verdict (Dutch)."""
    return ADVICE[Verdict(verdict)]
