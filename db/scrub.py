"""The one scrubber for every text citator stores, logs or prints.

A source can echo a request back in an error body, a mirror URL can carry a password, and an
upstream message can quote an `Authorization` header. Every text that reaches the database
(`db/store.py`), a log line (`citator/log.py`), the cache metadata (`harvest/cache.py`) or an error
message built from a URL (`harvest/http.py`) passes through `scrub` or `scrub_url`, so a secret
has exactly one place to be caught.

What is blanked:

* every value registered with `register_secret` (the CourtListener token, a mirror URL's
  password), wherever it appears;
* the user-info of any URL (`http://user:pass@host/` -> `http://host/`);
* `Authorization` header values, `Token ...`/`Bearer ...`/`Basic ...` credentials;
* query parameters that name a secret (`token=`, `key=`, `api_key=`, `password=`, `secret=`...).

It lives in `db/` because the database is the lowest stage every other one (harvest, the CLI)
already depends on.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

REDACTED = "[redacted]"

#: Values blanked wherever they appear (set once per process from the environment and config).
_SECRETS: set[str] = set()

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@'\"<>]+@")
_AUTH_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?:[a-z]+\s+)?[^\s'\",}]+")
_SCHEME_CREDENTIAL = re.compile(r"(?i)\b(token|bearer|basic)(\s+)([a-z0-9._~+/=\-]{12,})")
_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:access_token|auth_token|token|api_key|apikey|key|password|passwd|secret|sig|signature)=)[^&#\s'\"]*"
)


def register_secret(value: str | None) -> None:
    """Blank `value` out of everything scrubbed from now on (values under 4 characters are ignored:
    blanking them would mangle ordinary text)."""
    if value and len(value) >= 4:
        _SECRETS.add(value)


def registered_secrets() -> list[str]:
    return sorted(_SECRETS, key=len, reverse=True)


def scrub(text: str | None) -> str | None:
    """`text` with every secret blanked; None stays None."""
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    for secret in registered_secrets():
        text = text.replace(secret, REDACTED)
    text = _USERINFO.sub(r"\1", text)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _SCHEME_CREDENTIAL.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)
    text = _SECRET_PARAM.sub(lambda m: m.group(1) + REDACTED, text)
    return text


def scrub_value(value: object) -> object:
    """Scrub strings, and the strings inside lists and dicts (log extras, JSON payloads)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: scrub_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub_value(v) for v in value)
    return value


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """(the URL without user-info, (user, password) or None). The password is registered as a secret."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urlunsplit(SplitResult(parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user, password = parts.username or "", parts.password or ""
    register_secret(password)
    return clean, (user, password)


def scrub_url(url: str | None) -> str | None:
    """A URL fit to store or print: no user-info, secret-named query parameters blanked."""
    return scrub(url)
