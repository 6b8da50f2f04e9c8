"""The Datasette site through Datasette's test client: metadata, views, search, canned queries,
feeds, the case page, the network view and charts, on an INVENTED corpus built through db/store.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette

from citator.db.web.queries import QUERIES
from citator.db.schema import TABLES
from citator.db.web.site import build_metadata, datasette_options
from citator.db.web.views import VIEWS
from tests.fakes import site_corpus as corpus

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.build_site_db(tmp_path_factory.mktemp("site") / "citator.db")


@pytest.fixture
async def ds(site_db: Path) -> Datasette:
    datasette = Datasette([], immutables=[str(site_db)], **datasette_options(site_db))
    await datasette.invoke_startup()
    return datasette


async def _rows(ds: Datasette, path: str, **params: str) -> list[dict]:
    response = await ds.client.get(path, params={"_shape": "array", **params})
    assert response.status_code == 200, response.text
    return response.json()


# ---- metadata -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_metadata_describes_every_table_view_column_and_query(site_db: Path) -> None:
    meta = build_metadata(site_db)
    for key in ("title", "description", "license", "license_url", "source", "source_url", "about", "about_url"):
        assert meta[key]
    database = meta["databases"]["citator"]
    for key in ("title", "description", "license", "source", "about_url"):
        assert database[key]
    db = sqlite_utils.Database(site_db)
    for name in [t.name for t in TABLES] + [v.name for v in VIEWS]:
        entry = database["tables"][name]
        for key in ("title", "description", "license", "source"):
            assert entry[key], (name, key)
        actual = {c.name for c in (db[name] if db[name].exists() else db.view(name)).columns}
        assert actual == set(entry["columns"]), name
        assert all(entry["columns"].values()), name
    for name, query in database["queries"].items():
        assert query["title"] and query["description"] and query["sql"], name


@pytest.mark.slow
async def test_about_page_and_descriptions_shown(ds: Datasette) -> None:
    about = await ds.client.get("/-/citator/about")
    assert about.status_code == 200
    for words in ("What it covers", "How it works", "Known limits", "bernstein-9th", "withdrawn"):
        assert words in about.text
    home = await ds.client.get("/")
    assert "/-/citator/about" in home.text and "Citation network" in home.text
    view = await ds.client.get("/citator/reliance")
    assert "One row per citing case and seed authority" in view.text
    assert "Distinct pin pages cited" in view.text  # column description of a view


# ---- views --------------------------------------------------------------------------------------


async def test_reliance_view(ds: Datasette) -> None:
    rows = await _rows(ds, "/citator/reliance.json", authority_key="bernstein-9th", _sort="decision_date")
    by_case = {r["citing_case_id"]: r for r in rows}
    assert set(by_case) == {corpus.CASE_A, corpus.CASE_B, corpus.CASE_C, corpus.CASE_E}
    a = by_case[corpus.CASE_A]
    # From case_treatments:
    assert (a["treatment"], a["depth"], a["references_count"]) == ("followed", "examined", 2)
    assert a["pin_cites"] == "1141, 1145"
    assert a["parentheticals"] == "holding that encryption source code is protected speech"
    assert a["court"] == "Court of Appeals for the Sixth Circuit" and a["year"] == 2000
    assert a["source_url"].startswith("https://www.courtlistener.com/")
    assert a["relies_on_withdrawn"] == 1 and a["authority_status"] == "withdrawn"
    # Estimated when case_treatments has no row, with the one ranking: noting the withdrawal
    # outranks distinguishing (citations.models.TREATMENT_RANKING).
    b = by_case[corpus.CASE_B]
    assert (b["treatment"], b["depth"]) == ("noted_withdrawn", "discussed")
    assert by_case[corpus.CASE_C]["treatment"] == "criticized_or_declined"
    assert by_case[corpus.CASE_C]["first_seen"].startswith("2024-01-02")


async def test_reliance_page_links_cases_to_case_page(ds: Datasette) -> None:
    page = await ds.client.get("/citator/reliance")
    assert page.status_code == 200
    assert '/-/citator/case?id=cl%3Acluster%3A200001' in page.text


async def test_citing_references_view(ds: Datasette) -> None:
    rows = await _rows(ds, "/citator/citing_references.json", _size="max")
    assert len(rows) == 9  # every reference to a seed; case D's reference is to case A, not a seed
    full = [r for r in rows if r["citing_case_id"] == corpus.CASE_A and r["kind"] == "full"]
    assert full[0]["context"].startswith("INVENTED TEXT FOR TESTS")
    assert {r["authority_key"] for r in rows} == {"bernstein-9th", "bernstein-1", "bernstein-2"}


async def test_counts_by_court_and_year(ds: Datasette) -> None:
    rows = await _rows(ds, "/citator/references_by_court_year.json", authority_key="bernstein-9th")
    counts = {(r["court_id"], r["year"]): (r["references_count"], r["citing_cases"]) for r in rows}
    assert counts == {("ca6", 2000): (2, 1), ("cadc", 2001): (2, 1), ("nysd", 2002): (1, 1), ("ca9", 2006): (1, 1)}


async def test_authority_status_view(ds: Datasette) -> None:
    rows = {r["authority_key"]: r for r in await _rows(ds, "/citator/authority_status.json")}
    ninth = rows["bernstein-9th"]
    assert ninth["status"] == "withdrawn" and "192 F.3d 1308" in ninth["history"]
    assert (ninth["citing_cases"], ninth["negative_cases"], ninth["references_count"]) == (4, 2, 6)
    assert ninth["relies_on_withdrawn_references"] == 2
    assert rows["bernstein-1"]["status"] == "good" and rows["bernstein-1"]["citing_cases"] == 1


# ---- search -------------------------------------------------------------------------------------


async def test_full_text_search_from_table_pages(ds: Datasette) -> None:
    refs = await _rows(ds, "/citator/citing_references.json", _search="licensing")
    assert {r["citing_case_id"] for r in refs} == {corpus.CASE_A, corpus.CASE_B, corpus.CASE_F}
    pars = await _rows(ds, "/citator/citations.json", _search="protected speech")
    assert {r["citing_case_id"] for r in pars} == {corpus.CASE_A}  # its three references share the paragraph
    opinions = await _rows(ds, "/citator/opinions.json", _search="unpersuasive")
    assert [o["case_id"] for o in opinions] == [corpus.CASE_C]
    for page in ("/citator/citing_references", "/citator/opinions", "/citator/citations"):
        html = (await ds.client.get(page)).text
        assert 'name="_search"' in html, page


# ---- canned queries -----------------------------------------------------------------------------


@pytest.mark.slow
async def test_every_canned_query_answers_with_its_defaults(ds: Datasette) -> None:
    for name in QUERIES:
        if name == "new_references_feed":
            continue
        rows = await _rows(ds, f"/citator/{name}.json")
        assert rows, f"{name} gave no rows with its default parameters"
        page = await ds.client.get(f"/citator/{name}")
        assert page.status_code == 200 and QUERIES[name]["title"].split(":")[0] in page.text


async def test_who_relies_on_seed(ds: Datasette) -> None:
    rows = await _rows(ds, "/citator/who_relies_on_seed.json")
    # deepest first; case B distinguishes the seed but its case-level label is noted_withdrawn
    assert [r["citing_case_id"] for r in rows] == [corpus.CASE_A, corpus.CASE_B, corpus.CASE_E]
    page = await ds.client.get("/citator/who_relies_on_seed")
    assert 'href="/-/citator/case?id=cl%3Acluster%3A200001"' in page.text  # case ids link to case pages
    other = await _rows(ds, "/citator/who_relies_on_seed.json", seed="bernstein-1")
    assert [r["citing_case_id"] for r in other] == [corpus.CASE_A]


async def test_negative_treatment(ds: Datasette) -> None:
    rows = await _rows(ds, "/citator/negative_treatment.json")
    assert [(r["citing_case_id"], r["treatment"]) for r in rows] == [
        (corpus.CASE_B, "distinguished"), (corpus.CASE_C, "criticized_or_declined")]
    assert await _rows(ds, "/citator/negative_treatment.json", seed="bernstein-1") == []


async def test_withdrawn_without_noting_withdrawal(ds: Datasette) -> None:
    rows = await _rows(ds, "/citator/withdrawn_unnoted.json")
    cases = {r["citing_case_id"] for r in rows}
    assert corpus.CASE_B not in cases  # B notes the withdrawal
    assert cases == {corpus.CASE_A, corpus.CASE_C, corpus.CASE_E}
    assert await _rows(ds, "/citator/withdrawn_unnoted.json", seed="bernstein-1") == []  # not withdrawn


async def test_cited_for_histogram(ds: Datasette) -> None:
    rows = await _rows(ds, "/citator/cited_for.json")
    by_pin = {r["pin_page"]: r for r in rows}
    assert [r["pin_page"] for r in rows] == ["1137", "1141", "1145", "(no pin)"]
    assert (by_pin["1141"]["references_count"], by_pin["1141"]["citing_cases"], by_pin["1141"]["histogram"]) == (3, 3, "###")
    assert by_pin["1141"]["parentheticals"] == "holding that encryption source code is protected speech"
    assert by_pin["1145"]["quotations"] == "the licensing scheme"


async def test_second_degree_reliance(ds: Datasette) -> None:
    rows = await _rows(ds, "/citator/second_degree.json")
    assert [(r["citing_case_id"], r["via_case_id"], r["via_treatment"]) for r in rows] == [
        (corpus.CASE_D, corpus.CASE_A, "followed")]
    assert await _rows(ds, "/citator/second_degree.json", seed="bernstein-2") == []


async def test_new_since(ds: Datasette) -> None:
    recent = {r["citing_case_id"] for r in await _rows(ds, "/citator/new_since.json")}
    assert recent == {corpus.CASE_A, corpus.CASE_B, corpus.CASE_E, corpus.CASE_F}  # C was found by a 2024 run
    everything = await _rows(ds, "/citator/new_since.json", since="2020-01-01")
    assert corpus.CASE_C in {r["citing_case_id"] for r in everything}
    one_seed = await _rows(ds, "/citator/new_since.json", since="2020-01-01", seed="bernstein-1")
    assert {r["authority_key"] for r in one_seed} == {"bernstein-1"}


# ---- feeds --------------------------------------------------------------------------------------


async def _feed(ds: Datasette, **params: str) -> list[ET.Element]:
    response = await ds.client.get("/citator/new_references_feed.atom", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == ATOM + "feed"
    assert root.find(ATOM + "title").text == QUERIES["new_references_feed"]["title"]
    return root.findall(ATOM + "entry")


async def test_atom_feed_of_new_references(ds: Datasette) -> None:
    entries = await _feed(ds)
    assert len(entries) == 9
    first = entries[0]
    assert first.find(ATOM + "id").text.startswith("urn:citator:reference:")
    assert first.find(ATOM + "updated").text
    assert " cites " in first.find(ATOM + "title").text
    assert first.find(ATOM + "link").get("href").startswith("https://www.courtlistener.com/")


async def test_atom_feed_filters(ds: Datasette) -> None:
    assert len(await _feed(ds, seed="bernstein-1")) == 1
    distinguished = await _feed(ds, treatment="distinguished")
    assert len(distinguished) == 1 and "Sample Coders" in distinguished[0].find(ATOM + "title").text
    assert len(await _feed(ds, court="cadc")) == 2
    assert len(await _feed(ds, seed="bernstein-9th", court="ca9", treatment="cited_neutral")) == 1


# ---- pages --------------------------------------------------------------------------------------


async def test_case_page(ds: Datasette) -> None:
    page = await ds.client.get("/-/citator/case", params={"id": corpus.CASE_A})
    assert page.status_code == 200
    text = page.text
    assert "<h1>Testcase v. Example Agency</h1>" in text
    assert '<mark class="ref">176 F.3d 1132, 1141</mark>' in text  # highlighted in context and opinion
    assert '<mark class="ref">176 F.3d at 1145</mark>' in text
    assert "bernstein-9th" in text and "bernstein-1" in text and "examined" in text
    assert "relies on withdrawn opinion" in text
    assert "Why followed (confidence 0.90): we agree" in text  # the cues behind the label
    assert "/citator/cases/cl~3Acluster~3A200001" in text  # row link, tilde-encoded
    assert "Cases citing this case" in text and "Derivative v. Secondary Office" in text


async def test_seed_case_page_lists_citing_cases(ds: Datasette) -> None:
    page = await ds.client.get("/-/citator/case", params={"id": corpus.SEED_9TH_CASE})
    assert page.status_code == 200
    assert "seed authority <strong>bernstein-9th</strong>" in page.text
    for name in ("Testcase v. Example Agency", "Sample Coders", "Placeholder v. Hypothetical Board"):
        assert name in page.text
    assert (await ds.client.get("/-/citator/case", params={"id": "nope"})).status_code == 404


async def test_network_data(ds: Datasette) -> None:
    response = await ds.client.get("/-/citator/network.json")
    assert response.status_code == 200
    graph = response.json()
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert graph["centre"] == corpus.SEED_9TH_CASE
    assert nodes[corpus.SEED_9TH_CASE]["withdrawn"] is True and nodes[corpus.SEED_9TH_CASE]["kind"] == "seed"
    assert {corpus.CASE_A, corpus.CASE_B, corpus.CASE_C, corpus.CASE_E, corpus.CASE_D} <= set(nodes)
    assert nodes[corpus.CASE_D]["ring"] == 2
    assert nodes[corpus.SEED_1_CASE]["kind"] == "seed"  # another seed cited by case A
    edges = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert edges[(corpus.CASE_A, corpus.SEED_9TH_CASE)]["treatment"] == "followed"
    assert edges[(corpus.CASE_A, corpus.SEED_9TH_CASE)]["weight"] == 4  # examined
    assert edges[(corpus.CASE_C, corpus.SEED_9TH_CASE)]["treatment"] == "criticized_or_declined"
    assert (corpus.CASE_D, corpus.CASE_A) in edges
    assert nodes[corpus.CASE_A]["href"] == "/-/citator/case?id=cl%3Acluster%3A200001"
    unheld = (await ds.client.get("/-/citator/network.json", params={"seed": "bernstein-2"})).json()
    assert unheld["nodes"][0]["href"] == "/citator/authorities/bernstein-2"
    assert (await ds.client.get("/-/citator/network.json", params={"seed": "nope"})).status_code == 404


async def test_network_page_and_static_files(ds: Datasette) -> None:
    page = await ds.client.get("/-/citator/network", params={"seed": "bernstein-1"})
    assert page.status_code == 200
    assert '/-/citator/static/network.js' in page.text
    assert 'data-src="/-/citator/network.json?seed=bernstein-1"' in page.text
    script = await ds.client.get("/-/citator/static/network.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "http://" not in script.text.replace("http://www.w3.org/2000/svg", "")  # no CDN
    css = await ds.client.get("/-/citator/static/site.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert (await ds.client.get("/-/citator/static/missing.js")).status_code == 404


async def test_charts(ds: Datasette) -> None:
    page = await ds.client.get("/-/citator/charts")
    assert page.status_code == 200
    assert page.text.count('class="bar"') == 5 + 5  # five years and five courts with references
    assert "Court of Appeals for the Sixth Circuit" in page.text
    assert "3 references, 1 case<" in page.text  # case A cites two seeds and counts once
    assert "Data license" in page.text  # the footer carries licence and source on citator's pages
    one = await ds.client.get("/-/citator/charts", params={"seed": "bernstein-1"})
    assert one.text.count('class="bar"') == 2
    plugins = {p["name"] for p in (await ds.client.get("/-/plugins.json")).json()}
    assert {"datasette-vega", "datasette-atom", "citator_site.py"} <= plugins
