"""Benchmark `citator bulk` against the naive path (full extraction on every opinion).

    python bench/bulk_scan.py --size-mb 64            # a couple of minutes
    python bench/bulk_scan.py --size-mb 1024 --base-records 1083

Builds a deterministic corpus in the real dump formats (CourtListener opinions CSV bz2 shards and
CAP volume zips) from the real opinions in ../shared/bulk, repeated to the requested size, with
seed references planted at known places, in a temporary folder. Then, on the same corpus:

* ours: `citator bulk` on one core (a child process, so its peak RSS is its own), end to end from
  the compressed files into SQLite, process start included: on all files, then on each format's
  files alone (CourtListener's bzip2 CSVs and CAP's zips differ by an order of magnitude in how
  fast they can be read), then on every core;
* read + prefilter only: the same scan without extraction, the bound on end-to-end speed;
* naive: read every opinion (timed on all of them) and run `find_references` on each. The corpus
  repeats its base opinions, so extraction runs once per distinct text, which gives the naive
  path's references for every opinion exactly; its time is extrapolated from those texts to the
  whole corpus.

Both paths' seed references are compared (`identical`), planted ones included, and the writer's
batched insert rate is measured on a synthetic batch. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus as corpus_mod  # noqa: E402
from citator.citations.extract import find_references  # noqa: E402
from citator.citations.models import Reference  # noqa: E402
from citator.config import load_config  # noqa: E402
from citator.db import store  # noqa: E402
from citator.db.bulk_store import BatchItem, bulk_session, write_batch  # noqa: E402
from citator.harvest import bulk_readers  # noqa: E402


def scan_child(db: str, workers: int, files: list[str]) -> None:
    """Run inside a child process: the `citator bulk` job, then print its figures as JSON."""
    from citator import bulk

    seeds = load_config(environ={}).seeds
    started = time.perf_counter()
    result = bulk.run(store.open_database(db), seeds, files, workers=workers)
    elapsed = time.perf_counter() - started  # database creation included
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "seconds": elapsed, "documents": result.stats.documents, "bytes": result.stats.bytes,
        "unread_cases": result.stats.unread_cases, "unread_rows": result.stats.unread_rows,
        "candidates": result.stats.candidates, "references": result.reference_rows,
        "write_seconds": result.write_seconds, "peak_rss_mb": max(own, children) / 1024,
        "shards": [{"path": s.path, "seconds": s.seconds, "bytes": s.bytes, "documents": s.documents} for s in result.shards],
    }))


def run_ours(db: Path, workers: int, files: list[Path]) -> dict:
    args = [sys.executable, __file__, "--scan-child", str(db), str(workers), *map(str, files)]
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: the bulk scan failed:\n{done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall_seconds"] = wall
    # Interpreter start and imports: the naive path, timed inside this process, pays neither.
    figures["start_seconds"] = max(0.0, wall - figures["seconds"])
    return figures


def seed_refs(db_path: Path) -> set[tuple]:
    db = store.open_database(db_path)
    return {(r["opinion_id"], r["span_start"], r["span_end"], r["authority_key"]) for r in db.query("select * from citations")}


def format_of(path: Path) -> str:
    return "cl_csv_bz2" if path.name.endswith(".bz2") else "cap_zip"


def run_naive(files: list[Path], seeds) -> tuple[set[tuple], dict[str, dict[str, float]]]:
    """The naive path: read every opinion, then full extraction on each.

    Reading is timed on every opinion (per format); extraction on each distinct text once, its
    rate extrapolated to the format's whole text (the corpus repeats its base opinions, so the
    references found are exact for every opinion). Returns (seed references, figures by format).
    """
    cache: dict[str, list[Reference]] = {}
    refs: set[tuple] = set()
    figures: dict[str, dict[str, float]] = {}
    for path in files:
        entry = figures.setdefault(format_of(path), {"read_seconds": 0.0, "bytes": 0, "extract_seconds": 0.0,
                                                     "extract_bytes": 0, "texts": 0})
        started = time.perf_counter()
        docs = list(bulk_readers.documents(path))  # one shard at a time: bounded by --shard-mb
        entry["read_seconds"] += time.perf_counter() - started
        for doc in docs:
            text = doc.opinion.text
            entry["bytes"] += len(text)
            key = hashlib.sha1(text.encode("utf-8")).hexdigest()
            if key not in cache:
                part = doc.opinion.type if doc.opinion.type in ("concurrence", "dissent") else "majority"
                started = time.perf_counter()
                cache[key] = find_references(text, seeds, fmt=doc.opinion.text_format, opinion_part=part)
                entry["extract_seconds"] += time.perf_counter() - started
                entry["extract_bytes"] += len(text)
                entry["texts"] += 1
            refs |= {(doc.opinion.id, r.start, r.end, r.authority_key) for r in cache[key]}
    for entry in figures.values():
        rate = entry["extract_bytes"] / entry["extract_seconds"]
        entry["extract_mb_per_s"] = rate / 1e6
        entry["seconds"] = entry["read_seconds"] + entry["bytes"] / rate  # extrapolated to every opinion
    return refs, figures


def per_candidate_bytes(corpus, fmt: str) -> list[int]:
    """Text sizes of the opinions with a planted reference in format `fmt` (each a candidate)."""
    return [corpus.sizes[o] for o in corpus.planted if (o.startswith("cap:") == (fmt == "cap_zip"))]


def read_and_prefilter(files: list[Path], seeds) -> dict[str, dict[str, float]]:
    """The scan without extraction (decompress, prefilter, parse what it passes), per format, on one
    core in this process: what end-to-end speed would be with no candidate at all."""
    from citator import bulk

    scanner = bulk.Scanner(bulk.ScanOptions(tuple(seeds)))
    figures: dict[str, dict[str, float]] = {}
    for path in files:
        entry = figures.setdefault(format_of(path), {"seconds": 0.0, "candidates": 0, "compressed_bytes": 0})
        started = time.perf_counter()
        for doc in scanner.documents(str(path)):
            if isinstance(doc, bulk_readers.BulkDocument) and scanner.is_candidate(doc):
                entry["candidates"] += 1
        entry["seconds"] += time.perf_counter() - started
        entry["compressed_bytes"] += path.stat().st_size
    return figures


def writer_rate(folder: Path, opinions: int = 2000, per_opinion: int = 100) -> tuple[float, float, int]:
    """Reference rows per second through the bulk writer as `citator bulk` drives it (one session,
    one batch per 200 opinions), on synthetic rows: (first load, second pass, rows per pass).

    The first load goes into an empty table; the second pass stores the same opinions again (a
    rerun: the idempotent path, every row already there). Each figure is the whole session's wall
    time: the case and opinion upserts, the reference rows, the commits, and the rebuild of any
    index the session set aside.
    """
    db = store.open_database(folder / "writer.db")
    store.store_authorities(db, load_config(environ={}).seeds)
    items = []
    for n in range(opinions):
        case = store.CaseRecord(id=f"bench:case:{n}", name=f"INVENTED case {n}", source="bench", source_id=str(n))
        opinion = store.OpinionRecord(id=f"bench:opinion:{n}", case_id=case.id, text="INVENTED " * 20, text_format="text",
                                      text_field="plain_text", source="bench", source_id=str(n))
        refs = [Reference(start=i * 20, end=i * 20 + 14, as_written="INVENTED 1 F.3d 1", kind="full", cite=f"{n} F.3d {i}")
                for i in range(per_opinion)]
        items.append(BatchItem(case, opinion, refs))
    rates = []
    for _ in range(2):
        run_id = store.start_run(db, "bench")
        started = time.perf_counter()
        with bulk_session(db):  # as citator.bulk.run writes; the session's end (commit, index rebuild) is timed too
            for start in range(0, len(items), 200):
                write_batch(db, items[start : start + 200], cited_case_ids={}, run_id=run_id)
        rates.append(opinions * per_opinion / (time.perf_counter() - started))
    return rates[0], rates[1], opinions * per_opinion


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=64, help="corpus size in MB of opinion text (default 64)")
    parser.add_argument("--format", choices=("cl", "cap", "both"), default="both", help="dump format(s) to build")
    parser.add_argument("--base-records", type=int, default=150, help="real opinions to repeat (max 1083; the naive path reads each once)")
    parser.add_argument("--plant-every", type=int, default=499, help="plant a seed reference in every Nth opinion")
    parser.add_argument("--shard-mb", type=float, default=32, help="text per dump shard")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    parser.add_argument("--scan-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scan_child:
        scan_child(args.scan_child[0], int(args.scan_child[1]), args.scan_child[2:])
        return

    seeds = load_config(environ={}).seeds
    cores = os.cpu_count() or 1
    temp = tempfile.TemporaryDirectory(prefix="citator-bench-")
    folder = Path(temp.name)
    try:
        t0 = time.perf_counter()
        records = corpus_mod.load_records(args.base_records)
        corpus = corpus_mod.build(folder / "corpus", args.size_mb, fmt=args.format, records=records,
                                  plant_every=args.plant_every, shard_mb=args.shard_mb)
        mb = corpus.text_bytes / 1e6
        print(f"corpus: {corpus.opinions} opinions, {mb:.1f} MB of text, {corpus.compressed_bytes / 1e6:.1f} MB compressed "
              f"in {len(corpus.files)} files ({args.format}); {len(records)} real opinions repeated; "
              f"{len(corpus.planted)} planted references; built in {time.perf_counter() - t0:.0f} s")

        formats = sorted({format_of(p) for p in corpus.files})
        text_mb = {fmt: corpus.text_bytes_by_format.get(fmt, 0) / 1e6 for fmt in formats}
        one = run_ours(folder / "ours-1.db", 1, corpus.files)
        ours_seconds = one["wall_seconds"]
        print(f"ours, 1 core, all files: {ours_seconds:.1f} s end to end (process start included; {one['seconds']:.1f} s "
              f"in the job), {mb / ours_seconds:.1f} MB/s, {corpus.opinions / ours_seconds:.0f} opinions scanned/s "
              f"({one['documents']} read), "
              f"{one['unread_cases']} CAP cases and {one['unread_rows']} CourtListener rows passed over unread, "
              f"{one['candidates']} candidates, "
              f"{one['references']} references, peak RSS {one['peak_rss_mb']:.0f} MB")
        per_format: dict[str, dict] = {}
        for fmt in formats:
            files = [p for p in corpus.files if format_of(p) == fmt]
            alone = run_ours(folder / f"ours-{fmt}.db", 1, files) if len(formats) > 1 else one
            per_format[fmt] = {"wall_seconds": alone["wall_seconds"], "job_seconds": alone["seconds"],
                               "mb": text_mb[fmt], "candidates": alone["candidates"]}
            print(f"ours, 1 core, {fmt} only: {text_mb[fmt]:.1f} MB in {alone['wall_seconds']:.1f} s = "
                  f"{text_mb[fmt] / alone['wall_seconds']:.1f} MB/s per core end to end ({alone['start_seconds']:.2f} s of it "
                  f"interpreter start and imports), {alone['candidates']} candidates")
        if cores > 1:
            many = run_ours(folder / f"ours-{cores}.db", cores, corpus.files)
            print(f"ours, {cores} cores: {many['wall_seconds']:.1f} s, {mb / many['wall_seconds']:.1f} MB/s, "
                  f"{corpus.opinions / many['wall_seconds']:.0f} opinions scanned/s, peak RSS per process {many['peak_rss_mb']:.0f} MB")

        scan_only = read_and_prefilter(corpus.files, seeds)
        for fmt, f in scan_only.items():
            print(f"read + prefilter only ({fmt}, no extraction): {text_mb[fmt]:.0f} MB of text "
                  f"({f['compressed_bytes'] / 1e6:.0f} MB compressed) in {f['seconds']:.1f} s = "
                  f"{text_mb[fmt] / f['seconds']:.1f} MB/s per core; {f['candidates']} candidates")

        ours = seed_refs(folder / "ours-1.db")
        naive, naive_figures = run_naive(corpus.files, seeds)
        naive_seconds = sum(f["seconds"] for f in naive_figures.values())
        for fmt, f in naive_figures.items():
            print(f"naive, 1 core ({fmt}): reading every opinion {f['read_seconds']:.1f} s, plus full extraction at "
                  f"{f['extract_mb_per_s']:.3f} MB/s (measured on the {f['texts']} distinct texts, "
                  f"{f['extract_bytes'] / 1e6:.1f} MB, {f['extract_seconds']:.1f} s) extrapolated to {f['bytes'] / 1e6:.1f} MB: "
                  f"{f['seconds']:.0f} s")
        planted = {(o, k) for o, k in corpus.planted.items()}
        planted_found = planted <= {(o, k) for o, _, _, k in ours}
        identical = ours == naive and planted_found
        ratio = naive_seconds / ours_seconds
        print(f"seed references: ours {len(ours)}, naive {len(naive)}, identical {ours == naive}; "
              f"planted {len(planted)}, all found {planted_found}")
        rows_per_s, rerun_rows_per_s, rows = writer_rate(folder)
        print(f"SQLite writer: {rows} reference rows in batches at {rows_per_s:,.0f} rows/s (first load), "
              f"{rerun_rows_per_s:,.0f} rows/s (the same opinions again)")
        by_format = {}
        for fmt in formats:
            f = per_format[fmt]
            by_format[fmt] = {
                "ratio": round(naive_figures[fmt]["seconds"] / f["wall_seconds"], 1),
                # Both sides without interpreter start and imports (the naive path is timed in-process);
                # ours still counts creating the database, the extractor's warm-up and the derived tables.
                "ratio_without_process_start": round(naive_figures[fmt]["seconds"] / f["job_seconds"], 1),
                "mb_per_s_per_core": round(f["mb"] / f["wall_seconds"], 1),
                "scan_only_mb_per_s_per_core": round(f["mb"] / scan_only[fmt]["seconds"], 1),
                "corpus_mb": round(f["mb"], 1),
            }
            # What bounds the ratio: reading (ours can never beat read + prefilter) and candidates
            # (each is fully extracted, as the naive path extracts everything).
            by_format[fmt]["ratio_bound_reading"] = round(naive_figures[fmt]["seconds"] / scan_only[fmt]["seconds"], 1)
            candidate_share = sum(per_candidate_bytes(corpus, fmt)) / max(1, corpus.text_bytes_by_format.get(fmt, 1))
            by_format[fmt]["ratio_bound_candidates"] = round(1 / candidate_share, 1) if candidate_share else None
            print(f"ratio (naive / ours, one core), {fmt}: {by_format[fmt]['ratio']:.0f}x at "
                  f"{by_format[fmt]['mb_per_s_per_core']:.0f} MB/s per core ({by_format[fmt]['ratio_without_process_start']:.0f}x "
                  f"with neither side counting interpreter start and imports); bounds: reading alone "
                  f"{by_format[fmt]['ratio_bound_reading']:.0f}x, extracting the planted candidates alone "
                  f"{by_format[fmt]['ratio_bound_candidates'] or float('inf'):.0f}x")
        print(f"ratio (naive / ours, one core), all files: {ratio:.0f}x")
        print(json.dumps({
            "ratio": round(ratio, 1),
            "mb_per_s_per_core": round(mb / ours_seconds, 2),
            # every opinion of the corpus, read or passed over unread by the prefilter
            "opinions_per_s": round(corpus.opinions / ours_seconds, 1),
            "peak_rss_mb": round(one["peak_rss_mb"], 1),
            "identical": identical,
            "sqlite_rows_per_s": round(rows_per_s),
            "sqlite_rerun_rows_per_s": round(rerun_rows_per_s),
            "corpus_mb": round(mb, 1),
            "format": args.format,
            "naive_extrapolated": True,
            "candidates_pct": round(100 * one["candidates"] / max(1, corpus.opinions), 3),
            "by_format": by_format,
            "cap_inflater": bulk_readers.INFLATER,
        }))
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            temp.cleanup()


if __name__ == "__main__":
    main()
