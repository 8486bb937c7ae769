"""Publishing approved drafts, the publication log, the school's channels and the class group app.

:func:`publish` keeps exactly what leaves the school: the latest version's
revised text and copies of the anonymised files (never the originals), with
channel, time and publisher, and the pupils recognisable in it
(:class:`PublishedPerson`, tagged and not blurred) for the takedown register.
Whether a draft may be published is decided by
:func:`plaatsbaar.web.review.workflow.publish_refusal` only; refusals raise
:class:`~plaatsbaar.web.review.workflow.StepRefused` with a Dutch message.
A message for a class group app is mailed to the guardians who are not in
the app (:mod:`plaatsbaar.web.publication.fallback`). Every change is in the
audit log, with ids only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from plaatsbaar.core.vocabulary import Verdict
from plaatsbaar.web.audit.services import actor_label, record
from plaatsbaar.web.consent.models import ConsentEvent
from plaatsbaar.web.drafts.models import Draft, DraftStatus, DraftVersion
from plaatsbaar.web.organisation.models import Group, Guardian, Pupil, School
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.publication import fallback, storage
from plaatsbaar.web.publication.connectors import ConnectorError, get_connector
from plaatsbaar.web.publication.models import (
    GroupAppMember,
    Publication,
    PublicationStatus,
    PublishedMedia,
    PublishedPerson,
    SchoolChannel,
)
from plaatsbaar.web.publication.recognisable import shown_pupils, tagged_faces
from plaatsbaar.web.publication.signals import publication_left
from plaatsbaar.web.review import workflow
from plaatsbaar.web.review.workflow import StepRefused

CHANNEL_FIELDS = ("label", "always_four_eyes", "freshness_days", "active")


class AppUseRefused(ValueError):
    """A guardian who has no current child in the class; the message is Dutch."""


# --- publishing ---


def publish(draft: Draft, user, *, connector: str = "manual", ip: str | None = None) -> Publication:
    """Publish the latest version of ``draft`` through ``connector``; returns the new :class:`Publication`.

    Raises :class:`StepRefused` (Dutch) when :func:`workflow.publish_refusal`
    refuses, when a tagged pupil's consent changed after the version was
    checked (save it again first), when a file has no anonymised version, or
    when the connector's platform refuses; raises
    :class:`~plaatsbaar.web.publication.connectors.UnknownConnector` for an
    unknown code. A class group app message is mailed to the guardians not
    in the app after the transaction commits.
    """
    _refuse(draft, user)
    return _publish_latest(draft, user, connector=connector, ip=ip)


def _refuse(draft: Draft, user) -> None:
    refusal = workflow.publish_refusal(draft, user)
    if refusal:
        raise StepRefused(refusal)


def _publish_latest(draft: Draft, user, *, connector: str, ip: str | None,
                    replaces: Publication | None = None) -> Publication:
    """Publish the draft's latest version with the draft row locked (a double click publishes once)."""
    platform = get_connector(connector)
    created: list[int] = []
    try:
        with transaction.atomic():
            draft = Draft.objects.select_for_update().select_related("school").get(pk=draft.pk)
            if replaces is None:
                _refuse(draft, user)
            version = workflow.latest(draft)
            _refuse_changed_consent(draft, version)
            publication = Publication.objects.create(
                school=draft.school, draft=draft, version=version, channel=draft.channel, text=_text(version),
                published_by=user, publisher_label=actor_label(user), connector=platform.code, replaces=replaces)
            created.append(publication.pk)
            people = _copy_media(publication, draft, version)
            if replaces is not None:
                _mark(replaces, PublicationStatus.REPLACED)
            workflow.record_published(draft, user, version, ip=ip)
            _audit_published(publication, user, people, ip)
            publication.external_ref = platform.publish(publication) or ""
            publication.save(update_fields=["external_ref"])
            if replaces is None and fallback.applies(publication):
                transaction.on_commit(lambda: fallback.send_fallback(publication, actor=user, ip=ip))
    except (storage.NotPublishable, ConnectorError) as exc:
        _discard(created)
        raise StepRefused(str(exc)) from None
    except BaseException:
        _discard(created)
        raise
    return publication


def _text(version: DraftVersion) -> str:
    """The published text: the version's revised text (the check's fixes applied)."""
    return version.revised_text if version.revised_text.strip() else version.text


def _discard(created: list[int]) -> None:
    for publication_id in created:
        storage.remove_folder(publication_id)


def _tagged_pupil_ids(draft: Draft, version: DraftVersion) -> set[int]:
    return {pid for media in draft.media.all() for pid in tagged_faces(version.tags or {}, media).values()}


def _refuse_changed_consent(draft: Draft, version: DraftVersion) -> None:
    """The files were blurred with the consent at check time: refuse when a tagged pupil's consent changed since."""
    pupils = _tagged_pupil_ids(draft, version)
    if pupils and ConsentEvent.objects.filter(pupil_id__in=pupils, at__gt=version.created_at).exists():
        raise StepRefused("De toestemming van een getagde leerling is gewijzigd sinds deze versie is getoetst. "
                          "Sla het concept opnieuw op, zodat de foto's opnieuw worden vervaagd.")


def _copy_media(publication: Publication, draft: Draft, version: DraftVersion) -> int:
    """Copy each anonymised file and record the pupils shown in it; returns how many pupils were recorded."""
    media_list = list(draft.media.order_by("number"))
    pupil_ids = _tagged_pupil_ids(draft, version) | {int(p) for ids in (version.shown or {}).values() for p in ids}
    pupils = {p.pk: p for p in Pupil.objects.filter(school=draft.school, pk__in=pupil_ids)}
    people = 0
    for media in media_list:
        relative = storage.copy_publishable(media, publication.pk)
        published = PublishedMedia.objects.create(publication=publication, source=media, number=media.number,
                                                  kind=media.kind, file=relative)
        original = storage.absolute(media.original) if media.original else None
        for pupil_id in shown_pupils(media, version, storage.absolute(relative), original):
            if pupil_id in pupils:
                PublishedPerson.objects.create(publication=publication, media=published, pupil=pupils[pupil_id])
                people += 1
    return people


def _audit_published(publication: Publication, user, people: int, ip: str | None) -> None:
    changes = {"draft": publication.draft_id, "version": publication.version.number, "channel": publication.channel,
               "connector": publication.connector, "media": publication.media.count(), "people": people,
               "replaces": publication.replaces_id}
    record("publication.published", publication, actor=user, school_id=publication.school_id,
           board_id=publication.school.board_id, changes=changes, ip=ip)


def _mark(publication: Publication, status: PublicationStatus) -> None:
    publication.status = status
    publication.removed_at = publication.removed_at or timezone.now()
    publication.save(update_fields=["status", "removed_at"])


def may_manage(publication: Publication, user) -> bool:
    """Mark removed, re-publish, re-send the group-app mail (:meth:`Policy.can_manage_publication`)."""
    return Policy(user).can_manage_publication(publication)


def mark_removed(publication: Publication, user, *, ip: str | None = None) -> None:
    """Record that ``publication`` is no longer online (after the connector removed it).

    Raises :class:`StepRefused` for someone who may not (:func:`may_manage`),
    for a publication that is not online, or when the platform refuses.
    """
    if not may_manage(publication, user):
        raise StepRefused("Alleen wie het bericht plaatste, communicatie of de leidinggevende meldt het verwijderd.")
    if publication.status != PublicationStatus.LIVE:
        raise StepRefused(f"Deze publicatie staat al niet meer online ({publication.get_status_display()}).")
    try:
        get_connector(publication.connector).remove(publication)
    except ConnectorError as exc:
        raise StepRefused(str(exc)) from None
    with transaction.atomic():
        _mark(publication, PublicationStatus.REMOVED)
        record("publication.removed", publication, actor=user, school_id=publication.school_id,
               board_id=publication.school.board_id, changes={"status": PublicationStatus.REMOVED.value}, ip=ip)
    publication_left.send(Publication, publication=publication, user=user, ip=ip)


def republish(publication: Publication, user, *, ip: str | None = None) -> Publication:
    """Re-check ``publication``'s draft with today's consent and publish it again, replacing it.

    The same text is saved as a new version through
    :func:`plaatsbaar.web.drafts.services.save_version` in the name of the
    draft's author (that service accepts only the author; who re-published
    is in the audit entries ``draft.reopened`` and ``publication.published``),
    so a pupil whose consent was withdrawn is now blurred; it is published
    with ``replaces`` set and the old publication becomes ``replaced``. No
    second group-app mail. Raises :class:`StepRefused` for someone who may
    not (:func:`may_manage`), a publication already replaced, a refusal of
    the drafts service (e.g. the author's account is gone) or a new version
    that the protocol blocks; nothing is changed then.
    """
    from plaatsbaar.web.drafts import services as drafts  # the drafts app is built alongside this one

    if not may_manage(publication, user):
        raise StepRefused("Alleen wie het bericht plaatste, communicatie of de leidinggevende publiceert het opnieuw.")
    if publication.status == PublicationStatus.REPLACED:
        raise StepRefused("Deze publicatie is al vervangen door een nieuwe versie.")
    draft, old = publication.draft, publication.version
    with transaction.atomic():
        _reopen(draft, user, ip)
        try:
            version = drafts.save_version(draft, draft.author or user, text=old.text, function=old.function,
                                          posted_at=old.posted_at, ip=ip)
        except drafts.DraftRefused as exc:
            raise StepRefused(str(exc)) from None
        if version.verdict == Verdict.BLOCK:
            raise StepRefused("Na de nieuwe toets verbiedt het protocol dit bericht; "
                              "het kan niet opnieuw geplaatst worden.")
        new = _publish_latest(draft, user, connector=publication.connector, ip=ip, replaces=publication)
    publication.refresh_from_db()
    publication_left.send(Publication, publication=publication, user=user, ip=ip)
    return new


def _reopen(draft: Draft, user, ip: str | None) -> None:
    """A published draft becomes a concept again so that its author's new version can be saved."""
    if draft.status == DraftStatus.PUBLISHED:
        draft.status = DraftStatus.CONCEPT
        draft.save(update_fields=["status", "updated_at"])
        record("draft.reopened", draft, actor=user, school_id=draft.school_id, board_id=draft.school.board_id,
               changes={"reason": "republish"}, ip=ip)


# --- the class group app ---


def set_app_use(group: Group, guardian: Guardian, uses_app: bool, user, *, ip: str | None = None) -> GroupAppMember:
    """Record whether ``guardian`` uses the group app of ``group``; saved and audited only when it changes
    (not recorded counts as not using it: the returned member is then unsaved).

    Raises :class:`AppUseRefused` when the guardian has no current child in the class.
    """
    if not guardian.pupils.filter(group=group, left_on__isnull=True).exists():
        raise AppUseRefused("Deze ouder/verzorger heeft geen kind in deze groep.")
    member = GroupAppMember.objects.filter(group=group, guardian=guardian).first()
    if (member.uses_app if member else False) == uses_app:
        return member or GroupAppMember(group=group, guardian=guardian, uses_app=False)
    member = member or GroupAppMember(group=group, guardian=guardian)
    member.uses_app, member.recorded_by = uses_app, user
    member.save()
    record("group_app.recorded", member, actor=user, school_id=group.school_id, board_id=group.school.board_id,
           changes={"group": group.pk, "guardian": guardian.pk, "uses_app": uses_app}, ip=ip)
    return member


@dataclass(frozen=True)
class AppRow:
    """A guardian of the class on the group-app page: their children in it, an e-mail address or not, app use."""

    guardian: Guardian
    children: list[str]
    has_email: bool
    uses_app: bool


def app_rows(group: Group) -> list[AppRow]:
    """Every guardian of the class's current pupils, with whether they use the app (not recorded: no)."""
    using = set(GroupAppMember.objects.filter(group=group, uses_app=True).values_list("guardian_id", flat=True))
    rows = []
    for guardian in fallback.class_guardians(group).prefetch_related("pupils"):
        children = [p.first_name for p in guardian.pupils.all() if p.group_id == group.pk and p.left_on is None]
        rows.append(AppRow(guardian, sorted(children), bool(guardian.email), guardian.pk in using))
    return rows


def resend_fallback(publication: Publication, user, *, ip: str | None = None) -> fallback.FallbackSummary:
    """Mail the group-app message to recipients who did not get it yet (e.g. after a mail server failure)."""
    if not may_manage(publication, user):
        raise StepRefused("Alleen wie het bericht plaatste, communicatie of de leidinggevende verstuurt de e-mail.")
    return fallback.send_fallback(publication, actor=user, ip=ip)


# --- the school's channels ---


def save_channel(school: School, user, *, channel: str | None = None, instance: SchoolChannel | None = None,
                 ip: str | None = None, **fields: Any) -> SchoolChannel:
    """Create (``channel`` given) or update (``instance`` given) a channel of ``school``; audited.

    ``fields``: any of :data:`CHANNEL_FIELDS`. Raises ``ValueError`` when the
    school already has ``channel`` or ``instance`` belongs to another school.
    """
    if instance is None:
        if SchoolChannel.objects.filter(school=school, channel=channel).exists():
            raise ValueError("Dit kanaal staat al in de lijst van de school.")
        instance, action = SchoolChannel(school=school, channel=channel), "channel.created"
    else:
        if instance.school_id != school.pk:
            raise ValueError("Dit kanaal hoort bij een andere school.")
        action = "channel.updated"
    for name in CHANNEL_FIELDS:
        if name in fields:
            setattr(instance, name, fields[name])
    instance.save()
    settings = {name: getattr(instance, name) for name in CHANNEL_FIELDS if name != "label"}
    changes = {"channel": instance.channel, **settings}
    record(action, instance, actor=user, school_id=school.pk, board_id=school.board_id, changes=changes, ip=ip)
    return instance
