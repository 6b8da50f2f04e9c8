"""CourtListener REST API v4 source.

Finds each seed's cluster by citation, the clusters whose opinions cite it (search `cites:`), and the
text of every opinion involved, in as few requests as the free tier allows (about 125 a day): search
results already carry the case metadata (cluster, court, citations, cite count), opinion texts are
fetched twenty at a time with `id__in` and `fields`, every answer is cached on disk, and the work
lives in the crawl frontier with a daily request budget, so a crawl larger than a day continues on
the next run. Facts on the API: ../shared/reference/courtlistener-api-v4.md.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence
from urllib.parse import urljoin

from citator.db import corpus, frontier
from citator.db.corpus import upsert_case, upsert_opinion
from citator.db.records import CaseRecord, OpinionRecord, clean_cite
from citator.harvest import courtlistener_records as records
from citator.harvest.courtlistener_records import TEXT_FIELDS
from citator.harvest.crawl import Crawl, HarvestCounts, Seed, chunks, daily_budget, work_through
from citator.harvest.http import FOREVER, AuthenticationRequired, BadResponse, HostPolicy, HttpClient, origin

SOURCE = records.SOURCE
NAME = "CourtListener"

OPINION_FIELDS = "id,cluster_id,type,author_str,per_curiam," + ",".join(f for f, _ in TEXT_FIELDS)
BATCH = 20  # the API's page size: one request per twenty opinions


class CourtListener:
    """Harvests seeds and their citing opinions from one CourtListener (or a mirror)."""

    def __init__(
        self,
        http: HttpClient,
        base_url: str,
        token: str | None,
        *,
        requests_per_minute: float,
        token_env: str,
        daily_request_budget: int | None,
        listing_cache_hours: float,
        include_unpublished: bool,
    ) -> None:
        self.http = http
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.token = token
        self.daily_request_budget = daily_request_budget
        self.listing_ttl = listing_cache_hours * 3600
        # Search returns only published opinions unless asked; unpublished orders cite Bernstein too.
        self.status_params = {"stat_Published": "on", "stat_Unpublished": "on"} if include_unpublished else {}
        self.policy = http.register(
            self.base_url,
            HostPolicy(name=NAME, source=SOURCE, requests_per_minute=requests_per_minute, token_env=token_env,
                       cache_ttl=FOREVER),
        )
        self.base_url = self.policy.base_url  # without user-info: URLs built on it are stored

    # -- low level ---------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"} if self.token else {}

    def _get(self, path_or_url: str, params: dict[str, Any] | None = None, *, listing: bool = False) -> Any:
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else urljoin(self.base_url, path_or_url)
        if origin(url) != self.policy.origin:
            # A `next` link naming another host: never followed, so the token never travels there.
            raise BadResponse(f"{NAME} sent a link to another origin ({origin(url)}, not {self.policy.origin}); "
                              "not followed", source=SOURCE, url=url)
        page = self.http.get_json(url, params=params, headers=self._headers(), max_age=self.listing_ttl if listing else None)
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            raise BadResponse(f"{NAME} answered {url} without a results list", source=SOURCE, url=url)
        return page

    def _pages(self, path: str, params: dict[str, Any], *, listing: bool = False) -> Iterator[dict[str, Any]]:
        """Every result of a paginated endpoint, following `next` verbatim until it is null."""
        page = self._get(path, params, listing=listing)
        while True:
            yield from page["results"]
            if not page.get("next"):
                return
            page = self._get(page["next"], listing=listing)

    # -- records -----------------------------------------------------------------------------

    def case_record(self, result: dict[str, Any], depth: int) -> CaseRecord:
        """The case of a search result (search results carry the cluster's metadata)."""
        cluster_id = result["cluster_id"]
        return records.case_record(
            cluster_id,
            api_url=self.base_url,
            name=result.get("caseName") or result.get("caseNameFull") or f"cluster {cluster_id}",
            absolute_url=result.get("absolute_url"),
            court_id=result.get("court_id"),
            court=result.get("court"),
            decision_date=result.get("dateFiled"),
            docket_number=result.get("docketNumber"),
            citations=[(clean_cite(c), "reporter") for c in result.get("citation", []) if c],
            depth=depth,
        )

    def opinion_record(self, opinion: dict[str, Any], case_id: str, ordinal: int) -> OpinionRecord | None:
        return records.opinion_record(opinion, case_id, api_url=self.base_url, ordinal=ordinal,
                                      per_curiam=bool(opinion.get("per_curiam")))

    # -- the harvest -------------------------------------------------------------------------

    def harvest(self, crawl: Crawl, seeds: Sequence[Seed]) -> HarvestCounts:
        """Work through CourtListener's frontier: seeds, then citing cases depth by depth, then texts."""
        counts = HarvestCounts()
        db = crawl.db
        budget = daily_budget(db, SOURCE, NAME, self.daily_request_budget)
        self.policy.budget = budget
        crawl.queue_seeds(SOURCE, seeds)

        def handle(item: dict[str, Any]) -> Sequence[str]:
            if item["kind"] == "resolve":
                return self._resolve(crawl, item, counts)
            if item["kind"] == "citers":
                return self._citers(crawl, item, counts)
            if item["kind"] == "fetch":
                return self._fetch(crawl, item, counts)
            return [item["key"]]

        try:
            work_through(crawl, SOURCE, NAME, handle, counts, kinds=None if self.token else ("resolve", "citers"),
                         budget=budget)
            if not self.token:
                waiting = frontier.unfinished_count(crawl.db, SOURCE, "fetch")
                if waiting:
                    message = (f"{NAME}: {waiting} cases found but their texts not fetched: fetching opinion texts "
                               f"needs an API token; set {self.policy.token_env}.")
                    counts.stopped = message
                    crawl.report(message)
                    counts.messages.append(message)
        except AuthenticationRequired as exc:
            if self.token:
                raise
            # Without a token only search answers; say once what needs one and stop this source.
            counts.stopped = str(exc)
            crawl.error(SOURCE, str(exc), exc.url)
            crawl.report(str(exc))
            counts.messages.append(str(exc))
            counts.errors += 1
        return counts

    def _found(self, crawl: Crawl, result: dict[str, Any], depth: int, counts: HarvestCounts) -> str:
        """Store a cluster from a search result and queue its texts and (later) its citers."""
        case_id, new = upsert_case(crawl.db, self.case_record(result, depth), crawl.run_id)
        counts.add_case(new)
        cluster_id = result["cluster_id"]
        opinions = [{"id": o["id"], "type": o.get("type")} for o in result.get("opinions", []) if "id" in o]
        relevance = -float(result.get("citeCount") or 0)
        frontier.frontier_add(crawl.db, SOURCE, f"fetch:cluster:{cluster_id}", "fetch", depth=depth, priority=relevance,
                           payload={"case_id": case_id, "opinions": opinions}, run_id=crawl.run_id)
        if opinions:
            frontier.frontier_add(crawl.db, SOURCE, f"citers:cluster:{cluster_id}", "citers", depth=depth + 1,
                               priority=relevance, payload={"opinion_ids": [o["id"] for o in opinions]},
                               run_id=crawl.run_id)
        return case_id

    def _resolve(self, crawl: Crawl, item: dict[str, Any], counts: HarvestCounts) -> Sequence[str]:
        payload = item["payload"]
        for cite in payload["cites"]:
            page = self._get("search/", {"type": "o", "citation": cite}, listing=True)
            counts.documents += 1
            wanted = clean_cite(cite)
            for result in page["results"]:
                if wanted in {clean_cite(c) for c in result.get("citation", [])}:
                    self._found(crawl, result, 0, counts)
                    return [item["key"]]
        crawl.report(f"{NAME} has no cluster for {', '.join(payload['cites'])} ({payload['key']})")
        return [item["key"]]

    def _citers(self, crawl: Crawl, item: dict[str, Any], counts: HarvestCounts) -> Sequence[str]:
        ids = item["payload"]["opinion_ids"]
        if item["cursor"]:
            page = self._get(item["cursor"], listing=True)
        else:
            query = "cites:(" + " OR ".join(str(i) for i in ids) + ")"
            params = {"type": "o", "q": query, "order_by": "citeCount desc", **self.status_params}
            page = self._get("search/", params, listing=True)
        while True:
            counts.documents += 1
            for result in page["results"]:
                if crawl.room() <= 0 and not corpus.source_case_known(crawl.db, SOURCE, f"cluster:{result['cluster_id']}"):
                    return []  # max_cases reached: leave the listing where it is
                self._found(crawl, result, item["depth"], counts)
            next_url = page.get("next")
            if not next_url:
                return [item["key"]]
            frontier.frontier_cursor(crawl.db, SOURCE, item["key"], next_url)
            page = self._get(next_url, listing=True)

    def _fetch(self, crawl: Crawl, item: dict[str, Any], counts: HarvestCounts) -> Sequence[str]:
        """Fetch the texts of this cluster and of up to BATCH other waiting clusters in one request."""
        items = [item] + [
            other for other in frontier.frontier_next(crawl.db, SOURCE, kinds=("fetch",), limit=BATCH, max_depth=crawl.depth)
            if other["key"] != item["key"]
        ]
        wanted: dict[int, tuple[str, int]] = {}  # opinion id -> (case id, ordinal)
        taken: list[str] = []
        for candidate in items:
            opinions = candidate["payload"]["opinions"]
            if len(wanted) + len(opinions) > BATCH and wanted:
                break
            taken.append(candidate["key"])
            case_id = candidate["payload"]["case_id"]
            others = corpus.case_opinion_sources(crawl.db, case_id) - {SOURCE}
            if others:
                continue  # another source already supplied this case's text; provenance is in case_sources
            for ordinal, opinion in enumerate(opinions):
                wanted[opinion["id"]] = (case_id, ordinal)
        received: set[int] = set()
        for chunk in chunks(sorted(wanted), BATCH):
            for opinion in self._pages("opinions/", {"id__in": ",".join(map(str, chunk)), "fields": OPINION_FIELDS}):
                counts.documents += 1
                target = wanted.get(opinion.get("id"))
                if target is None:
                    continue
                received.add(opinion["id"])
                record = self.opinion_record(opinion, target[0], target[1])
                if record is None:
                    continue
                new, _changed = upsert_opinion(crawl.db, record)
                counts.new_opinions += int(new)
        missing = sorted(set(wanted) - received)
        if missing:
            # An answer without the opinions we asked for is not one we can trust: the item fails
            # (its writes roll back) and is retried on a later run.
            raise BadResponse(
                f"CourtListener's answer lacked opinion(s) {', '.join(map(str, missing[:5]))}"
                + (" ..." if len(missing) > 5 else ""),
                source=SOURCE,
            )
        return taken
