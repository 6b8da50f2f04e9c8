"""Faults the fake services can be told to produce, the way real services fail.

Each fault matches request paths by regular expression and fires a number of times: a status code
(500, 404, 401...), a 429 with Retry-After, a slow answer (longer than the client's read timeout),
a truncated JSON body (a 200 whose body stops midway), or a hang until the test releases it (used to
SIGKILL a harvest at a known point).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response


@dataclass
class Fault:
    pattern: re.Pattern[str]
    kind: str  # status | retry_after | slow | truncate | hang
    times: int
    status: int = 500
    seconds: float = 0.0
    fired: int = 0


@dataclass
class Faults:
    faults: list[Fault] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    hanging: threading.Event = field(default_factory=threading.Event)

    def add(self, path_regex: str, kind: str, *, times: int = 1, status: int = 500, seconds: float = 0.0) -> None:
        self.faults.append(Fault(re.compile(path_regex), kind, times, status, seconds))

    def clear(self) -> None:
        self.faults.clear()

    def apply(self, request: Request, body: Any) -> Response | None:
        """A faulty answer for this request, or None to answer normally."""
        for fault in self.faults:
            if fault.fired >= fault.times or not fault.pattern.search(request.full_path):
                continue
            fault.fired += 1
            if fault.kind == "status":
                return _json({"detail": f"fault {fault.status}"}, fault.status)
            if fault.kind == "retry_after":
                response = _json({"detail": "Request was throttled. Expected available in 1 seconds."}, 429)
                response.headers["Retry-After"] = str(int(fault.seconds))
                return response
            if fault.kind == "slow":
                time.sleep(fault.seconds)
                return None
            if fault.kind == "truncate":
                text = json.dumps(body)
                return Response(text[: max(1, len(text) // 2)], status=200, content_type="application/json")
            if fault.kind == "hang":
                self.hanging.set()
                self.release.wait(timeout=30)
                return _json({"detail": "released"}, 503)
        return None


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
