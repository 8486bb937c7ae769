"""Reading an export file: bytes → headings and rows with their line numbers.

Accepts UTF-8 (with or without BOM) and Windows-1252 (cp1252, what Excel
writes on Dutch Windows), ``;``, ``,`` or tab as delimiter (chosen by the
heading line). Anything else is refused with the line and the reason.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from plaatsbaar.web.imports.mappings import normalise_heading

MAX_BYTES = 5 * 1024 * 1024
DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "puntkomma (;)", ",": "komma (,)", "\t": "tab"}


@dataclass(frozen=True)
class LineProblem:
    """A refused or noteworthy line: ``line`` is the 1-based line number in the file."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.reason}"


class FileRefused(ValueError):
    """The file as a whole cannot be imported; ``problem`` says where and why."""

    def __init__(self, line: int, reason: str):
        self.problem = LineProblem(line, reason)
        super().__init__(str(self.problem))


@dataclass
class Table:
    """The heading line and the data rows (cells padded to the heading's width)."""

    headings: list[str]
    heading_line: int
    delimiter: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The text of an export; raises :class:`FileRefused` for empty, binary or undecodable files."""
    if len(data) > MAX_BYTES:
        raise FileRefused(1, f"het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise FileRefused(1, "het bestand is leeg")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(1, "dit is een Excel-bestand; sla het op als CSV (puntkomma- of kommagescheiden)")
    if b"\x00" in data:
        raise FileRefused(_line_of(data, data.index(b"\x00")), "geen tekstbestand (binaire inhoud); lever een CSV-bestand aan")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise FileRefused(_line_of(data, exc.start), "onleesbare tekens: het bestand is geen UTF-8 of Windows-1252") from None
    _refuse_control_characters(text)
    return text


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse_control_characters(text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in line):
            raise FileRefused(number, "onleesbare tekens (binaire inhoud?); lever een CSV-bestand aan")


def choose_delimiter(heading_line: str, known: set[str]) -> str:
    """The delimiter that splits the heading line into the most known headings
    (``known``: normalised headings), then into the most columns."""
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([heading_line], delimiter=delimiter), [])
        return sum(normalise_heading(c) in known for c in cells), len(cells)

    return max(DELIMITERS, key=score)


def read_table(text: str, known: set[str]) -> Table:
    """Split ``text`` into headings and rows; raises :class:`FileRefused` when
    there is no heading line or the CSV is broken. Rows with a wrong number of
    cells are listed in ``problems``; empty rows are skipped."""
    first = next((n for n, line in enumerate(text.splitlines(), start=1) if line.strip()), None)
    if first is None:
        raise FileRefused(1, "het bestand is leeg")
    delimiter = choose_delimiter(text.splitlines()[first - 1], known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    for start, end, cells in _rows_with_lines(reader):
        if not any(c.strip() for c in cells):
            continue
        if table is None:
            table = Table([c.strip() for c in cells], start, delimiter)
        else:
            _add_row(table, start, end, cells)
    if table is None:
        raise FileRefused(1, "het bestand is leeg")
    return table


def _rows_with_lines(reader) -> Iterable[tuple[int, int, list[str]]]:
    """Each row with the lines it starts and ends on; a CSV error becomes :class:`FileRefused`."""
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRefused(previous + 1, f"geen geldige CSV ({exc})") from None
        yield previous + 1, reader.line_num, cells
        previous = reader.line_num


def _add_row(table: Table, line: int, end: int, cells: list[str]) -> None:
    width = len(table.headings)
    if len(cells) >= width and not any(c.strip() for c in cells[width:]):
        table.rows.append((line, [c.strip() for c in cells[:width]]))
        return
    reason = (f"{len(cells)} velden in plaats van {width}; controleer het scheidingsteken "
              f"({DELIMITER_NAMES[table.delimiter]}) en de aanhalingstekens")
    if end > line:
        reason += f"; de regels {line} tot en met {end} zijn als één regel gelezen: wordt een aanhalingsteken (\") niet gesloten?"
    table.problems.append(LineProblem(line, reason))
