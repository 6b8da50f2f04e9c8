"""Latency of ordinary pages while hostile visitors run expensive SQL against the public site.

    python bench/site_hostile.py                         # 100,000 references, 4 hostile clients, 30 s
    python bench/site_hostile.py --hostile 0             # the same pages with nobody attacking
    python bench/site_hostile.py --seconds 60 --hostile 8

Builds an INVENTED database with bench/site_latency.py's generator, starts `citator serve` on it
(a real process on 127.0.0.1, on a free port; nothing else is contacted), then for `--seconds`
runs `--hostile` clients that loop over the queries of issue 20 (a 200 MB zeroblob, hex of a 400 MB
randomblob, a recursive CTE counting to a billion, a result of many large rows) while one client
requests ordinary pages (home, tables, canned queries, case page, network) one after another. It
first times each hostile query alone (its answer and time against the time limit of visitor SQL), then
requests the ordinary pages with nobody attacking (`--quiet-seconds`), then under attack. It prints
how the hostile queries were answered and how long they took (worst time / time limit: at most about
1 means the limit holds), the p50/p95 of the ordinary pages quiet and under attack with their ratio,
and a last line of JSON with `p95_ms` under attack (goal: under 1000). Bounded: every request has a
timeout, the run a deadline.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import site_latency  # noqa: E402
from citator.db.web.site import SQL_TIME_LIMIT_MS, publish_site, serve_command  # noqa: E402
from citator.db.web.site_security import VISITOR_SQL_SHARE, VISITOR_SQL_TIME_LIMIT_MS  # noqa: E402

#: The hostile queries of issue 20, by a short name.
HOSTILE_SQL = {
    "zeroblob 200 MB": "select zeroblob(200000000)",
    "hex(randomblob 400 MB)": "select length(hex(randomblob(400000000)))",
    "recursive CTE to 1e9": "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000000000) "
                            "select count(*) from n",
    "1000 rows of 5 MB": "with recursive n(i) as (select 1 union all select i + 1 from n limit 1000) "
                         "select i, zeroblob(5000000) from n",
}
NORMAL_PAGES = (
    "/", "/citator", "/citator/reliance", "/citator/citing_references", "/citator/citations",
    "/citator/who_relies_on_seed", "/citator/negative_treatment", "/citator/cited_for", "/citator/new_since",
    "/-/citator/case?id=bench%3Acase%3A42", "/-/citator/network.json?seed=bernstein-9th", "/-/citator/charts",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(base: str, proc: subprocess.Popen, deadline: float, log: Path) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("citator serve exited: " + log.read_text(errors="replace"))
        try:
            httpx.get(base + "/-/versions.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("citator serve did not start in time")


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run_hostile(client: httpx.Client, base: str, name: str) -> tuple[int | str, float]:
    """Send one hostile query; its status (or the transport error's name) and milliseconds taken."""
    started = time.perf_counter()
    try:
        status: int | str = client.get(base + "/citator.json", params={"sql": HOSTILE_SQL[name]}).status_code
    except httpx.HTTPError as err:
        status = type(err).__name__
    return status, (time.perf_counter() - started) * 1000


def hostile_client(base: str, stop: float, outcomes: Counter, durations: dict[str, list[float]],
                   lock: threading.Lock, index: int) -> None:
    names = list(HOSTILE_SQL)
    with httpx.Client(timeout=15) as client:
        n = index
        while time.monotonic() < stop:
            name = names[n % len(names)]
            n += 1
            status, ms = run_hostile(client, base, name)
            with lock:
                outcomes[(name, status)] += 1
                if status != 503:  # refused at the door: no query ran
                    durations[name].append(ms)


def request_pages(base: str, stop: float) -> tuple[dict[str, list[float]], Counter]:
    """Request the ordinary pages one after another until `stop`; milliseconds per page and failures."""
    times: dict[str, list[float]] = {page: [] for page in NORMAL_PAGES}
    failures: Counter = Counter()
    with httpx.Client(timeout=30) as client:
        while time.monotonic() < stop:
            for page in NORMAL_PAGES:
                started = time.perf_counter()
                try:
                    status: int | str = client.get(base + page).status_code
                except httpx.HTTPError as err:
                    status = type(err).__name__
                times[page].append((time.perf_counter() - started) * 1000)
                if status != 200:
                    failures[(page, status)] += 1
    return times, failures


def summary(times: dict[str, list[float]]) -> tuple[float | None, float | None, int]:
    everything = sorted(t for page_times in times.values() for t in page_times)
    if not everything:
        return None, None, 0
    return statistics.median(everything), percentile(everything, 0.95), len(everything)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--references", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--hostile", type=int, default=4, help="clients looping hostile queries")
    parser.add_argument("--seconds", type=float, default=30, help="how long the attack lasts")
    parser.add_argument("--quiet-seconds", type=float, default=10, help="ordinary pages with nobody attacking first")
    parser.add_argument("--db", type=Path, help="use an existing published database instead of building one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="citator-hostile-") as tmp:
        database = args.db
        if database is None:
            database = Path(tmp) / "citator.db"
            print(f"building {args.references:,} references over {args.cases:,} cases ...", flush=True)
            site_latency.build_database(database, args.references, args.cases)
            publish_site(database)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k != "COURTLISTENER_TOKEN"}
        # the server logs every request: to a file, since a pipe nobody reads fills up and stalls it
        log = Path(tmp) / "serve.log"
        with log.open("wb") as log_file:
            proc = subprocess.Popen(serve_command(database, "127.0.0.1", port, immutable=False), env=env,
                                    stdout=log_file, stderr=subprocess.STDOUT)
        try:
            _wait_up(base, proc, time.monotonic() + 60, log)
            with httpx.Client(timeout=30) as warm:
                for page in NORMAL_PAGES:
                    warm.get(base + page)
            solo: dict[str, tuple[int | str, float]] = {}
            with httpx.Client(timeout=30) as client:
                for name in HOSTILE_SQL:
                    solo[name] = run_hostile(client, base, name)
                    # let the gate's rest after this query pass, so the next is timed alone
                    time.sleep(solo[name][1] / 1000 * (1 - VISITOR_SQL_SHARE) / VISITOR_SQL_SHARE + 0.05)
            quiet_times, quiet_failures = request_pages(base, time.monotonic() + args.quiet_seconds)
            outcomes: Counter = Counter()
            durations: dict[str, list[float]] = {name: [] for name in HOSTILE_SQL}
            lock = threading.Lock()
            stop = time.monotonic() + args.seconds
            threads = [threading.Thread(target=hostile_client, args=(base, stop, outcomes, durations, lock, i),
                                        daemon=True) for i in range(args.hostile)]
            for thread in threads:
                thread.start()
            times, failures = request_pages(base, stop)
            for thread in threads:
                thread.join(timeout=20)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # still finishing a request after the deadline
                proc.kill()
                proc.wait(timeout=10)

    limit = VISITOR_SQL_TIME_LIMIT_MS
    print(f"time limit of visitor SQL: {limit} ms (tables and canned queries: {SQL_TIME_LIMIT_MS} ms)")
    print("each hostile query alone:")
    for name, (status, ms) in solo.items():
        print(f"  {status!s:>5}  {ms:7.0f} ms  {ms / limit:5.2f} x limit  {name}")
    print(f"under attack by {args.hostile} clients for {args.seconds:.0f} s (503 = refused at the door, no query run):")
    for name in HOSTILE_SQL:
        answers = ", ".join(f"{count} x {status}" for (n, status), count in sorted(outcomes.items(), key=str) if n == name)
        ran = sorted(durations[name])
        timing = (f"p50 {statistics.median(ran):6.0f} ms  max {ran[-1]:6.0f} ms ({ran[-1] / limit:4.2f} x limit)"
                  if ran else "never ran")
        print(f"  {name:24s} {answers or 'not sent'};  {timing}")
    quiet_p50, quiet_p95, quiet_n = summary(quiet_times)
    p50, p95, n = summary(times)
    print(f"ordinary pages quiet: {quiet_n} requests, failures {sum(quiet_failures.values())}, "
          f"p50 {quiet_p50 or 0:.1f} ms, p95 {quiet_p95 or 0:.1f} ms")
    print(f"ordinary pages under attack: {n} requests, failures {sum(failures.values())}")
    for (page, status), count in sorted(failures.items(), key=str):
        print(f"  failed {count} x {status}  {page}")
    for page, page_times in times.items():
        if page_times:
            ordered = sorted(page_times)
            print(f"  p50 {statistics.median(ordered):7.1f} ms  p95 {percentile(ordered, 0.95):7.1f} ms  "
                  f"max {ordered[-1]:7.1f} ms  {page}")
    ratio = round(p95 / quiet_p95, 2) if p95 and quiet_p95 else None
    worst = max((max(d) for d in durations.values() if d), default=None)
    print(f"p95 under attack / quiet: {ratio}")
    print(json.dumps({"hostile_clients": args.hostile, "seconds": args.seconds, "requests": n,
                      "quiet_p95_ms": round(quiet_p95, 1) if quiet_p95 else None,
                      "p50_ms": round(p50, 1) if p50 else None, "p95_ms": round(p95, 1) if p95 else None,
                      "p95_ratio_attack_to_quiet": ratio, "failures": sum(failures.values()),
                      "worst_hostile_ms": round(worst) if worst else None, "visitor_sql_time_limit_ms": limit,
                      "worst_hostile_to_limit": round(worst / limit, 2) if worst else None, "goal_ms": 1000}))


if __name__ == "__main__":
    main()
