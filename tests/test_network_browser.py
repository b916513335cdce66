"""The interactive network page in real headless Chromium (Debian `chromium`), driven over the
DevTools protocol by tests/browser.py. The page must load from file:// with no console errors and
no network requests; search, hover, click and the filters must work as a user would use them.
"""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from browser import CHROMIUM, Browser

from kg.network.graphs import load_network
from kg.network.render_html import render_html

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


class Page(Browser):
    def hover(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=x, y=y)

    def click_at(self, x: float, y: float) -> None:
        self.hover(x, y)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", session=True, type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(self.send("Page.captureScreenshot", session=True, format="png")["data"])
        path.write_bytes(data)
        return data

    def problems(self) -> list[str]:
        """Console errors, exceptions, and any request that is not file:, data: or about:."""
        return self.errors() + [f"request: {url}" for url in self.requests()
                                if not url.startswith(("file:", "data:", "about:"))]


@pytest.fixture(scope="module")
def page(seed_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("network-html")
    html = render_html(load_network(seed_graph), folder / "network.html")
    with Page(folder / "profile", width=1400, height=900) as page:
        page.send("Emulation.setDeviceMetricsOverride", session=True, width=1400, height=900,
                  deviceScaleFactor=1, mobile=False)
        page.open(html.as_uri())
        page.wait_for("document.body.dataset.ready === 'true'")
        yield page


def node_state(page, label: str) -> dict:
    return page.js(f"""(() => {{
        const g = [...document.querySelectorAll('.node')].find(n => n.dataset.label === {json.dumps(label)});
        if (!g) return null;
        const r = g.firstElementChild.getBoundingClientRect();  // the circle or square
        return {{classes: [...g.classList], x: r.x + r.width / 2, y: r.y + r.height / 2,
                 hidden: g.classList.contains('hidden'), opacity: getComputedStyle(g).opacity}};
    }})()""")


def choose(page, select: str, value: str) -> None:
    page.js(f"""(() => {{ const s = document.getElementById({json.dumps(select)});
        s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change')); }})()""")


def reset(page) -> None:
    page.js("document.getElementById('reset').click()")


def test_page_loads_offline_without_errors(page):
    assert page.js("document.title") == "Who inspected where"
    assert page.problems() == []
    assert page.js("document.querySelectorAll('script[src], link[rel=stylesheet], img[src^=http]').length") == 0


def test_all_inspectors_and_authorities_are_drawn(page):
    labels = page.js("[...document.querySelectorAll('.node')].map(n => n.dataset.label)")
    authorities = page.js("[...document.querySelectorAll('.node.authority')].map(n => n.dataset.label)")
    assert sorted(authorities) == ["Dudley", "Sandwell", "Walsall"]
    assert len(labels) == 3 + 19
    assert {"Peter McEntee", "Andy Waugh", "Pauline Higham", "Linda Steele", "Jenny Turnross"} <= set(labels)
    shared = page.js("[...document.querySelectorAll('.node.inspector.shared')].map(n => n.dataset.label)")
    assert sorted(shared) == ["Andy Waugh", "Jenny Turnross", "Linda Steele", "Pauline Higham", "Peter McEntee"]
    assert page.js("document.querySelectorAll('.edge').length") == 14 + 2 * 3 + 3 * 2  # one line per place worked


def test_typing_a_search_highlights_the_inspector(page, tmp_path):
    reset(page)
    page.js("document.getElementById('search').focus()")
    page.type("mcentee")
    assert page.js("document.getElementById('count').textContent") == "1 match"
    peter = node_state(page, "Peter McEntee")
    assert "match" in peter["classes"] and "selected" in peter["classes"]
    matched = page.js("[...document.querySelectorAll('.node.match')].map(n => n.dataset.label)")
    assert matched == ["Peter McEntee"]
    # his neighbours (the three authorities) stay lit, everybody else is dimmed
    lit = page.js("[...document.querySelectorAll('.node.hl')].map(n => n.dataset.label).sort()")
    assert lit == ["Dudley", "Peter McEntee", "Sandwell", "Walsall"]
    assert float(node_state(page, "Lucy Martin")["opacity"]) < 0.5
    assert "Dudley SIF inspection 2016-01-11" in page.js("document.getElementById('details').textContent")
    shot = page.screenshot(tmp_path / "search.png")
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    from matplotlib.image import imread

    pixels = imread(tmp_path / "search.png")
    assert pixels.shape[:2] == (900, 1400)
    assert (pixels[..., :3].min(axis=2) < 0.9).mean() > 0.02  # not a blank page
    fill = page.js("""getComputedStyle(document.querySelector('.node.selected circle')).fill""")
    expected = [int(v) / 255 for v in fill[4:-1].split(",")]
    x, y = round(peter["x"]), round(peter["y"])
    assert abs(pixels[y, x, :3] - expected).max() < 0.05  # his circle is painted where the DOM says
    assert page.problems() == []


def test_hover_lists_the_inspections(page):
    reset(page)
    linda = node_state(page, "Linda Steele")
    page.hover(linda["x"], linda["y"])
    tip = page.js("document.getElementById('tip').textContent")
    assert "2 inspection(s) in 2 authorities" in tip
    assert "Dudley SIF inspection 2016-01-11 · Deputy lead inspector" in tip
    assert "Walsall SIF inspection 2017-06-20 · Team inspector" in tip


def test_click_an_authority_highlights_its_inspectors(page):
    reset(page)
    sandwell = node_state(page, "Sandwell")
    page.click_at(sandwell["x"], sandwell["y"])
    lit = set(page.js("[...document.querySelectorAll('.node.hl')].map(n => n.dataset.label)"))
    assert lit == {"Sandwell", "Karen Wareing", "Peter McEntee", "Pauline Higham", "Shabana Abasi", "Tracey Scott",
                   "Andy Waugh", "Nick Gadfield"}
    details = page.js("document.getElementById('details').textContent")
    assert "Also inspected elsewhere: Andy Waugh, Pauline Higham, Peter McEntee" in details


def test_filter_by_year_and_role(page):
    reset(page)
    choose(page, "from", "2018")
    visible = page.js("[...document.querySelectorAll('.node:not(.hidden)')].map(n => n.dataset.label).sort()")
    assert visible == ["Andy Waugh", "Dudley", "Pauline Higham", "Sue Williams"]  # the 2018 monitoring visit
    reset(page)
    choose(page, "role", "Lead inspector")
    visible = page.js("[...document.querySelectorAll('.node:not(.hidden)')].map(n => n.dataset.label).sort()")
    assert visible == ["Dudley", "Jenny Turnross", "Karen Wareing", "Peter McEntee", "Sandwell", "Walsall"]
    reset(page)
    assert page.js("document.querySelectorAll('.node.hidden').length") == 0
    assert page.problems() == []
