"""What makes builds fast keeps them right: a refused input's reason is cached by content,
the validation graph's prepared SPARQL finds what plain rdflib finds, core commands load only
their own modules."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.build import build
from kg.validate import ValidationGraph, validate_graph
from conftest import examples

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
WALSALL = "003_4132d220367c3fd2.txt"
NOT_A_PDF = b"<!DOCTYPE html><html><body>Page not found</body></html>"


def test_a_refused_input_is_not_read_again_until_its_bytes_change(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / WALSALL, inputs / "walsall.txt")
    (inputs / "report.pdf").write_bytes(NOT_A_PDF)
    first = build([inputs], tmp_path / "out")
    refused = next(f for f in first.files if f.source_file == "in/report.pdf")
    assert "not a PDF" in refused.error and not refused.cached

    from kg.build import workers

    def no_extraction(*args, **kwargs):
        raise AssertionError("an unchanged refused input was read again")
    monkeypatch.setattr(workers, "extract_file", no_extraction)
    again = build([inputs], tmp_path / "out")
    cached = next(f for f in again.files if f.source_file == "in/report.pdf")
    assert cached.cached and cached.error == refused.error and again.unchanged
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    assert [f["error"] for f in report["files"] if f["error"]] == [refused.error]

    monkeypatch.undo()
    (inputs / "report.pdf").write_bytes(NOT_A_PDF.replace(b"not found", b"gone"))
    changed = build([inputs], tmp_path / "out")
    fresh = next(f for f in changed.files if f.source_file == "in/report.pdf")
    assert not fresh.cached and "not a PDF" in fresh.error


def test_prepared_sparql_constraints_find_what_plain_rdflib_finds(seed_graph):
    """The sh:sparql constraints (end date after publication) through ValidationGraph, whose
    query texts are parsed once, give the same violations as through a plain graph."""
    from rdflib import Namespace

    kg = Namespace("https://w3id.org/ofsted-kg/def#")
    plain, prepared = Graph(), ValidationGraph()
    for graph in (plain, prepared):
        graph += seed_graph
        for inspection in list(graph.subjects(kg.endDate, None)):
            graph.set((inspection, kg.endDate, Literal("2030-01-01", datatype=XSD.date)))
    expected = validate_graph(plain).results
    assert any("after the report's publication date" in v.message for v in expected)
    assert validate_graph(prepared).results == expected
    assert validate_graph(prepared).results == expected  # the second run uses the parsed queries


def test_build_command_loads_no_other_command_module():
    probe = ("import sys; from kg.cli import make_parser; make_parser(['build', '--help']); "
             "print(sorted(m for m in sys.modules if m.startswith(('kg.serve', 'kg.explore', 'kg.network', 'kg.push'))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    probe = probe.replace("'build', '--help'", "'--help'")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "kg.serve.cli" in done.stdout  # `kg --help` still lists every command


def test_the_shared_nodes_are_validated_again_only_when_what_they_say_changes(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / WALSALL, inputs / "walsall.txt")
    first = build([inputs], tmp_path / "out")
    (tmp_path / "out" / "graph.ttl").unlink()  # written again, from the same records

    from kg.build import assemble

    def no_validation(ntriples):
        raise AssertionError("the unchanged shared nodes were validated again")
    monkeypatch.setattr(assemble, "validate_subgraph", no_validation)
    again = build([inputs], tmp_path / "out")
    assert not again.unchanged and again.turtle == first.turtle
    assert again.validation.results == first.validation.results
    from kg.build.cache import Cache
    saved = Cache(tmp_path / "out" / ".kg-cache", "", "")
    state = saved.state()
    state["shared_violations"] = [{"nonsense": 1}]  # well-formed but not violations: validated again, not trusted
    saved.save_state(state)
    (tmp_path / "out" / "graph.ttl").unlink()
    monkeypatch.undo()
    assert build([inputs], tmp_path / "out").validation.conforms == first.validation.conforms


def _data_triples(seed_graph) -> list:
    """The data about Walsall (its authority, inspection and the inspection's nodes): a quarter
    of the seed graph, every shape of a full report, so each example validates in ~0.2 s."""
    from kg.rdf import vocabulary_graph

    vocabulary = set(vocabulary_graph())
    return sorted(t for t in seed_graph if t not in vocabulary and "walsall" in str(t[0]))


@pytest.mark.slow  # ~6 s: 12 random breakages, each validated twice; tests/test_shacl.py checks every shape fast
@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["drop", "literal", "iri", "extra"])),
                        min_size=1, max_size=12))
def test_the_shapes_as_run_find_what_the_shapes_file_finds_on_a_plain_graph(seed_graph, changes):
    """validate_graph runs the shapes with each node shape's targets on its property shapes, on
    a ValidationGraph; pySHACL on a plain rdflib graph with shapes.ttl as written finds the same."""
    from rdflib import URIRef

    from kg.graphio import load_graph
    from kg.paths import SHAPES_FILE
    from kg.validate import validation_graph

    kg = "https://w3id.org/ofsted-kg/def#"
    triples = _data_triples(seed_graph)
    data = set(triples)
    for index, how in changes:
        s, p, o = triples[index % len(triples)]
        data.discard((s, p, o))
        if how == "literal":
            data.add((s, p, Literal("x")))
        elif how == "iri":
            data.add((s, p, URIRef(kg + "Nonsense")))
        elif how == "extra":
            data.add((s, p, o))
            data.add((s, p, Literal(0)))
    from kg.rdf import vocabulary_graph

    plain = Graph()
    plain += vocabulary_graph()  # the vocabulary and the changed data
    for t in data:
        plain.add(t)
    expected = validate_graph(plain, load_graph(SHAPES_FILE))
    actual = validate_graph(validation_graph(data))
    assert actual.results == expected.results and actual.conforms == expected.conforms


def test_a_complex_result_path_is_written_the_same_way_every_time(seed_graph):
    """A sequence path's sh:resultPath is a blank node with a random label: the violation says
    the path in SPARQL syntax instead, so the same graph gives the same build report."""
    from rdflib import Namespace

    from kg.validate import validation_graph

    kg = Namespace("https://w3id.org/ofsted-kg/def#")
    graph = validation_graph(seed_graph)
    mention = min(graph.objects(None, kg.hasThemeMention))
    graph.set((mention, kg.mentionCount, Literal(0)))
    graph.set((mention, kg.hasTheme, kg.Nonsense))
    from rdflib import RDF, URIRef

    finding = URIRef("https://w3id.org/ofsted-kg/id/finding/of-no-report")  # no report has it
    graph.add((finding, RDF.type, kg.ExtractionFinding))
    results = validate_graph(graph).results
    assert {kg + "hasThemeMention/" + kg + "mentionCount", kg + "hasThemeMention/" + kg + "hasTheme",
            "^" + kg + "hasFinding"} <= {v.path for v in results}
    assert validate_graph(graph).results == results


_TERMS = st.sampled_from([URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")])
_OBJECTS = st.sampled_from([URIRef("urn:a"), URIRef("urn:c"), Literal("1"), Literal("1", datatype=XSD.integer),
                            Literal("01", datatype=XSD.integer), Literal("x", lang="en"), Literal("x", lang="EN")])
_TRIPLES = st.tuples(_TERMS, _TERMS, _OBJECTS)


@settings(max_examples=examples(150), deadline=None)
@given(added=st.lists(_TRIPLES, max_size=25), removed=st.lists(st.tuples(st.none() | _TERMS, st.none() | _TERMS,
                                                                            st.none() | _OBJECTS), max_size=3),
       asked=st.lists(st.tuples(st.none() | _TERMS, st.none() | _TERMS, st.none() | _OBJECTS), min_size=1, max_size=8))
def test_a_validation_graph_answers_every_pattern_as_an_rdflib_graph_does(added, removed, asked):
    """ValidationGraph's own indexes and shortcuts (objects, subjects, `in`) give rdflib's answers,
    with RDF term equality (1 and "1"^^xsd:integer differ; "01" and "1" as integers differ; language
    tags are case-insensitive), after any additions and removals."""
    ours, plain = ValidationGraph(), Graph()
    for triple in added:
        ours.add(triple)
        plain.add(triple)
    for pattern in removed:
        ours.remove(pattern)
        plain.remove(pattern)
    assert len(ours) == len(plain)
    for s, p, o in asked:
        assert sorted(ours.triples((s, p, o))) == sorted(plain.triples((s, p, o)))
        if s is not None and p is not None:
            assert sorted(ours.objects(s, p)) == sorted(plain.objects(s, p))
        if p is not None and o is not None:
            assert sorted(ours.subjects(p, o)) == sorted(plain.subjects(p, o))
        if s is not None and p is not None and o is not None:
            assert ((s, p, o) in ours) == ((s, p, o) in plain)


_NODES = ["<urn:x:a>", "<urn:x:b>", "<urn:x:b0>", "<urn:x:c>", "<https://w3id.org/ofsted-kg/id/inspection/a>",
          "<http://www.w3.org/2004/02/skos/core#Concept>"]
_PREDICATES = ["<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<http://www.w3.org/2000/01/rdf-schema#label>",
               "<https://w3id.org/ofsted-kg/ontology#page>"]
_VALUES = _NODES + ['"x"', '"x y"@en', '"line\\nbreak"', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>']
_LINES = st.builds(lambda s, p, o: f"{s} {p} {o} .\n", st.sampled_from(_NODES), st.sampled_from(_PREDICATES),
                   st.sampled_from(_VALUES))


@settings(max_examples=examples(200), deadline=None)
@given(chunks=st.lists(st.sets(_LINES, max_size=12), min_size=1, max_size=5), data=st.data())
def test_the_turtle_joined_from_chunks_is_the_whole_graph_serialised(chunks, data):
    """The Turtle of a cold build is joined from each chunk's own (made in the workers), the
    subjects several chunks describe written from all their lines: the same bytes, and the same
    index, as serialising the sorted lines of the whole graph, whichever chunks come with their
    statements made."""
    from kg.build import assemble

    texts = ["".join(sorted(lines)) for lines in chunks]
    made = [assemble.chunk_statements(text) if data.draw(st.booleans()) else None for text in texts]
    merged = assemble.merge(texts, None, made)
    joined = assemble._joined(merged)
    whole = assemble._serialize(assemble.merge(texts).ntriples)
    if not any(chunks):  # an empty graph (a build never has one: the vocabulary is in it)
        assert joined is None and assemble.turtle(merged)[0] == whole == b""
        return
    assert joined is not None
    assert joined[0] == whole
    assert joined[1] == assemble._turtle_index(assemble.merge(texts), whole)
    assert assemble.turtle(merged) == joined


def test_a_chunk_not_sorted_by_subject_is_serialised_with_the_whole_graph():
    from kg.build import assemble

    unsorted = '<urn:x:b> <urn:x:p> "1" .\n<urn:x:a> <urn:x:p> "2" .\n<urn:x:b> <urn:x:p> "3" .\n'
    merged = assemble.merge(['<urn:x:a> <urn:x:p> "0" .\n', unsorted])
    assert assemble._joined(merged) is None
    data, index = assemble.turtle(merged)
    assert data == assemble._serialize(merged.ntriples) and index["counts"] == [2, 2]


@settings(max_examples=examples(200), deadline=None)
@given(sizes=st.lists(st.integers(1, 5000), max_size=60), workers=st.integers(1, 4))
def test_the_batches_hold_every_job_once_and_shrink_toward_the_end(sizes, workers):
    """Guided batches: every job in exactly one batch, largest files first, each batch (but the
    last) filled just to its share of the bytes left (half a worker's) or to its least share of
    them all, one batch for one worker."""
    from kg.build.workers import Job, partition

    jobs = [Job(Path(f"f{i}"), f"f{i:02}", b"x" * size, f"{i}", "pdfium") for i, size in enumerate(sizes)]
    batches = partition(jobs, workers)
    assert sorted(j.display for b in batches for j in b) == sorted(j.display for j in jobs)
    assert all(b for b in batches) and all(b == sorted(b, key=lambda j: j.display) for b in batches)
    if workers == 1:
        assert len(batches) <= 1
        return
    biggest = [max(len(j.data) for j in b) for b in batches]
    assert all(a >= b for a, b in zip(biggest, biggest[1:]))
    total = left = sum(sizes)
    for batch in batches[:-1]:
        share = max(left / (2 * workers), total / (8 * workers))
        held = sorted(len(j.data) for j in batch)
        assert sum(held) >= share > sum(held) - held[0]
        left -= sum(held)
    assert len(batches) <= 8 * workers + 1


def test_pyshacl_with_its_namespaces_quickened_finds_what_it_finds_without(seed_graph, monkeypatch):
    """kg.validate.quicken_pyshacl gives pySHACL's modules namespaces that make each term once;
    on Walsall's data broken along every sequence path of the theme mentions (a count of 0, a
    page that is text, a theme that is no theme) the violations are the same as with pySHACL's
    own namespaces, and the same terms come from either."""
    import sys

    from rdflib import Namespace

    from kg import validate
    from kg.validate import TermsOnce, validation_graph

    kg = "https://w3id.org/ofsted-kg/def#"
    plain, once = Namespace(kg), TermsOnce(kg)
    assert once.hasTheme == plain.hasTheme == once["hasTheme"] and once.hasTheme is once.hasTheme
    assert str(once) == kg and once.term("page") == plain.page
    with pytest.raises(AttributeError):
        once.__wrapped__  # noqa: B018 (dunder names are not terms, as in Namespace)

    data = set(_data_triples(seed_graph))
    broken = {"mentionCount": Literal(0), "page": Literal("x"), "hasTheme": URIRef(kg + "Nonsense")}
    for predicate, value in broken.items():
        mention = next(t for t in sorted(data) if t[1] == URIRef(kg + predicate) and "/theme/" in str(t[0]))
        data.discard(mention)
        data.add((mention[0], mention[1], value))
    for name, module in list(sys.modules.items()):  # pySHACL as it comes
        if name.startswith("pyshacl") and module is not None:
            for attribute, value in list(vars(module).items()):
                if isinstance(value, TermsOnce):
                    monkeypatch.setattr(module, attribute, Namespace(str(value)))
    monkeypatch.setattr(validate, "quicken_pyshacl", lambda: None)
    as_it_comes = validate.validate_graph(validation_graph(data))
    monkeypatch.undo()
    quickened = validate.validate_graph(validation_graph(data))
    from pyshacl.helper import expression_helper
    assert isinstance(expression_helper.RDF, TermsOnce)
    assert quickened.results == as_it_comes.results and not quickened.conforms
    assert {v.path.rsplit("#", 1)[-1] for v in quickened.results} >= {"mentionCount", "page", "hasTheme"}
