"""What every source shares: the options of one harvest run and the loop over its crawl frontier.

A source turns its work into frontier items (find a seed, list who cites a case, scan a volume,
fetch texts) with stable keys, and hands a handler to `work_through`. The loop takes items
shallowest depth first, most relevant first within a depth, and marks each done only after the
handler stored everything it found; so a harvest stopped by the daily budget, a rate limit, a kill
or a power cut continues on the next run where it stopped, and nothing it repeats is duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol, Sequence

import sqlite_utils

from citator.db import corpus, frontier, runs
from citator.harvest.http import BadResponse, BudgetExhausted, NotFound, StopSource

Report = Callable[[str], None]
Progress = Callable[[str, int, int], None]  # (source, items done, items known)



class Seed(Protocol):
    """What a harvester needs to know of a seed authority (the citations stage's `Authority` has
    it): harvest/ looks seeds up by citation and bounds its search by date, and reads no more."""

    @property
    def key(self) -> str: ...

    @property
    def citations(self) -> Sequence[str]: ...

    @property
    def decided(self) -> str | None: ...


#: Kinds that discover new cases; they stop when `max_cases` is reached.
DISCOVERY_KINDS = ("citers", "scan")


def _silent(message: str) -> None:
    pass


@dataclass
class Crawl:
    """The options and bookkeeping of one harvest run, handed to every source."""

    db: sqlite_utils.Database
    run_id: int | None = None
    depth: int = field(kw_only=True)  # `[crawl]` depth and max_cases: no defaults but the TOML's
    max_cases: int = field(kw_only=True)
    report: Report = _silent
    progress: Progress | None = None
    http: Any = None  # the HttpClient, so a failed item's cached answers can be forgotten

    def forget_since(self, mark: int) -> None:
        if self.http is not None:
            self.http.forget_since(mark)

    def mark(self) -> int:
        return len(self.http.served) if self.http is not None else 0

    def queue_seeds(self, source: str, seeds: Sequence[Seed]) -> None:
        """Queue a "resolve" item per seed authority (a no-op for seeds already queued)."""
        for seed in seeds:
            frontier.frontier_add(self.db, source, f"seed:{seed.key}", "resolve", depth=0,
                               payload={"cites": list(seed.citations), "key": seed.key}, run_id=self.run_id)

    def room(self) -> int:
        """How many more citing cases the crawl may add (`crawl.max_cases` bounds the database)."""
        return self.max_cases - corpus.citing_case_count(self.db)

    def error(self, source: str, message: str, url: str | None = None) -> None:
        runs.record_error(self.db, self.run_id, source, message, url)


@dataclass
class HarvestCounts:
    """What one source did in one run."""

    documents: int = 0
    new_cases: int = 0
    new_opinions: int = 0
    errors: int = 0
    stopped: str | None = None  # why the source stopped before its frontier was empty
    messages: list[str] = field(default_factory=list)

    def add_case(self, is_new: bool) -> None:
        self.new_cases += int(is_new)


#: A handler runs one item and returns the keys of every item it finished (usually just its own).
Handler = Callable[[dict[str, Any]], Sequence[str]]


def work_through(crawl: Crawl, source: str, name: str, handler: Handler, counts: HarvestCounts,
                 kinds: Sequence[str] | None = None, budget: "DailyBudget | None" = None) -> None:
    """Run `source`'s pending frontier items until none is left or the source must stop.

    Each item runs in one transaction that also marks it done, so an item is stored whole or not
    at all (a kill loses at most the item it was on). Per item: a 404 means the source lacks the
    document (done, nothing to store); a malformed answer is recorded as an error of the run and
    the item is retried on later runs (until it has failed `frontier.FRONTIER_RETRIES` times); a
    spent budget or a long rate limit stops this source and leaves the item pending. Network and
    authentication faults propagate: the run cannot go on. `kinds` limits the run to some kinds
    of items (the others stay queued).
    """
    said_full = False
    done_here = 0
    frontier.frontier_retry_failed(crawl.db, source)
    while True:
        allowed = kinds
        if crawl.room() <= 0:
            allowed = tuple(k for k in (kinds or ("resolve", "fetch", *frontier.LATE_KINDS)) if k not in DISCOVERY_KINDS)
            if not said_full:
                said_full = True
                message = f"{name}: crawl.max_cases ({crawl.max_cases}) reached; no more citing cases are added"
                crawl.report(message)
                counts.messages.append(message)
        if allowed is not None and not allowed:
            return
        items = frontier.frontier_next(crawl.db, source, kinds=allowed, max_depth=crawl.depth)
        if not items:
            return
        item = items[0]
        mark = crawl.mark()
        try:
            with crawl.db.atomic():
                finished = handler(item)
                for key in finished:
                    frontier.frontier_done(crawl.db, source, key, crawl.run_id)
        except NotFound:
            finished = [item["key"]]
            frontier.frontier_done(crawl.db, source, item["key"], crawl.run_id)
        except BadResponse as exc:
            crawl.forget_since(mark)
            frontier.frontier_failed(crawl.db, source, item["key"], str(exc))
            crawl.error(source, str(exc), exc.url)
            counts.errors += 1
            continue
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # Valid JSON in a shape we did not expect: the same as a malformed answer.
            crawl.forget_since(mark)
            message = f"{name}: unexpected answer while working on {item['key']}: {exc.__class__.__name__}: {exc}"
            frontier.frontier_failed(crawl.db, source, item["key"], message)
            crawl.error(source, message)
            counts.errors += 1
            continue
        except (BudgetExhausted, StopSource) as exc:
            counts.stopped = str(exc)
            if isinstance(exc, StopSource):  # rate limit or stalling: an error of the run, with its URL
                crawl.error(source, str(exc), exc.url)
            crawl.report(str(exc))
            counts.messages.append(str(exc))
            return
        finally:
            if budget is not None:
                budget.flush()
        done_here += len(finished)
        if crawl.progress is not None:
            crawl.progress(source, done_here, done_here + pending_count(crawl, source))


def pending_count(crawl: Crawl, source: str) -> int:
    return frontier.pending_count(crawl.db, source, crawl.depth)


class DailyBudget:
    """A per-source allowance of network requests per UTC day, kept in `request_budget`.

    Used as `HostPolicy.budget`: called before every network request, it raises
    `BudgetExhausted` once the day's allowance is spent. Inside an item's transaction the count is
    kept in memory and written by `flush()` after the transaction, so a rolled-back item still
    counts the requests it made (a kill loses the count of at most the item it was on).
    """

    def __init__(self, db: sqlite_utils.Database, source: str, name: str, limit: int) -> None:
        self.db = db
        self.source = source
        self.name = name
        self.limit = limit
        self.unsaved = 0

    def __call__(self) -> None:
        if frontier.budget_used(self.db, self.source) + self.unsaved >= self.limit:
            raise BudgetExhausted(
                f"{self.name}: today's request budget ({self.limit}) is spent; the next run continues the crawl "
                "where it stopped (see `citator status`)",
                source=self.source,
            )
        if self.db.conn.in_transaction:
            self.unsaved += 1
        else:
            frontier.budget_take(self.db, self.source)

    def flush(self) -> None:
        if self.unsaved and not self.db.conn.in_transaction:
            frontier.budget_take(self.db, self.source, self.unsaved)
            self.unsaved = 0


def daily_budget(db: sqlite_utils.Database, source: str, name: str, limit: int | None) -> DailyBudget | None:
    """The budget hook for a source, or None when `limit` is 0/None (no budget)."""
    return DailyBudget(db, source, name, limit) if limit and limit > 0 else None


def normalize_cite(cite: str) -> str:
    """A citation reduced for comparison: no spaces, lower case ("107 F.Supp. 38" = "107 F. Supp. 38").

    This is string matching of citations a source already parsed, not citation parsing.
    """
    return "".join(cite.split()).lower()


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
