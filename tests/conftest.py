"""Shared fixtures: the repository's folders, a checker factory with the real detectors."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def deduce_engine():
    """The one shared deduce instance (loaded once per test session)."""
    from plaatsbaar.core.detectors.deduce_engine import get_deduce

    return get_deduce()
