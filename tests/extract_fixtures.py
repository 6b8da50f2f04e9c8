"""Shared data for the citation-extraction tests (imported by each tests/test_extract_*.py).

The seed authorities come from citator's built-in configuration (the Bernstein family), so the
tests exercise the same seeds a user gets out of the box. Kept out of conftest.py so this branch
merges without touching files other stages own.
"""

from __future__ import annotations

from pathlib import Path

from citator.config import load_config

#: The project's shared labelled corpus, beside the repository.
CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus"

#: The built-in seeds: Bernstein I-IV and the 1999 en banc order.
BERNSTEIN = load_config(environ={}).seeds
