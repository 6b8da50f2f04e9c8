"""Effective configuration: built-in defaults, then citator.toml, then the environment.

Operators script citator from cron and CI, so the handful of things they change per machine
(database path, mirrors, the token) can come from environment variables; everything else lives in a
TOML file that can be reviewed and versioned. Tokens are read from the environment only and are never
part of the configuration object that `citator config` prints.
"""

from __future__ import annotations

import copy
import difflib
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from citator.citations.models import Authority
from citator.db.scrub import REDACTED, split_credentials

CONFIG_ENV = "CITATOR_CONFIG"
DEFAULT_CONFIG_FILE = "citator.toml"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or invalid; the message says which and why."""


def _default_data() -> dict[str, Any]:
    """The built-in configuration: the one place every default is defined."""
    text = resources.files("citator").joinpath("default_config.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


#: Allowed ranges of numeric options (inclusive); `*` stands for any source. Not defaults: those
#: live in default_config.toml only.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "crawl.depth": (1, 10),
    "crawl.max_cases": (0, None),
    "http.connect_timeout": (0.1, 3600),
    "http.read_timeout": (0.1, 3600),
    "http.max_retries": (0, 20),
    "http.backoff_seconds": (0, 600),
    "http.max_retry_after": (0, 86400),
    "http.request_deadline": (1, 86400),
    "http.max_response_mb": (0.001, 100000),
    "sources.*.daily_request_budget": (0, None),
    "sources.*.requests_per_minute": (0, 100000),
    "sources.*.listing_cache_hours": (0, None),
    "sources.*.revisit_days": (0, None),
    "sources.*.cache_days": (0, None),
    "sources.local.max_file_mb": (0.001, 100000),
    "sources.cap.from_year": (0, 9999),
    "sources.cap.to_year": (0, 9999),
}

#: The keys of one [[seeds]] entry: (type, required). `history` entries are checked by HISTORY_KEYS.
SEED_KEYS: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "key": (str, True), "name": (str, True), "citations": (list, True), "court": (str, False),
    "decided": (str, False), "short_names": (list, False), "nicknames": (list, False),
    "last_page": (int, False), "status": (str, False), "history": (list, False), "family": (str, False),
}
HISTORY_KEYS: dict[str, tuple[type, bool]] = {
    "relation": (str, True), "citation": (str, True), "date": (str, False), "note": (str, False),
}
SEED_STATUSES = ("good", "withdrawn", "reversed", "vacated", "superseded")

_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a string",
               list: "a list", dict: "a table"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return f"a string ({value!r})" if len(value) <= 40 else "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _Checker:
    """Checks a TOML tree against the built-in defaults' shape; errors name the key and the file."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, key: str, problem: str) -> None:
        if not key.isprintable():  # a quoted key may hold newlines or control characters: show them escaped
            key = repr(key)
        raise ConfigError(f"{key} in {self.where} {problem}")

    def table(self, value: Any, default: dict[str, Any], path: str) -> None:
        if not isinstance(value, dict):
            self.fail(path or "the configuration", f"must be a table ([{path}]), not {_kind(value)}")
        for key, item in value.items():
            dotted = f"{path}.{key}" if path else key
            if key == "seeds" and not path:
                self.seeds(item)
                continue
            if key not in default:
                near = difflib.get_close_matches(key, list(default), n=1, cutoff=0.6)
                nested = [f"{name}.{candidate}" for name, sub in default.items() if isinstance(sub, dict)
                          for candidate in difflib.get_close_matches(key, list(sub), n=1, cutoff=0.8)]
                if near:
                    hint = f"; did you mean {(path + '.' if path else '') + near[0]!r}?"
                elif nested:
                    hint = f"; did you mean {(path + '.' if path else '') + nested[0]!r} (under [{nested[0].rsplit('.', 1)[0]}])?"
                else:
                    hint = f"; known keys: {', '.join(sorted(default))}" if default else ""
                self.fail(dotted, f"is not a citator option{hint}")
            self.value(item, default[key], dotted)

    def value(self, value: Any, default: Any, dotted: str) -> None:
        if isinstance(default, dict):
            self.table(value, default, dotted)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                self.fail(dotted, f"must be true or false, not {_kind(value)}")
        elif isinstance(default, (int, float)):
            whole = isinstance(default, int)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
                self.fail(dotted, f"must be {'a whole number' if whole else 'a number'}, not {_kind(value)}")
            self.range(value, dotted)
        elif isinstance(default, str):
            if not isinstance(value, str):
                self.fail(dotted, f"must be a string, not {_kind(value)}")
            if dotted.endswith("base_url"):
                check_url(value, f"{dotted} in {self.where}")
        elif isinstance(default, list):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.fail(dotted, f"must be a list of strings, not {_kind(value)}")

    def range(self, value: float, dotted: str) -> None:
        parts = dotted.split(".")
        wildcard = ".".join(parts[:1] + ["*"] + parts[2:]) if len(parts) == 3 else dotted
        low, high = RANGES.get(dotted) or RANGES.get(wildcard) or (None, None)
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (f"between {low:g} and {high:g}" if low is not None and high is not None
                      else f"at least {low:g}" if low is not None else f"at most {high:g}")
            self.fail(dotted, f"must be {bounds}, not {value!r}")

    def seeds(self, seeds: Any) -> None:
        if not isinstance(seeds, list):
            self.fail("seeds", f"must be an array of tables ([[seeds]]), not {_kind(seeds)}")
        for index, seed in enumerate(seeds):
            self.entry(seed, SEED_KEYS, f"seeds[{index}]")
            for field_name in ("citations", "short_names", "nicknames"):
                items = seed.get(field_name, [])
                if not all(isinstance(i, str) and i.strip() for i in items):
                    self.fail(f"seeds[{index}].{field_name}", "must be a list of non-empty strings")
            if not seed["citations"]:
                self.fail(f"seeds[{index}].citations", "must name at least one reporter citation")
            if seed.get("status", "good") not in SEED_STATUSES:
                self.fail(f"seeds[{index}].status", f"must be one of {', '.join(SEED_STATUSES)}, not {seed['status']!r}")
            for h_index, entry in enumerate(seed.get("history", [])):
                self.entry(entry, HISTORY_KEYS, f"seeds[{index}].history[{h_index}]")

    def entry(self, value: Any, keys: Mapping[str, tuple[Any, bool]], path: str) -> None:
        if not isinstance(value, dict):
            self.fail(path, f"must be a table, not {_kind(value)}")
        for key, item in value.items():
            if key not in keys:
                near = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
                self.fail(f"{path}.{key}", "is not a known key" + (f"; did you mean {near[0]!r}?" if near else
                                                                      f"; known keys: {', '.join(keys)}"))
            expected, _ = keys[key]
            if isinstance(item, bool) or not isinstance(item, expected):
                word = _TYPE_WORDS.get(expected, str(expected))  # type: ignore[arg-type]
                if expected is list and isinstance(item, str):
                    word = f'a list of strings (["{item}"])'
                self.fail(f"{path}.{key}", f"must be {word}, not {_kind(item)}")
        for key, (_, required) in keys.items():
            if required and key not in value:
                self.fail(path, f"lacks {key!r}")


def check_url(url: str, what: str) -> None:
    """An http(s) URL with a host, or a ConfigError naming `what`."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ConfigError(f"{what} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{what} must be an http:// or https:// URL with a host, not {split_credentials(url)[0]!r}")


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge `override` into a copy of `base`; lists (such as seeds) are replaced whole."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@dataclass
class Config:
    """The effective configuration. `data` is the merged TOML tree; accessors give typed views."""

    data: dict[str, Any]
    file: Path | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ), repr=False)

    @property
    def database(self) -> Path:
        return Path(self.data["database"])

    @property
    def seeds(self) -> list[Authority]:
        return [Authority.from_dict(s) for s in self.data.get("seeds", [])]

    def source(self, name: str) -> dict[str, Any]:
        return self.data.get("sources", {}).get(name, {})

    @property
    def http(self) -> dict[str, Any]:
        return self.data.get("http", {})

    @property
    def crawl(self) -> dict[str, Any]:
        return self.data.get("crawl", {})

    @property
    def courtlistener_token_env(self) -> str:
        return self.source("courtlistener")["token_env"]

    @property
    def courtlistener_token(self) -> str | None:
        """The CourtListener token from the environment, or None. Never stored in `data`."""
        token = self.environ.get(self.courtlistener_token_env, "").strip()
        return token or None

    @property
    def cache_dir(self) -> Path:
        path = Path(self.http["cache_dir"])
        if not path.is_absolute():
            path = self.database.resolve().parent / path
        return path

    def printable(self) -> dict[str, Any]:
        """The configuration as printed by `citator config`: no secrets, token presence only."""
        data = copy.deepcopy(self.data)
        for source in data.get("sources", {}).values():
            if isinstance(source, dict) and isinstance(source.get("base_url"), str):
                clean, auth = split_credentials(source["base_url"])
                if auth:
                    source["base_url"] = clean
                    source["base_url_credentials"] = f"{auth[0]}:{REDACTED} (sent as HTTP auth)"
        cl = data.setdefault("sources", {}).setdefault("courtlistener", {})
        cl["token"] = "set" if self.courtlistener_token else "not set"
        data["config_file"] = str(self.file) if self.file else "(none; built-in defaults)"
        return data


def load_config(
    path: str | Path | None = None,
    *,
    db: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Build the effective configuration.

    Order of precedence, lowest first: built-in defaults, the TOML file (`path`, else
    $CITATOR_CONFIG, else ./citator.toml when it exists), environment variables, then `db`
    (the --db option every command takes).
    """
    env = dict(os.environ if environ is None else environ)
    data = _default_data()
    file: Path | None = None
    if path is None and env.get(CONFIG_ENV):
        path = env[CONFIG_ENV]
    if path is not None:
        file = Path(path)
        if not file.exists():
            raise ConfigError(f"configuration file {file} does not exist")
    elif Path(DEFAULT_CONFIG_FILE).exists():
        file = Path(DEFAULT_CONFIG_FILE)
    defaults = copy.deepcopy(data)
    if file is not None:
        try:
            user = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file} is not valid TOML: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{file} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                              "save it as UTF-8") from None
        except IsADirectoryError:
            raise ConfigError(f"{file} is a folder, not a configuration file") from None
        except OSError as exc:
            raise ConfigError(f"cannot read {file}: {exc.strerror}") from None
        _Checker(str(file)).table(user, defaults, "")
        data = _merge(data, user)
    if env.get("CITATOR_DB"):
        data["database"] = env["CITATOR_DB"]
    sources = data.setdefault("sources", {})
    for name, variable in (("courtlistener", "CITATOR_COURTLISTENER_URL"), ("cap", "CITATOR_CAP_URL")):
        if env.get(variable):
            check_url(env[variable], f"${variable}")
            sources.setdefault(name, {})["base_url"] = env[variable]
    for name in ("courtlistener", "cap"):
        split_credentials(str(sources[name]["base_url"]))  # registers a URL password as a secret
    if db is not None:
        data["database"] = str(db)
    config = Config(data=data, file=file, environ=env)
    _validate(config)
    return config


def _validate(config: Config) -> None:
    """Checks across keys (types and ranges were checked against the defaults' shape)."""
    keys = set()
    for raw in config.data.get("seeds", []):
        if raw["key"] in keys:
            raise ConfigError(f"two seeds share the key {raw['key']!r}")
        keys.add(raw["key"])
    if not str(config.data["database"]).strip():
        raise ConfigError("database must name a file (set it in citator.toml, $CITATOR_DB or --db)")
    cap = config.source("cap")
    if cap.get("to_year") and cap.get("from_year") and cap["to_year"] < cap["from_year"]:
        raise ConfigError(f"sources.cap.to_year ({cap['to_year']}) is before sources.cap.from_year ({cap['from_year']})")


def hyperscan_cache_dir() -> Path:
    """Where compiled Hyperscan databases are kept between runs: the user's cache folder
    (~/.cache/citator/hyperscan on Linux), never a checkout. The CLI and the bulk workers hand it
    to the citations stage (`citations.hscache.use_directory`), which writes nowhere else."""
    try:
        from platformdirs import user_cache_dir

        base = Path(user_cache_dir("citator"))
    except ImportError:  # pragma: no cover - platformdirs is a dependency of our dependencies
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "citator"
    return base / "hyperscan"
