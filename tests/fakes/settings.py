"""Harvesters and HTTP clients built on citator's built-in settings (default_config.toml), for
tests that drive a harvester directly: the code has no defaults of its own, so a test states only
what it changes."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

from citator.config import _default_data
from citator.harvest.http import HttpClient


def http_client(**given: Any) -> HttpClient:
    """An HttpClient with the built-in [http] settings (uncached) and the fields in `given`."""
    return dataclasses.replace(HttpClient.from_config(_default_data()["http"], cache_dir=None), **given)


def source_settings(name: str, harvester: type, **given: Any) -> dict[str, Any]:
    """Source `name`'s built-in settings that `harvester`'s constructor takes by keyword (the base
    URL is the caller's), `given` over them."""
    takes = {p.name for p in inspect.signature(harvester).parameters.values() if p.kind is p.KEYWORD_ONLY}
    return {**{key: value for key, value in _default_data()["sources"][name].items() if key in takes}, **given}
