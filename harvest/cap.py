"""Caselaw Access Project source: the static file tree at static.case.law (no token, no search).

A citation is resolved through the files CAP publishes: ReportersMetadata.json (reporter -> slug),
the reporter's VolumesMetadata.json (volume -> folder) and the volume's CasesMetadata.json (every
case of the volume without its text); then the case JSON gives the opinions, each kept separately
with its type and author, and the case's HTML file their text: each opinion's article, where the
footnote marks and notes stand in reading order (the JSON text drops the marks; `cap_html.py`).
CAP has no "cited by", but every CasesMetadata entry carries the case's `cites_to` list, so citing
cases are found by scanning the case lists of the configured reporters' volumes from the configured
year on, one volume per frontier item, so the scan is resumable and bounded. CAP's `cites_to` is
stored as data in `cap_cites_to`; citator never parses citations here.
Facts on the files: ../shared/reference/cap-static.md.
"""

from __future__ import annotations

from typing import Any, Sequence
from urllib.parse import urljoin

from citator.db import corpus, frontier
from citator.db.corpus import upsert_case, upsert_opinion
from citator.db.records import CaseRecord
from citator.harvest import cap_html, cap_records
from citator.harvest.cap_records import CourtIds, case_name, cites_to_rows
from citator.harvest.crawl import Crawl, HarvestCounts, Seed, clean_cite, daily_budget, normalize_cite, work_through
from citator.harvest.http import (BadResponse, BudgetExhausted, HarvestError, HostPolicy, HttpClient, NotFound,
                                  StopSource)

SOURCE = cap_records.SOURCE
NAME = "Caselaw Access Project"


class CaselawAccessProject:
    """Harvests seeds and the cases citing them from static.case.law (or a mirror of it)."""

    def __init__(
        self,
        http: HttpClient,
        base_url: str,
        *,
        court_ids: CourtIds,
        reporters: Sequence[str],
        from_year: int,
        to_year: int,
        requests_per_minute: float,
        daily_request_budget: int | None,
        cache_days: float,
    ) -> None:
        self.http = http
        self.court_ids = court_ids
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.reporters = list(reporters)
        self.from_year = from_year
        self.to_year = to_year
        self.daily_request_budget = daily_request_budget
        self.policy = http.register(
            self.base_url, HostPolicy(name=NAME, source=SOURCE, requests_per_minute=requests_per_minute,
                                  cache_ttl=cache_days * 86400)
        )
        self.base_url = self.policy.base_url  # without user-info: URLs built on it are stored
        self._slugs: dict[str, str] | None = None
        self._volumes: dict[str, list[dict[str, Any]]] = {}
        self._targets_at: dict[int, tuple[set[str], set[int]]] = {}

    # -- the file tree -----------------------------------------------------------------------

    def _json(self, path: str, expect: type) -> Any:
        url = urljoin(self.base_url, path)
        value = self.http.get_json(url)
        if not isinstance(value, expect):
            raise BadResponse(f"{NAME} answered {url} with an unexpected shape", source=SOURCE, url=url)
        return value

    def slug(self, reporter: str) -> str | None:
        """The folder of a reporter ("F. Supp." -> "f-supp"), from ReportersMetadata.json."""
        if self._slugs is None:
            try:
                entries = self._json("ReportersMetadata.json", list)
            except NotFound:
                # Not "CAP lacks this case": the whole tree is missing, so nothing may be marked done.
                url = urljoin(self.base_url, "ReportersMetadata.json")
                raise BadResponse(f"{NAME} has no ReportersMetadata.json at {url}; check sources.cap.base_url",
                                  source=SOURCE, url=url) from None
            self._slugs = {}
            for entry in entries:
                if isinstance(entry, dict) and isinstance(entry.get("short_name"), str) and isinstance(entry.get("slug"), str):
                    self._slugs.setdefault(normalize_cite(entry["short_name"]), entry["slug"])
        return self._slugs.get(normalize_cite(reporter))

    def volumes(self, slug: str) -> list[dict[str, Any]]:
        if slug not in self._volumes:
            try:
                entries = self._json(f"{slug}/VolumesMetadata.json", list)
            except NotFound:
                entries = []
            self._volumes[slug] = [e for e in entries if isinstance(e, dict)]
        return self._volumes[slug]

    def cases_metadata(self, slug: str, folder: str) -> list[dict[str, Any]]:
        return [c for c in self._json(f"{slug}/{folder}/CasesMetadata.json", list) if isinstance(c, dict)]

    def find(self, cite: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Every (slug, folder, case metadata) CAP holds under `cite`; empty when CAP lacks it."""
        volume, _, rest = clean_cite(cite).partition(" ")
        reporter, _, page = rest.rpartition(" ")
        slug = self.slug(reporter) if reporter else None
        if not slug:
            return []
        wanted = normalize_cite(cite)
        found = []
        for entry in self.volumes(slug):
            if str(entry.get("volume_number")) != volume:
                continue
            folder = str(entry.get("volume_folder") or volume)
            try:
                cases = self.cases_metadata(slug, folder)
            except NotFound:
                continue
            for case in cases:
                cites = {normalize_cite(c.get("cite", "")) for c in case.get("citations", []) if isinstance(c, dict)}
                if wanted in cites:
                    found.append((slug, folder, case))
        return found

    # -- records -----------------------------------------------------------------------------

    def case_record(self, case: dict[str, Any], slug: str, folder: str, depth: int) -> CaseRecord:
        url = urljoin(self.base_url, f"{slug}/{folder}/html/{case.get('file_name')}.html")
        return cap_records.case_record(case, court_ids=self.court_ids, url=url, depth=depth)

    def _store_case(self, crawl: Crawl, case: dict[str, Any], slug: str, folder: str, depth: int,
                    counts: HarvestCounts) -> str:
        """Store a case from its metadata, with CAP's cites_to, and queue the fetch of its text."""
        case_id, new = upsert_case(crawl.db, self.case_record(case, slug, folder, depth), crawl.run_id)
        counts.add_case(new)
        corpus.store_cap_cites_to(crawl.db, int(case["id"]), case_id, cites_to_rows(case))
        analysis = case.get("analysis") or {}
        pagerank = (analysis.get("pagerank") or {}).get("percentile") if isinstance(analysis, dict) else None
        frontier.frontier_add(
            crawl.db, SOURCE, f"fetch:case:{case['id']}", "fetch", depth=depth, priority=-float(pagerank or 0),
            payload={"case_id": case_id, "path": f"{slug}/{folder}/cases/{case.get('file_name')}.json",
                     "slug": slug, "folder": folder},
            run_id=crawl.run_id,
        )
        return case_id

    # -- the harvest -------------------------------------------------------------------------

    def harvest(self, crawl: Crawl, seeds: Sequence[Seed]) -> HarvestCounts:
        counts = HarvestCounts()
        db = crawl.db
        budget = daily_budget(db, SOURCE, NAME, self.daily_request_budget)
        self.policy.budget = budget
        crawl.queue_seeds(SOURCE, seeds)
        try:
            self._queue_scans(crawl, seeds)
        except (BudgetExhausted, StopSource) as exc:
            counts.stopped = str(exc)
            if isinstance(exc, StopSource):
                crawl.error(SOURCE, str(exc), exc.url)
            crawl.report(str(exc))
            counts.messages.append(str(exc))
            return counts
        except BadResponse as exc:  # a listing we cannot read: scan what is already queued
            crawl.error(SOURCE, str(exc), exc.url)
            counts.errors += 1
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # valid JSON of a shape we do not know
            message = f"{NAME}: unexpected listing of volumes: {exc.__class__.__name__}: {exc}"
            crawl.error(SOURCE, message)
            counts.errors += 1

        def handle(item: dict[str, Any]) -> Sequence[str]:
            if item["kind"] == "resolve":
                return self._resolve(crawl, item, counts)
            if item["kind"] == "scan":
                return self._scan(crawl, item, seeds, counts)
            if item["kind"] == "fetch":
                return self._fetch(crawl, item, counts)
            return [item["key"]]

        work_through(crawl, SOURCE, NAME, handle, counts, budget=budget)
        return counts

    def _years(self, seeds: Sequence[Seed]) -> tuple[int, int]:
        start = self.from_year
        if not start:
            years = [int(s.decided[:4]) for s in seeds if s.decided and s.decided[:4].isdigit()]
            start = min(years) if years else 0
        return start, self.to_year or 9999

    def _queue_scans(self, crawl: Crawl, seeds: Sequence[Seed]) -> None:
        """One scan item per volume of each configured reporter in the year range, per depth."""
        start, end = self._years(seeds)
        for reporter in self.reporters:
            slug = self.slug(reporter)
            if not slug:
                crawl.report(f"{NAME} has no reporter {reporter!r}; check sources.cap.reporters")
                continue
            for entry in self.volumes(slug):
                year = entry.get("publication_year") or 0
                if not isinstance(year, int) or not (start <= year <= end):
                    continue
                folder = entry.get("volume_folder") or entry.get("volume_number")
                if not isinstance(folder, (str, int)) or isinstance(folder, bool):
                    continue
                folder = str(folder)
                for depth in range(1, crawl.depth + 1):
                    frontier.frontier_add(
                        crawl.db, SOURCE, f"scan:{slug}/{folder}:depth{depth}", "scan", depth=depth,
                        priority=float(year), payload={"slug": slug, "folder": folder, "year": year},
                        run_id=crawl.run_id,
                    )

    def _resolve(self, crawl: Crawl, item: dict[str, Any], counts: HarvestCounts) -> Sequence[str]:
        payload = item["payload"]
        for cite in payload["cites"]:
            matches = self.find(cite)
            for slug, folder, case in matches:
                self._store_case(crawl, case, slug, folder, 0, counts)
            if matches:
                return [item["key"]]
        crawl.report(f"{NAME} has no case for {', '.join(payload['cites'])} ({payload['key']})")
        return [item["key"]]

    def _targets(self, crawl: Crawl, depth: int, seeds: Sequence[Seed]) -> tuple[set[str], set[int]]:
        """Normalized citations and CAP ids of the cases whose citers a depth looks for.

        Computed once per depth and run: the frontier finishes every item of depth d-1 before the
        first scan of depth d, so the set is complete when first asked for.
        """
        if depth not in self._targets_at:
            self._targets_at[depth] = self._compute_targets(crawl, depth, seeds)
        return self._targets_at[depth]

    def _compute_targets(self, crawl: Crawl, depth: int, seeds: Sequence[Seed]) -> tuple[set[str], set[int]]:
        case_ids = corpus.case_ids_at_depth(crawl.db, depth - 1)
        cites = {normalize_cite(c) for c in corpus.case_cites(crawl.db, case_ids)}
        if depth == 1:
            cites |= {normalize_cite(c) for s in seeds for c in s.citations}
        cap_ids: set[int] = set()
        for case_id in case_ids:
            for source_id in corpus.source_ids(crawl.db, case_id, SOURCE):
                if source_id.startswith("case:") and source_id[5:].isdigit():
                    cap_ids.add(int(source_id[5:]))
        return cites, cap_ids

    def _scan(self, crawl: Crawl, item: dict[str, Any], seeds: Sequence[Seed], counts: HarvestCounts) -> Sequence[str]:
        payload = item["payload"]
        cites, cap_ids = self._targets(crawl, item["depth"], seeds)
        if not cites and not cap_ids:
            return [item["key"]]
        cases = self.cases_metadata(payload["slug"], payload["folder"])
        counts.documents += 1
        for case in cases:
            if not isinstance(case.get("id"), int) or not cites_any(case, cites, cap_ids):
                continue
            known = corpus.source_case_known(crawl.db, SOURCE, f"case:{case['id']}")
            if not known and crawl.room() <= 0:
                return []  # max_cases reached: this volume is scanned again when there is room
            self._store_case(crawl, case, payload["slug"], payload["folder"], item["depth"], counts)
        return [item["key"]]

    def _fetch(self, crawl: Crawl, item: dict[str, Any], counts: HarvestCounts) -> Sequence[str]:
        payload = item["payload"]
        case = self._json(payload["path"], dict)
        counts.documents += 1
        if not isinstance(case.get("id"), int):
            raise BadResponse(f"{NAME} case {payload['path']} has no id", source=SOURCE, url=payload["path"])
        case_id, new = upsert_case(crawl.db, self.case_record(case, payload["slug"], payload["folder"], item["depth"]), crawl.run_id)
        counts.add_case(new)
        corpus.store_cap_cites_to(crawl.db, case["id"], case_id, cites_to_rows(case))
        if corpus.case_opinion_sources(crawl.db, case_id) - {SOURCE}:
            return [item["key"]]  # another source supplied the text first; CAP's provenance is kept
        url = urljoin(self.base_url, payload["path"])
        html_url = urljoin(self.base_url, f"{payload['slug']}/{payload['folder']}/html/{case.get('file_name')}.html")
        html = self._opinion_html(crawl, case, html_url)
        for record in cap_records.opinion_records(case, case_id, url=url, html=html, html_url=html_url):
            is_new, _changed = upsert_opinion(crawl.db, record)
            counts.new_opinions += int(is_new)
        return [item["key"]]

    def _opinion_html(self, crawl: Crawl, case: dict[str, Any], url: str) -> list[str] | None:
        """Each opinion's article from the case's HTML file (marks and notes in reading order), or
        None, said once in the run's log, when the file is missing, unreadable or its opinions do
        not match the JSON's: the JSON text is stored then, as before.

        The request is one more against the source's budget; a spent budget or a rate limit stops
        the item like any other request (it is fetched again next run), every other fault of this
        one file only costs the footnote order.
        """
        casebody = case.get("casebody")
        opinions = casebody.get("opinions") if isinstance(casebody, dict) else None
        if not isinstance(opinions, list) or not any(isinstance(o, dict) and (o.get("text") or "").strip()
                                                     for o in opinions):
            return None  # nothing to store either way: no request
        try:
            text = cap_html.decode(self.http.get(url).content)
        except (BudgetExhausted, StopSource):
            raise
        except NotFound:
            why = "CAP has no HTML file for it"
        except HarvestError as exc:
            why = f"its HTML file cannot be read ({exc})"
        else:
            if text is None:
                why = "its HTML file is not UTF-8"
            else:
                texts = cap_html.opinion_html(text, opinions)
                if texts is not None:
                    return texts
                why = "its HTML file's opinions do not match the case JSON's"
        crawl.report(f"{NAME}: case {case.get('id')} ({case_name(case) or case.get('file_name')}): {why}; "
                     "its opinions are stored from the JSON text, with the footnotes after each opinion")
        return None


def cites_any(case: dict[str, Any], cites: set[str], cap_ids: set[int]) -> bool:
    """Whether CAP's cites_to of `case` names one of the targets (by citation or CAP id)."""
    for entry in case.get("cites_to") or []:
        if not isinstance(entry, dict):
            continue
        if normalize_cite(str(entry.get("cite", ""))) in cites:
            return True
        if cap_ids and cap_ids.intersection(i for i in entry.get("case_ids") or [] if isinstance(i, int)):
            return True
    return False
