"""``plaatsbaar import``: read an export of the student administration into the school's database.

The same service as the web page (:func:`plaatsbaar.web.imports.services.import_file`):
a dry run changes nothing; refused lines are listed with their line number.
"""

from __future__ import annotations

import getpass
import os
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

EXIT_OK = 0
EXIT_LINES_REFUSED = 1
EXIT_BAD_INPUT = 2


def run_import(
    path: Path,
    source: str,
    school_id: int,
    dry_run: bool,
    out: Console,
    *,
    school_year: str | None = None,
    dev: bool | None = None,
    today: date | None = None,
) -> int:
    """Import ``path`` (a CSV export of ``source``: parnassys, magister, somtoday …)
    into the school with id ``school_id`` and print the summary on ``out``.

    ``school_year`` defaults to the current one (from 1 August the next);
    ``dev`` chooses development settings when Django is not set up yet
    (default: ``PLAATSBAAR_DEV=1``). Returns the exit status: 0 when every
    line was imported, 1 when some lines were refused (the others are
    imported), 2 when nothing could be imported (unreadable file, unknown
    school or source, bad school year). Raises
    :class:`plaatsbaar.cli.web.WebConfigError` when the database cannot be used.
    """
    _ensure_django(dev)
    from plaatsbaar.web.imports import services
    from plaatsbaar.web.organisation.models import School

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _fail(out, f"{path} is niet te lezen ({exc.strerror or exc})")
    school = School.objects.filter(pk=school_id).first()
    if school is None:
        return _fail(out, f"er is geen school met id {school_id}")
    try:
        summary = services.import_file(
            data, school=school, source=source, school_year=school_year or services.current_school_year(today),
            actor=_actor(), dry_run=dry_run, today=today,
        )
    except services.ImportRefused as exc:
        return _fail(out, str(exc))
    print_summary(out, summary, school.name)
    if not summary.usable:
        return EXIT_BAD_INPUT
    return EXIT_LINES_REFUSED if summary.refused else EXIT_OK


def _ensure_django(dev: bool | None) -> None:
    from django.apps import apps

    if apps.ready:
        return
    from plaatsbaar.cli.web import setup_django

    setup_django(dev if dev is not None else os.environ.get("PLAATSBAAR_DEV") == "1")


def _actor() -> str:
    """The audit label of a command-line import."""
    try:
        return f"opdrachtregel ({getpass.getuser()})"
    except (KeyError, OSError):
        return "opdrachtregel"


def _fail(out: Console, message: str) -> int:
    out.print(f"Fout: {message}", markup=False, highlight=False)
    return EXIT_BAD_INPUT


def _say(out: Console, text: str) -> None:
    out.print(text, markup=False, highlight=False)


def print_summary(out: Console, summary, school_name: str) -> None:
    """Print an :class:`~plaatsbaar.web.imports.services.ImportSummary` in Dutch."""
    heading = "PROEFIMPORT — er is niets veranderd" if summary.dry_run else "Import voltooid"
    _say(out, f"{heading}: {summary.source_label} → {school_name}, schooljaar {summary.school_year}")
    if not summary.usable:
        _say(out, f"Het bestand kan niet worden ingelezen. {summary.file_refused}")
        return
    _say(out, f"{summary.lines} regels gelezen, {summary.imported_lines} ingelezen, {len(summary.refused)} geweigerd.")
    table = Table("soort", "nieuw", "gewijzigd", "ongewijzigd")
    for label, tally in summary.rows():
        table.add_row(label, str(tally.created), str(tally.updated), str(tally.unchanged))
    table.add_row("toestemmingen", str(summary.consent_recorded), "—", str(summary.consent_unchanged))
    out.print(table)
    if summary.consent_not_taken:
        _say(out, f"{summary.consent_not_taken} toestemmingsantwoorden niet overgenomen (zie de opmerkingen).")
    for warning in summary.warnings:
        _say(out, f"Let op: {warning}")
    _section(out, "Geweigerde regels", [str(p) for p in summary.problems()])
    _section(out, "Opmerkingen", [str(n) for n in summary.notices])
    _section(out, "Niet in bestand (niet verwijderd)", [f"{m.external_id} {m.name} ({m.group or 'geen groep'})" for m in summary.missing])


def _section(out: Console, title: str, items: list[str]) -> None:
    if not items:
        return
    _say(out, f"\n{title} ({len(items)}):")
    for item in items:
        _say(out, f"  {item}")
