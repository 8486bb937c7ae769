"""Column mappings of the student administrations' CSV exports, as data.

A :class:`SourceMapping` says, for one source (ParnasSys, Magister, Somtoday),
which column headings of its export carry which field of plaatsbaar, how
dates and group names are written and which columns hold consent. The
headings below follow the usual exports; they could not be checked against
every school's export, so a school can change them without touching code:
put a YAML file per source (same keys as the dictionaries below) in the
directory named by the environment variable ``PLAATSBAAR_IMPORT_MAPPINGS``.
A file whose ``source`` is ``parnassys`` replaces the built-in ParnasSys
mapping; another ``source`` adds a choice.

Headings are compared case-insensitively with runs of spaces collapsed;
columns that no mapping names (BSN, address, …) are ignored and never stored.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from plaatsbaar.core.vocabulary import MediaKind

MAPPINGS_ENV = "PLAATSBAAR_IMPORT_MAPPINGS"
DUTCH_DATES = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


class MappingError(ValueError):
    """A mapping file that cannot be used: names the file and the field."""


def normalise_heading(text: str) -> str:
    """A heading as compared: without BOM and outer quotes, lower case, single spaces."""
    return " ".join(text.replace("\ufeff", "").strip().strip('"').split()).casefold()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Headings = tuple[str, ...]


class PupilColumns(_Strict):
    """Headings per pupil field; the first heading of each is the usual one (shown in the docs)."""

    external_id: Headings
    first_name: Headings
    prefix: Headings = ()
    last_name: Headings
    date_of_birth: Headings
    group: Headings
    email: Headings = ()


class GuardianColumns(_Strict):
    """Headings of one guardian slot ("verzorger 1"): a full ``name`` or first/prefix/last name."""

    external_id: Headings = ()
    name: Headings = ()
    first_name: Headings = ()
    prefix: Headings = ()
    last_name: Headings = ()
    email: Headings = ()
    relation: Headings = ()

    @model_validator(mode="after")
    def _has_a_name(self) -> "GuardianColumns":
        if not (self.name or self.last_name):
            raise ValueError("een verzorger heeft een kolom 'name' of 'last_name' nodig")
        return self


class GroupFormat(_Strict):
    """How a group (class) is written: ``pattern`` must match the whole value
    (case-insensitive; spaces around '/' removed), ``template`` builds our name
    from its named parts, ``lowercase`` lowers the result, ``example`` is shown
    when a value does not match."""

    pattern: str
    template: str
    example: str
    lowercase: bool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"ongeldige reguliere expressie: {exc}") from None
        return value

    @model_validator(mode="after")
    def _template_uses_parts(self) -> "GroupFormat":
        parts = set(re.compile(self.pattern).groupindex)
        used = set(re.findall(r"{(\w+)}", self.template))
        if not used or not used <= parts:
            raise ValueError(f"template gebruikt {sorted(used)}, het patroon levert {sorted(parts)}")
        return self

    def normalise(self, value: str) -> str | None:
        """Our group name for ``value``, or ``None`` when it is not written this way."""
        compact = re.sub(r"\s*/\s*", "/", " ".join(value.split()))
        match = re.fullmatch(self.pattern, compact, flags=re.IGNORECASE)
        if match is None:
            return None
        parts = {key: part or "" for key, part in match.groupdict().items()}
        name = " ".join(self.template.format(**parts).split())
        return name.lower() if self.lowercase else name


class SourceMapping(_Strict):
    """The whole mapping of one source's export.

    ``consent_prefix`` starts every consent column ("Toestemming website");
    the rest of the heading names a consent category of the school (its code
    or its label), or is one of ``general_consent`` ("beeldmateriaal"), a
    column for all categories at once. Answers hold for ``consent_media``.
    """

    source: str
    label: str
    pupil: PupilColumns
    guardians: tuple[GuardianColumns, ...]
    group_format: GroupFormat
    date_formats: tuple[str, ...] = DUTCH_DATES
    consent_prefix: str = "Toestemming "
    general_consent: tuple[str, ...] = ("beeldmateriaal",)
    consent_media: tuple[MediaKind, ...] = (MediaKind.PHOTO, MediaKind.VIDEO)

    @field_validator("source")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_-]{1,30}", value):
            raise ValueError("alleen kleine letters, cijfers, '-' en '_'")
        return value

    def required_headings(self) -> dict[str, Headings]:
        """Field → accepted headings, for the fields every line needs."""
        p = self.pupil
        return {"external_id": p.external_id, "first_name": p.first_name, "last_name": p.last_name,
                "date_of_birth": p.date_of_birth, "group": p.group}


    def describe(self) -> list[tuple[str, str, bool]]:
        """(Dutch field label, usual heading, required) per column, for the page and the docs."""
        rows = [(PUPIL_LABELS[name], heads[0], name in self.required_headings())
                for name, heads in self.pupil.model_dump().items() if heads]
        for slot, guardian in enumerate(self.guardians, start=1):
            rows += [(f"verzorger {slot}: {GUARDIAN_LABELS[name]}", heads[0], False)
                     for name, heads in guardian.model_dump().items() if heads]
        rows.append(("toestemming per categorie (ja/nee)", f"{self.consent_prefix}<code of naam van de categorie>", False))
        return rows


PUPIL_LABELS = {"external_id": "leerlingnummer", "first_name": "roepnaam", "prefix": "tussenvoegsel",
                "last_name": "achternaam", "date_of_birth": "geboortedatum", "group": "groep/klas", "email": "e-mail leerling (16+)"}
GUARDIAN_LABELS = {"external_id": "nummer", "name": "naam", "first_name": "roepnaam", "prefix": "tussenvoegsel",
                   "last_name": "achternaam", "email": "e-mail", "relation": "relatie"}

PRIMARY_GROUPS = {
    "pattern": r"(?:groep\s*)?(?P<year>[1-8](?:/[1-8])?)\s*(?P<letter>[a-z]?)",
    "template": "groep {year}{letter}",
    "example": "'5', '5a', 'groep 7' of '1/2'",
    "lowercase": True,
}
SECONDARY_CLASSES = {
    "pattern": r"(?P<name>[0-9a-z][0-9a-z .\-/]{0,29})",
    "template": "{name}",
    "example": "'1A', 'H4b' of 'Zorg 2B' (letters, cijfers, spatie, '-', '.', '/'; hoogstens 30 tekens)",
}


def _guardian_slot(n: int, **headings: list[str]) -> dict:
    return {key: [h.format(n=n) for h in value] for key, value in headings.items()}


BUILTIN: dict[str, dict] = {
    "parnassys": {
        "source": "parnassys",
        "label": "ParnasSys",
        "pupil": {
            "external_id": ["Leerlingnummer"],
            "first_name": ["Roepnaam"],
            "prefix": ["Tussenvoegsel", "Tussenvoegsels"],
            "last_name": ["Achternaam"],
            "date_of_birth": ["Geboortedatum"],
            "group": ["Groep"],
            "email": ["E-mail leerling"],
        },
        "guardians": [
            _guardian_slot(n, name=["Naam verzorger {n}"], email=["E-mail verzorger {n}", "Email verzorger {n}"],
                           relation=["Relatie verzorger {n}"])
            for n in (1, 2)
        ],
        "group_format": PRIMARY_GROUPS,
    },
    "magister": {
        "source": "magister",
        "label": "Magister",
        "pupil": {
            "external_id": ["Stamnummer", "Stamnr"],
            "first_name": ["Roepnaam"],
            "prefix": ["Voorvoegsel", "Tussenvoegsel"],
            "last_name": ["Achternaam"],
            "date_of_birth": ["Geboortedatum"],
            "group": ["Klas"],
            "email": ["E-mail leerling", "E-mailadres leerling"],
        },
        "guardians": [
            _guardian_slot(n, name=["Ouder/verzorger {n} naam"], email=["Ouder/verzorger {n} e-mail"],
                           relation=["Ouder/verzorger {n} relatie"])
            for n in (1, 2)
        ],
        "group_format": SECONDARY_CLASSES,
    },
    "somtoday": {
        "source": "somtoday",
        "label": "Somtoday",
        "pupil": {
            "external_id": ["Leerlingnummer"],
            "first_name": ["Roepnaam"],
            "prefix": ["Voorvoegsel", "Tussenvoegsel"],
            "last_name": ["Achternaam"],
            "date_of_birth": ["Geboortedatum"],
            "group": ["Stamgroep"],
            "email": ["E-mailadres leerling", "E-mail leerling"],
        },
        "guardians": [
            _guardian_slot(n, external_id=["Verzorger {n} nummer"], first_name=["Verzorger {n} roepnaam"],
                           prefix=["Verzorger {n} voorvoegsel"], last_name=["Verzorger {n} achternaam"],
                           email=["Verzorger {n} e-mailadres"], relation=["Verzorger {n} relatie"])
            for n in (1, 2)
        ],
        "group_format": SECONDARY_CLASSES,
    },
}


def _parse(data: object, origin: str) -> SourceMapping:
    try:
        return SourceMapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'bestand'}: {e['msg']}" for e in exc.errors())
        raise MappingError(f"kolomindeling {origin} is ongeldig: {problems}") from None


def load_mapping_file(path: Path) -> SourceMapping:
    """Read one mapping from YAML; raises :class:`MappingError` naming file and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MappingError(f"kolomindeling {path} is niet te lezen: {exc}") from None
    return _parse(data, str(path))


def available_mappings() -> dict[str, SourceMapping]:
    """Source id → mapping: the built-in ones, replaced or extended by the YAML
    files (``*.yaml``) in ``$PLAATSBAAR_IMPORT_MAPPINGS`` when set.

    Raises :class:`MappingError` for a broken file or a directory that does not exist.
    """
    mappings = {source: _parse(data, source) for source, data in BUILTIN.items()}
    directory = os.environ.get(MAPPINGS_ENV)
    if directory:
        folder = Path(directory)
        if not folder.is_dir():
            raise MappingError(f"{MAPPINGS_ENV}={directory}: deze map bestaat niet")
        for path in sorted(folder.glob("*.yaml")):
            mapping = load_mapping_file(path)
            mappings[mapping.source] = mapping
    return mappings


def get_mapping(source: str) -> SourceMapping:
    """The mapping of ``source``; raises :class:`MappingError` for an unknown source."""
    mappings = available_mappings()
    if source not in mappings:
        raise MappingError(f"onbekende bron {source!r}; kies uit: {', '.join(sorted(mappings))}")
    return mappings[source]
