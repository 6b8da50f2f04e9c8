"""Whether the process a note names is still alive.

Two notes name the process writing a database: the run lock's (`citator/runlock.py`, in the lock
file) and a bulk load's, left while its indexes are dropped (`db/bulk_indexes.py`, in
`citator_meta`). A note whose process is gone is stale and may be cleared; both ask here.
"""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host (one we may not signal counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
