"""Consent per person, channel and media kind (AVG art. 6/7), from a CSV file.

Columns: ``person_id,channel,media,consent``. ``channel`` is a channel id or
``*``; ``media`` is photo, video, audio or ``*``; ``consent`` is yes/no
(ja/nee, true/false, 1/0 also accepted). The most specific row wins: an exact
channel beats ``*`` and, at equal channel, an exact media kind beats ``*``.
No row means no consent.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from plaatsbaar.core.vocabulary import Channel, MediaKind

_YES = {"yes", "ja", "j", "y", "true", "1"}
_NO = {"no", "nee", "n", "false", "0"}
_COLUMNS = ("person_id", "channel", "media", "consent")


class ConsentError(ValueError):
    """A consent file that cannot be read; names the file and line."""


@dataclass
class ConsentRegistry:
    """Answers: may this person be shown on this channel in this kind of media?"""

    _rows: dict[tuple[str, str, str], bool] = field(default_factory=dict)

    def record(self, person_id: str, channel: str, media: str, consent: bool) -> None:
        """Record one answer; ``channel``/``media`` may be ``*``."""
        self._rows[(person_id, channel, media)] = consent

    def allows(self, person_id: str, channel: Channel, media: MediaKind) -> bool:
        """True only when the most specific matching row says yes."""
        for key in (
            (person_id, channel.value, media.value),
            (person_id, channel.value, "*"),
            (person_id, "*", media.value),
            (person_id, "*", "*"),
        ):
            if key in self._rows:
                return self._rows[key]
        return False

    def __len__(self) -> int:
        return len(self._rows)


def _parse_answer(value: str, where: str) -> bool:
    answer = value.strip().lower()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise ConsentError(f"{where}, kolom consent: {value!r} is geen ja/nee")


def _check_choice(value: str, allowed: set[str], column: str, where: str) -> str:
    value = value.strip().lower()
    if value not in allowed:
        raise ConsentError(f"{where}, kolom {column}: onbekende waarde {value!r}; kies uit {', '.join(sorted(allowed))}")
    return value


def load_consent(path: Path) -> ConsentRegistry:
    """Read a consent CSV; raises :class:`ConsentError` naming file and line."""
    registry = ConsentRegistry()
    channels = {c.value for c in Channel} | {"*"}
    kinds = {k.value for k in MediaKind} | {"*"}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ConsentError(f"{path}, regel 1: kolommen ontbreken: {', '.join(missing)}")
            for row in reader:
                where = f"{path}, regel {reader.line_num}"
                person = (row["person_id"] or "").strip()
                if not person:
                    raise ConsentError(f"{where}, kolom person_id: leeg")
                registry.record(
                    person,
                    _check_choice(row["channel"] or "", channels, "channel", where),
                    _check_choice(row["media"] or "", kinds, "media", where),
                    _parse_answer(row["consent"] or "", where),
                )
    except FileNotFoundError:
        raise ConsentError(f"{path}: bestand niet gevonden") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConsentError(f"{path}: kan bestand niet lezen ({exc.__class__.__name__})") from None
    return registry
