"""Evaluate a rule's condition (data, never code) against a post's facts."""

from __future__ import annotations

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


def evaluate(condition, facts: Facts) -> tuple[bool, list[Evidence]]:
    """``(holds, evidence)`` for ``condition`` (a protocol condition model).

    Evidence comes from the facts that made the condition true; a negated
    condition contributes none. Unset facts read as false / 0 / None.
    """
    if condition is None:
        return True, []
    if isinstance(condition, FactCondition):
        holds = _compare(condition, facts.value(condition.fact))
        return holds, facts.evidence(condition.fact) if holds else []
    if isinstance(condition, AllCondition):
        evidence: list[Evidence] = []
        for part in condition.all:
            holds, found = evaluate(part, facts)
            if not holds:
                return False, []
            evidence.extend(found)
        return True, evidence
    if isinstance(condition, AnyCondition):
        evidence, any_holds = [], False
        for part in condition.any:
            holds, found = evaluate(part, facts)
            if holds:
                any_holds = True
                evidence.extend(found)
        return any_holds, evidence if any_holds else []
    if isinstance(condition, NotCondition):
        holds, _ = evaluate(condition.not_, facts)
        return not holds, []
    raise TypeError(f"not a condition: {condition!r}")


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
