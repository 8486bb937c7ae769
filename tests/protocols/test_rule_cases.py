"""Every rule of every protocol: a post for which it fires and one for which it does not.

The cases are data (tests/protocols/cases/<protocol>.yaml); media they name are
real images and recordings made by tests/media_factory.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plaatsbaar.core.checker import Checker
from plaatsbaar.core.consent import ConsentRegistry
from plaatsbaar.core.post import parse_post
from plaatsbaar.core.protocol.loader import builtin_protocol_ids, get_protocol
from tests.media_factory import write_group_photo, write_wav

CASES = Path(__file__).parent / "cases"


def _cases():
    for protocol_id in builtin_protocol_ids():
        path = CASES / f"{protocol_id}.yaml"
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []:
            for outcome in ("fires", "passes"):
                yield pytest.param(protocol_id, case, outcome, id=f"{protocol_id}:{case['rule']}:{outcome}")


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    """The media the cases name: group photo (3 faces), one face, a recording."""
    folder = tmp_path_factory.mktemp("case-media")
    write_group_photo(folder / "astronaut-group-3.jpg", 3)
    write_group_photo(folder / "astronaut-1.jpg", 1)
    write_wav(folder / "speech.wav", 1.0)
    return folder


def _consent(case: dict) -> ConsentRegistry:
    registry = ConsentRegistry()
    for row in case.get("consent", []):
        answer = row["consent"] if isinstance(row["consent"], bool) else str(row["consent"]).lower() in ("yes", "ja")
        registry.record(str(row["person_id"]), row.get("channel", "*"), row.get("media", "*"), answer)
    return registry


@pytest.mark.parametrize("protocol_id, case, outcome", list(_cases()))
def test_rule_fires_only_when_it_should(protocol_id, case, outcome, media_dir, deduce_engine):
    checker = Checker(get_protocol(protocol_id), consent=_consent(case))
    post = parse_post(case[outcome], f"{protocol_id}:{case['rule']}:{outcome}")
    fired = {f.rule for f in checker.check(post, media_dir).findings}
    if outcome == "fires":
        assert case["rule"] in fired
    else:
        assert case["rule"] not in fired, f"fired: {sorted(fired)}"
