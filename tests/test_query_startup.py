"""`kg query` answers at start-up speed: on a graph with a current store it opens the store and
never imports rdflib or pySHACL; its table and result formats read as they did through rdflib."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build.write import sha256, write_graph, write_store
from kg.graphio import open_store, persistent_store, read_prefixes
from kg.outputs import OutputDir
from kg.query import named_queries, prefixed_name, query_store, query_text, render
from conftest import examples

HEAVY = ("rdflib", "pyshacl", "networkx", "matplotlib", "pandas")

PROBE = """
import contextlib, io, json, sys
from kg.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
print(json.dumps({"code": int(code), "out": out.getvalue(), "heavy": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


@pytest.fixture(scope="module")
def built(seed_build, tmp_path_factory):
    """An output folder as `kg build` leaves it: graph.ttl and a store stamped with it."""
    out = OutputDir(tmp_path_factory.mktemp("built"))
    write_graph(out, seed_build.turtle)
    import pyoxigraph as ox

    nt = ox.serialize(ox.parse(seed_build.turtle, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
    write_store(out, nt, sha256(seed_build.turtle))
    assert persistent_store(out.graph) == out.store
    return out


def _probe(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_kg_query_on_a_current_store_imports_no_rdflib(built, fmt):
    probe = _probe("query", "shared-inspectors", "-g", str(built.graph), "-f", fmt)
    assert probe["code"] == 0
    assert "Andy Waugh" in probe["out"] and "Sandwell" in probe["out"]
    assert probe["heavy"] == []


def test_kg_query_with_a_parameter_imports_no_rdflib(built):
    probe = _probe("query", "inspections-led-by", "-g", str(built.graph), "-p", "lead=Karen Wareing", "-f", "csv")
    assert probe["code"] == 0 and probe["heavy"] == []
    assert len(probe["out"].strip().splitlines()) > 1  # a header and at least one inspection


def test_construct_answers_as_turtle(built):
    # (a query given as text is checked by kg.sparql, which parses it with rdflib's grammar)
    probe = _probe("query", "-e", "CONSTRUCT { ?a ?p ?o } WHERE { ?a a <https://w3id.org/ofsted-kg/def#LocalAuthority> ; ?p ?o }",
                   "-g", str(built.graph))
    assert probe["code"] == 0
    assert "@prefix kg: <https://w3id.org/ofsted-kg/def#> ." in probe["out"] and '"Dudley"' in probe["out"]


@pytest.fixture(scope="module")
def store(built):
    """The persistent store, opened read-only as kg query opens it."""
    return open_store(built.graph)


@pytest.mark.parametrize("name", sorted(named_queries()))
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_native_terms_render_as_rdflib_terms(built, store, name, fmt):
    sparql = query_text(name)
    prefixes = read_prefixes(built.graph)
    assert render(query_store(store, sparql, native=True), fmt, prefixes) == render(query_store(store, sparql), fmt, prefixes)


def test_native_values_are_python_values(store):
    sparql = query_text("grades-by-lead-inspector")
    assert query_store(store, sparql, native=True).values() == query_store(store, sparql).values()


NAMESPACES = {"kg": "https://w3id.org/ofsted-kg/def#", "theme": "https://w3id.org/ofsted-kg/def/theme/",
              "id": "https://w3id.org/ofsted-kg/id/", "schema": "https://schema.org/"}


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(sorted(NAMESPACES.values()) + ["https://w3id.org/ofsted-kg/id/authority/", "urn:x:"]),
       st.text(alphabet=st.sampled_from("aZ09_-.%()/#é·\u0301 "), max_size=8))
def test_table_names_iris_as_rdflib_does(namespace, local):
    from rdflib import Graph, URIRef

    graph = Graph(bind_namespaces="none")
    for prefix, ns in NAMESPACES.items():
        graph.bind(prefix, ns)
    iri = namespace + local
    try:
        expected = graph.namespace_manager.normalizeUri(URIRef(iri))
    except Exception:  # rdflib raises for a few IRIs; the old table printed them as they are
        return
    assert prefixed_name(iri, {ns: p for p, ns in NAMESPACES.items()}) == expected
