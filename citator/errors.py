"""Exit codes and the one translation of expected faults into a line a user can act on.

Every command runs inside the CLI's error boundary (`citator.cli.CitatorGroup`), which calls
`describe` on whatever escapes: the exit codes below are defined here only, and README.md's table
is checked against `MEANINGS` by the test suite.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import traceback
from enum import IntEnum
from pathlib import Path

from citator.config import ConfigError
from citator.runlock import LockHeld

#: Set to show the traceback of an unexpected error (a bug) instead of one line.
DEBUG_ENV = "CITATOR_DEBUG"


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    PARTIAL = 3
    LOCKED = 4
    INTERRUPTED = 130


#: What each exit code means: the README's table says the same (tests/cli/test_errors_boundary.py checks it).
MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "ok, including \"nothing new\" and a source skipped by configuration (no token set)",
    ExitCode.FAILED: "failed: one line on stderr says what, where and what to do; a refresh published nothing",
    ExitCode.USAGE: "usage error: an unknown option or a bad argument value",
    ExitCode.PARTIAL: "partial: finished, but a source that was tried failed, or some documents could not be "
                      "read; the last line names each failing source and its first error",
    ExitCode.LOCKED: "another run (refresh, harvest, extract or bulk) holds the lock, or another program locks the database",
    ExitCode.INTERRUPTED: "stopped by SIGINT or SIGTERM; a refresh published nothing",
}


class UserError(Exception):
    """A fault the command itself diagnosed; `code` is its exit code."""

    def __init__(self, message: str, code: int = ExitCode.FAILED) -> None:
        super().__init__(message)
        self.code = code


class AlreadyReported(Exception):
    """The fault was logged where it happened (e.g. a refresh's failure line); exit with `code`."""

    def __init__(self, code: int = ExitCode.FAILED) -> None:
        super().__init__("")
        self.code = code


def describe(exc: BaseException, database: Path | None = None) -> tuple[str | None, int]:
    """(one line for stderr, exit code) for an exception that reached the boundary.

    The line is None when the fault was already reported. Unexpected exceptions (bugs) are
    described too, with where they happened, unless $CITATOR_DEBUG asks for the traceback.
    """
    where = f" {database}" if database else " the database"
    if isinstance(exc, AlreadyReported):
        return None, exc.code
    if _raised_by(exc, "citator.refresh", "RefreshFailed"):  # logged with its run number where it happened
        return None, ExitCode.FAILED
    if isinstance(exc, UserError):
        return str(exc), exc.code
    if isinstance(exc, ConfigError):
        return f"configuration error: {exc}", ExitCode.FAILED
    if isinstance(exc, LockHeld):
        return str(exc), ExitCode.LOCKED
    if _raised_by(exc, "citator.harvest.http", "HarvestError") or _raised_by(exc, "citator.db.schema", "DatabaseRefused"):
        return str(exc), ExitCode.FAILED
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted; the next run resumes where this one stopped", ExitCode.INTERRUPTED
    if isinstance(exc, sqlite3.Error):
        return _sqlite_message(str(exc), where.strip()), (
            ExitCode.LOCKED if "locked" in str(exc) or "busy" in str(exc) else ExitCode.FAILED)
    if isinstance(exc, UnicodeDecodeError):
        return f"cannot read text that is not UTF-8 ({exc.reason} at byte {exc.start})", ExitCode.FAILED
    if isinstance(exc, OSError):
        return _os_message(exc), ExitCode.FAILED
    if os.environ.get(DEBUG_ENV):
        raise exc
    frames = traceback.extract_tb(exc.__traceback__)
    at = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return (f"unexpected {exc.__class__.__name__}: {exc}{at}; this is a bug in citator, please report it "
            f"(set {DEBUG_ENV}=1 to see the traceback)"), ExitCode.FAILED


def _raised_by(exc: BaseException, module: str, name: str) -> bool:
    """Whether `exc` is an instance of `module.name`, without importing `module`.

    The cheap commands (`status`, `config`, `--help`) must start fast, and the HTTP and refresh
    modules load requests: an exception of a class whose module was never imported cannot have
    been raised, so the boundary looks only in modules already loaded.
    """
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(exc, getattr(loaded, name))


def _sqlite_message(text: str, database: str) -> str:
    lowered = text.lower()
    if "file is not a database" in lowered or "not a database" in lowered:
        return (f"{database} is not a SQLite database (or it is encrypted or damaged); check --db "
                "(or $CITATOR_DB), or restore the file from a backup")
    if "malformed" in lowered or "corrupt" in lowered:
        return (f"{database} is damaged ({text}); restore it from a backup, or move it aside and run "
                "`citator refresh` to build a new one")
    if "locked" in lowered or "busy" in lowered:
        return f"{database} is locked by another program ({text}); try again when it has finished"
    if "unable to open" in lowered:
        return f"cannot open {database}: check that its folder exists and that citator may write there"
    if "readonly" in lowered or "read-only" in lowered:
        return f"cannot write {database}: the file or its folder is read-only; check its permissions"
    if "full" in lowered or "i/o" in lowered:
        return f"cannot write {database} ({text}); free disk space and run again"
    if "no such table" in lowered or "no such column" in lowered:
        return f"{database} lacks part of citator's schema ({text}); run a writing command (e.g. `citator publish`) to upgrade it"
    return f"database error in {database}: {text}"


def _os_message(exc: OSError) -> str:
    name = exc.filename or ""
    reason = (exc.strerror or str(exc)).lower()
    if isinstance(exc, FileNotFoundError):
        return f"{name}: no such file or folder; check the path" if name else f"not found: {exc}"
    if isinstance(exc, PermissionError):
        return f"{name}: permission denied; check its permissions" if name else f"permission denied: {exc}"
    if isinstance(exc, IsADirectoryError):
        return f"{name} is a folder; name a file"
    if isinstance(exc, NotADirectoryError):
        return f"{name}: a part of this path is a file, not a folder; check the path"
    return f"{name}: {reason}" if name else reason
