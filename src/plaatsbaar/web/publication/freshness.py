"""Freshness of the school's channels (issue 4, section 5): warn when a channel is silent too long.

Per active :class:`SchoolChannel`: the date of its last live publication and
how many days it has been silent. The limit is the channel's own
``freshness_days`` (set by the school) or else the active protocol's
``freshness_days`` (tjongerschool: 90 days, article INL.4 "niets fouter dan
dat het laatste bericht van 3 maanden geleden is"); without either, no
warning. A channel without any publication in plaatsbaar counts as silent.
The weekly e-mail to the communication staff is sent at most once per ISO
week per school (:class:`FreshnessMail`).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from plaatsbaar.web.checks.services import CheckRefused, school_protocol
from plaatsbaar.web.notices.services import absolute
from plaatsbaar.web.organisation.models import Role, School, StaffRole
from plaatsbaar.web.publication.models import FreshnessMail, Publication, PublicationStatus, SchoolChannel

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Limit:
    """How long a channel may be silent (days) and where that comes from (``channel`` or ``protocol``)."""

    days: int
    source: str
    article: str | None = None

    @property
    def citation(self) -> str:
        """Dutch: "protocol INL.4: maximaal 90 dagen stil", "protocol: …" or "school: …"."""
        if self.source == "channel":
            return f"school: maximaal {self.days} dagen stil"
        where = f"protocol {self.article}" if self.article else "protocol"
        return f"{where}: maximaal {self.days} dagen stil"


@dataclass(frozen=True)
class ChannelFreshness:
    """One channel: its last live publication (``None``: none yet), days silent on ``today``, its limit."""

    channel: SchoolChannel
    last: datetime | None
    days_silent: int | None
    limit: Limit | None

    @property
    def stale(self) -> bool:
        """Silent longer than the limit (or never published while a limit applies)."""
        if self.limit is None:
            return False
        return self.days_silent is None or self.days_silent > self.limit.days

    @property
    def warning(self) -> str:
        """The Dutch warning for a stale channel ("" when it is not stale)."""
        if not self.stale:
            return ""
        if self.last is None:
            return f"Nog niets gepubliceerd via plaatsbaar ({self.limit.citation})."
        return f"Al {self.days_silent} dagen stil ({self.limit.citation})."


def last_publication_per_channel(school: School) -> dict[str, datetime | None]:
    """Channel code → time of the last live publication, for every active channel of ``school``."""
    channels = SchoolChannel.objects.filter(school=school, active=True).values_list("channel", flat=True)
    latest = dict(Publication.objects.filter(school=school, status=PublicationStatus.LIVE)
                  .values("channel").annotate(last=Max("published_at")).values_list("channel", "last"))
    return {code: latest.get(code) for code in channels}


def protocol_limit(school: School) -> Limit | None:
    """The active protocol's limit with the article it comes from; ``None`` without protocol or limit."""
    try:
        protocol = school_protocol(school)
    except CheckRefused:
        return None
    if not protocol.freshness_days:
        return None
    return Limit(protocol.freshness_days, "protocol", protocol.freshness_article)


def channel_freshness(school: School, today: date | None = None) -> list[ChannelFreshness]:
    """Every active channel of ``school`` with its last publication and limit, in channel order."""
    today = today or timezone.localdate()
    last = last_publication_per_channel(school)
    from_protocol = protocol_limit(school)
    rows = []
    for channel in SchoolChannel.objects.filter(school=school, active=True).order_by("channel"):
        when = last.get(channel.channel)
        silent = (today - timezone.localtime(when).date()).days if when else None
        limit = Limit(channel.freshness_days, "channel") if channel.freshness_days else from_protocol
        rows.append(ChannelFreshness(channel, when, silent, limit))
    return rows


def stale_channels(school: School, today: date | None = None) -> list[ChannelFreshness]:
    """The active channels of ``school`` silent longer than allowed on ``today``."""
    return [row for row in channel_freshness(school, today) if row.stale]


def iso_week(day: date) -> str:
    """The ISO week of ``day``: ``"2026-W47"``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def communication_staff(school: School) -> list:
    """Users with the communicatie role at ``school`` and an e-mail address (else its leidinggevenden)."""
    for role in (Role.COMMUNICATION, Role.MANAGER):
        roles = StaffRole.objects.filter(school=school, role=role).select_related("user")
        users = {r.user.pk: r.user for r in roles if r.user.email and r.user.is_active}
        if users:
            return [users[pk] for pk in sorted(users)]
    return []


@dataclass(frozen=True)
class WeeklyOutcome:
    """One school's weekly run: stale channels, mails sent, and whether this week's mail was sent before."""

    stale: int
    sent: int
    already_sent: bool = False


def send_weekly_warning(school: School, today: date | None = None) -> WeeklyOutcome:
    """Mail the communication staff of ``school`` about its stale channels, once per ISO week.

    Nothing is sent when no channel is stale, when this week's mail went out
    already, or when nobody has an address. The week counts as done once at
    least one mail was delivered; a refusing server is logged (user id only).
    """
    today = today or timezone.localdate()
    stale = stale_channels(school, today)
    week = iso_week(today)
    if not stale:
        return WeeklyOutcome(0, 0)
    if FreshnessMail.objects.filter(school=school, week=week).exists():
        return WeeklyOutcome(len(stale), 0, already_sent=True)
    sent = _mail(communication_staff(school), _subject(school), _body(school, stale))
    if sent:
        FreshnessMail.objects.get_or_create(school=school, week=week,
                                            defaults={"channels": len(stale), "recipients": sent})
    return WeeklyOutcome(len(stale), sent)


def send_weekly_warnings(today: date | None = None) -> list[tuple[School, WeeklyOutcome]]:
    """:func:`send_weekly_warning` for every school with an active channel, by id; safe to run daily."""
    schools = School.objects.filter(channels__active=True).distinct().order_by("pk")
    return [(school, send_weekly_warning(school, today)) for school in schools]


def outcome_text(outcome: WeeklyOutcome) -> str:
    """One school's outcome in Dutch, counts only (for the command line and the management command)."""
    if outcome.already_sent:
        note = "deze week al gemaild"
    elif outcome.stale and not outcome.sent:
        note = "geen e-mail verstuurd (niemand met een e-mailadres, of de mailserver weigerde)"
    else:
        note = f"{outcome.sent} e-mail(s) verstuurd"
    return f"{outcome.stale} te stil kanaal/kanalen, {note}"


def _mail(users: list, subject: str, body: str) -> int:
    sent = 0
    connection = get_connection()
    for user in users:
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection).send()
            sent += 1
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("freshness mail to user %s failed (%s)", user.pk, exc.__class__.__name__)
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        pass
    return sent


def _subject(school: School) -> str:
    return f"{school.name}: kanalen te lang stil"


def _body(school: School, stale: list[ChannelFreshness]) -> str:
    lines = [f"Deze kanalen van {school.name} zijn langer stil dan is afgesproken:", ""]
    for row in stale:
        last = f"laatste publicatie {timezone.localtime(row.last):%d-%m-%Y}" if row.last else "nog geen publicatie"
        lines.append(f"- {row.channel}: {last}. {row.warning}")
    link = absolute(reverse("publication:channels", args=[school.pk]))
    lines += ["", f"Bekijk de kanalen: {link}", "",
              "Je krijgt deze e-mail één keer per week, zolang een kanaal te lang stil is."]
    return "\n".join(lines)
