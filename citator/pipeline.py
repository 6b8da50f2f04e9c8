"""The pipeline glue: harvest -> extract -> publish, each step recorded as a run.

This is the only module that sees all three stages. Each step opens the database, records a row in
`runs`, does its work, and closes the run with a status (ok, partial, failed) and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import sqlite_utils

from citator.citations.extract import find_references
from citator.citations.models import Authority, Reference
from citator.citations.text import prepare_text
from citator.citations.treatment import classify_all
from citator.derived import rebuild_case_treatments, rebuild_withdrawn_risk
from citator.config import Config
from citator.db import store
from citator.db.site import publish_site
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


def harvest(config: Config, db: sqlite_utils.Database, *, report: Report = _quiet) -> StepResult:
    """Fetch the seeds and their citing opinions from every enabled source."""
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
        store.finish_run(db, run_id, "failed", str(exc))
        raise
    store.finish_run(db, run_id, result.status, "; ".join(result.messages))
    return result


def extract(config: Config, db: sqlite_utils.Database, *, report: Report = _quiet) -> StepResult:
    """Find and classify references in every stored opinion; rebuild the derived tables.

    References are sought to the seeds and, by citation only, to every other stored case, so the
    network between citing cases (second-degree reliance, withdrawn-risk propagation) is known.
    """
    run_id = store.start_run(db, "extract")
    result = StepResult(run_id)
    seeds = config.seeds
    store.store_authorities(db, seeds)
    seed_keys = {s.key for s in seeds}
    seed_case = {row["key"]: row["case_id"] for row in db.query("select key, case_id from authorities")}
    family_of_case = {seed_case[s.key]: s.family for s in seeds if seed_case.get(s.key) and s.family}
    court_of_case = {row["id"]: row["court_id"] for row in db.query("select id, court_id from cases")}
    others = _case_authorities(db, exclude=set(filter(None, seed_case.values())))
    authorities = [*seeds, *others]
    new_refs = 0
    opinions = 0
    for opinion in store.iter_opinions(db):
        opinions += 1
        case_id = opinion["case_id"]
        try:
            refs = find_references(
                opinion["text"], authorities, fmt=opinion["text_format"], opinion_part=_part(opinion["type"])
            )
            refs = [r for r in refs if r.authority_key != f"case:{case_id}"]  # a case citing itself
            refs = _classify(
                refs, opinion["text"], opinion["text_format"], authorities,
                citing_family=family_of_case.get(case_id), citing_court=court_of_case.get(case_id),
            )
        except Exception as exc:  # one bad document must not stop the run; it is recorded
            store.record_error(db, run_id, "extract", f"extraction failed: {exc.__class__.__name__}: {exc}", opinion["id"])
            result.status = "partial"
            continue
        refs = [_resolve_other(r, seed_keys) for r in refs]
        new_refs += store.replace_references(db, opinion["id"], case_id, refs, cited_case_ids=seed_case, run_id=run_id)
    pairs = rebuild_case_treatments(db)
    at_risk = rebuild_withdrawn_risk(db)
    store.add_counts(db, run_id, new_references=new_refs)
    result.counts.update(opinions=opinions, new_references=new_refs, case_treatments=pairs, withdrawn_risk_cases=at_risk)
    report(f"extract: {opinions} opinions read, {new_refs} new references, {at_risk} cases at withdrawn risk")
    store.finish_run(db, run_id, result.status)
    return result


def _classify(
    refs: list[Reference], text: str, fmt: str, authorities: list[Authority], **context: str | None
) -> list[Reference]:
    """Label each reference's treatment, reading HTML/XML opinions as the text a reader sees.

    Reference offsets point into the stored text (markup included); the classifier reads words, so
    for markup it works on the prepared text and the labels are copied back onto the references.
    """
    if fmt not in ("html", "xml") or not refs:
        return classify_all(refs, text, authorities, **context)
    prepared = prepare_text(text, fmt)
    shifted = []
    for ref in refs:
        start = prepared.working_pos(ref.start)
        end = max(start, prepared.working_pos(ref.end))
        shifted.append(replace(ref, start=start, end=end, as_written=prepared.text[start:end]))
    labelled = classify_all(shifted, prepared.text, authorities, **context)
    return [
        replace(ref, treatment=lab.treatment, confidence=lab.confidence, evidence=lab.evidence,
                sentence=ref.sentence or lab.sentence, paragraph=ref.paragraph or lab.paragraph,
                extra={**ref.extra, **lab.extra})
        for ref, lab in zip(refs, labelled)
    ]


def _case_authorities(db: sqlite_utils.Database, exclude: set[str]) -> list[Authority]:
    """Every stored non-seed case as an authority found by its citations only (no names)."""
    cites: dict[str, list[str]] = {}
    for row in db.query("select case_id, cite from case_citations order by case_id, cite"):
        if row["case_id"] not in exclude:
            cites.setdefault(row["case_id"], []).append(row["cite"])
    names = {row["id"]: row["name"] for row in db.query("select id, name from cases")}
    return [Authority(key=f"case:{cid}", name=names.get(cid) or cid, citations=tuple(c)) for cid, c in cites.items()]


def _resolve_other(ref: Reference, seed_keys: set[str]) -> Reference:
    """References to non-seed cases keep the case in `extra` and no authority key."""
    key = ref.authority_key
    if key and key not in seed_keys and key.startswith("case:"):
        ref.extra["cited_case_id"] = key[len("case:"):]
        ref.authority_key = None
    return ref


def _part(opinion_type: str | None) -> str:
    if opinion_type in ("concurrence", "dissent"):
        return opinion_type
    return "majority"


def publish(config: Config, db_path: Path, *, report: Report = _quiet) -> Path:
    """Rebuild the site's views and full-text indexes and write the Datasette metadata next to the database."""
    path = publish_site(db_path)
    report(f"publish: views and search rebuilt, wrote {path}")
    return path
