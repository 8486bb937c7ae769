"""Dutch personal data in school texts: the ``personal_data.*`` facts.

Built on deduce (the one shared instance of ``deduce_engine``) and tuned for
what teachers, parents and pupils write:

- names of pupils, parents and staff (``personal_names``): also lowercase
  first names in a school context ("juf daan", "sem uit groep 5") and every
  name on the school's roster, case-insensitively; the organisation's own
  names are no person;
- addresses (street + number, postcode; a city alone is none), phone numbers,
  e-mail on any top-level domain, BSNs with a valid elfproef, birth dates (a
  date, also "3 maart", next to "geboren"/"jarig"; a school trip's date is
  none), ages ("Sem wordt 8 jaar"; never "groep 5");
- special categories (AVG art. 9: health, religion, origin …) from
  ``lexicons/special_categories.yaml``.

Each occurrence is one :class:`Evidence` whose ``start``/``end`` are exact
character offsets into the text (the ``redact`` fix removes them).
"""

from __future__ import annotations

from typing import Sequence

from plaatsbaar.core.detectors.deduce_engine import get_deduce, skipped_processors
from plaatsbaar.core.detectors.personal_details import DeduceSpan, DetailFinder, Span
from plaatsbaar.core.detectors.personal_lexicons import TextView, school_terms, special_categories
from plaatsbaar.core.detectors.personal_names import NameFinder, NameLists, NameMatch
from plaatsbaar.core.findings import Evidence, Fact
from plaatsbaar.core.roster import Roster
from plaatsbaar.core.vocabulary import Role

_NAME_LABELS = {Role.PUPIL: "naam leerling", Role.PARENT: "naam ouder", Role.STAFF: "naam medewerker", None: "naam"}
_ROLE_FACTS = {
    Role.PUPIL: "personal_data.pupil_name",
    Role.PARENT: "personal_data.parent_name",
    Role.STAFF: "personal_data.staff_name",
}
_CONTACT_FACTS = ("address", "phone", "email", "bsn", "birth_date")
_DETAIL_FACTS = {key: f"personal_data.{key}" for key in (*_CONTACT_FACTS, "age", "special_category")}


class PersonalDataDetector:
    """Finds Dutch personal data in a text; build once, call :meth:`detect` per text.

    ``roster``: the school's people; every pupil's and staff member's name
    (full and first name) and every full name on it is found
    case-insensitively, with the roster's role. ``ignore``: names that are no
    person (the organisation: "Lucas Onderwijs", "De Tjongerschool").

    Loads deduce (shared, ~10 s, 1-2 minutes the very first time) on
    construction; call ``deduce_engine.get_deduce(announce)`` first to tell
    the user. Raises ``personal_lexicons.LexiconError`` for a broken lexicon.
    """

    def __init__(self, roster: Roster | None = None, ignore: Sequence[str] = ()):
        self._deduce = get_deduce()
        terms = school_terms()
        self._names = NameFinder(terms, NameLists(self._deduce.lookup_structs), roster, ignore)
        self._details = DetailFinder(terms, special_categories())

    def detect(self, text: str) -> list[Fact]:
        """The ``personal_data.*`` facts of ``text`` that have at least one occurrence.

        Every fact is a count with one Evidence per occurrence; ``person_name``
        holds all names (pupils, parents, staff and unknown) and ``contact``
        all addresses, phone numbers, e-mail addresses, BSNs and birth dates.
        """
        if not text.strip():
            return []
        annotations, view = self._annotate(text), TextView(text)
        found = self._contact(view, annotations)
        names = [n for n in self._names.find(view, _persons(annotations)) if not _inside_any(n, found["email"])]
        found["age"] = self._details.ages(view, annotations, [(n.start, n.end) for n in names])
        found["special_category"] = self._details.special_categories(view)
        return _name_facts(text, names) + _detail_facts(text, found)

    def _annotate(self, text: str) -> list[DeduceSpan]:
        document = self._deduce.deidentify(text, disabled=skipped_processors(text))
        return [(a.tag, a.start_char, a.end_char) for a in document.annotations]

    def _contact(self, view: TextView, annotations: list[DeduceSpan]) -> dict[str, list[Span]]:
        details = self._details
        return {
            "address": details.addresses(view, annotations),
            "phone": details.phones(view, annotations),
            "email": details.emails(view, annotations),
            "bsn": details.bsns(view, annotations),
            "birth_date": details.birth_dates(view, annotations),
        }


def _persons(annotations: list[DeduceSpan]) -> list[tuple[int, int]]:
    return [(start, end) for tag, start, end in annotations if tag == "persoon"]


def _inside_any(name: NameMatch, spans: list[Span]) -> bool:
    """True when the name lies within one of ``spans`` ("daan" in daan@school.nl)."""
    return any(s.start <= name.start and name.end <= s.end for s in spans)


def _evidence(text: str, label: str, start: int, end: int) -> Evidence:
    return Evidence(label=label, text=text[start:end], start=start, end=end)


def _count(name: str, evidence: list[Evidence]) -> list[Fact]:
    return [Fact(name, len(evidence), evidence)] if evidence else []


def _name_facts(text: str, names: list[NameMatch]) -> list[Fact]:
    if not names:
        return []
    evidence = [(n.role, _evidence(text, _NAME_LABELS[n.role], n.start, n.end)) for n in names]
    facts = [f for role, name in _ROLE_FACTS.items() for f in _count(name, [e for r, e in evidence if r is role])]
    return facts + _count("personal_data.person_name", [e for _, e in evidence])


def _detail_facts(text: str, found: dict[str, list[Span]]) -> list[Fact]:
    facts: list[Fact] = []
    for key, spans in found.items():
        if spans:  # most texts have none: no fact
            facts.append(_span_fact(text, _DETAIL_FACTS[key], spans))
    contact = [s for key in _CONTACT_FACTS for s in found[key]]
    if contact:
        facts.append(_span_fact(text, "personal_data.contact", sorted(contact, key=lambda s: (s.start, s.end))))
    return facts


def _span_fact(text: str, name: str, spans: list[Span]) -> Fact:
    """A count fact with one Evidence per span (``spans`` not empty)."""
    return Fact(name, len(spans), [_evidence(text, s.label, s.start, s.end) for s in spans])
