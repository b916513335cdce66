"""The explorer in real headless Chromium (tests/browser.py): follow links from an authority to
an inspector and on to another authority, search from the home page (accents ignored), move by
keyboard, no console errors, nothing fetched from elsewhere; the static site works from file://."""
from __future__ import annotations

import base64

import pytest

from browser import Browser
from kg.explore import write_site
from kg.serve import Endpoint, make_server
from kg.serve.http import in_background

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(graph_file):
    server = make_server(Endpoint.from_file(graph_file), port=0, quiet=True)
    with in_background(server):
        yield server


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with Browser(tmp_path_factory.mktemp("chromium-profile"), width=390, height=844) as browser:
        yield browser


def test_authority_to_inspector_to_another_authority(served, page):
    base = served.url.rstrip("/")
    page.open(base + "/id/authority/dudley")
    assert page.js("document.querySelector('h1').textContent") == "Dudley"
    assert page.js("document.querySelectorAll('figure.timeline svg circle').length") >= 7
    page.js("document.querySelector('a[href=\"/id/inspector/peter-mcentee\"]').scrollIntoView()")
    page.click('a[href="/id/inspector/peter-mcentee"]')
    page.wait_for("location.pathname === '/id/inspector/peter-mcentee' && document.readyState === 'complete'")
    assert page.js("document.querySelector('h1').textContent") == "Peter McEntee"
    page.js("document.querySelector('main a[href=\"/id/authority/sandwell\"]').scrollIntoView()")
    page.click('main a[href="/id/authority/sandwell"]')
    page.wait_for("location.pathname === '/id/authority/sandwell' && document.readyState === 'complete'")
    assert page.js("document.querySelector('h1').textContent") == "Sandwell"
    # readable on a phone: nothing wider than the screen except inside scrolling boxes
    assert page.js("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.errors() == []
    assert all(url.startswith(base) or url.startswith("data:") for url in page.requests())


def test_home_search_ignores_case_and_accents_and_works_by_keyboard(served, page):
    page.open(served.url + "id/")
    page.js("document.getElementById('search').focus()")
    page.type("sÁndwéll")
    page.wait_for("document.querySelectorAll('#search-results a').length > 0")
    assert page.js("[...document.querySelectorAll('#search-results a')].map(a => a.textContent)") == ["Sandwell"]
    page.send("Input.dispatchKeyEvent", session=True, type="keyDown", key="Enter", code="Enter",
              windowsVirtualKeyCode=13, text="\r")
    page.send("Input.dispatchKeyEvent", session=True, type="keyUp", key="Enter", code="Enter", windowsVirtualKeyCode=13)
    page.wait_for("location.pathname === '/id/authority/sandwell'")
    assert page.errors() == []


def test_static_site_from_file_urls(graph_file, tmp_path):
    out = tmp_path / "site"
    write_site(graph_file, out)
    with Browser(tmp_path / "profile") as browser:
        browser.open((out / "index.html").as_uri())
        browser.js("document.getElementById('search').focus()")
        browser.type("mcentee")
        browser.wait_for("document.querySelectorAll('#search-results a').length === 1")
        browser.click("#search-results a")
        browser.wait_for("location.href.endsWith('id/inspector/peter-mcentee.html') && document.readyState === 'complete'")
        assert browser.js("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # the CSS loaded
        assert browser.errors() == []
        assert all(url.startswith("file://") or url.startswith("data:") for url in browser.requests())


def test_screenshot_of_each_page_type(served, page, tmp_path):
    """One screenshot per page type (kept in the test's tmp folder for a person to look at)."""
    for name, path in (("home", "id/"), ("authority", "id/authority/dudley"),
                       ("inspection", "id/inspection/dudley-2016-01-11"),
                       ("inspector", "id/inspector/peter-mcentee"), ("theme", "def/theme/workforce")):
        page.open(served.url + path)
        shot = page.send("Page.captureScreenshot", session=True, format="png")
        png = base64.b64decode(shot["data"])
        assert png.startswith(b"\x89PNG") and len(png) > 5000
        (tmp_path / f"{name}.png").write_bytes(png)
    assert page.errors() == []
