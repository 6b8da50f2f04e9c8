"""Extraction time as inputs grow: per MB of text, and per nested tag.

Issue 20.7: no step of extraction may grow faster than the input. This prints, for plain texts
of 0.1 MB to 10 MB built from a synthetic opinion paragraph (every copy cites different cases,
with short cites, id. and names, so the number of references and authorities grows with the
text), and for HTML of 1k to 100k nested tags, the time per MB (or per 1k tags) and its ratio
to the smallest size. A linear extractor keeps the ratios near 1; the goal is within 1.5x.

Extraction runs with Python's garbage collector set as every `citator` command sets it
(`citator.collector`: what is loaded frozen, fewer and larger collections), so the figures are
what `citator cite` and harvesting cost; `--default-gc` measures with CPython's default settings.

The paragraph imitates how opinions cite; it is not taken from any opinion.

    python bench/extract_scale.py                 # 0.1..10 MB and 1k..100k tags (a few minutes)
    python bench/extract_scale.py --quick         # 0.1..1 MB and 1k..10k tags
    python bench/extract_scale.py --all-cases     # --all mode: 300..3000 cited cases, and a shared name
    python bench/extract_scale.py --default-gc    # the same with CPython's default collector settings
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citator.citations.extract import find_references  # noqa: E402
from citator.citations.models import Authority  # noqa: E402
from citator.collector import collector_for_commands  # noqa: E402
from citator.citations import hscache  # noqa: E402
from citator.config import hyperscan_cache_dir  # noqa: E402

hscache.use_directory(hyperscan_cache_dir)  # as the CLI does: compiled Hyperscan databases kept between runs

SEEDS = [
    Authority(
        key="bernstein-9th",
        name="Bernstein v. United States Dep't of Justice",
        citations=("176 F.3d 1132",),
        short_names=("Bernstein",),
    )
]


def paragraph(i: int) -> str:
    """One paragraph citing three cases of its own (volumes and names vary with `i`)."""
    vol = 100 + i % 800
    page = 10 + (i * 7) % 900
    return (
        f"The court in Alpha{i} v. Beta{i}, {vol} F.3d {page}, {page + 3} (9th Cir. 1999), held that the "
        f"statute reached speech. See also Gamma{i} Corp. v. Delta{i}, {vol + 1} U.S. {page + 1}, "
        f"{page + 2} (2001) (quoting Alpha{i}, {vol} F.3d at {page + 4}). Id. at {page + 3}. "
        f"In Alpha{i}, the panel relied on Bernstein v. United States Dep't of Justice, 176 F.3d "
        f"1132, 1141 (9th Cir. 1999). Bernstein, 176 F.3d at 1145. Gamma{i} Corp., {vol + 1} U.S. at "
        f"{page + 5}; cf. 42 U.S.C. § 1983.\n\n"
    )


def text_of_size(size: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        p = paragraph(i)
        parts.append(p)
        total += len(p)
        i += 1
    return "".join(parts)


def nested_html(tags: int) -> str:
    inner = "<p>See Bernstein v. United States Dep't of Justice, 176 F.3d 1132 (9th Cir. 1999).</p>"
    return "<div>" * tags + inner + "</div>" * tags


def timed(text: str, fmt: str, repeat: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of the fastest of `repeat` runs. The ratios are taken on CPU
    time: on a machine shared with other jobs the wall clock mostly measures the other jobs."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        find_references(text, SEEDS, fmt=fmt)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - t0)
    return best_cpu, best_wall


def many_cases(n: int, same_name: bool) -> str:
    """A brief citing `n` cases, each named again afterwards ("In Smith, ..."); with
    `same_name` every case goes by "Smith" (each still a different case)."""
    parts = []
    for i in range(n):
        name = "Smith" if same_name else f"Party{i}"
        parts.append(f"See {name} v. Other{i}, {100 + i % 800} F.3d {10 + i}, {12 + i} (9th Cir. 2001). ")
        parts.append(f"In {name}, the court held that speech was protected. Id. at {13 + i}.\n\n")
    return "".join(parts)


def all_cases_scaling() -> None:
    """`--all` mode (every cited case is a target): CPU seconds per cited case as their number
    grows, with distinct names and with one name shared by all."""
    find_references(many_cases(20, False), [], all_cases=True)
    rows = []
    for same in (False, True):
        base = None
        for n in (300, 1000, 3000) if not same else (100, 300, 1000, 3000):
            text = many_cases(n, same)
            c0 = time.process_time()
            find_references(text, [], all_cases=True)
            secs = time.process_time() - c0
            per_case = secs / n
            base = base or per_case
            label = "one shared name" if same else "distinct names"
            print(f"  --all, {label:>15}: {n:>5} cases  {secs:7.2f} CPU s  {1000 * per_case:6.2f} ms/case  x{per_case / base:.2f}", flush=True)
            rows.append({"same_name": same, "cases": n, "cpu_seconds": round(secs, 3), "ratio": round(per_case / base, 2)})
    print(json.dumps({"benchmark": "extract_scale_all_cases", "rows": rows}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes only")
    ap.add_argument("--all-cases", action="store_true", help="only `--all` mode with many cited cases")
    ap.add_argument("--default-gc", action="store_true", help="CPython's default collector settings, not citator's")
    args = ap.parse_args()
    collector = contextlib.nullcontext() if args.default_gc else collector_for_commands()
    with collector:
        print(f"garbage collector thresholds: {gc.get_threshold()}"
              + (" (CPython's defaults)" if args.default_gc else " (as citator commands set them)"))
        if args.all_cases:
            all_cases_scaling()
        else:
            text_and_tags_scaling(args.quick)


def text_and_tags_scaling(quick: bool) -> None:
    """CPU seconds per MB of plain text and per 1k nested tags, and their ratios to the smallest size."""
    sizes_mb = [0.1, 0.3, 1.0] if quick else [0.1, 0.3, 1.0, 3.0, 10.0]
    depths = [1000, 3000, 10000] if quick else [1000, 3000, 10000, 30000, 100000]
    timed(text_of_size(20_000), "text", 1)  # warm up eyecite and the tokenizer

    result: dict[str, list[dict[str, float]]] = {"text": [], "nested_tags": []}
    print(f"load average at start: {os.getloadavg()[0]:.2f} (CPU seconds are this process's own)")
    print("plain text: CPU seconds per MB (wall clock beside it)")
    base = None
    for mb in sizes_mb:
        text = text_of_size(int(mb * 1_000_000))
        secs, wall = timed(text, "text", 2 if mb < 3 else 1)
        per_mb = secs / (len(text) / 1_000_000)
        base = base or per_mb
        result["text"].append(
            {"mb": mb, "cpu_seconds": round(secs, 3), "wall_seconds": round(wall, 3), "s_per_mb": round(per_mb, 3), "ratio": round(per_mb / base, 2)}
        )
        print(f"  {mb:>5} MB  {secs:8.2f} s  {per_mb:7.2f} s/MB  x{per_mb / base:.2f}   (wall {wall:.2f} s)", flush=True)
    print("nested HTML tags: CPU seconds per 1k tags")
    base = None
    for n in depths:
        secs, wall = timed(nested_html(n), "html", 2 if n < 30000 else 1)
        per_k = secs / (n / 1000)
        base = base or per_k
        result["nested_tags"].append(
            {"tags": n, "cpu_seconds": round(secs, 3), "wall_seconds": round(wall, 3), "s_per_1k": round(per_k, 4), "ratio": round(per_k / base, 2)}
        )
        print(f"  {n:>7} tags  {secs:8.3f} s  {per_k:7.4f} s/1k  x{per_k / base:.2f}   (wall {wall:.2f} s)", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    worst = max(r["ratio"] for rows in result.values() for r in rows)
    print(f"largest ratio to the smallest size: x{worst:.2f} (goal: within 1.5x)")
    print(json.dumps({"benchmark": "extract_scale", **result, "worst_ratio": worst}))


if __name__ == "__main__":
    main()
