"""The one HTTP layer, against a local server: retries, 429, timeouts, the cache, budgets, tokens."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from citator.harvest.cache import ResponseCache
from citator.harvest.http import (
    FOREVER,
    AuthenticationRequired,
    BadResponse,
    BudgetExhausted,
    HostPolicy,
    HttpClient,
    NotFound,
    RateLimited,
    SourceUnreachable,
)
from tests.fakes.settings import http_client


class Script:
    """Answers a path with a scripted sequence of responses, then the last one forever."""

    def __init__(self, server: HTTPServer, path: str, answers: list) -> None:
        self.answers = answers
        self.seen: list[Request] = []
        server.expect_request(path).respond_with_handler(self.handle)

    def handle(self, request: Request) -> Response:
        self.seen.append(request)
        answer = self.answers[min(len(self.seen) - 1, len(self.answers) - 1)]
        return answer if isinstance(answer, Response) else answer(request)


def ok(body: object, **headers: str) -> Response:
    return Response(json.dumps(body), status=200, content_type="application/json", headers=headers)


def client(tmp_path: Path, server: HTTPServer, **kwargs) -> HttpClient:
    """A client that records its sleeps instead of sleeping; local hosts get no rate limit."""
    sleeps: list[float] = []
    http = http_client(user_agent="citator-tests/1 (+tests)", backoff_seconds=0.001, read_timeout=0.5,
                      cache=ResponseCache(tmp_path / "cache"), sleep=sleeps.append, **kwargs)
    http.register(server.url_for("/"), HostPolicy(name="local", requests_per_minute=0))
    http.sleeps = sleeps  # type: ignore[attr-defined]
    return http


def test_retries_5xx_with_backoff_then_succeeds(httpserver: HTTPServer, tmp_path: Path) -> None:
    script = Script(httpserver, "/x", [Response("boom", status=500), Response("boom", status=502), ok({"a": 1})])
    http = client(tmp_path, httpserver)
    assert http.get_json(httpserver.url_for("/x")) == {"a": 1}
    assert len(script.seen) == 3
    assert len(http.sleeps) == 2 and http.sleeps[1] > 0  # type: ignore[attr-defined]
    assert script.seen[0].headers["User-Agent"] == "citator-tests/1 (+tests)"


def test_gives_up_with_a_message_naming_the_source(httpserver: HTTPServer, tmp_path: Path) -> None:
    Script(httpserver, "/x", [Response("boom", status=503)])
    http = client(tmp_path, httpserver, max_retries=2)
    http.register(httpserver.url_for("/"), HostPolicy(name="Example Source", requests_per_minute=0))
    with pytest.raises(SourceUnreachable, match="cannot reach Example Source .* server error 503 after 3 attempts"):
        http.get_json(httpserver.url_for("/x"))


def test_429_waits_retry_after_or_stops_when_too_long(httpserver: HTTPServer, tmp_path: Path) -> None:
    throttled = Response(json.dumps({"detail": "Request was throttled."}), status=429, headers={"Retry-After": "7"})
    Script(httpserver, "/x", [throttled, ok({"a": 1})])
    http = client(tmp_path, httpserver)
    assert http.get_json(httpserver.url_for("/x")) == {"a": 1}
    assert http.sleeps == [7.0]  # type: ignore[attr-defined]

    Script(httpserver, "/y", [Response("{}", status=429, headers={"Retry-After": "85774"})])
    with pytest.raises(RateLimited, match="429 for 85774 s"):
        client(tmp_path, httpserver).get_json(httpserver.url_for("/y"))


@pytest.mark.slow
def test_read_timeout_is_retried(tmp_path: Path) -> None:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        calls = []

        def slow_once(request: Request) -> Response:
            calls.append(1)
            if len(calls) == 1:
                time.sleep(1.0)
            return ok({"a": 1})

        server.expect_request("/slow").respond_with_handler(slow_once)
        assert client(tmp_path, server).get_json(server.url_for("/slow")) == {"a": 1}
        assert len(calls) == 2
    finally:
        server.stop()


def test_truncated_json_is_an_error_and_never_cached(httpserver: HTTPServer, tmp_path: Path) -> None:
    script = Script(httpserver, "/x", [Response('{"results": [1, 2', status=200, content_type="application/json"), ok({"a": 1})])
    http = client(tmp_path, httpserver)
    http.register(httpserver.url_for("/"), HostPolicy(name="Example", requests_per_minute=0, cache_ttl=FOREVER))
    with pytest.raises(BadResponse, match="malformed"):
        http.get_json(httpserver.url_for("/x"))
    assert http.get_json(httpserver.url_for("/x")) == {"a": 1}  # asked again, not served from cache
    assert http.get_json(httpserver.url_for("/x")) == {"a": 1}  # now cached
    assert len(script.seen) == 2 and http.cache_hits == 1


def test_errors_are_never_cached(httpserver: HTTPServer, tmp_path: Path) -> None:
    script = Script(httpserver, "/x", [Response("{}", status=404), ok({"a": 1})])
    http = client(tmp_path, httpserver)
    http.register(httpserver.url_for("/"), HostPolicy(name="Example", requests_per_minute=0, cache_ttl=FOREVER))
    with pytest.raises(NotFound):
        http.get_json(httpserver.url_for("/x"))
    assert http.get_json(httpserver.url_for("/x")) == {"a": 1}
    assert len(script.seen) == 2


def test_cache_key_ignores_the_token_and_files_never_hold_it(httpserver: HTTPServer, tmp_path: Path) -> None:
    script = Script(httpserver, "/x", [ok({"a": 1})])
    http = client(tmp_path, httpserver)
    http.register(httpserver.url_for("/"), HostPolicy(name="Example", requests_per_minute=0, cache_ttl=FOREVER))
    for _ in range(3):
        assert http.get_json(httpserver.url_for("/x"), params={"q": "1"}, headers={"Authorization": "Token s3cret"}) == {"a": 1}
    assert len(script.seen) == 1
    assert not any(b"s3cret" in p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())


def test_conditional_request_after_ttl(httpserver: HTTPServer, tmp_path: Path) -> None:
    def answer(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return ok({"a": 1}, ETag='"v1"')

    script = Script(httpserver, "/x", [answer])
    http = client(tmp_path, httpserver)
    http.register(httpserver.url_for("/"), HostPolicy(name="Example", requests_per_minute=0, cache_ttl=0.0))
    assert http.get_json(httpserver.url_for("/x")) == {"a": 1}
    assert http.get_json(httpserver.url_for("/x")) == {"a": 1}
    assert script.seen[1].headers.get("If-None-Match") == '"v1"'


def test_401_names_the_token_variable(httpserver: HTTPServer, tmp_path: Path) -> None:
    Script(httpserver, "/x", [Response(json.dumps({"detail": "Authentication credentials were not provided."}), status=401)])
    http = client(tmp_path, httpserver)
    http.register(httpserver.url_for("/"), HostPolicy(name="CourtListener", requests_per_minute=0, token_env="COURTLISTENER_TOKEN"))
    with pytest.raises(AuthenticationRequired, match="needs an API token: set COURTLISTENER_TOKEN"):
        http.get_json(httpserver.url_for("/x"))
    with pytest.raises(AuthenticationRequired, match="Set COURTLISTENER_TOKEN to a valid API token") as caught:
        http.get_json(httpserver.url_for("/x"), headers={"Authorization": "Token s3cret"})
    assert "s3cret" not in str(caught.value)


def test_budget_is_taken_per_network_request_only(httpserver: HTTPServer, tmp_path: Path) -> None:
    Script(httpserver, "/x", [ok({"a": 1})])
    spent: list[int] = []

    def budget() -> None:
        if len(spent) >= 1:
            raise BudgetExhausted("spent")
        spent.append(1)

    http = client(tmp_path, httpserver)
    http.register(httpserver.url_for("/"), HostPolicy(name="Example", requests_per_minute=0, cache_ttl=FOREVER, budget=budget))
    http.get_json(httpserver.url_for("/x"))
    http.get_json(httpserver.url_for("/x"))  # cached: free
    with pytest.raises(BudgetExhausted):
        http.get_json(httpserver.url_for("/other"))


def test_rate_limit_spaces_requests(httpserver: HTTPServer, tmp_path: Path) -> None:
    Script(httpserver, "/x", [ok({"a": 1})])
    http = client(tmp_path, httpserver)
    http.register(httpserver.url_for("/"), HostPolicy(name="Example", requests_per_minute=60))
    http.get_json(httpserver.url_for("/x"))
    http.get_json(httpserver.url_for("/x"))
    assert http.sleeps and 0.9 < http.sleeps[-1] <= 1.0  # type: ignore[attr-defined]
