"""Names of people in Dutch school texts, and whose they are (pupil, parent, staff).

Sources, merged into one span per name:

1. deduce's ``persoon`` annotations, split at sentence punctuation and cut loose
   from titles and greetings it glues to them ("Gefeliciteerd Sem", "Maaike.
   Meester Ahmed" become "Sem", "Maaike", "Ahmed");
2. school contexts deduce does not know: "juf daan", "leerling sem", "noa uit
   groep 5", "moeder van lisa", "daan is jarig" — the word must be a first name
   (after a title also a surname) in deduce's own name lists, so ordinary
   lowercase words never become names;
3. the school's roster: every full name, and every pupil's and staff member's
   first name, case-insensitively.

Roles: the roster first; then "X, moeder van Y" (X parent); a title before the
name (staff); "moeder van X", "leerling X", "X uit groep 5", "X (groep 3)"
(pupil). Names in a list ("Sem, Noa en Daan uit groep 5") share the role of
the list. The organisation's own names and figures such as "Zwarte Piet" are
no person unless a role context says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from plaatsbaar.core.detectors.personal_contexts import context_patterns, role_patterns
from plaatsbaar.core.detectors.personal_lexicons import SchoolTerms, TextView, Triggers, words_regex
from plaatsbaar.core.roster import Roster
from plaatsbaar.core.vocabulary import Role

_WORD = re.compile(r"\S+")
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")
_LIST_END = re.compile(r"(?<!\w)(?:en|of)(?!\w)|&")
_CHAIN_GAP = re.compile(r"\s*(?:,\s*(?:en\s+|of\s+)?|(?:en|&|of)\s+)")
_ROLE_OF_ROSTER = {
    Role.PUPIL: Role.PUPIL,
    Role.PARENT: Role.PARENT,
    Role.STAFF: Role.STAFF,
    Role.MANAGER: Role.STAFF,
    Role.BOARD: Role.STAFF,
}
_PROTECTION_ORDER = (Role.PUPIL, Role.PARENT, Role.STAFF)


@dataclass(frozen=True)
class NameMatch:
    """One name in the text: offsets and role (``PUPIL``, ``PARENT``, ``STAFF`` or ``None``)."""

    start: int
    end: int
    role: Role | None


class NameLists:
    """deduce's first-name and surname lookups, asked one token at a time."""

    def __init__(self, lookup_structs: Any):
        self._first = lookup_structs["first_name"]
        self._surname = lookup_structs["surname"]
        self._interfix_surname = lookup_structs["interfix_surname"]
        self.common_words = lookup_structs["whitelist"]
        self.interfixes = frozenset(i.lower() for i in lookup_structs["interfix"].items() if len(i) > 1)

    @staticmethod
    def _forms(token: str) -> list[list[str]]:
        """The token as written and capitalised, as deduce's trie sequences ("anne-sophie" → Anne - Sophie)."""
        if "-" not in token:
            return [[token], [token[:1].upper() + token[1:].lower()]]
        parts = token.split("-")
        as_written = [p for part in parts for p in (part, "-")][:-1]
        capitalised = [p for part in parts for p in (part[:1].upper() + part[1:].lower(), "-")][:-1]
        return [as_written, capitalised]

    def is_first_name(self, token: str) -> bool:
        """True when ``token`` (any case) is in deduce's first-name list."""
        return any(form in self._first for form in self._forms(token))

    def is_name_part(self, token: str) -> bool:
        """True for a first name, surname, interfix or initial ("J.")."""
        return (
            len(token.rstrip(".")) == 1
            or "." in token.rstrip(".")
            or token.lower() in self.interfixes
            or self.is_first_name(token)
            or self.is_surname(token, after_interfix=True)
        )

    def is_surname(self, token: str, after_interfix: bool = False) -> bool:
        """True when ``token`` is a surname ("Bakker"; "Vries" after "de")."""
        if any(form in self._surname for form in self._forms(token)):
            return True
        return after_interfix and token[:1].upper() + token[1:].lower() in self._interfix_surname


@dataclass
class _Candidate:
    start: int
    end: int
    roster_roles: set[Role] = field(default_factory=set)
    roster_rank: int = 0  # 2: full roster name, 1: roster first name, 0: not on the roster


@dataclass
class _Name:
    start: int
    end: int
    roster_roles: set[Role]
    roster_rank: int
    parent_after: bool = False
    before_role: Role | None = None
    pupil_after: bool = False
    role: Role | None = None

    def context_role(self) -> Role | None:
        if self.roster_rank and len(self.roster_roles) == 1:
            return next(iter(self.roster_roles))
        if self.parent_after:
            return Role.PARENT
        if self.before_role is not None:
            return self.before_role
        if self.pupil_after:
            return Role.PUPIL
        return None


class RosterMatcher:
    """Finds roster names case-insensitively: full names, and pupils' and staff's first names.

    A first name that is also a common Dutch word (deduce's whitelist, e.g. "Ben")
    only matches when capitalised, so "ik ben" never becomes a name.
    """

    def __init__(self, roster: Roster | None, common_words: Any):
        self._full: dict[str, set[Role]] = {}
        self._first: dict[str, set[Role]] = {}
        self._capitalised_only: set[str] = set()
        for entry in roster.entries if roster else []:
            role = _ROLE_OF_ROSTER.get(entry.role)
            full_roles = self._full.setdefault(entry.name.lower(), set())
            first = entry.name.split()[0].lower()
            if role is None:
                continue
            full_roles.add(role)
            if role in (Role.PUPIL, Role.STAFF) and len(first) > 1:
                self._first.setdefault(first, set()).add(role)
                if first in common_words:
                    self._capitalised_only.add(first)
        names = sorted({*self._full, *self._first}, key=len, reverse=True)
        alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if names else None

    def find(self, view: TextView) -> list[_Candidate]:
        """Roster names in the text, each with its roster role(s) and rank."""
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(view.lower):
            key = " ".join(match.group().split())
            if key in self._full:
                found.append(_Candidate(match.start(), match.end(), set(self._full[key]), 2))
            elif key not in self._capitalised_only or view.text[match.start()].isupper():
                found.append(_Candidate(match.start(), match.end(), set(self._first[key]), 1))
        return found


class NameFinder:
    """Finds names and their roles in one text; build once, call :meth:`find` per text."""

    def __init__(self, terms: SchoolTerms, lists: NameLists, roster: Roster | None = None, ignore: Sequence[str] = ()):
        self._lists = lists
        self._roster = RosterMatcher(roster, lists.common_words)
        self._not_names = {w.lower() for w in terms.not_names}
        self._subjects = {w.lower() for w in terms.subjects}
        strip = {tuple(t.lower().split()) for t in [*terms.staff_titles, *terms.other_titles, *terms.greeting_words]}
        self._strip_phrases: dict[str, list[tuple[str, ...]]] = {}  # first word → phrases, longest first
        for phrase in sorted(strip, key=len, reverse=True):
            self._strip_phrases.setdefault(phrase[0], []).append(phrase)
        self._no_break = {t.lower() for t in [*terms.staff_titles, *terms.other_titles] if " " not in t}
        not_persons = [*terms.not_persons, *(n for n in ignore if n.strip())]
        self._ignore = words_regex(not_persons)
        self._ignore_triggers = Triggers.of(not_persons)
        self._contexts = context_patterns(terms, lists.interfixes)
        self._roles = role_patterns(terms)

    def find(self, view: TextView, persons: Iterable[tuple[int, int]]) -> list[NameMatch]:
        """Names in the text; ``persons`` are deduce's ``persoon`` spans."""
        candidates = [_Candidate(s, e) for start, end in persons for s, e in self._split(view.text, start, end)]
        candidates += self._context_candidates(view)
        candidates += self._roster.find(view)
        names = [self._with_context(view.lower, n) for n in _merge(view.text, candidates)]
        if self._ignore_triggers.present(view):
            names = self._without_ignored(view.lower, names)
        _share_roles_in_lists(view.lower, names)
        return [NameMatch(n.start, n.end, n.role) for n in names]

    # --- deduce's spans

    def _split(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """A deduce span cut at sentence punctuation, with titles and greetings stripped."""
        parts: list[list[tuple[str, int, int]]] = [[]]
        previous_end = start
        for match in _WORD.finditer(text, start, end):
            word = match.group()
            core = word.rstrip(".,;:!?") or word
            if parts[-1] and "\n" in text[previous_end : match.start()]:
                parts.append([])
            parts[-1].append((core, match.start(), match.start() + len(core)))
            previous_end = match.end()
            if self._ends_a_part(core, word[len(core) :]):
                parts.append([])
        spans = []
        for words in parts:
            words = self._strip_trailing_subject(self._strip_leading(words))
            if words and self._name_shaped([w[0] for w in words]):
                words = self._strip_leading_non_names(words)
                if not self._unlikely_single_name(text, words):
                    spans.append((words[0][1], words[-1][2]))
        return spans

    def _ends_a_part(self, core: str, trailing: str) -> bool:
        """Does punctuation after a word end the name? ("Maaike." yes; "J." and "Dhr." no)."""
        if not trailing:
            return False
        if set(trailing) - {"."}:
            return True
        return "." not in core and len(core) > 1 and core.lower() not in self._no_break

    def _strip_trailing_subject(self, words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """``words`` without a school subject at the end ("Kramer van Nederlands" → "Kramer")."""
        if words and words[-1][0].lower() in self._subjects:
            words = words[:-1]
            if words and words[-1][0].lower() in self._lists.interfixes:
                words = words[:-1]
        return words

    def _strip_leading_non_names(self, words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Drop leading words in no name list while a first name follows ("App Sanne Dekker")."""
        while len(words) > 1 and not self._lists.is_name_part(words[0][0]) and self._lists.is_first_name(words[1][0]):
            words = words[1:]
        return words

    def _unlikely_single_name(self, text: str, words: list[tuple[str, int, int]]) -> bool:
        """A single word that is a not-name ("Winter"), or only a surname opening a sentence ("Mooi nieuws!")."""
        if len(words) != 1:
            return False
        if words[0][0].lower() in self._not_names:
            return True
        if self._lists.is_first_name(words[0][0]):
            return False
        return _SENTENCE_OPENING.search(text, max(0, words[0][1] - 10), words[0][1]) is not None

    def _name_shaped(self, words: list[str]) -> bool:
        """Does a phrase deduce called a person start like a name or end in a surname?

        "Safer Internet Day" (deduce: "Day" is a first name, the words before it
        join) does not; "Jan Kramer", "J. de Vries", "Xiomara Kramer" do.
        """
        if len(words) < 2:
            return True
        return self._lists.is_name_part(words[0]) or self._lists.is_surname(words[-1], after_interfix=True)

    def _strip_leading(self, words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """``words`` without the titles and greetings at their start ("Juf", "Gefeliciteerd")."""
        while words:
            lowered = tuple(w[0].lower().rstrip(".") for w in words[:3])
            phrases = self._strip_phrases.get(lowered[0], [])
            phrase = next((p for p in phrases if lowered[: len(p)] == p), None)
            if phrase is None:
                break
            words = words[len(phrase) :]
        return words

    # --- names deduce misses

    def _context_candidates(self, view: TextView) -> list[_Candidate]:
        found = []
        for context in self._contexts:
            if context.starts.isdisjoint(view.words):  # no cue can start here (saves most contexts)
                continue
            for match in context.matches(view):
                name = view.text[match.start("name") : match.end("name")]
                if self._accepts(context.kind, name, match.groupdict().get("interfix")):
                    start = match.start("interfix") if match.groupdict().get("interfix") else match.start("name")
                    found.append(_Candidate(start, match.end("name")))
        return found

    def _accepts(self, kind: str, name: str, interfix: str | None) -> bool:
        """Is the word in a school context a name in deduce's lists (and not an ordinary word)?"""
        if name.lower() in self._not_names:
            return False
        if interfix:
            return self._lists.is_surname(name, after_interfix=True)
        if kind == "title":
            return self._lists.is_first_name(name) or self._lists.is_surname(name)
        return self._lists.is_first_name(name)

    # --- roles

    def _with_context(self, lower: str, candidate: _Candidate) -> _Name:
        """The candidate with the roles its context gives (``lower``: the lowercased text)."""
        start, end = candidate.start, candidate.end
        low, high = max(0, start - 40), end + 50
        name = _Name(start, end, candidate.roster_roles, candidate.roster_rank)
        name.parent_after = bool(self._roles["parent_after"].match(lower, end, high))
        if self._roles["staff_before"].search(lower, low, start):
            name.before_role = Role.STAFF
        elif self._roles["pupil_before"].search(lower, low, start):
            name.before_role = Role.PUPIL
        name.pupil_after = bool(self._roles["pupil_after"].match(lower, end, high))
        name.role = name.context_role()
        if name.role is None and name.roster_rank:  # a roster first name of several roles
            name.role = next(r for r in _PROTECTION_ORDER if r in name.roster_roles) if name.roster_roles else None
        return name

    def _without_ignored(self, lower: str, names: list[_Name]) -> list[_Name]:
        """Drop names inside the organisation's names or not-person figures, unless a role says otherwise."""
        ignored = [m.span() for m in self._ignore.finditer(lower)]
        return [n for n in names if n.role is not None or not any(s <= n.start and n.end <= e for s, e in ignored)]


def _merge(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """One candidate per name: overlapping or space-adjacent candidates join."""
    merged: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start, -c.end)):
        last = merged[-1] if merged else None
        gap = text[last.end : cand.start] if last else ""
        if last and (cand.start <= last.end or (gap.isspace() and "\n" not in gap and len(gap) <= 2)):
            last.end = max(last.end, cand.end)
            if cand.roster_rank > last.roster_rank:
                last.roster_roles, last.roster_rank = set(cand.roster_roles), cand.roster_rank
            elif cand.roster_rank == last.roster_rank:
                last.roster_roles |= cand.roster_roles
        else:
            merged.append(_Candidate(cand.start, cand.end, set(cand.roster_roles), cand.roster_rank))
    return merged


def _share_roles_in_lists(lower: str, names: list[_Name]) -> None:
    """Names in a list ("Sem, Noa en Daan uit groep 5") share the role of its first or last name.

    A list needs 'en', '&' or 'of' before its last name: in "de moeder van
    Noa, Linda" the comma only adds an apposition.
    """
    chains: list[list[_Name]] = []
    for name in names:
        if chains and _CHAIN_GAP.fullmatch(lower, chains[-1][-1].end, name.start):
            chains[-1].append(name)
        else:
            chains.append([name])
    for chain in chains:
        if len(chain) < 2 or not _LIST_END.search(lower, chain[-2].end, chain[-1].start):
            continue
        last, first = chain[-1], chain[0]
        shared = Role.PARENT if last.parent_after else Role.PUPIL if last.pupil_after else first.before_role
        for name in chain:
            if name.role is None:
                name.role = shared
