"""Load and validate the lexicons of the personal-data detector.

``lexicons/school_terms.yaml`` (school words: titles, class words, relations …)
and ``lexicons/special_categories.yaml`` (AVG art. 9 terms). Both are checked on
load; a bad file raises :class:`LexiconError` naming the file, line and field.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Iterable

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

_WILDCARD = "*"
_WORD_CHARS = re.compile(r"\w+")


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names file, line and field."""


def _check_term(term: str) -> str:
    stripped = term.strip()
    if not stripped:
        raise ValueError("lege term")
    inner = stripped.strip(_WILDCARD)
    if not _WORD_CHARS.search(stripped):
        raise ValueError(f"term {term!r} bevat geen letters of cijfers")
    if not inner or _WILDCARD in inner or any(w.strip(_WILDCARD) == "" for w in stripped.split()):
        raise ValueError(f"term {term!r}: '*' mag alleen vast aan het begin of eind van een woord staan")
    return stripped


Term = Annotated[str, AfterValidator(_check_term)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SchoolTerms(_Strict):
    """School words; see the comments in ``school_terms.yaml`` for each list."""

    version: int
    staff_titles: list[Term]
    other_titles: list[Term]
    greeting_words: list[Term]
    class_words: list[Term]
    school_levels: list[Term]
    class_prepositions: list[Term]
    pupil_words: list[Term]
    parent_words: list[Term]
    family_words: list[Term]
    not_names: list[Term]
    subjects: list[Term]
    not_persons: list[Term]
    functional_mailboxes: list[Term]
    birth_words: list[Term]
    age_verbs: list[Term]
    age_adverbs: list[Term]
    age_followers: list[Term]
    age_person_nouns: list[Term]
    non_person_subjects: list[Term]
    number_words: list[Term]
    bsn_words: list[Term]


class SpecialCategory(_Strict):
    """One AVG art. 9 category: Dutch evidence label, case-insensitive terms, exact abbreviations."""

    name: str
    label: str
    terms: list[Term]
    abbreviations: list[Term] = []


class SpecialCategories(_Strict):
    """All special categories, in file order."""

    version: int
    categories: list[SpecialCategory]


def _line_of(node: yaml.Node, loc: tuple) -> int | None:
    """1-based line of the YAML node along a pydantic error location."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
    return node.start_mark.line + 1


def _describe(path: Path, error: dict[str, Any], root: yaml.Node) -> str:
    loc = error["loc"]
    field = ".".join(str(k) if isinstance(k, str) else f"[{k}]" for k in loc).replace(".[", "[")
    return f"{path}, regel {_line_of(root, loc)}, veld {field}: {error['msg']}"


def load_lexicon(path: Path, model: type[_Strict]) -> Any:
    """Parse ``path`` as ``model``; raises :class:`LexiconError` naming file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except OSError as exc:
        raise LexiconError(f"{path}: kan lexicon niet lezen ({exc.__class__.__name__})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", regel {mark.line + 1}" if mark else ""
        raise LexiconError(f"{path}{where}: geen geldige YAML ({getattr(exc, 'problem', exc)})") from None
    if root is None or not isinstance(data, dict):
        raise LexiconError(f"{path}: het lexicon moet een mapping (sleutel: waarde) zijn")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise LexiconError("\n".join(_describe(path, e, root) for e in exc.errors())) from None


def _packaged(name: str) -> Path:
    return Path(str(resources.files("plaatsbaar").joinpath("lexicons", name)))


@lru_cache(maxsize=1)
def school_terms() -> SchoolTerms:
    """The packaged ``school_terms.yaml`` (loaded once)."""
    return load_lexicon(_packaged("school_terms.yaml"), SchoolTerms)


@lru_cache(maxsize=1)
def special_categories() -> SpecialCategories:
    """The packaged ``special_categories.yaml`` (loaded once)."""
    return load_lexicon(_packaged("special_categories.yaml"), SpecialCategories)


def _term_regex(term: str, keep_case: bool) -> str:
    words = []
    for word in term.split():
        core = re.escape(word.strip(_WILDCARD) if keep_case else word.strip(_WILDCARD).lower())
        prefix = r"[\w-]*" if word.startswith(_WILDCARD) else ""
        suffix = r"[\w-]*" if word.endswith(_WILDCARD) else ""
        words.append(prefix + core + suffix)
    return r"\s+".join(words)


def alternation(terms: Iterable[str], keep_case: bool = False) -> str:
    """A regex group matching any of ``terms`` (longest first), without word boundaries.

    Terms are lowercased (match them against :attr:`TextView.lower`) unless
    ``keep_case``. Words of a phrase match across any whitespace; ``*`` at the
    start or end of a word matches any letters or hyphens.
    """
    ordered = sorted(set(terms), key=len, reverse=True)
    return "(?:" + "|".join(_term_regex(t, keep_case) for t in ordered) + ")"


def words_regex(terms: list[str]) -> re.Pattern[str]:
    """A compiled regex matching any of ``terms`` as whole words in :attr:`TextView.lower`."""
    return re.compile(rf"(?<!\w){alternation(terms)}(?!\w)")


_SENTENCE_END = re.compile(r"(?<!\bgeb)(?<!\b[a-z])[.!?]+(?=\s|$)|\n")


class TextView:
    """One text prepared for matching, built once per text.

    ``lower`` is the text in lowercase with the SAME offsets (a character whose
    lowercase is longer, like "İ", is kept as is), so that lexicon regexes run
    case-sensitively on it and their offsets still point into ``text``.
    ``words`` is the set of its lowercase words, for :class:`Triggers`.
    """

    def __init__(self, text: str):
        self.text = text
        lower = text.lower()
        if len(lower) != len(text):
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        self.lower = lower
        self.words = frozenset(_WORD_CHARS.findall(lower))
        self._sentence_ends: list[int] | None = None

    def sentence(self, position: int) -> tuple[int, int]:
        """``(start, end)`` of the sentence holding ``position``."""
        if self._sentence_ends is None:
            self._sentence_ends = [m.end() for m in _SENTENCE_END.finditer(self.lower)]
        ends = self._sentence_ends
        i = bisect.bisect_right(ends, position)
        return (ends[i - 1] if i > 0 else 0), (ends[i] if i < len(ends) else len(self.text))


@dataclass(frozen=True)
class Triggers:
    """A cheap pre-check: can any of a list of terms occur in a text at all?

    A text can only hold a term when it holds each of the term's words; the
    trigger is the longest (rarest) one. For "*allergie" and "etnisch*" the
    trigger is the fragment ("allergie") anywhere in the lowercased text.
    Checking this first saves running large regexes on most texts.
    """

    words: frozenset[str]
    fragments: re.Pattern[str] | None = None

    @classmethod
    def of(cls, terms: list[str]) -> Triggers:
        """The triggers of ``terms`` (lexicon terms, ``*`` wildcards allowed)."""
        words, fragments = set(), set()
        for term in terms:
            plain = [c for w in term.split() if _WILDCARD not in w for c in _WORD_CHARS.findall(w.lower())]
            if plain:
                words.add(max(plain, key=len))
            else:
                fragments.add(max(_WORD_CHARS.findall(term.lower()), key=len))
        pattern = re.compile("|".join(map(re.escape, sorted(fragments)))) if fragments else None
        return cls(frozenset(words), pattern)

    def present(self, view: TextView) -> bool:
        """True when the text may hold one of the terms."""
        if not self.words.isdisjoint(view.words):
            return True
        return self.fragments is not None and self.fragments.search(view.lower) is not None
