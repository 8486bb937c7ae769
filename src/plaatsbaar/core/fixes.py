"""Apply the fixes a check asks for: redact text spans, append text, blur media."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plaatsbaar.core.findings import Evidence, Finding
from plaatsbaar.core.media.analysis import MediaReport, write_fixed_media
from plaatsbaar.core.vocabulary import FixAction


@dataclass
class Revision:
    """What ``apply_fixes`` produced: the revised text and the written files."""

    text: str
    files: list[Path] = field(default_factory=list)


def placeholder(label: str) -> str:
    """The text that replaces a redacted span: ``[naam]``, ``[telefoonnummer]`` …"""
    word = "naam" if label.startswith("naam") else label.split(" (")[0]
    return f"[{word}]"


def _spans(findings: list[Finding]) -> list[Evidence]:
    spans = [
        e
        for f in findings
        if f.fix is not None and f.fix.action is FixAction.REDACT
        for e in f.evidence
        if e.source == "text" and e.start is not None and e.end is not None
    ]
    return sorted(spans, key=lambda e: (e.start, -(e.end or 0)))


def redact(text: str, spans: list[Evidence]) -> str:
    """``text`` with each span replaced by its placeholder; overlapping spans merge.

    ``spans`` must be sorted by start; offsets are character offsets into ``text``.
    """
    pieces, cursor = [], 0
    for span in spans:
        if span.start < cursor:  # overlaps a span already replaced
            continue
        pieces += [text[cursor : span.start], placeholder(span.label)]
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def revise_text(text: str, findings: list[Finding]) -> str:
    """The text after every ``redact`` and ``append_text`` fix; marks them applied."""
    revised = redact(text, _spans(findings))
    appended: list[str] = []
    for finding in findings:
        fix = finding.fix
        if fix is None:
            continue
        if fix.action is FixAction.REDACT and any(e.source == "text" and e.start is not None for e in finding.evidence):
            fix.applied = True
        elif fix.action is FixAction.APPEND_TEXT and fix.text:
            if fix.text not in appended:
                appended.append(fix.text)
            fix.applied = True
    return "\n\n".join([revised.rstrip(), *appended]) if appended else revised


def blur_media(reports: list[MediaReport], findings: list[Finding], base_dir: Path, out_dir: Path) -> list[Path]:
    """Write blurred copies of media with faces to blur; marks ``blur_faces`` fixes applied.

    Raises ``MediaError`` when a file cannot be read or written.
    """
    wanted = [f for f in findings if f.fix is not None and f.fix.action is FixAction.BLUR_FACES]
    if not wanted:
        return []
    written = [write_fixed_media(r, base_dir, out_dir) for r in reports if r.faces_to_blur > 0 or r.boxes_to_blur]
    for finding in wanted:
        finding.fix.applied = True
    return written


def apply_fixes(
    text: str, reports: list[MediaReport], findings: list[Finding], base_dir: Path, out_dir: Path, stem: str
) -> Revision:
    """Write ``<stem>.txt`` (revised text) and blurred media into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    revised = revise_text(text, findings)
    files = blur_media(reports, findings, base_dir, out_dir)
    if text.strip():
        target = out_dir / f"{stem}.txt"
        target.write_text(revised + "\n", encoding="utf-8")
        files.insert(0, target)
    return Revision(revised, files)
