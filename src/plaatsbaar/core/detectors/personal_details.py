"""Contact details, birth dates, ages and special categories in Dutch school texts.

Works on deduce's annotations (``(tag, start, end)`` tuples) plus regexes for
what deduce misses: e-mail on any top-level domain, +31 numbers written with
spaces, BSNs written with separators, dates without a year. And it drops what
deduce gets wrong in school texts: a city or a plain date is not personal data,
"groep 5" or "25 jaar in het onderwijs" is not an age.

Every span's offsets are character offsets into the text given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from plaatsbaar.core.detectors.personal_lexicons import (
    SchoolTerms,
    SpecialCategories,
    TextView,
    Triggers,
    alternation,
    words_regex,
)

DeduceSpan = tuple[str, int, int]

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_YEARLESS_DATE = re.compile(
    rf"(?<![\w-]){_DAY}(?:e|ste|de)?\s+(?:{_MONTHS})(?!\w)(?!\s+'?\d)"
    rf"|(?<![\d/.-]){_DAY}[-/.](?:0?[1-9]|1[0-2])(?![\d/-]|\.\d)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])")
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])(?:\+|00)3[12][\s-]?(?:\(0\)[\s-]?)?[1-9](?:[\s-]?\d){7,8}(?!\d)")
_SEPARATED_BSN = re.compile(
    r"(?<![\d.])(?:\d{4}\.\d{2}\.\d{3}|\d{3}[ .-]\d{3}[ .-]\d{3}|\d{3}[ .-]\d{2}[ .-]\d{3})(?!\d)"
)
_SPAN_SENTENCE_END = re.compile(r"(?<=\w{3})[.!?;]\s+|\s*\n\s*")
_ADDRESS_GLUE = re.compile(r"[ \t,]*")
_AGE_UNIT = re.compile(r"(?:\s*[-–]\s*|\s+)(?:jaar|jarig|jarige|jr)(?!\w)")
_BRACKETED_AGE = re.compile(r"\s*\((\d{1,2})\)")
_DIGIT = re.compile(r"\d")
_ELFPROEF_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_AGE_WORDS = frozenset({"jaar", "jarig", "jarige", "jr", "wordt", "werd", "word", "leeftijd"})


@dataclass(frozen=True)
class Span:
    """A piece of the text: ``label`` (Dutch, shown to users), ``start``/``end`` offsets."""

    label: str
    start: int
    end: int


def elfproef(digits: str) -> bool:
    """True for a 9-digit string passing the BSN eleven test (and not all zeros)."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    return sum(int(d) * w for d, w in zip(digits, _ELFPROEF_WEIGHTS)) % 11 == 0


def without_overlaps(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans sorted by start, keeping the longest of any overlapping ones."""
    spans = list(spans)
    if len(spans) < 2:
        return spans
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or start >= e for s, e in kept):
            kept.append((start, end))
    return sorted(kept)


def tagged(annotations: Sequence[DeduceSpan], tag: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of deduce's annotations with ``tag``."""
    return [(start, end) for t, start, end in annotations if t == tag]


class DetailFinder:
    """Finds contact details, birth dates, ages and special categories (regexes compiled once)."""

    def __init__(self, terms: SchoolTerms, categories: SpecialCategories):
        self._functional = {t.lower() for t in terms.functional_mailboxes}
        self._bsn_words, self._bsn_triggers = words_regex(terms.bsn_words), Triggers.of(terms.bsn_words)
        self._birth_words, self._birth_triggers = words_regex(terms.birth_words), Triggers.of(terms.birth_words)
        self._non_person = words_regex(terms.non_person_subjects)
        self._age = _age_patterns(terms)
        self._age_triggers = Triggers(_AGE_WORDS)
        self._categories = _Categories(categories)

    # --- contact details

    def emails(self, view: TextView, annotations: Sequence[DeduceSpan]) -> list[Span]:
        """E-mail addresses on any top-level domain, except function mailboxes (info@ …)."""
        text = view.text
        if "@" not in text:
            return []
        found = without_overlaps([m.span() for m in _EMAIL.finditer(text)] + tagged(annotations, "emailadres"))
        personal = [(s, e) for s, e in found if text[s:e].split("@")[0].lower() not in self._functional]
        return [Span("e-mailadres", s, e) for s, e in personal]

    def phones(self, view: TextView, annotations: Sequence[DeduceSpan]) -> list[Span]:
        """Dutch phone numbers (deduce) and +31/0031/+32 numbers written with spaces."""
        found = tagged(annotations, "telefoonnummer")
        if "+3" in view.text or "003" in view.text:
            found += [m.span() for m in _INTERNATIONAL_PHONE.finditer(view.text)]
        return [Span("telefoonnummer", s, e) for s, e in without_overlaps(found)]

    def bsns(self, view: TextView, annotations: Sequence[DeduceSpan]) -> list[Span]:
        """BSNs passing the elfproef; separated forms ("123 456 782") only in a sentence naming a BSN."""
        text = view.text
        found = [(s, e) for s, e in tagged(annotations, "bsn") if elfproef(text[s:e])]
        if self._bsn_triggers.present(view):
            for match in _SEPARATED_BSN.finditer(text):
                low, high = view.sentence(match.start())
                if elfproef(re.sub(r"\D", "", match.group())) and self._bsn_words.search(view.lower, low, high):
                    found.append(match.span())
        return [Span("BSN", s, e) for s, e in without_overlaps(found)]

    def addresses(self, view: TextView, annotations: Sequence[DeduceSpan]) -> list[Span]:
        """Street + house number, postcode, PO box; a place name alone is no address.

        deduce's ``locatie`` parts separated only by commas or spaces form one
        address ("Kerkstraat 12, 1234 AB Utrecht"); it counts when a part holds a digit.
        """
        text = view.text
        groups: list[list[int]] = []
        for start, end in sorted(_split_at_sentences(text, tagged(annotations, "locatie"))):
            if groups and _ADDRESS_GLUE.fullmatch(text, groups[-1][1], start):
                groups[-1][1] = max(end, groups[-1][1])
            else:
                groups.append([start, end])
        return [Span("adres", s, e) for s, e in groups if _DIGIT.search(text, s, e)]

    # --- dates and ages

    def birth_dates(self, view: TextView, annotations: Sequence[DeduceSpan]) -> list[Span]:
        """Dates (also without a year: "3 maart") next to a birth word in the same sentence.

        Each birth word ("geboren", "jarig", "geboortedatum" …) marks the nearest
        date within 60 characters; a plain date (a school trip) is no birth date.
        """
        if not self._birth_triggers.present(view):
            return []
        yearless = [m.span() for m in _YEARLESS_DATE.finditer(view.lower)]
        dates = without_overlaps(tagged(annotations, "datum") + yearless)
        marked: set[tuple[int, int]] = set()
        for word in self._birth_words.finditer(view.lower):
            low, high = view.sentence(word.start())
            near = [
                (max(s - word.end(), word.start() - e), (s, e))
                for s, e in dates
                if low <= s < high and max(s - word.end(), word.start() - e) <= 60
            ]
            if near:
                marked.add(min(near)[1])
        return [Span("geboortedatum", s, e) for s, e in sorted(marked)]

    def ages(self, view: TextView, annotations: Sequence[DeduceSpan], names: Sequence[tuple[int, int]]) -> list[Span]:
        """A person's age: "Sem wordt 8 jaar", "hij is 42 jaar", "de 8-jarige Milan", "Femke (7)".

        Not: "groep 5", "25 jaar in het onderwijs", "kinderen van 4 jaar", "de
        school wordt 50". ``names`` are the name spans (for "Femke (7)").
        """
        found = []
        if self._age_triggers.present(view):
            found = [span for span in self._age_candidates(view, annotations) if self._is_personal_age(view, span)]
            found += self._birthday_numbers(view)
        for _, end in names:
            match = _BRACKETED_AGE.match(view.text, end)
            if match:
                found.append(match.span(1))
        return [Span("leeftijd", s, e) for s, e in without_overlaps(found)]

    def _age_candidates(self, view: TextView, annotations: Sequence[DeduceSpan]) -> list[tuple[int, int]]:
        """Numbers before jaar/jarig(e), with the unit: deduce's ``leeftijd`` and ours (digits, words)."""
        numbers = tagged(annotations, "leeftijd") + [m.span() for m in self._age["number"].finditer(view.lower)]
        spans = []
        for start, end in numbers:
            unit = _AGE_UNIT.match(view.lower, end)
            spans.append((start, unit.end() if unit else end))
        return spans

    def _is_personal_age(self, view: TextView, span: tuple[int, int]) -> bool:
        start, end = span
        lower, age = view.lower, self._age
        if lower.endswith("jarige", start, end):
            return bool(age["jarige_subject"].match(view.text, end))
        verb = age["verb_before"].search(lower, max(0, start - 40), start)
        if age["jaar_oud"].match(lower, end) or age["leeftijd"].search(lower, max(0, start - 15), start):
            stated = True
        else:
            stated = verb is not None and bool(age["age_end"].match(lower, end))
        return stated and not self._about_a_thing(view, verb.start() if verb else start)

    def _about_a_thing(self, view: TextView, position: int) -> bool:
        """True when a non-person subject ("de school") stands just before ``position``."""
        low = max(view.sentence(position)[0], position - 40)
        return bool(self._non_person.search(view.lower, low, position))

    def _birthday_numbers(self, view: TextView) -> list[tuple[int, int]]:
        """"Sem wordt vandaag 8!": an age without "jaar" right after 'wordt'/'werd'."""
        return [
            match.span("n")
            for match in self._age["wordt_number"].finditer(view.lower)
            if not self._about_a_thing(view, match.start())
        ]

    # --- special categories

    def special_categories(self, view: TextView) -> list[Span]:
        """Each occurrence of a term of ``special_categories.yaml``, labelled by category."""
        return self._categories.find(view)


class _Categories:
    """The special-category terms: lowercase terms on the lowercased text, abbreviations as written."""

    def __init__(self, categories: SpecialCategories):
        self._labels = [c.label for c in categories.categories]
        self._terms = _category_regex([c.terms for c in categories.categories], keep_case=False)
        self._abbreviations = _category_regex([c.abbreviations for c in categories.categories], keep_case=True)
        self._term_triggers = Triggers.of([t for c in categories.categories for t in c.terms])
        abbreviations = sorted({a for c in categories.categories for a in c.abbreviations})
        self._abbreviation_hint = re.compile("|".join(map(re.escape, abbreviations))) if abbreviations else None

    def find(self, view: TextView) -> list[Span]:
        matches: list[re.Match[str]] = []
        if self._terms and self._term_triggers.present(view):
            matches += self._terms.finditer(view.lower)
        if self._abbreviations and self._abbreviation_hint and self._abbreviation_hint.search(view.text):
            matches += self._abbreviations.finditer(view.text)
        spans = {(m.start(), m.end()): self._labels[int(m.lastgroup[1:])] for m in matches if m.lastgroup}
        return [Span(spans[s], *s) for s in without_overlaps(spans)]


def _category_regex(term_lists: list[list[str]], keep_case: bool) -> re.Pattern[str] | None:
    groups = [f"(?P<c{i}>{alternation(terms, keep_case)})" for i, terms in enumerate(term_lists) if terms]
    return re.compile(rf"(?<!\w)(?:{'|'.join(groups)})(?!\w)") if groups else None


def _split_at_sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans cut where a sentence ends inside them (deduce merges "Heerenveen. Postbus 12")."""
    pieces = []
    for start, end in spans:
        for match in _SPAN_SENTENCE_END.finditer(text, start, end):
            pieces.append((start, match.start()))
            start = match.end()
        pieces.append((start, end))
    return [(s, e) for s, e in pieces if e > s]


def _age_patterns(terms: SchoolTerms) -> dict[str, re.Pattern[str]]:
    """Age regexes; all but ``jarige_subject`` run on the lowercased text."""
    verbs, adverbs = alternation(terms.age_verbs), alternation(terms.age_adverbs)
    numbers, followers = alternation(terms.number_words), alternation(terms.age_followers)
    nouns = alternation(terms.age_person_nouns)
    unit = r"(?:\s*[-–]\s*|\s+)(?:jaar|jarig|jarige|jr)(?!\w)"
    return {
        "number": re.compile(rf"(?<![\w.,-])(?:\d{{1,3}}|{numbers})(?={unit})"),
        "verb_before": re.compile(rf"(?<!\w){verbs}(?:\s+{adverbs})*\s+$"),
        "age_end": re.compile(rf"\s*(?:$|[.,!?;:)\n]|{followers}(?!\w))"),
        "jaar_oud": re.compile(r"\s+oud(?!\w)"),
        "leeftijd": re.compile(r"(?<!\w)leeftijd(?:\s+van|\s*:)\s*$"),
        "jarige_subject": re.compile(rf"\s+(?:[A-ZÀ-Ý][^\W\d_]+|(?i:{nouns})(?!\w))"),
        "wordt_number": re.compile(
            rf"(?<!\w)(?:wordt|werd|word)(?:\s+{adverbs})*\s+(?P<n>\d{{1,2}}|{numbers})(?=\s*(?:[!.?,]|$))"
        ),
    }
