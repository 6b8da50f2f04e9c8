"""CourtListener REST API v4 source.

Finds each seed's cluster by citation, the clusters whose opinions cite it (search `cites:`), and the
text of every opinion involved, in as few requests as the free tier allows: search results already
carry case metadata, and opinion texts are fetched in batches with `id__in` and `fields`.
Facts on the API: ../shared/reference/courtlistener-api-v4.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import urljoin

import sqlite_utils

from citator.citations.models import Authority
from citator.db.store import (CaseRecord, OpinionRecord, add_counts, held_opinions_for_cite, opinions_per_case, stored_source_ids, upsert_case,
                              upsert_opinion)
from citator.harvest.http import HarvestError, HostPolicy, HttpClient, NotFound

SOURCE = "courtlistener"

#: Text fields in the order CourtListener itself recommends (richest and most reliable first).
TEXT_FIELDS = (
    ("html_with_citations", "html"),
    ("html_columbia", "html"),
    ("html_lawbox", "html"),
    ("xml_harvard", "xml"),
    ("html_anon_2020", "html"),
    ("html", "html"),
    ("plain_text", "text"),
)

#: Opinion type codes (DB endpoint) and slugs (search) mapped to the parts citator reports.
OPINION_TYPES = {
    "010combined": "combined", "combined-opinion": "combined",
    "015unamimous": "majority", "unanimous-opinion": "majority",
    "020lead": "majority", "lead-opinion": "majority",
    "025plurality": "majority", "plurality-opinion": "majority",
    "030concurrence": "concurrence", "concurrence-opinion": "concurrence",
    "035concurrenceinpart": "concurrence", "in-part-opinion": "concurrence",
    "040dissent": "dissent", "dissent": "dissent",
}

OPINION_FIELDS = "id,cluster_id,type,author_str,per_curiam," + ",".join(f for f, _ in TEXT_FIELDS)

_WS = re.compile(r"\s+")


def _clean_cite(cite: str) -> str:
    return _WS.sub(" ", cite).strip()


def best_text(opinion: dict[str, Any]) -> tuple[str, str, str] | None:
    """(text, format, field) of the richest non-empty text field, or None."""
    for name, fmt in TEXT_FIELDS:
        value = opinion.get(name)
        if isinstance(value, str) and value.strip():
            return value, fmt, name
    return None


@dataclass
class HarvestCounts:
    documents: int = 0
    new_cases: int = 0
    new_opinions: int = 0


class CourtListener:
    """Harvests seeds and their citing opinions from one CourtListener (or a mirror)."""

    def __init__(self, http: HttpClient, base_url: str, token: str | None, *, requests_per_minute: float = 4.5,
                 token_env: str = "COURTLISTENER_TOKEN") -> None:
        self.http = http
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.token = token
        http.register(self.base_url, HostPolicy(name="CourtListener", requests_per_minute=requests_per_minute, token_env=token_env))

    # -- low level ---------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"} if self.token else {}

    def _get(self, path_or_url: str, params: dict[str, Any] | None = None) -> Any:
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else urljoin(self.base_url, path_or_url)
        return self.http.get_json(url, params=params, headers=self._headers())

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every result of a paginated endpoint, following `next` verbatim until it is null."""
        page = self._get(path, params)
        while True:
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise HarvestError(f"CourtListener answered {path} without a results list", source=SOURCE)
            yield from page["results"]
            next_url = page.get("next")
            if not next_url:
                return
            page = self._get(next_url)

    # -- steps -------------------------------------------------------------------------------

    def find_cluster(self, cite: str) -> dict[str, Any] | None:
        """The search result (cluster) for a reporter citation, or None when CourtListener lacks it."""
        try:
            results = self._get("search/", {"type": "o", "citation": cite}).get("results") or []
        except NotFound:
            return None
        wanted = _clean_cite(cite)
        for result in results:
            if wanted in {_clean_cite(c) for c in result.get("citation", [])}:
                return result
        return None

    def citing_clusters(self, opinion_ids: Sequence[int]) -> Iterator[dict[str, Any]]:
        query = "cites:(" + " OR ".join(str(i) for i in opinion_ids) + ")"
        yield from self._pages("search/", {"type": "o", "q": query, "order_by": "dateFiled asc"})

    def opinions(self, opinion_ids: Sequence[int], batch: int = 20) -> Iterator[dict[str, Any]]:
        ids = sorted(set(opinion_ids))
        for i in range(0, len(ids), batch):
            chunk = ids[i : i + batch]
            yield from self._pages("opinions/", {"id__in": ",".join(map(str, chunk)), "fields": OPINION_FIELDS})

    # -- records -----------------------------------------------------------------------------

    def case_record(self, result: dict[str, Any], depth: int) -> CaseRecord:
        cluster_id = result["cluster_id"]
        return CaseRecord(
            id=f"cl:cluster:{cluster_id}",
            name=result.get("caseName") or result.get("caseNameFull") or f"cluster {cluster_id}",
            source=SOURCE,
            source_id=f"cluster:{cluster_id}",
            url=urljoin(self.base_url, result.get("absolute_url") or f"/opinion/{cluster_id}/"),
            court_id=result.get("court_id"),
            court=result.get("court"),
            decision_date=result.get("dateFiled"),
            docket_number=result.get("docketNumber"),
            citations=[(_clean_cite(c), "reporter") for c in result.get("citation", []) if c],
            depth=depth,
        )

    def opinion_record(self, opinion: dict[str, Any], case_id: str, ordinal: int) -> OpinionRecord | None:
        text = best_text(opinion)
        if text is None:
            return None
        body, fmt, field = text
        part = OPINION_TYPES.get(str(opinion.get("type")), "other")
        if opinion.get("per_curiam") and part in ("majority", "combined"):
            part = "per_curiam"
        return OpinionRecord(
            id=f"cl:opinion:{opinion['id']}",
            case_id=case_id,
            text=body,
            text_format=fmt,
            text_field=field,
            source=SOURCE,
            source_id=f"opinion:{opinion['id']}",
            url=urljoin(self.base_url, f"opinions/{opinion['id']}/"),
            type=part,
            author=opinion.get("author_str") or None,
            ordinal=ordinal,
        )

    # -- the harvest -------------------------------------------------------------------------

    def harvest(
        self,
        db: sqlite_utils.Database,
        seeds: Sequence[Authority],
        *,
        run_id: int | None = None,
        max_cases: int = 500,
        report: Callable[[str], None] = lambda message: None,
    ) -> HarvestCounts:
        counts = HarvestCounts()
        case_of_opinion: dict[int, str] = {}
        seed_opinion_ids: list[int] = []
        for seed in seeds:
            for cite in seed.citations:
                held = held_opinions_for_cite(db, cite, SOURCE)
                if held:  # already harvested: its opinion ids are all the crawl needs, no request
                    case_id, source_ids = held
                    for source_id in source_ids:
                        seed_opinion_ids.append(int(source_id.split(":")[1]))
                        case_of_opinion[seed_opinion_ids[-1]] = case_id
                    break
                result = self.find_cluster(cite)
                counts.documents += 1
                if result is None:
                    report(f"CourtListener has no cluster for {cite} ({seed.key})")
                    continue
                case_id, new = upsert_case(db, self.case_record(result, depth=0), run_id)
                counts.new_cases += int(new)
                for opinion in result.get("opinions", []):
                    seed_opinion_ids.append(opinion["id"])
                    case_of_opinion[opinion["id"]] = case_id
                break
        if not seed_opinion_ids:
            report("CourtListener: none of the seeds was found; nothing to follow")
            return counts
        citing = 0
        for result in self.citing_clusters(seed_opinion_ids):
            if citing >= max_cases:
                report(f"CourtListener: stopped at --max-cases {max_cases}")
                break
            case_id, new = upsert_case(db, self.case_record(result, depth=1), run_id)
            counts.new_cases += int(new)
            citing += 1
            for opinion in result.get("opinions", []):
                case_of_opinion.setdefault(opinion["id"], case_id)
        # Opinion texts already stored are not downloaded again (a no-change refresh fetches none).
        held = stored_source_ids(db, "opinions", SOURCE)
        wanted = [i for i in case_of_opinion if f"opinion:{i}" not in held]
        report(f"CourtListener: {citing} citing cases; fetching {len(wanted)} of {len(case_of_opinion)} opinion texts")
        ordinals: dict[str, int] = opinions_per_case(db, SOURCE)  # new opinions number on after stored ones
        for opinion in self.opinions(wanted):
            counts.documents += 1
            case_id = case_of_opinion.get(opinion.get("id"))
            if case_id is None:
                continue
            ordinal = ordinals.get(case_id, 0)
            record = self.opinion_record(opinion, case_id, ordinal)
            if record is None:
                continue
            ordinals[case_id] = ordinal + 1
            new, _changed = upsert_opinion(db, record)
            counts.new_opinions += int(new)
        add_counts(db, run_id, documents_fetched=counts.documents, new_cases=counts.new_cases, new_opinions=counts.new_opinions)
        return counts
