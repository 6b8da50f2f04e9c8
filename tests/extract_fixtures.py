"""Shared fixtures for the citation-extraction tests (imported by each tests/test_extract_*.py).

The seed authorities come from citator's built-in configuration (the Bernstein family), so the
tests exercise the same seeds a user gets out of the box. Kept out of conftest.py so this branch
merges without touching files other stages own.
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
