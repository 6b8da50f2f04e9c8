"""Compiled Hyperscan databases kept between runs, in the user's cache directory.

Compiling is the slow part of Hyperscan: eyecite's tokenizer database takes about 1.5 s to
prepare in every process even when eyecite finds its compiled copy on disk (it converts all of
its ~7,000 expressions first, to name the file), and the seed prefilter's two databases about
0.7 s. A one-off `citator cite` or a bulk worker pays that on every start. Here a database is
stored under a fingerprint of everything it is compiled from, computed cheaply, and loaded
(milliseconds) on the next start. A file that is missing, damaged or built for another CPU or
Hyperscan version is simply compiled again and replaced. Never in the repository.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable

__all__ = ["cached_database", "fingerprint", "hyperscan_cache_dir"]


def hyperscan_cache_dir() -> Path:
    """~/.cache/citator/hyperscan (or the platform's equivalent)."""
    try:
        from platformdirs import user_cache_dir

        base = Path(user_cache_dir("citator"))
    except ImportError:  # pragma: no cover - platformdirs is a dependency of our dependencies
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "citator"
    return base / "hyperscan"


def fingerprint(parts: Iterable[str]) -> str:
    """A stable name for what a database is compiled from (add the library versions to `parts`)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def cached_database(name: str, key: str, build: Callable[[], Any], directory: Path | None = None) -> Any:
    """The block-mode database `name` for `key`: loaded from the cache, or built and stored."""
    import hyperscan

    folder = directory or hyperscan_cache_dir()
    path = folder / f"{name}-{key}.hsdb"
    try:
        database = hyperscan.loadb(path.read_bytes(), mode=hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)  # a loaded database has none of its own
        return database
    except Exception:  # missing, unreadable, damaged or foreign: compile instead
        pass
    database = build()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}-", delete=False) as handle:
            handle.write(hyperscan.dumpb(database))
        os.replace(handle.name, path)  # whole files only, even with several workers at once
    except (OSError, Exception):  # a read-only or full cache directory costs speed, nothing else
        pass
    return database
