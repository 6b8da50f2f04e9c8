"""Shared fixtures for the citation-extraction tests.

The seed authorities come from citator's built-in configuration (the Bernstein family), so the
tests exercise the same seeds a user gets out of the box.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from citator.citations.models import Authority

from citator.config import load_config

CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus"


@pytest.fixture(scope="session")
def bernstein_seeds() -> list[Authority]:
    return load_config(environ={}).seeds


@pytest.fixture(scope="session")
def by_key(bernstein_seeds: list[Authority]) -> dict[str, Authority]:
    return {a.key: a for a in bernstein_seeds}
