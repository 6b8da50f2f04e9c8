"""One writer at a time: an exclusive lock file next to the database.

The lock is `fcntl.flock` on `<db>.lock`. The kernel releases it when the holding process dies,
however it dies (SIGKILL, OOM, power loss of a container), so a lock can never outlive its
holder and there is no timeout to guess. The file also carries a note (pid, host, command, start
time) so a second run can say who holds the lock, and a run that takes over a lock whose note names
a dead holder says that it cleared a stale lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from citator.db.processes import pid_alive


class LockHeld(Exception):
    """Another citator process is writing this database; the message names it."""

    def __init__(self, message: str, holder: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.holder = holder or {}


#: Lock files this process holds (see `holds_lock`).
_held: set[Path] = set()


def holds_lock(database: Path) -> bool:
    """Whether this process holds the run lock of `database`."""
    return lock_path(Path(database)).resolve() in _held


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def _read_note(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def describe(note: dict[str, Any]) -> str:
    if not note:
        return "another citator process"
    return (f"{note.get('command', 'citator')} (pid {note.get('pid', '?')} on {note.get('host', '?')}, "
            f"started {note.get('started_at', '?')})")


@dataclass
class DatabaseLock:
    """Exclusive, non-blocking lock on `database`; use as a context manager."""

    database: Path
    command: str = "refresh"
    stale_note: dict[str, Any] | None = None  # the dead holder's note, when we cleared one

    def __post_init__(self) -> None:
        self.path = lock_path(self.database)
        self._fd: int | None = None

    def acquire(self) -> "DatabaseLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            note = _read_note(self.path)
            raise LockHeld(
                f"{describe(note)} is already working on {self.database}; not starting a second run "
                f"(the lock is released when it ends; lock file {self.path})",
                note,
            ) from None
        # We hold the lock. A note left behind belongs to a run that died without cleaning up.
        previous = _read_note(self.path)
        if previous and not (previous.get("pid") == os.getpid() and previous.get("host") == socket.gethostname()):
            self.stale_note = previous
        note = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                "started_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(note).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        _held.add(self.path.resolve())
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        # Empty the note before unlocking: an empty file means "nobody, and nobody died holding it".
        _held.discard(self.path.resolve())
        try:
            os.ftruncate(self._fd, 0)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "DatabaseLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(database: Path) -> dict[str, Any] | None:
    """The note of the process holding the lock on `database`, or None when nobody holds it.

    Reads the note rather than taking the lock, so asking (`citator status`) can never make a
    refresh starting at that instant think the database is busy. A note whose pid is dead on this
    host is a stale one: nobody holds the lock. Notes from another host are checked with a
    momentary shared lock.
    """
    path = lock_path(database)
    note = _read_note(path) if path.exists() else {}
    if not note:
        return None
    pid = note.get("pid")
    if note.get("host") == socket.gethostname() and isinstance(pid, int):
        return note if pid_alive(pid) else None
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return note
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def stale_message(note: dict[str, Any]) -> str:
    alive = ""
    pid = note.get("pid")
    if isinstance(pid, int) and note.get("host") == socket.gethostname():
        alive = " (that process is gone)" if not pid_alive(pid) else " (that pid is now another process)"
    return f"cleared a stale lock left by {describe(note)}{alive}; its run is reported as interrupted"
