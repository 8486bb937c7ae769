"""The yearly consent round of a school and the record of the e-mails it sent.

A round asks every guardian (or, from 16 on, the pupil) to give or confirm
consent before a deadline. The answers themselves are ordinary
:class:`~plaatsbaar.web.consent.models.ConsentEvent` records; a pupil counts
as *answered* in a round when at least one consent event for the pupil was
recorded since the round opened (by a guardian or by the pupil, on the portal
or on paper).

A :class:`RoundMail` records only who was mailed, when and which kind of mail:
no addresses, no message text.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from plaatsbaar.web.audit.models import AppendOnlyModel
from plaatsbaar.web.organisation.models import Guardian, Pupil, School

DEFAULT_REMINDER_AFTER_DAYS = 7


class ConsentRound(models.Model):
    """One consent round of a school in one school year (at most one per school year).

    ``reminder_after_days``: a recipient who has not answered gets a reminder
    at the earliest this many days after their last mail of the round.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="consent_rounds")
    school_year = models.CharField("schooljaar", max_length=9, help_text="bijv. 2026-2027")
    opened_at = models.DateTimeField("geopend op")
    deadline = models.DateField("uiterste datum")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    form_version = models.CharField("formulierversie", max_length=50)
    information_version = models.CharField("versie informatietekst", max_length=50)
    reminder_after_days = models.PositiveSmallIntegerField("herinnering na (dagen)", default=DEFAULT_REMINDER_AFTER_DAYS)

    class Meta:
        verbose_name = "toestemmingsronde"
        verbose_name_plural = "toestemmingsrondes"
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="one_round_per_school_year")]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"

    def is_open(self, today: date) -> bool:
        """True up to and including the deadline."""
        return today <= self.deadline


class MailKind(models.TextChoices):
    """The kinds of mail a round sends."""

    INVITATION = "invitation", "uitnodiging"
    REMINDER = "reminder", "herinnering"


class RoundMail(AppendOnlyModel):
    """One e-mail sent in a round to a guardian or to a pupil of 16+ (exactly one of both).

    ``sent_on`` is the day the mailing ran for; the reminder interval counts from it.
    """

    round = models.ForeignKey(ConsentRound, on_delete=models.PROTECT, related_name="mails")
    kind = models.CharField("soort", max_length=10, choices=MailKind.choices)
    guardian = models.ForeignKey(Guardian, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField("verstuurd op", auto_now_add=True)
    sent_on = models.DateField("voor de dag", help_text="de dag waarvoor de taak liep (gelijk aan de datum van verstuurd op, behalve bij --today)")

    class Meta:
        verbose_name = "verstuurde e-mail"
        verbose_name_plural = "verstuurde e-mails"
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["round", "sent_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(guardian__isnull=False, pupil__isnull=True) | models.Q(guardian__isnull=True, pupil__isnull=False),
                name="round_mail_to_exactly_one",
            )
        ]

    def __str__(self) -> str:
        who = f"g{self.guardian_id}" if self.guardian_id else f"p{self.pupil_id}"
        return f"{self.get_kind_display()} {who} {self.sent_at:%Y-%m-%d}"
