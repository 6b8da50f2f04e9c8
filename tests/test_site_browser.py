"""`citator serve` for real, and one real browser (Debian's headless Chromium) on the network view
and a case page. The browser never touches the internet: every asset comes from the local server.

Chromium and chromedriver come from Debian (.ci/apt-packages); the test is skipped, saying why,
only where they are not installed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from tests.fakes import site_corpus as corpus

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1000"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`citator serve` on the invented corpus; yields the base URL."""
    workdir = tmp_path_factory.mktemp("serve")
    database = corpus.build_site_db(workdir / "citator.db")
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


def test_serve_is_immutable_with_time_limit_and_site(served: str) -> None:
    settings = httpx.get(served + "/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == 3000
    databases = {d["name"]: d for d in httpx.get(served + "/-/databases.json").json()}
    assert databases["citator"]["is_mutable"] is False
    plugins = {p["name"] for p in httpx.get(served + "/-/plugins.json").json()}
    assert "citator_site.py" in plugins
    assert httpx.get(served + "/-/citator/about").status_code == 200
    rows = httpx.get(served + "/citator/reliance.json", params={"_shape": "array"}).json()
    assert len(rows) == 5
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


def test_network_view_and_case_page_in_chromium(served: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served + "/-/citator/network?seed=bernstein-9th")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#network[data-ready] svg"))
    nodes = browser.find_elements(By.CSS_SELECTOR, "#network g.node")
    assert len(nodes) == 7  # the seed, five citing cases (one at two steps), and bernstein-1
    assert all(n.is_displayed() for n in nodes)
    withdrawn = browser.find_elements(By.CSS_SELECTOR, "#network g.node.withdrawn")
    assert [w.get_attribute("data-id") for w in withdrawn] == [corpus.SEED_9TH_CASE]
    edges = browser.find_elements(By.CSS_SELECTOR, "#network line.edge")
    assert {e.get_attribute("data-treatment") for e in edges} >= {"followed", "distinguished", "criticized_or_declined"}
    labels = " ".join(t.text for t in browser.find_elements(By.CSS_SELECTOR, "#network text"))
    assert "<script>" in labels  # the planted case name shows as text, not as an element
    assert "cases, " in browser.find_element(By.ID, "network-status").text
    browser.save_screenshot(str(tmp_path / "network.png"))
    _keep_screenshot(tmp_path / "network.png")

    # Clicking a node opens its case page.
    node = browser.find_element(By.CSS_SELECTOR, f'#network g.node[data-id="{corpus.CASE_A}"] circle')
    node.click()
    _wait(browser, lambda d: "/-/citator/case" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Testcase v. Example Agency"
    marks = browser.find_elements(By.CSS_SELECTOR, "blockquote.context mark.ref")
    assert marks and all(m.is_displayed() for m in marks)
    assert "176 F.3d 1132, 1141" in [m.text for m in marks]
    background = marks[0].value_of_css_property("background-color")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the highlight is styled
    browser.save_screenshot(str(tmp_path / "case.png"))
    _keep_screenshot(tmp_path / "case.png")

    # The page with planted markup runs no planted script: nothing set a global, no dialog opened.
    browser.get(served + "/-/citator/case?id=" + corpus.CASE_E.replace(":", "%3A"))
    assert "Markup v. Injection Board" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.execute_script("return typeof window.alert") == "function"
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert not severe, severe


def _keep_screenshot(path: Path) -> None:
    """Copy a screenshot to $CITATOR_SCREENSHOTS when set, for a person to look at."""
    target = os.environ.get("CITATOR_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)
