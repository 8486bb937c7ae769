"""The readable Dutch report of a check, for a teacher or communication officer."""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.markup import escape

from plaatsbaar.core.checker import CheckResult
from plaatsbaar.core.fixes import Revision
from plaatsbaar.core.media.analysis import MediaReport
from plaatsbaar.core.protocol.model import Protocol
from plaatsbaar.core.vocabulary import Verdict

_STYLE = {Verdict.ALLOW: "bold green", Verdict.REVISE: "bold yellow", Verdict.REVIEW: "bold magenta", Verdict.BLOCK: "bold red"}
_ADVICE = {
    Verdict.ALLOW: "Niets in het protocol staat plaatsing in de weg.",
    Verdict.REVISE: "Plaatsbaar na de aanpassingen hieronder.",
    Verdict.REVIEW: "Overleg eerst met je leidinggevende (bij twijfel: niet plaatsen).",
    Verdict.BLOCK: "Het protocol verbiedt dit; geen aanpassing maakt het plaatsbaar.",
}
_QUOTE_CHARS = 320


def quote(text: str, limit: int = _QUOTE_CHARS) -> str:
    """An article's text, shortened at a word boundary to about ``limit`` characters."""
    return textwrap.shorten(text, width=limit, placeholder=" …")


def _media_line(report: MediaReport) -> str:
    if report.error:
        return f"{report.path}: {report.error}"
    parts = [f"{report.path} ({report.kind}): {report.faces} gezicht(en)"]
    if report.faces_to_blur:
        parts.append(f"{report.faces_to_blur} te vervagen")
    if report.people_without_consent:
        parts.append("geen toestemming: " + ", ".join(report.people_without_consent))
    return "; ".join(parts)


def print_report(console: Console, result: CheckResult, protocol: Protocol, source: str, revision: Revision | None) -> None:
    """Print the Dutch report: verdict, findings with article quote and fix, media, fixed files."""
    label = f"{source}" + (f" (bericht {result.post_id})" if result.post_id else "")
    console.print(f"[bold]plaatsbaar check[/] — {escape(label)}")
    console.print(f"Protocol: {escape(protocol.title)} ({escape(protocol.organisation)})")
    style = _STYLE[result.verdict]
    console.print(f"\nOordeel: [{style}]{result.verdict.dutch.upper()}[/] ({result.verdict.value}) — {_ADVICE[result.verdict]}")
    for number, finding in enumerate(result.findings, start=1):
        articles = ", ".join(finding.articles)
        console.print(f"\n{number}. [{_STYLE[finding.verdict]}]{finding.verdict.dutch}[/] — {escape(finding.title)} (artikel {articles})")
        console.print(f"   {escape(finding.message)}")
        for evidence in finding.evidence[:6]:
            console.print(f"   • {escape(evidence.label)}: “{escape(evidence.text)}”")
        if len(finding.evidence) > 6:
            console.print(f"   • … en {len(finding.evidence) - 6} meer")
        for article_id in finding.articles:
            console.print(f"   [dim]Artikel {article_id}: “{escape(quote(protocol.article(article_id).text))}”[/]")
        if finding.fix is not None:
            done = " (toegepast)" if finding.fix.applied else ""
            console.print(f"   Oplossing{done}: {escape(finding.fix.description)}")
    if result.media:
        console.print("\nMedia:")
        for report in result.media:
            console.print(f"   {escape(_media_line(report))}")
    if revision is not None:
        console.print("\nAangepaste versie:")
        if revision.text.strip():
            console.print(textwrap.indent(escape(revision.text), "   "))
        for path in revision.files:
            console.print(f"   geschreven: {escape(str(path))}")
