"""Validating the lines of an export: headings → columns, a row → :class:`PupilLine`.

Everything here is pure (no database); reasons are Dutch, for the person
who fixes the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from plaatsbaar.web.imports.mappings import GuardianColumns, SourceMapping, normalise_heading
from plaatsbaar.web.imports.reading import FileRefused

REQUIRED_LABELS = {
    "external_id": "leerlingnummer",
    "first_name": "roepnaam",
    "last_name": "achternaam",
    "date_of_birth": "geboortedatum",
    "group": "groep/klas",
}
MAX_LENGTHS = {"external_id": 50, "first_name": 100, "last_name": 150, "email": 254}
OLDEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class Column:
    """A column found in the file: its position and its heading as written."""

    index: int
    heading: str


@dataclass(frozen=True)
class Columns:
    """The columns of one file: pupil field → column, one dict per guardian slot, consent columns."""

    pupil: dict[str, Column]
    guardians: tuple[dict[str, Column], ...]
    consent: tuple[Column, ...]


@dataclass(frozen=True)
class GuardianLine:
    """A guardian as given on a line; ``relation`` is ouder/verzorger/voogd or '' (not given)."""

    slot: int
    external_id: str
    first_name: str
    last_name: str
    email: str
    relation: str


@dataclass(frozen=True)
class PupilLine:
    """One valid line: the pupil, the guardians and the raw consent cells (heading → value)."""

    line: int
    external_id: str
    first_name: str
    last_name: str
    date_of_birth: date
    group: str
    email: str
    guardians: tuple[GuardianLine, ...]
    consent_cells: dict[str, str]


def known_headings(mapping: SourceMapping) -> set[str]:
    """Every heading the mapping names, normalised (used to recognise the delimiter)."""
    groups = [mapping.pupil.model_dump(), *(g.model_dump() for g in mapping.guardians)]
    return {normalise_heading(h) for group in groups for headings in group.values() for h in headings}


def resolve_columns(mapping: SourceMapping, headings: list[str], heading_line: int) -> Columns:
    """Find each field's column; raises :class:`FileRefused` for a missing required
    column or a mapped heading that occurs twice."""
    positions: dict[str, list[int]] = {}
    for index, heading in enumerate(headings):
        positions.setdefault(normalise_heading(heading), []).append(index)

    def find(candidates: tuple[str, ...]) -> Column | None:
        for candidate in candidates:
            found = positions.get(normalise_heading(candidate), [])
            if len(found) > 1:
                raise FileRefused(heading_line, f"kolom '{headings[found[0]]}' staat {len(found)} keer in de kopregel")
            if found:
                return Column(found[0], headings[found[0]])
        return None

    missing = [h[0] for h in mapping.required_headings().values() if find(h) is None]
    if missing:
        raise FileRefused(heading_line, _missing_reason(missing, headings))
    pupil = {name: col for name, heads in mapping.pupil.model_dump().items() if (col := find(tuple(heads)))}
    guardians = tuple(_guardian_columns(slot, find) for slot in mapping.guardians)
    prefix = normalise_heading(mapping.consent_prefix)
    consent = tuple(Column(i, h) for i, h in enumerate(headings) if normalise_heading(h).startswith(prefix + " "))
    return Columns(pupil, guardians, consent)


def _guardian_columns(slot: GuardianColumns, find) -> dict[str, Column]:
    return {name: col for name, heads in slot.model_dump().items() if (col := find(tuple(heads)))}


def _missing_reason(missing: list[str], headings: list[str]) -> str:
    shown = ", ".join(f"'{h[:40]}'" for h in headings[:8]) + (" …" if len(headings) > 8 else "")
    reason = f"verplichte kolom ontbreekt: {', '.join(repr(m) for m in missing)}; gevonden kolommen: {shown}"
    if len(headings) == 1:
        reason += ". Het scheidingsteken is niet herkend: gebruik een puntkomma (;) of komma (,)"
    return reason


def parse_line(mapping: SourceMapping, columns: Columns, line: int, cells: list[str], today: date) -> PupilLine | list[str]:
    """The valid line, or the list of reasons (Dutch) why it is refused."""
    reasons: list[str] = []

    def cell(field: str) -> str:
        column = columns.pupil.get(field)
        return " ".join(cells[column.index].split()) if column else ""

    for field, label in REQUIRED_LABELS.items():
        if not cell(field):
            reasons.append(f"{label} ontbreekt")
    last_name = " ".join(p for p in (cell("prefix"), cell("last_name")) if p)
    values = {"external_id": cell("external_id"), "first_name": cell("first_name"), "last_name": last_name}
    reasons += [f"{REQUIRED_LABELS[f]} is te lang (hoogstens {MAX_LENGTHS[f]} tekens)" for f, v in values.items() if len(v) > MAX_LENGTHS[f]]
    born = _birth_date(cell("date_of_birth"), mapping.date_formats, today, reasons) if cell("date_of_birth") else None
    group = mapping.group_format.normalise(cell("group")) if cell("group") else None
    if cell("group") and group is None:
        reasons.append(f"onbekende groepsindeling '{cell('group')[:40]}' (verwacht bijv. {mapping.group_format.example})")
    email = _email(cell("email"), columns.pupil.get("email"), reasons)
    guardians = tuple(g for slot, cols in enumerate(columns.guardians, start=1) if (g := _guardian(slot, cols, cells, reasons)))
    if reasons:
        return reasons
    consent_cells = {c.heading: cells[c.index].strip() for c in columns.consent if cells[c.index].strip()}
    return PupilLine(line, values["external_id"], values["first_name"], last_name, born, group, email, guardians, consent_cells)


def _birth_date(value: str, formats: tuple[str, ...], today: date, reasons: list[str]) -> date | None:
    for form in formats:
        try:
            born = datetime.strptime(value, form).date()
        except ValueError:
            continue
        if born > today:
            reasons.append(f"geboortedatum {value} ligt in de toekomst")
        elif born.year < OLDEST_BIRTH_YEAR:
            reasons.append(f"geboortedatum {value} is niet mogelijk")
        else:
            return born
        return None
    reasons.append(f"ongeldige geboortedatum '{value[:20]}' (verwacht dd-mm-jjjj)")
    return None


def _email(value: str, column: Column | None, reasons: list[str]) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        reasons.append(f"ongeldig e-mailadres '{value[:60]}' in kolom '{column.heading}'")
        return ""
    if len(value) > MAX_LENGTHS["email"]:
        reasons.append(f"e-mailadres in kolom '{column.heading}' is te lang")
    return value


def _guardian(slot: int, cols: dict[str, Column], cells: list[str], reasons: list[str]) -> GuardianLine | None:
    """The guardian of one slot, ``None`` when the slot is empty (reasons appended when invalid)."""
    raw = {name: " ".join(cells[col.index].split()) for name, col in cols.items()}
    if not any(raw.values()):
        return None
    if "name" in raw:
        first, last = split_full_name(raw["name"])
    else:
        first, last = raw.get("first_name", ""), " ".join(p for p in (raw.get("prefix", ""), raw.get("last_name", "")) if p)
    if not last:
        reasons.append(f"naam van verzorger {slot} ontbreekt")
        return None
    if len(first) > MAX_LENGTHS["first_name"] or len(last) > MAX_LENGTHS["last_name"]:
        reasons.append(f"naam van verzorger {slot} is te lang")
    if len(raw.get("external_id", "")) > MAX_LENGTHS["external_id"]:
        reasons.append(f"nummer van verzorger {slot} is te lang")
    email = _email(raw.get("email", ""), cols.get("email"), reasons)
    return GuardianLine(slot, raw.get("external_id", ""), first, last, email, relation_of(raw.get("relation", "")))


def split_full_name(name: str) -> tuple[str, str]:
    """'Anne de Vries' → ('Anne', 'de Vries'); 'Vries, Anne de' → ('Anne de', 'Vries');
    a single word is the last name."""
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return first, last
    first, _, last = name.partition(" ")
    return (first, last) if last else ("", first)


def relation_of(value: str) -> str:
    """'Vader'/'Moeder'/'Ouder' → ouder, anything with 'voogd' → voogd, other text → verzorger, '' → ''."""
    word = value.strip().casefold()
    if not word:
        return ""
    if "voogd" in word:
        return "voogd"
    return "ouder" if word in {"vader", "moeder", "ouder"} else "verzorger"
