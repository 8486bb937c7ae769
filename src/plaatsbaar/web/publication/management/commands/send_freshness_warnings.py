"""``python -m django send_freshness_warnings``: the weekly e-mail about silent channels.

For every school with active channels: when a channel is silent longer than
allowed (:mod:`plaatsbaar.web.publication.freshness`), mail its communication
staff; at most once per ISO week per school, so running it daily is safe.
Prints counts only, no personal data. Cron example (Mondays at 08:00)::

    0 8 * * 1  DJANGO_SETTINGS_MODULE=plaatsbaar.web.settings python -m django send_freshness_warnings

or, the same, ``plaatsbaar freshness-warnings``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from plaatsbaar.web.command_options import add_today_option, parse_today
from plaatsbaar.web.publication.freshness import iso_week, outcome_text, send_weekly_warnings


class Command(BaseCommand):
    help = "Mail de communicatiemedewerkers van scholen met kanalen die te lang stil zijn (één keer per week)."

    def add_arguments(self, parser):
        add_today_option(parser)

    def handle(self, *args, today=None, **options):
        day = parse_today(today)
        done = send_weekly_warnings(day)
        for school, outcome in done:
            self.stdout.write(f"school {school.pk}: {outcome_text(outcome)}")
        week = iso_week(day) if day else "deze week"
        self.stdout.write(f"{len(done)} school/scholen gecontroleerd ({week}).")
