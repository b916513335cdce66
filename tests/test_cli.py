"""The command line: help everywhere, query formats, export syntaxes, errors."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph

from kg.cli import make_parser, main
from kg.graphio import load_store

COMMANDS = ["build", "validate", "query", "export", "network", "serve", "push", "table", "plot", "site"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"usage: kg {command}" in capsys.readouterr().out


def test_all_commands_are_registered():
    sub = next(a for a in make_parser()._actions if a.dest == "==SUPPRESS==" or a.__class__.__name__ == "_SubParsersAction")
    assert sorted(sub.choices) == sorted(COMMANDS)


def test_query_formats(graph_file, capsys):
    assert main(["query", "inspections-led-by", "-g", str(graph_file), "-p", "lead=Karen Wareing", "-f", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "lead,authority,start,end,overall", "Karen Wareing,Sandwell,2017-11-06,2017-11-30,Inadequate"]
    assert main(["query", "inspections-led-by", "-g", str(graph_file), "-p", "lead=Karen Wareing", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"] == ["lead", "authority", "start", "end", "overall"]
    assert data["results"]["bindings"][0]["start"] == {
        "type": "literal", "value": "2017-11-06", "datatype": "http://www.w3.org/2001/XMLSchema#date"}
    assert main(["query", "-e", "ASK { ?x a <https://w3id.org/ofsted-kg/def#MonitoringVisit> }", "-g", str(graph_file)]) == 0
    assert capsys.readouterr().out.strip() == "true"


def test_query_by_file_and_both_engines(graph_file, tmp_path, capsys):
    rq = tmp_path / "count.rq"
    rq.write_text("# How many inspections?\nSELECT (COUNT(?i) AS ?n) WHERE { ?i <https://w3id.org/ofsted-kg/def#inspectionOf> ?a }\n")
    for engine in ("oxigraph", "rdflib"):
        assert main(["query", str(rq), "-g", str(graph_file), "--engine", engine, "-f", "csv"]) == 0
        assert capsys.readouterr().out.splitlines() == ["n", "4"]


def test_every_graph_argument_takes_a_build_output_folder():
    from kg.outputs import graph_path

    sub = next(a for a in make_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    takes_graph = {name: [a for a in parser._actions if a.dest == "graph"] for name, parser in sub.choices.items()}
    assert {name for name, actions in takes_graph.items() if actions} == set(COMMANDS) - {"build"}
    assert all(a.type is graph_path for actions in takes_graph.values() for a in actions)


def test_a_build_output_folder_is_read_as_its_graph(graph_file, tmp_path, capsys):
    folder = str(graph_file.parent)  # holds graph.ttl, as out/ does
    assert main(["query", "inspections-led-by", "-g", folder, "-p", "lead=Karen Wareing", "-f", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "Karen Wareing,Sandwell,2017-11-06,2017-11-30,Inadequate"
    assert main(["export", "-g", folder, "-f", "nt", "-o", str(tmp_path / "g.nt")]) == 0
    assert (tmp_path / "g.nt").read_bytes().count(b"\n") == len(load_store(graph_file))
    empty = tmp_path / "empty"
    empty.mkdir()
    capsys.readouterr()
    assert main(["query", "shared-inspectors", "-g", str(empty)]) == 2
    assert "empty: is a folder with no graph.ttl in it" in capsys.readouterr().err


def test_a_query_file_without_a_query_is_named_with_the_reason(graph_file, tmp_path, capsys):
    for name, text in [("empty.rq", ""), ("blank.rq", "  \n"), ("comments.rq", "# Who led Dudley?\nPREFIX kg: <x:>\n")]:
        (tmp_path / name).write_text(text)
        assert main(["query", str(tmp_path / name), "-g", str(graph_file)]) == 2
        err = capsys.readouterr().err
        assert err == f"kg: query error: {tmp_path / name}: No query: the text holds only comments, PREFIX or BASE " \
                      "declarations and white space.\n"
    assert main(["query", str(tmp_path / "blank.rq"), "-e", " ", "-g", str(graph_file)]) == 2
    assert capsys.readouterr().err.startswith("kg: query error: No query: ")


def test_bad_sparql_and_missing_files(graph_file, capsys):
    assert main(["query", "-e", "SELECT WHERE {", "-g", str(graph_file)]) == 2
    assert "query error" in capsys.readouterr().err
    assert main(["query", "no-such-query", "-g", str(graph_file)]) == 2
    assert "no such query file" in capsys.readouterr().err
    assert main(["validate", "missing.ttl"]) == 2
    assert main(["export", "-g", "missing.ttl"]) == 2


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("nt", "nt"), ("nq", "nquads"),
                                                 ("trig", "trig"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_export_round_trips(graph_file, seed_graph, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"graph.{fmt}"
    assert main(["export", "-g", str(graph_file), "-f", fmt, "-o", str(out)]) == 0
    if fmt in ("nq", "trig"):
        from rdflib import Dataset
        back = Dataset()
        back.parse(out, format=rdflib_format)
        assert len(back) == len(seed_graph)
    else:
        back = Graph().parse(out, format=rdflib_format)
        assert len(back) == len(seed_graph)


def test_export_is_deterministic(graph_file, tmp_path):
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    main(["export", "-g", str(graph_file), "-f", "nt", "-o", str(a)])
    main(["export", "-g", str(graph_file), "-f", "nt", "-o", str(b)])
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("argv, message", [
    (["build", "--base", "not a base"], "argument --base: 'not a base' is not a valid IRI"),
    (["build", "--base", "https://example.org/id"], "must end with / or #"),
    (["build", "--base", "urn:x:"], "is not an absolute http(s) URL"),
    (["site", "-o", "s", "--sparql", "/sparql"], "argument --sparql: '/sparql' is not a valid IRI"),
    (["site", "-o", "s", "--sparql", "http://example.org/my endpoint"], "is not a valid IRI"),
    (["push", "--endpoint", "http://[::1"], "argument --endpoint: 'http://[::1' is not a valid IRI"),
    (["push", "--endpoint", "ftp://example.org/"], "is not an absolute http(s) URL"),
    (["push", "--endpoint", "http://127.0.0.1:1", "--timeout", "-5"], "must be a number of seconds above 0"),
    (["serve", "--timeout", "nan"], "must be a number of seconds above 0"),
    (["serve", "--timeout", "soon"], "invalid number of seconds: 'soon'"),
])
def test_bad_urls_iris_and_time_limits_are_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("content, reason", [(b'SELECT * { ?s ?p "caf\xe9" }', "not UTF-8 text: byte 0xe9 at position 21"),
                                             (None, "Is a directory")])
def test_an_unreadable_query_file_is_one_line_and_exit_5(graph_file, tmp_path, capsys, content, reason):
    path = tmp_path / "q.rq"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    assert main(["query", str(path), "-g", str(graph_file)]) == 5
    assert capsys.readouterr().err == f"kg: error: {path}: cannot read ({reason})\n"


def test_a_query_file_starting_with_a_byte_order_mark_is_read(graph_file, tmp_path, capsys):
    """Windows editors save UTF-8 with a byte-order mark; neither engine parses it as SPARQL."""
    path = tmp_path / "q.rq"
    path.write_bytes(b"\xef\xbb\xbf# the authorities\nSELECT (COUNT(*) AS ?n) WHERE { ?a a "
                     b"<https://w3id.org/ofsted-kg/def#LocalAuthority> }\n")
    assert main(["query", str(path), "-g", str(graph_file), "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "3"]


@pytest.mark.parametrize("argv", [["build", "--workers", "0"], ["build", "--workers", "two"],
                                  ["network", "--top", "-1"], ["network", "--png-top", "0"]])
def test_counts_below_one_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "must be at least 1" in err or "invalid whole number" in err
