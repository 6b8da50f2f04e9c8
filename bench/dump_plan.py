"""A plan on paper for the whole CourtListener opinions dump, from the per-core figures that
`bench/bulk_scan.py` measured (its last line, the JSON object).

    python bench/bulk_scan.py --size-mb 64 | tail -1 > figures.json
    python bench/dump_plan.py figures.json                  # markdown table on stdout

Every input is either measured by bulk_scan.py on this machine (decode and scan rates per core,
the extractor's rate, the writer's and the shard merge's rows/s, decoded bytes per row and the
compression ratio of the bench's CourtListener dump, eyecite citations per opinion) or an estimate
given here and printed with the table: the number of opinions (about 10 million, the figure
third-party CourtListener clients state), the network bandwidth, and the share of opinions that
are seed candidates (the bench's plant rate, an upper bound: none of the 1,083 real opinions is one).
The stages overlap (workers stream their ranges while the one writer stores), so a run takes about
as long as its slowest stage.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def plan(figures: dict, *, opinions: float, worker_mb_per_s: float, source_mb_per_s: float,
         workers: tuple[int, ...] = (1, 8, 64, 256)) -> str:
    dump = figures["courtlistener_dump"]
    decoded = opinions * dump["decoded_bytes_per_row"] / 1e6  # MB
    compressed = decoded / dump["compression_ratio"]
    # Per CPU-second rather than per wall-clock second: on a shared machine the wall clock counts
    # other jobs' time, while a Dask worker owns its core. The scan's CPU time includes its decoding
    # thread, so what it adds to decoding is cutting rows, the prefilter and the candidates' extraction.
    decode_rate = dump.get("decode_only_cpu_mb_per_s", dump["decode_only_mb_per_s"])
    scan_rate = dump.get("scan_cpu_mb_per_s", dump["scan_mb_per_s"])
    decode_core_s = decoded / decode_rate
    scan_core_s = decoded / scan_rate
    # Cutting rows and the prefilter: from read + prefilter against decoding alone measured
    # interleaved in one process (the same load for both, no candidate extracted) where the
    # figures have it; else the scan's CPU rate against decoding's, taken at different moments
    # and counting the candidates' extraction as well.
    interleaved = dump.get("whole_share_of_decode_cpu_interleaved")
    prefilter_core_s = decode_core_s * (1 / interleaved - 1) if interleaved else max(0.0, scan_core_s - decode_core_s)
    prefilter_how = ("read + prefilter against decoding alone, interleaved in one process" if interleaved
                     else "measured with the bench's candidates")
    extract_rate = figures["by_format"]["cl_csv_bz2"]["extract_mb_per_s"]
    candidate_share = 1 / figures["plant_every"]
    seed_extract_core_s = decoded * candidate_share / extract_rate
    seed_rows = opinions * candidate_share
    writer = figures["sqlite_rows_per_s"]
    merge = figures["shard_merge"]
    graph_rows = opinions * figures["eyecite_citations_per_text"]
    graph_extract_core_s = decoded / extract_rate

    def hms(seconds: float) -> str:
        if seconds < 60:
            return f"{seconds:.0f} s"
        if seconds < 3600:
            return f"{seconds / 60:.0f} min"
        return f"{seconds / 3600:.1f} h"

    lines = [
        f"Inputs: {opinions / 1e6:.0f} million opinions (estimate) x {dump['decoded_bytes_per_row'] / 1e3:.0f} KB decoded per row "
        f"(the bench dump's, measured) = {decoded / 1e6:.2f} TB decoded; compression ratio {dump['compression_ratio']:.1f} "
        f"(the bench dump's, measured; an estimate for the real one) = {compressed / 1e3:.0f} GB to download; per CPU-second: bzip2 "
        f"decoding {decode_rate:.1f} MB, the scan {scan_rate:.1f} MB (decoding included)"
        + (f", read + prefilter {100 * interleaved:.0f}% of decoding's rate (interleaved)" if interleaved else "")
        + f"; extraction (wall clock) "
        f"{extract_rate:.2f} MB/s; writer {writer:,.0f} rows/s, per-worker shard {merge['per_shard_rows_per_s']:,.0f} rows/s, "
        f"merge {merge['merge_rows_per_s']:,.0f} rows/s; network {worker_mb_per_s:.0f} MB/s per worker, at most "
        f"{source_mb_per_s:.0f} MB/s from the source (assumed); seed candidates 1 in {figures['plant_every']} opinions "
        f"(assumed; an upper bound); full graph {figures['eyecite_citations_per_text']:.0f} citations per opinion, every kind (eyecite "
        f"on the bench's real opinions, measured).",
        "",
        "| Dask workers | " + " | ".join(str(n) for n in workers) + " |",
        "|---|" + "---|" * len(workers),
    ]

    def row(name: str, values: list[float]) -> None:
        lines.append(f"| {name} | " + " | ".join(hms(v) for v in values) + " |")

    download = [compressed / min(n * worker_mb_per_s, source_mb_per_s) for n in workers]
    row("download (each worker reads its ranges)", download)
    row("bzip2 decoding", [decode_core_s / n for n in workers])
    row(f"cutting rows + prefilter ({prefilter_how})", [prefilter_core_s / n for n in workers])
    row("extraction of the seed candidates (estimated from the plant rate)", [seed_extract_core_s / n for n in workers])
    row(f"SQLite write, seed mode ({seed_rows:,.0f} rows, one writer)", [seed_rows / writer for _ in workers])
    seed_total = [max(d, (decode_core_s + prefilter_core_s + seed_extract_core_s) / n, seed_rows / writer)
                  for d, n in zip(download, workers)]
    row("**seed mode, whole run**", seed_total)
    row("extraction, full graph (`--all`: every opinion)", [graph_extract_core_s / n for n in workers])
    row(f"SQLite write, full graph ({graph_rows / 1e6:.0f}M rows, one writer)", [graph_rows / writer for _ in workers])
    compute = [(decode_core_s + prefilter_core_s + graph_extract_core_s) / n for n in workers]
    row("**full graph, one writer**", [max(d, c, graph_rows / writer) for d, c in zip(download, compute)])
    sharded = [max(d, c, graph_rows / (n * merge["per_shard_rows_per_s"])) + graph_rows / merge["merge_rows_per_s"]
               for d, c, n in zip(download, compute, workers)]
    row("**full graph, per-worker shards merged at the end**", sharded)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("figures", type=Path, help="a file holding bulk_scan.py's last line (JSON)")
    parser.add_argument("--opinions", type=float, default=10e6, help="opinions in the dump (estimate; default 10 million)")
    parser.add_argument("--worker-mb-per-s", type=float, default=50, help="download bandwidth per worker (assumed)")
    parser.add_argument("--source-mb-per-s", type=float, default=1000, help="the source's total bandwidth (assumed)")
    args = parser.parse_args()
    figures = json.loads(args.figures.read_text(encoding="utf-8").strip().splitlines()[-1])
    print(plan(figures, opinions=args.opinions, worker_mb_per_s=args.worker_mb_per_s, source_mb_per_s=args.source_mb_per_s))


if __name__ == "__main__":
    main()
