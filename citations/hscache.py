"""Compiled Hyperscan databases kept between runs, in the cache directory the caller names.

Compiling is the slow part of Hyperscan: eyecite's tokenizer database takes about 1.5 s to
prepare in every process even when eyecite finds its compiled copy on disk (it converts all of
its ~7,000 expressions first, to name the file), and the seed prefilter's two databases about
0.7 s. A one-off `citator cite` or a bulk worker pays that on every start. Here a database is
stored under a fingerprint of everything it is compiled from, computed cheaply, and loaded
(milliseconds) on the next start. A file that is missing, damaged or built for another CPU or
Hyperscan version is simply compiled again and replaced.

citations/ writes nowhere it was not told: the directory comes from the caller (`use_directory`,
which the CLI and each bulk worker call with the configured folder); without one, databases are
compiled in every process and stored nowhere.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Iterable

__all__ = ["cache_directory", "cached_database", "fingerprint", "use_directory"]

#: Where compiled databases are kept in this process (`use_directory`); None: nowhere.
_directory: Path | Callable[[], Path] | None = None


def use_directory(directory: str | Path | Callable[[], Path] | None) -> None:
    """Keep compiled databases in `directory` from now on (None: store them nowhere). A callable is
    asked for the folder when one is first needed, so a command that never compiles pays nothing
    for finding it. Call this before the first extraction: the tokenizer is built once per process."""
    global _directory  # noqa: PLW0603 - one setting per process, made by the caller at start-up
    _directory = directory if directory is None or callable(directory) else Path(directory)


def cache_directory() -> Path | None:
    """The folder given to `use_directory`, if any (passed on to worker processes)."""
    global _directory  # noqa: PLW0603
    if callable(_directory):
        _directory = Path(_directory())
    return _directory


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

    folder = directory or cache_directory()
    if folder is None:
        return build()
    path = folder / f"{name}-{key}.hsdb"
    try:
        database = hyperscan.loadb(path.read_bytes(), mode=hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)  # a loaded database has none of its own
        return database
    except Exception:  # missing, unreadable, damaged or foreign: compile instead
        pass
    database = build()
    import tempfile  # here, not at import: start-up stays light

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}-", delete=False) as handle:
            handle.write(hyperscan.dumpb(database))
        os.replace(handle.name, path)  # whole files only, even with several workers at once
    except (OSError, Exception):  # a read-only or full cache directory costs speed, nothing else
        pass
    return database
