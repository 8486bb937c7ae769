"""``python -m django send_freshness_warnings``: the weekly e-mail about silent channels.

For every school with active channels: when a channel is silent longer than
allowed (:mod:`plaatsbaar.web.publication.freshness`), mail its communication
staff; at most once per ISO week per school, so running it daily is safe.
Prints counts only, no personal data. Cron example (Mondays at 08:00)::

    0 8 * * 1  DJANGO_SETTINGS_MODULE=plaatsbaar.web.settings python -m django send_freshness_warnings
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from plaatsbaar.web.organisation.models import School
from plaatsbaar.web.publication.freshness import iso_week, send_weekly_warning


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: {value!r} is geen datum (JJJJ-MM-DD)") from None


class Command(BaseCommand):
    help = "Mail de communicatiemedewerkers van scholen met kanalen die te lang stil zijn (één keer per week)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="doen alsof het deze datum is (JJJJ-MM-DD); standaard vandaag")

    def handle(self, *args, today=None, **options):
        day = _day(today) if today else None
        schools = School.objects.filter(channels__active=True).distinct().order_by("pk")
        for school in schools:
            outcome = send_weekly_warning(school, day)
            if outcome.already_sent:
                note = "deze week al gemaild"
            elif outcome.stale and not outcome.sent:
                note = "geen e-mail verstuurd (niemand met een e-mailadres, of de mailserver weigerde)"
            else:
                note = f"{outcome.sent} e-mail(s) verstuurd"
            self.stdout.write(f"school {school.pk}: {outcome.stale} te stil kanaal/kanalen, {note}")
        week = iso_week(day) if day else "deze week"
        self.stdout.write(f"{schools.count()} school/scholen gecontroleerd ({week}).")
