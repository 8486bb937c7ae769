"""``plaatsbaar reminders`` and ``plaatsbaar freshness-warnings``: the scheduled mail jobs, on the
configured database.

The same service as ``python -m django send_consent_reminders``
(:func:`plaatsbaar.web.rounds.services.send_due_mails`): for every open round,
invitations not sent yet and the reminders that are due. Prints counts only,
never names or addresses.
"""

from __future__ import annotations

import os
from datetime import date

from rich.console import Console

EXIT_OK = 0
EXIT_MAIL_FAILED = 1
EXIT_BAD_INPUT = 2


def run_reminders(out: Console, *, today: date | None = None, site: str | None = None, dev: bool | None = None) -> int:
    """Send the due invitations and reminders of every open round; print per round and in total.

    ``today``: act as if it were this day (default: today, Europe/Amsterdam);
    ``site``: the site address in the links (default ``PLAATSBAAR_BASE_URL``);
    ``dev``: development settings when Django is not set up yet (default:
    ``PLAATSBAAR_DEV=1``). Returns the exit status: 0 when all went out, 1 when
    some mails failed (they are tried again next time), 2 when the mail server
    cannot be reached. Raises :class:`plaatsbaar.cli.web.WebConfigError` when
    the database cannot be used.
    """
    _ensure_django(dev)
    from plaatsbaar.web.rounds.services import MailServerUnavailable, send_due_mails

    rounds = reminders = invitations = failed = 0
    try:
        for done in send_due_mails(today, site=site, actor="opdrachtregel"):
            rounds += 1
            reminders += done.reminders.sent
            invitations += done.invitations.sent
            failed += done.invitations.failed + done.reminders.failed
            _say(out, f"Ronde {done.round.school_year} van {done.round.school.name}: "
                      f"{done.reminders.sent} herinnering(en), {done.invitations.sent} nieuwe uitnodiging(en), "
                      f"{done.invitations.failed + done.reminders.failed} mislukt, "
                      f"{done.reminders.without_address} leerling(en) zonder e-mailadres.")
    except MailServerUnavailable as exc:
        _say(out, f"Fout: {exc}. Er is niets meer verstuurd; probeer het later opnieuw.")
        return EXIT_BAD_INPUT
    _say(out, f"{reminders} herinnering(en) en {invitations} uitnodiging(en) verstuurd "
              f"in {rounds} open ronde(s){f'; {failed} mislukt (volgende keer opnieuw)' if failed else ''}.")
    return EXIT_MAIL_FAILED if failed else EXIT_OK


def run_freshness_warnings(out: Console, *, today: date | None = None, dev: bool | None = None) -> int:
    """Mail the communication staff of every school whose channels are silent too long (once per ISO week).

    The same service as ``python -m django send_freshness_warnings``
    (:func:`plaatsbaar.web.publication.freshness.send_weekly_warnings`).
    Prints counts per school id, no names. Returns 0. Raises
    :class:`plaatsbaar.cli.web.WebConfigError` when the database cannot be used.
    """
    _ensure_django(dev)
    from plaatsbaar.web.publication.freshness import outcome_text, send_weekly_warnings

    done = send_weekly_warnings(today)
    for school, outcome in done:
        _say(out, f"{school.name}: {outcome_text(outcome)}.")
    _say(out, f"{len(done)} school/scholen met kanalen gecontroleerd.")
    return EXIT_OK


def _ensure_django(dev: bool | None) -> None:
    from django.apps import apps

    if apps.ready:
        return
    from plaatsbaar.cli.web import setup_django

    setup_django(dev if dev is not None else os.environ.get("PLAATSBAAR_DEV") == "1")


def _say(out: Console, text: str) -> None:
    out.print(text, markup=False, highlight=False)
