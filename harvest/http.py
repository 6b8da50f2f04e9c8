"""The one place citator speaks HTTP.

Every source goes through `HttpClient`: one requests Session with a descriptive User-Agent,
connect and read timeouts, retries with exponential backoff and jitter on connection errors, cut-off
answers and 5xx, 429 answered by waiting Retry-After (or giving up with a clear message when the wait
is longer than a run should sleep), a per-source rate limit, a per-source daily request budget, and
an on-disk cache of successful answers (`harvest/cache.py`) so a rerun does not download unchanged
documents again. Sources never write their own retry loops.

Expected faults become `HarvestError` subclasses whose message says what failed, where, and what to
do, so the CLI can print one line instead of a traceback. Tokens are sent as headers and never
appear in messages, cache keys or cache files.

Hostile or broken servers are bounded: every request has a wall-clock deadline
(`http.request_deadline`; requests' own read timeout is per read, so a server dripping a byte at a
time would otherwise hold a run, and its lock, forever) and a maximum body size
(`http.max_response_mb`, counted while streaming, after decompression). Credentials in a base URL
(`http://user:pass@mirror/`) are sent as HTTP auth and removed from every URL citator stores or
prints; a source's token and auth go only to its base URL's own origin.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

import requests
import urllib3

from citator.db.scrub import scrub_url, split_credentials
from citator.harvest.cache import ResponseCache


class HarvestError(Exception):
    """An expected fault while fetching from a source; the message is meant for the user."""

    def __init__(self, message: str, *, source: str = "", url: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.url = url


class SourceUnreachable(HarvestError):
    """The network or the host is down, or every retry failed."""


class AuthenticationRequired(HarvestError):
    """401/403: the source needs a (valid) token."""


class StopSource(HarvestError):
    """The source cannot be asked again in this run (rate limit, stalling); the crawl resumes next run."""


class RateLimited(StopSource):
    """429 with a wait longer than this run will sleep."""


class SourceStalled(StopSource):
    """An answer did not complete within `http.request_deadline` (a dripping or hung server)."""


class BudgetExhausted(HarvestError):
    """The source's daily request budget is spent; the crawl continues on the next run."""


class BadResponse(HarvestError):
    """The source answered, but not with what we can read (malformed JSON, unexpected status)."""


class ResponseTooLarge(BadResponse):
    """The answer was larger than `http.max_response_mb`; it is not read further, nor cached."""


class NotFound(HarvestError):
    """404: the source has no such document. An answer, not a fault; never retried."""


#: Cache lifetime meaning "a stored answer never goes stale" (documents that do not change).
FOREVER = math.inf


@dataclass
class HostPolicy:
    """Per-source politeness and caching.

    `requests_per_minute` <= 0 switches the rate limit off (tests, local mirrors). `cache_ttl` is how
    long (seconds) a cached answer is used without asking again; None means never cache; after the
    ttl a cached answer is revalidated with a conditional request when the server gave validators.
    `budget` is called before every network request and raises `BudgetExhausted` when the day's
    allowance is spent; cache hits cost nothing.
    """

    name: str
    requests_per_minute: float = 60.0
    source: str = ""  # the source's key in the database (courtlistener, cap); defaults to `name`
    token_env: str | None = None  # named in 401/403 messages
    cache_ttl: float | None = None
    budget: Callable[[], None] | None = None
    auth: tuple[str, str] | None = None  # from the base URL's user-info; sent only to `origin`
    origin: str | None = None  # scheme://host:port of the base URL, set by `HttpClient.register`
    base_url: str = ""  # the base URL without user-info, set by `HttpClient.register`

    @property
    def key(self) -> str:
        """What errors name as their source (recorded in run_errors)."""
        return self.source or self.name


@dataclass
class Answer:
    """A successful (2xx or revalidated) answer, from the network or the cache."""

    url: str
    status: int
    content: bytes
    headers: Mapping[str, str]
    from_cache: bool = False

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


@dataclass
class HttpClient:
    """The one HTTP client. Its settings have no defaults here: `from_config` takes them from the
    `[http]` table, whose defaults live in default_config.toml only."""

    user_agent: str
    connect_timeout: float
    read_timeout: float
    max_retries: int
    backoff_seconds: float
    max_retry_after: float
    request_deadline: float
    max_response_bytes: int
    cache: ResponseCache | None = None
    policies: dict[str, HostPolicy] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    on_request: Callable[[str, str], None] | None = None  # (policy name, url) after each network request

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.user_agent
        self._last_request: dict[str, float] = {}
        self.requests_made = 0
        self.cache_hits = 0
        self.served: list[str] = []  # URLs answered (from the network or the cache), in order

    @classmethod
    def from_config(cls, http: Mapping[str, Any], cache_dir: Any = None) -> "HttpClient":
        """A client from the validated `[http]` table (every key present: defaults come from
        default_config.toml, merged and checked by citator.config)."""
        use_cache = bool(http["cache"]) and cache_dir is not None
        return cls(
            user_agent=http["user_agent"],
            connect_timeout=float(http["connect_timeout"]),
            read_timeout=float(http["read_timeout"]),
            max_retries=int(http["max_retries"]),
            backoff_seconds=float(http["backoff_seconds"]),
            max_retry_after=float(http["max_retry_after"]),
            request_deadline=float(http["request_deadline"]),
            max_response_bytes=int(float(http["max_response_mb"]) * 1_000_000),
            cache=ResponseCache(cache_dir) if use_cache else None,
        )

    def register(self, base_url: str, policy: HostPolicy) -> HostPolicy:
        """Apply `policy` to every URL under `base_url` (the longest matching prefix wins).

        User-info in `base_url` becomes the policy's HTTP auth and is dropped from the URL the
        source builds on (`policy.base_url`), so it is never stored or printed.
        """
        clean, auth = split_credentials(base_url)
        policy.auth = policy.auth or auth
        policy.base_url = clean
        policy.origin = origin(clean)
        self.policies[_prefix(clean)] = policy
        return policy

    def _policy(self, url: str) -> HostPolicy:
        best: tuple[int, HostPolicy] | None = None
        for prefix, policy in self.policies.items():
            if _prefix(url).startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), policy)
        return best[1] if best else HostPolicy(name=urlsplit(url).netloc)

    def _throttle(self, policy: HostPolicy) -> None:
        if policy.requests_per_minute <= 0:
            return
        interval = 60.0 / policy.requests_per_minute
        last = self._last_request.get(policy.name)
        if last is not None:
            wait = last + interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_request[policy.name] = time.monotonic()

    def _backoff(self, attempt: int) -> float:
        return self.backoff_seconds * (2**attempt) * (0.5 + random.random() / 2)

    # -- public ------------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        max_age: float | None = None,
        accept: Callable[[Answer], Any] | None = None,
    ) -> Answer:
        """GET through the cache; returns a successful answer or raises a HarvestError.

        `max_age` overrides the policy's cache lifetime for this request (0 = store, but always
        revalidate).
        `accept` is called on a fresh answer before it is cached; if it raises, the answer is not
        stored and a `BadResponse` is raised, so a malformed body is never served again.
        """
        full_url = requests.Request("GET", url, params=dict(params or {})).prepare().url or url
        policy = self._policy(full_url)
        on_origin = policy.origin is not None and origin(full_url) == policy.origin
        if not on_origin:  # a token or password goes only to the source's own origin
            headers = {k: v for k, v in (headers or {}).items() if k.lower() != "authorization"}
        ttl = policy.cache_ttl if max_age is None else max_age
        cached = self.cache.get(full_url) if (self.cache is not None and ttl is not None) else None
        if cached is not None and ttl is not None and cached.age() <= ttl:
            self.cache_hits += 1
            self.served.append(full_url)
            return Answer(full_url, 200, cached.body, {"Content-Type": cached.content_type or ""}, from_cache=True)
        send = dict(headers or {})
        if cached is not None:
            if cached.etag:
                send["If-None-Match"] = cached.etag
            if cached.last_modified:
                send["If-Modified-Since"] = cached.last_modified
        response = self._request(full_url, send, policy, auth=policy.auth if on_origin else None)
        if response.status_code == 304 and cached is not None:
            assert self.cache is not None
            self.cache.touch(full_url)
            self.cache_hits += 1
            self.served.append(full_url)
            return Answer(full_url, 200, cached.body, {"Content-Type": cached.content_type or ""}, from_cache=True)
        answer = Answer(response.url or full_url, response.status_code, response.content, response.headers)
        if accept is not None:
            try:
                accept(answer)
            except Exception:
                raise BadResponse(
                    f"{policy.name} sent a malformed answer for {_safe(answer.url)}", source=policy.key, url=answer.url
                ) from None
        if self.cache is not None and ttl is not None:
            self.cache.put(
                full_url,
                answer.content,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type"),
            )
        self.served.append(full_url)
        return answer

    def forget_since(self, mark: int) -> None:
        """Drop from the cache every answer served since `len(self.served)` was `mark`.

        A harvester calls this when the answers of one work item turned out unusable (valid JSON
        of the wrong shape, an incomplete batch), so the retry asks the source again instead of
        replaying the same cached answer forever.
        """
        if self.cache is not None:
            for url in dict.fromkeys(self.served[mark:]):
                self.cache.delete(url)
        del self.served[mark:]

    def get_json(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        max_age: float | None = None,
    ) -> Any:
        """GET and parse JSON; malformed JSON raises `BadResponse` and is never cached."""
        parsed: list[Any] = []

        def accept(answer: Answer) -> None:
            parsed.append(answer.json())

        answer = self.get(url, params=params, headers=headers, max_age=max_age, accept=accept)
        if parsed:
            return parsed[0]
        try:
            return answer.json()
        except ValueError:  # a cached body that no longer parses: drop it and say so
            if self.cache is not None:
                self.cache.delete(answer.url)
            policy = self._policy(answer.url)
            raise BadResponse(f"{policy.name} sent malformed JSON for {_safe(answer.url)}",
                              source=policy.key, url=answer.url) from None

    # -- the network -------------------------------------------------------------------------

    def _send(self, url: str, headers: Mapping[str, str], policy: HostPolicy,
              auth: tuple[str, str] | None) -> requests.Response:
        """One GET, its body read as a stream within the deadline and the size limit.

        Error answers are read only up to 64 kB (enough for their message)."""
        started = time.monotonic()
        read_timeout = min(self.read_timeout, self.request_deadline)
        response = self.session.get(url, headers=dict(headers), timeout=(self.connect_timeout, read_timeout),
                                    stream=True, auth=auth)
        try:
            ok = 200 <= response.status_code < 300
            limit = self.max_response_bytes if ok else 65536
            declared = response.headers.get("Content-Length", "")
            if ok and declared.isdigit() and int(declared) > limit:
                raise ResponseTooLarge(
                    f"{policy.name} answered {_safe(url)} with {int(declared) / 1e6:.1f} MB, more than "
                    f"http.max_response_mb ({limit / 1e6:g} MB); not read", source=policy.key, url=_safe(url))
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = _read_some(response)  # returns what arrived: a drip cannot hide in a full buffer
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    if not ok:
                        break
                    raise ResponseTooLarge(
                        f"{policy.name} answered {_safe(url)} with more than http.max_response_mb "
                        f"({limit / 1e6:g} MB); not read further", source=policy.key, url=_safe(url))
                chunks.append(chunk)
                if time.monotonic() - started > self.request_deadline:
                    raise SourceStalled(
                        f"{policy.name}: the answer for {_safe(url)} did not complete within "
                        f"{self.request_deadline:g} s (http.request_deadline); the source is stalling, "
                        "so it is stopped for this run and the crawl resumes on the next",
                        source=policy.key, url=_safe(url))
            response._content = b"".join(chunks)  # the body, read: .content and .json() work as usual
            response._content_consumed = True
        finally:
            response.close()
        return response

    def _request(self, url: str, headers: Mapping[str, str], policy: HostPolicy,
                 auth: tuple[str, str] | None = None) -> requests.Response:
        """One logical GET with retries; returns a 2xx or 304 response or raises a HarvestError."""
        last_problem = ""
        sent_token = any(k.lower() == "authorization" for k in headers)
        for attempt in range(self.max_retries + 1):
            if policy.budget is not None:
                policy.budget()
            self._throttle(policy)
            try:
                response = self._send(url, headers, policy, auth)
            except requests.exceptions.ConnectTimeout:
                last_problem = f"could not connect within {self.connect_timeout:g} s"
            except _BodyStalled:
                last_problem = f"the answer stalled (read timeout: no data for {self.read_timeout:g} s)"
            except requests.exceptions.ReadTimeout:
                last_problem = f"no answer within {self.read_timeout:g} s (read timeout)"
            except requests.exceptions.ConnectionError as exc:
                if _is_read_timeout(exc):
                    last_problem = f"no answer within {self.read_timeout:g} s (read timeout)"
                else:
                    last_problem = "could not connect"
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
                last_problem = "the answer was cut off"
            except requests.exceptions.RequestException as exc:
                raise SourceUnreachable(
                    f"{policy.name}: request to {_safe(url)} failed: {exc.__class__.__name__}", source=policy.key, url=_safe(url)
                ) from None
            else:
                self.requests_made += 1
                if self.on_request:
                    self.on_request(policy.name, response.url)
                status = response.status_code
                if 200 <= status < 300 or status == 304:
                    return response
                if status == 404:
                    raise NotFound(f"{policy.name}: not found: {_safe(response.url)}", source=policy.key, url=response.url)
                if status in (401, 403):
                    if policy.token_env and not sent_token:
                        hint = f" This needs an API token: set {policy.token_env}."
                    elif policy.token_env:
                        hint = f" Set {policy.token_env} to a valid API token."
                    else:
                        hint = ""
                    raise AuthenticationRequired(
                        f"{policy.name} refused the request ({status} {_detail(response)}) for {_safe(response.url)}.{hint}",
                        source=policy.key,
                        url=response.url,
                    )
                if status == 429:
                    wait = _retry_after(response)
                    if wait is None or wait > self.max_retry_after or attempt == self.max_retries:
                        when = f" for {wait:.0f} s" if wait is not None else ""
                        raise RateLimited(
                            f"{policy.name} is rate-limiting citator (429{when}); run again later, "
                            "the crawl resumes where it stopped.",
                            source=policy.key,
                            url=response.url,
                        )
                    self.sleep(wait)
                    continue
                if 500 <= status < 600:
                    last_problem = f"server error {status}"
                else:
                    raise BadResponse(
                        f"{policy.name} answered {status} ({_detail(response)}) for {_safe(response.url)}",
                        source=policy.key,
                        url=response.url,
                    )
            if attempt < self.max_retries:
                self.sleep(self._backoff(attempt))
        raise SourceUnreachable(
            f"cannot reach {policy.name} at {_safe(url)}: {last_problem} after {self.max_retries + 1} attempts; "
            "check the network or the source's base URL",
            source=policy.key,
            url=url,
        )


class _BodyStalled(Exception):
    """The body stopped arriving for longer than the read timeout."""


def _read_some(response: requests.Response) -> bytes:
    """The next decoded bytes of a streamed body, as soon as any arrive (b"" at the end).

    `iter_content` fills whole chunks before returning, so a server dripping bytes would never
    reach the deadline check; `read1` returns after one read of the socket."""
    try:
        return response.raw.read1(65536, decode_content=True) or b""
    except urllib3.exceptions.ReadTimeoutError:
        raise _BodyStalled() from None
    except urllib3.exceptions.DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(str(exc)) from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.IncompleteRead) as exc:
        raise requests.exceptions.ChunkedEncodingError(str(exc)) from None
    except OSError as exc:  # a socket timeout urllib3 did not wrap
        if "timed out" in str(exc):
            raise _BodyStalled() from None
        raise requests.exceptions.ChunkedEncodingError(str(exc)) from None


def _is_read_timeout(exc: BaseException) -> bool:
    """requests reports a read timeout met while reading a body as a ConnectionError."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if "ReadTimeout" in exc.__class__.__name__:
            return True
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = inner or exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def origin(url: str) -> str:
    """scheme://host:port of `url`, lower-cased, with the default port made explicit."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    except ValueError:
        port = 0
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def _prefix(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def _retry_after(response: requests.Response) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason or ""
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"]
    return response.reason or ""


def _safe(url: str) -> str:
    """The URL as messages show it: no user-info, no secret-named query parameters (db.scrub)."""
    return scrub_url(url) or ""
