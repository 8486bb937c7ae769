"""``python -m django send_freshness_warnings``: the weekly e-mail about silent channels.

For every school with active channels: when a channel is silent longer than
allowed (:mod:`plaatsbaar.web.publication.freshness`), mail its communication
staff; at most once per ISO week per school, so running it daily is safe.
Prints counts only, no personal data. Cron example (Mondays at 08:00)::

    0 8 * * 1  DJANGO_SETTINGS_MODULE=plaatsbaar.web.settings python -m django send_freshness_warnings

or, the same, ``plaatsbaar freshness-warnings``.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from plaatsbaar.web.publication.freshness import iso_week, outcome_text, send_weekly_warnings


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
        done = send_weekly_warnings(day)
        for school, outcome in done:
            self.stdout.write(f"school {school.pk}: {outcome_text(outcome)}")
        week = iso_week(day) if day else "deze week"
        self.stdout.write(f"{len(done)} school/scholen gecontroleerd ({week}).")
