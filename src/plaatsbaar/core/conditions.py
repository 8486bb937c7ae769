"""Evaluate a rule's condition (data, never code) against a post's facts."""

from __future__ import annotations

from typing import Callable

from plaatsbaar.core.findings import Evidence, Facts
from plaatsbaar.core.protocol.model import AllCondition, AnyCondition, FactCondition, NotCondition


def _compare(condition: FactCondition, value: bool | int | str | None) -> bool:
    if condition.equals is not None:
        return value == condition.equals
    if condition.in_ is not None:
        return value in condition.in_
    if condition.at_least is not None:
        return int(value or 0) >= condition.at_least
    if condition.at_most is not None:
        return int(value or 0) <= condition.at_most
    return bool(value)


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
    name = condition.fact

    def test(facts: Facts) -> tuple[bool, list[Evidence]]:
        holds = _compare(condition, facts.value(name))
        return holds, facts.evidence(name) if holds else []

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
