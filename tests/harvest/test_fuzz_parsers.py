"""Issue 17.7: Hypothesis fuzzes every parser that reads outside data.

CAP and CourtListener JSON (mutations of the real shapes, served by the fakes on 127.0.0.1 to the
real harvesters), bulk CSV rows and CAP case files, local files (txt, html, json, pdf), the
configuration TOML and `cite` input. Each input ends in results or one clear error: never an
unhandled exception, and never a partial write (a document that failed left no rows behind).
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from pytest_httpserver import HTTPServer

from citator.citations.courts import exact_court_id
from citator.citations.models import Authority
from citator.config import ConfigError, _default_data, load_config
from citator.db import runs as db_runs, store
from citator.harvest.bulk_readers import BulkFileError, cap_case_documents, documents
from citator.harvest.cap import CaselawAccessProject
from citator.harvest.courtlistener import CourtListener
from citator.harvest.crawl import Crawl
from citator.harvest.http import HarvestError, HttpClient
from citator.harvest.local import LocalFolder
from tests.fakes.cap import FakeCap
from tests.fakes.cap_corpus import ALL_CAP_CASES, CITING_CAP, MISSING_VOLUMES
from tests.fakes.corpus import ALL_CLUSTERS
from tests.fakes.courtlistener import FakeCourtListener
from tests.fakes.settings import http_client, source_settings

#: The suite runs the same 30 examples every time (derandomized: CI never fails by luck). A longer,
#: random search: `CITATOR_FUZZ_EXAMPLES=2000 pytest tests/harvest/test_fuzz_parsers.py`.
_LONG = int(os.environ.get("CITATOR_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=_LONG or 30, derandomize=not _LONG, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
#: Fewer examples where each one runs a harvest against a server.
FUZZ_SERVED = settings(FUZZ, max_examples=max(12, _LONG // 10))
SEEDS = [Authority.from_dict(s) for s in _default_data()["seeds"]]

LEAF = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=False),
                 st.text(max_size=20))
JSON = st.recursive(LEAF, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                  st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                    max_leaves=6)


def _paths(value: Any, here: tuple = ()) -> list[tuple]:
    out = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, here + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, here + (index,))
    return out


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _replace(value[path[0]], path[1:], new)
    return value


@st.composite
def mutations_of(draw: Any, document: Any) -> Any:
    """`document` with one to three of its values (or itself) replaced by arbitrary JSON."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        doc = _replace(doc, draw(st.sampled_from(_paths(doc))), draw(JSON))
    return doc


def fresh_crawl(http: HttpClient) -> Crawl:
    db = store.open_database(":memory:")
    return Crawl(db, db_runs.start_run(db, "harvest"), depth=1, max_cases=500, http=http)


def assert_no_partial_writes(crawl: Crawl, source: str) -> None:
    """Every fetch that did not finish left no opinion of its case from this source."""
    for row in crawl.db.execute(
            "select payload from crawl_frontier where source = ? and kind = 'fetch' and status != 'done'", [source]):
        case_id = json.loads(row[0])["case_id"]
        held = crawl.db.execute("select count(*) from opinions where case_id = ? and source = ?", [case_id, source])
        assert held.fetchone()[0] == 0, case_id


# -- CAP ------------------------------------------------------------------------------------------

class MutableCap(FakeCap):
    """The fake CAP, answering one path with whatever document the test sets."""

    override: tuple[str, Any] | None = None

    def _body(self, path: str) -> Any:
        if self.override and self.override[0] == path:
            return self.override[1]
        return super()._body(path)




@pytest.fixture
def cap_server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield MutableCap(server, ALL_CAP_CASES, extra_volumes=MISSING_VOLUMES)
    finally:
        server.clear()
        server.stop()


CAP_TARGETS = ["/f-supp/922/cases/1426-01.json", "/f-supp-2d/9005/CasesMetadata.json", "/f-supp/922/CasesMetadata.json",
               "/f-supp-2d/VolumesMetadata.json", "/ReportersMetadata.json"]


@pytest.mark.slow
@FUZZ_SERVED
@given(data=st.data())
def test_cap_json_of_any_shape_is_read_or_refused_cleanly(cap_server: MutableCap, data: Any) -> None:
    target = data.draw(st.sampled_from(CAP_TARGETS))
    cap_server.override = None
    real = FakeCap._body(cap_server, target)
    cap_server.override = (target, data.draw(mutations_of(real)))
    http = http_client(max_retries=0, backoff_seconds=0)
    crawl = fresh_crawl(http)
    source = CaselawAccessProject(http, cap_server.base_url, court_ids=exact_court_id,
                                 **source_settings("cap", CaselawAccessProject, reporters=["F. Supp. 2d"],
                                                   requests_per_minute=0, daily_request_budget=None))
    try:
        source.harvest(crawl, SEEDS)
    except HarvestError as exc:
        assert str(exc)  # one clear error
    assert_no_partial_writes(crawl, "cap")


# -- CourtListener --------------------------------------------------------------------------------

class MutableCourtListener(FakeCourtListener):
    """The fake CourtListener, answering one kind of request with whatever document the test sets."""

    override: tuple[str, Any] | None = None

    def _handle(self, request):
        from werkzeug.wrappers import Response

        if self.override and re.search(self.override[0], request.full_path):
            return Response(json.dumps(self.override[1]), status=200, content_type="application/json")
        return super()._handle(request)


def _real_page(results: list[Any]) -> dict[str, Any]:
    return {"count": len(results), "next": None, "previous": None, "results": results}


CL_TARGETS = {
    r"search/\?.*citation=": _real_page([ALL_CLUSTERS[0].search_result()]),
    r"search/\?.*cites": _real_page([c.search_result() for c in ALL_CLUSTERS[1:3]]),
    r"opinions/": _real_page([{"id": o["id"], "cluster_id": c.id, "type": o.get("type", "010combined"),
                               "author_str": "", "per_curiam": False, "plain_text": o.get("plain_text", ""),
                               "html_with_citations": o.get("html_with_citations", "")}
                              for c in ALL_CLUSTERS[:2] for o in c.opinions]),
}


@pytest.fixture
def cl_server(httpserver):
    return MutableCourtListener(httpserver, ALL_CLUSTERS, token="fuzz-token")


@pytest.mark.slow
@FUZZ_SERVED
@given(data=st.data())
def test_courtlistener_json_of_any_shape_is_read_or_refused_cleanly(cl_server: MutableCourtListener, data: Any) -> None:
    pattern = data.draw(st.sampled_from(sorted(CL_TARGETS)))
    cl_server.override = (pattern, data.draw(mutations_of(CL_TARGETS[pattern])))
    http = http_client(max_retries=0, backoff_seconds=0)
    crawl = fresh_crawl(http)
    source = CourtListener(http, cl_server.base_url, "fuzz-token", **source_settings(
        "courtlistener", CourtListener, requests_per_minute=0, daily_request_budget=None))
    try:
        source.harvest(crawl, SEEDS)
    except HarvestError as exc:
        assert str(exc)
    assert_no_partial_writes(crawl, "courtlistener")


# -- bulk files -----------------------------------------------------------------------------------

CSV_HEADER = '"id","cluster_id","type","per_curiam","author_str","plain_text","html_with_citations"\n'


@pytest.mark.slow
@FUZZ
@given(rows=st.lists(st.text(max_size=80), max_size=5), header=st.booleans())
def test_bulk_csv_rows_of_any_content_are_read_or_refused_cleanly(rows: list[str], header: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "opinions-2026-01-01.csv"
        path.write_text((CSV_HEADER if header else "") + "\n".join(rows), encoding="utf-8")
        try:
            for item in documents(str(path)):
                assert item is not None
        except BulkFileError as exc:
            assert str(exc)


@FUZZ
@given(data=st.data())
def test_bulk_cap_case_files_of_any_shape_are_read_or_refused_cleanly(data: Any) -> None:
    case = data.draw(mutations_of(CITING_CAP.case_json()))
    try:
        for document in cap_case_documents(case, exact_court_id, where="fuzz.zip:json/0001-01.json"):
            assert document.opinion.text.strip()
    except BulkFileError as exc:
        assert str(exc)


# -- local files ----------------------------------------------------------------------------------

LOCAL_JSON = [CITING_CAP.case_json(), {"id": 1, "cluster_id": 2, "type": "020lead", "plain_text": "INVENTED TEXT."},
              {"id": 2, "case_name": "Invented v. Case", "sub_opinions": [], "citations": []}]


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_local_files_of_any_content_are_imported_or_reported_cleanly(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        names = []
        for index in range(data.draw(st.integers(1, 4))):
            suffix = data.draw(st.sampled_from([".txt", ".html", ".json", ".pdf"]))
            name = f"doc{index}{suffix}"
            if suffix == ".json" and data.draw(st.booleans()):
                content = json.dumps(data.draw(mutations_of(data.draw(st.sampled_from(LOCAL_JSON))))).encode()
            else:
                content = data.draw(st.binary(max_size=300))
            (root / name).write_bytes(content)
            if data.draw(st.booleans()):
                meta = data.draw(mutations_of({"case": "c", "citations": ["1 F.3d 2"], "depth": 1, "ordinal": 0}))
                (root / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
            names.append(name)
        crawl = fresh_crawl(http_client())
        counts = LocalFolder([root], max_mb=None, court_ids=exact_court_id).harvest(crawl)
        failed = {Path(r[0]).name for r in crawl.db.execute("select url from run_errors") if r[0]}
        stored = {r[0] for r in crawl.db.execute("select source_id from opinions")}
        assert counts.errors == len(failed)
        for name in failed:  # a file that failed left nothing of itself
            assert not any(s == name or s.startswith(name + ":") for s in stored)


# -- configuration ---------------------------------------------------------------------------------

TOML_LEAF = st.one_of(st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                      st.text(max_size=12))
TOML_VALUE = st.recursive(TOML_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3)),
                          max_leaves=5)
KEYS = ["database", "crawl", "http", "sources", "seeds", "depth", "crawl.depth", "http.read_timeout",
        "sources.cap", "sources.courtlistener.base_url", "sources.local.paths", "seeds"]


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_any_configuration_is_accepted_or_refused_in_one_clear_error(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "citator.toml"
        if data.draw(st.booleans()):
            tree: dict[str, Any] = {}
            for key in data.draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4)):
                node = tree
                *parents, last = key.split(".")
                for part in parents:
                    node = node.setdefault(part, {}) if isinstance(node.get(part, {}), dict) else {}
                node[last] = data.draw(TOML_VALUE)
            path.write_text(tomli_w.dumps(tree), encoding="utf-8")
        else:
            path.write_bytes(data.draw(st.binary(max_size=200)))
        try:
            config = load_config(path, environ={})
        except ConfigError as exc:
            assert str(exc) and "\n" not in str(exc).strip()
            return
        # accepted: every accessor the commands use works
        assert config.database and isinstance(config.seeds, list)
        HttpClient.from_config(config.http, cache_dir=None)


# -- cite input -----------------------------------------------------------------------------------

@FUZZ
@given(text=st.one_of(st.text(max_size=400), st.binary(max_size=400).map(lambda b: b.decode("latin-1")),
                      st.sampled_from(["See 176 F.3d 1132, 1140 (9th Cir. 1999).", "<p>Id. at</p>", "<<<>>>", ""])))
def test_cite_reads_any_input_or_fails_in_one_line(text: str) -> None:
    result = CliRunner().invoke(__import__("citator.cli", fromlist=["cli"]).cli, ["cite", "-"], input=text.encode("utf-8", "surrogatepass"))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2)  # 2: input `cite` cannot read (binary), said in one line
    assert "Traceback" not in result.stderr
    for line in result.stdout.splitlines():
        json.loads(line)
