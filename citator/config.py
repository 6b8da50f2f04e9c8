"""Effective configuration: built-in defaults, then citator.toml, then the environment.

Operators script citator from cron and CI, so the handful of things they change per machine
(database path, mirrors, the token) can come from environment variables; everything else lives in a
TOML file that can be reviewed and versioned. Tokens are read from the environment only and are never
part of the configuration object that `citator config` prints.
"""

from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from citator.citations.models import Authority

CONFIG_ENV = "CITATOR_CONFIG"
DEFAULT_CONFIG_FILE = "citator.toml"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or invalid; the message says which and why."""


def _default_data() -> dict[str, Any]:
    text = resources.files("citator").joinpath("default_config.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


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
        return self.source("courtlistener").get("token_env", "COURTLISTENER_TOKEN")

    @property
    def courtlistener_token(self) -> str | None:
        """The CourtListener token from the environment, or None. Never stored in `data`."""
        token = self.environ.get(self.courtlistener_token_env, "").strip()
        return token or None

    @property
    def cache_dir(self) -> Path:
        path = Path(self.http.get("cache_dir", "citator-cache"))
        if not path.is_absolute():
            path = self.database.resolve().parent / path
        return path

    def printable(self) -> dict[str, Any]:
        """The configuration as printed by `citator config`: no secrets, token presence only."""
        data = copy.deepcopy(self.data)
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
    if file is not None:
        try:
            data = _merge(data, tomllib.loads(file.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file} is not valid TOML: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"cannot read {file}: {exc.strerror}") from None
    if env.get("CITATOR_DB"):
        data["database"] = env["CITATOR_DB"]
    sources = data.setdefault("sources", {})
    if env.get("CITATOR_COURTLISTENER_URL"):
        sources.setdefault("courtlistener", {})["base_url"] = env["CITATOR_COURTLISTENER_URL"]
    if env.get("CITATOR_CAP_URL"):
        sources.setdefault("cap", {})["base_url"] = env["CITATOR_CAP_URL"]
    if db is not None:
        data["database"] = str(db)
    config = Config(data=data, file=file, environ=env)
    _validate(config)
    return config


def _validate(config: Config) -> None:
    keys = set()
    for raw in config.data.get("seeds", []):
        for required in ("key", "name", "citations"):
            if required not in raw:
                raise ConfigError(f"a seed in the configuration lacks {required!r}: {raw!r}")
        if raw["key"] in keys:
            raise ConfigError(f"two seeds share the key {raw['key']!r}")
        keys.add(raw["key"])
    depth = config.crawl.get("depth", 1)
    if not isinstance(depth, int) or depth < 1:
        raise ConfigError(f"crawl.depth must be a whole number >= 1, not {depth!r}")
