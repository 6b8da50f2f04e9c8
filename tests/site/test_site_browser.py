"""`citator serve` for real, and one real browser (Debian's headless Chromium) on the network view
and a case page. The browser never touches the internet: every asset comes from the local server.

Chromium and chromedriver come from Debian (.ci/apt-packages); the test is skipped, saying why,
only where they are not installed.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from citator.db.web.queries import QUERIES
from tests.fakes import site_corpus as corpus

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1366,768"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serve(database: Path, workdir: Path) -> Iterator[str]:
    """`citator serve` on `database`; yields the base URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITATOR_") and k != "COURTLISTENER_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "citator", "--db", str(database), "serve", "--immutable", "--port", str(port)],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/-/versions.json", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    output = proc.stdout.read().decode() if proc.stdout else ""
                    raise AssertionError("citator serve did not start: " + output)
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`citator serve` on the invented corpus; yields the base URL."""
    workdir = tmp_path_factory.mktemp("serve")
    with _serve(corpus.build_site_db(workdir / "citator.db"), workdir) as base:
        yield base


@pytest.fixture(scope="module")
def served_empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`citator serve` on a database whose first refresh failed."""
    workdir = tmp_path_factory.mktemp("serve-empty")
    with _serve(corpus.build_empty_db(workdir / "citator.db"), workdir) as base:
        yield base


def test_serve_is_immutable_with_time_limit_and_site(served: str) -> None:
    settings = httpx.get(served + "/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == 3000
    databases = {d["name"]: d for d in httpx.get(served + "/-/databases.json").json()}
    assert databases["citator"]["is_mutable"] is False
    plugins = {p["name"] for p in httpx.get(served + "/-/plugins.json").json()}
    assert "citator_site.py" in plugins
    assert httpx.get(served + "/-/citator/about").status_code == 200
    rows = httpx.get(served + "/citator/reliance.json", params={"_shape": "array"}).json()
    assert len(rows) == 6
    assert "Who relies on a seed?" in httpx.get(served + "/citator").text


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: install Debian's chromium and chromium-driver (.ci/apt-packages)")
        pytest.skip("Debian's chromium and chromium-driver are not installed (see .ci/apt-packages)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver, condition, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _shot(browser, tmp_path: Path, name: str) -> None:
    """A full-width screenshot of the current page, kept for review (see _keep_screenshot)."""
    path = tmp_path / f"{name}.png"
    browser.save_screenshot(str(path))
    _keep_screenshot(path)


def _problems(browser) -> list[str]:
    """Console errors since the last call: Content-Security-Policy violations included."""
    return [e["message"] for e in browser.get_log("browser")
            if (e["level"] == "SEVERE" or "Content Security Policy" in e["message"]) and "favicon" not in e["message"]]


def _boxes(browser, selector: str) -> list[dict]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).filter(e => getComputedStyle(e).display !== 'none')"
        ".map(e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom, text: e.textContent}; });",
        selector)


def test_network_view_and_case_page_in_chromium(served: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served + "/-/citator/network?seed=bernstein-9th")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#network[data-ready] svg"))
    nodes = browser.find_elements(By.CSS_SELECTOR, "#network g.node")
    assert len(nodes) == 7  # the seed, five citing cases (one at two steps), and bernstein-1
    assert all(n.is_displayed() for n in nodes)
    withdrawn = browser.find_elements(By.CSS_SELECTOR, "#network g.node.withdrawn")
    assert [w.get_attribute("data-id") for w in withdrawn] == [corpus.SEED_9TH_CASE]
    edges = browser.find_elements(By.CSS_SELECTOR, "#network path.edge")
    # one edge per citing case, in the case's strongest treatment (noted_withdrawn outranks distinguished)
    assert {e.get_attribute("data-treatment") for e in edges} >= {"followed", "noted_withdrawn", "criticized_or_declined"}
    assert all(e.get_attribute("marker-end").startswith("url(#arrow-") for e in edges)  # arrowheads
    labels = " ".join(t.text for t in browser.find_elements(By.CSS_SELECTOR, "#network text"))
    assert "<script>" in labels  # the planted case name shows as text, not as an element
    # Every label inside the canvas, no two overlapping, every box as wide as its column or less.
    canvas = _boxes(browser, "#network svg")[0]
    assert canvas["r"] - canvas["l"] > 1200  # the full width of a 1366 px window
    texts = _boxes(browser, "#network text.label")
    assert len(texts) == 7
    for t in texts:
        assert canvas["l"] <= t["l"] and t["r"] <= canvas["r"] and canvas["t"] <= t["t"] and t["b"] <= canvas["b"], t
    for a, b in itertools.combinations(texts + _boxes(browser, "#network text.column-head"), 2):
        assert a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"], (a, b)
    for a, b in itertools.combinations(_boxes(browser, "#network rect.box"), 2):
        assert a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"], (a, b)
    legend = browser.find_elements(By.CSS_SELECTOR, "#network-legend li")
    assert len(legend) == 7 and "criticized or declined" in browser.find_element(By.ID, "network-legend").text
    assert browser.find_elements(By.CSS_SELECTOR, "#network g.node.at-risk")  # case A relies on the withdrawn opinion
    assert "cases" in browser.find_element(By.ID, "network-status").text
    _shot(browser, tmp_path, "network")

    # The treatment filter hides edges; the court filter hides other courts' cases.
    browser.find_element(By.CSS_SELECTOR, '#network-legend input[value="followed"]').click()
    hidden = [e for e in browser.find_elements(By.CSS_SELECTOR, "#network path.edge") if not e.is_displayed()]
    assert hidden and all(e.get_attribute("data-treatment") == "followed" for e in hidden)
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "network-court")).select_by_value("ca6")
    shown = [n.get_attribute("data-id") for n in browser.find_elements(By.CSS_SELECTOR, "#network g.node-case") if n.is_displayed()]
    assert shown == [corpus.CASE_A]
    Select(browser.find_element(By.ID, "network-court")).select_by_value("")

    # Clicking a box opens its case page.
    browser.find_element(By.CSS_SELECTOR, f'#network g.node[data-id="{corpus.CASE_A}"] rect').click()
    _wait(browser, lambda d: "/-/citator/case" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Testcase v. Example Agency"
    marks = browser.find_elements(By.CSS_SELECTOR, "blockquote.context mark.ref")
    assert marks and all(m.is_displayed() for m in marks)
    assert "176 F.3d 1132, 1141" in [m.text for m in marks]
    background = marks[0].value_of_css_property("background-color")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the highlight is styled

    # A cite wrapping across a line is marked whole; the repeated name only where it is a reference.
    browser.get(served + "/-/citator/case?id=" + corpus.CASE_F.replace(":", "%3A"))
    block = browser.find_element(By.CSS_SELECTOR, "blockquote.context")
    assert [m.text for m in block.find_elements(By.CSS_SELECTOR, "mark.ref")] == ["945 F. Supp. 1279, 1289-90", "Bernstein"]
    _shot(browser, tmp_path, "case-wrapped-cite")

    # The page with planted markup runs no planted script: nothing set a global, no dialog opened.
    browser.get(served + "/-/citator/case?id=" + corpus.CASE_E.replace(":", "%3A"))
    assert "Markup v. Injection Board" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.execute_script("return typeof window.alert") == "function"
    assert not _problems(browser)


def test_home_and_seed_picker_in_chromium(served: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(served + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("citator")
    seeds = browser.find_elements(By.CSS_SELECTOR, "table.seeds tbody tr")
    assert len(seeds) == 5 and "withdrawn" in seeds[0].text
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1366  # no sideways scrolling
    _shot(browser, tmp_path, "home")

    browser.find_element(By.LINK_TEXT, "Who relies on a seed?").click()
    picker = Select(browser.find_element(By.CSS_SELECTOR, "select.seed-picker"))
    assert picker.first_selected_option.text == "the most cited (bernstein-9th)"
    assert any("bernstein-1" not in o.text and "1 case, 1 reference" in o.text for o in picker.options)
    picker.select_by_value("bernstein-1")
    browser.find_element(By.CSS_SELECTOR, "form.citator-form button").click()
    _wait(browser, lambda d: "seed=bernstein-1" in d.current_url)
    cells = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-case_name a")
    assert [c.text for c in cells] == ["Testcase v. Example Agency"]
    _shot(browser, tmp_path, "seed-picker")

    browser.get(served + "/citator/reliance")
    heads = [h.get_attribute("data-column") for h in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns th")]
    assert heads[:5] == ["case_name", "court", "year", "treatment", "depth"]
    for name in ("case_name", "treatment", "depth", "pin_cites"):  # the researcher's columns are on screen
        cell = browser.find_element(By.CSS_SELECTOR, f"table.rows-and-columns td.col-{name}")
        assert cell.rect["x"] + cell.rect["width"] <= 1366, name
    _shot(browser, tmp_path, "reliance")
    assert not _problems(browser)


def test_reference_tables_read_at_1366_px(served: str, browser, tmp_path: Path) -> None:
    """citing_references, citations and a canned query: the researcher's columns and the sentence with
    its reference marked are on screen, rows stay short, nothing scrolls sideways."""
    from selenium.webdriver.common.by import By

    for path, columns in (("/citator/citing_references", ("case_name", "treatment", "pin_cite", "sentence")),
                          ("/citator/citations", ("treatment", "pin_cite", "sentence")),
                          ("/citator/negative_treatment", ("case_name", "court", "treatment"))):
        browser.get(served + path)
        for name in columns:
            cell = browser.find_element(By.CSS_SELECTOR, f"table.rows-and-columns td.col-{name}")
            assert cell.rect["x"] + cell.rect["width"] <= 1366, (path, name)
        if "sentence" in columns:
            mark = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns td.col-sentence mark.ref")
            assert mark.is_displayed() and mark.rect["x"] + mark.rect["width"] <= 1366, path
        rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
        assert rows and max(r.rect["height"] for r in rows) < 300, path  # no tall, nearly empty rows
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 1366, path
        about = browser.find_elements(By.CSS_SELECTOR, "details.about-columns")
        assert not about or about[0].get_attribute("open") is None, path  # descriptions collapsed
        _shot(browser, tmp_path, path.rsplit("/", 1)[1])
    assert not _problems(browser)


def test_every_page_under_its_content_security_policy(served: str, browser) -> None:
    """Every kind of page loads without a policy violation or script error, and no link is javascript:."""
    from selenium.webdriver.common.by import By

    case = corpus.CASE_E.replace(":", "%3A")
    pages = ["/", "/citator", "/citator/reliance", "/citator/citing_references", "/citator/citations",
             "/citator/cases", "/citator/opinions", "/citator/authority_status", "/citator/references_by_court_year",
             "/citator/cases/" + corpus.CASE_E.replace(":", "~3A"), "/citator/citing_references?_search=licensing",
             "/citator?sql=select+key,+name+from+authorities", "/citator/crawl_frontier",
             "/-/citator/case?id=" + case, "/-/citator/case?id=" + corpus.SEED_9TH_CASE.replace(":", "%3A"),
             "/-/citator/network", "/-/citator/charts", "/-/citator/about"] + [f"/citator/{name}" for name in QUERIES
                                                                              if name != "new_references_feed"]
    _problems(browser)
    for path in pages:
        browser.get(served + path)
        _wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
        if path == "/-/citator/network":
            _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#network[data-ready] svg"))
        assert not _problems(browser), path
        links = browser.execute_script("return Array.from(document.querySelectorAll('[href]')).map(e => e.getAttribute('href'))")
        assert not [h for h in links if h.strip().lower().startswith(("javascript:", "data:"))], path


def test_empty_database_explains_itself_in_chromium(served_empty: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    for path, name in (("/", "empty-home"), ("/citator/who_relies_on_seed", "empty-query"), ("/-/citator/network", "empty-network")):
        browser.get(served_empty + path)
        notice = browser.find_element(By.CSS_SELECTOR, ".citator-notice")
        assert notice.is_displayed() and "Nothing harvested yet" in notice.text and "citator status" in notice.text, path
        _shot(browser, tmp_path, name)
    assert not _problems(browser)


@pytest.fixture(scope="module")
def served_crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`citator serve` on a seed cited by 190 invented cases with long names: the most the view draws
    one box a case for (beyond 200 it groups them)."""
    workdir = tmp_path_factory.mktemp("serve-crowded")
    with _serve(corpus.build_crowded_db(workdir / "citator.db", 190), workdir) as base:
        yield base


def _apart(a: dict, b: dict) -> bool:
    return a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"]


def test_a_crowded_network_keeps_every_label_inside_and_apart(served_crowded: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served_crowded + "/-/citator/network?seed=bernstein-9th")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#network[data-ready] svg"), timeout=60)
    canvas = _boxes(browser, "#network svg")[0]
    labels = _boxes(browser, "#network text.label")
    boxes = _boxes(browser, "#network rect.box")
    assert len(labels) == len(boxes) == 191  # the seed and every citing case, none grouped or dropped
    outside = [t["text"] for t in labels
               if not (canvas["l"] <= t["l"] and t["r"] <= canvas["r"] and canvas["t"] <= t["t"] and t["b"] <= canvas["b"])]
    assert not outside
    assert not [(a["text"], b["text"]) for a, b in itertools.combinations(labels, 2) if not _apart(a, b)]
    assert not [(a["text"], b["text"]) for a, b in itertools.combinations(boxes, 2) if not _apart(a, b)]
    _shot(browser, tmp_path, "network-crowded")
    assert not _problems(browser)


def _keep_screenshot(path: Path) -> None:
    """Copy a screenshot to $CITATOR_SCREENSHOTS when set, for a person to look at."""
    target = os.environ.get("CITATOR_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)
