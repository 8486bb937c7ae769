"""Judge a draft against a protocol: establish facts, fire rules, collect findings.

Usage::

    checker = Checker(get_protocol("lucas-onderwijs"), consent=load_consent(path))
    result = checker.check(post, base_dir=Path("examples/lucas-onderwijs"))
    result.verdict        # Verdict.REVISE
    result.findings[0]    # Finding(rule=..., articles=["A.2"], ...)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from plaatsbaar.core.conditions import compile_condition
from plaatsbaar.core.consent import ConsentRegistry
from plaatsbaar.core.detectors.abuse import get_abuse_detector
from plaatsbaar.core.detectors.disclosure import detect_text_cues
from plaatsbaar.core.detectors.personal_data import PersonalDataDetector
from plaatsbaar.core.findings import Evidence, Fact, Facts, Finding, Fix, overall_verdict
from plaatsbaar.core.media.analysis import MediaReport, analyse_media, media_facts
from plaatsbaar.core.post import Post
from plaatsbaar.core.post_facts import post_facts
from plaatsbaar.core.protocol.model import AppliesTo, Protocol, Rule
from plaatsbaar.core.roster import Roster
from plaatsbaar.core.vocabulary import Account, Activity, Channel, Role, Setting, Verdict

_THREAD_FACTS = {"text.negative": "thread.negative", "text.about_school": "thread.about_school"}


@dataclass
class CheckResult:
    """The outcome for one post: overall verdict, findings, media reports, facts."""

    post_id: str | None
    protocol: str
    verdict: Verdict
    findings: list[Finding]
    media: list[MediaReport] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The result as ``--format json`` prints it."""
        return {
            "id": self.post_id,
            "verdict": self.verdict.value,
            "protocol": self.protocol,
            "findings": [f.to_json() for f in self.findings],
            "media": [m.to_json() for m in self.media],
        }


@dataclass(frozen=True)
class _Scope:
    """A rule's ``applies_to`` as sets (channel groups expanded); an empty set means any."""

    activities: frozenset[Activity]
    channels: frozenset[Channel]
    accounts: frozenset[Account]
    author_roles: frozenset[Role]
    settings: frozenset[Setting]
    recipient_roles: frozenset[Role]

    @classmethod
    def of(cls, applies_to: AppliesTo) -> _Scope:
        """The scope of a rule's ``applies_to``."""
        return cls(
            frozenset(applies_to.activities),
            applies_to.channel_set(),
            frozenset(applies_to.accounts),
            frozenset(applies_to.author_roles),
            frozenset(applies_to.settings),
            frozenset(applies_to.recipient_roles),
        )

    def allows(self, post: Post) -> bool:
        """True when the post's situation is one this scope names."""
        recipient = post.recipient.role if post.recipient else None
        return (
            (not self.activities or post.activity in self.activities)
            and (not self.channels or post.channel in self.channels)
            and (not self.accounts or post.account in self.accounts)
            and (not self.author_roles or post.author.role in self.author_roles)
            and (not self.settings or post.effective_setting in self.settings)
            and (not self.recipient_roles or recipient in self.recipient_roles)
        )


def rule_applies(rule: Rule, post: Post) -> bool:
    """True when the post's situation is one the rule's ``applies_to`` names."""
    return _Scope.of(rule.applies_to).allows(post)


def _as_thread_facts(facts: list[Fact]) -> list[Fact]:
    """Re-label text facts of the message replied to as thread.* facts."""
    thread = []
    for fact in facts:
        name = "thread.abusive" if fact.name == "abuse.any" else _THREAD_FACTS.get(fact.name)
        if name is not None:
            evidence = [replace(e, source="in_reply_to") for e in fact.evidence]
            thread.append(Fact(name, bool(fact.value), evidence))
    return thread


class Checker:
    """Checks posts against one protocol with one consent registry and roster.

    Expensive parts (deduce, the face model) are shared process-wide and
    loaded on first use; ``announce`` receives a Dutch message before a slow
    load so that users never wonder whether it hangs.
    """

    def __init__(
        self,
        protocol: Protocol,
        consent: ConsentRegistry | None = None,
        roster: Roster | None = None,
        announce: Callable[[str], None] | None = None,
    ):
        self.protocol = protocol
        self.consent = consent or ConsentRegistry()
        self.roster = roster
        self.announce = announce
        self._personal_data: PersonalDataDetector | None = None
        # each rule's situations and condition, prepared once for every post; rules
        # share scopes, so each distinct scope (by index) is tested once per post
        scopes = [_Scope.of(rule.applies_to) for rule in protocol.rules]
        self._scopes = list(dict.fromkeys(scopes))
        index = {scope: i for i, scope in enumerate(self._scopes)}
        self._rules = [
            (rule, index[scope], compile_condition(rule.when)) for rule, scope in zip(protocol.rules, scopes)
        ]

    def personal_data_detector(self) -> PersonalDataDetector:
        """The personal-data detector (deduce is loaded on first use)."""
        if self._personal_data is None:
            from plaatsbaar.core.detectors.deduce_engine import get_deduce

            get_deduce(self.announce)
            self._personal_data = PersonalDataDetector(self.roster, ignore=self.protocol.names)
        return self._personal_data

    def text_facts(self, text: str, author_function: str | None) -> list[Fact]:
        """personal_data.*, abuse.* and text.* facts of ``text``."""
        if not text.strip():
            return []
        return [
            *self.personal_data_detector().detect(text),
            *get_abuse_detector().detect(text),
            *detect_text_cues(text, self.protocol.names, author_function),
        ]

    def thread_facts(self, post: Post) -> list[Fact]:
        """thread.* facts from the message being replied to."""
        if post.in_reply_to is None or not post.in_reply_to.text.strip():
            return []
        text = post.in_reply_to.text
        found = [*get_abuse_detector().detect(text), *detect_text_cues(text, self.protocol.names)]
        return _as_thread_facts(found)

    def media_reports(self, post: Post, base_dir: Path) -> list[MediaReport]:
        """One report per media item (faces, consent); raises ``MediaError``."""
        if not post.media:
            return []
        from plaatsbaar.core.detectors.faces import get_face_detector

        detector = get_face_detector()
        return [analyse_media(item, base_dir, post.channel, self.consent, detector) for item in post.media]

    def establish_facts(self, post: Post, reports: list[MediaReport]) -> Facts:
        """All facts about ``post`` (media already analysed into ``reports``)."""
        facts = Facts()
        facts.add_all(post_facts(post, self.protocol.school_hours))
        facts.add_all(self.text_facts(post.text, post.author.function))
        facts.add_all(self.thread_facts(post))
        facts.add_all(_media_facts(reports))
        return facts

    def findings(self, post: Post, facts: Facts) -> list[Finding]:
        """The findings of every rule that applies and whose condition holds."""
        found = []
        allowed = [scope.allows(post) for scope in self._scopes]
        for rule, scope_index, condition in self._rules:
            if not allowed[scope_index]:
                continue
            holds, evidence = condition(facts)
            if holds:
                found.append(_finding(rule, evidence, post.author.function))
        return sorted(found, key=lambda f: -f.verdict.severity)

    def check(self, post: Post, base_dir: Path = Path(".")) -> CheckResult:
        """Judge one post; media paths are relative to ``base_dir``.

        Raises ``plaatsbaar.core.media.io.MediaError`` for unreadable media.
        """
        reports = self.media_reports(post, base_dir)
        facts = self.establish_facts(post, reports)
        findings = self.findings(post, facts)
        return CheckResult(post.id, self.protocol.id, overall_verdict(findings), findings, reports, facts.as_dict())


@lru_cache(maxsize=1)
def _values_without_media() -> tuple[tuple[str, Any], ...] | None:
    """Name and value of each fact ``media_facts`` gives a post without media
    (``None`` should one of them ever have evidence)."""
    facts = media_facts([])
    return None if any(f.evidence for f in facts) else tuple((f.name, f.value) for f in facts)


def _media_facts(reports: list[MediaReport]) -> list[Fact]:
    """``media_facts(reports)``; for a post without media (most posts) from the values it gives once."""
    values = None if reports else _values_without_media()
    if values is None:
        return media_facts(reports)
    return [Fact(name, value) for name, value in values]


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen, unique = set(), []
    for item in evidence:
        key = (item.label, item.text, item.start, item.end, item.source)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _finding(rule: Rule, evidence: list[Evidence], function: str | None) -> Finding:
    fix = None
    if rule.fix is not None:
        fix = Fix(rule.fix.action, rule.fix.description, rule.fix.text_for(function))
    return Finding(rule.id, list(rule.articles), rule.verdict, rule.message, rule.title, _unique(evidence), fix)
