"""Dutch abusive language, from our curated lexicon ``lexicons/abuse.yaml``.

Seven categories, one ``abuse.*`` count fact each, plus ``abuse.any``:
insult, profanity, threat, defamation, discrimination, radicalisation and
sexual (sexual intimidation).

Matching runs on a normalised *view* of the text that undoes the usual
spelling games: case, diacritics and look-alike letters (``Kánker``,
``ｋｕｔ``), zero-width characters, leetspeak inside words (``k4nk3r``,
``k@nker``) and letters spread out with spaces or dots (``k u t``,
``k.u.t``). Every view character remembers the original characters it came
from, so evidence offsets are exact: ``text[e.start:e.end] == e.text``.

A letter typed three or more times counts once in the view (``kuuuut`` →
``kut``); a double letter in an entry also matches a single one, so
``idioot`` matches ``idiooooot``, while real double letters in names stay
apart (``Losser`` is not ``loser``). A vowel may be masked with ``*``
(``k*t``) and a space matches one whitespace character (the view squeezes
whitespace runs). Every entry is anchored on word boundaries. A one-word
hit written as a name in mid-sentence (``juf Kutlu``, ``naar Losser``) is
taken for a proper name and not counted. The file format is described at
the top of ``abuse.yaml``.

Speed: most texts are left as they are by the normalisation but for folding
(a quick check tells), and an entry only runs when the view holds a literal
that every match of the entry holds (``regex_prefilter``): a typical post
costs a few tens of microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml

from plaatsbaar.core.detectors.regex_prefilter import Literals, Prefilter, literals_of
from plaatsbaar.core.findings import Evidence, Fact

#: Category → the Dutch evidence label; the order is the vocabulary's.
LABELS: dict[str, str] = {
    "insult": "belediging",
    "profanity": "schuttingtaal",
    "threat": "bedreiging",
    "defamation": "laster",
    "discrimination": "discriminatie",
    "radicalisation": "radicalisering",
    "sexual": "seksuele intimidatie",
}

#: When two hits cover the same span, the earlier category here wins.
_PRIORITY = ("radicalisation", "threat", "sexual", "discrimination", "defamation", "insult", "profanity")

_DEFAULT_LEXICON = Path(__file__).resolve().parents[2] / "lexicons" / "abuse.yaml"


# --------------------------------------------------------------------------- errors


class LexiconError(ValueError):
    """An abuse lexicon file that cannot be used; the message names file, entry and line."""

    def __init__(self, path: Path | str, problem: str, entry: int | None = None, line: int | None = None):
        self.path = str(path)
        where = []
        if entry is not None:
            where.append(f"item {entry}")
        if line is not None:
            where.append(f"regel {line}")
        place = f" ({', '.join(where)})" if where else ""
        super().__init__(f"lexiconbestand {self.path} is ongeldig{place}: {problem}")


# --------------------------------------------------------------------------- the normalised view

_ZERO_WIDTH = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e", "!": "i"}
_WORDISH = r"(?:[^\W_]|[@$€!])"
_TOKEN = re.compile(_WORDISH + "+")
# three or more single characters separated by one space, or by a dot, dash,
# underscore or asterisk (with or without a space around it); two spaces end a word
_SPREAD_SEPARATOR = r"(?: |[ ]?[._*\-][ ]?)"
_SPREAD = re.compile(
    r"(?<![^\W_])(?<![@$€])(?:[^\W_]|[@$€])"
    rf"(?:{_SPREAD_SEPARATOR}(?:[^\W_]|[@$€])(?![^\W_])(?![@$€])){{2,}}"
)
_SENTENCE_END = ".!?\n"


@dataclass(frozen=True)
class TextView:
    """A normalised view of a text.

    ``text`` is the view; view character ``i`` came from the original
    characters ``starts[i]:ends[i]``.
    """

    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` offsets of the view slice ``start:end`` (end > start)."""
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> str:
    """Lower-case, drop diacritics and map look-alike characters (``Ｋánker`` → ``kanker``)."""
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    decomposed = unicodedata.normalize("NFKD", ch.casefold().translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _FoldTable(dict):
    """``str.translate`` table that folds like :func:`_fold_char`, filled as characters come.

    A character that does not become exactly one view character (zero-width,
    combining, ``ß`` → ``ss``) maps to two, so a changed length tells.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = "" if ch in _ZERO_WIDTH or unicodedata.combining(ch) else _fold_char(ch)
        self[code] = folded if len(folded) == 1 else "\0\0"
        return self[code]


_FOLD_TABLE = _FoldTable()

# A text whose folded form none of the steps below would change maps one to one
# onto it: no spread letters, no run of three letters, no leetspeak (a digit in
# a word with letters, a symbol inside a word), no whitespace to squeeze. Most
# school texts are such texts. The checks are quick and may find more than the
# steps change (a hint, then the precise check).
_SQUEEZABLE = re.compile(r"\s\s|[^\S \n]")  # (a printable text has no whitespace but spaces)
_LEET_HINT = re.compile(r"[013457@$€!]")
_LEET_BEFORE_LETTER = re.compile(r"[013457][\d@$€!]*[^\W\d_]")  # on the text and on the text reversed
_SYMBOL_IN_WORD = re.compile(r"[@$€!](?:(?<=[^\W_][@$€!])[@$€!]*[^\W_]|(?<=\$)[^\W_])")
_RUN_HINT = re.compile(r"(\w)\1\1")
_RUN_OF_THREE = re.compile(r"([^\W\d_])\1\1")
_SPREAD_HINT = re.compile(r"[ ._*\-](?:[^\W_]|[@$€])[ ._*\-]")


def _changed_by_view(folded: str) -> bool:
    """True when a step after folding may change ``folded`` (False: it surely does not)."""
    if ("  " in folded if folded.isprintable() else _SQUEEZABLE.search(folded)) or "***" in folded:
        return True
    if _RUN_HINT.search(folded) and _RUN_OF_THREE.search(folded):
        return True
    if _LEET_HINT.search(folded) and (
        _LEET_BEFORE_LETTER.search(folded) or _LEET_BEFORE_LETTER.search(folded[::-1]) or _SYMBOL_IN_WORD.search(folded)
    ):
        return True
    return bool(_SPREAD_HINT.search(folded) and _SPREAD.search(folded))


def _plain_view(text: str) -> TextView | None:
    """The view of a text that normalising only folds character by character, else ``None``."""
    folded = text.translate(_FOLD_TABLE)
    if len(folded) != len(text) or _changed_by_view(folded):
        return None
    return TextView(folded, range(len(text)), range(1, len(text) + 1))


def normalised_view(text: str) -> TextView:
    """The view of ``text`` that lexicon entries are matched against."""
    plain = _plain_view(text)
    if plain is not None:
        return plain
    draft = _collapse_runs(_undo_leetspeak(_squeeze_whitespace(_join_spread_letters(_fold_chars(text)))))
    return TextView(draft.text, tuple(draft.starts), tuple(draft.ends))


@dataclass(frozen=True)
class _Draft:
    """A view being built: ``text``, and the original span ``starts[i]:ends[i]`` of each character."""

    text: str
    starts: list[int]
    ends: list[int]

    def keeping(self, indices: list[int]) -> _Draft:
        """Only the characters at ``indices`` (ascending)."""
        return _Draft(
            "".join(self.text[i] for i in indices), [self.starts[i] for i in indices], [self.ends[i] for i in indices]
        )

    def replacing(self, runs: list[tuple[int, int, str, int, int]]) -> _Draft:
        """Each run ``(start, end, char, original_start, original_end)`` (ascending, apart)
        becomes the one character ``char`` with that original span."""
        if not runs:
            return self
        text, starts, ends, last = [], [], [], 0
        for start, end, char, original_start, original_end in runs:
            text += [self.text[last:start], char]
            starts += [*self.starts[last:start], original_start]
            ends += [*self.ends[last:start], original_end]
            last = end
        text.append(self.text[last:])
        return _Draft("".join(text), starts + self.starts[last:], ends + self.ends[last:])


def _fold_chars(text: str) -> _Draft:
    """The folded text; combining marks join the character before, zero-width characters go."""
    folded = text.translate(_FOLD_TABLE)
    if len(folded) == len(text):  # every character folds to one
        return _Draft(folded, list(range(len(text))), list(range(1, len(text) + 1)))
    chars: list[list[Any]] = []
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH:
            continue
        if unicodedata.combining(ch):
            if chars:
                chars[-1][2] = i + 1
            continue
        chars.extend([c, i, i + 1] for c in _fold_char(ch))
    return _Draft("".join(c[0] for c in chars), [c[1] for c in chars], [c[2] for c in chars])


_WHITESPACE_RUN = re.compile(r"\s+")
_SAME_THREE_OR_MORE = re.compile(r"(.)\1\1+", re.DOTALL)


def _squeeze_whitespace(draft: _Draft) -> _Draft:
    """One view character per whitespace run, with the span of its first character:
    a newline if the run has one, else a space."""
    runs = []
    for match in _WHITESPACE_RUN.finditer(draft.text):
        start, end = match.span()
        if match.group() not in (" ", "\n"):
            runs.append((start, end, "\n" if "\n" in match.group() else " ", draft.starts[start], draft.ends[start]))
    return draft.replacing(runs)


def _collapse_runs(draft: _Draft) -> _Draft:
    """A letter (or ``*``) typed three or more times counts once: ``kuuuut`` → ``kut``.

    The kept character takes over the span of the whole run, so evidence
    still covers it. Double letters stay (``Losser``, ``idioot``). Also keeps
    matching linear on input like ``kkkkkkkk…``.
    """
    runs = []
    for match in _SAME_THREE_OR_MORE.finditer(draft.text):
        char = match.group(1)
        if char.isalpha() or char == "*":
            start, end = match.span()
            runs.append((start, end, char, draft.starts[start], draft.ends[end - 1]))
    return draft.replacing(runs)


def _join_spread_letters(draft: _Draft) -> _Draft:
    """Drop the separators in ``k u t``, ``k.u.t``, ``g-v-d`` (three or more single characters)."""
    text = draft.text
    drop: set[int] = set()
    for match in _SPREAD.finditer(text):
        drop.update(i for i in range(match.start(), match.end()) if text[i] in " ._*-")
    return draft.keeping([i for i in range(len(text)) if i not in drop]) if drop else draft


def _undo_leetspeak(draft: _Draft) -> _Draft:
    """Map digits and symbols in words that have letters: ``k4nk3r``, ``p3d0``, ``k@nker``.

    Words without letters keep their digits (``88``, ``1488``). Symbols are
    only mapped between the word's first and last letter or digit (and a
    ``$`` just before it), so ``kut!!`` and ``@juf`` keep theirs.
    """
    text = draft.text
    mapped: list[str] | None = None
    for token in _TOKEN.finditer(text):
        word = token.group()
        if not any(c in _LEET for c in word) or not any(c.isalpha() for c in word):
            continue
        core = [i for i in range(*token.span()) if text[i].isalnum()]
        first, last = core[0], core[-1]
        for i in range(*token.span()):
            ch = text[i]
            inside = first < i < last or (ch == "$" and i == first - 1)
            if ch in _LEET and (ch.isdigit() or inside):
                mapped = mapped or list(text)
                mapped[i] = _LEET[ch]
    return draft if mapped is None else _Draft("".join(mapped), draft.starts, draft.ends)


# --------------------------------------------------------------------------- compiling entries

_VOWELS = "aeiouy"
_GROUP_HEADS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")
_MACRO = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_BOUNDARY_BEFORE = r"(?<![^\W_])"
_BOUNDARY_AFTER = r"(?![^\W_])"


def stretch_letters(source: str, mask_vowels: bool = True) -> str:
    """Rewrite a pattern so that its literal letters tolerate spelling games.

    A double letter also matches a single one (``oo`` → ``o{1,2}``; write
    ``k{2}`` where the double matters), a vowel may be masked by ``*``, a
    space becomes ``\\s``. Escapes, character classes and lookbehinds are
    left alone. Raises ``ValueError`` for a group other than ``(…)``,
    ``(?:``, ``(?=``, ``(?!``, ``(?<=`` or ``(?<!``.

    Without ``mask_vowels`` vowels cannot be masked: the pattern then matches
    exactly what the full one matches in a view without ``*`` (used to derive
    the prefilter's literals).
    """
    out: list[str] = []
    lookbehinds: list[bool] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            out.append(source[i : i + 2])
            i += 2
        elif ch == "[":
            end = _class_end(source, i)
            out.append(source[i:end])
            i = end
        elif ch == "(":
            head = _group_head(source, i)
            lookbehinds.append(head in ("(?<=", "(?<!"))
            out.append(head)
            i += len(head)
        elif ch == ")":
            if lookbehinds:
                lookbehinds.pop()
            out.append(ch)
            i += 1
        elif any(lookbehinds) or not (ch.isalpha() or ch == " "):
            out.append(_fold_char(ch) if ch.isalpha() else ch)
            i += 1
        else:
            i = _stretch_run(source, i, out, mask_vowels)
    return "".join(out)


def _class_end(source: str, start: int) -> int:
    """The index just after the character class that opens at ``start``."""
    i = start + 1
    if source[i : i + 1] == "^":
        i += 1
    if source[i : i + 1] == "]":
        i += 1
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return min(i + 1, len(source))


def _group_head(source: str, start: int) -> str:
    if source[start + 1 : start + 2] != "?":
        return "("
    head = next((h for h in _GROUP_HEADS if source.startswith(h, start)), None)
    if head is None:
        raise ValueError("alleen de groepen ( ), (?: ), (?= ), (?! ), (?<= ) en (?<! ) zijn toegestaan")
    return head


def _stretch_run(source: str, start: int, out: list[str], mask_vowels: bool) -> int:
    """Emit a run of equal letters (or one space) from ``start``; return the index after it."""
    if source[start] == " ":
        out.append(r"\s")
        return start + 1
    letter = _fold_char(source[start])
    end = start + 1
    while end < len(source) and source[end].isalpha() and _fold_char(source[end]) == letter:
        end += 1
    if len(letter) != 1 or not letter.isascii():
        out.append(re.escape(letter) * (end - start))
        return end
    count = end - start
    quantified = source[end : end + 1] in ("?", "*", "+", "{")
    if quantified:  # the quantifier belongs to the last letter: keep that one literal
        count -= 1
    if count:
        out.append(_repeated(letter, count, mask_vowels))
    if quantified:
        out.append(f"(?:{letter}|\\*+)" if mask_vowels and letter in _VOWELS else letter)
    return end


def _repeated(letter: str, count: int, mask_vowels: bool) -> str:
    """``letter`` once, or 1 to ``count`` times; a vowel may instead be masked by ``*``."""
    atom = letter if count == 1 else f"{letter}{{1,{count}}}"
    return f"(?:{atom}|\\*+)" if mask_vowels and letter in _VOWELS else atom


def term_source(term: str) -> str:
    """A literal term as pattern source: specials escaped, an apostrophe optional."""
    parts = []
    for ch in fold(term):
        if ch.isalpha() or ch == " ":
            parts.append(ch)
        elif ch == "'":
            parts.append("'?")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def expand_macros(source: str, macros: dict[str, str]) -> str:
    """Replace ``{name}`` by ``(?:macro)``; macros may use macros (depth ≤ 5).

    Raises ``ValueError`` naming an unknown macro.
    """
    for _ in range(6):
        names = _MACRO.findall(source)
        if not names:
            return source
        unknown = sorted(set(names) - set(macros))
        if unknown:
            raise ValueError(f"onbekende macro {{{unknown[0]}}}; bekend: {', '.join(sorted(macros))}")
        source = _MACRO.sub(lambda m: f"(?:{macros[m.group(1)]})", source)
    raise ValueError("macro's verwijzen te diep naar elkaar (kringverwijzing?)")


def _anchored(stretched: str) -> str:
    return f"{_BOUNDARY_BEFORE}(?:{stretched}){_BOUNDARY_AFTER}"


def source_literals(source: str, macros: dict[str, str]) -> Literals:
    """The prefilter literals of a lexicon pattern that :func:`compile_source` accepted,
    for a view without ``*`` (no masked vowels: most texts); see
    :func:`regex_prefilter.literals_of`. The view is searched as it is.
    """
    plain = stretch_letters(expand_macros(source, macros), mask_vowels=False)
    return literals_of(_anchored(plain), exact_case=True)


def compile_source(source: str, macros: dict[str, str]) -> re.Pattern[str]:
    """Compile a lexicon pattern for the view, anchored on word boundaries.

    Raises ``ValueError`` with the problem in Dutch (bad regex, unknown
    macro, a pattern that matches the empty text).
    """
    stretched = stretch_letters(expand_macros(source, macros))
    try:
        compiled = re.compile(_anchored(stretched))
    except re.error as exc:
        raise ValueError(f"ongeldige reguliere expressie ({exc.msg})") from None
    if compiled.match(""):
        raise ValueError("het patroon past op een lege tekst")
    return compiled


# --------------------------------------------------------------------------- entries and context

_CONTEXT_KEYS = ("unless_before", "unless_after", "unless_near", "unless_in_text", "requires_near")
_ENTRY_KEYS = frozenset(("term", "pattern", "category", "window", "note", *_CONTEXT_KEYS))
_DEFAULT_WINDOW = 4
_WORD_CHARS = 40  # a context window reads at most this many characters per word


@dataclass(frozen=True)
class _Context:
    """Conditions on the words around a hit (``window`` words, same sentence) or the whole text."""

    window: int
    unless_before: re.Pattern[str] | None = None
    unless_after: re.Pattern[str] | None = None
    unless_near: re.Pattern[str] | None = None
    unless_in_text: re.Pattern[str] | None = None
    requires_near: re.Pattern[str] | None = None

    def cancelled_by_text(self, view: str) -> bool:
        """True when a word of ``unless_in_text`` occurs anywhere in the view."""
        return _found(self.unless_in_text, view)

    def allows(self, view: str, start: int, end: int) -> bool:
        """True when the words around a hit at view ``start:end`` do not cancel it."""
        before, after = _words_before(view, start, self.window), _words_after(view, end, self.window)
        near = f"{before} {after}"
        cancelled = (
            _found(self.unless_before, before) or _found(self.unless_after, after) or _found(self.unless_near, near)
        )
        return not cancelled and (self.requires_near is None or _found(self.requires_near, near))


def _found(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _words_before(view: str, start: int, count: int) -> str:
    """The last ``count`` words before ``start`` in the same sentence."""
    lowest = max(0, start - _WORD_CHARS * count)
    sentence_start = max(view.rfind(mark, lowest, start) for mark in _SENTENCE_END) + 1
    return " ".join(view[max(lowest, sentence_start) : start].split()[-count:])


def _words_after(view: str, end: int, count: int) -> str:
    """The first ``count`` words after ``end`` in the same sentence."""
    highest = min(len(view), end + _WORD_CHARS * count)
    ends = [i for i in (view.find(mark, end, highest) for mark in _SENTENCE_END) if i >= 0]
    return " ".join(view[end : min(ends, default=highest)].split()[:count])


@dataclass(frozen=True)
class _Entry:
    """One compiled lexicon entry; ``literals``: its prefilter literals (see :func:`source_literals`)."""

    category: str
    regex: re.Pattern[str]
    context: _Context | None
    literals: Literals

    def hits(self, view: str) -> list[tuple[int, int]]:
        """View spans ``(start, end)`` where this entry matches and its context allows it."""
        spans = [m.span() for m in self.regex.finditer(view) if m.end() > m.start()]
        if not spans or self.context is None:
            return spans
        if self.context.cancelled_by_text(view):
            return []
        return [(s, e) for s, e in spans if self.context.allows(view, s, e)]


def _compile_entry(raw: Any, macros: dict[str, str]) -> _Entry:
    """Validate and compile one entry; raises ``ValueError`` with the problem in Dutch."""
    if not isinstance(raw, dict):
        raise ValueError("verwacht een mapping met term of pattern en category")
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise ValueError(f"onbekend veld {unknown[0]!r}; toegestaan: {', '.join(sorted(_ENTRY_KEYS))}")
    if ("term" in raw) == ("pattern" in raw):
        raise ValueError("geef precies één van term of pattern")
    category = raw.get("category")
    if not isinstance(category, str) or category not in LABELS:
        raise ValueError(f"onbekende category {category!r}; bekend: {', '.join(LABELS)}")
    text = raw.get("term", raw.get("pattern"))
    if not isinstance(text, str) or not text.strip():
        raise ValueError("term/pattern moet een niet-lege tekst zijn")
    source = term_source(text) if "term" in raw else text
    regex = compile_source(source, macros)
    return _Entry(category, regex, _compile_context(raw, macros), source_literals(source, macros))


def _compile_context(raw: dict[str, Any], macros: dict[str, str]) -> _Context | None:
    window = raw.get("window", _DEFAULT_WINDOW)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 30:
        raise ValueError("window moet een geheel getal van 1 tot en met 30 zijn (aantal woorden)")
    lists = {key: raw[key] for key in _CONTEXT_KEYS if key in raw}
    if not lists:
        return None
    compiled = {key: _compile_word_list(key, words, macros) for key, words in lists.items()}
    return _Context(window=window, **compiled)


def _compile_word_list(key: str, words: Any, macros: dict[str, str]) -> re.Pattern[str]:
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"{key} moet een niet-lege lijst van woorden of patronen zijn")
    try:
        return compile_source("|".join(f"(?:{w})" for w in words), macros)
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None


# --------------------------------------------------------------------------- loading


_TOP_KEYS = frozenset(("version", "macros", "entries"))


def _read_lexicon(path: Path) -> tuple[dict[str, Any], list[int | None]]:
    """The parsed file and the line of each entry; raises :class:`LexiconError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(path, f"kan bestand niet lezen ({exc.__class__.__name__})") from None
    try:
        data, root = yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise LexiconError(path, f"geen geldige YAML: {getattr(exc, 'problem', None) or exc}", line=line) from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise LexiconError(path, "verwacht een mapping met een lijst 'entries'")
    unknown = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown:
        raise LexiconError(path, f"onbekend veld {unknown[0]!r}; toegestaan: {', '.join(sorted(_TOP_KEYS))}")
    return data, _entry_lines(root)


def _entry_lines(root: yaml.Node | None) -> list[int | None]:
    if not isinstance(root, yaml.MappingNode):
        return []
    node = next((v for k, v in root.value if k.value == "entries"), None)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def _read_macros(path: Path, data: dict[str, Any]) -> dict[str, str]:
    macros = data.get("macros") or {}
    if not isinstance(macros, dict) or not all(isinstance(v, str) and v for v in macros.values()):
        raise LexiconError(path, "macros moet een mapping van naam naar patroon zijn")
    bad = [name for name in macros if not re.fullmatch(r"[a-z_][a-z0-9_]*", str(name))]
    if bad:
        raise LexiconError(path, f"macronaam {bad[0]!r}: gebruik kleine letters, cijfers en _")
    return macros


def load_lexicon(path: Path) -> list[_Entry]:
    """Read, validate and compile a lexicon file.

    Raises :class:`LexiconError` naming the file and, for a bad entry, its
    number (1-based), line and term/pattern.
    """
    data, lines = _read_lexicon(path)
    macros = _read_macros(path, data)
    entries = []
    for index, raw in enumerate(data["entries"]):
        try:
            entries.append(_compile_entry(raw, macros))
        except ValueError as exc:
            line = lines[index] if index < len(lines) else None
            name = raw.get("term") or raw.get("pattern") if isinstance(raw, dict) else None
            problem = f"{name!r}: {exc}" if name else str(exc)
            raise LexiconError(path, problem, entry=index + 1, line=line) from None
    if not entries:
        raise LexiconError(path, "de lijst 'entries' is leeg")
    return entries


# --------------------------------------------------------------------------- the detector


@dataclass(frozen=True)
class _Hit:
    """A lexicon hit at original offsets ``start:end``."""

    start: int
    end: int
    category: str

    @property
    def rank(self) -> tuple[int, int, int]:
        """Longer hits first, then the more severe category, then the earlier one."""
        return (self.start - self.end, _PRIORITY.index(self.category), self.start)


def _without_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Keep the best hit of every overlapping group (see ``_Hit.rank``), in text order."""
    kept: list[_Hit] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for hit in sorted(hits, key=lambda h: h.rank):
        i = bisect_left(starts, hit.start)
        if (i == 0 or kept[i - 1].end <= hit.start) and (i == len(kept) or hit.end <= kept[i].start):
            kept.insert(i, hit)
            starts.insert(i, hit.start)
    return kept


_SENTENCE_OPENERS = frozenset(".!?:;\n…\"'“‘„([-–—•*#")


def _looks_like_a_name(text: str, start: int, end: int) -> bool:
    """True for one capitalised word in mid-sentence: ``juf Kutlu``, ``naar Losser``.

    Such words are names of people, places or streets; a word at the start
    of a sentence, in capitals or in lower case is not taken for a name.
    """
    word = text[start:end]
    if not (len(word) > 1 and word[0].isupper() and word[1].islower() and word.isalpha()):
        return False
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_OPENERS


class AbuseDetector:
    """Finds Dutch abusive language with the curated lexicon.

    ``lexicon_path`` defaults to the shipped ``lexicons/abuse.yaml``; the
    file is loaded, validated and compiled once. Raises :class:`LexiconError`
    for a bad file (naming the file and the entry).
    """

    def __init__(self, lexicon_path: Path | None = None):
        self.lexicon_path = Path(lexicon_path) if lexicon_path is not None else _DEFAULT_LEXICON
        self._entries = load_lexicon(self.lexicon_path)
        # one pass over the view finds the entries that can match at all (most texts: none)
        self._plain_prefilter = Prefilter.of(self._entries, [entry.literals for entry in self._entries])

    def entry_counts(self) -> dict[str, int]:
        """Number of lexicon entries per category."""
        return {category: sum(e.category == category for e in self._entries) for category in LABELS}

    def detect(self, text: str) -> list[Fact]:
        """``abuse.<category>`` counts for the categories found, plus ``abuse.any``.

        One :class:`Evidence` per hit (Dutch label, the original text slice,
        exact character offsets into ``text``). Overlapping hits count once.
        A clean text gives an empty list; a one-word hit that looks like a
        proper name in mid-sentence is not counted.
        """
        if not text:
            return []
        view = normalised_view(text)
        hits = [
            _Hit(*view.original_span(s, e), entry.category)
            for entry in self._candidates(view.text)
            for s, e in entry.hits(view.text)
        ]
        hits = [hit for hit in hits if not _looks_like_a_name(text, hit.start, hit.end)]
        if not hits:
            return []
        evidence: dict[str, list[Evidence]] = {category: [] for category in LABELS}
        for hit in _without_overlaps(hits):
            evidence[hit.category].append(Evidence(LABELS[hit.category], text[hit.start : hit.end], hit.start, hit.end))
        return _facts(evidence)

    @cached_property
    def _masked_prefilter(self) -> Prefilter[_Entry]:
        """The prefilter for views with masked vowels (``k*t``): few texts, so made on first use."""
        literals = [literals_of(entry.regex.pattern, exact_case=True) for entry in self._entries]
        return Prefilter.of(self._entries, literals)

    def _candidates(self, view: str) -> list[_Entry]:
        """The entries that may match ``view`` (in lexicon order), by their prefilter literals."""
        prefilter = self._masked_prefilter if "*" in view else self._plain_prefilter
        return prefilter.select(view.replace("\n", " "))


def _facts(evidence: dict[str, list[Evidence]]) -> list[Fact]:
    facts = [Fact(f"abuse.{category}", len(found), found) for category, found in evidence.items() if found]
    if facts:
        every = sorted((e for fact in facts for e in fact.evidence), key=lambda e: e.start or 0)
        facts.append(Fact("abuse.any", len(every), every))
    return facts


@lru_cache(maxsize=1)
def get_abuse_detector() -> AbuseDetector:
    """The shared detector with the shipped lexicon (loaded on first use)."""
    return AbuseDetector()
