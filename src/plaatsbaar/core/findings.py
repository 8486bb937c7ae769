"""Facts established by detectors, and the findings and results of a check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from plaatsbaar.core.vocabulary import FACTS, FixAction, Verdict


@dataclass(frozen=True)
class Evidence:
    """A piece of the input that made a fact true.

    ``start``/``end`` are character offsets into the text named by ``source``
    (``text`` for the post's text, ``in_reply_to`` for the message replied to);
    for media evidence they are ``None`` and ``source`` is the media path.
    """

    label: str
    text: str
    start: int | None = None
    end: int | None = None
    source: str = "text"

    def to_json(self) -> dict[str, Any]:
        """The evidence as the JSON output shows it."""
        return asdict(self)


@dataclass
class Fact:
    """One established fact: a name from the vocabulary, a value, its evidence.

    ``value`` is a bool, an int (counts) or a str (choices).
    """

    name: str
    value: bool | int | str | None
    evidence: list[Evidence] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.name not in FACTS:
            raise KeyError(f"unknown fact {self.name!r}")


class Facts:
    """All facts about one post, by name. Unset facts read as false/0/None."""

    def __init__(self) -> None:
        self._facts: dict[str, Fact] = {}

    def set(self, name: str, value: bool | int | str | None, evidence: list[Evidence] | None = None) -> None:
        """Set fact ``name``; raises ``KeyError`` for a name outside the vocabulary."""
        self._facts[name] = Fact(name, value, list(evidence or []))

    def add(self, fact: Fact) -> None:
        """Add a detector's fact, merging counts and evidence with an earlier one."""
        earlier = self._facts.get(fact.name)
        if earlier is None:
            self._facts[fact.name] = fact
            return
        if isinstance(earlier.value, bool) or isinstance(fact.value, bool):
            earlier.value = bool(earlier.value) or bool(fact.value)
        elif isinstance(earlier.value, int) and isinstance(fact.value, int):
            earlier.value += fact.value
        else:
            earlier.value = fact.value
        earlier.evidence.extend(fact.evidence)

    def add_all(self, facts: Iterable[Fact]) -> None:
        """:meth:`add` each of ``facts``, in order."""
        known = self._facts
        for fact in facts:
            if fact.name in known:
                self.add(fact)
            else:
                known[fact.name] = fact

    def get(self, name: str) -> Fact | None:
        """The fact itself (do not change it), or ``None`` when no detector set it."""
        return self._facts.get(name)

    def value(self, name: str) -> bool | int | str | None:
        """The fact's value, or ``None`` when no detector set it."""
        fact = self._facts.get(name)
        return None if fact is None else fact.value

    def evidence(self, name: str) -> list[Evidence]:
        """The evidence behind a fact (empty when unset)."""
        fact = self._facts.get(name)
        return [] if fact is None else list(fact.evidence)

    def as_dict(self) -> dict[str, bool | int | str | None]:
        """Name → value of every set fact (for debugging and JSON output)."""
        facts = self._facts
        return {name: facts[name].value for name in sorted(facts)}


@dataclass
class Fix:
    """The change a finding asks for; ``applied`` when the tool made it."""

    action: FixAction
    description: str
    text: str | None = None
    applied: bool = False

    def to_json(self) -> dict[str, Any]:
        """The fix as the JSON output shows it."""
        return {"action": self.action.value, "description": self.description, "text": self.text, "applied": self.applied}


@dataclass
class Finding:
    """A rule that fired: which rule, which articles, how severe, why, how to fix."""

    rule: str
    articles: list[str]
    verdict: Verdict
    message: str
    title: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    fix: Fix | None = None

    def to_json(self) -> dict[str, Any]:
        """The finding as ``--format json`` prints it."""
        return {
            "rule": self.rule,
            "title": self.title,
            "articles": list(self.articles),
            "verdict": self.verdict.value,
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
            "fix": None if self.fix is None else self.fix.to_json(),
        }


def overall_verdict(findings: list[Finding]) -> Verdict:
    """The most severe verdict among ``findings``; ``allow`` when there are none."""
    return max((f.verdict for f in findings), key=lambda v: v.severity, default=Verdict.ALLOW)
