"""The shipped examples are acceptance tests: each post gets its expected verdict
and the findings cite the articles the example names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plaatsbaar.core.checker import Checker
from plaatsbaar.core.consent import load_consent
from plaatsbaar.core.post import parse_post
from plaatsbaar.core.protocol.loader import builtin_protocol_ids, get_protocol
from plaatsbaar.core.roster import load_roster

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _examples():
    for protocol_id in builtin_protocol_ids():
        folder = EXAMPLES / protocol_id
        for path in sorted(folder.glob("*.json")):
            yield pytest.param(protocol_id, path, 1, json.loads(path.read_text(encoding="utf-8")), id=f"{protocol_id}/{path.name}")
        for path in sorted(folder.glob("*.jsonl")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if line.strip():
                    yield pytest.param(protocol_id, path, number, json.loads(line), id=f"{protocol_id}/{path.name}:{number}")


ALL = list(_examples())


@pytest.fixture(scope="module")
def checkers(deduce_engine) -> dict[str, Checker]:
    consent = load_consent(EXAMPLES / "consent.csv")
    roster = load_roster(EXAMPLES / "roster.csv")
    return {pid: Checker(get_protocol(pid), consent, roster) for pid in builtin_protocol_ids()}


def test_at_least_30_examples_with_allowed_and_blocked_per_protocol():
    assert len(ALL) >= 30
    for protocol_id in builtin_protocol_ids():
        verdicts = {p.values[3]["expected"]["verdict"] for p in ALL if p.values[0] == protocol_id}
        assert {"allow", "block"} <= verdicts, protocol_id


@pytest.mark.parametrize("protocol_id, path, line, data", ALL)
def test_example_gets_expected_verdict(checkers, protocol_id, path, line, data):
    post = parse_post(data, f"{path}:{line}")
    result = checkers[protocol_id].check(post, path.parent)
    cited = {a for f in result.findings for a in f.articles}
    summary = [(f.rule, f.verdict.value, f.articles) for f in result.findings]
    assert result.verdict.value == data["expected"]["verdict"], summary
    assert set(data["expected"].get("articles", [])) <= cited, summary
