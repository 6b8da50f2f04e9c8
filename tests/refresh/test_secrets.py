"""Issue 20.3: a known secret sent through every error path never lands anywhere.

The token is echoed back by the source in a 400 body and a 401 body (as real servers do with bad
requests), a `next` link names another host, and the CAP mirror's URL carries a password. Then every
column of every table, the Datasette metadata, every cache file and every line citator printed are
searched for the secrets. Real CLI processes against servers on 127.0.0.1.
"""

from __future__ import annotations

import pytest

import base64
import gzip
import json
import re
import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from tests.fakes.cli import run_citator
from tests.fakes.cap import FakeCap
from tests.fakes.cap_corpus import ALL_CAP_CASES, MISSING_VOLUMES
from tests.fakes.corpus import ALL_CLUSTERS
from tests.fakes.courtlistener import FakeCourtListener
from tests.fakes.harvest_env import make_env

pytestmark = pytest.mark.slow

SECRET_TOKEN = "s3cr3t-token-4f1c9a7be0d2c3a1f0e9d8c7b6a5"
PASSWORD = "Pa55-mirror-secret-91x"


class EchoingCourtListener(FakeCourtListener):
    """The fake CourtListener, echoing the token back in its error bodies, and sending a `next` link
    to another origin on the first citers listing."""

    def __init__(self, server: HTTPServer, elsewhere: str) -> None:
        super().__init__(server, ALL_CLUSTERS, token=SECRET_TOKEN)
        self.elsewhere = elsewhere
        self.mode = "echo"

    def handle(self, request: Request) -> Response:
        self.requests.append(request.full_path)
        auth = request.headers.get("Authorization", "")
        if self.mode == "401":
            return _json({"detail": f"Invalid token: {auth}"}, 401)
        if "cites" in request.args.get("q", "") and "300000" in request.args.get("q", ""):
            return _json({"detail": f"bad query from {auth}", "echo": request.headers.get("Authorization")}, 400)
        if "cites" in request.args.get("q", "") and not request.args.get("cursor"):
            page = json.loads(self._handle(request).get_data())
            page["next"] = f"{self.elsewhere}api/rest/v4/search/?cursor=2&token={SECRET_TOKEN}"
            return _json(page)
        return self._handle(request)


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _everything_stored(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        parts = []
        for (table,) in conn.execute("select name from sqlite_master where type = 'table'"):
            for row in conn.execute(f"select * from [{table}]"):
                parts.append(" ".join(str(v) for v in row if v is not None))
        return "\n".join(parts)
    finally:
        conn.close()


def _cache_text(cache: Path) -> str:
    out = []
    for path in cache.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out.append((gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace"))
    return "\n".join(out)


def test_a_secret_sent_through_every_error_path_is_stored_logged_and_printed_nowhere(tmp_path: Path) -> None:
    elsewhere = HTTPServer(host="127.0.0.1", port=0)
    elsewhere.expect_request(re.compile(".*")).respond_with_json({"count": 0, "next": None, "results": []})
    cl_server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    cap_server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    for server in (elsewhere, cl_server, cap_server):
        server.start()
    try:
        courtlistener = EchoingCourtListener(cl_server, elsewhere.url_for("/"))
        cap = FakeCap(cap_server, ALL_CAP_CASES, extra_volumes=MISSING_VOLUMES)
        env = make_env(tmp_path, courtlistener=courtlistener, cap=cap)
        env["COURTLISTENER_TOKEN"] = SECRET_TOKEN
        env["CITATOR_CAP_URL"] = cap.base_url.replace("http://", f"http://reader:{PASSWORD}@")
        printed = []

        refresh = run_citator(["refresh", "--log-format", "json"], env, tmp_path)
        printed.append(refresh.stdout + refresh.stderr)
        assert refresh.returncode == 3, refresh.stderr  # partial: the echoing 400, the foreign next link
        assert "courtlistener (2 errors" in refresh.stderr

        courtlistener.mode = "401"  # now the token is refused, and echoed, on every request
        failed = run_citator(["refresh"], env, tmp_path)
        printed.append(failed.stdout + failed.stderr)
        assert failed.returncode == 1, failed.stderr

        for args in (["status"], ["status", "--json"], ["config"], ["config", "--json"], ["publish"]):
            result = run_citator(args, env, tmp_path)
            assert result.returncode == 0, result.stderr
            printed.append(result.stdout + result.stderr)

        # the password went to the mirror as HTTP auth, and the token only to CourtListener's origin
        sent = {req.headers.get("Authorization") for req, _ in cap_server.log}
        assert "Basic " + base64.b64encode(f"reader:{PASSWORD}".encode()).decode() in sent
        assert not elsewhere.log  # the foreign `next` link was never followed
        db_path = Path(env["CITATOR_DB"])
        places = {
            "database": _everything_stored(db_path),
            "metadata": (db_path.parent / "citator-metadata.json").read_text(encoding="utf-8"),
            "cache": _cache_text(db_path.parent / "citator-cache"),
            "output": "\n".join(printed),
        }
        assert "cap:case:" in places["database"] and places["cache"]  # there is something to search
        for where, text in places.items():
            for secret in (SECRET_TOKEN, PASSWORD):
                assert secret not in text, f"{secret!r} found in the {where}"
        for where in ("database", "cache", "metadata"):  # the user name is no secret, but no URL keeps it
            assert "reader@" not in places[where] and "reader:" not in places[where]
        assert "[redacted]" in places["database"]  # the echoes were stored, blanked
        assert "sent a link to another origin" in places["database"]
    finally:
        for server in (elsewhere, cl_server, cap_server):
            server.clear()
            if server.is_running():
                server.stop()
