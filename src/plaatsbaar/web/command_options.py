"""Options shared by the web application's management commands (the scheduled mail jobs)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError


def add_today_option(parser) -> None:
    """``--today JJJJ-MM-DD``: act as if it were that day (default: today)."""
    parser.add_argument("--today", help="doen alsof het deze datum is (JJJJ-MM-DD); standaard vandaag")


def parse_today(value: str | None) -> date | None:
    """The ``--today`` value as a date (``None`` when not given); raises ``CommandError`` (Dutch) otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: {value!r} is geen datum (JJJJ-MM-DD)") from None
