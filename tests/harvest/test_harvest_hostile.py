"""Issue 20.4, 17.5a, 20.3 (origins), 17.6, 20.6: harvesting from hostile or broken servers and
folders. Real HttpClient and harvesters against servers on 127.0.0.1; the folder tests run the real CLI.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import sqlite_utils

from citator.harvest.http import BadResponse, ResponseTooLarge, SourceStalled, SourceUnreachable
from tests.fakes.cli import run_citator
from tests.fakes.drip import BadServer
from tests.fakes.settings import http_client
from tests.fakes.harvest_env import cap_site, make_env  # noqa: F401 - fixture


@pytest.fixture
def bad_server(request):
    servers = []

    def start(mode: str, **kwargs) -> BadServer:
        server = BadServer(mode, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.mark.slow
def test_a_dripping_server_meets_the_wall_clock_deadline(bad_server) -> None:
    """One byte every 0.2 s never trips a 1 s read timeout; the 1.5 s deadline ends the request."""
    server = bad_server("drip", interval=0.2, size=1000)
    client = http_client(read_timeout=1.0, request_deadline=1.5, max_retries=3, backoff_seconds=0.01)
    began = time.monotonic()
    with pytest.raises(SourceStalled) as info:
        client.get(server.url + "cases.json")
    assert time.monotonic() - began < 4
    assert "did not complete within 1.5 s" in str(info.value) and "request_deadline" in str(info.value)
    assert len(server.requests) == 1  # a stalling source is not asked again in this run


@pytest.mark.slow
def test_a_stalled_body_is_a_read_timeout_not_could_not_connect(bad_server) -> None:
    server = bad_server("stall", interval=5)
    client = http_client(read_timeout=0.3, request_deadline=30, max_retries=1, backoff_seconds=0.01)
    with pytest.raises(SourceUnreachable) as info:
        client.get(server.url + "cases.json")
    message = str(info.value)
    assert "read timeout" in message and "could not connect" not in message
    assert len(server.requests) == 2  # retried once, like any timeout


@pytest.mark.parametrize("mode", ["big", "big_chunked"])
def test_an_answer_over_the_size_limit_is_refused_and_not_cached(bad_server, tmp_path: Path, mode: str) -> None:
    from citator.harvest.cache import ResponseCache

    server = bad_server(mode, size=3_000_000)
    client = http_client(max_response_bytes=1_000_000, cache=ResponseCache(tmp_path / "cache"), max_retries=0)
    with pytest.raises(ResponseTooLarge) as info:
        client.get(server.url + "big.json", max_age=3600)
    assert isinstance(info.value, BadResponse)  # an error of that document; the run goes on
    assert "max_response_mb" in str(info.value)
    assert not list((tmp_path / "cache").rglob("*.gz"))


@pytest.mark.slow
def test_a_dripping_source_ends_the_refresh_as_partial(bad_server, tmp_path: Path, cap_site) -> None:
    """CourtListener drips; the refresh stops it at the deadline, goes on with CAP and ends."""
    server = bad_server("drip", interval=0.2, size=10_000)
    env = make_env(tmp_path, cap=cap_site, config={"http": {"request_deadline": 1.5, "read_timeout": 1.0}})
    env["CITATOR_COURTLISTENER_URL"] = server.url + "api/rest/v4/"
    began = time.monotonic()
    result = run_citator(["refresh", "--quiet"], env, tmp_path, timeout=120)
    assert time.monotonic() - began < 60
    assert result.returncode == 3, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "courtlistener" in last and "did not complete within 1.5 s" in last
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["cases"].count > 0  # CAP's cases were published
    assert not Path(f"{env['CITATOR_DB']}.lock").read_text()  # the lock was released


# -- local folders -------------------------------------------------------------------------------

def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_one_bad_file_is_an_error_row_and_the_others_are_imported(tmp_path: Path) -> None:
    """A corrupt PDF, a CAP-shaped JSON with wrong types, a sidecar of the wrong type, text that is
    not UTF-8: each one a run_errors row naming the file; the good files are stored; reruns do
    the same (the bad files do not stop the harvest at the same place forever)."""
    folder = tmp_path / "ops"
    _write(folder / "good.txt", "INVENTED TEXT FOR TESTS. See 922 F. Supp. 1426.")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Length 99 >> stream\nxx")
    _write(folder / "cap_wrong_types.json", json.dumps({"casebody": {"opinions": [5, "x"]}, "citations": 7, "court": 3}))
    _write(folder / "cap_wrong_types2.json", json.dumps({"id": 1, "casebody": 12}))
    _write(folder / "sidecar.txt", "INVENTED TEXT FOR TESTS.")
    _write(folder / "sidecar.txt.meta.json", json.dumps({"citations": "176 F.3d 1132"}))
    (folder / "latin1.txt").write_bytes("INVENTED caf\xe9".encode("latin-1"))
    _write(folder / "later.html", "<title>Invented Later Case</title><p>INVENTED TEXT FOR TESTS.</p>")
    env = make_env(tmp_path, token=False)
    for _ in range(2):
        # a relative --from works (it ended in "relative path can't be expressed as a file URI")
        result = run_citator(["harvest", "--from", "ops", "--quiet"], env, tmp_path)
        assert result.returncode == 3, result.stderr
        assert "Traceback" not in result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert "local (5 errors" in last
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert {r["id"] for r in db["opinions"].rows} == {"local:good.txt", "local:later.html"}
    assert db["case_citations"].count == 0  # the bad sidecar's string was not split into "citations"
    last_run = max(r["id"] for r in db["runs"].rows)
    errors = {Path(r["url"]).name: r["message"] for r in db["run_errors"].rows_where("run_id = ?", [last_run])}
    assert set(errors) == {"corrupt.pdf", "cap_wrong_types.json", "cap_wrong_types2.json", "sidecar.txt", "latin1.txt"}
    assert all(name in message for name, message in errors.items())
    assert all(r["url"].startswith("file:///") for r in db["opinions"].rows)


@pytest.mark.slow
def test_links_out_of_the_folder_are_skipped_and_reported(tmp_path: Path) -> None:
    secret = _write(tmp_path / "outside" / "passwd.txt", "root:x:0:0:NOT FOR PUBLICATION")
    folder = tmp_path / "in"
    _write(folder / "ok.txt", "INVENTED TEXT FOR TESTS.")
    os.symlink(secret, folder / "p.txt")
    os.symlink(secret.parent, folder / "linked_dir")
    os.symlink(secret, folder / "ok.txt.meta.json")  # a sidecar pointing out of the folder
    _write(folder / "inner" / "real.txt", "INVENTED TEXT FOR TESTS.")
    os.symlink(folder / "inner" / "real.txt", folder / "alias.txt")  # a link inside the folder is fine
    env = make_env(tmp_path, token=False)
    result = run_citator(["harvest", "--from", str(folder)], env, tmp_path)
    assert result.returncode == 3, result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    texts = " ".join(r["text"] for r in db["opinions"].rows)
    assert "NOT FOR PUBLICATION" not in texts
    assert {r["id"] for r in db["opinions"].rows} == {"local:inner/real.txt", "local:alias.txt"}
    messages = [r["message"] for r in db["run_errors"].rows]
    assert any(m.startswith("skipped p.txt: its real path lies outside") for m in messages)
    assert any(m.startswith("skipped linked_dir:") for m in messages)
    assert any("ok.txt" in m and "sidecar" in m for m in messages)
    assert "NOT FOR PUBLICATION" not in " ".join(messages)
