"""The ``plaatsbaar`` command line.

Exit status of ``check``: 0 when every post is allowed, 1 when any post gets
another verdict, 2 for bad input (missing file, broken JSON, unknown channel,
unreadable media …), which is reported in plain words, never as a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from datetime import date
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console
from rich.table import Table

from plaatsbaar.cli import batch, importer, reminders as round_reminders, web
from plaatsbaar.cli.web import WebConfigError
from plaatsbaar.core.consent import ConsentError, ConsentRegistry, load_consent
from plaatsbaar.core.media.io import MediaError
from plaatsbaar.core.post import PostError
from plaatsbaar.core.protocol.loader import ProtocolError, builtin_protocol_ids, get_protocol, load_protocol
from plaatsbaar.core.roster import RosterError, load_roster
from plaatsbaar.core.vocabulary import FACTS

INPUT_ERRORS = (PostError, ConsentError, RosterError, ProtocolError, MediaError, WebConfigError)
EXIT_BAD_INPUT = 2

app = typer.Typer(
    help="plaatsbaar: toets een bericht aan het sociale-mediaprotocol van de school.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
protocol_app = typer.Typer(help="Protocollen tonen en controleren.", no_args_is_help=True)
app.add_typer(protocol_app, name="protocol")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def reports_errors(command: Callable) -> Callable:
    """Turn bad input into a clear message and exit status 2 (never a traceback)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except INPUT_ERRORS as exc:
            err.print(f"[red]Fout:[/] {exc}", markup=True, highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except KeyboardInterrupt:
            err.print("Afgebroken.")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the user's data untouched
            err.print(f"[red]Interne fout[/] ({exc.__class__.__name__}: {exc}). Meld dit bij de beheerder van plaatsbaar.")
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper


def _announce(message: str) -> None:
    err.print(f"[dim]{message}[/]")


@app.command()
@reports_errors
def check(
    post: Path = typer.Argument(..., help="Bericht als .json, of een reeks berichten als .jsonl (één per regel)."),
    protocol: str = typer.Option(..., "--protocol", "-p", help="Protocol-id (zie 'plaatsbaar protocols') of een eigen .yaml."),
    consent: Optional[Path] = typer.Option(None, help="CSV met toestemmingen: person_id,channel,media,consent."),
    roster: Optional[Path] = typer.Option(None, help="CSV met namen en rollen van de school: name,role."),
    format: str = typer.Option("", "--format", "-f", help="text, json of jsonl (standaard: text; jsonl bij een .jsonl-bestand)."),
    fix: Optional[Path] = typer.Option(None, "--fix", help="Map waarin de aangepaste tekst en vervaagde media komen."),
) -> None:
    """Toets een concept (bericht, reactie, privébericht of connectieverzoek) aan het protocol."""
    chosen = format or ("jsonl" if post.suffix == ".jsonl" else "text")
    if chosen not in ("text", "json", "jsonl"):
        raise PostError(f"--format: onbekend formaat {chosen!r}; kies text, json of jsonl")
    options = batch.CheckOptions(
        protocol=get_protocol(protocol),
        consent=load_consent(consent) if consent else ConsentRegistry(),
        roster=load_roster(roster) if roster else None,
        output_format=chosen,
        fix_dir=fix,
    )
    status = batch.run(post, options, out, err, _announce)
    raise typer.Exit(status)


@app.command()
@reports_errors
def blur(
    media: Path = typer.Argument(..., help="Foto of video."),
    output: Path = typer.Option(..., "--output", "-o", help="Waar de vervaagde versie komt."),
) -> None:
    """Vervaag elk gezicht in een foto of video."""
    summary = batch.blur_file(media, output, err)
    out.print(f"{summary} → {output}")


@app.command()
@reports_errors
def protocols() -> None:
    """Toon de meegeleverde protocollen."""
    table = Table()
    table.add_column("id", no_wrap=True)
    for heading in ("organisatie", "soort", "artikelen", "regels"):
        table.add_column(heading)
    for protocol_id in builtin_protocol_ids():
        item = get_protocol(protocol_id)
        table.add_row(item.id, item.organisation, item.kind_of_school, str(len(item.articles)), str(len(item.rules)))
    out.print(table)


@protocol_app.command("show")
@reports_errors
def protocol_show(
    protocol_id: str = typer.Argument(..., help="Protocol-id of pad naar een .yaml."),
    format: str = typer.Option("text", "--format", "-f", help="text of json."),
) -> None:
    """Toon een protocol: artikelen (letterlijk) en de regels die eruit volgen."""
    item = get_protocol(protocol_id)
    if format == "json":
        sys.stdout.write(json.dumps(item.model_dump(mode="json", by_alias=True, exclude_none=True), ensure_ascii=False, indent=2) + "\n")
        return
    if format != "text":
        raise PostError(f"--format: onbekend formaat {format!r}; kies text of json")
    batch.print_protocol(out, item)


@protocol_app.command("validate")
@reports_errors
def protocol_validate(path: Path = typer.Argument(..., help="Het protocolbestand (.yaml) van de school.")) -> None:
    """Controleer een eigen protocolbestand."""
    item = load_protocol(path)
    informative = sum(1 for a in item.articles if a.informative)
    out.print(f"{path}: geldig — {len(item.articles)} artikelen ({informative} informatief), {len(item.rules)} regels.")


@protocol_app.command("facts")
def protocol_facts() -> None:
    """Toon de feiten die regels in een protocol mogen gebruiken."""
    table = Table("feit", "soort", "betekenis")
    for spec in FACTS.values():
        kind = spec.kind + (f" ({', '.join(spec.choices)})" if spec.choices else "")
        table.add_row(spec.name, kind, spec.meaning)
    out.print(table)


@app.command()
@reports_errors
def prepare() -> None:
    """Bouw de opzoeklijsten van deduce en laad het gezichtsmodel vooraf (eenmalig)."""
    from plaatsbaar.core.detectors.deduce_engine import prepare as prepare_deduce
    from plaatsbaar.core.detectors.faces import get_face_detector

    prepare_deduce(_announce)
    get_face_detector()
    out.print("Klaar: deduce en het gezichtsmodel zijn gereed.")


@app.command()
@reports_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Adres om op te luisteren."),
    port: int = typer.Option(8000, help="Poort."),
    dev: bool = typer.Option(False, "--dev", help="Ontwikkelmodus: DEBUG aan, geen geheime sleutel nodig."),
) -> None:
    """Start de webapplicatie van de school (SQLite, of PostgreSQL via DATABASE_URL)."""
    web.serve(host, port, dev, out)


@app.command()
@reports_errors
def demo(dev: bool = typer.Option(True, "--dev/--production", help="Ontwikkelinstellingen gebruiken.")) -> None:
    """Vul de database met een demobestuur (2 scholen, 60 leerlingen) en toon de inloggegevens."""
    web.demo(dev, out)


@app.command("import")
@reports_errors
def import_(
    file: Path = typer.Argument(..., help="CSV-export van de leerlingadministratie."),
    source: str = typer.Option(..., "--source", help="parnassys, magister of somtoday (of een eigen indeling)."),
    school: int = typer.Option(..., "--school", help="Id van de school in plaatsbaar."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Proefimport: toon wat er zou veranderen, verander niets."),
    school_year: Optional[str] = typer.Option(None, "--school-year", help="Schooljaar van de groepen, bijv. 2026-2027 (standaard het lopende)."),
    dev: bool = typer.Option(False, "--dev", help="Ontwikkelinstellingen (de database van 'plaatsbaar serve --dev')."),
) -> None:
    """Lees leerlingen, groepen, ouders en toestemmingen in uit ParnasSys, Magister of Somtoday."""
    raise typer.Exit(importer.run_import(file, source, school, dry_run, out, school_year=school_year, dev=dev or None))


@app.command()
@reports_errors
def reminders(
    today: Optional[str] = typer.Option(None, "--today", help="Doen alsof het deze datum is (JJJJ-MM-DD); standaard vandaag."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Adres van de site in de links (standaard PLAATSBAAR_BASE_URL)."),
    dev: bool = typer.Option(False, "--dev", help="Ontwikkelinstellingen (de database van 'plaatsbaar serve --dev')."),
) -> None:
    """Verstuur de herinneringen van de open toestemmingsrondes (en uitnodigingen die nog niet weg zijn)."""
    day = _iso_day("--today", today)
    raise typer.Exit(round_reminders.run_reminders(out, today=day, site=base_url, dev=dev or None))


@app.command("freshness-warnings")
@reports_errors
def freshness_warnings(
    today: Optional[str] = typer.Option(None, "--today", help="Doen alsof het deze datum is (JJJJ-MM-DD); standaard vandaag."),
    dev: bool = typer.Option(False, "--dev", help="Ontwikkelinstellingen (de database van 'plaatsbaar serve --dev')."),
) -> None:
    """Mail de communicatiemedewerkers over kanalen die te lang stil zijn (hooguit één keer per week)."""
    day = _iso_day("--today", today)
    raise typer.Exit(round_reminders.run_freshness_warnings(out, today=day, dev=dev or None))


def _iso_day(option: str, value: Optional[str]) -> Optional[date]:
    """A JJJJ-MM-DD option as a date (``None`` when not given); raises ``PostError`` (Dutch) otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PostError(f"{option}: {value!r} is geen datum; schrijf hem als JJJJ-MM-DD") from None


def main() -> None:
    """Console-script entry point."""
    app()
