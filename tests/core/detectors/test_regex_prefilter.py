"""The literal prefilter of the abuse and text-cue detectors never drops a pattern
that matches: speed only, the same results. Checked with texts built from the
shipped lexicons' own patterns."""

from __future__ import annotations

import random
import re
from functools import lru_cache
from re import _constants as sre
from re import _parser as sre_parse

import pytest

from plaatsbaar.core.detectors import disclosure
from plaatsbaar.core.detectors.abuse import get_abuse_detector, normalised_view
from plaatsbaar.core.detectors.regex_prefilter import Literals, Prefilter, literals_of

SAMPLES_PER_PATTERN = 25
CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789 '*-._!?@,:;()/\néë"
CONTEXT = "de juf zegt dat ik en jij op school niet mogen praten over kut en kanker".split()


class Sampler:
    """Random strings that a parsed pattern may match (lookarounds are ignored: check with the regex)."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)

    def sample(self, items) -> str:
        return "".join(self.item(op, av) for op, av in items)

    def item(self, op, av) -> str:
        if op is sre.LITERAL:
            return chr(av)
        if op in (sre.NOT_LITERAL, sre.ANY):
            return self.random.choice([c for c in CHARACTERS if op is sre.ANY or c != chr(av)])
        if op is sre.IN:
            return self.random.choice(members(class_regex(av)))
        if op is sre.BRANCH:
            return self.sample(self.random.choice(av[1]))
        if op is sre.SUBPATTERN:
            return self.sample(av[3])
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            count = self.random.randint(av[0], min(av[1], av[0] + 3))
            return "".join(self.sample(av[2]) for _ in range(count))
        return ""  # assertions, boundaries, group references

    def texts(self, pattern: str, flags: int = 0) -> list[str]:
        """Texts around samples of ``pattern``."""
        parsed = sre_parse.parse(pattern, flags)
        return [self.words() + self.random.choice([" ", "", ", ", "\n"]) + self.sample(parsed)
                + self.random.choice([" ", "! ", ""]) + self.words() for _ in range(SAMPLES_PER_PATTERN)]

    def words(self) -> str:
        return " ".join(self.random.choice(CONTEXT) for _ in range(self.random.randint(0, 3)))


@lru_cache(maxsize=None)
def members(class_source: str) -> list[str]:
    """The characters of ``CHARACTERS`` in a character class (a NUL when none)."""
    return [c for c in CHARACTERS if re.fullmatch(class_source, c)] or ["\x00"]


def class_regex(members) -> str:
    """A character class as a regex, from its parsed members."""
    negate = any(op is sre.NEGATE for op, _ in members)
    parts = []
    for op, av in members:
        if op is sre.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is sre.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre.CATEGORY:
            parts.append({"DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S",
                          "WORD": r"\w", "NOT_WORD": r"\W"}[av.name.removeprefix("CATEGORY_")])
    return f"[{'^' if negate else ''}{''.join(parts)}]"


def test_abuse_entries_that_match_are_always_run():
    detector, sampler = get_abuse_detector(), Sampler(1)
    checked = 0
    for entry in detector._entries:
        for text in sampler.texts(entry.regex.pattern):
            view = normalised_view(text).text
            if entry.regex.search(view):
                checked += 1
                assert entry in detector._candidates(view), (entry.regex.pattern, view)
    assert checked > 10 * len(detector._entries)


@pytest.mark.parametrize("organisations", [(), ("Lucas Onderwijs", "ROC Kop van Noord-Holland")])
def test_text_cue_patterns_that_match_are_always_run(organisations):
    lexicon, sampler = disclosure.default_text_cues(), Sampler(2)
    prefilter = disclosure._organisation_prefilter(lexicon, organisations)
    checked = 0
    for pattern in prefilter.items:
        for text in sampler.texts(pattern.regex.pattern, disclosure._FLAGS):
            text = text.upper() if sampler.random.random() < 0.3 else text
            folded = disclosure.fold(text)
            low = disclosure._lower(folded)
            if pattern.spans(folded, low):
                checked += 1
                assert pattern in prefilter.select(" " + " ".join(low.split()) + " "), (pattern.regex.pattern, text)
    assert checked > 10 * len(prefilter.items)


def test_literals_of_a_pattern():
    assert literals_of(r"(?:ik|we) sla (?:je|jou)").needs == {"ik sla je", "ik sla jou", "we sla je", "we sla jou"}
    assert literals_of(r"(?<![^\W_])(?:kanker|kut)(?:je)?").starts == {"kanker", "kut"}
    assert literals_of(r"(?<!\w)(?:hij|zij) steelt").starts == {"hij steelt", "zij steelt"}
    assert literals_of(r"\w+ steelt").starts == {"steelt"}  # after the space
    assert literals_of(r"\w+") == Literals(None, None)


def test_prefilter_picks_patterns_in_order_and_always_those_without_literals():
    items = ["kanker", "sla", "anything"]
    literals = [Literals(None, frozenset({"kanker"})), Literals(frozenset({"sla "})), Literals(None)]
    prefilter = Prefilter.of(items, literals)
    assert prefilter.select(" ik sla je ") == ["sla", "anything"]
    assert prefilter.select(" wat een kanker weer, ik sla hem ") == items
    assert prefilter.select(" kankeronderzoek ") == ["kanker", "anything"]  # a start, not a whole word
    assert prefilter.select(" lekanker ") == ["anything"]  # not at a word start
