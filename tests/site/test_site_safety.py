"""Harvested text never reaches a page as live markup.

An INVENTED opinion (tests/fakes/site_corpus.py) carries a <script> and an <img onerror=...> in its
HTML, its reference context, its parenthetical and its case name. Every page that can show them is
parsed as a browser would, and must hold no element or handler that came from them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from datasette.app import Datasette

from citator.db.web.queries import QUERIES
from citator.db.web.render import highlight_opinion, highlight_text, sanitize_html
from citator.db.web.site import datasette_options
from tests.fakes import site_corpus as corpus


class LiveMarkup(HTMLParser):
    """Collects what a browser would execute: script bodies, event-handler attributes, images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.images: list[dict[str, str | None]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [(tag, name) for name, _ in attrs if name.lower().startswith("on")]
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def assert_no_planted_markup(html: str, where: str) -> None:
    parser = LiveMarkup()
    parser.feed(html)
    assert not parser.handlers, f"{where}: event handler attributes {parser.handlers}"
    assert not [s for s in parser.scripts if "planted" in s or "alert(" in s], f"{where}: planted script is live"
    assert not [i for i in parser.images if i.get("src") == "x"], f"{where}: planted <img> is live"


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.build_site_db(tmp_path_factory.mktemp("safety") / "citator.db")


@pytest.fixture
async def ds(site_db: Path) -> Datasette:
    datasette = Datasette([], immutables=[str(site_db)], **datasette_options(site_db))
    await datasette.invoke_startup()
    return datasette


def test_render_helpers_neutralise_markup() -> None:
    assert "<script" not in sanitize_html(corpus.TEXT_E) and "onerror" not in sanitize_html(corpus.TEXT_E)
    marked = highlight_text(f"{corpus.SCRIPT} see 176 F.3d 1132", ["176 F.3d 1132"])
    assert "&lt;script&gt;" in marked and '<mark class="ref">176 F.3d 1132</mark>' in marked
    start = corpus.TEXT_E.index("176 F.3d 1132, 1137")
    opinion = highlight_opinion(corpus.TEXT_E, "html", [(start, start + len("176 F.3d 1132, 1137"))])
    assert '<mark class="ref">176 F.3d 1132, 1137</mark>' in opinion
    assert "<script" not in opinion and "onerror" not in opinion and "<img" not in opinion
    # A span that would straddle a tag is left unmarked rather than break the markup.
    assert "<mark" not in highlight_opinion("<p>a</p><p>b</p>", "html", [(2, 10)])
    # Plain-text opinions are escaped, not parsed.
    assert "&lt;script&gt;" in highlight_opinion(corpus.SCRIPT, "text", [])


@pytest.mark.slow
async def test_case_page_with_planted_markup(ds: Datasette) -> None:
    page = await ds.client.get("/-/citator/case", params={"id": corpus.CASE_E})
    assert page.status_code == 200
    assert_no_planted_markup(page.text, "case page")
    assert "&lt;script&gt;alert(&#39;planted&#39;)&lt;/script&gt;" in page.text  # shown, as text
    assert '<mark class="ref">176 F.3d 1132, 1137</mark>' in page.text


@pytest.mark.slow
async def test_every_page_that_shows_harvested_text(ds: Datasette) -> None:
    pages = [
        "/", "/citator", "/citator/cases", "/citator/opinions", "/citator/citations", "/citator/reliance",
        "/citator/citing_references", "/citator/citing_references?_search=considered",
        "/citator/opinions?_search=considered", "/citator/opinions/cl~3Aopinion~3A400005",
        "/citator/cases/cl~3Acluster~3A200005", "/-/citator/network", "/-/citator/charts", "/-/citator/about",
        "/-/citator/case?id=" + corpus.SEED_9TH_CASE,
    ] + [f"/citator/{name}" for name in QUERIES]
    for path in pages:
        response = await ds.client.get(path)
        assert response.status_code == 200, path
        assert_no_planted_markup(response.text, path)


async def test_network_json_is_served_as_json(ds: Datasette) -> None:
    response = await ds.client.get("/-/citator/network.json")
    assert response.headers["content-type"].startswith("application/json")
    labels = [n["label"] for n in response.json()["nodes"]]
    assert any("<script>" in label for label in labels)  # data stays data; network.js sets textContent


async def test_feed_carries_text_not_markup(ds: Datasette) -> None:
    response = await ds.client.get("/citator/new_references_feed.atom", params={"court": "ca9"})
    root = ET.fromstring(response.content)
    for entry in root.iter("{http://www.w3.org/2005/Atom}entry"):
        for child in entry:
            assert len(child) == 0, "an Atom element holds child elements from harvested text"
            assert child.get("type") in (None, "text"), child.get("type")
