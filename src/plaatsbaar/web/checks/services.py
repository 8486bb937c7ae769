"""Checking a draft in the web application, as ``plaatsbaar check`` does.

The school's active protocol, the live consent registry of the tagged pupils
and a roster of the school's people (pupils, guardians, staff) go into the
engine's :class:`~plaatsbaar.core.checker.Checker`; its findings come back
as Dutch view objects, with the article texts and a publishable (blurred,
metadata-free) version of each photo. deduce and the face model are the
engine's process-wide instances: no check loads a second copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from plaatsbaar.core.checker import Checker, CheckResult
from plaatsbaar.core.findings import Evidence, Finding
from plaatsbaar.core.fixes import blur_media, revise_text
from plaatsbaar.core.media.analysis import MediaReport
from plaatsbaar.core.media.io import MediaError, load_image, save_image
from plaatsbaar.core.post import Author, InReplyTo, MediaItem, Post, TaggedPerson
from plaatsbaar.core.protocol.loader import ProtocolError
from plaatsbaar.core.protocol.model import Protocol
from plaatsbaar.core.roster import Roster
from plaatsbaar.core.vocabulary import Channel, MediaKind, Role, Verdict
from plaatsbaar.web.checks.storage import PhotoRejected, Workspace, discard, new_workspace, purge_expired, save_photo
from plaatsbaar.web.consent.services import registry_for
from plaatsbaar.web.organisation.models import Group, Guardian, Pupil, School, StaffRole
from plaatsbaar.web.organisation.models import Role as StaffRoleKind
from plaatsbaar.web.organisation.services import load_version

#: What to do now, per overall verdict (as the CLI report says it).
ADVICE = {
    Verdict.ALLOW: "Niets in het protocol staat plaatsing in de weg.",
    Verdict.REVISE: "Plaatsbaar na de aanpassingen hieronder.",
    Verdict.REVIEW: "Overleg eerst met je leidinggevende (bij twijfel: niet plaatsen).",
    Verdict.BLOCK: "Het protocol verbiedt dit; geen aanpassing maakt het plaatsbaar.",
}
_AUTHOR_ROLES = {StaffRoleKind.MANAGER: Role.MANAGER, StaffRoleKind.BOARD: Role.BOARD}
_TAGGED_LABEL = "getagd zonder toestemming"  # evidence label of core.media.analysis


class CheckRefused(ValueError):
    """A draft that cannot be checked (no protocol, a bad photo); the message is Dutch."""


@dataclass
class DraftPhoto:
    """An uploaded photo (a Django ``UploadedFile``), its number on the page (1, 2 …)
    and the ids of the pupils tagged on it."""

    number: int
    upload: object
    pupil_ids: list[int] = field(default_factory=list)


@dataclass
class Draft:
    """What the author wants to publish, as entered on the check page.

    ``channel``/``account``/``activity``: vocabulary values; ``posted_at``: local
    time (naive) or ``None``; ``reply_text``: the message replied to, written by
    ``reply_author`` (a role: other, parent, pupil, staff).
    """

    channel: str
    account: str = "school"
    activity: str = "post"
    text: str = ""
    reply_text: str = ""
    reply_author: str = "other"
    function: str = ""
    posted_at: datetime | None = None
    permission: bool = False
    unsure: bool = False
    photos: list[DraftPhoto] = field(default_factory=list)


@dataclass(frozen=True)
class PupilConsent:
    """A pupil of the class and whether they consented to photos on the chosen channel."""

    pupil: Pupil
    photo_consent: bool

    @property
    def label(self) -> str:
        """"Sem de Vries — toestemming foto's: ja"."""
        answer = "ja" if self.photo_consent else "nee"
        return f"{self.pupil.first_name} {self.pupil.last_name} — toestemming foto's: {answer}"


@dataclass(frozen=True)
class ArticleView:
    """An article cited by a finding: its id and verbatim text."""

    id: str
    text: str


@dataclass(frozen=True)
class FindingView:
    """One finding in Dutch: verdict, title, message, cited articles, evidence, fix."""

    verdict: Verdict
    title: str
    message: str
    articles: list[ArticleView]
    evidence: list[str]
    fix: str | None
    fix_applied: bool


@dataclass(frozen=True)
class PhotoView:
    """One checked photo: our file name (the same for the original and the publishable
    version), the uploader's file name, faces found and to blur, the tagged pupils
    without consent (names), and whether the publishable version is blurred."""

    number: int
    name: str
    uploaded_as: str
    faces: int
    faces_to_blur: int
    without_consent: list[str]
    blurred: bool


@dataclass(frozen=True)
class CheckOutcome:
    """Everything the result page shows."""

    verdict: Verdict
    advice: str
    protocol: Protocol
    findings: list[FindingView]
    revised_text: str
    text_changed: bool
    photos: list[PhotoView]
    token: str | None


def school_protocol(school: School) -> Protocol:
    """The school's active protocol; raises :class:`CheckRefused` when there is none or it is broken."""
    version = school.active_protocol()
    if version is None:
        raise CheckRefused("Deze school heeft nog geen protocol. Vraag de leidinggevende om er een te kiezen.")
    try:
        return load_version(version)
    except ProtocolError as exc:
        raise CheckRefused(f"Het protocol van de school is ongeldig; vraag de leidinggevende het te herstellen ({exc.problems[0]}).") from None


def school_groups(school: School) -> QuerySet[Group]:
    """The school's classes, newest school year first."""
    return school.groups.order_by("-school_year", "name")


def default_group(school: School, user) -> Group | None:
    """The first class the user teaches at ``school``, else the school's first class."""
    taught = Group.objects.filter(school=school, teachers__user=user).order_by("-school_year", "name").first()
    return taught or school_groups(school).first()


def class_consent(group: Group | None, channel: Channel) -> list[PupilConsent]:
    """The current pupils of ``group`` with their photo consent for ``channel`` (live registry)."""
    if group is None:
        return []
    pupils = list(group.pupils.filter(left_on__isnull=True).order_by("first_name", "last_name"))
    registry = registry_for(pupils)
    return [PupilConsent(p, registry.allows(str(p.pk), channel, MediaKind.PHOTO)) for p in pupils]


def school_roster(school: School) -> Roster:
    """The school's people for name detection: current pupils, their guardians, staff with a name."""
    roster = Roster()
    for first, last in Pupil.objects.filter(school=school, left_on__isnull=True).values_list("first_name", "last_name"):
        roster.add(f"{first} {last}", Role.PUPIL)
    guardians = Guardian.objects.filter(pupils__school=school).distinct()
    for first, last in guardians.values_list("first_name", "last_name"):
        roster.add(f"{first} {last}", Role.PARENT)
    staff = get_user_model().objects.filter(staff_roles__school=school).distinct()
    for user in staff:
        roster.add(user.get_full_name(), Role.STAFF)
    return roster


def author_of(user, school: School, function: str) -> Author:
    """The post's author: the user's role at ``school`` and the function given (else their own)."""
    at_school = Q(school=school) | Q(role=StaffRoleKind.BOARD, board_id=school.board_id)
    roles = list(StaffRole.objects.filter(at_school, user=user))
    kinds = {r.role for r in roles}
    role = next((_AUTHOR_ROLES[k] for k in (StaffRoleKind.MANAGER, StaffRoleKind.BOARD) if k in kinds), Role.STAFF)
    own = next((r.function for r in roles if r.function), "")
    return Author(role=role, function=(function or own).strip() or None)


def _tagged_pupils(school: School, draft: Draft) -> dict[int, Pupil]:
    """The tagged pupils, by id; raises :class:`CheckRefused` for a pupil of another school."""
    ids = {pid for photo in draft.photos for pid in photo.pupil_ids}
    pupils = {p.pk: p for p in Pupil.objects.filter(school=school, pk__in=ids)}
    if len(pupils) != len(ids):
        raise CheckRefused("Een aangevinkte leerling hoort niet bij deze school.")
    return pupils


def _post(draft: Draft, author: Author, names: list[str]) -> Post:
    media = [
        MediaItem(path=name, kind=MediaKind.PHOTO, people=[TaggedPerson(id=str(pid), role=Role.PUPIL) for pid in photo.pupil_ids])
        for name, photo in zip(names, draft.photos)
    ]
    reply = None
    if draft.activity == "reply":
        reply = InReplyTo(text=draft.reply_text, author_role=draft.reply_author)
    return Post(
        activity=draft.activity, channel=draft.channel, account=draft.account, author=author,
        posted_at=draft.posted_at, permission=draft.permission, unsure=draft.unsure,
        text=draft.text, in_reply_to=reply, media=media,
    )


def _store_photos(session, draft: Draft) -> tuple[Workspace | None, list[str]]:
    if not draft.photos:
        return None, []
    workspace = new_workspace(session)
    try:
        names = [save_photo(workspace, photo.number, photo.upload) for photo in draft.photos]
    except PhotoRejected as exc:
        discard(session, workspace.token)
        raise CheckRefused(str(exc)) from None
    return workspace, names


def run_check(school: School, user, session, draft: Draft) -> CheckOutcome:
    """Check ``draft`` against the school's protocol, consent registry and roster.

    Stores the photos in a private workspace of ``session`` (a Django session),
    writes their publishable versions (faces without consent blurred when the
    protocol asks, metadata stripped) and returns the outcome. Raises
    :class:`CheckRefused` (Dutch) for a school without protocol, a pupil of
    another school or a photo that cannot be read.
    """
    protocol = school_protocol(school)
    pupils = _tagged_pupils(school, draft)
    purge_expired()
    workspace, names = _store_photos(session, draft)
    post = _post(draft, author_of(user, school, draft.function), names)
    checker = Checker(protocol, consent=registry_for(pupils.values()), roster=school_roster(school))
    base = workspace.originals if workspace else Path(".")
    try:
        result = checker.check(post, base_dir=base)
        revised = revise_text(post.text, result.findings)
        photos = _publishable(workspace, result, draft, pupils) if workspace else []
    except MediaError as exc:
        if workspace:
            discard(session, workspace.token)
        raise CheckRefused(_without_paths(str(exc), base)) from None
    findings = [_finding_view(f, protocol, pupils) for f in result.findings]
    return CheckOutcome(result.verdict, ADVICE[result.verdict], protocol, findings, revised,
                        revised != post.text, photos, workspace.token if workspace else None)


def _publishable(workspace: Workspace, result: CheckResult, draft: Draft, pupils: dict[int, Pupil]) -> list[PhotoView]:
    """Write the publishable version of every photo (blurred when a finding asks); their views."""
    blurred = {path.name for path in blur_media(result.media, result.findings, workspace.originals, workspace.publishable)}
    views = []
    for report, photo in zip(result.media, draft.photos):
        if report.path not in blurred:
            source = workspace.originals / report.path
            save_image(workspace.publishable / report.path, load_image(source), like=source)
        views.append(_photo_view(report, photo, pupils, report.path in blurred))
    return views


def _photo_view(report: MediaReport, photo: DraftPhoto, pupils: dict[int, Pupil], blurred: bool) -> PhotoView:
    names = [_name(pupils, pid) for pid in report.people_without_consent]
    return PhotoView(photo.number, report.path, getattr(photo.upload, "name", ""), report.faces, report.faces_to_blur,
                     names, blurred)


def _name(pupils: dict[int, Pupil], person_id: str) -> str:
    pupil = pupils.get(int(person_id)) if person_id.isdigit() else None
    return f"{pupil.first_name} {pupil.last_name}" if pupil else person_id


def _evidence_text(evidence: Evidence, pupils: dict[int, Pupil]) -> str:
    """"label: “text”", with the pupil's name instead of their id for tagged pupils."""
    text = evidence.text
    if evidence.label == _TAGGED_LABEL:
        person, _, where = text.partition(" in ")
        text = f"{_name(pupils, person)} op {where}" if where else text
    return f"{evidence.label}: “{text}”"


def _finding_view(finding: Finding, protocol: Protocol, pupils: dict[int, Pupil]) -> FindingView:
    articles = [ArticleView(a, protocol.article(a).text) for a in finding.articles]
    evidence = [_evidence_text(e, pupils) for e in finding.evidence]
    fix = finding.fix
    return FindingView(finding.verdict, finding.title, finding.message, articles, evidence,
                       fix.description if fix else None, bool(fix and fix.applied))


def _without_paths(message: str, base: Path) -> str:
    """A media error without the server's folders (only ``foto-1.jpg`` remains)."""
    return message.replace(f"{base}/", "").replace(str(base), "")
