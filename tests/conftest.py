"""Fixtures every stage's tests use: the shared corpus and a fake CourtListener on 127.0.0.1 with
an environment for running the real CLI against it (tests.fakes.cli runs it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakes.cli import TOKEN
from tests.fakes.corpus import ALL_CLUSTERS
from tests.fakes.courtlistener import FakeCourtListener
from tests.fakes.paths import require_shared


def pytest_configure(config: pytest.Config) -> None:
    """Extraction run inside the test process keeps its compiled Hyperscan databases where a
    command keeps them (the user's cache folder), as the CLI tells the citations stage to."""
    from citator.citations import hscache
    from citator.config import hyperscan_cache_dir

    hscache.use_directory(hyperscan_cache_dir)


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

