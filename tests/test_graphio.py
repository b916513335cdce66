"""kg.graphio: one table of RDF syntaxes, readers that refuse damaged graphs, the persistent
store's read path; and every command that reads a graph answering one line + a documented code."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.exitcodes import ExitCode
from kg.graphio import (SYNTAX_NAMES, GraphFileError, GraphMissing, load_graph, load_store, open_store, read_triples,
                        stamp_matches, syntax, syntax_of)
from kg.outputs import OutputDir

GOOD = b"""@prefix ex: <http://example.org/> .
ex:a ex:b "one" .
ex:a ex:c ex:d .
"""
DAMAGED = {
    "empty": (b"", "graph file is empty (0 bytes): rebuild it with 'kg build'"),
    "truncated": (GOOD[:-12], "not a readable turtle graph (damaged or truncated?)"),
    "garbage": (b"\x00\x01\xfe\xff PK\x03\x04 not turtle at all {{{", "not a readable turtle graph"),
    "prefixes-only": (b"@prefix ex: <http://example.org/> .\n", "graph file holds no triples"),
}


@pytest.fixture(params=sorted(DAMAGED))
def damaged(request, tmp_path):
    content, reason = DAMAGED[request.param]
    path = tmp_path / "graph.ttl"
    path.write_bytes(content)
    return path, reason


@pytest.mark.parametrize("name", SYNTAX_NAMES)
def test_every_syntax_is_read_whole_into_validates_graph(name, tmp_path):
    """kg validate's graph keeps its own indexes: a file read into it (whatever parser reads the
    syntax) holds every triple, as kg export writes it (JSON-LD, TriG and N-Quads once held none)."""
    from kg.graphio import serialize
    from kg.validate import ValidationGraph

    path = tmp_path / f"graph{syntax(name).suffixes[0]}"
    path.write_bytes(serialize(read_triples(_good(tmp_path)), name))
    assert len(load_graph(path, ValidationGraph())) == len(load_graph(path)) == 2


def _good(folder):
    path = folder / "good.ttl"
    path.write_bytes(GOOD)
    return path


def test_one_table_of_syntaxes():
    assert SYNTAX_NAMES == ("turtle", "nt", "nq", "trig", "jsonld", "xml")
    assert syntax_of("out/graph.ttl").name == "turtle" and syntax_of("x.NT").name == "nt"
    assert syntax_of("x.jsonld").media_types[0] == "application/ld+json"
    assert syntax("json-ld") is syntax("jsonld") and syntax("rdfxml").name == "xml"
    assert syntax_of("graph.unknown").name == "turtle"  # kg build writes Turtle
    with pytest.raises(ValueError, match="unknown RDF syntax 'yaml'"):
        syntax("yaml")


@pytest.mark.parametrize("reader", [load_store, load_graph, read_triples, open_store])
def test_readers_refuse_a_damaged_graph(damaged, reader):
    path, reason = damaged
    with pytest.raises(GraphFileError) as refused:
        reader(path)
    assert str(refused.value).startswith(f"{path}: {reason}")
    assert "\n" not in str(refused.value)


def test_a_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_bytes(GOOD + b"ex:e ex:f ex:g ;; ]\n")
    with pytest.raises(GraphFileError, match=r"graph.ttl: .*line 4.*column"):
        load_store(path)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(GraphMissing, match="no such file"):
        load_store(tmp_path / "nothing.ttl")
    with pytest.raises(GraphMissing, match="is a folder with no graph.ttl in it"):  # a wrong path: usage (exit 2)
        load_store(tmp_path)
    OutputDir(tmp_path).graph.write_bytes(GOOD)  # a build output folder names its graph.ttl
    assert len(load_store(tmp_path)) == len(load_store(OutputDir(tmp_path).graph)) > 0
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.ttl"
        locked.write_bytes(GOOD)
        locked.chmod(0)
        with pytest.raises(GraphFileError, match="permission denied"):
            load_store(locked)


def test_good_graph_reads_the_same_everywhere(tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_bytes(GOOD)
    assert len(load_store(path)) == len(load_graph(path)) == len(read_triples(path)) == len(open_store(path)) == 2


MARKER = ox.Triple(ox.NamedNode("http://example.org/from-store"), ox.NamedNode("http://example.org/p"),
                   ox.Literal("store"))


def _built_folder(tmp_path) -> OutputDir:
    """What kg build leaves: graph.ttl, and the store loaded from it and stamped with its size,
    time and sha256 (plus MARKER, a triple that is not in graph.ttl, to tell the store from the file)."""
    import hashlib

    out = OutputDir(tmp_path / "out")
    out.root.mkdir()
    out.graph.write_bytes(GOOD)
    store = ox.Store(str(out.store))
    store.bulk_load(path=str(out.graph), format=ox.RdfFormat.TURTLE)
    store.add(ox.Quad(MARKER.subject, MARKER.predicate, MARKER.object))
    store.flush()
    del store
    stat = out.graph.stat()
    out.store_stamp.write_text(json.dumps({"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                           "sha256": hashlib.sha256(GOOD).hexdigest()}))
    return out


def test_open_store_uses_the_persistent_store_only_while_its_stamp_matches(tmp_path):
    out, marker = _built_folder(tmp_path), MARKER
    assert stamp_matches(out.graph)
    store = open_store(out.graph)
    assert len(store) == 3 and marker in {q.triple for q in store}
    with pytest.raises(RuntimeError, match="read-write"):  # opened read-only: nothing writes through it
        store.add(ox.Quad(marker.subject, marker.predicate, ox.Literal("changed")))
    del store
    # graph.ttl rewritten since: the stamp no longer matches, the file is read instead
    out.graph.write_bytes(GOOD + b'<http://example.org/new> <http://example.org/p> "new" .\n')
    assert not stamp_matches(out.graph)
    fresh = {q.triple for q in open_store(out.graph)}
    assert len(fresh) == 3 and marker not in fresh
    # a damaged stamp is no stamp
    out.store_stamp.write_text("{not json")
    assert not stamp_matches(out.graph) and len(open_store(out.graph)) == 3


def test_a_copied_folder_that_lost_the_files_times_still_uses_its_store(tmp_path):
    """`cp -r` (or an unzipped archive) gives graph.ttl a new time: the stamp still matches by
    size and sha256, so the store is used; the same size with other bytes is not the graph."""
    out, marker = _built_folder(tmp_path), MARKER
    later = out.graph.stat().st_mtime_ns + 5_000_000_000
    os.utime(out.graph, ns=(later, later))
    assert stamp_matches(out.graph)
    assert marker in {q.triple for q in open_store(out.graph)}
    out.graph.write_bytes(GOOD.replace(b'"one"', b'"two"'))  # same size, other bytes
    os.utime(out.graph, ns=(later, later))
    assert not stamp_matches(out.graph)
    assert marker not in {q.triple for q in open_store(out.graph)}


# ------------------------------------------------------------------ commands

COMMANDS = {
    "validate": lambda g: ["validate", str(g)],
    "query": lambda g: ["query", "-e", "SELECT * WHERE { ?s ?p ?o }", "-g", str(g)],
    "query-rdflib": lambda g: ["query", "-e", "SELECT * WHERE { ?s ?p ?o }", "-g", str(g), "--engine", "rdflib"],
    "export": lambda g: ["export", "-g", str(g)],
    "push": lambda g: ["push", str(g), "--endpoint", "http://127.0.0.1:1"],
    "serve": lambda g: ["serve", str(g), "--port", "0"],
    "network": lambda g: ["network", "-g", str(g), "--no-files"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_commands_refuse_a_damaged_graph_in_one_line(damaged, command, capsys):
    path, reason = damaged
    assert main(COMMANDS[command](path)) == ExitCode.FILE_ERROR
    captured = capsys.readouterr()
    assert captured.err == f"kg: error: {path}: {reason}" + captured.err.split(reason, 1)[1]
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert "conforms" not in captured.out and "row" not in captured.out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_commands_on_a_missing_graph_are_usage_errors(command, tmp_path, capsys):
    assert main(COMMANDS[command](tmp_path / "missing.ttl")) == ExitCode.USAGE
    assert "no such file" in capsys.readouterr().err


def test_malformed_param_is_a_usage_error(tmp_path, capsys):
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(GOOD)
    assert main(["query", "-e", "SELECT * WHERE { ?s ?p ?o }", "-g", str(graph), "-p", "noequals"]) == ExitCode.USAGE
    assert capsys.readouterr().err == "kg: error: -p 'noequals': expected VAR=VALUE, e.g. -p authority=Dudley\n"


@pytest.mark.parametrize("text", [
    "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
])
def test_deeply_nested_query_text_is_one_line_and_exit_2(tmp_path, text):
    """In a subprocess: before the fix, deep nesting killed the process (SIGSEGV)."""
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(GOOD)
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", "-e", text, "-g", str(graph)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert "nested too deeply" in done.stderr and done.stderr.startswith("kg: query error: ")
    assert done.stderr.count("\n") == 1 and done.stdout == ""


@pytest.mark.parametrize("text, message", [
    ("PREFIX ex: <http://example.org/>\nSELECT * { ?s ex:x\\# ?o . SERVICE <http://127.0.0.1:1/> { ?a ?b ?c } }",
     "query error"),
    ("SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", "SERVICE (federated query) is not allowed"),
    ("LOAD <http://127.0.0.1:1/data.ttl>", "SPARQL Update (LOAD) is refused"),
])
def test_refused_query_text_is_one_line_and_exit_2(tmp_path, capsys, text, message):
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(GOOD)
    assert main(["query", "-e", text, "-g", str(graph)]) == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert message in err and err.startswith("kg: query error: ")
    assert err.count("\n") == 1 and out == ""


def test_load_graph_reads_turtle_as_rdflib_does_and_keeps_two_files_blank_nodes_apart(tmp_path):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from kg.paths import ONTOLOGY_DIR

    for path in sorted(ONTOLOGY_DIR.rglob("*.ttl")):  # shapes: blank nodes and lists; vocabularies: @en labels
        ours, rdflibs = load_graph(path), Graph().parse(str(path), format="turtle")
        assert isomorphic(ours, rdflibs), path.name
        assert dict(ours.namespaces()) == dict(rdflibs.namespaces()), path.name
    text = b'@prefix ex: <http://example.org/> .\n_:b0 ex:p "plain" , "tagged"@en , 3 , "x"^^ex:t ; ex:q ( 1 2 ) .\n'
    (tmp_path / "a.ttl").write_bytes(text)
    (tmp_path / "b.ttl").write_bytes(text)
    both = load_graph(tmp_path / "b.ttl", load_graph(tmp_path / "a.ttl"))
    rdflibs = Graph().parse(tmp_path / "a.ttl", format="turtle").parse(tmp_path / "b.ttl", format="turtle")
    assert len(both) == len(rdflibs) == 2 * 9 and isomorphic(both, rdflibs)
    (tmp_path / "c.ttl").write_bytes(b'<http://example.org/a> <http://example.org/p> "colour"@en-GB .\n')
    (label,) = load_graph(tmp_path / "c.ttl").objects()
    assert label.language == "en-gb"  # Oxigraph writes language tags in lower case (RDF: case does not matter)
