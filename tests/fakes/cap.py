"""A local stand-in for the Caselaw Access Project's static site (static.case.law), on 127.0.0.1.

It serves the file tree documented in ../shared/reference/cap-static.md, in the real shapes:
ReportersMetadata.json, <slug>/VolumesMetadata.json, <slug>/<folder>/CasesMetadata.json (every
field but casebody), <slug>/<folder>/cases/<file_name>.json and <slug>/<folder>/html/<file_name>.html;
404 for anything else; ETag and If-None-Match (304) like the CDN. The cases it serves are invented
for tests (tests/fakes/cap_corpus.py).

An opinion's text may carry footnotes: "[[n]]" in its text marks where note n's number stands and
its "notes" map n to the note. The two files then differ as CAP's do (reference section 5): the
JSON text drops the marks and appends the notes after the opinion, each on a line beginning ". ";
the HTML keeps each mark as `<a class="footnotemark">` and each note as an `<aside class="footnote">`
at the end of its opinion's article.
"""

from __future__ import annotations

import hashlib
import html
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
    #: the HTML file as served instead of the one rendered from `opinions`; None: rendered
    html_file: str | None = None
    #: whether the HTML file is missing (404), as for a case CAP has no HTML of
    html_missing: bool = False

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
            "opinions": [{"text": json_text(o), "type": o.get("type", "majority"), "author": o.get("author")} for o in self.opinions],
        }
        return data

    def html(self) -> str | None:
        """The case's HTML file in the exporter's shape (head matter, one article per opinion)."""
        if self.html_missing:
            return None
        if self.html_file is not None:
            return self.html_file
        parts = [
            f'<section class="casebody" data-case-id="3204400000{self.volume}_0010" '
            f'data-firstpage="{self.metadata()["first_page"]}" data-lastpage="{self.metadata()["last_page"]}">',
            '  <section class="head-matter">',
            f'    <h4 class="parties" id="b10-1">{html.escape(self.name.upper())}.</h4>',
            "  </section>",
        ]
        block = 2
        for index, opinion in enumerate(self.opinions, start=1):
            parts.append(f'  <article class="opinion" data-type="{opinion.get("type", "majority")}">')
            if opinion.get("author"):
                parts.append(f'    <p class="author" id="b10-{block}">{html.escape(opinion["author"])}</p>')
                block += 1
            for paragraph in opinion["text"].split("\n"):
                parts.append(f'    <p id="b10-{block}">{_marked(paragraph, index)}</p>')
                block += 1
            for number, note in opinion.get("notes", {}).items():
                parts.append(f'    <aside data-label="{number}" class="footnote" id="footnote_{index}_{number}">')
                parts.append(f'      <a href="#ref_footnote_{index}_{number}">{number}</a>')
                parts.append(f'      <p id="b10-{block}">{html.escape(note, quote=False)}</p>')
                parts.append("    </aside>")
                block += 1
            parts.append("  </article>")
        parts.append("</section>")
        return "\n".join(parts) + "\n"


_MARK = re.compile(r"\[\[(\d+)\]\]")


def json_text(opinion: dict[str, Any]) -> str:
    """An opinion's text as CAP's JSON has it: marks dropped, notes after the text, unnumbered."""
    text = _MARK.sub("", opinion["text"])
    return "\n".join([text, *(f". {note}" for note in opinion.get("notes", {}).values())])


def _marked(paragraph: str, index: int) -> str:
    """A paragraph as HTML, each "[[n]]" a footnote mark linking to note n of opinion `index`."""
    return _MARK.sub(
        lambda m: (f'<a class="footnotemark" href="#footnote_{index}_{m.group(1)}" '
                   f'id="ref_footnote_{index}_{m.group(1)}">{m.group(1)}</a>'),
        html.escape(paragraph, quote=False),
    )


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
        is_html = isinstance(body, str)
        text = body if is_html else json.dumps(body)
        etag = '"' + hashlib.md5(text.encode()).hexdigest() + '"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(text, status=200, content_type="text/html; charset=utf-8" if is_html else "application/json",
                        headers={"ETag": etag})

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
        match = re.fullmatch(r"/([a-z0-9-]+)/([^/]+)/html/([0-9]+-[0-9]+)\.html", path)
        if match:
            for c in self.cases:
                if (c.slug, c.volume, c.file_name) == match.groups():
                    return c.html()
        return None
