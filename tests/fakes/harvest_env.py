"""Fixtures and helpers for the harvest tests: a fake CAP site beside the fake CourtListener, an
environment that points the real CLI at both, and a snapshot of what a harvest stored."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlite_utils
import tomli_w
from pytest_httpserver import HTTPServer

from tests.fakes.cap import FakeCap
from tests.fakes.cap_corpus import ALL_CAP_CASES, MISSING_VOLUMES

TOKEN = "test-token-not-a-secret"

#: The test citator.toml: no politeness towards local servers, tiny backoff, short read timeout.
TEST_CONFIG: dict[str, Any] = {
    "http": {"backoff_seconds": 0.01, "read_timeout": 0.5, "max_retries": 3},
    "sources": {
        "courtlistener": {"requests_per_minute": 0},
        "cap": {"requests_per_minute": 0, "reporters": ["F.3d", "F. Supp.", "F. Supp. 2d"]},
    },
}
NO_CAP = {"sources": {"cap": {"enabled": False}}}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@pytest.fixture
def cap_site() -> Iterator[FakeCap]:
    """A fake static.case.law on its own port (threaded, so a slow answer does not block others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield FakeCap(server, ALL_CAP_CASES, extra_volumes=MISSING_VOLUMES)
    finally:
        server.clear()
        if server.is_running():
            server.stop()


def make_env(tmp_path: Path, *, courtlistener: Any = None, cap: Any = None, token: bool = True,
             config: dict[str, Any] | None = None) -> dict[str, str]:
    """Environment for running `citator` in `tmp_path` against the fakes given (others unreachable)."""
    (tmp_path / "citator.toml").write_text(tomli_w.dumps(_merge(TEST_CONFIG, config or {})), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITATOR_") and k != "COURTLISTENER_TOKEN"}
    env.update(
        CITATOR_DB=str(tmp_path / "citator.db"),
        CITATOR_COURTLISTENER_URL=courtlistener.base_url if courtlistener else "http://127.0.0.1:9/api/rest/v4/",
        CITATOR_CAP_URL=cap.base_url if cap else "http://127.0.0.1:9/",
    )
    if token:
        env["COURTLISTENER_TOKEN"] = TOKEN
    return env


#: Columns compared between two harvests (timestamps and run numbers differ by nature).
SNAPSHOT = {
    "cases": "id, name, court_id, court, decision_date, docket_number, citation, url, depth",
    "case_citations": "cite, case_id, type",
    "case_sources": "case_id, source, source_id, url",
    "opinions": "id, case_id, type, author, ordinal, text_format, text_field, text_sha256, source, source_id, url",
    "cap_cites_to": "cap_case_id, case_id, opinion_index, opinion_id, cite, cited_cap_case_ids, weight, pin_cites",
    "crawl_frontier": "source, key, kind, depth, status",
}


def snapshot(db_path: str | Path) -> dict[str, list[tuple]]:
    db = sqlite_utils.Database(db_path)
    return {
        table: [tuple(row) for row in db.execute(f"select {cols} from {table} order by {cols}").fetchall()]
        for table, cols in SNAPSHOT.items()
    }
