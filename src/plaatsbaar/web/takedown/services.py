"""The takedown register: opening, listing and closing takedowns.

A takedown is opened per (live publication, pupil) when that pupil can be
recognised in the publication (a :class:`PublishedPerson`) and the
publication's channel is no longer covered: consent for its channel and
media kind was withdrawn, or the pupil left the school. The publisher, the
draft's author and the school's communication staff are notified with a text that names the
publication and channel, never the pupil. A takedown stays open until the
item is marked removed or re-published with the pupil blurred (issue 4 §4).
Every opening and closing is written to the audit log (ids only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from plaatsbaar.core.consent import ConsentRegistry
from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.audit.services import record as audit
from plaatsbaar.web.consent.services import registry_for
from plaatsbaar.web.notices.services import notify
from plaatsbaar.web.organisation.models import Pupil, Role, School, StaffRole
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.publication import services as publication_services
from plaatsbaar.web.publication import storage as publication_storage
from plaatsbaar.web.publication.models import Publication, PublicationStatus, PublishedPerson
from plaatsbaar.web.takedown.models import Reason, Takedown, TakedownStatus

#: A takedown open longer than this many days counts as overdue on the overview.
OVERDUE_DAYS = 7

#: How channels are named in notifications ("Publicatie 12 op Facebook …").
CHANNEL_NAMES = {
    "facebook": "Facebook", "instagram": "Instagram", "x": "X", "youtube": "YouTube",
    "linkedin": "LinkedIn", "snapchat": "Snapchat", "tiktok": "TikTok", "website": "de website",
    "newsletter": "de nieuwsbrief", "group_app": "de groepsapp", "email": "e-mail", "blog": "het blog",
}


class TakedownRefused(ValueError):
    """A closing step that is not allowed now; ``str()`` is the Dutch reason for the user."""


# --- opening ---------------------------------------------------------------------------------


def open_takedowns_for_pupil(pupil: Pupil, reason: str) -> list[Takedown]:
    """Open a takedown for every live publication showing ``pupil`` on a channel no longer covered.

    ``reason``: :class:`Reason` (``withdrawn``: the pupil's current consent
    is recomputed per publication for its channel and the media kinds the
    pupil appears in; only publications no longer allowed are listed;
    ``left``: every live publication showing the pupil). A publication that
    already has an open takedown for the pupil gets no second one. Each new
    takedown is audited (``takedown.opened``) and notified to the publisher,
    the draft's author and the communication staff. Returns the takedowns
    opened (possibly none).
    """
    shown = live_items_showing(pupil)
    if not shown:
        return []
    registry = registry_for([pupil])
    uncovered = [pub for pub, kinds in shown.items() if _uncovered(pupil, pub.channel, kinds, reason, registry)]
    already = set(
        Takedown.objects.filter(pupil=pupil, status=TakedownStatus.OPEN, publication__in=uncovered)
        .values_list("publication_id", flat=True)
    )
    opened = [_open(pub, pupil, reason) for pub in uncovered if pub.pk not in already]
    return [takedown for takedown in opened if takedown is not None]


def live_items_showing(pupil: Pupil) -> dict[Publication, set[str]]:
    """Live publications in which ``pupil`` is recognisable → the media kinds they appear in.

    A :class:`PublishedPerson` without a media file counts for every media
    kind of its publication (``photo`` when it has none).
    """
    people = (
        PublishedPerson.objects.filter(pupil=pupil, publication__status=PublicationStatus.LIVE)
        .select_related("publication", "media")
        .prefetch_related("publication__media")
    )
    shown: dict[Publication, set[str]] = {}
    for person in people:
        kinds = {person.media.kind} if person.media else {m.kind for m in person.publication.media.all()}
        shown.setdefault(person.publication, set()).update(kinds or {MediaKind.PHOTO.value})
    return shown


def _uncovered(pupil: Pupil, channel: str, kinds: set[str], reason: str, registry: ConsentRegistry) -> bool:
    """Whether showing ``pupil`` on ``channel`` in these media kinds is no longer covered."""
    if reason == Reason.LEFT or pupil.left_on is not None:
        return True
    return not all(registry.allows(str(pupil.pk), Channel(channel), MediaKind(kind)) for kind in kinds)


def _open(publication: Publication, pupil: Pupil, reason: str) -> Takedown | None:
    """Create one open takedown (``None`` when a concurrent one won the race), audit and notify."""
    try:
        with transaction.atomic():
            takedown = Takedown.objects.create(publication=publication, pupil=pupil, reason=reason)
    except IntegrityError:
        return None
    audit("takedown.opened", takedown, actor=None, school_id=publication.school_id,
          board_id=publication.school.board_id,
          changes={"publication": publication.pk, "pupil": pupil.pk, "reason": reason, "channel": publication.channel})
    _notify_opened(takedown)
    return takedown


def channel_name(channel: str) -> str:
    """How a channel code is named in Dutch text ("facebook" → "Facebook", "website" → "de website")."""
    return CHANNEL_NAMES.get(channel, channel)


def notice_text(publication: Publication) -> str:
    """The notification sentence: names the publication and channel, never the pupil."""
    return (f"Publicatie {publication.pk} op {channel_name(publication.channel)} moet offline "
            "of opnieuw met een onherkenbare leerling.")


def _notify_opened(takedown: Takedown) -> None:
    """Notify the publisher, the draft's author and the school's communication staff (each once)."""
    publication = takedown.publication
    communication = [r.user for r in StaffRole.objects.filter(school=publication.school_id, role=Role.COMMUNICATION)
                     .select_related("user")]
    notify([publication.published_by, publication.draft.author, *communication],
           f"Verwijderverzoek: publicatie {publication.pk}", notice_text(publication),
           reverse("takedown:detail", args=[takedown.pk]))


# --- listing ---------------------------------------------------------------------------------


def visible_takedowns(user) -> QuerySet[Takedown]:
    """Every takedown ``user`` may see (as :meth:`Policy.can_view_takedown`): those of publications
    they published or wrote the draft of (at a school where they still have a role) and all of the
    schools where :meth:`Policy.can_view_takedowns` holds."""
    policy = Policy(user)
    schools = list(policy.schools())
    whole = [s.pk for s in schools if policy.can_view_takedowns(s)]
    mine = Q(publication__published_by=user) | Q(publication__draft__author=user)
    own = mine & Q(publication__school__in=[s.pk for s in schools])
    return (Takedown.objects.filter(own | Q(publication__school__in=whole))
            .select_related("publication", "publication__school", "publication__draft", "pupil", "pupil__group",
                            "closed_by"))


def age_in_days(takedown: Takedown, today: date | None = None) -> int:
    """Whole days since the takedown was opened (local dates; 0 on the day itself)."""
    today = today or timezone.localdate()
    return (today - timezone.localdate(takedown.opened_at)).days


@dataclass(frozen=True)
class TakedownRow:
    """An open takedown as the list shows it: its channel's name, its age in days (overdue: older
    than :data:`OVERDUE_DAYS`) and whether the viewer may close it."""

    takedown: Takedown
    channel: str
    age: int
    overdue: bool
    can_close: bool


@dataclass(frozen=True)
class SchoolSummary:
    """Per school (for those who see all its takedowns): how many are open, how many overdue, the oldest age."""

    school: School
    open: int
    overdue: int
    oldest: int | None


def open_rows(user, today: date | None = None) -> list[TakedownRow]:
    """The open takedowns ``user`` may see, oldest first, with their age."""
    today = today or timezone.localdate()
    policy = Policy(user)
    takedowns = visible_takedowns(user).filter(status=TakedownStatus.OPEN).order_by("opened_at", "id")
    rows = []
    for takedown in takedowns:
        age = age_in_days(takedown, today)
        channel = channel_name(takedown.publication.channel)
        rows.append(TakedownRow(takedown, channel, age, age > OVERDUE_DAYS, policy.can_close_takedown(takedown)))
    return rows


def open_count(user) -> int:
    """How many open takedowns ``user`` may see (for a badge on the start page)."""
    return visible_takedowns(user).filter(status=TakedownStatus.OPEN).count()


def school_summaries(user, rows: list[TakedownRow]) -> list[SchoolSummary]:
    """For each school where ``user`` sees every takedown (FG, communicatie, leidinggevende):
    the count of open takedowns, of those older than :data:`OVERDUE_DAYS` days, and the oldest age."""
    policy = Policy(user)
    summaries = []
    for school in policy.schools().order_by("name"):
        if not policy.can_view_takedowns(school):
            continue
        ages = [row.age for row in rows if row.takedown.publication.school_id == school.pk]
        summaries.append(SchoolSummary(school, len(ages), sum(age > OVERDUE_DAYS for age in ages), max(ages, default=None)))
    return summaries


# --- closing ---------------------------------------------------------------------------------


def close(takedown: Takedown, user, status: str, *, republication: Publication | None = None,
          ip: str | None = None) -> Takedown:
    """Close an open takedown as ``removed`` or ``republished`` (with its ``republication``).

    Raises :class:`TakedownRefused` when it is closed already, the status is
    not a closing one, or ``republished`` comes without a republication.
    Audited as ``takedown.removed`` / ``takedown.republished``.
    """
    if takedown.status != TakedownStatus.OPEN:
        raise TakedownRefused("Dit verwijderverzoek is al afgehandeld.")
    if status not in (TakedownStatus.REMOVED, TakedownStatus.REPUBLISHED):
        raise TakedownRefused("Een verwijderverzoek sluit met 'verwijderd' of 'opnieuw geplaatst'.")
    if (status == TakedownStatus.REPUBLISHED) != (republication is not None):
        raise TakedownRefused("Opnieuw geplaatst hoort bij precies één nieuwe publicatie.")
    takedown.status = status
    takedown.closed_at = timezone.now()
    takedown.closed_by = user
    takedown.republication = republication
    takedown.save(update_fields=["status", "closed_at", "closed_by", "republication"])
    publication = takedown.publication
    audit(f"takedown.{status}", takedown, actor=user, school_id=publication.school_id,
          board_id=publication.school.board_id,
          changes={"publication": publication.pk, "pupil": takedown.pupil_id,
                   "republication": republication.pk if republication else None}, ip=ip)
    return takedown


def _require_open_and_allowed(takedown: Takedown, user) -> None:
    if not Policy(user).can_close_takedown(takedown):
        raise TakedownRefused("Alleen wie dit bericht publiceerde, communicatie of de leidinggevende handelt dit af.")
    if takedown.status != TakedownStatus.OPEN:
        raise TakedownRefused("Dit verwijderverzoek is al afgehandeld.")


def open_for_publication(publication: Publication) -> QuerySet[Takedown]:
    """The open takedowns of ``publication`` (one per pupil)."""
    return Takedown.objects.filter(publication=publication, status=TakedownStatus.OPEN).select_related("pupil")


@transaction.atomic
def mark_removed(takedown: Takedown, user, *, ip: str | None = None) -> list[Takedown]:
    """The item is taken offline: marked removed in the publication log (when still live) and
    its open takedowns settled (:func:`settle_publication`). Returns the takedowns closed; raises
    :class:`TakedownRefused`, or ``StepRefused`` when the publication log refuses (e.g. the platform)."""
    _require_open_and_allowed(takedown, user)
    publication = takedown.publication
    if publication.status == PublicationStatus.LIVE:
        publication_services.mark_removed(publication, user, ip=ip)
        publication.refresh_from_db()
    return settle_publication(publication, user, ip=ip)


@transaction.atomic
def republish_blurred(takedown: Takedown, user, *, ip: str | None = None) -> Publication:
    """Re-publish the item checked against the current consent, so the pupil is blurred.

    The publication app re-runs the check of the same draft text with today's
    consent registry and publishes the result as a new publication replacing
    the old one; every open takedown of the old one closes as ``republished``.
    When one of its pupils is still recognisable and not covered in the new
    version, nothing happens (all is rolled back) and :class:`TakedownRefused`
    says so; the publication log's refusals raise ``StepRefused``. Returns the
    new publication.
    """
    _require_open_and_allowed(takedown, user)
    old = takedown.publication
    if old.status != PublicationStatus.LIVE:
        raise TakedownRefused("Deze publicatie staat al niet meer online; sluit het verzoek met 'verwijderd'.")
    new = publication_services.republish(old, user, ip=ip)
    if any(_still_shown_uncovered(new, t.pupil, t.reason) for t in open_for_publication(old)):
        publication_storage.remove_folder(new.pk)
        raise TakedownRefused("Ook in de nieuwe versie is de leerling herkenbaar zonder toestemming; "
                              "haal de publicatie offline of pas het bericht aan.")
    old.refresh_from_db()
    settle_publication(old, user, ip=ip)
    return new


def settle_publication(publication: Publication, user, *, ip: str | None = None) -> list[Takedown]:
    """Close the open takedowns of a publication that is no longer live; returns those closed.

    ``removed``: each closes as removed. ``replaced``: each closes as
    ``republished`` with the live replacement, when the pupil is not
    recognisable there without cover; otherwise it closes as removed (the old
    item is offline) and a new takedown is opened for the replacement. A live
    publication is left alone. For the publication log to call after it marks
    an item removed or replaced outside the takedown pages (idempotent).
    """
    if publication.status == PublicationStatus.LIVE:
        return []
    replacement = current_replacement(publication) if publication.status == PublicationStatus.REPLACED else None
    closed = []
    for takedown in open_for_publication(publication):
        carried = replacement is not None and _still_shown_uncovered(replacement, takedown.pupil, takedown.reason)
        if replacement is None or carried:
            closed.append(close(takedown, user, TakedownStatus.REMOVED, ip=ip))
        else:
            closed.append(close(takedown, user, TakedownStatus.REPUBLISHED, republication=replacement, ip=ip))
        if carried:
            open_takedowns_for_pupil(takedown.pupil, takedown.reason)
    return closed


def current_replacement(publication: Publication) -> Publication | None:
    """The live publication that (through one or more re-publications) replaces ``publication``, if any."""
    seen = {publication.pk}
    newer = publication.replaced_by.order_by("-published_at", "-id").first()
    while newer is not None and newer.status == PublicationStatus.REPLACED and newer.pk not in seen:
        seen.add(newer.pk)
        newer = newer.replaced_by.order_by("-published_at", "-id").first()
    return newer if newer is not None and newer.status == PublicationStatus.LIVE else None


def _still_shown_uncovered(publication: Publication, pupil: Pupil, reason: str) -> bool:
    """Whether ``pupil`` is recognisable in the live ``publication`` without cover."""
    kinds = live_items_showing(pupil).get(publication)
    return bool(kinds) and _uncovered(pupil, publication.channel, kinds, reason, registry_for([pupil]))
