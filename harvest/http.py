"""The one place citator speaks HTTP.

Every source goes through `HttpClient`: one requests Session with a descriptive User-Agent,
connect and read timeouts, retries with exponential backoff and jitter on connection errors and
5xx answers, 429 answered by waiting Retry-After (or giving up with a clear message when the wait is
longer than a run should sleep), and a per-host rate limit. Expected faults become `HarvestError`
subclasses whose message says what failed, where, and what to do, so the CLI can print one line
instead of a traceback. Tokens are sent as headers and never appear in messages.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

import requests


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


class RateLimited(HarvestError):
    """429 with a wait longer than this run will sleep."""


class BadResponse(HarvestError):
    """The source answered, but not with what we can read (malformed JSON, unexpected status)."""


class NotFound(HarvestError):
    """404: the source has no such document. An answer, not a fault; never retried."""


@dataclass
class HostPolicy:
    """Per-host politeness: at most `requests_per_minute`, and the name used in messages."""

    name: str
    requests_per_minute: float = 60.0
    token_env: str | None = None  # named in 401/403 messages


@dataclass
class HttpClient:
    user_agent: str = "citator/0.1"
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_retries: int = 4
    backoff_seconds: float = 1.0
    max_retry_after: float = 120.0
    policies: dict[str, HostPolicy] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    on_request: Callable[[str, str], None] | None = None  # (host, url) after each network request

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.user_agent
        self._last_request: dict[str, float] = {}
        self.requests_made = 0

    @classmethod
    def from_config(cls, http: Mapping[str, Any]) -> "HttpClient":
        return cls(
            user_agent=http.get("user_agent", cls.user_agent),
            connect_timeout=float(http.get("connect_timeout", 10.0)),
            read_timeout=float(http.get("read_timeout", 60.0)),
            max_retries=int(http.get("max_retries", 4)),
            backoff_seconds=float(http.get("backoff_seconds", 1.0)),
            max_retry_after=float(http.get("max_retry_after", 120.0)),
        )

    def register(self, base_url: str, policy: HostPolicy) -> None:
        self.policies[urlsplit(base_url).netloc] = policy

    def _policy(self, url: str) -> HostPolicy:
        host = urlsplit(url).netloc
        return self.policies.get(host) or HostPolicy(name=host)

    def _throttle(self, url: str, policy: HostPolicy) -> None:
        host = urlsplit(url).netloc
        if policy.requests_per_minute <= 0:
            return
        interval = 60.0 / policy.requests_per_minute
        last = self._last_request.get(host)
        if last is not None:
            wait = last + interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _backoff(self, attempt: int) -> float:
        return self.backoff_seconds * (2**attempt) * (0.5 + random.random() / 2)

    def get(self, url: str, *, params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None) -> requests.Response:
        """GET with retries; returns a 2xx response or raises a HarvestError."""
        policy = self._policy(url)
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            self._throttle(url, policy)
            try:
                response = self.session.get(
                    url, params=params, headers=dict(headers or {}), timeout=(self.connect_timeout, self.read_timeout)
                )
            except requests.exceptions.ConnectionError:
                last_problem = "could not connect"
            except requests.exceptions.Timeout:
                last_problem = f"no answer within {self.read_timeout:g} s"
            except requests.exceptions.RequestException as exc:
                raise SourceUnreachable(
                    f"{policy.name}: request to {_safe(url)} failed: {exc.__class__.__name__}", source=policy.name, url=url
                ) from None
            else:
                self.requests_made += 1
                if self.on_request:
                    self.on_request(urlsplit(url).netloc, response.url)
                status = response.status_code
                if 200 <= status < 300:
                    return response
                if status == 404:
                    raise NotFound(f"{policy.name}: not found: {_safe(response.url)}", source=policy.name, url=response.url)
                if status in (401, 403):
                    hint = f" Set {policy.token_env} to a valid API token." if policy.token_env else ""
                    raise AuthenticationRequired(
                        f"{policy.name} refused the request ({status} {_detail(response)}) for {_safe(response.url)}.{hint}",
                        source=policy.name,
                        url=response.url,
                    )
                if status == 429:
                    wait = _retry_after(response)
                    if wait is None or wait > self.max_retry_after or attempt == self.max_retries:
                        when = f" for {wait:.0f} s" if wait is not None else ""
                        raise RateLimited(
                            f"{policy.name} is rate-limiting citator (429{when}); run again later, "
                            "the crawl resumes where it stopped.",
                            source=policy.name,
                            url=response.url,
                        )
                    self.sleep(wait)
                    continue
                if 500 <= status < 600:
                    last_problem = f"server error {status}"
                else:
                    raise BadResponse(
                        f"{policy.name} answered {status} ({_detail(response)}) for {_safe(response.url)}",
                        source=policy.name,
                        url=response.url,
                    )
            if attempt < self.max_retries:
                self.sleep(self._backoff(attempt))
        raise SourceUnreachable(
            f"cannot reach {policy.name} at {_safe(url)}: {last_problem} after {self.max_retries + 1} attempts; "
            "check the network or the source's base URL",
            source=policy.name,
            url=url,
        )

    def get_json(self, url: str, *, params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None) -> Any:
        response = self.get(url, params=params, headers=headers)
        try:
            return response.json()
        except ValueError:
            name = self._policy(url).name
            raise BadResponse(f"{name} sent malformed JSON for {_safe(response.url)}", source=name, url=response.url) from None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason or ""
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"]
    return response.reason or ""


def _safe(url: str) -> str:
    """The URL without its query string's secrets (we never put tokens in URLs, but be sure)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{parts.query}" if "token" not in parts.query.lower() else "")
