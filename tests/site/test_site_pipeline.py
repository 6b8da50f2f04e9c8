"""The site on what the pipeline really produces: `citator refresh` against the fake CourtListener
(INVENTED cases, tests/fakes/corpus.py), an empty database, and a database from before the
case_treatments migration."""

from __future__ import annotations

import pytest

from pathlib import Path

import sqlite_utils
from datasette.app import Datasette

from citator.db import schema, store
from citator.db.web.queries import QUERIES
from citator.db.web.site import datasette_options, metadata_path, publish_site, serve_command
from citator.db.web.views import VIEWS
from tests.fakes.cli import run_citator


async def _client(database: Path) -> Datasette:
    ds = Datasette([], immutables=[str(database)], **datasette_options(database))
    await ds.invoke_startup()
    return ds


@pytest.mark.slow
async def test_site_after_refresh(tmp_path: Path, cli_env: dict[str, str], courtlistener) -> None:
    result = run_citator(["refresh"], cli_env, tmp_path)
    assert result.returncode == 0, result.stderr
    database = Path(cli_env["CITATOR_DB"])
    db = sqlite_utils.Database(database)
    assert {v.name for v in VIEWS} <= set(db.view_names())
    assert db["citations_fts"].exists() and db["opinions_fts"].exists()
    assert metadata_path(database).exists()
    ds = await _client(database)
    reliance = (await ds.client.get("/citator/reliance.json?_shape=array&authority_key=bernstein-9th")).json()
    assert {r["citing_case_id"] for r in reliance} == {"cl:cluster:200001", "cl:cluster:200002"}
    assert all(r["depth"] in ("mentioned", "cited", "discussed", "examined") for r in reliance)
    found = (await ds.client.get("/citator/opinions.json?_shape=array&_search=justiciable")).json()
    assert [o["id"] for o in found] == ["cl:opinion:400002"]
    for name in QUERIES:
        assert (await ds.client.get(f"/citator/{name}")).status_code == 200, name
    assert (await ds.client.get("/citator/new_references_feed.atom")).status_code == 200
    page = await ds.client.get("/-/citator/case?id=cl%3Acluster%3A200001")
    assert '<mark class="ref">' in page.text
    graph = (await ds.client.get("/-/citator/network.json?seed=bernstein-9th")).json()
    assert {"cl:cluster:200001", "cl:cluster:200002"} <= {n["id"] for n in graph["nodes"]}
    # Publishing twice is harmless.
    assert run_citator(["publish"], cli_env, tmp_path).returncode == 0


@pytest.mark.slow
async def test_site_on_an_empty_database(tmp_path: Path) -> None:
    database = tmp_path / "citator.db"
    store.open_database(database).close()
    publish_site(database)
    ds = await _client(database)
    for path in ["/", "/citator/reliance", "/citator/citing_references", "/citator/authority_status",
                 "/-/citator/network", "/-/citator/charts", "/-/citator/about",
                 *[f"/citator/{name}" for name in QUERIES]]:
        assert (await ds.client.get(path)).status_code == 200, path
    assert "No references yet" in (await ds.client.get("/-/citator/charts")).text
    assert (await ds.client.get("/-/citator/network.json")).status_code == 404


@pytest.mark.slow
def test_migration_adds_case_treatments(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    old = sqlite_utils.Database(database)
    schema.MIGRATIONS[0](old)
    old.execute("PRAGMA user_version = 1")
    assert not old["case_treatments"].exists()
    old.close()
    db = store.open_database(database)
    assert schema.schema_version(db) == schema.SCHEMA_VERSION >= 2
    assert {c.name for c in db["case_treatments"].columns} >= {
        "citing_case_id", "authority_key", "treatment", "depth", "references_count"}
    assert db["case_treatments"].pks == ["citing_case_id", "authority_key"]


def test_serve_command_line(tmp_path: Path) -> None:
    database = tmp_path / "citator.db"
    args = serve_command(database, "127.0.0.1", 8123)
    assert args[args.index("-i") + 1] == str(database)
    assert args[args.index("sql_time_limit_ms") + 1] == "3000"
    template_dir = Path(args[args.index("--template-dir") + 1])
    plugins_dir = Path(args[args.index("--plugins-dir") + 1])
    assert (template_dir / "citator_case.html").exists() and (plugins_dir / "citator_site.py").exists()
    assert "-i" not in serve_command(database, immutable=False)
