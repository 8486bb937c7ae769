"""Opening a consent round and mailing its invitations and reminders.

Who is mailed: for every active pupil of the school who has not answered in
the round, the pupil's guardians with an e-mail address, or, from the 16th
birthday on, the pupil at ``Pupil.email`` instead. A guardian of several
pupils gets one mail. Each mail carries the recipient's personal portal link
``{base_url}/portaal/{token}/`` (``plaatsbaar.web.portal.links.make_token``),
made for the round: it stays valid until at least the end of the round's
deadline (rule in :mod:`plaatsbaar.web.portal.links`).

Reminders (:func:`send_reminders`, run daily from cron with
``plaatsbaar reminders`` or ``python -m django send_consent_reminders``, both
through :func:`send_due_mails`) go only to recipients of pupils
who have not answered, while the round is open, at the earliest
``round.reminder_after_days`` days after the recipient's last mail of the
round, and at most once per call. Only successful sends are recorded
(:class:`~plaatsbaar.web.rounds.models.RoundMail`), so a failed send is tried
again on the next call.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from plaatsbaar.web.audit.services import record as audit
from plaatsbaar.web.consent.models import ConsentEvent
from plaatsbaar.web.organisation.models import Guardian, Pupil, School
from plaatsbaar.web.portal.links import make_token, valid_through
from plaatsbaar.web.rounds.models import DEFAULT_REMINDER_AFTER_DAYS, ConsentRound, MailKind, RoundMail

log = logging.getLogger(__name__)
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
SUBJECTS = {
    MailKind.INVITATION: "Toestemming voor foto's en video's – {school}",
    MailKind.REMINDER: "Herinnering: toestemming voor foto's en video's – {school}",
}


class RoundRefused(ValueError):
    """A round that may not be opened (the message is Dutch and safe to show)."""


class MailServerUnavailable(RuntimeError):
    """The mail server could not be reached; nothing was sent."""


@dataclass(frozen=True)
class Recipient:
    """Who gets a mail: a guardian, or a pupil of 16+ (exactly one)."""

    guardian: Guardian | None = None
    pupil: Pupil | None = None

    @property
    def key(self) -> tuple[str, int]:
        """``("g", guardian id)`` or ``("p", pupil id)``."""
        return ("g", self.guardian.pk) if self.guardian else ("p", self.pupil.pk)

    @property
    def email(self) -> str:
        return (self.guardian or self.pupil).email


@dataclass
class MailSummary:
    """Counts of one mailing (no personal data): mails sent and failed, and
    pupils for whom nobody has an e-mail address (they need a paper form)."""

    sent: int = 0
    failed: int = 0
    without_address: int = 0


def base_url() -> str:
    """The site address used in links: setting ``PLAATSBAAR_BASE_URL`` (default local)."""
    return getattr(settings, "PLAATSBAAR_BASE_URL", DEFAULT_BASE_URL).rstrip("/")


def portal_link(holder: Guardian | Pupil, site: str | None = None, valid_until: date | None = None) -> str:
    """The personal portal link of a guardian or pupil, e.g. ``http://…/portaal/<token>/``;
    ``valid_until``: the deadline of the round it is sent for (see ``make_token``)."""
    return f"{(site or base_url()).rstrip('/')}/portaal/{make_token(holder, valid_until)}/"


def current_school_year(today: date) -> str:
    """``"2026-2027"`` from 1 August 2026 to 31 July 2027."""
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


def open_round(
    school: School,
    *,
    school_year: str,
    deadline: date,
    form_version: str,
    information_version: str,
    reminder_after_days: int = DEFAULT_REMINDER_AFTER_DAYS,
    actor: Any = None,
    ip: str | None = None,
    today: date | None = None,
) -> ConsentRound:
    """Open the school's round for ``school_year``; audited as ``round.opened``.

    Raises :class:`RoundRefused` when the deadline has passed or the school
    already has a round for that school year. Mails are sent separately
    (:func:`send_invitations`).
    """
    if deadline < (today or timezone.localdate()):
        raise RoundRefused("de uiterste datum ligt in het verleden")
    try:
        with transaction.atomic():
            consent_round = ConsentRound.objects.create(
                school=school, school_year=school_year, opened_at=timezone.now(), deadline=deadline,
                opened_by=actor if hasattr(actor, "get_username") else None, form_version=form_version,
                information_version=information_version, reminder_after_days=reminder_after_days,
            )
    except IntegrityError:
        raise RoundRefused(f"er is al een toestemmingsronde voor schooljaar {school_year}") from None
    changes = {"school_year": school_year, "deadline": deadline.isoformat(), "form_version": form_version, "information_version": information_version}
    audit("round.opened", consent_round, actor=actor, school_id=school.pk, board_id=school.board_id, changes=changes, ip=ip)
    return consent_round


def current_round(school: School, today: date | None = None) -> ConsentRound | None:
    """The school's most recently opened round that is still open on ``today``, or ``None``."""
    return ConsentRound.objects.filter(school=school, deadline__gte=today or timezone.localdate()).first()


def active_pupils(schools: Iterable[School | int], today: date) -> QuerySet[Pupil]:
    """Pupils of these schools who have not left on ``today``."""
    return Pupil.objects.filter(school__in=list(schools)).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))


def unanswered_pupils(consent_round: ConsentRound, today: date) -> QuerySet[Pupil]:
    """Active pupils of the round's school without any consent event since the round opened."""
    answered = ConsentEvent.objects.filter(pupil=OuterRef("pk"), at__gte=consent_round.opened_at)
    return active_pupils([consent_round.school_id], today).exclude(Exists(answered))


def recipients(pupils: Iterable[Pupil], today: date) -> tuple[list[Recipient], int]:
    """The recipients for these pupils (each once) and how many pupils have none.

    Pupils of 16+ on ``today`` are mailed themselves, younger pupils' guardians
    otherwise; only people with an e-mail address count.
    """
    found: dict[tuple[str, int], Recipient] = {}
    without_address = 0
    for pupil in pupils:
        if pupil.decides_own_consent(today):
            own = [Recipient(pupil=pupil)] if pupil.email else []
        else:
            own = [Recipient(guardian=g) for g in pupil.guardians.all() if g.email]
        without_address += not own
        found.update((r.key, r) for r in own)
    return list(found.values()), without_address


def _unanswered_recipients(consent_round: ConsentRound, today: date) -> tuple[list[Recipient], int]:
    pupils = unanswered_pupils(consent_round, today).prefetch_related("guardians").order_by("pk")
    return recipients(pupils, today)


def _last_mail_days(consent_round: ConsentRound) -> dict[tuple[str, int], date]:
    """Recipient key → local date of their last mail in the round."""
    last: dict[tuple[str, int], date] = {}
    for row in consent_round.mails.values("guardian_id", "pupil_id").annotate(last=Max("sent_on")):
        key = ("g", row["guardian_id"]) if row["guardian_id"] else ("p", row["pupil_id"])
        last[key] = row["last"]
    return last


@dataclass(frozen=True)
class _Mailing:
    """One batch of mails: which round, which kind, for which day, with which site address."""

    round: ConsentRound
    kind: str
    today: date
    site: str


def _message(mailing: _Mailing, recipient: Recipient) -> EmailMessage:
    school = mailing.round.school.name
    context = {
        "school": school,
        "deadline": mailing.round.deadline,
        "link": portal_link(recipient.guardian or recipient.pupil, mailing.site, mailing.round.deadline),
        "valid_through": valid_through(mailing.round.deadline, timezone.localdate()),
        "for_pupil": recipient.pupil is not None,
    }
    with translation.override("nl"):
        body = render_to_string(f"rounds/mail/{mailing.kind}.txt", context)
    return EmailMessage(SUBJECTS[mailing.kind].format(school=school), body, settings.DEFAULT_FROM_EMAIL, [recipient.email])


def _send_one(mailing: _Mailing, recipient: Recipient, connection) -> bool:
    """Send and record one mail; ``False`` (logged without address) when the server refuses it."""
    message = _message(mailing, recipient)
    message.connection = connection
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("round %s: %s to %s%s failed (%s)", mailing.round.pk, mailing.kind, *recipient.key, exc.__class__.__name__)
        return False
    RoundMail.objects.create(round=mailing.round, kind=mailing.kind, guardian=recipient.guardian, pupil=recipient.pupil, sent_on=mailing.today)
    return True


def _open_connection():
    try:
        connection = get_connection()
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        raise MailServerUnavailable(f"de mailserver is niet bereikbaar ({exc.__class__.__name__})") from None
    return connection


def _send_all(mailing: _Mailing, chosen: list[Recipient], summary: MailSummary, actor: Any) -> MailSummary:
    """Send to every chosen recipient over one connection; audited as ``round.mailed`` (counts only)."""
    if not chosen:
        return summary
    connection = _open_connection()
    try:
        for recipient in chosen:
            if _send_one(mailing, recipient, connection):
                summary.sent += 1
            else:
                summary.failed += 1
    finally:
        connection.close()
    changes = {"kind": mailing.kind, "sent": summary.sent, "failed": summary.failed, "without_address": summary.without_address}
    school = mailing.round.school
    audit("round.mailed", mailing.round, actor=actor, school_id=school.pk, board_id=school.board_id, changes=changes)
    return summary


def send_invitations(consent_round: ConsentRound, today: date | None = None, *, site: str | None = None, actor: Any = None) -> MailSummary:
    """Invite every recipient of a pupil who has not answered and was not invited yet.

    Safe to call again (pupils who joined later, failed sends); nothing is sent
    after the deadline. Raises :class:`MailServerUnavailable`.
    """
    today = today or timezone.localdate()
    if not consent_round.is_open(today):
        return MailSummary()
    candidates, without_address = _unanswered_recipients(consent_round, today)
    invited = set(_invited_keys(consent_round))
    chosen = [r for r in candidates if r.key not in invited]
    mailing = _Mailing(consent_round, MailKind.INVITATION, today, site or base_url())
    return _send_all(mailing, chosen, MailSummary(without_address=without_address), actor)


def _invited_keys(consent_round: ConsentRound) -> Iterable[tuple[str, int]]:
    for guardian_id, pupil_id in consent_round.mails.filter(kind=MailKind.INVITATION).values_list("guardian_id", "pupil_id"):
        yield ("g", guardian_id) if guardian_id else ("p", pupil_id)


def send_reminders(consent_round: ConsentRound, today: date | None = None, *, site: str | None = None, actor: Any = None) -> MailSummary:
    """Remind recipients of pupils who have not answered (rules in the module docstring).

    Raises :class:`MailServerUnavailable`.
    """
    today = today or timezone.localdate()
    if not consent_round.is_open(today):
        return MailSummary()
    candidates, without_address = _unanswered_recipients(consent_round, today)
    last = _last_mail_days(consent_round)
    due = [r for r in candidates if r.key in last and (today - last[r.key]).days >= consent_round.reminder_after_days]
    mailing = _Mailing(consent_round, MailKind.REMINDER, today, site or base_url())
    return _send_all(mailing, due, MailSummary(without_address=without_address), actor)


def open_rounds(today: date | None = None) -> QuerySet[ConsentRound]:
    """Every round that is open on ``today`` (for the daily reminder job)."""
    return ConsentRound.objects.filter(deadline__gte=today or timezone.localdate()).select_related("school")


@dataclass(frozen=True)
class RoundMailing:
    """What the daily job did for one open round: its invitations and its reminders."""

    round: ConsentRound
    invitations: MailSummary
    reminders: MailSummary


def send_due_mails(today: date | None = None, *, site: str | None = None, actor: Any = "systeem") -> Iterator[RoundMailing]:
    """The daily job: for every open round, invite recipients not invited yet (pupils who
    joined, earlier failed sends), then send the due reminders; yields the counts per
    round as each round is done.

    Raises :class:`MailServerUnavailable` naming the round (nothing more is sent;
    rounds already done keep their mails, recorded as usual).
    """
    for consent_round in open_rounds(today):
        try:
            invitations = send_invitations(consent_round, today, site=site, actor=actor)
            reminders = send_reminders(consent_round, today, site=site, actor=actor)
        except MailServerUnavailable as exc:
            raise MailServerUnavailable(f"ronde {consent_round.pk}: {exc}") from None
        yield RoundMailing(consent_round, invitations, reminders)
