"""A literal prefilter for many regexes run on one text (speed only, never results).

Most texts match none of a lexicon's regexes, and running each of them on
every text is what costs time. For each regex we derive, from its parsed
form, literals that every match holds:

- *needs*: one of them occurs somewhere in every match
  (``(?:ik|we) sla (?:je|jou)`` needs ``"ik sla "`` or ``"we sla "``);
- *starts*: one of them stands at a word start (after a character that is
  no letter or digit) in every match: where a match starts after
  ``(?<!\\w)`` or ``(?<![^\\W_])``, after a space, at the start of a line.

One trie-shaped regex, tried at word starts only, finds the starts of all
regexes in one pass over the text; needs are found with a substring test
each (many needs: with one trie regex tried everywhere, which is several
times slower). Only the regexes whose literal occurs run; a regex without
literals simply always runs.

The text searched must be lowercase with each run of whitespace as one space
(see :func:`literals_of`); the regexes themselves run on whatever text their
owner chooses.

Used by the text-cue detector (``disclosure``) and the abuse detector.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

try:  # the stdlib's regex parser: used only to derive prefilter literals (speed, not results)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - another Python: every pattern simply always runs
    _sre = _sre_parse = None

_WORD = re.compile(r"\w+")
_MAX_ALTERNATIVES = 128  # literal sets larger than this are not worth tracking
_MAX_NEEDS = 8  # a need with more alternatives costs more than it saves
_MAX_STARTS = 64  # starts are only looked for at word starts: more alternatives pay off
_MAX_SUBSTRING_TESTS = 80  # up to this many needs, substring tests beat one regex
_MAX_COUNT = 3  # a repeat of at most this many literals is a literal set (o{1,2}: o, oo)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) if _sre else ()
# [^\W_]: a letter or digit
_NOT_ALNUM = [(_sre.NEGATE, None), (_sre.CATEGORY, _sre.CATEGORY_NOT_WORD), (_sre.LITERAL, ord("_"))] if _sre else []

T = TypeVar("T")


# --- reading parsed patterns -------------------------------------------------


def _nested(op: Any, av: Any) -> list[Any]:
    """The parsed sub-sequences inside one parsed item (groups, branches, repeats, classes)."""
    if op is _sre.BRANCH:
        return list(av[1])
    if op is _sre.SUBPATTERN:
        return [av[3]]
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return [av[1]]
    if op in _REPEATS:
        return [av[2]]
    if op is _sre.IN:
        return [av]
    return []


def has_capital(pattern: str, flags: int = 0) -> bool:
    """True when ``pattern`` holds an uppercase literal letter or range.

    False when the pattern cannot be analysed (another Python); raises
    ``re.error`` for a pattern that does not parse.
    """
    return _sre_parse is not None and _has_capital(_sre_parse.parse(pattern, flags))


def _has_capital(items: Iterable[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL) and chr(av) != chr(av).lower():
            return True
        if op is _sre.RANGE and chr(av[0]) != chr(av[0]).lower():
            return True
        if any(_has_capital(sub) for sub in _nested(op, av)):
            return True
    return False


# --- literal sets ------------------------------------------------------------


def _join(left: str, right: str) -> str:
    """Concatenate two literals, one space where both have one (whitespace runs are squeezed)."""
    return left + right[1:] if left.endswith(" ") and right.startswith(" ") else left + right


def _cross(left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    """Every literal of ``left`` followed by every literal of ``right``."""
    return frozenset(_join(a, b) for a in left for b in right)


def _minimal(literals: frozenset[str]) -> frozenset[str]:
    """The literals without those that contain another one (a text holding "kutje" holds "kut")."""
    return frozenset(s for s in literals if not any(t != s and t in s for t in literals))


def _frequency(literals: frozenset[str]) -> float:
    """A rough chance that a text holds one of ``literals`` (each character a one in eight guess)."""
    return sum(8.0 ** -len(literal.strip()) for literal in literals)


def _shorten(literals: frozenset[str], most: int, leading: bool) -> frozenset[str] | None:
    """At most ``most`` literals: the given ones cut to as many of their first
    (``leading``) or last characters as that allows; None when not even one does."""
    for length in range(max(map(len, literals), default=0), 0, -1):
        cut = frozenset(s[:length] if leading else s[-length:] for s in literals)
        if len(cut) <= most:
            return cut
    return None


def _item_literals(op: Any, av: Any) -> frozenset[str] | None:
    """The finite set of lowercase strings one parsed item matches (whitespace as one
    space, zero-width items as ""), or None when it is not a small set of literals."""
    if op is _sre.LITERAL:
        return frozenset([" " if chr(av).isspace() else chr(av).lower()])
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return frozenset([""])
    if op is _sre.IN and av == [(_sre.CATEGORY, _sre.CATEGORY_SPACE)]:
        return frozenset([" "])
    if op is _sre.IN and len(av) <= 6 and all(o is _sre.LITERAL for o, _ in av):
        return frozenset(" " if chr(a).isspace() else chr(a).lower() for _, a in av)
    if op in (_sre.BRANCH, _sre.SUBPATTERN):
        branches = [_sequence_literals(b) for b in _nested(op, av)]
        return None if None in branches else frozenset().union(*branches)
    if op in _REPEATS and av[1] <= _MAX_COUNT:  # x?, x{1,2}
        inner = _sequence_literals(av[2])
        return None if inner is None else _repeated(inner, av[0], av[1])
    if op in _REPEATS and av[0] >= 1 and _sequence_literals(av[2]) == {" "}:  # \s+
        return frozenset([" "])
    return None


def _repeated(literals: frozenset[str], least: int, most: int) -> frozenset[str] | None:
    """The strings of ``least`` to ``most`` literals in a row, or None when too many."""
    found, row = set(), frozenset([""])
    for count in range(most + 1):
        if count >= least:
            found |= row
        if count < most:
            if len(row) * len(literals) > _MAX_ALTERNATIVES:
                return None
            row = _cross(row, literals)
    return frozenset(found)


def _sequence_literals(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """The finite set of strings a parsed sequence matches, or None."""
    try:
        return _LITERALS_OF_SEQUENCE[items]
    except (KeyError, TypeError):  # not seen yet, or no parsed sequence (a slice, a list)
        pass
    found: frozenset[str] | None = frozenset([""])
    for op, av in items:
        literals = _item_literals(op, av)
        if literals is None or len(found) * len(literals) > _MAX_ALTERNATIVES:
            found = None
            break
        found = _cross(found, literals)
    try:
        _LITERALS_OF_SEQUENCE[items] = found
    except TypeError:
        pass
    return found


# parsed sequences are met again and again while deriving (nested groups): remember them while they live
_LITERALS_OF_SEQUENCE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# --- starts and ends ---------------------------------------------------------


def _edge_literals(op: Any, av: Any, leading: bool, most: int) -> frozenset[str] | None:
    """At most ``most`` literals one of which every match of a parsed item that is no
    small literal set starts with (``leading``) or ends with; None when unknown."""
    if op in _REPEATS and av[0] >= 1:
        inner = _sequence_literals(av[2])
        if inner is not None and len(inner) == 1:  # "!{3,}" starts and ends with "!!!"
            return frozenset([next(iter(inner)) * min(av[0], 8)])
        return _sequence_edge(av[2], leading, most)
    if op in (_sre.BRANCH, _sre.SUBPATTERN):
        edges = [_sequence_edge(branch, leading, most) for branch in _nested(op, av)]
        if None in edges:
            return None
        union = frozenset().union(*edges)
        return union if len(union) <= most else _shorten(union, most, leading)
    return None


def _sequence_edge(items: Iterable[tuple[Any, Any]], leading: bool, most: int) -> frozenset[str] | None:
    """At most ``most`` literals one of which every match of a parsed sequence starts
    with (``leading``) or ends with; None when unknown."""
    found: frozenset[str] | None = frozenset([""])
    ordered = list(items)
    for op, av in ordered if leading else reversed(ordered):
        literals = _item_literals(op, av)
        last = literals is None  # the edge ends inside this item
        if last:
            literals = _edge_literals(op, av, leading, most)
            if literals is None:
                break
        found = _cross(found, literals) if leading else _cross(literals, found)
        if len(found) > most:
            found = _shorten(found, most, leading)
            break
        if last:
            break
    return None if found is None or "" in found else found


# --- needs -------------------------------------------------------------------


def _sequence_needs(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """Literals one of which every match of the parsed sequence contains, or None.

    Walks the sequence keeping the set of literal runs so far; an item that is
    not a small set of literals extends the runs with the literals its matches
    start with, closes them (a candidate), may offer candidates of its own (a
    required group, a repeated literal) and starts new runs with the literals
    its matches end with.
    """
    candidates: list[frozenset[str]] = []
    runs = frozenset([""])

    def close() -> None:
        nonlocal runs
        if all(run.strip() for run in runs):
            candidates.append(_minimal(runs))
        runs = frozenset([""])

    for op, av in items:
        literals = _item_literals(op, av)
        if literals is not None and len(runs) * len(literals) <= _MAX_NEEDS:
            runs = _cross(runs, literals)
            continue
        if literals is not None:
            close()
            runs = literals
            if len(literals) > _MAX_NEEDS:
                close()
            continue
        # the runs go on into the start of the item's matches, while that stays small
        lead = _edge_literals(op, av, True, _MAX_NEEDS)
        if lead is not None and len(runs) * len(lead) <= _MAX_NEEDS:
            runs = _cross(runs, lead)
        close()
        if op in (_sre.BRANCH, _sre.SUBPATTERN) or (op in _REPEATS and av[0] >= 1):
            branches = [_sequence_needs(b) for b in _nested(op, av)]
            if None not in branches:  # every branch needs one of its literals
                candidates.append(_minimal(frozenset().union(*branches)))
        runs = _edge_literals(op, av, False, _MAX_NEEDS) or frozenset([""])
    close()
    return min(candidates, key=_frequency, default=None)  # the most selective guess


def _is_word_start_lookbehind(op: Any, av: Any) -> bool:
    """True for ``(?<!\\w)``, ``(?<![\\w:])`` and ``(?<![^\\W_])``: what follows is at a word start."""
    if op is not _sre.ASSERT_NOT or av[0] != -1 or len(av[1]) != 1 or av[1][0][0] is not _sre.IN:
        return False
    members = av[1][0][1]
    if members == _NOT_ALNUM:
        return True
    return (_sre.CATEGORY, _sre.CATEGORY_WORD) in members and (_sre.NEGATE, None) not in members


def _ends_clear(literals: frozenset[str] | None) -> bool:
    """True when every literal ends in a character that is no letter or digit."""
    return literals is not None and all(s and not s[-1].isalnum() for s in literals)


def _word_start_after(op: Any, av: Any, before: bool) -> bool:
    """Whether the position after a parsed item is surely a word start (``before``: the one before it is)."""
    if _is_word_start_lookbehind(op, av) or (op is _sre.AT and av in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)):
        return True
    if op in _REPEATS:  # "\s*": a word start when it was one or when it matched something
        return _ends_clear(_sequence_literals(av[2])) and (before or av[0] >= 1)
    literals = _item_literals(op, av)
    if literals == {""}:  # zero-width: the same position
        return before
    return _ends_clear(literals)


def _word_starts(items: Sequence[tuple[Any, Any]], at_word_start: bool) -> frozenset[str] | None:
    """Literals one of which, in every match of a parsed sequence, stands at a word
    start (after a character that is no letter or digit); None when unknown.

    ``at_word_start``: every match of the sequence starts at a word start.
    Candidates: what follows a word start (the literals it starts with), and
    groups whose every branch has word starts; the most selective one wins.
    """
    candidates = []
    boundary = at_word_start  # the position before the current item is a word start
    for index, (op, av) in enumerate(items):
        if boundary:
            starts = _sequence_edge(items[index:], True, _MAX_STARTS)
            if starts is not None and all(start.strip() for start in starts):
                candidates.append(starts)
        if op in (_sre.BRANCH, _sre.SUBPATTERN) or (op in _REPEATS and av[0] >= 1):
            branches = [_word_starts(branch, boundary) for branch in _nested(op, av)]
            if None not in branches:
                union = frozenset().union(*branches)
                union = union if len(union) <= _MAX_STARTS else _shorten(union, _MAX_STARTS, True)
                if union is not None and all(start.strip() for start in union):
                    candidates.append(union)
        boundary = _word_start_after(op, av, boundary)
    best = min(candidates, key=_frequency, default=None)
    return None if best is None else frozenset(s for s in best if not any(t != s and s.startswith(t) for t in best))


@dataclass(frozen=True)
class Literals:
    """What every match of a pattern holds (in the squeezed, lowercase text).

    ``needs``: one of them somewhere; ``starts``: one of them at a word start
    (after a character that is no letter or digit). ``None``: not known.
    """

    needs: frozenset[str] | None
    starts: frozenset[str] | None = None


def literals_of(pattern: str, flags: int = 0, exact_case: bool = False) -> Literals:
    """The prefilter literals of ``pattern`` (compiled with ``flags``).

    Literals are lowercase, with each run of whitespace as one space: they
    are looked for in the text lowercased with whitespace runs squeezed.
    ``exact_case``: the text is searched as it is, not lowercased; then a
    pattern with capitals gets no literals (it always runs).
    """
    if _sre_parse is None:
        return Literals(None)  # pragma: no cover
    try:
        parsed = _sre_parse.parse(pattern, flags)
        if exact_case and _has_capital(parsed):
            return Literals(None)
        return Literals(_sequence_needs(parsed), _word_starts(parsed, False))
    except Exception:  # noqa: BLE001 - the pattern compiled already; an odd shape only costs speed
        return Literals(None)


# --- the trie and the prefilter ----------------------------------------------


def trie_regex(literals: Iterable[str], whole_words: bool = False, exact: bool = False) -> str:
    """Literal strings as one regex shaped like a trie (no common prefix is tried twice).

    Unless ``exact``, words may be separated by any run of whitespace. Longer
    literals win over their prefixes. ``whole_words`` adds a word boundary
    where a literal ends in a letter or digit (the caller checks the one at
    the start).
    """
    tree: dict[str, dict] = {}
    for literal in literals:
        node = tree
        for char in literal if exact else " ".join(literal.split()):
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict], last: str) -> str:
        alternatives = [
            (r"\s+" if c == " " and not exact else re.escape(c)) + emit(sub, c) for c, sub in sorted(node.items()) if c
        ]
        if "" in node:
            alternatives.append(r"(?!\w)" if whole_words and _WORD.match(last) else "")
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return emit(tree, "")


def _items_by_literal(literals: dict[int, frozenset[str]]) -> dict[str, set[int]]:
    """Literal → the items that have it (``literals``: item index → its literals)."""
    items: dict[str, set[int]] = {}
    for i, item_literals in literals.items():
        for literal in item_literals:
            items.setdefault(literal, set()).add(i)
    return items


@dataclass(frozen=True)
class _TrieScan:
    """One regex that finds literals in a text, and the items each found literal selects.

    At every position it looks at (``at_word_starts``: only at word starts)
    the regex finds the longest literal there; ``covers`` adds the items
    whose literal is a prefix of it.
    """

    regex: re.Pattern[str]
    covers: dict[str, frozenset[int]]  # a literal → the items whose literal is it or a prefix of it
    at_word_starts: bool

    @classmethod
    def of(cls, literals: dict[int, frozenset[str]], at_word_starts: bool) -> _TrieScan:
        """The scan for ``literals`` (item index → its literals, not empty)."""
        items = _items_by_literal(literals)
        covers = {
            found: frozenset(i for end in range(1, len(found) + 1) for i in items.get(found[:end], ()))
            for found in items
        }
        every = items.keys()
        head = r"[\W_]" if at_word_starts else ""  # a character that is no letter or digit
        return cls(re.compile(f"{head}(?=({trie_regex(every, exact=True)}))"), covers, at_word_starts)

    def selected(self, squeezed: str) -> set[int]:
        """The items whose literal occurs in ``squeezed`` (at a word start)."""
        chosen: set[int] = set()
        for found in set(self.regex.findall(" " + squeezed if self.at_word_starts else squeezed)):
            chosen |= self.covers[found]
        return chosen


@dataclass(frozen=True)
class _SubstringTests:
    """A few literals, each with the items it selects: one substring test per
    literal (a fast search in C, quicker than a regex tried at every position)."""

    tests: tuple[tuple[str, frozenset[int]], ...]

    @classmethod
    def of(cls, literals: dict[int, frozenset[str]]) -> _SubstringTests:
        """The tests for ``literals`` (item index → its literals, not empty)."""
        return cls(tuple((literal, frozenset(found)) for literal, found in sorted(_items_by_literal(literals).items())))

    def selected(self, squeezed: str) -> set[int]:
        """The items whose literal occurs in ``squeezed``."""
        chosen: set[int] = set()
        for literal, items in self.tests:
            if literal in squeezed:
                chosen |= items
        return chosen


def _need_scan(needs: dict[int, frozenset[str]]) -> _TrieScan | _SubstringTests | None:
    """Substring tests for a few needs, one trie regex for many; None for none."""
    count = len({need for item_needs in needs.values() for need in item_needs})
    if not count:
        return None
    return _SubstringTests.of(needs) if count <= _MAX_SUBSTRING_TESTS else _TrieScan.of(needs, at_word_starts=False)


def _by_starts(literals: Literals) -> bool:
    """Whether to pick an item by its starts rather than its needs.

    Starts cost next to nothing (one regex finds them all, at word starts:
    about one position in four); each need costs a substring test, about a
    twentieth of running a pattern once.
    """
    if literals.starts is None:
        return False
    if literals.needs is None:
        return True
    return _frequency(literals.starts) / 4 <= _frequency(literals.needs) + len(literals.needs) / 20


@dataclass(frozen=True)
class Prefilter(Generic[T]):
    """Picks the items (compiled patterns) worth running on a text: those whose
    literals occur in it, and those without literals.

    An item with ``starts`` is picked when one of them occurs at a word start,
    else one with ``needs`` when one of them occurs anywhere.
    """

    items: tuple[T, ...]
    always: frozenset[int]
    needs: _TrieScan | _SubstringTests | None
    starts: _TrieScan | None

    @classmethod
    def of(cls, items: Sequence[T], literals: Sequence[Literals]) -> Prefilter[T]:
        """The prefilter for ``items`` (kept in order); ``literals[i]`` are item i's (see :func:`literals_of`)."""
        if len(items) != len(literals):
            raise ValueError(f"{len(items)} items but {len(literals)} sets of literals")
        starts = {i: found.starts for i, found in enumerate(literals) if found.starts and _by_starts(found)}
        needs = {i: found.needs for i, found in enumerate(literals) if found.needs and i not in starts}
        always = frozenset(range(len(items))) - starts.keys() - needs.keys()
        word_starts = _TrieScan.of(starts, at_word_starts=True) if starts else None
        return cls(tuple(items), always, _need_scan(needs), word_starts)

    def select(self, squeezed: str) -> list[T]:
        """The items that may match the text, in order (``squeezed``: lowercase, one space per whitespace run)."""
        chosen = set(self.always)
        if self.needs is not None:
            chosen |= self.needs.selected(squeezed)
        if self.starts is not None:
            chosen |= self.starts.selected(squeezed)
        return [self.items[i] for i in sorted(chosen)]
