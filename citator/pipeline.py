"""The pipeline glue: harvest -> extract -> publish, each step recorded as a run.

This is the only module that sees all three stages. Each step opens the database, records a row in
`runs`, does its work, and closes the run with a status (ok, partial, failed) and counts.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Mapping, Sequence

import sqlite_utils

from citator.citations.extract import find_references
from citator.citations.models import Authority
from citator.config import Config
from citator.db import store
from citator.db.site import write_metadata
from citator.harvest.courtlistener import CourtListener
from citator.harvest.http import HarvestError, HttpClient

Report = Callable[[str], None]


@dataclass
class StepResult:
    """What a step did: its run id, status and counts, and messages for the user."""

    run_id: int
    status: str = "ok"
    counts: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


def _quiet(message: str) -> None:
    pass


def harvest(config: Config, db: sqlite_utils.Database, *, report: Report = _quiet, run_id: int | None = None) -> StepResult:
    """Fetch the seeds and their citing opinions from every enabled source.

    With `run_id` the step works inside that run (a refresh) and leaves finishing it to the caller.
    """
    own_run = run_id is None
    if run_id is None:
        run_id = store.start_run(db, "harvest")
    result = StepResult(run_id)
    seeds = config.seeds
    http = HttpClient.from_config(config.http)
    sources_used = 0
    try:
        cl = config.source("courtlistener")
        if cl.get("enabled", True):
            token = config.courtlistener_token
            if not token:
                message = (
                    f"CourtListener skipped: no API token. Set {config.courtlistener_token_env} "
                    "(free account at courtlistener.com, Profile > Developer tools) to harvest from it."
                )
                report(message)
                result.messages.append(message)
            else:
                source = CourtListener(
                    http,
                    cl["base_url"],
                    token,
                    requests_per_minute=float(cl.get("requests_per_minute", 4.5)),
                    token_env=config.courtlistener_token_env,
                )
                counts = source.harvest(db, seeds, run_id=run_id, max_cases=int(config.crawl.get("max_cases", 500)), report=report)
                result.counts.update(documents=counts.documents, new_cases=counts.new_cases, new_opinions=counts.new_opinions)
                sources_used += 1
        if sources_used == 0:
            result.status = "partial"
            result.messages.append("no source was harvested")
        store.store_authorities(db, seeds)
    except HarvestError as exc:
        store.record_error(db, run_id, exc.source or "harvest", str(exc), exc.url)
        if own_run:
            store.finish_run(db, run_id, "failed", str(exc))
        raise
    if own_run:
        store.finish_run(db, run_id, result.status, "; ".join(result.messages))
    return result


def extract(config: Config, db: sqlite_utils.Database, *, report: Report = _quiet, run_id: int | None = None) -> StepResult:
    """Find references to the seeds in the stored opinions and write them to `citations`.

    Incremental: an opinion is read again only when its text changed or when the extraction
    fingerprint (seeds, cue lexicon, extractor code, seed-to-case links) differs from the one it was
    read with, so a refresh with nothing new costs one query. An opinion is marked read (in
    `extractions`) only after its references were replaced, so a run that stops in between simply
    reads it again next time.
    """
    own_run = run_id is None
    if run_id is None:
        run_id = store.start_run(db, "extract")
    result = StepResult(run_id)
    seeds = config.seeds
    store.store_authorities(db, seeds)
    cited_case_ids = {row["key"]: row["case_id"] for row in db.query("select key, case_id from authorities")}
    fingerprint = extraction_fingerprint(seeds, cited_case_ids)
    new_refs = 0
    opinions = 0
    for opinion in store.opinions_to_extract(db, fingerprint):
        opinions += 1
        try:
            refs = find_references(opinion["text"], seeds, fmt=opinion["text_format"], opinion_part=_part(opinion["type"]))
        except Exception as exc:  # one bad document must not stop the run; it is recorded
            store.record_error(db, run_id, "extract", f"extraction failed: {exc.__class__.__name__}: {exc}", opinion["id"])
            result.status = "partial"
            continue
        new_refs += store.replace_references(db, opinion["id"], opinion["case_id"], refs, cited_case_ids=cited_case_ids, run_id=run_id)
        store.mark_extracted(db, opinion["id"], opinion["text_sha256"], fingerprint, len(refs), run_id)
    store.set_meta(db, "extraction_fingerprint", fingerprint)
    store.add_counts(db, run_id, new_references=new_refs)
    result.counts.update(opinions=opinions, new_references=new_refs)
    if opinions:
        report(f"extract: {opinions} opinions read, {new_refs} new references")
    else:
        report("extract: nothing new to read")
    if own_run:
        store.finish_run(db, run_id, result.status)
    return result


def extraction_fingerprint(seeds: Sequence[Authority], cited_case_ids: Mapping[str, str | None]) -> str:
    """SHA-256 over everything besides an opinion's text that decides its references: the seeds,
    the treatment cue lexicon (when the file exists), the extractor's code and version, and which
    case each seed resolved to. A change to any of them re-reads every opinion."""
    digest = hashlib.sha256()
    digest.update(json.dumps([s.to_dict() for s in seeds], sort_keys=True, default=str).encode())
    digest.update(json.dumps(dict(cited_case_ids), sort_keys=True).encode())
    digest.update(_code_version().encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    """citator's version plus a hash of the citations stage's code and data files (lexicon
    included), so an upgrade or a local edit of the extractor triggers re-extraction."""
    digest = hashlib.sha256()
    try:
        digest.update(importlib.metadata.version("citator").encode())
    except importlib.metadata.PackageNotFoundError:
        pass
    package = resources.files("citator.citations")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name.endswith((".py", ".toml", ".json")):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()


def _part(opinion_type: str | None) -> str:
    if opinion_type in ("concurrence", "dissent"):
        return opinion_type
    return "majority"


def publish(config: Config, db_path: Path, *, report: Report = _quiet) -> Path:
    """Write the Datasette metadata next to the database."""
    path = write_metadata(db_path)
    report(f"publish: wrote {path}")
    return path
