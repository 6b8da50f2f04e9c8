"""Compiled Hyperscan databases are reused between runs, and a bad cache file costs only a recompile."""

from __future__ import annotations

from pathlib import Path

import hyperscan
import pytest

from citator.citations import hscache
from citator.citations.hscache import cached_database, fingerprint


def _builder(calls: list[int]):
    def build():
        calls.append(1)
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=[rb"INVENTED\s+pattern"], ids=[0], elements=1, flags=[hyperscan.HS_FLAG_CASELESS])
        return db
    return build


def _finds(db, text: bytes) -> bool:
    hits = []
    db.scan(text, match_event_handler=lambda *args: hits.append(args))
    return bool(hits)


def test_built_once_then_loaded(tmp_path: Path) -> None:
    calls: list[int] = []
    key = fingerprint(["INVENTED", "v1"])
    first = cached_database("test", key, _builder(calls), directory=tmp_path)
    second = cached_database("test", key, _builder(calls), directory=tmp_path)
    assert calls == [1]
    assert _finds(first, b"an invented  PATTERN") and _finds(second, b"an invented  PATTERN")
    assert not _finds(second, b"nothing here")
    assert cached_database("test", fingerprint(["INVENTED", "v2"]), _builder(calls), directory=tmp_path) is not None
    assert calls == [1, 1]  # another fingerprint is another database


def test_without_a_directory_nothing_is_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """citations/ writes only where its caller says: with no folder given, a database is compiled
    in each process and written nowhere (not under the home folder either)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(hscache, "_directory", None)
    calls: list[int] = []
    key = fingerprint(["INVENTED", "nowhere"])
    assert _finds(cached_database("test", key, _builder(calls)), b"invented pattern")
    cached_database("test", key, _builder(calls))
    assert calls == [1, 1] and list(tmp_path.rglob("*")) == []


def test_the_folder_given_is_where_databases_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hscache, "_directory", None)
    asked: list[int] = []
    hscache.use_directory(lambda: asked.append(1) or tmp_path / "given")  # found only when first needed
    assert asked == []
    calls: list[int] = []
    key = fingerprint(["INVENTED", "given"])
    cached_database("test", key, _builder(calls))
    cached_database("test", key, _builder(calls))
    assert calls == [1] and asked == [1]
    assert [p.name for p in (tmp_path / "given").iterdir()] == [f"test-{key}.hsdb"]


def test_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    calls: list[int] = []
    key = fingerprint(["INVENTED"])
    cached_database("test", key, _builder(calls), directory=tmp_path)
    (tmp_path / f"test-{key}.hsdb").write_bytes(b"not a database")
    db = cached_database("test", key, _builder(calls), directory=tmp_path)
    assert calls == [1, 1] and _finds(db, b"invented pattern")
    assert cached_database("test", key, _builder(calls), directory=tmp_path) is not None and calls == [1, 1]


def test_unwritable_cache_still_gives_a_database(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("INVENTED")
    calls: list[int] = []
    db = cached_database("test", fingerprint(["x"]), _builder(calls), directory=blocker / "cache")
    assert calls == [1] and _finds(db, b"invented pattern")


@pytest.mark.parametrize("engine", ["hyperscan"])
def test_prefilter_from_cache_matches_like_a_fresh_one(engine: str) -> None:
    from citator.citations.prefilter import Prefilter
    from citator.config import load_config

    seeds = load_config(environ={}).seeds
    first, second = Prefilter(seeds, engine=engine), Prefilter(seeds, engine=engine)
    for text in ("INVENTED: 176 F. 3d at 1140", "INVENTED: nothing", "INVENTED: Bernstein I held"):
        assert first.matches(text) == second.matches(text) == Prefilter(seeds, engine="re").matches(text)


@pytest.mark.slow
def test_eyecite_tokenizer_from_cache_tokenizes() -> None:
    """A tokenizer given its database from the cache really scans with it (no silent fallback)."""
    from eyecite.tokenizers import HyperscanTokenizer

    from citator.citations import tokenizer as tokenizer_module

    fresh = HyperscanTokenizer(cache_dir=str(hscache.cache_directory()))
    tokenizer_module._preload_database(fresh)
    tokenizer_module._preload_database(HyperscanTokenizer())  # the second one loads what the first stored
    words, citations = fresh.tokenize("INVENTED: see Doe v. Roe, 176 F.3d 1132 (9th Cir. 1999).")
    assert [c.data for _, c in citations if type(c).__name__ == "CitationToken"] == ["176 F.3d 1132"]


def test_a_failing_hyperscan_tokenizer_is_reported_once(caplog) -> None:
    """The extractor falls back to eyecite's default tokenizer (same references, slower) and says so."""
    import logging

    from eyecite.tokenizers import HyperscanTokenizer

    from citator.citations import cites
    from citator.citations.text import prepare_text

    broken = HyperscanTokenizer()
    broken._db = object()  # INVENTED: not a database, as a damaged one would fail
    cites._fallback_warned = False
    caplog.set_level(logging.WARNING, logger="citator.citations.cites")
    for _ in range(2):
        found = cites.read_cites(prepare_text("INVENTED: Doe v. Roe, 176 F.3d 1132 (9th Cir. 1999)."), broken)
    assert [c.page for c in found if c.kind == "full"] == ["1132"]
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1 and "default tokenizer" in caplog.records[0].message
