"""Evaluate a rule's condition (data, never code) against a post's facts."""

from __future__ import annotations

from typing import Callable

from plaatsbaar.core.findings import Evidence, Facts
from plaatsbaar.core.protocol.model import AllCondition, AnyCondition, FactCondition, NotCondition


Test = Callable[[Facts], tuple[bool, list[Evidence]]]


def evaluate(condition, facts: Facts) -> tuple[bool, list[Evidence]]:
    """``(holds, evidence)`` for ``condition`` (a protocol condition model).

    Evidence comes from the facts that made the condition true; a negated
    condition contributes none. Unset facts read as false / 0 / None.
    """
    return compile_condition(condition)(facts)


def compile_condition(condition) -> Test:
    """``condition`` (a protocol condition model or None) as a function of the
    facts that gives what :func:`evaluate` gives: compile once, test every post.

    Raises ``TypeError`` for something that is no condition.
    """
    if condition is None:
        return _always
    compiler = _COMPILERS.get(type(condition))
    if compiler is None:  # a subclass
        compiler = next((c for kind, c in _COMPILERS.items() if isinstance(condition, kind)), None)
    if compiler is None:
        raise TypeError(f"not a condition: {condition!r}")
    return compiler(condition)


def _always(facts: Facts) -> tuple[bool, list[Evidence]]:
    return True, []


def _compile_fact(condition: FactCondition) -> Test:
    """The test of one fact, its comparison chosen once: ``equals``, else ``in``,
    else ``at_least``, else ``at_most`` (an unset count is 0), else the value's
    truth. The evidence is the fact's when the comparison holds."""
    name = condition.fact
    if condition.equals is not None:
        expected = condition.equals
        return _fact_test(name, lambda value: value == expected)
    if condition.in_ is not None:
        allowed = condition.in_
        return _fact_test(name, lambda value: value in allowed)
    if condition.at_least is not None:
        return _at_least_test(name, condition.at_least)
    if condition.at_most is not None:
        most = condition.at_most
        return _fact_test(name, lambda value: int(value or 0) <= most)
    return _truth_test(name)


def _fact_test(name: str, holds_for: Callable[[bool | int | str | None], bool]) -> Test:
    def test(facts: Facts) -> tuple[bool, list[Evidence]]:
        fact = facts.get(name)
        if fact is None:
            return holds_for(None), []  # an unset fact has no evidence
        if holds_for(fact.value):
            return True, list(fact.evidence)
        return False, []

    return test


# the two comparisons nearly every rule uses, without a call per comparison


def _at_least_test(name: str, least: int) -> Test:
    unset_holds = 0 >= least

    def test(facts: Facts) -> tuple[bool, list[Evidence]]:
        fact = facts.get(name)
        if fact is None:
            return unset_holds, []
        if int(fact.value or 0) >= least:
            return True, list(fact.evidence)
        return False, []

    return test


def _truth_test(name: str) -> Test:
    def test(facts: Facts) -> tuple[bool, list[Evidence]]:
        fact = facts.get(name)
        if fact is not None and fact.value:
            return True, list(fact.evidence)
        return False, []

    return test


def _compile_all(condition: AllCondition) -> Test:
    parts = [compile_condition(part) for part in condition.all]

    def test(facts: Facts) -> tuple[bool, list[Evidence]]:
        evidence: list[Evidence] = []
        for part in parts:
            holds, found = part(facts)
            if not holds:
                return False, []
            evidence.extend(found)
        return True, evidence

    return test


def _compile_any(condition: AnyCondition) -> Test:
    parts = [compile_condition(part) for part in condition.any]

    def test(facts: Facts) -> tuple[bool, list[Evidence]]:
        evidence: list[Evidence] = []
        any_holds = False
        for part in parts:
            holds, found = part(facts)
            if holds:
                any_holds = True
                evidence.extend(found)
        return any_holds, evidence if any_holds else []

    return test


def _compile_not(condition: NotCondition) -> Test:
    part = compile_condition(condition.not_)

    def test(facts: Facts) -> tuple[bool, list[Evidence]]:
        holds, _ = part(facts)
        return not holds, []

    return test


# by exact type: isinstance on pydantic models is slow
_COMPILERS: dict[type, Callable[..., Test]] = {
    FactCondition: _compile_fact,
    AllCondition: _compile_all,
    AnyCondition: _compile_any,
    NotCondition: _compile_not,
}


def facts_named(condition) -> set[str]:
    """Every fact name a condition refers to (for validation and docs)."""
    if condition is None:
        return set()
    if isinstance(condition, FactCondition):
        return {condition.fact}
    if isinstance(condition, AllCondition):
        return set().union(*(facts_named(c) for c in condition.all))
    if isinstance(condition, AnyCondition):
        return set().union(*(facts_named(c) for c in condition.any))
    return facts_named(condition.not_)
