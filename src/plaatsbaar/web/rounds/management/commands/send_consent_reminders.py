"""``python -m django send_consent_reminders``: the daily job of the consent rounds.

For every open round: invite recipients not invited yet (pupils who joined,
earlier failed sends), then remind those who have not answered (rules in
:mod:`plaatsbaar.web.rounds.services`). Prints counts only, no personal data.
``plaatsbaar reminders`` does the same. Cron example (daily at 09:00)::

    0 9 * * *  DJANGO_SETTINGS_MODULE=plaatsbaar.web.settings python -m django send_consent_reminders
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from plaatsbaar.web.rounds.services import MailServerUnavailable, send_due_mails


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: {value!r} is geen datum (JJJJ-MM-DD)") from None


class Command(BaseCommand):
    help = "Verstuur openstaande uitnodigingen en herinneringen van alle open toestemmingsrondes."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="doen alsof het deze datum is (JJJJ-MM-DD); standaard vandaag")
        parser.add_argument("--base-url", dest="site", help="adres van de site in de links; standaard PLAATSBAAR_BASE_URL")

    def handle(self, *args, today=None, site=None, **options):
        day = _day(today) if today else None
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
