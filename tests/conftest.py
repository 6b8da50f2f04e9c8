"""Shared fixtures: a fake CourtListener on 127.0.0.1 and a helper to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.corpus import ALL_CLUSTERS
from tests.fakes.courtlistener import FakeCourtListener

TOKEN = "test-token-not-a-secret"

#: ../shared beside the checkout: the labelled corpus and the bulk records the tests read in place.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """Extraction run inside the test process keeps its compiled Hyperscan databases where a
    command keeps them (the user's cache folder), as the CLI tells the citations stage to."""
    from citator.citations import hscache
    from citator.config import hyperscan_cache_dir

    hscache.use_directory(hyperscan_cache_dir)


def require_shared(part: str) -> Path:
    """The folder ../shared/<part>, or a test failure saying it is missing (never a silent skip)."""
    path = SHARED / part
    if not path.is_dir():
        pytest.fail(f"{path} is missing: these tests read ../shared/{part} beside the checkout (see README)")
    return path


@pytest.fixture
def shared_corpus() -> Path:
    return require_shared("corpus")


@pytest.fixture
def courtlistener(httpserver) -> FakeCourtListener:
    return FakeCourtListener(httpserver, ALL_CLUSTERS, token=TOKEN)


@pytest.fixture
def cli_env(tmp_path: Path, courtlistener: FakeCourtListener) -> dict[str, str]:
    """Environment for running `citator` in `tmp_path` against the fake CourtListener.

    The local server needs no politeness, so the test's citator.toml lifts the rate limits that
    protect the real services, and shortens the retry backoff.
    """
    (tmp_path / "citator.toml").write_text(
        "[http]\nbackoff_seconds = 0.01\n"
        "[sources.courtlistener]\nrequests_per_minute = 0\n"
        "[sources.cap]\nrequests_per_minute = 0\nenabled = false\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITATOR_") and k != "COURTLISTENER_TOKEN"}
    env.update(
        CITATOR_DB=str(tmp_path / "citator.db"),
        CITATOR_COURTLISTENER_URL=courtlistener.base_url,
        CITATOR_CAP_URL="http://127.0.0.1:9/",  # nothing listens there
        COURTLISTENER_TOKEN=TOKEN,
    )
    return env


def run_citator(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed `citator` CLI as a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "citator", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
