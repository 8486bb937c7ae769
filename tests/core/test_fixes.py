"""The revised text: redactions replace exactly the evidence, disclaimers are appended once."""

from __future__ import annotations

from plaatsbaar.core.findings import Evidence, Finding, Fix
from plaatsbaar.core.fixes import placeholder, redact, revise_text
from plaatsbaar.core.vocabulary import FixAction, Verdict

TEXT = "Sem uit groep 5 is jarig! Bel zijn moeder op 06-12345678."


def finding(action: FixAction, evidence=(), text=None) -> Finding:
    return Finding("r", ["A.2"], Verdict.REVISE, "m", "t", list(evidence), Fix(action, "d", text))


def span(label: str, needle: str, source: str = "text") -> Evidence:
    start = TEXT.index(needle)
    return Evidence(label, needle, start, start + len(needle), source)


def test_placeholders_are_short_and_dutch():
    assert placeholder("naam leerling") == "[naam]"
    assert placeholder("telefoonnummer") == "[telefoonnummer]"
    assert placeholder("bijzonder persoonsgegeven (gezondheid)") == "[bijzonder persoonsgegeven]"


def test_redaction_replaces_exactly_the_spans():
    fixes = [finding(FixAction.REDACT, [span("naam leerling", "Sem"), span("telefoonnummer", "06-12345678")])]
    assert revise_text(TEXT, fixes) == "[naam] uit groep 5 is jarig! Bel zijn moeder op [telefoonnummer]."
    assert fixes[0].fix.applied


def test_overlapping_spans_merge_into_the_first():
    spans = sorted([span("naam", "Sem uit"), span("naam leerling", "Sem")], key=lambda e: (e.start, -e.end))
    assert redact(TEXT, spans).startswith("[naam] groep 5")


def test_evidence_from_the_replied_message_is_not_redacted():
    fixes = [finding(FixAction.REDACT, [span("naam", "Sem", source="in_reply_to")])]
    assert revise_text(TEXT, fixes) == TEXT
    assert not fixes[0].fix.applied


def test_disclaimer_is_appended_once():
    disclaimer = "Dit is mijn persoonlijke mening."
    fixes = [finding(FixAction.APPEND_TEXT, text=disclaimer), finding(FixAction.APPEND_TEXT, text=disclaimer)]
    assert revise_text("Mooie dag op school.", fixes) == f"Mooie dag op school.\n\n{disclaimer}"


def test_advice_only_fixes_change_nothing():
    fixes = [finding(FixAction.CONSULT_MANAGER)]
    assert revise_text(TEXT, fixes) == TEXT and not fixes[0].fix.applied
