"""Where the tests find the repository and the shared data beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The checkout's root (README.md, bench/, the packages).
REPO = Path(__file__).resolve().parents[2]

#: ../shared beside the checkout: the labelled corpus and the bulk records the tests read in place.
SHARED = REPO.parent / "shared"


def require_shared(part: str) -> Path:
    """The folder ../shared/<part>, or a test failure saying it is missing (never a silent skip)."""
    path = SHARED / part
    if not path.is_dir():
        pytest.fail(f"{path} is missing: these tests read ../shared/{part} beside the checkout (see README)")
    return path
