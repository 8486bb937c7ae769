"""Conditions are data: all/any/not and fact comparisons, evaluated against facts."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from plaatsbaar.core.conditions import evaluate, facts_named
from plaatsbaar.core.findings import Evidence, Facts
from plaatsbaar.core.protocol.model import Condition

_ADAPTER = TypeAdapter(Condition)


def condition(data):
    return _ADAPTER.validate_python(data)


@pytest.fixture
def facts() -> Facts:
    facts = Facts()
    facts.set("post.channel", "facebook")
    facts.set("post.during_lesson", True, [Evidence("tijdens de les", "ja", source="bericht")])
    facts.set("post.permission", False)
    facts.set("personal_data.phone", 2, [Evidence("telefoonnummer", "06-12345678", 5, 16)])
    return facts


def test_truthy_fact_with_evidence(facts):
    holds, evidence = evaluate(condition({"fact": "personal_data.phone"}), facts)
    assert holds and evidence[0].text == "06-12345678"


def test_unset_fact_is_false(facts):
    assert evaluate(condition({"fact": "abuse.threat"}), facts) == (False, [])


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"fact": "post.channel", "equals": "facebook"}, True),
        ({"fact": "post.channel", "in": ["x", "instagram"]}, False),
        ({"fact": "personal_data.phone", "at_least": 2}, True),
        ({"fact": "personal_data.phone", "at_least": 3}, False),
        ({"fact": "personal_data.phone", "at_most": 1}, False),
        ({"all": [{"fact": "post.during_lesson"}, {"not": {"fact": "post.permission"}}]}, True),
        ({"all": [{"fact": "post.during_lesson"}, {"fact": "post.permission"}]}, False),
        ({"any": [{"fact": "abuse.threat"}, {"fact": "post.during_lesson"}]}, True),
        ({"not": {"fact": "post.during_lesson"}}, False),
    ],
)
def test_comparisons_and_combinations(facts, data, expected):
    assert evaluate(condition(data), facts)[0] is expected


def test_negation_contributes_no_evidence(facts):
    holds, evidence = evaluate(condition({"all": [{"fact": "post.during_lesson"}, {"not": {"fact": "post.permission"}}]}), facts)
    assert holds and [e.label for e in evidence] == ["tijdens de les"]


@pytest.mark.parametrize(
    "data",
    [
        {"fact": "post.nonsense"},
        {"fact": "post.channel", "equals": "myspace"},
        {"fact": "post.during_lesson", "at_least": 1},
        {"fact": "media.faces", "at_least": 1, "at_most": 3},
        {"fact": "media.faces", "greater_than": 1},
        {"all": []},
        {"python": "__import__('os').system('true')"},
    ],
)
def test_outside_the_vocabulary_is_refused(data):
    with pytest.raises(ValidationError):
        condition(data)


def test_facts_named_lists_every_fact():
    data = {"all": [{"fact": "post.during_lesson"}, {"any": [{"fact": "abuse.threat"}, {"not": {"fact": "post.permission"}}]}]}
    assert facts_named(condition(data)) == {"post.during_lesson", "abuse.threat", "post.permission"}
