"""The pipeline glue: harvest -> extract -> publish, each step recorded as a run.

This is the only module that sees all three stages. Each step opens the database, records a row in
`runs`, does its work, and closes the run with a status (ok, partial, failed) and counts.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import sqlite_utils

from citator import citations
from citator.citations.models import TREATMENT_RANKING, Authority, Reference
from citator.citations.provenance import treatment_model_identity
from citator.citations.courts import exact_court_id
from citator.citations.litigation import family_of as litigation_family_of
from citator.db.web.summaries import rebuild_summaries, refresh_summaries
from citator.derived import rebuild_case_treatments, rebuild_withdrawn_risk
from citator import log
from citator.config import Config
from citator.db import corpus, frontier, references, runs, store
from citator.db.ranking import store_ranking
from citator.db.web.site import publish_site
from citator.harvest.cap import CaselawAccessProject
from citator.harvest.courtlistener import CourtListener
from citator.harvest.crawl import Crawl, HarvestCounts, Progress
from citator.harvest.http import HarvestError, HttpClient
from citator.harvest.local import LocalFolder

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


def harvest(
    config: Config,
    db: sqlite_utils.Database,
    *,
    report: Report = _quiet,
    progress: Progress | None = None,
    local_paths: Sequence[str | Path] = (),
    sources: Sequence[str] | None = None,
    depth: int | None = None,
    max_cases: int | None = None,
    run_id: int | None = None,
) -> StepResult:
    """Fetch the seeds and their citing opinions from every enabled source.

    Sources run in a fixed order (CourtListener, CAP, local folders), each working through its own
    crawl frontier, so a run stopped by a budget, a rate limit or a kill resumes on the next run.
    `sources` limits the run to some of them; `local_paths` (the --from option) imports those
    folders and, unless `sources` says otherwise, nothing else. With `run_id` the step works
    inside that run (a refresh) and leaves finishing it to the caller.
    """
    with runs.recorded_run(db, "harvest", run_id=run_id, failure=_harvest_failure) as run:
        result = _harvest(config, db, run.id, report=report, progress=progress, local_paths=local_paths,
                          sources=sources, depth=depth, max_cases=max_cases)
        run.status, run.message = result.status, "; ".join(result.messages)
    return result


def _harvest_failure(exc: BaseException) -> tuple[str, str]:
    """A harvest run that raised: failed, with the source's error, or `interrupted` for anything else."""
    return "failed", str(exc) if isinstance(exc, HarvestError) else "interrupted"


def _harvest(config: Config, db: sqlite_utils.Database, run_id: int, *, report: Report, progress: Progress | None,
             local_paths: Sequence[str | Path], sources: Sequence[str] | None, depth: int | None,
             max_cases: int | None) -> StepResult:
    """`harvest`'s work inside its run; the sources' request counts are added to the run however it ends."""
    result = StepResult(run_id)
    seeds = config.seeds
    http = HttpClient.from_config(config.http, cache_dir=config.cache_dir)
    crawl = Crawl(
        db,
        run_id,
        depth=int(depth or config.crawl["depth"]),
        max_cases=int(max_cases if max_cases is not None else config.crawl["max_cases"]),
        report=report,
        progress=progress,
        http=http,
    )
    if sources is None:
        sources = ("local",) if local_paths else ("courtlistener", "cap", "local")
    used: list[tuple[str, HarvestCounts]] = []
    try:
        cl = config.source("courtlistener")
        if "courtlistener" in sources and cl["enabled"]:
            token = config.courtlistener_token
            if not token and not cl["anonymous"]:
                message = (
                    f"CourtListener skipped: no API token. Set {config.courtlistener_token_env} "
                    "(free account at courtlistener.com, Profile > Developer tools) to harvest from it, or set "
                    "sources.courtlistener.enabled = false to stop this note."
                )
                # Said once, as a warning (so --quiet shows it), but not a failure: the run stays ok.
                log.get("harvest").warning(message)
                result.messages.append(message)
            else:
                source = CourtListener(
                    http,
                    cl["base_url"],
                    token,
                    requests_per_minute=float(cl["requests_per_minute"]),
                    token_env=config.courtlistener_token_env,
                    daily_request_budget=int(cl["daily_request_budget"]),
                    listing_cache_hours=float(cl["listing_cache_hours"]),
                    include_unpublished=bool(cl["include_unpublished"]),
                )
                frontier.frontier_reopen(db, "courtlistener", ["citers"], float(cl["revisit_days"]))
                used.append(("courtlistener", source.harvest(crawl, seeds)))
        cap = config.source("cap")
        if "cap" in sources and cap["enabled"]:
            source_cap = CaselawAccessProject(
                http,
                cap["base_url"],
                court_ids=exact_court_id,
                reporters=cap["reporters"],
                from_year=int(cap["from_year"]),
                to_year=int(cap["to_year"]),
                requests_per_minute=float(cap["requests_per_minute"]),
                daily_request_budget=int(cap["daily_request_budget"]),
                cache_days=float(cap["cache_days"]),
            )
            frontier.frontier_reopen(db, "cap", ["scan"], float(cap["revisit_days"]))
            used.append(("cap", source_cap.harvest(crawl, seeds)))
        paths = list(local_paths) or list(config.source("local")["paths"])
        if "local" in sources and paths:
            max_mb = float(config.source("local")["max_file_mb"])
            used.append(("local", LocalFolder(paths, max_mb=max_mb, court_ids=exact_court_id).harvest(crawl)))
        if not used:  # every source disabled or skipped by configuration: said, not a failure
            message = "no source was harvested (each is disabled, has no token, or has no paths configured)"
            report(message)
            result.messages.append(message)
        corpus.store_authorities(db, seeds)
    except HarvestError as exc:
        runs.record_error(db, run_id, exc.source or "harvest", str(exc), exc.url)
        runs.add_counts(db, run_id, documents_fetched=http.requests_made)
        raise
    except BaseException:
        runs.add_counts(db, run_id, documents_fetched=http.requests_made)
        raise
    new_cases = sum(c.new_cases for _, c in used)
    new_opinions = sum(c.new_opinions for _, c in used)
    runs.add_counts(db, run_id, documents_fetched=http.requests_made, new_cases=new_cases, new_opinions=new_opinions)
    result.counts.update(requests=http.requests_made, cached=http.cache_hits, new_cases=new_cases, new_opinions=new_opinions)
    for name, counts in used:
        result.messages.extend(counts.messages)
        if counts.errors or (counts.stopped and "budget" not in counts.stopped):
            result.status = "partial"
    return result


def extract(config: Config, db: sqlite_utils.Database, *, report: Report = _quiet, run_id: int | None = None) -> StepResult:
    """Find and classify references in the stored opinions; rebuild the derived tables.

    References are sought to the seeds and, by citation only, to every other stored case, so the
    network between citing cases (second-degree reliance, withdrawn-risk propagation) is known.

    Incremental: an opinion is read again only when its text changed, when the extraction
    fingerprint (seeds, cue lexicon, extractor code, seed-to-case links) differs from the one it
    was read with, or when a newly stored case's citation appears in it. An opinion is marked read
    (in `extractions`) only after its references were replaced, so a run that stops in between
    simply reads it again next time. With `run_id` the step works inside that run.
    """
    with runs.recorded_run(db, "extract", run_id=run_id) as run:
        result = _extract(config, db, run.id, report=report)
        run.status = result.status
    return result


def _extract(config: Config, db: sqlite_utils.Database, run_id: int, *, report: Report) -> StepResult:
    """`extract`'s work inside its run."""
    result = StepResult(run_id)
    seeds = config.seeds
    corpus.store_authorities(db, seeds)
    seed_keys = {s.key for s in seeds}
    seed_case = corpus.seed_case_ids(db)
    family_of_case = {seed_case[s.key]: s.family for s in seeds if seed_case.get(s.key) and s.family}
    court_of_case = corpus.case_courts(db)
    # same litigation from case identity (both parties), never from a first word
    for case_id, name in corpus.case_names(db).items():
        family_of_case.setdefault(case_id, litigation_family_of(name, seeds))
    others = _case_authorities(db, exclude=set(filter(None, seed_case.values())))
    seeds = _with_case_citations(db, seeds, seed_case)
    authorities = [*seeds, *others]
    fingerprint = extraction_fingerprint(seeds, seed_case)
    other_cites = sorted({cite for a in others for cite in a.citations})
    known_cites = set(json.loads(store.get_meta(db, "extraction_other_cites") or "[]"))
    added_cites = [c for c in other_cites if c not in known_cites]
    new_refs = 0
    opinions = 0
    for opinion in _opinions_to_read(db, fingerprint, added_cites):
        opinions += 1
        case_id = opinion["case_id"]
        try:
            refs = citations.read_opinion(  # imported on first use: eyecite only when reading
                opinion["text"], authorities, fmt=opinion["text_format"], opinion_part=_part(opinion["type"]),
                citing_court=court_of_case.get(case_id), citing_family=family_of_case.get(case_id),
                self_key=f"case:{case_id}",
            )
        except Exception as exc:  # one bad document must not stop the run; it is recorded
            runs.record_error(db, run_id, "extract", f"extraction failed: {exc.__class__.__name__}: {exc}", opinion["id"])
            result.status = "partial"
            continue
        refs = [_resolve_other(r, seed_keys) for r in refs]
        new_refs += references.replace_references(db, opinion["id"], case_id, refs, cited_case_ids=seed_case, run_id=run_id)
        corpus.mark_extracted(db, opinion["id"], opinion["text_sha256"], fingerprint, len(refs), run_id)
    store.set_meta(db, "extraction_fingerprint", fingerprint)
    store.set_meta(db, "extraction_other_cites", json.dumps(other_cites))
    pairs = rebuild_case_treatments(db)
    at_risk = rebuild_withdrawn_risk(db)
    # The site's summary tables (reliance, ...) read the references and case_treatments: rebuilt
    # whenever an opinion was read again; otherwise only if something else they read changed (a
    # rebuild regroups every reference: tens of seconds at a million, for a no-change refresh).
    if opinions:
        rebuild_summaries(db)
    else:
        refresh_summaries(db)
    runs.add_counts(db, run_id, new_references=new_refs)
    result.counts.update(opinions=opinions, new_references=new_refs, case_treatments=pairs, withdrawn_risk_cases=at_risk)
    if opinions:
        report(f"extract: {opinions} opinions read, {new_refs} new references, {at_risk} cases at withdrawn risk")
    else:
        report("extract: nothing new to read")
    return result


def _opinions_to_read(db: sqlite_utils.Database, fingerprint: str, added_cites: Sequence[str]) -> Iterable[dict]:
    """Opinions to (re)read: changed text or fingerprint, plus already-read opinions that may cite
    a newly stored case (its volume and page both occur in the text, a cheap and lossless test)."""
    seen: set[str] = set()
    for opinion in corpus.opinions_to_extract(db, fingerprint):
        seen.add(opinion["id"])
        yield opinion
    if not added_cites:
        return
    parts = [(c.split(" ", 1)[0], c.rsplit(" ", 1)[-1]) for c in added_cites]
    # ids first: the caller writes `extractions` while this generator is suspended
    read_before = corpus.extracted_opinion_ids(db)
    for opinion_id in read_before:
        if opinion_id in seen:
            continue
        opinion = corpus.opinion_to_read(db, opinion_id)
        if opinion is None:
            continue
        text = opinion["text"] or ""
        if any(volume in text and page in text for volume, page in parts):
            yield opinion


def _with_case_citations(
    db: sqlite_utils.Database, seeds: Sequence[Authority], seed_case: Mapping[str, str | None]
) -> list[Authority]:
    """The seeds with every reporter citation their stored case has (`case_citations`: parallel,
    Westlaw and neutral cites a source supplied), after the configured ones, so an opinion that
    cites a seed only in another reporter is still read as citing it. Part of the fingerprint:
    a newly learnt parallel cite re-reads the opinions."""
    out = []
    for seed in seeds:
        case_id = seed_case.get(seed.key)
        extra = corpus.citations_of_case(db, case_id) if case_id else []
        extra = [c for c in extra if c not in seed.citations]
        out.append(replace(seed, citations=(*seed.citations, *extra)) if extra else seed)
    return out


def _case_authorities(db: sqlite_utils.Database, exclude: set[str]) -> list[Authority]:
    """Every stored non-seed case as an authority found by its citations only (no names)."""
    cites = {case_id: c for case_id, c in corpus.citations_by_case(db).items() if case_id not in exclude}
    names = corpus.case_names(db)
    return [Authority(key=f"case:{cid}", name=names.get(cid) or cid, citations=tuple(c)) for cid, c in cites.items()]


def _resolve_other(ref: Reference, seed_keys: set[str]) -> Reference:
    """References to non-seed cases keep the case in `extra` and no authority key."""
    key = ref.authority_key
    if key and key not in seed_keys and key.startswith("case:"):
        ref.extra["cited_case_id"] = key[len("case:"):]
        ref.authority_key = None
    return ref


def extraction_fingerprint(seeds: Sequence[Authority], cited_case_ids: Mapping[str, str | None]) -> str:
    """SHA-256 over everything besides an opinion's text that decides its references: the seeds,
    the extractor's code and version, the treatment model's identity (its lexicon and trained
    weights, `citations.treatment_model_identity`), and which case each seed resolved to. A change
    to any of them re-reads and re-labels every opinion."""
    digest = hashlib.sha256()
    digest.update(json.dumps([s.to_dict() for s in seeds], sort_keys=True, default=str).encode())
    digest.update(json.dumps(dict(cited_case_ids), sort_keys=True).encode())
    digest.update(_code_version().encode())
    digest.update(treatment_model_identity().sha256.encode())
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
    """Rebuild the site's views and full-text indexes and write the Datasette metadata next to the database."""
    db = store.open_database(db_path)
    try:
        store_ranking(db, TREATMENT_RANKING)  # the site ranks treatments as the classifier defines them
    finally:
        db.close()
    path = publish_site(db_path)
    report(f"publish: views and search rebuilt, wrote {path}")
    return path
