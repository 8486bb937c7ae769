"""Disclosure and text cues: the ``text.*`` facts of a Dutch text.

Whether a text is about the school, carries a "persoonlijke titel" disclaimer,
names the author's function, gives an opinion, is chat-speak, asks a question,
is a sick note, is negative, touches confidential school matters or private
life, voices doubt or corrects an inaccuracy. The cues are curated Dutch
phrases and patterns in ``lexicons/text_cues.yaml``, compiled once per process.

Matching is case- and accent-insensitive: the text is folded character by
character (é → e, ’ → '), which keeps every offset, so each evidence span is
exact in the original text.

Speed: all phrases of all facts form one trie-shaped regex, scanned once; a
pattern runs only when the text contains a literal that every match of the
pattern contains (derived from the pattern when the lexicon is compiled). A
typical post costs a few tens of microseconds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from plaatsbaar.core.findings import Evidence, Fact
from plaatsbaar.core.vocabulary import FACTS

try:  # the stdlib's regex parser: used only to derive prefilter literals (speed, not results)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - another Python: every pattern simply always runs
    _sre = _sre_parse = None

#: The facts this detector establishes, in vocabulary order.
TEXT_FACTS: tuple[str, ...] = tuple(name for name in FACTS if name.startswith("text."))

_FLAGS = re.IGNORECASE | re.MULTILINE
_TERM = re.compile(r"\{\{(\w+)\}\}")
_ORGANISATION = "organisation"
_SAMPLE_ORGANISATION = "Voorbeeldschool"
_CLAUSE_END = re.compile(r"[.!?;:,\n]")
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+(?!\w)|[^\w\s]")

_FOLD = str.maketrans(
    "áàâäãåéèêëíìîïóòôöõúùûüýÿçñ" "ÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÝÇÑ" "‘’‚‛`´“”„",
    "aaaaaaeeeeiiiiooooouuuuyycn" "AAAAAAEEEEIIIIOOOOOUUUUYCN" "''''''\"\"\"",
)


def fold(text: str) -> str:
    """``text`` without accents and curly quotes, same length (offsets stay valid)."""
    return text.translate(_FOLD)


def _lower(text: str) -> str:
    """Lowercase ``text`` without changing its length (offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class TextCueLexiconError(ValueError):
    """A text-cue lexicon that cannot be used; the message names file, line and field."""


# --- the file format -------------------------------------------------------


class _FactCues(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(min_length=1)
    negatable: bool = False
    phrases: list[str] = []
    patterns: list[str] = []


class _Negation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    words: list[str] = Field(min_length=1)
    window: int = Field(ge=1, le=8)


class _LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1]
    terms: dict[str, list[str] | str] = {}
    negation: _Negation
    facts: dict[str, _FactCues]


class _Problem(Exception):
    """A problem at a field path inside the lexicon file."""

    def __init__(self, loc: tuple[str | int, ...], message: str):
        super().__init__(message)
        self.loc = loc
        self.message = message


# --- prefilter literals ----------------------------------------------------


_MAX_ALTERNATIVES = 128  # literal sets larger than this are not worth tracking
_MAX_NEEDS = 8  # a prefilter with more alternatives costs more than it saves
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) if _sre else ()


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


def _join(left: str, right: str) -> str:
    """Concatenate two literals, one space where both have one (whitespace runs are squeezed)."""
    return left + right[1:] if left.endswith(" ") and right.startswith(" ") else left + right


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
    if op in _REPEATS and av[1] <= 1:  # x? or x{1}
        inner = _sequence_literals(av[2])
        return None if inner is None else inner | ({""} if av[0] == 0 else set())
    if op in _REPEATS and av[0] >= 1 and _sequence_literals(av[2]) == {" "}:  # \s+
        return frozenset([" "])
    return None


def _sequence_literals(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """The finite set of strings a parsed sequence matches, or None."""
    found = frozenset([""])
    for op, av in items:
        literals = _item_literals(op, av)
        if literals is None or len(found) * len(literals) > _MAX_ALTERNATIVES:
            return None
        found = frozenset(_join(a, b) for a in found for b in literals)
    return found


def _sequence_needs(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """Literals one of which every match of the parsed sequence contains, or None.

    Walks the sequence keeping the set of literal runs so far; an item that is
    not a small set of literals closes the runs (a candidate) and may offer
    candidates of its own (a required group, a repeated literal).
    """
    candidates: list[frozenset[str]] = []
    runs = frozenset([""])

    def close() -> None:
        nonlocal runs
        if all(run.strip() for run in runs):
            candidates.append(runs)
        runs = frozenset([""])

    for op, av in items:
        literals = _item_literals(op, av)
        if literals is not None and len(runs) * len(literals) <= _MAX_NEEDS:
            runs = frozenset(_join(a, b) for a in runs for b in literals)
            continue
        close()
        if literals is not None:
            runs = literals
            if len(literals) > _MAX_NEEDS:
                close()
            continue
        inner = _sequence_literals(av[2]) if op in _REPEATS and av[0] >= 1 else None
        if inner is not None and len(inner) == 1:  # "!{3,}" needs "!!!"
            runs = frozenset([next(iter(inner)) * min(av[0], 8)])
            close()
        elif op in (_sre.BRANCH, _sre.SUBPATTERN) or (op in _REPEATS and av[0] >= 1):
            branches = [_sequence_needs(b) for b in _nested(op, av)]
            if None not in branches:  # every branch needs one of its literals
                candidates.append(frozenset().union(*branches))
    close()
    # the most selective guess: long literals, few alternatives
    return max(candidates, key=lambda c: min(len(s.strip()) for s in c) - (len(c) - 1) / 2, default=None)


def needs_of(pattern: str) -> frozenset[str] | None:
    """Lowercase literals one of which every match of ``pattern`` contains, in the
    text lowercased with each run of whitespace as one space; None when none can be derived."""
    if _sre_parse is None:
        return None  # pragma: no cover
    try:
        return _sequence_needs(_sre_parse.parse(pattern, _FLAGS))
    except Exception:  # noqa: BLE001 - the pattern compiled already; an odd shape only costs speed
        return None


# --- the compiled lexicon --------------------------------------------------


_WORD_START = r"(?<!\w)"
_CASED = "(?-i:"


@dataclass(frozen=True)
class _Pattern:
    """One compiled pattern of a fact, run only when the text contains one of ``needs``.

    Speed matters here (the regex engine can only skip ahead to a literal when
    the pattern starts with one and ignores no case):
    - a pattern without a case-sensitive part ``(?-i:…)`` is written in lowercase
      and runs on the lowercased text without the ignore-case flag; a ``cased``
      one runs on the folded text with it;
    - a leading ``(?<!\\w)`` is left out of the regex and checked per match.
    """

    fact: str
    regex: re.Pattern[str]
    needs: frozenset[str] | None
    word_start: bool
    cased: bool

    @classmethod
    def compile(cls, fact: str, pattern: str) -> _Pattern:
        """Compile ``pattern`` (raises ``re.error``)."""
        word_start = pattern.startswith(_WORD_START)
        body = pattern.removeprefix(_WORD_START)
        cased = _CASED in pattern
        regex = re.compile(body, _FLAGS if cased else re.MULTILINE)
        return cls(fact, regex, needs_of(pattern), word_start, cased)

    def spans(self, folded: str, low: str) -> list[tuple[int, int]]:
        """Non-empty match spans (offsets into both texts)."""
        text = folded if self.cased else low
        found, position = [], 0
        while (match := self.regex.search(text, position)) is not None:
            start, end = match.span()
            if not (self.word_start and start > 0 and _WORD.match(text, start - 1)) and end > start:
                found.append((start, end))
            position = max(end, start + 1) if end > start else start + 1
        return found


@dataclass(frozen=True)
class _Prefilter:
    """Picks the patterns worth running on a text: those without ``needs`` and
    those with a need that occurs in the text.

    One regex finds, at every position of the text, the longest need starting
    there; ``covers`` adds the needs that are prefixes of it.
    """

    patterns: tuple[_Pattern, ...]
    always: frozenset[int]
    needs_regex: re.Pattern[str] | None
    covers: dict[str, frozenset[int]]  # a need → the patterns that need it or one of its prefixes

    @classmethod
    def of(cls, patterns: Sequence[_Pattern]) -> _Prefilter:
        """The prefilter for ``patterns`` (kept in order)."""
        needs = {need for pattern in patterns for need in pattern.needs or ()}
        covers = {
            need: frozenset(i for i, p in enumerate(patterns) if any(need.startswith(n) for n in p.needs or ()))
            for need in needs
        }
        always = frozenset(i for i, p in enumerate(patterns) if p.needs is None)
        regex = re.compile(f"(?=({_trie_regex(needs, exact=True)}))") if needs else None
        return cls(tuple(patterns), always, regex, covers)

    def select(self, squeezed: str) -> list[_Pattern]:
        """The patterns that may match the text (``squeezed``: lowercase, one space per run)."""
        chosen = set(self.always)
        if self.needs_regex is not None:
            for need in set(self.needs_regex.findall(squeezed)):
                chosen |= self.covers[need]
        return [self.patterns[i] for i in sorted(chosen)]


@dataclass(frozen=True, eq=False)
class TextCueLexicon:
    """A validated, compiled text-cue lexicon.

    ``phrase_regex`` matches every phrase of every fact (lowercase text);
    ``phrase_facts`` maps a phrase (words joined by one space) to its facts.
    ``organisation_patterns`` still hold ``{{organisation}}`` (filled per call).
    """

    labels: dict[str, str]
    negatable: frozenset[str]
    phrase_regex: re.Pattern[str] | None
    phrase_facts: dict[str, tuple[str, ...]]
    prefilter: _Prefilter
    organisation_patterns: tuple[tuple[str, str], ...]
    negation_words: frozenset[str]
    negation_window: int
    cue_counts: tuple[tuple[str, int], ...]  # fact name, number of phrases and patterns

    def detect(
        self, text: str, organisation_names: Sequence[str] = (), author_function: str | None = None
    ) -> list[Fact]:
        """The ``text.*`` facts of ``text`` by this lexicon; see :func:`detect_text_cues`."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        folded = fold(text)
        low = _lower(folded)
        squeezed = " " + " ".join(low.split()) + " "
        spans = _phrase_spans(self, low)
        for prefilter in (self.prefilter, _call_patterns(self, tuple(organisation_names), author_function)):
            for pattern in prefilter.select(squeezed):
                spans[pattern.fact] += pattern.spans(folded, low)
        return [self._fact(name, text, low, spans[name]) for name in TEXT_FACTS]

    def _fact(self, name: str, text: str, low: str, spans: list[tuple[int, int]]) -> Fact:
        if not spans:
            return Fact(name, False, [])
        evidence = []
        for start, end in _without_overlaps(spans):
            if name in self.negatable and _negated(low, start, self.negation_words, self.negation_window):
                continue
            start, end = _strip_span(text, start, end)
            evidence.append(Evidence(self.labels[name], text[start:end], start, end))
        return Fact(name, bool(evidence), evidence)


def _phrase_spans(lexicon: TextCueLexicon, low: str) -> defaultdict[str, list[tuple[int, int]]]:
    """Fact → spans of its phrases in ``low``, including phrases that start or end
    inside a longer phrase of another fact."""
    spans: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    if lexicon.phrase_regex is None:
        return spans
    position = 0
    while (match := lexicon.phrase_regex.search(low, position)) is not None:
        start = match.start()
        position = start + 1
        if start > 0 and _WORD.match(low, start - 1):
            continue  # inside a word
        for end in _word_ends(low, start, match.end()):
            for fact in lexicon.phrase_facts.get(" ".join(low[start:end].split()), ()):
                spans[fact].append((start, end))
    return spans


def _word_ends(low: str, start: int, end: int) -> list[int]:
    """Offsets in ``(start, end]`` where a phrase could end: after a word or a sign.

    ``end`` itself ends a word: the phrase regex checked the boundary there.
    """
    return [match.end() for match in _TOKEN.finditer(low, start, end)]


def _without_overlaps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans: the earliest first, the longest at an equal start."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _negated(low: str, start: int, words: frozenset[str], window: int) -> bool:
    """True when a negation word stands at most ``window`` words before ``start`` in the same clause."""
    clause = _CLAUSE_END.split(low[max(0, start - 80) : start])[-1]
    return any(word in words for word in _WORD.findall(clause)[-window:])


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _names_regex(names: Iterable[str]) -> str:
    """Names (organisation, function) as one lowercase regex: whole words, flexible spaces and hyphens."""
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        tokens = [t for t in re.split(r"[\s\-]+", _lower(fold(name))) if t]
        if tokens:
            right = r"(?!\w)" if _WORD.match(tokens[-1][-1]) else ""
            alternatives.append(r"[\s\-]+".join(map(re.escape, tokens)) + right)
    return _WORD_START + "(?:" + "|".join(alternatives) + ")" if alternatives else r"(?!)"


def _with_organisations(pattern: str, names: Sequence[str]) -> str:
    return pattern.replace("{{" + _ORGANISATION + "}}", _names_regex(names))


@lru_cache(maxsize=64)
def _call_patterns(lexicon: TextCueLexicon, organisations: tuple[str, ...], function: str | None) -> _Prefilter:
    """The patterns that depend on the call: organisation names and the author's function."""
    organisations = tuple(sorted({" ".join(n.split()) for n in organisations if n and n.strip()}))
    function = " ".join(function.split()) if function and function.strip() else None
    found = []
    if organisations:
        found += [
            _Pattern.compile(fact, _with_organisations(pattern, organisations))
            for fact, pattern in lexicon.organisation_patterns
        ]
    if function:
        found.append(_Pattern.compile("text.states_function", _names_regex([function])))
    return _Prefilter.of(found)


# --- compiling the file ----------------------------------------------------


def _trie_regex(literals: Iterable[str], whole_words: bool = False, exact: bool = False) -> str:
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


def _compile(pattern: str, loc: tuple[str | int, ...]) -> re.Pattern[str]:
    try:
        regex = re.compile(pattern, _FLAGS)
    except re.error as exc:
        raise _Problem(loc, f"ongeldige reguliere expressie: {exc}") from None
    if _CASED not in pattern and _sre_parse is not None and _has_capital(_sre_parse.parse(pattern, _FLAGS)):
        raise _Problem(loc, "schrijf een patroon in kleine letters (hoofdletters alleen binnen (?-i:…))")
    return regex


def _has_capital(items: Iterable[tuple[Any, Any]]) -> bool:
    """True when a parsed pattern holds an uppercase literal letter or range."""
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL) and chr(av) != chr(av).lower():
            return True
        if op is _sre.RANGE and chr(av[0]) != chr(av[0]).lower():
            return True
        if any(_has_capital(sub) for sub in _nested(op, av)):
            return True
    return False


def _term_regexes(terms: dict[str, list[str] | str]) -> dict[str, str]:
    compiled = {}
    for name, value in terms.items():
        loc = ("terms", name)
        if name == _ORGANISATION:
            raise _Problem(loc, f"'{_ORGANISATION}' is gereserveerd voor de namen van de organisatie")
        if isinstance(value, str):
            _compile(fold(value), loc)
            compiled[name] = f"(?:{fold(value)})"
        elif not value or any(not p.strip() for p in value):
            raise _Problem(loc, "een lijst met niet-lege woorden is nodig")
        else:
            compiled[name] = "(?:" + _trie_regex([_lower(fold(p)) for p in value]) + ")"
    return compiled


def _expand(pattern: str, terms: dict[str, str], loc: tuple[str | int, ...]) -> str:
    """Replace ``{{term}}`` by its regex; ``{{organisation}}`` is left in place."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == _ORGANISATION:
            return match.group(0)
        if name not in terms:
            known = ", ".join([*sorted(terms), _ORGANISATION])
            raise _Problem(loc, f"onbekende term {{{{{name}}}}}; bekend: {known}")
        return terms[name]

    return _TERM.sub(substitute, fold(pattern))


def _phrase_keys(fact: str, cues: _FactCues) -> list[str]:
    """The fact's phrases, folded, lowercase, one space between words; checked."""
    keys: dict[str, int] = {}
    for index, phrase in enumerate(cues.phrases):
        loc = ("facts", fact, "phrases", index)
        key = " ".join(_lower(fold(phrase)).split())
        if not _WORD.match(key):
            raise _Problem(loc, "een frase begint met een letter of cijfer (gebruik anders een patroon)")
        if key in keys:
            raise _Problem(loc, f"dubbele frase {phrase!r} (ook op plaats {keys[key]})")
        keys[key] = index
    return list(keys)


def _fact_patterns(fact: str, cues: _FactCues, terms: dict[str, str]) -> tuple[list[_Pattern], list[tuple[str, str]]]:
    """The fact's compiled patterns, and those that wait for ``{{organisation}}``."""
    fixed, waiting = [], []
    for index, raw in enumerate(cues.patterns):
        loc = ("facts", fact, "patterns", index)
        pattern = _expand(raw, terms, loc)
        if "{{" + _ORGANISATION + "}}" in pattern:
            _compile(_with_organisations(pattern, (_SAMPLE_ORGANISATION,)), loc)
            waiting.append((fact, pattern))
        else:
            if _compile(pattern, loc).match(""):
                raise _Problem(loc, "patroon past op lege tekst")
            fixed.append(_Pattern.compile(fact, pattern))
    return fixed, waiting


def _build(data: _LexiconFile) -> TextCueLexicon:
    unknown = [n for n in data.facts if n not in TEXT_FACTS]
    if unknown:
        raise _Problem(("facts", unknown[0]), f"onbekend feit; bekend: {', '.join(TEXT_FACTS)}")
    missing = [n for n in TEXT_FACTS if n not in data.facts]
    if missing:
        raise _Problem(("facts",), f"ontbrekende feiten: {', '.join(missing)}")
    terms = _term_regexes(data.terms)
    phrase_facts: defaultdict[str, list[str]] = defaultdict(list)
    patterns, waiting = [], []
    for fact in TEXT_FACTS:
        cues = data.facts[fact]
        if not cues.phrases and not cues.patterns:
            raise _Problem(("facts", fact), "geen frases en geen patronen")
        for key in _phrase_keys(fact, cues):
            phrase_facts[key].append(fact)
        fixed, organisation = _fact_patterns(fact, cues, terms)
        patterns += fixed
        waiting += organisation
    phrase_regex = re.compile(_trie_regex(phrase_facts, whole_words=True)) if phrase_facts else None
    return TextCueLexicon(
        labels={fact: data.facts[fact].label for fact in TEXT_FACTS},
        negatable=frozenset(fact for fact in TEXT_FACTS if data.facts[fact].negatable),
        phrase_regex=phrase_regex,
        phrase_facts={key: tuple(facts) for key, facts in phrase_facts.items()},
        prefilter=_Prefilter.of(patterns),
        organisation_patterns=tuple(waiting),
        negation_words=frozenset(_lower(fold(w)) for w in data.negation.words),
        negation_window=data.negation.window,
        cue_counts=tuple((f, len(data.facts[f].phrases) + len(data.facts[f].patterns)) for f in TEXT_FACTS),
    )


def _line_of(root: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    """The line (1-based) of the YAML node at ``loc``, or of its nearest parent."""
    node = root
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
    return None if node is None else node.start_mark.line + 1


def _field(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else str(k)) for i, k in enumerate(loc))


def parse_text_cues(text: str, path: Path | str = "<tekst>") -> TextCueLexicon:
    """Validate and compile lexicon YAML ``text``.

    Raises :class:`TextCueLexiconError` naming ``path``, the line and the field
    (bad YAML, unknown or missing facts, unknown terms, bad regexes, duplicates).
    """
    try:
        data, root = yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"regel {mark.line + 1}" if mark is not None else "bestand"
        raise TextCueLexiconError(f"lexicon {path}, {line}: geen geldige YAML") from None
    try:
        return _build(_LexiconFile.model_validate(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        problem = _Problem(tuple(first["loc"]), first["msg"])
    except _Problem as exc:
        problem = exc
    line = _line_of(root, problem.loc)
    where = f"regel {line}, " if line else ""
    raise TextCueLexiconError(f"lexicon {path}, {where}veld {_field(problem.loc) or '(bestand)'}: {problem.message}")


def load_text_cues(path: Path | str) -> TextCueLexicon:
    """Read, validate and compile a lexicon file; raises :class:`TextCueLexiconError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TextCueLexiconError(f"lexicon {path}: kan bestand niet lezen ({exc.__class__.__name__})") from None
    return parse_text_cues(text, path)


def builtin_text_cues_path() -> Path:
    """The shipped lexicon ``lexicons/text_cues.yaml``."""
    return Path(str(resources.files("plaatsbaar") / "lexicons" / "text_cues.yaml"))


@cache
def default_text_cues() -> TextCueLexicon:
    """The shipped lexicon, loaded and compiled once per process."""
    return load_text_cues(builtin_text_cues_path())


def detect_text_cues(
    text: str,
    organisation_names: Sequence[str] = (),
    author_function: str | None = None,
) -> list[Fact]:
    """The ``text.*`` facts of a Dutch text, each a bool with its evidence.

    ``organisation_names``: the ways texts name the protocol's organisation
    ("Lucas Onderwijs", "MSVR"); matched case-insensitively as whole words, they
    make a text about the school (and "werkzaam bij <naam>" names the author's school).
    ``author_function``: the author's function as given with the post
    ("leerkracht groep 5"); its presence in the text states the function.

    Returns one :class:`Fact` per ``text.*`` fact of the vocabulary, in
    vocabulary order: value ``True`` with one :class:`Evidence` per cue found
    (Dutch label, exact character offsets into ``text``), else ``False`` with
    no evidence. Raises ``TypeError`` when ``text`` is not a str, and
    :class:`TextCueLexiconError` when the shipped lexicon is broken.
    """
    return default_text_cues().detect(text, organisation_names, author_function)
