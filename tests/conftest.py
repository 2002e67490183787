"""Shared fixtures: the spaCy pipeline is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test (with the reason) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (../shared is not present here)")
    return path


@pytest.fixture(scope="session")
def coder():
    """One Coder (spaCy model + dyad components) for the whole session."""
    from dyad.pipeline import Coder
    from dyad.settings import Settings

    return Coder.from_settings(Settings())


@pytest.fixture
def store():
    """A fresh in-memory store."""
    from dyad.store import Store

    s = Store.memory()
    yield s
    s.close()
