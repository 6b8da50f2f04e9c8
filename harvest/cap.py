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
from citator.db.records import CaseRecord, clean_cite
from citator.harvest import cap_html, cap_records
from citator.harvest.cap_records import CourtIds, case_name, cites_to_rows
from citator.harvest.crawl import Crawl, HarvestCounts, Seed, daily_budget, normalize_cite, work_through
from citator.harvest.http import (AuthenticationRequired, BadResponse, BudgetExhausted, HarvestError, HostPolicy,
                                  HttpClient, NotFound, SourceUnreachable, StopSource)

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
        self._queue_refetches(crawl)
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
            if item["kind"] == "refetch_html":
                return self._refetch_html(crawl, item, counts)
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
            # another source supplied the text first; CAP's provenance is kept
            frontier.frontier_payload(crawl.db, SOURCE, item["key"], {**payload, "html": "other source"})
            return [item["key"]]
        url = urljoin(self.base_url, payload["path"])
        html_url = urljoin(self.base_url, html_path(payload["path"]))
        html, outcome = self._opinion_html(crawl, case, html_url)
        for record in cap_records.opinion_records(case, case_id, url=url, html=html, html_url=html_url):
            is_new, _changed = upsert_opinion(crawl.db, record)
            counts.new_opinions += int(is_new)
        frontier.frontier_payload(crawl.db, SOURCE, item["key"], {**payload, "html": outcome})
        return [item["key"]]

    def _opinion_html(self, crawl: Crawl, case: dict[str, Any], url: str) -> tuple[list[str] | None, str]:
        """Each opinion's article from the case's HTML file (marks and notes in reading order), or
        None, said once in the run's log, when the file is missing, unreadable or its opinions do
        not match the JSON's: the JSON text is stored then, as before. With it, what was found
        (`HTML_OUTCOMES`), which the fetch item keeps so the file is not asked for again.

        The request is one more against the source's budget; a spent budget, a rate limit or the
        network down stops the item like any other request (it is fetched again next run), every
        other fault of this one file only costs the footnote order.
        """
        opinions = cap_records.opinions_with_text(case)
        if opinions is None:
            return None, "no text"  # nothing to store either way: no request
        text, outcome = self._html_file(url)
        if text is not None:
            texts = cap_html.opinion_html(text, opinions)
            if texts is not None:
                return texts, "stored"
            outcome = "mismatch"
        crawl.report(f"{NAME}: case {case.get('id')} ({case_name(case) or case.get('file_name')}): "
                     f"{HTML_OUTCOMES[outcome]}; its opinions are stored from the JSON text, with the footnotes "
                     "after each opinion")
        return None, outcome

    def _html_file(self, url: str) -> tuple[str | None, str]:
        """A case's HTML file as text, or None and why not (a key of `HTML_OUTCOMES`)."""
        try:
            text = cap_html.decode(self.http.get(url).content)
        except (BudgetExhausted, StopSource, SourceUnreachable, AuthenticationRequired):
            raise
        except NotFound:
            return None, "missing"
        except HarvestError:
            return None, "unreadable"
        return (text, "stored") if text is not None else (None, "not utf-8")

    # -- opinions stored from the JSON text before the HTML file was read -----------------------

    def _queue_refetches(self, crawl: Crawl) -> None:
        """Queue one `refetch_html` item per CAP case whose opinions hold CAP's JSON text and whose
        HTML file was never asked for (fetched by a citator that did not read it).

        Each fetch item records in its payload what became of the HTML file (`html`), so this
        looks only at fetch items without that record, once: they get `"html": "refetch"` here.
        The item runs after all other work (`frontier.LATE_KINDS`) and keeps its outcome in its
        own payload, so the file is asked for once, whatever it answers.
        """
        for done in frontier.done_without(crawl.db, SOURCE, "fetch", "html"):
            payload = done["payload"] if isinstance(done["payload"], dict) else {}
            readable = isinstance(payload.get("case_id"), str) and isinstance(payload.get("path"), str)
            json_text = readable and corpus.holds_text_from(crawl.db, payload["case_id"], SOURCE, JSON_TEXT_FIELD)
            if json_text:
                frontier.frontier_add(
                    crawl.db, SOURCE, "refetch_html" + done["key"].removeprefix("fetch"), "refetch_html",
                    depth=done["depth"], payload={**payload, "html_path": html_path(payload["path"])},
                    run_id=crawl.run_id)
            frontier.frontier_payload(crawl.db, SOURCE, done["key"],
                                      {**payload, "html": "refetch" if json_text else "no text"})

    def _refetch_html(self, crawl: Crawl, item: dict[str, Any], counts: HarvestCounts) -> Sequence[str]:
        """Replace a case's opinions stored from CAP's JSON text by their articles from its HTML file.

        The HTML file is asked for first (one request; a missing file costs no more), then the case
        JSON, whose opinions the articles must match. The rows keep their ids, so the new text
        replaces the old and extraction reads it again like any changed text. What happened is
        kept in the item's payload (`outcome`), and the item is done: never asked again.
        """
        payload = item["payload"]
        db = crawl.db
        case_id = payload["case_id"]
        replaceable = (corpus.holds_text_from(db, case_id, SOURCE, JSON_TEXT_FIELD)
                       and not corpus.case_opinion_sources(db, case_id) - {SOURCE})
        if not replaceable:
            outcome = "nothing to replace"
        else:
            html_url = urljoin(self.base_url, payload["html_path"])
            text, outcome = self._html_file(html_url)
            if text is not None:
                outcome = self._replace_texts(crawl, payload, text, html_url, counts)
            if outcome != "stored":
                crawl.report(f"{NAME}: case {item['key'].rpartition(':')[2]}: {HTML_OUTCOMES[outcome]}; its opinions "
                             "keep the JSON text, "
                             "and the HTML file is not asked for again")
        frontier.frontier_payload(db, SOURCE, item["key"], {**payload, "outcome": outcome})
        return [item["key"]]

    def _replace_texts(self, crawl: Crawl, payload: dict[str, Any], text: str, html_url: str,
                       counts: HarvestCounts) -> str:
        try:
            case = self._json(payload["path"], dict)
        except NotFound:
            return "json missing"
        counts.documents += 1
        opinions = cap_records.opinions_with_text(case)
        texts = cap_html.opinion_html(text, opinions) if opinions is not None else None
        if texts is None:
            return "mismatch"
        url = urljoin(self.base_url, payload["path"])
        for record in cap_records.opinion_records(case, payload["case_id"], url=url, html=texts, html_url=html_url):
            is_new, _changed = upsert_opinion(crawl.db, record)
            counts.new_opinions += int(is_new)
        return "stored"


#: How `opinions.text_field` begins for an opinion stored from the case JSON's text.
JSON_TEXT_FIELD = cap_records.JSON_TEXT_FIELD.partition("{")[0]

#: What became of a case's HTML file, as fetch and refetch items record it, and how the log says it.
HTML_OUTCOMES = {
    "stored": "its opinions are stored from its HTML file",
    "missing": "CAP has no HTML file for it",
    "unreadable": "its HTML file cannot be read",
    "not utf-8": "its HTML file is not UTF-8",
    "mismatch": "its HTML file's opinions do not match the case JSON's",
    "json missing": "CAP no longer has its case JSON",
    "no text": "it has no opinion text",
    "other source": "another source supplied its opinions",
    "nothing to replace": "its opinions no longer hold CAP's JSON text",
}


def html_path(case_path: str) -> str:
    """The HTML file beside a case JSON: "<slug>/<folder>/cases/<name>.json" -> ".../html/<name>.html"."""
    path = cap_records.html_path(case_path)
    if path is None:
        raise ValueError(f"{case_path} is not a case JSON of CAP's file tree")
    return path


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
