"""`citator bulk`: scan bulk dumps (CAP volume zips, CourtListener CSVs) at full machine speed.

The work splits into shards: a CAP volume zip each, and byte ranges of each CourtListener opinions
dump (`harvest/bulk_ranges.py`: a bzip2 dump is cut between its blocks, a plain one between bytes,
and every row is read by exactly one range), so one big dump keeps every worker busy. Workers, in
local processes or on a Dask cluster, read their shard as a stream, pass each opinion through the
seed prefilter, and run full extraction only on the candidates (on every opinion in full-graph
mode, `--all`). One writer, the calling process, stores what comes back in batches, so SQLite never
sees two writers and memory stays bounded: local workers hand results over a bounded queue, Dask
workers return one shard's candidates at a time.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue as queue_module
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import sqlite_utils

from citator.collector import collector_for_commands
from citator.db.web.summaries import rebuild_summaries
from citator.derived import rebuild_case_treatments, rebuild_withdrawn_risk
from citator.citations.models import Authority, Reference
from citator.citations.courts import exact_court_id
from citator.citations import hscache
from citator.citations.prefilter import Prefilter
from citator.config import hyperscan_cache_dir
from citator.db import corpus, runs
from citator.db.bulk_store import BatchItem, bulk_session, write_batch
from citator.harvest import bulk_ranges, bulk_readers
from citator.harvest.bulk_ranges import DumpRange
from citator.harvest.bulk_readers import BulkDocument, BulkFileError, UnreadCase, UnreadRow

Report = Callable[[str], None]

#: One unit of work: a bulk file (path or URL) or a byte range of a CourtListener opinions dump.
Shard = str | DumpRange

#: Shards per worker when a dump is split: more than one, so a slow range does not idle the rest.
RANGES_PER_WORKER = 2

#: Opinions handed from a worker to the writer at a time.
BATCH = 200

#: Seconds to wait for a Dask scheduler before giving up with one line.
DASK_CONNECT_TIMEOUT = 10.0


@dataclass(frozen=True)
class ScanOptions:
    """What a worker needs besides its shard; small and picklable."""

    seeds: tuple[Authority, ...]
    full_graph: bool = False
    use_prefilter: bool = True
    engine: str = "auto"
    forced_opinions: frozenset[str] = frozenset()  # opinion ids the citation map says cite a seed
    bz2_threads: int = 1  # threads decoding one bzip2 file (cores left over when files < workers)


@dataclass
class ShardStats:
    path: str = ""
    documents: int = 0
    bytes: int = 0
    candidates: int = 0
    with_references: int = 0
    references: int = 0
    unread_cases: int = 0  # CAP case files the prefilter passed over without parsing
    unread_rows: int = 0  # CourtListener dump rows the prefilter passed over without parsing
    unread_bytes: int = 0  # the raw bytes of both
    cap_json_texts: int = 0  # CAP opinions read from the case JSON's text: no html/ file that matches
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the scanning process meanwhile (its decoding thread included)

    def scanned(self) -> str:
        """What was scanned, in words: "N opinions read[, M CAP cases and K CourtListener rows
        passed over unread (X MB)]"."""
        text = f"{self.documents} opinions read"
        unread = [f"{n} {what}" for n, what in ((self.unread_cases, "CAP cases"), (self.unread_rows, "CourtListener rows")) if n]
        if unread:
            text += f", {' and '.join(unread)} passed over unread ({self.unread_bytes / 1e6:.1f} MB)"
        if self.cap_json_texts:
            text += (f", {self.cap_json_texts} CAP opinions read from the JSON text (no html/ file whose opinions "
                     "match: footnotes after the opinion)")
        return text

    def add(self, other: "ShardStats") -> None:
        for name in ("documents", "bytes", "candidates", "with_references", "references", "unread_cases", "unread_rows",
                     "unread_bytes", "cap_json_texts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _part(opinion_type: str | None) -> str:
    return opinion_type if opinion_type in ("concurrence", "dissent") else "majority"


def _litigation_of(case_citations: Sequence[tuple[str, str]], seeds: Sequence[Authority]) -> str | None:
    """The litigation (`Authority.family`) of a citing case that is itself one of the seeds, known
    by a shared reporter citation, as the refresh knows it by the seed's stored case: its
    references to the other decisions of that litigation are read with the same-litigation rules."""
    cites = {cite for cite, _ in case_citations}
    return next((s.family for s in seeds if s.family and cites.intersection(s.citations)), None)


def _reading_path() -> Callable[..., list[Reference]]:
    """`citations.read_opinion`, imported here rather than with this module: it loads eyecite and
    reporters_db (about a quarter of a second), which only the processes that extract need. A Dask
    client (`citator bulk --dask-scheduler`) never extracts; its workers do."""
    from citator.citations.reading import read_opinion

    return read_opinion


class Scanner:
    """Prefilter + extraction for one process; built once per worker, not per document."""

    def __init__(self, options: ScanOptions) -> None:
        self.options = options
        self.read_opinion = _reading_path()
        if hscache.cache_directory() is None:  # a worker process (local or on a Dask cluster): its own user's folder
            hscache.use_directory(hyperscan_cache_dir)
        self.prefilter = Prefilter(options.seeds, engine=options.engine) if options.use_prefilter else None

    @property
    def raw_filter(self) -> bulk_readers.RawFilter | None:
        """The prefilter on the raw bytes of a CAP case file (JSON) or a CourtListener row (CSV),
        when opinions may be passed over at all; a row the citation map forces is always kept."""
        if self.options.full_graph or self.prefilter is None:
            return None
        may_match = self.prefilter.may_match_raw
        forced = self.options.forced_opinions
        if not forced:
            return may_match

        def keep(data: bytes) -> bool:
            return may_match(data) or _forced_row(data, forced)

        return keep

    def documents(self, shard: Shard) -> Iterator[BulkDocument | UnreadCase | UnreadRow]:
        return bulk_readers.documents(shard, raw_filter=self.raw_filter, bz2_threads=self.options.bz2_threads,
                                      court_ids=exact_court_id)

    def is_candidate(self, doc: BulkDocument) -> bool:
        if self.options.full_graph or self.prefilter is None:
            return True
        return doc.opinion.id in self.options.forced_opinions or self.prefilter.matches(doc.opinion.text)

    def references(self, doc: BulkDocument) -> list[Reference]:
        opinion = doc.opinion
        return self.read_opinion(
            opinion.text, self.options.seeds, fmt=opinion.text_format, opinion_part=_part(opinion.type),
            citing_court=doc.case.court_id, citing_family=_litigation_of(doc.case.citations, self.options.seeds),
            case_graph=self.options.full_graph,
        )

    def scan(self, docs: Iterable[BulkDocument | UnreadCase | UnreadRow], stats: ShardStats) -> Iterator[BatchItem]:
        """Items worth storing: opinions with references (every candidate in full-graph mode)."""
        for doc in docs:
            if isinstance(doc, UnreadCase):
                stats.unread_cases += 1
                stats.unread_bytes += doc.nbytes
                continue
            if isinstance(doc, UnreadRow):
                stats.unread_rows += 1
                stats.unread_bytes += doc.nbytes
                continue
            stats.documents += 1
            stats.bytes += doc.nbytes
            if doc.opinion.source == "cap" and doc.opinion.text_format != "html":
                stats.cap_json_texts += 1
            if not self.is_candidate(doc):
                continue
            stats.candidates += 1
            refs = self.references(doc)
            if refs:
                stats.with_references += 1
                stats.references += len(refs)
            if refs or self.options.full_graph:
                yield BatchItem(doc.case, doc.opinion, refs)


def _forced_row(data: bytes, forced: frozenset[str]) -> bool:
    """Whether a CourtListener row's raw bytes (`"id",...`) are those of an opinion in `forced`."""
    if data[:1] != b'"':
        return False
    end = data.find(b'"', 1)
    return end > 1 and f"cl:opinion:{data[1:end].decode('ascii', 'replace')}" in forced


def scan_shard(shard: Shard, options: ScanOptions) -> tuple[list[BatchItem], ShardStats]:
    """Scan one shard completely and return what to store (the Dask task)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    stats = ShardStats(path=str(shard))
    scanner = Scanner(options)
    items = list(scanner.scan(scanner.documents(shard), stats))
    stats.seconds = time.perf_counter() - started
    stats.cpu_seconds = time.process_time() - cpu_started
    return items, stats


# ---- local processes -----------------------------------------------------------------------------


def _worker(tasks: Any, results: Any, options: ScanOptions) -> None:
    """Process loop: take shards until a None, put ("items", ...) batches and a ("done", ...) per shard."""
    with collector_for_commands():  # a worker process: the collector as the CLI sets it
        _worker_loop(tasks, results, options)


def _worker_loop(tasks: Any, results: Any, options: ScanOptions) -> None:
    scanner = Scanner(options)
    while True:
        shard = tasks.get()
        if shard is None:
            return
        try:
            for message in _shard_messages(scanner, shard):
                results.put(message)
        except Exception as exc:  # a bug in one shard must not hang the writer
            results.put(("error", str(shard), f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=3)}"))


def _shard_messages(scanner: Scanner, shard: Shard) -> Iterator[tuple]:
    """The writer's messages for one shard: batches of items, then its stats, or an error for a
    file that cannot be read. Shared by the in-process path and the worker processes."""
    started, cpu_started = time.perf_counter(), time.process_time()
    stats = ShardStats(path=str(shard))
    batch: list[BatchItem] = []
    try:
        for item in scanner.scan(scanner.documents(shard), stats):
            batch.append(item)
            if len(batch) >= BATCH:
                yield ("items", batch)
                batch = []
    except BulkFileError as exc:
        yield ("error", str(shard), str(exc))
        return
    if batch:
        yield ("items", batch)
    stats.seconds = time.perf_counter() - started
    stats.cpu_seconds = time.process_time() - cpu_started
    yield ("done", stats)


def worker_start_method() -> str:
    """How local workers start: "fork" on Linux while this process runs no other thread, else
    "spawn".

    A forked worker starts at once with this process's imports; a spawned one pays an interpreter
    start and citator's imports, about a second, before its first row, which on a
    dump of a few hundred MB is a tenth of the job. Fork is safe here because the child only scans:
    it never uses the writer's SQLite connection that fork copies (SQLite forbids using, not
    holding, it) and leaves through os._exit, so nothing closes that connection in the child. With
    another thread running (a test server, a host program's thread) a lock it holds at the fork
    would stay held in the child, so such a process spawns; macOS and Windows always spawn.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1 and "fork" in mp.get_all_start_methods():
        return "fork"
    return "spawn"


def _local_results(paths: Sequence[Shard], options: ScanOptions, workers: int) -> Iterator[tuple]:
    """Messages from `workers` processes scanning `paths`; the queue is bounded, so memory is too."""
    if workers <= 1:
        scanner = Scanner(options)
        for path in paths:
            yield from _shard_messages(scanner, path)
        return
    method = worker_start_method()
    if method == "fork":  # loaded once here, the forked workers share it instead of each loading it
        _reading_path()
    context = mp.get_context(method)
    tasks = context.Queue()
    results = context.Queue(maxsize=4 * workers)
    procs = [context.Process(target=_worker, args=(tasks, results, options), daemon=True) for _ in range(workers)]
    for proc in procs:  # before the first put, which starts the queue's feeder thread
        proc.start()
    for path in paths:
        tasks.put(path)
    for _ in range(workers):
        tasks.put(None)
    pending = len(paths)
    try:
        while pending:
            try:
                message = results.get(timeout=5)
            except queue_module.Empty:
                if not any(p.is_alive() for p in procs):
                    raise RuntimeError("every bulk worker process died") from None
                continue
            if message[0] in ("done", "error"):
                pending -= 1
            yield message
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()


# ---- Dask ----------------------------------------------------------------------------------------


def _dask_client(address: str) -> Any:
    """A client on the scheduler at `address`, or one line saying why not."""
    try:
        from distributed import Client
    except ImportError:
        raise BulkError("--dask-scheduler needs dask.distributed: pip install 'citator[bulk]'") from None
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except OSError as exc:
        raise BulkError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def dask_worker_slots(client: Any) -> int:
    """How many tasks the cluster runs at once (threads over all workers)."""
    return max(1, sum(client.nthreads().values()))


def _dask_results(shards: Sequence[Shard], options: ScanOptions, client: Any) -> Iterator[tuple]:
    """Messages from a Dask cluster: one task per shard, results gathered as they complete.

    Workers open the shards themselves: a shard names a local path (the same on every worker: a
    shared or replicated filesystem) or an fsspec URL they can all read (s3://, https://, ...).
    Workers need only citator installed. A task returns its shard's stored items at once: small in
    seed mode; with --all, a dump is split into ranges, so each result stays modest.
    """
    from distributed import as_completed

    try:
        futures = client.map(_dask_task, list(shards), options=options, pure=False)
        for future in as_completed(futures):
            kind, payload = future.result()
            future.release()
            if kind == "error":
                yield ("error", payload[0], payload[1])
                continue
            items, stats = payload
            for start in range(0, len(items), BATCH):
                yield ("items", items[start : start + BATCH])
            yield ("done", stats)
    finally:
        client.close()


def _dask_task(shard: Shard, options: ScanOptions) -> tuple[str, Any]:
    try:
        return "ok", scan_shard(shard, options)
    except BulkFileError as exc:
        return "error", (str(shard), str(exc))


def plan_shards(files: Sequence[str], slots: int) -> list[Shard]:
    """The work items for `slots` parallel workers: CAP zips whole; each CourtListener opinions dump
    cut into byte ranges when the files are too few to keep every worker busy (about
    `RANGES_PER_WORKER` shards per worker), whole otherwise."""
    per_file = 1 if slots <= 1 or len(files) >= RANGES_PER_WORKER * slots else -(-RANGES_PER_WORKER * slots // len(files))
    shards: list[Shard] = []
    for file in files:
        try:
            shards.extend(bulk_readers.split_opinions(file, per_file) if bulk_readers.kind_of(file) == "opinions" else [file])
        except BulkFileError:
            shards.append(file)  # read whole: its worker reports what is wrong with it, the rest goes on
    return shards


# ---- the job -------------------------------------------------------------------------------------


class BulkError(Exception):
    """A bulk run cannot start or go on (no inputs, unreachable cluster); the message says why."""


@dataclass
class BulkResult:
    run_id: int
    status: str = "ok"
    stats: ShardStats = field(default_factory=ShardStats)
    shards: list[ShardStats] = field(default_factory=list)
    new_cases: int = 0
    new_opinions: int = 0
    new_references: int = 0
    reference_rows: int = 0
    write_seconds: float = 0.0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[str], list[str]]:
    """(opinion shards, citation maps) from files and folders; folders are walked for bulk files."""
    shards: list[str] = []
    maps: list[str] = []
    for raw in inputs:
        if bulk_ranges.is_url(str(raw)):  # a file the workers read through fsspec
            (maps if bulk_readers.kind_of(str(raw)) == "citation_map" else shards).append(str(raw))
            continue
        path = Path(raw)
        if not path.exists():
            raise BulkError(f"no such file or folder: {path}")
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                kind = bulk_readers.kind_of(file)
            except BulkFileError:
                if path.is_dir():
                    continue  # stray files in a dump folder (README, checksums) are not inputs
                raise
            (maps if kind == "citation_map" else shards).append(str(file))
    if not shards:
        raise BulkError("no bulk files to scan (CAP volume .zip, CourtListener opinions .csv/.csv.bz2)")
    return shards, maps


def forced_from_citation_maps(maps: Sequence[str], targets: set[int]) -> frozenset[str]:
    """Opinion ids that the citation maps say cite a seed opinion: always fully extracted."""
    if not targets:
        return frozenset()
    citing = {
        f"cl:opinion:{edge.citing_opinion_id}"
        for path in maps
        for edge in bulk_readers.courtlistener_citation_map(path)
        if edge.cited_opinion_id in targets
    }
    return frozenset(citing)


def run(
    db: sqlite_utils.Database,
    seeds: Sequence[Authority],
    inputs: Iterable[str | Path],
    *,
    full_graph: bool = False,
    workers: int | None = None,
    dask_scheduler: str | None = None,
    use_prefilter: bool = True,
    engine: str = "auto",
    report: Report = lambda message: None,
) -> BulkResult:
    """Scan `inputs` and store what they hold about `seeds` (about every case with `full_graph`)."""
    started = time.perf_counter()
    shards, maps = expand_inputs(inputs)
    if dask_scheduler:  # workers open the shards themselves: give them paths that do not depend on our cwd
        shards = [s if bulk_ranges.is_url(s) else str(Path(s).resolve()) for s in shards]
    client = _dask_client(dask_scheduler) if dask_scheduler else None
    with runs.recorded_run(db, "bulk") as run:
        run_id = run.id
        result = BulkResult(run_id)
        try:
            corpus.store_authorities(db, seeds)
            forced = forced_from_citation_maps(maps, corpus.seed_courtlistener_opinion_numbers(db)) if maps and not full_graph else frozenset()
            cited_case_ids = corpus.seed_case_ids(db)
            asked = dask_worker_slots(client) if client is not None else (workers or os.cpu_count() or 1)
            files = len(shards)
            planned = plan_shards(shards, asked)
            workers = min(asked, len(planned))
            # a dump that could not be split (another column order): the spare cores decode its bzip2
            bz2_threads = 1 if client is not None else max(1, asked // workers)
            options = ScanOptions(tuple(seeds), full_graph, use_prefilter, engine, forced, bz2_threads)
            where = f"Dask scheduler {dask_scheduler} ({asked} worker threads)" if client is not None else f"{workers} process{'es' if workers > 1 else ''}"
            report(f"bulk: {files} file(s) in {len(planned)} shard(s) on {where}" + (", full graph" if full_graph else "") + (f", {len(forced)} opinion(s) forced by the citation map" if forced else ""))
            messages = _dask_results(planned, options, client) if client is not None else _local_results(planned, options, workers)
            with bulk_session(db):
                _consume(db, messages, result, cited_case_ids, run_id, report)
            if result.stats.documents == 0 and result.errors:
                result.status = "failed"
        except BaseException:
            if client is not None:
                client.close()
            raise
        rebuild_case_treatments(db)
        rebuild_withdrawn_risk(db)
        rebuild_summaries(db)
        runs.add_counts(
            db, run_id, documents_fetched=result.stats.documents, new_cases=result.new_cases,
            new_opinions=result.new_opinions, new_references=result.new_references,
        )
        result.seconds = time.perf_counter() - started
        run.status = result.status
        run.message = f"{result.stats.scanned()}, {result.stats.candidates} candidates, {result.reference_rows} references stored"
    return result


def _consume(db: sqlite_utils.Database, messages: Iterable[tuple], result: BulkResult,
             cited_case_ids: dict[str, str | None], run_id: int, report: Report) -> None:
    """The one writer: store each batch as it arrives and tally the shards."""
    for message in messages:
        if message[0] == "items":
            t0 = time.perf_counter()
            counts = write_batch(db, message[1], cited_case_ids=cited_case_ids, run_id=run_id)
            result.write_seconds += time.perf_counter() - t0
            result.new_cases += counts.new_cases
            result.new_opinions += counts.new_opinions
            result.new_references += counts.new_references
            result.reference_rows += counts.reference_rows
        elif message[0] == "done":
            result.stats.add(message[1])
            result.shards.append(message[1])
            report(f"bulk: {message[1].path}: {message[1].scanned()}, {message[1].candidates} candidates, {message[1].references} references")
        else:
            _, path, text = message
            result.errors.append(text)
            runs.record_error(db, run_id, "bulk", text.splitlines()[0], path)
            result.status = "partial"
            report(f"bulk: skipped {text.splitlines()[0]}")
