"""A school's people (names and roles), to sharpen personal-data detection.

CSV columns: ``name,role`` (role: pupil, parent, staff, manager, board, other;
Dutch leerling/ouder/medewerker also accepted). Every name on the roster is
matched case-insensitively in texts.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from plaatsbaar.core.vocabulary import Role

_DUTCH_ROLES = {
    "leerling": Role.PUPIL,
    "student": Role.PUPIL,
    "ouder": Role.PARENT,
    "verzorger": Role.PARENT,
    "medewerker": Role.STAFF,
    "leerkracht": Role.STAFF,
    "leidinggevende": Role.MANAGER,
    "directeur": Role.MANAGER,
    "bestuur": Role.BOARD,
}


class RosterError(ValueError):
    """A roster file that cannot be read; names the file and line."""


@dataclass(frozen=True)
class RosterEntry:
    """One person: full name as written, and role."""

    name: str
    role: Role


@dataclass
class Roster:
    """The people whose names must be found in texts."""

    entries: list[RosterEntry] = field(default_factory=list)

    def add(self, name: str, role: Role) -> None:
        """Add a person (blank names are ignored)."""
        if name.strip():
            self.entries.append(RosterEntry(" ".join(name.split()), role))


def _role(value: str, where: str) -> Role:
    value = value.strip().lower()
    if value in _DUTCH_ROLES:
        return _DUTCH_ROLES[value]
    try:
        return Role(value)
    except ValueError:
        raise RosterError(f"{where}, kolom role: onbekende rol {value!r}") from None


def load_roster(path: Path) -> Roster:
    """Read a roster CSV; raises :class:`RosterError` naming file and line."""
    roster = Roster()
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "name" not in reader.fieldnames or "role" not in reader.fieldnames:
                raise RosterError(f"{path}, regel 1: kolommen 'name' en 'role' zijn nodig")
            for row in reader:
                roster.add(row["name"] or "", _role(row["role"] or "", f"{path}, regel {reader.line_num}"))
    except FileNotFoundError:
        raise RosterError(f"{path}: bestand niet gevonden") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: kan bestand niet lezen ({exc.__class__.__name__})") from None
    return roster
