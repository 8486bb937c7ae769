"""School contexts that mark a word as a name, and that give a name its role.

All patterns run on :attr:`TextView.lower` (the lowercased text with the same
offsets); their words come from ``lexicons/school_terms.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from plaatsbaar.core.detectors.personal_lexicons import SchoolTerms, TextView, alternation

_NAME = r"[^\W\d_]+(?:-[^\W\d_]+)*"


@dataclass(frozen=True)
class NameContext:
    """A school context that marks the word after (or before) it as a name.

    ``kind`` "title": the word may be a first name or a surname ("juf Sanne",
    "meester Bakker"); "first": it must be a first name. ``cue`` finds the
    context (run only where one of ``starts``, its possible first words,
    stands); with ``before`` the name is the word right before the cue ("Sem
    uit groep 5"), searched back from it; without, ``cue`` holds the name as
    group ``name``.
    """

    kind: str
    starts: frozenset[str]
    cue: re.Pattern[str]
    before: re.Pattern[str] | None = None

    def matches(self, view: TextView) -> Iterator[re.Match[str]]:
        """Matches with group ``name`` (and maybe ``interfix``) in ``view.lower``."""
        lower = view.lower
        for position in sorted(_positions(lower, self.starts & view.words)):
            cue = self.cue.match(lower, position)
            if cue is None:
                continue
            match = cue if self.before is None else self.before.search(lower, max(0, position - 60), position)
            if match:
                yield match


def _positions(text: str, words: Iterable[str]) -> set[int]:
    """Every offset where one of ``words`` occurs in ``text`` (also inside longer words)."""
    found = set()
    for word in words:
        position = text.find(word)
        while position != -1:
            found.add(position)
            position = text.find(word, position + 1)
    return found


def _first_words(terms: Iterable[str]) -> frozenset[str]:
    """The lowercase first word of each term ("intern begeleider" → "intern", "ib-er" → "ib")."""
    return frozenset(re.findall(r"\w+", term.lower())[0] for term in terms)


def context_patterns(terms: SchoolTerms, interfixes: frozenset[str]) -> list[NameContext]:
    """The school contexts that make a word a name.

    "juf sanne", "meester van dijk" (title); "leerling bram", "moeder van noa"
    (pupil words, relatives); "sem uit groep 5", "noa (groep 3)", "bram uit de
    middenbouw"; "linda, moeder van"; "daan is vandaag jarig"; "gefeliciteerd sem".
    """
    name = rf"(?P<name>{_NAME})(?![\w'])"
    name_before = rf"(?<![\w'-]){name}"
    relatives = [*terms.parent_words, *terms.family_words]
    titles, interfix = alternation(terms.staff_titles), alternation(interfixes)
    classes, parents = alternation(terms.class_words), alternation(terms.parent_words)
    levels = alternation(terms.school_levels)
    adverbs = alternation(terms.age_adverbs)
    prepositions = alternation(terms.class_prepositions)
    return [
        NameContext(
            "title",
            _first_words(terms.staff_titles),
            re.compile(rf"(?<!\w){titles}\.?\s+(?:(?P<interfix>{interfix})\s+)?{name}"),
        ),
        NameContext(
            "first",
            _first_words([*terms.pupil_words, *relatives]),
            re.compile(rf"(?<!\w)(?:{alternation(terms.pupil_words)}|{alternation(relatives)}\s+van)\s+{name}"),
        ),
        NameContext(
            "first",
            _first_words([*terms.class_words, *terms.school_levels]),
            re.compile(rf"(?<!\w)(?:{classes}\s*\d|{levels}(?!\w))"),
            re.compile(rf"{name_before}\s*,?\s*\(?\s*(?:{prepositions}\s+)?(?:de\s+)?$"),
        ),
        NameContext(
            "first",
            _first_words(terms.parent_words),
            re.compile(rf"(?<!\w){parents}\s+van(?!\w)"),
            re.compile(rf"{name_before}\s*,?\s*\(?\s*(?:(?:de|zijn|haar)\s+)?$"),
        ),
        NameContext(
            "first",
            frozenset({"jarig"}),
            re.compile(r"(?<!\w)jarig(?!\w)"),
            re.compile(rf"{name_before}\s+(?:is|wordt|werd|was)\s+(?:{adverbs}\s+)*$"),
        ),
        NameContext(
            "first",
            _first_words(terms.greeting_words),
            re.compile(rf"(?<!\w){alternation(terms.greeting_words)}\s+{name}"),
        ),
    ]


def _class_after(terms: SchoolTerms) -> str:
    """Regex for what follows a pupil's name: "uit groep 5", "(groep 3)", ", klas 3b", "uit de middenbouw"."""
    prepositions = alternation(terms.class_prepositions)
    place = rf"(?:{alternation(terms.class_words)}\s*\d|{alternation(terms.school_levels)}(?!\w))"
    return rf"\s*,?\s*\(?\s*(?:{prepositions}\s+)?(?:de\s+)?{place}"


def role_patterns(terms: SchoolTerms) -> dict[str, re.Pattern[str]]:
    """Role contexts, run on the lowercased text before or after a name."""
    parents = alternation(terms.parent_words)
    relatives = alternation([*terms.parent_words, *terms.family_words])
    return {
        "parent_after": re.compile(rf"\s*,?\s*\(?\s*(?:(?:de|zijn|haar)\s+)?{parents}\s+van(?!\w)"),
        "staff_before": re.compile(rf"(?<!\w){alternation(terms.staff_titles)}\.?\s+$"),
        "pupil_before": re.compile(rf"(?<!\w)(?:{alternation(terms.pupil_words)}|{relatives}\s+van)\s+$"),
        "pupil_after": re.compile(_class_after(terms)),
    }
