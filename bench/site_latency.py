"""Latency of the Datasette site on a database at scale: p50/p95 of every canned query and main page.

    python bench/site_latency.py                       # 1,000,000 references over 100,000 cases
    python bench/site_latency.py --references 200000   # smaller, quicker

Builds a database with the real schema (`db.store.open_database`, so every migration and index
applies) and bulk inserts, in a temporary folder: INVENTED cases and references pointing at the
real seed authorities, with sentences cut from the real opinions in ../shared/bulk. Publishes it
with citator's own metadata (`citator.db.web.site.build_metadata`); the canned queries are read from
that metadata, so queries added to db/web/site.py are timed too. Pages are requested through
Datasette's in-process client, the way a browser would get them from `citator serve`. The last line
is one JSON object with `p95_ms` (the worst page's p95) and the slowest page.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import RECORDS  # noqa: E402
from citator.config import load_config  # noqa: E402
from citator import derived  # noqa: E402
from citator.db import corpus, records, runs, store  # noqa: E402
from citator.db.web import site, summaries  # noqa: E402
from citator.db.schema import CASES, CITATIONS, OPINIONS  # noqa: E402

KINDS = ("full", "short", "id", "supra", "name_only", "parallel")
SIGNALS = ("none", "see", "see also", "cf.", "but see", "accord", "quoting", "citing", "see, e.g.")
TREATMENTS = ("cited_neutral", "relied_on", "followed", "distinguished", "criticized_or_declined", "noted_withdrawn", None)
COURTS = ("ca1", "ca2", "ca3", "ca4", "ca5", "ca6", "ca7", "ca8", "ca9", "ca10", "ca11", "cadc", "cafc", "cand", "nysd", "dcd", "mad")


def sentences(limit: int = 20000) -> list[str]:
    """Real sentences from the bulk opinions (markup dropped), as context text of a realistic length."""
    found: list[str] = []
    if RECORDS.exists():
        with gzip.open(RECORDS, "rt", encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line).get("plain_text") or ""
                for sentence in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text)):
                    if 60 <= len(sentence) <= 400:
                        found.append(sentence)
                if len(found) >= limit:
                    break
    return found or ["INVENTED sentence citing Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir. 1999)."]


def _insert(db, table, rows: list[dict[str, Any]]) -> None:
    columns = [c.name for c in table.columns]
    sql = f"insert into {table.name} ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})"
    db.conn.executemany(sql, [tuple(r.get(c) for c in columns) for r in rows])


def build_database(path: Path, references: int, cases: int) -> float:
    """Write the database; returns reference rows inserted per second."""
    rng = random.Random(8)
    seeds = load_config(environ={}).seeds
    db = store.open_database(path)
    db.execute("PRAGMA cache_size = -131072")
    corpus.store_authorities(db, seeds)
    run_id = runs.start_run(db, "bench")
    texts = sentences()
    with db.atomic():
        seed_cases = []
        for n, seed in enumerate(seeds):
            seed_cases.append({"id": f"bench:seed:{n}", "name": seed.name, "court_id": seed.court, "decision_date": seed.decided,
                               "year": int(seed.decided[:4]), "citation": seed.primary_citation, "depth": 0, "first_seen_run": run_id})
        _insert(db, CASES, seed_cases)
        for n, seed in enumerate(seeds):
            db.execute("update authorities set case_id = ? where key = ?", [f"bench:seed:{n}", seed.key])
        batch: list[dict[str, Any]] = []
        opinions: list[dict[str, Any]] = []
        for n in range(cases):
            year = rng.randint(1996, 2025)
            batch.append({"id": f"bench:case:{n}", "name": f"INVENTED Party {n} v. INVENTED Agency {n % 977}", "court_id": rng.choice(COURTS),
                          "decision_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "year": year,
                          "citation": f"{rng.randint(1, 999)} F.3d {rng.randint(1, 1500)}", "depth": 1 if n % 10 else 2,
                          "first_seen_run": run_id, "updated_at": records.utcnow()})
            opinions.append({"id": f"bench:opinion:{n}", "case_id": f"bench:case:{n}", "type": "majority", "ordinal": 0,
                             "text": " ".join(rng.choice(texts) for _ in range(5)), "text_format": "text", "text_field": "plain_text",
                             "source": "bench", "source_id": str(n)})
            if len(batch) >= 10000:
                _insert(db, CASES, batch)
                _insert(db, OPINIONS, opinions)
                batch, opinions = [], []
        _insert(db, CASES, batch)
        _insert(db, OPINIONS, opinions)
    started = time.perf_counter()
    keys = [s.key for s in seeds]
    with db.atomic():
        rows: list[dict[str, Any]] = []
        for n in range(references):
            case = rng.randrange(cases)
            seed = rng.randrange(len(keys))
            sentence = rng.choice(texts)
            rows.append({"id": f"{n:020x}", "opinion_id": f"bench:opinion:{case}", "citing_case_id": f"bench:case:{case}",
                         "authority_key": keys[seed], "cited_case_id": f"bench:seed:{seed}", "as_written": "176 F.3d 1132",
                         "cite": seeds[seed].primary_citation, "kind": rng.choice(KINDS), "pin_cite": str(rng.randint(1132, 1145)),
                         "signal": rng.choice(SIGNALS), "span_start": n % 5000, "span_end": n % 5000 + 13, "sentence": sentence,
                         "context": sentence, "in_footnote": int(rng.random() < 0.2), "opinion_part": "majority", "ambiguous": 0,
                         "candidates": "[]", "treatment": rng.choice(TREATMENTS), "confidence": round(rng.random(), 2),
                         "evidence": "[]", "relies_on_withdrawn": int(rng.random() < 0.01), "first_seen_run": run_id})
            if len(rows) >= 50000:
                _insert(db, CITATIONS, rows)
                rows = []
        _insert(db, CITATIONS, rows)
    rate = references / (time.perf_counter() - started)
    runs.finish_run(db, run_id, "ok", "bench")
    derive(db)
    # No ANALYZE: citator never gathers planner statistics, so neither does the database timed here.
    db.conn.commit()
    db.close()
    return rate


def derive(db) -> None:
    """Rebuild the derived tables as every extract / bulk run does (case_treatments, withdrawn risk,
    the site's summary tables), printing what each costs at this size."""
    for name, step in (("case_treatments", derived.rebuild_case_treatments), ("withdrawn_risk", derived.rebuild_withdrawn_risk),
                       ("site summaries", summaries.rebuild_summaries)):
        started = time.perf_counter()
        step(db)
        print(f"derived: {name} rebuilt in {time.perf_counter() - started:.1f} s")


def _fill(sql: str, sample: dict[str, str]) -> dict[str, str]:
    """Values for a canned query's :parameters, by name; unknown ones get an empty string."""
    values = {}
    sql = re.sub(r"'[^']*'", "''", sql)  # ':citator:' inside a string literal is no parameter
    for name in dict.fromkeys(re.findall(r"(?<!:):([a-zA-Z_][a-zA-Z0-9_]*)", sql)):
        lowered = name.lower()
        match = next((v for k, v in sample.items() if k in lowered), "")
        values[name] = match
    return values


#: The later page timed for each paged canned query (db/web/queries.py, PAGE_SIZE rows a page).
DEEP_PAGE = "10"


def pages(metadata: dict[str, Any], name: str, case: str = "bench:case:4242") -> list[str]:
    """Main pages, every table page (with its default facets) and every canned query; `case` is a
    citing case held in the database, for the row pages."""
    base = f"/{name}"
    urls = ["/", base]
    tables = metadata["databases"][name].get("tables", {})
    for table in tables:
        urls.append(f"{base}/{table}")
    urls += [
        f"{base}/citations?authority_key=bernstein-9th",
        f"{base}/citations?treatment=distinguished&_sort_desc=first_seen_run",
        f"{base}/cases?_sort_desc=decision_date&court_id=ca9",
        f"{base}/cases/{case}",
        f"{base}/citations?citing_case_id={case}",
        f"{base}/authorities/bernstein-9th",
    ]
    sample = {"authority": "bernstein-9th", "key": "bernstein-9th", "seed": "bernstein-9th", "court": "ca9", "year": "2005",
              "since": "2000-01-01", "date": "2000-01-01", "run": "1", "case": case, "opinion": case.replace(":case:", ":opinion:"),
              "treatment": "distinguished", "kind": "full", "signal": "see", "q": "speech", "term": "speech", "search": "speech",
              "family": "bernstein", "limit": "50"}
    for query, spec in (metadata["databases"][name].get("queries") or {}).items():
        sql = spec["sql"] if isinstance(spec, dict) else spec
        params = _fill(sql, sample)
        first = {k: v for k, v in params.items() if k != "page"}  # a paged query's first page
        urls.append(f"{base}/{query}" + (f"?{urlencode(first)}" if first else ""))
        if "page" in params:  # and a later one, which costs its offset too
            urls.append(f"{base}/{query}?{urlencode({**first, 'page': DEEP_PAGE})}")
    return urls


async def measure(path: Path, repeats: int, immutable: bool, settings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    from datasette.app import Datasette

    options = site.datasette_options(path)  # citator's metadata, templates, plugin and settings
    options["settings"] = {**options["settings"], **(settings or {})}
    name = path.stem
    ds = Datasette(immutables=[str(path)] if immutable else None, files=None if immutable else [str(path)], **options)
    await ds.invoke_startup()
    import sqlite3

    with sqlite3.connect(path) as conn:
        row = conn.execute("select citing_case_id from citations order by rowid limit 1 offset 4242").fetchone() \
            or conn.execute("select citing_case_id from citations limit 1").fetchone()
        views = [r[0] for r in conn.execute("select name from sqlite_master where type = 'view' order by name")]
    urls = pages(options["metadata"], name, row[0] if row else "bench:case:0")
    urls += [f"/{name}/{view}" for view in views if f"/{name}/{view}" not in urls]  # views the site adds
    results = []
    for url in urls:
        first = await ds.client.get(url)
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = await ds.client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
        results.append({"url": url, "status": first.status_code, "p50_ms": statistics.median(timings), "p95_ms": p95,
                        "bytes": len(response.content)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--references", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20, help="requests per page (after one warm-up)")
    parser.add_argument("--serve", choices=("default", "immutable", "both"), default="default",
                        help="default: read-only and mutable, as plain `citator serve`; immutable: as `citator serve "
                             "--immutable`; both: time each, one after the other")
    parser.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a Datasette setting to serve with, as `citator serve` would pass it (repeatable)")
    parser.add_argument("--db", type=Path, help="time an existing database instead of building one")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if args.db:
        path = args.db
        store.open_database(path).close()  # migrate, then publish, as `citator serve` does
        site.publish_site(path)
        args.keep = True
    else:
        folder = Path(tempfile.mkdtemp(prefix="citator-site-"))
        path = folder / "citator.db"
        started = time.perf_counter()
        rate = build_database(path, args.references, min(args.cases, max(1, args.references)))
        site.publish_site(path)  # views, full-text search and metadata, as `citator publish` does
        print(f"database: {args.references:,} references over {args.cases:,} cases, {path.stat().st_size / 1e6:.0f} MB, "
              f"built in {time.perf_counter() - started:.0f} s (references inserted at {rate:,.0f} rows/s)")
    words = {"on": True, "true": True, "1": True, "off": False, "false": False, "0": False}
    settings = {name: words.get(value.lower(), int(value) if value.isdigit() else value) for name, value in args.setting}
    if settings:
        print(f"settings: {settings}")
    modes = {"default": [False], "immutable": [True], "both": [False, True]}[args.serve]
    summary: dict[str, Any] = {}
    for immutable in modes:
        label = "immutable" if immutable else "default"
        print(f"serving {label} ({'citator serve --immutable' if immutable else 'citator serve: read-only, mutable'}):")
        results = asyncio.run(measure(path, args.repeats, immutable, settings))
        width = max(len(r["url"]) for r in results)
        for r in results:
            flag = "" if r["status"] == 200 else f"  HTTP {r['status']}"
            print(f"  {r['url']:<{width}}  p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms{flag}")
        slowest = max(results, key=lambda r: r["p95_ms"])
        summary[label] = {"p95_ms": round(slowest["p95_ms"], 1), "slowest": slowest["url"], "pages": len(results),
                          "over_200_ms": sum(r["p95_ms"] >= 200 for r in results),
                          "errors": [r["url"] for r in results if r["status"] != 200]}
    import sqlite3

    with sqlite3.connect(path) as conn:
        held = conn.execute("select (select count(*) from citations), (select count(*) from cases)").fetchone()
    worst = max(summary, key=lambda label: summary[label]["p95_ms"])
    print(json.dumps({**summary[worst], "serve": worst, "references": held[0], "cases": held[1],
                      **({"by_serve": summary} if len(summary) > 1 else {})}))
    if not args.keep:
        import shutil

        shutil.rmtree(path.parent, ignore_errors=True)
    else:
        print(f"kept {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
