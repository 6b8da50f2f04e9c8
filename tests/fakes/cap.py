"""A local stand-in for the Caselaw Access Project's static site (static.case.law), on 127.0.0.1.

It serves the file tree documented in ../shared/reference/cap-static.md, in the real shapes:
ReportersMetadata.json, <slug>/VolumesMetadata.json, <slug>/<folder>/CasesMetadata.json (every
field but casebody) and <slug>/<folder>/cases/<file_name>.json; 404 for anything else; ETag and
If-None-Match (304) like the CDN. The cases it serves are invented for tests (tests/fakes/cap_corpus.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from tests.fakes.faults import Faults

REPORTER_NAMES = {
    "f3d": ("F.3d", "Federal Reporter 3d Series"),
    "f-supp": ("F. Supp.", "Federal Supplement"),
    "f-supp-2d": ("F. Supp. 2d", "Federal Supplement, Second Series"),
    "f-appx": ("F. App'x", "Federal Appendix"),
}


@dataclass
class FakeCapCase:
    id: int
    slug: str
    volume: str
    year: int
    file_name: str
    name: str
    court: str
    decision_date: str
    citations: list[str]
    cites_to: list[dict[str, Any]] = field(default_factory=list)
    opinions: list[dict[str, Any]] = field(default_factory=list)  # {"type", "author", "text"}
    docket_number: str = ""
    pagerank: float = 0.5

    def metadata(self) -> dict[str, Any]:
        first_page = self.file_name.split("-")[0].lstrip("0") or "0"
        return {
            "id": self.id,
            "name": self.name.upper(),
            "name_abbreviation": self.name,
            "decision_date": self.decision_date,
            "docket_number": self.docket_number,
            "first_page": first_page,
            "last_page": str(int(first_page) + 5),
            "citations": [{"type": "official", "cite": c} for c in self.citations],
            "court": {"name_abbreviation": "", "id": 9000 + len(self.court), "name": self.court},
            "jurisdiction": {"id": 39, "name_long": "United States", "name": "U.S."},
            "cites_to": list(self.cites_to),
            "analysis": {"cardinality": 100, "char_count": 1000, "word_count": 200,
                         "pagerank": {"raw": 1e-7, "percentile": self.pagerank}},
            "last_updated": "2024-02-27T23:46:10.534315+00:00",
            "provenance": {"date_added": "2019-08-29", "source": "Harvard", "batch": "2018"},
            "file_name": self.file_name,
            "first_page_order": 10,
            "last_page_order": 15,
        }

    def case_json(self) -> dict[str, Any]:
        data = self.metadata()
        data["casebody"] = {
            "judges": [], "parties": [self.name.upper() + "."], "attorneys": [], "corrections": "",
            "head_matter": self.name.upper() + ".\n[Invented head matter for tests.]",
            "opinions": [{"text": o["text"], "type": o.get("type", "majority"), "author": o.get("author")} for o in self.opinions],
        }
        return data


class FakeCap:
    """Serves `cases` (plus `volumes` listed but absent) at `server.url_for('/')`; records requests."""

    def __init__(self, server: HTTPServer, cases: list[FakeCapCase], *, extra_volumes: dict[str, list[tuple[str, int]]] | None = None) -> None:
        self.server = server
        self.cases = cases
        self.extra_volumes = extra_volumes or {}
        self.requests: list[str] = []
        self.faults = Faults()
        server.expect_request(re.compile(r"^/.*")).respond_with_handler(self.handle)

    @property
    def base_url(self) -> str:
        return self.server.url_for("/")

    def volumes(self, slug: str) -> list[dict[str, Any]]:
        seen: dict[str, int] = {}
        for case in self.cases:
            if case.slug == slug:
                seen[case.volume] = case.year
        for volume, year in self.extra_volumes.get(slug, []):
            seen.setdefault(volume, year)
        return [
            {"volume_number": v, "title": None, "publisher": "Invented Publisher", "publication_year": y,
             "start_year": 0, "end_year": 0, "series_volume_number": "", "jurisdictions": [],
             "id": f"3204400000{v}", "harvard_hollis_id": "", "spine_start_year": 0, "spine_end_year": 0,
             "publication_city": "", "second_part_of_id": None, "redacted": False, "nominative_reporter": None,
             "reporter_slug": slug, "volume_folder": v, "last_updated": "2024-03-01T00:00:00+00:00"}
            for v, y in sorted(seen.items(), key=lambda kv: int(kv[0]))
        ]

    def handle(self, request: Request) -> Response:
        self.requests.append(request.full_path)
        body = self._body(request.path)
        fault = self.faults.apply(request, body)
        if fault is not None:
            return fault
        if body is None:
            return Response("<Error><Code>NoSuchKey</Code></Error>", status=404, content_type="application/xml")
        text = json.dumps(body)
        etag = '"' + hashlib.md5(text.encode()).hexdigest() + '"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(text, status=200, content_type="application/json", headers={"ETag": etag})

    def _body(self, path: str) -> Any:
        if path == "/ReportersMetadata.json":
            return [
                {"id": i, "full_name": full, "short_name": short, "start_year": 1880, "end_year": 2018,
                 "jurisdictions": [{"id": 39, "name": "U.S.", "name_long": "United States"}],
                 "harvard_hollis_id": [], "slug": slug}
                for i, (slug, (short, full)) in enumerate(REPORTER_NAMES.items(), start=1)
            ]
        match = re.fullmatch(r"/([a-z0-9-]+)/VolumesMetadata\.json", path)
        if match:
            return self.volumes(match.group(1)) if match.group(1) in REPORTER_NAMES else None
        match = re.fullmatch(r"/([a-z0-9-]+)/([^/]+)/CasesMetadata\.json", path)
        if match:
            found = [c.metadata() for c in self.cases if (c.slug, c.volume) == match.groups()]
            return found or None
        match = re.fullmatch(r"/([a-z0-9-]+)/([^/]+)/cases/([0-9]+-[0-9]+)\.json", path)
        if match:
            for c in self.cases:
                if (c.slug, c.volume, c.file_name) == match.groups():
                    return c.case_json()
        return None
