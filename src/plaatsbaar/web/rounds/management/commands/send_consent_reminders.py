"""``python -m django send_consent_reminders``: the daily job of the consent rounds.

For every open round: invite recipients not invited yet (pupils who joined,
earlier failed sends), then remind those who have not answered (rules in
:mod:`plaatsbaar.web.rounds.services`). Prints counts only, no personal data.
``plaatsbaar reminders`` does the same. Cron example (daily at 09:00)::

    0 9 * * *  DJANGO_SETTINGS_MODULE=plaatsbaar.web.settings python -m django send_consent_reminders
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from plaatsbaar.web.command_options import add_today_option, parse_today
from plaatsbaar.web.rounds.services import MailServerUnavailable, send_due_mails


class Command(BaseCommand):
    help = "Verstuur openstaande uitnodigingen en herinneringen van alle open toestemmingsrondes."

    def add_arguments(self, parser):
        add_today_option(parser)
        parser.add_argument("--base-url", dest="site", help="adres van de site in de links; standaard PLAATSBAAR_BASE_URL")

    def handle(self, *args, today=None, site=None, **options):
        day = parse_today(today)
        count = 0
        try:
            for done in send_due_mails(day, site=site, actor="systeem"):
                count += 1
                invited, reminded = done.invitations, done.reminders
                self.stdout.write(
                    f"ronde {done.round.pk}: {invited.sent} uitnodiging(en), {reminded.sent} herinnering(en), "
                    f"{invited.failed + reminded.failed} mislukt, {reminded.without_address} leerling(en) zonder e-mailadres"
                )
        except MailServerUnavailable as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{count} open ronde(s) verwerkt.")
