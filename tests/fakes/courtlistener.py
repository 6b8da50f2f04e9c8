"""A local stand-in for the CourtListener REST API v4, served by pytest-httpserver on 127.0.0.1.

It answers in the shapes documented in ../shared/reference/courtlistener-api-v4.md: search results
with camelCase keys and `opinions[]`, cursor pagination through `next` URLs, `fields=` selection,
`id__in=` batches, 401 without a token on database endpoints, 400 on unknown parameters.
The case data it serves is invented for tests (see tests/fakes/corpus.py); it is not real case law.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from tests.fakes.faults import Faults

API = "/api/rest/v4/"
PAGE_SIZE = 2  # small on purpose, so tests exercise pagination to the end
ALWAYS_ALLOWED = {"page", "page_size", "cursor", "order_by", "format", "fields", "omit", "count"}


@dataclass
class FakeCluster:
    id: int
    case_name: str
    court_id: str
    court: str
    date_filed: str
    citations: list[str]
    docket_number: str = ""
    opinions: list[dict[str, Any]] = field(default_factory=list)  # opinion objects (DB shape)
    cite_count: int = 0

    def search_result(self) -> dict[str, Any]:
        return {
            "absolute_url": f"/opinion/{self.id}/{_slug(self.case_name)}/",
            "cluster_id": self.id,
            "docket_id": self.id + 100000,
            "caseName": self.case_name,
            "caseNameFull": self.case_name,
            "citation": list(self.citations),
            "citeCount": self.cite_count,
            "court": self.court,
            "court_id": self.court_id,
            "court_citation_string": "",
            "court_jurisdiction": "F",
            "dateFiled": self.date_filed,
            "docketNumber": self.docket_number,
            "judge": "",
            "status": "Published",
            "sibling_ids": [o["id"] for o in self.opinions],
            "meta": {"timestamp": "2026-01-01T00:00:00Z", "date_created": "2010-01-01T00:00:00Z", "score": {"bm25": 1.0}},
            "opinions": [
                {
                    "id": o["id"],
                    "author_id": None,
                    "type": _SEARCH_TYPES.get(o.get("type", "010combined"), "combined-opinion"),
                    "per_curiam": o.get("per_curiam", False),
                    "cites": list(o.get("cites", [])),
                    "download_url": None,
                    "local_path": None,
                    "sha1": "",
                    "ordering_key": None,
                    "joined_by_ids": [],
                    "snippet": "",
                    "meta": {"timestamp": "2026-01-01T00:00:00Z", "date_created": "2010-01-01T00:00:00Z"},
                }
                for o in self.opinions
            ],
        }


_SEARCH_TYPES = {"010combined": "combined-opinion", "020lead": "lead-opinion", "030concurrence": "concurrence-opinion", "040dissent": "dissent"}

OPINION_TEXT_FIELDS = ("plain_text", "html", "html_lawbox", "html_columbia", "html_anon_2020", "xml_harvard", "xml_scan", "html_with_citations")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class FakeCourtListener:
    """Serves `clusters` at `server.url_for('/api/rest/v4/')`; records every request it answered."""

    def __init__(self, server: HTTPServer, clusters: list[FakeCluster], *, token: str = "test-token") -> None:
        self.server = server
        self.clusters = clusters
        self.token = token
        self.requests: list[str] = []
        self.faults = Faults()
        self.anonymous_search = False  # the real search endpoint has answered anonymous requests at times
        server.expect_request(re.compile(r"^/api/rest/v4/.*")).respond_with_handler(self.handle)

    @property
    def base_url(self) -> str:
        return self.server.url_for(API)

    # -- helpers -----------------------------------------------------------------------------

    def _opinion(self, opinion_id: int) -> tuple[FakeCluster, dict[str, Any]] | None:
        for cluster in self.clusters:
            for opinion in cluster.opinions:
                if opinion["id"] == opinion_id:
                    return cluster, opinion
        return None

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("Authorization") == f"Token {self.token}"

    def _page(self, request: Request, items: list[dict[str, Any]]) -> Response:
        offset = int(request.args.get("cursor", "0") or 0)
        chunk = items[offset : offset + PAGE_SIZE]
        next_url = None
        if offset + PAGE_SIZE < len(items):
            args = {k: v for k, v in request.args.items() if k != "cursor"}
            args["cursor"] = str(offset + PAGE_SIZE)
            next_url = self.server.url_for(request.path) + "?" + urlencode(args)
        body = {"count": len(items), "next": next_url, "previous": None, "results": chunk}
        return _json(body)

    # -- the API -----------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        self.requests.append(request.full_path)
        if self.faults.faults:
            normal = self._handle(request)
            try:
                body = json.loads(normal.get_data())
            except ValueError:
                body = None
            return self.faults.apply(request, body) or normal
        return self._handle(request)

    def _handle(self, request: Request) -> Response:
        path = request.path[len(API):]
        if path == "search/":
            return self.search(request)
        if path == "opinions/":
            return self.opinions(request)
        return _json({"detail": "Not found."}, 404)

    def search(self, request: Request) -> Response:
        if not self._authorised(request) and not (self.anonymous_search and "Authorization" not in request.headers):
            return _json({"detail": "Authentication credentials were not provided."}, 401)
        allowed = ALWAYS_ALLOWED | {"q", "type", "citation", "court", "filed_after", "filed_before",
                                    "stat_Published", "stat_Unpublished"}
        unknown = [k for k in request.args if k not in allowed]
        if unknown:
            return _json({"detail": "Unknown filter parameters are not allowed.", "unknown_params": unknown}, 400)
        if request.args.get("citation"):
            wanted = " ".join(request.args["citation"].split())
            hits = [c.search_result() for c in self.clusters if wanted in c.citations]
            return self._page(request, hits)
        match = re.fullmatch(r"cites:\((.*)\)", request.args.get("q", ""))
        if match:
            targets = {int(x) for x in re.findall(r"\d+", match.group(1))}
            hits = [
                c.search_result()
                for c in sorted(self.clusters, key=lambda c: c.date_filed)
                if any(targets & set(o.get("cites", [])) for o in c.opinions)
            ]
            return self._page(request, hits)
        return self._page(request, [])

    def opinions(self, request: Request) -> Response:
        if not self._authorised(request):
            return _json({"detail": "Authentication credentials were not provided."}, 401)
        ids = [int(x) for x in request.args.get("id__in", "").split(",") if x]
        fields = [f for f in request.args.get("fields", "").split(",") if f]
        rows = []
        for opinion_id in sorted(ids, reverse=True):  # v4 default ordering is -id
            found = self._opinion(opinion_id)
            if not found:
                continue
            cluster, opinion = found
            row = {
                "resource_uri": self.server.url_for(f"{API}opinions/{opinion_id}/"),
                "id": opinion_id,
                "cluster_id": cluster.id,
                "cluster": self.server.url_for(f"{API}clusters/{cluster.id}/"),
                "author_str": opinion.get("author_str", ""),
                "per_curiam": opinion.get("per_curiam", False),
                "type": opinion.get("type", "010combined"),
                **{name: opinion.get(name, "") for name in OPINION_TEXT_FIELDS},
                "opinions_cited": [self.server.url_for(f"{API}opinions/{i}/") for i in opinion.get("cites", [])],
            }
            rows.append({k: v for k, v in row.items() if not fields or k in fields})
        return self._page(request, rows)


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
