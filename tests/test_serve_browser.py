"""The `kg serve` query page in real headless Chromium (Debian `chromium`, driven over the
DevTools protocol by tests/browser.py): examples from queries/ load, a query typed and run
shows its answer as a table, errors are shown, and the page fetches nothing but the endpoint."""
from __future__ import annotations

import json

import pytest

from browser import Browser
from kg.query import named_queries
from kg.serve import Endpoint, make_server
from kg.serve.http import in_background

pytestmark = pytest.mark.browser

AUTHORITY_GRADES = """PREFIX kg: <https://w3id.org/ofsted-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?authority ?grade WHERE {
  ?i kg:inspectionOf/skos:prefLabel|kg:inspectionOf/<http://www.w3.org/2000/01/rdf-schema#label> ?authority ;
     kg:hasJudgement [ kg:area kg:OverallEffectiveness ; kg:grade/skos:prefLabel ?grade ] .
} ORDER BY ?authority"""


@pytest.fixture(scope="module")
def served(graph_file):
    path = graph_file
    server = make_server(Endpoint.from_file(path), port=0, quiet=True)
    with in_background(server):
        yield server


@pytest.fixture(scope="module")
def page(served, tmp_path_factory):
    with Browser(tmp_path_factory.mktemp("chromium-profile")) as browser:
        browser.open(served.url)
        yield browser


def table(page) -> list[list[str]]:
    return page.js("[...document.querySelectorAll('#results tr')].map(r => [...r.cells].map(c => c.textContent))")


def run_and_wait(page) -> str:
    page.js("document.getElementById('status').textContent = ''")
    page.click("#run")
    return page.wait_for("(() => { const s = document.getElementById('status').textContent;"
                         " return s && !s.startsWith('Running') ? s : null; })()")


def test_page_loads_the_examples_from_queries(page):
    examples = named_queries()
    options = page.js("[...document.querySelectorAll('#example option')].map(o => o.dataset.name)")
    assert options == list(examples) and len(options) > 0
    first = next(iter(examples.values())).read_text(encoding="utf-8")
    assert page.js("document.getElementById('query').value") == first
    assert page.js("document.getElementById('meta').textContent").endswith("rows, 10 s per query")
    assert page.js("document.getElementById('network-link').href") == page.js("location.href") + "network"


def test_every_example_runs_in_the_page(page):
    for index, name in enumerate(named_queries()):
        page.js(f"""(() => {{ const s = document.getElementById('example'); s.value = '{index}';
                             s.dispatchEvent(new Event('change')); }})()""")
        status = run_and_wait(page)
        assert page.js("document.getElementById('error').textContent") == "", name
        assert " in " in status and "ms" in status, f"{name}: {status}"
        header = table(page)[0] if table(page) else []
        assert header, f"{name}: no result table"


def test_typed_query_shows_grades_as_a_table(page):
    page.js("document.getElementById('query').value = ''; document.getElementById('query').focus()")
    page.type(AUTHORITY_GRADES)
    assert run_and_wait(page).startswith("3 rows in ")
    assert table(page) == [["authority", "grade"], ["Dudley", "Inadequate @en"],
                           ["Sandwell", "Inadequate @en"], ["Walsall", "Requires improvement to be good @en"]]
    links = page.js("[...document.querySelectorAll('#downloads a')].map(a => a.textContent)")
    assert links == ["CSV", "TSV", "JSON", "XML"]
    assert page.errors() == []


def test_bad_query_shows_the_endpoint_message(page):
    page.js(f"document.getElementById('query').value = {json.dumps('SELECT ?x WHERE { ?x ')}")
    assert run_and_wait(page).startswith("Failed after")
    error = page.js("document.getElementById('error').textContent")
    assert error.startswith("400 Bad Request\nSPARQL syntax error at line 1, column ")
    assert page.js("document.querySelectorAll('#results tr').length") == 0


def test_update_typed_in_the_page_is_refused(page):
    page.js("document.getElementById('query').value = 'CLEAR ALL'")
    run_and_wait(page)
    assert page.js("document.getElementById('error').textContent").startswith("403 Forbidden\nThis SPARQL endpoint is read-only")


def test_page_fetches_only_from_the_endpoint(page, served):
    requests = page.requests()
    assert requests and all(url.startswith(served.url) for url in requests), requests


def test_network_link_explains_how_to_draw_it(page, served):
    page.click("#network-link")
    page.wait_for("location.pathname === '/network' && document.readyState === 'complete'")
    assert "Run kg network" in page.js("document.body.textContent")
    page.open(served.url)
