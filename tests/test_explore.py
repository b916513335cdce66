"""The linked-data explorer (kg.explore): IRIs dereferenced by `kg serve` as HTML pages for
people and Turtle/JSON-LD/N-Triples for machines, the VoID description, and `kg site`."""
from __future__ import annotations

import http.client
import json
import re
from html import escape
import subprocess
import sys
from pathlib import Path

import pytest

from kg.graphio import GraphFileError
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kg.explore import Explorer, Links, route, write_site
from kg.explore.describe import choose
from kg.explore.iris import iris_of, key_of
from kg.serve import Endpoint, make_server
from kg.serve.http import in_background
from conftest import examples

ID = "https://w3id.org/ofsted-kg/id/"
KG = "https://w3id.org/ofsted-kg/def#"
VOID = "http://rdfs.org/ns/void#"
DUDLEY = ID + "authority/dudley"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@pytest.fixture(scope="module")
def endpoint(graph_file) -> Endpoint:
    return Endpoint.from_file(graph_file, workers=0)


@pytest.fixture(scope="module")
def served(endpoint):
    server = make_server(endpoint, port=0, quiet=True)
    with in_background(server):
        yield server


def get(server, path: str, accept: str | None = None):
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", path, headers={"Accept": accept} if accept else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body.decode("utf-8")


def parsed(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=fmt)


# ------------------------------------------------------------------ IRIs and negotiation

def test_keys_map_iris_both_ways():
    assert key_of(DUDLEY) == "id/authority/dudley" and iris_of("id/authority/dudley") == [DUDLEY]
    assert key_of(KG + "Good") == "def/Good" and iris_of("def/Good")[0] == KG + "Good"
    theme = "https://w3id.org/ofsted-kg/def/theme/workforce"
    assert key_of(theme) == "def/theme/workforce" and iris_of("def/theme/workforce") == [theme]
    assert key_of("http://statistics.data.gov.uk/id/statistical-geography/E08000027") is None


@pytest.mark.parametrize("accept, chosen", [
    (None, "html"), ("*/*", "html"), ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("text/turtle", "turtle"), ("application/ld+json", "jsonld"), ("application/n-triples", "ntriples"),
    ("text/html;q=0.5, text/turtle", "turtle"), ("application/rdf+xml", None), ("text/turtle;q=0", None)])
def test_accept_header_chooses_the_syntax(accept, chosen):
    assert choose(accept) == chosen


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=80))
def test_any_accept_header_gives_a_known_syntax_or_none(accept):
    assert choose(accept) in ("html", "turtle", "jsonld", "ntriples", None)


@settings(max_examples=examples(150), deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_path_under_id_is_answered_without_a_crash(endpoint, tail):
    response = route(endpoint, "/id/" + tail, "text/turtle")
    assert response is not None and response.status in (200, 404, 406)


def test_authority_iri_answers_html_turtle_jsonld_and_ntriples(served):
    status, headers, html = get(served, "/id/authority/dudley", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Vary"] == "Accept" and headers["Content-Location"] == "/id/authority/dudley.html"
    assert 'rel="alternate"; type="text/turtle"' in headers["Link"]
    status, headers, ttl = get(served, "/id/authority/dudley", "text/turtle")
    assert status == 200 and headers["Content-Location"] == "/id/authority/dudley.ttl"
    g = parsed(ttl, "turtle")
    assert (URIRef(DUDLEY), RDFS.label, Literal("Dudley")) in g
    assert (URIRef(DUDLEY), URIRef(KG + "gssCode"), Literal("E08000027")) in g
    assert (URIRef(KG + "LocalAuthority"), RDFS.label, Literal("Local authority", lang="en")) in g  # labels of what it points to
    for suffix, fmt in ((".jsonld", "json-ld"), (".nt", "nt"), (".ttl", "turtle")):
        status, _, text = get(served, "/id/authority/dudley" + suffix, "text/html")  # the suffix wins
        assert status == 200 and set(parsed(text, fmt)) == set(g), suffix


def test_inspection_description_includes_its_judgements(served):
    status, _, ttl = get(served, "/id/inspection/dudley-2016-01-11.ttl")
    g = parsed(ttl, "turtle")
    overall = URIRef(ID + "inspection/dudley-2016-01-11/judgement/overall-effectiveness")
    assert (overall, URIRef(KG + "grade"), URIRef(KG + "Inadequate")) in g
    assert (URIRef(KG + "Inadequate"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            Literal("Inadequate", lang="en")) in g


def test_unknown_iris_are_404_and_unacceptable_syntax_406(served):
    assert get(served, "/id/authority/atlantis")[0] == 404
    assert get(served, "/id/authority/atlantis.ttl")[0] == 404
    assert get(served, "/def/NoSuchTerm")[0] == 404
    status, headers, html = get(served, "/id/authority/atlantis", "text/html")  # a browser gets a page
    assert status == 404 and headers["Content-Type"].startswith("text/html") and 'href="/id/"' in html
    status, _, body = get(served, "/id/authority/dudley", "application/rdf+xml")
    assert status == 406 and "text/turtle" in body


# ------------------------------------------------------------------ pages

def test_authority_page_has_codes_timeline_inspections_and_shared_inspectors(served):
    _, _, html = get(served, "/id/authority/dudley")
    assert "<h1>Dudley</h1>" in html and "80464" in html and ">332<" in html
    assert 'href="http://statistics.data.gov.uk/id/statistical-geography/E08000027"' in html
    assert "<svg" in html and "Overall effectiveness: Inadequate (2016-01-11)" in html
    assert 'href="/id/inspection/dudley-2016-01-11"' in html
    assert 'href="/id/inspection/dudley-monitoring-visit-2018-02-08"' in html
    shared = html[html.index("Authorities sharing inspectors"):]
    walsall = re.search(r'<tr><td><a href="/id/authority/walsall">Walsall</a></td><td>(\d+)</td><td>(.*?)</td>', shared)
    assert walsall and walsall.group(1) == "4"
    assert re.findall(r">([^<]+)</a>", walsall.group(2)) == ["Andy Waugh", "Jenny Turnross", "Linda Steele", "Peter McEntee"]
    assert 'href="/id/inspector/andrew-waugh"' in walsall.group(2)


def test_inspection_page_has_judgements_with_quotes_team_and_recommendations(served, seed_records):
    _, _, html = get(served, "/id/inspection/dudley-2016-01-11")
    record = seed_records["000"]
    overall = next(j for j in record.judgements if j.area == "OverallEffectiveness")
    assert f"p. {overall.page}" in html
    assert f"<blockquote>{escape(overall.evidence)}</blockquote>" in html  # verbatim quote
    assert 'id="judgement/overall-effectiveness"' in html and 'class="grade r4">Inadequate' in html
    assert re.search(r'<a href="/id/inspector/peter-mcentee">Peter McEntee</a></td><td>Lead inspector', html)
    assert record.sha256 in html and "000_284825235fdca148.txt" in html
    assert html.count('<li id="recommendation/') == len(record.recommendations)
    assert 'href="/def/theme/' in html
    themes = html[html.index("Themes in the report"):]
    mentioned = {m.theme: m.count for m in record.theme_mentions if m.area is None}
    top = max(mentioned, key=lambda t: (mentioned[t], t))
    assert f'href="/def/theme/{top}"' in themes and f" ({mentioned[top]})</a>" in themes
    # each judgement's row names the themes most mentioned in the findings under it (kg:underJudgement)
    assert "Themes of its findings" in html
    for judgement in record.judgements:
        under = sorted(((-m.count, m.theme) for m in record.theme_mentions if m.area == judgement.area))
        row = re.search(rf'<tr id="judgement/[^"]*">(?:(?!</tr>).)*{re.escape(escape(judgement.evidence))}.*?</tr>',
                        html, re.S).group(0)
        if under:
            count, theme = under[0]
            assert f'href="/def/theme/{theme}"' in row and f" ({-count})</a>" in row, judgement.area
        assert row.count("<li><a ") == min(5, len(under)), judgement.area


def test_inspector_page_lists_inspections_roles_and_authorities(served):
    _, _, html = get(served, "/id/inspector/peter-mcentee")
    assert "<h1>Peter McEntee</h1>" in html
    assert re.search(r"Dudley SIF inspection 2016-01-11</a></td><td>Lead inspector", html)
    assert re.search(r"Sandwell SIF inspection 2017-11-06</a></td><td>Deputy lead inspector", html)
    for authority in ("dudley", "sandwell", "walsall"):
        assert f'href="/id/authority/{authority}"' in html
    assert "Co-inspectors" in html and 'href="/id/inspector/andrew-waugh">Andy Waugh<' in html


def test_theme_page_lists_recommendations_across_authorities(served, endpoint):
    theme = endpoint.store.query(f"""SELECT ?t (COUNT(?r) AS ?n) WHERE {{ ?r a <{KG}Recommendation> ; <{KG}hasTheme> ?t }}
                                    GROUP BY ?t ORDER BY DESC(?n) ?t LIMIT 1""")
    row = next(iter(theme))
    key = row["t"].value.replace("https://w3id.org/ofsted-kg/", "/")
    _, _, html = get(served, key)
    assert f"Recommendations on this theme ({row['n'].value}," in html
    by_year = re.search(r"<dt>Recommendations by year</dt><dd>(.*?)</dd>", html).group(1)
    assert sum(int(part.split(": ")[1]) for part in by_year.split(", ")) == int(row["n"].value)


def test_home_page_counts_and_search_index(served):
    status, _, html = get(served, "/id/")
    assert status == 200
    assert "<strong>3</strong>Local authorities" in html
    index = json.loads(re.search(r'<script type="application/json" id="search-index">(.*?)</script>', html).group(1))
    assert ["Dudley", "authority", "/id/authority/dudley"] in index
    assert ["Peter McEntee", "inspector", "/id/inspector/peter-mcentee"] in index
    assert 'href="/"' in html and 'href="/.well-known/void"' in html and "/id/_assets/explore.js" in html
    assert 'href="/#shared-inspectors"' in html  # the query page opens that example


def test_ontology_terms_and_concepts_dereference(served):
    status, _, html = get(served, "/def/Good")
    assert status == 200 and "<h1>Good</h1>" in html
    status, _, ttl = get(served, "/def/theme/workforce", "text/turtle")
    assert status == 200 and "Workforce stability" in ttl


# ------------------------------------------------------------------ VoID

def test_void_describes_the_dataset(served, endpoint):
    status, headers, ttl = get(served, "/.well-known/void")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = parsed(ttl, "turtle")
    d = URIRef(ID + "dataset")
    assert int(g.value(d, URIRef(VOID + "triples"))) == len(endpoint)
    assert g.value(d, URIRef("http://purl.org/dc/terms/license")) == URIRef(OGL)
    host, port = served.server_address[:2]
    assert g.value(d, URIRef(VOID + "sparqlEndpoint")) == URIRef(f"http://{host}:{port}/sparql")
    partitions = {g.value(p, URIRef(VOID + "class")): int(g.value(p, URIRef(VOID + "entities")))
                  for p in g.objects(d, URIRef(VOID + "classPartition"))}
    assert partitions[URIRef(KG + "LocalAuthority")] == 3
    assert len(set(g.objects(d, URIRef("http://purl.org/dc/terms/source")))) == 5
    assert URIRef(DUDLEY) in set(g.objects(d, URIRef(VOID + "exampleResource")))
    status, headers, home = get(served, "/id/", "text/turtle")  # the explorer's home, as data
    assert status == 200 and headers["Content-Location"] == "/.well-known/void.ttl" and isomorphic(parsed(home, "turtle"), g)
    status, _, jsonld = get(served, "/.well-known/void", "application/ld+json")
    assert status == 200 and isomorphic(parsed(jsonld, "json-ld"), g)


# ------------------------------------------------------------------ static site

@pytest.fixture(scope="module")
def site(graph_file, tmp_path_factory):
    """The seed graph's static site, written by one thread."""
    return write_site(graph_file, tmp_path_factory.mktemp("site") / "site", workers=1)


def test_static_site_has_every_page_with_relative_links_that_resolve(site):
    out, result = site.out, site
    assert (out / "index.html").is_file() and (out / "id/authority/dudley.html").is_file()
    assert (out / "_assets/explore.css").is_file() and (out / "void.ttl").is_file()
    pages = list(out.rglob("*.html"))
    assert result.pages == len(pages)
    broken = []
    for page in pages:
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            if href.startswith(("http://", "https://", "data:", "#")):
                continue
            assert not href.startswith("/"), f"{page}: absolute link {href}"
            target = (page.parent / href.split("#")[0]).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(out)} -> {href}")
    assert broken == []
    g = parsed((out / "id/authority/dudley.ttl").read_text(encoding="utf-8"), "turtle")
    assert (URIRef(DUDLEY), RDFS.label, Literal("Dudley")) in g


def test_static_site_is_replaced_only_when_complete(graph_file, tmp_path):
    out = tmp_path / "site"
    write_site(graph_file, out)
    before = (out / "index.html").read_bytes()
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    with pytest.raises(GraphFileError):
        write_site(bad, out)
    assert (out / "index.html").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")] == []


def test_static_pages_are_deterministic(graph_file, endpoint):
    explorer = Explorer(endpoint.store)
    links = Links(static=True, here="id/authority/dudley")
    assert explorer.html("id/authority/dudley", links) == Explorer(endpoint.store).html("id/authority/dudley", links)
    first = route(endpoint, "/id/inspection/dudley-2016-01-11.ttl", None).body
    again = route(Endpoint.from_file(graph_file, workers=0), "/id/inspection/dudley-2016-01-11.ttl", None).body
    assert first == again and len(first) > 1000


def test_kg_site_command(graph_file, tmp_path, capsys):
    done = subprocess.run([sys.executable, "-m", "kg.cli", "site", "-g", str(graph_file), "-o", str(tmp_path / "site")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("Wrote ") and "index.html" in done.stdout
    missing = Done(capsys, "site", "-g", str(tmp_path / "none.ttl"), "-o", str(tmp_path / "x"))
    assert missing.returncode == 2 and "none.ttl: no such file" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle <<<", encoding="utf-8")
    broken = Done(capsys, "site", "-g", str(bad), "-o", str(tmp_path / "y"))
    assert broken.returncode == 5 and "bad.ttl: not a readable turtle graph" in broken.stderr


class Done:
    """What `kg ARGS` did, run in this process (kg.cli.main): exit code and standard error."""

    def __init__(self, capsys, *args):
        from kg.cli import main

        capsys.readouterr()
        self.returncode = main(list(args))
        self.stderr = capsys.readouterr().err


def test_an_empty_graph_never_replaces_a_site(graph_file, tmp_path, capsys):
    run = lambda *args: Done(capsys, *args)
    site = tmp_path / "site"
    assert run("site", "-g", str(graph_file), "-o", str(site)).returncode == 0
    before = (site / "index.html").read_bytes()
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    done = run("site", "-g", str(empty), "-o", str(site))  # a damaged graph file, as for every command
    assert done.returncode == 5 and "empty.ttl: graph file is empty" in done.stderr and "Traceback" not in done.stderr
    assert (site / "index.html").read_bytes() == before
    unrelated = tmp_path / "unrelated.ttl"  # good RDF, but nothing the explorer publishes
    unrelated.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    done = run("site", "-g", str(unrelated), "-o", str(site))
    assert done.returncode == 3 and "unrelated.ttl: no authorities" in done.stderr and "Traceback" not in done.stderr
    assert (site / "index.html").read_bytes() == before
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me", encoding="utf-8")
    done = run("site", "-g", str(graph_file), "-o", str(a_file))
    assert done.returncode == 2 and "is not a folder" in done.stderr and a_file.read_text() == "keep me"


# ------------------------------------------------------------------ the README stays true

def test_readme_content_negotiation_examples_are_real(served):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Browsing the graph: the linked-data explorer and `kg site`", 1)[1].split("\n## ", 1)[0]
    assert "`kg site -o DIR" in readme
    _, headers, _ = get(served, "/id/authority/dudley", "text/html")
    for name in ("Vary", "Content-Location", "Link"):
        assert f"\n{name}: {headers[name]}\n" in section, name
    _, _, ttl = get(served, "/id/authority/dudley", "text/turtle")
    shown = "\n".join(line for line in ttl.splitlines() if not line.startswith("@prefix"))
    assert shown in section
    _, _, nt = get(served, "/id/authority/dudley.nt")
    assert "\n".join(nt.splitlines()[:2]) in section
    for path, accept in (("/id/authority/atlantis", None), ("/id/authority/dudley", "application/rdf+xml")):
        assert get(served, path, accept)[2].strip() in section


def test_extraction_findings_on_the_report_are_shown_when_the_graph_has_them(graph_file):
    """The extraction warnings on a report node (kg:hasFinding -> kg:ExtractionFinding, as the
    extractor writes them; any class that is a kind of finding or warning) appear on the
    inspection page; none, no section."""
    import pyoxigraph as ox

    store = Endpoint.from_file(graph_file, workers=0).store
    explorer = Explorer(store)
    page = explorer.html("id/inspection/dudley-2016-01-11", Links())
    assert "Extraction warnings" not in page
    report, finding = ox.NamedNode(ID + "report/dudley-2016-01-11"), ox.NamedNode(ID + "report/dudley-2016-01-11/finding/1")
    for s, p, o in ((report, ox.NamedNode(KG + "hasFinding"), finding),
                    (finding, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(KG + "ExtractionFinding")),
                    (finding, ox.NamedNode(KG + "findingCode"), ox.Literal("team-list-incomplete")),
                    (finding, ox.NamedNode(KG + "severity"), ox.NamedNode("http://www.w3.org/ns/shacl#Warning")),
                    (finding, ox.NamedNode(KG + "evidence"), ox.Literal("Lead inspector: ... (continued)")),
                    (finding, ox.NamedNode(KG + "message"), ox.Literal("The team list continues on a page that was not read")),
                    (finding, ox.NamedNode(KG + "page"), ox.Literal("44", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))):
        store.add(ox.Quad(s, p, o))
    page = Explorer(store).html("id/inspection/dudley-2016-01-11", Links())
    warnings = page[page.index("Extraction warnings"):]
    assert "team-list-incomplete" in warnings and "The team list continues on a page that was not read" in warnings
    assert "<td>44</td>" in warnings and "<td>Warning</td>" in warnings and "(continued)" in warnings


def test_static_site_is_the_same_whatever_the_number_of_threads(graph_file, site, tmp_path):
    one = site.out
    four = write_site(graph_file, tmp_path / "four", workers=4).out
    files = lambda root: {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert files(one) == files(four) and len(files(one)) > 100


_segment = st.text(alphabet="abcdefghij-0123456789", min_size=1, max_size=8)


@settings(max_examples=examples(300), deadline=None)
@given(here=st.lists(_segment, min_size=1, max_size=4), target=st.lists(_segment, min_size=1, max_size=4))
def test_static_links_resolve_to_the_target_file(here, target):
    import posixpath

    here_key, target_key = "id/" + "/".join(here), "id/" + "/".join(target[:2])  # pages are id/<kind>/<slug>
    links = Links(static=True, here=here_key)
    href = links.href(target_key)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(links.file(here_key)), href))
    assert resolved == links.file(target_key)
    home = posixpath.normpath(posixpath.join(posixpath.dirname(links.file(here_key)), links.href("id/")))
    assert home == "index.html"


def test_iris_with_spaces_and_accents_dereference_with_ascii_headers(graph_file, tmp_path):
    import pyoxigraph as ox

    endpoint = Endpoint.from_file(graph_file, workers=0)
    odd = ox.NamedNode(ID + "inspector/zoë%20o'brien")
    endpoint.store.add(ox.Quad(odd, ox.NamedNode(str(RDFS.label)), ox.Literal("Zoë O'Brien")))
    response = route(endpoint, "/id/inspector/zo%C3%AB%2520o'brien", "text/turtle")
    assert response.status == 200 and "Zoë O'Brien" in response.text
    for value in response.headers.values():
        value.encode("ascii")
