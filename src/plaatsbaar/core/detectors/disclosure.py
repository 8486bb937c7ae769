"""Disclosure and text cues: the ``text.*`` facts of a Dutch text.

Whether a text is about the school, carries a "persoonlijke titel" disclaimer,
names the author's function, gives an opinion, is chat-speak, asks a question,
is a sick note, is negative, touches confidential school matters or private
life, voices doubt or corrects an inaccuracy. The cues are curated Dutch
phrases and patterns in ``lexicons/text_cues.yaml``, compiled once per process.

Matching is case- and accent-insensitive: the text is folded character by
character (é → e, ’ → '), which keeps every offset, so each evidence span is
exact in the original text.

Speed: all phrases of all facts form one trie-shaped regex, tried at word
starts only; a pattern runs only when the text holds a literal that every
match of the pattern holds (derived from the pattern when the lexicon is
compiled, see ``regex_prefilter``). A typical post costs a few tens of
microseconds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from plaatsbaar.core.detectors.regex_prefilter import Literals, Prefilter, has_capital, literals_of, trie_regex
from plaatsbaar.core.findings import Evidence, Fact
from plaatsbaar.core.vocabulary import FACTS

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


# --- the compiled lexicon --------------------------------------------------


_WORD_START = r"(?<!\w)"
_CASED = "(?-i:"


@dataclass(frozen=True)
class _Pattern:
    """One compiled pattern of a fact, run only when the text holds its prefilter ``literals``.

    Speed matters here (the regex engine can only skip ahead to a literal when
    the pattern starts with one and ignores no case):
    - a pattern without a case-sensitive part ``(?-i:…)`` is written in lowercase
      and runs on the lowercased text without the ignore-case flag; a ``cased``
      one runs on the folded text with it;
    - a leading ``(?<!\\w)`` is left out of the regex and checked per match.
    """

    fact: str
    regex: re.Pattern[str]
    literals: Literals
    word_start: bool
    cased: bool

    @classmethod
    def compile(cls, fact: str, pattern: str) -> _Pattern:
        """Compile ``pattern`` (raises ``re.error``)."""
        word_start = pattern.startswith(_WORD_START)
        body = pattern.removeprefix(_WORD_START)
        cased = _CASED in pattern
        regex = re.compile(body, _FLAGS if cased else re.MULTILINE)
        return cls(fact, regex, literals_of(pattern, _FLAGS), word_start, cased)

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


def _prefilter(patterns: Sequence[_Pattern]) -> Prefilter[_Pattern]:
    """The prefilter that picks, per text, the patterns worth running."""
    return Prefilter.of(patterns, [pattern.literals for pattern in patterns])


@dataclass(frozen=True, eq=False)
class TextCueLexicon:
    """A validated, compiled text-cue lexicon.

    ``phrase_regex`` matches every phrase of every fact at a word start (lowercase text);
    ``phrase_facts`` maps a phrase (words joined by one space) to its facts.
    ``organisation_patterns`` still hold ``{{organisation}}`` (filled per call).
    """

    labels: dict[str, str]
    negatable: frozenset[str]
    phrase_regex: re.Pattern[str] | None
    phrase_facts: dict[str, tuple[str, ...]]
    prefilter: Prefilter[_Pattern]
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
        patterns = _organisation_prefilter(self, tuple(organisation_names)).select(squeezed)
        for pattern in [*patterns, *_function_patterns(author_function)]:
            spans[pattern.fact] += pattern.spans(folded, low)
        return [
            self._fact(name, text, low, found) if (found := spans.get(name)) else Fact(name, False, [])
            for name in TEXT_FACTS
        ]

    def _fact(self, name: str, text: str, low: str, spans: list[tuple[int, int]]) -> Fact:
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
def _organisation_prefilter(lexicon: TextCueLexicon, organisations: tuple[str, ...]) -> Prefilter[_Pattern]:
    """The lexicon's patterns and those naming the organisation, under one prefilter."""
    organisations = tuple(sorted({" ".join(n.split()) for n in organisations if n and n.strip()}))
    if not organisations:
        return lexicon.prefilter
    named = [
        _Pattern.compile(fact, _with_organisations(pattern, organisations))
        for fact, pattern in lexicon.organisation_patterns
    ]
    return _prefilter([*lexicon.prefilter.items, *named])


@lru_cache(maxsize=256)
def _function_patterns(function: str | None) -> tuple[_Pattern, ...]:
    """The pattern of the author's function, if given (it starts with a literal: cheap to run on every text)."""
    function = " ".join(function.split()) if function and function.strip() else None
    return (_Pattern.compile("text.states_function", _names_regex([function])),) if function else ()


# --- compiling the file ----------------------------------------------------


def _compile(pattern: str, loc: tuple[str | int, ...]) -> re.Pattern[str]:
    try:
        regex = re.compile(pattern, _FLAGS)
    except re.error as exc:
        raise _Problem(loc, f"ongeldige reguliere expressie: {exc}") from None
    if _CASED not in pattern and has_capital(pattern, _FLAGS):
        raise _Problem(loc, "schrijf een patroon in kleine letters (hoofdletters alleen binnen (?-i:…))")
    return regex


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
            compiled[name] = "(?:" + trie_regex([_lower(fold(p)) for p in value]) + ")"
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
    phrase_regex = re.compile(_WORD_START + trie_regex(phrase_facts, whole_words=True)) if phrase_facts else None
    return TextCueLexicon(
        labels={fact: data.facts[fact].label for fact in TEXT_FACTS},
        negatable=frozenset(fact for fact in TEXT_FACTS if data.facts[fact].negatable),
        phrase_regex=phrase_regex,
        phrase_facts={key: tuple(facts) for key, facts in phrase_facts.items()},
        prefilter=_prefilter(patterns),
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
