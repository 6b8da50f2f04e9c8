"""Issue 17.3: configuration mistakes are errors naming the key and the file, with a "did you mean"
for near misses; defaults come from default_config.toml only."""

from __future__ import annotations

import ast
import inspect
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from citator.brief_input import read_brief
from citator.brief_toa import build_toa
from citator.config import ConfigError, load_config
from citator.harvest.cap import CaselawAccessProject
from citator.harvest.courtlistener import CourtListener
from citator.harvest.crawl import Crawl
from citator.harvest.http import HttpClient
from citator.harvest.local import LocalFolder
from tests.fakes.paths import REPO



def load(tmp_path: Path, text: str | bytes, environ: dict[str, str] | None = None):
    path = tmp_path / "citator.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_config(path, environ=environ or {})


@pytest.mark.parametrize("text, message", [
    ("depht = 2\n", "depht in {file} is not a citator option"),
    ("[crawl]\ndepht = 2\n", "crawl.depht in {file} is not a citator option; did you mean 'crawl.depth'?"),
    ("max_cases = 5\n", "did you mean 'crawl.max_cases' (under [crawl])?"),
    ("[sources.courtlistner]\nenabled = false\n", "did you mean 'sources.courtlistener'?"),
    ("sources = []\n", "sources in {file} must be a table ([sources]), not a list"),
    ('[http]\nread_timeout = "fast"\n', "http.read_timeout in {file} must be a number, not a string ('fast')"),
    ("[http]\nmax_retries = 2.5\n", "http.max_retries in {file} must be a whole number, not a number"),
    ("[http]\ncache = 1\n", "http.cache in {file} must be true or false"),
    ("[crawl]\ndepth = 0\n", "crawl.depth in {file} must be between 1 and 10, not 0"),
    ("[sources.courtlistener]\ndaily_request_budget = -1\n", "must be at least 0, not -1"),
    ("[http]\nrequest_deadline = 0.5\n", "http.request_deadline in {file} must be between 1 and 86400"),
    ('[sources.cap]\nbase_url = "file:///etc/"\n', "sources.cap.base_url in {file} must be an http:// or https:// URL"),
    ('[sources.local]\npaths = "ops"\n', "sources.local.paths in {file} must be a list of strings"),
    ('[[seeds]]\nkey = "x"\nname = "X v. Y"\ncitations = "176 F.3d 1132"\n',
     'seeds[0].citations in {file} must be a list of strings (["176 F.3d 1132"]), not a string'),
    ('[[seeds]]\nkey = "x"\nname = "X v. Y"\ncitations = []\n', "seeds[0].citations in {file} must name at least one"),
    ('[[seeds]]\nkey = "x"\nname = "X v. Y"\ncitations = ["1 F.3d 2"]\nstatus = "bad"\n', "must be one of good"),
    ('[[seeds]]\nkey = "x"\nname = "X v. Y"\ncitation = ["1 F.3d 2"]\n', "did you mean 'citations'?"),
    ('[[seeds]]\nname = "X v. Y"\ncitations = ["1 F.3d 2"]\n', "seeds[0] in {file} lacks 'key'"),
    ('seeds = {key = "x"}\n', "seeds in {file} must be an array of tables"),
    ("[sources.cap]\nfrom_year = 2010\nto_year = 2000\n", "is before sources.cap.from_year"),
    ('[crawl]\n"de\\npth" = 2\n', "'crawl.de\\npth' in {file} is not a citator option"),  # shown on one line
])
def test_mistakes_name_the_key_and_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    assert message.format(file=tmp_path / "citator.toml") in str(info.value)


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"citator.toml is not UTF-8 text \(byte 0xe9"):
        load(tmp_path, b'[crawl]\ndepth = 2 # caf\xe9\n')


def test_environment_urls_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\$CITATOR_CAP_URL must be an http"):
        load(tmp_path, "", {"CITATOR_CAP_URL": "static.case.law"})


def test_valid_settings_are_accepted_whole_numbers_where_numbers_go(tmp_path: Path) -> None:
    config = load(tmp_path, "[http]\nread_timeout = 5\n[sources.courtlistener]\nrevisit_days = 0.5\n")
    assert config.http["read_timeout"] == 5 and config.source("courtlistener")["revisit_days"] == 0.5


def test_every_default_lives_in_default_config_and_the_http_client_needs_no_other() -> None:
    text = resources.files("citator").joinpath("default_config.toml").read_text(encoding="utf-8")
    defaults = tomllib.loads(text)
    client = HttpClient.from_config(defaults["http"], cache_dir=None)
    assert client.request_deadline == defaults["http"]["request_deadline"]
    assert client.max_response_bytes == defaults["http"]["max_response_mb"] * 1_000_000
    with pytest.raises(KeyError):  # no hidden fallback default in the code
        HttpClient.from_config({k: v for k, v in defaults["http"].items() if k != "read_timeout"})


def _settings(table: dict[str, Any]) -> set[str]:
    """Every option (not table) name in a TOML table, at any depth."""
    names = set()
    for key, value in table.items():
        if isinstance(value, dict):
            names |= _settings(value)
        elif key != "seeds":
            names.add(key)
    return names


DEFAULTS = tomllib.loads(resources.files("citator").joinpath("default_config.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("takes_settings, table", [
    # HttpClient's `cache` is the cache itself (None: uncached), not the `cache = true` switch.
    (HttpClient, {k: v for k, v in DEFAULTS["http"].items() if k != "cache"} | {"max_response_bytes": None}),
    (CaselawAccessProject, DEFAULTS["sources"]["cap"]),
    (CourtListener, DEFAULTS["sources"]["courtlistener"]),
    (LocalFolder, DEFAULTS["sources"]["local"] | {"max_mb": None}),
    (Crawl, DEFAULTS["crawl"]),
    (read_brief, {"max_bytes": None}),
    (build_toa, DEFAULTS["cite"]),
])
def test_code_that_takes_a_setting_has_no_default_of_its_own(takes_settings: Any, table: dict[str, Any]) -> None:
    """A default in a constructor would be a second answer to "what is the default?", and they
    drift apart (CAP's reporters once fell back to ["F.3d"] against five in the TOML)."""
    parameters = inspect.signature(takes_settings).parameters
    taken = [name for name in parameters if name in table]
    assert taken  # the parametrization names what this code really takes
    assert {name: parameters[name].default for name in taken
            if parameters[name].default is not inspect.Parameter.empty} == {}


def test_the_glue_reads_no_setting_with_a_fallback_default() -> None:
    """`settings.get("passim", 5)` would hide a default outside the TOML: the merged configuration
    always holds every option, so the glue indexes it."""
    options = _settings(DEFAULTS)
    fallbacks = []
    for path in sorted((REPO / "citator").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                    and len(node.args) == 2 and isinstance(node.args[0], ast.Constant) and node.args[0].value in options):
                fallbacks.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert fallbacks == []


def test_config_never_prints_a_mirror_password(tmp_path: Path) -> None:
    config = load(tmp_path, "", {"CITATOR_CAP_URL": "https://reader:hunter2-secret@mirror.example/cap/"})
    printed = repr(config.printable())
    assert "hunter2-secret" not in printed and "https://mirror.example/cap/" in printed
