"""The example parameters in a query's header comment ("e.g. -p authority=Dudley"): what the
bench times as the question asked, and what a reader copies to the command line."""
from __future__ import annotations

import re

import pytest

from kg.query import example_params, named_queries, query_store, query_text

EXAMPLES = {name: example_params(query_text(name)) for name in named_queries()}


def test_examples_are_read_from_the_header_comment():
    assert EXAMPLES["inspectors-of-two-authorities"] == {"a": "Dudley", "b": "Sandwell"}
    assert EXAMPLES["inspections-led-by"] == {"lead": "Peter McEntee"}  # quoted: a name with a space
    assert EXAMPLES["recommendations-on-theme"] == {"theme": "Domestic abuse"}
    assert EXAMPLES["authority-judgements-over-time"] == {"authority": "Dudley"}
    assert EXAMPLES["shared-inspectors"] == {}  # no parameters
    assert EXAMPLES["grade-transitions-by-authority"] == {}  # "(bind ?authority to see one)": no example


def test_no_example_outside_the_comment():
    assert example_params("# Which inspections? (bind ?lead)\nSELECT ?x WHERE { ?x ?p 'e.g. -p lead=X' }") == {}


@pytest.mark.parametrize("name", sorted(n for n, e in EXAMPLES.items() if e))
def test_example_answers_a_part_of_the_unbound_answer(seed_store, name):
    sparql, params = query_text(name), EXAMPLES[name]
    for variable in params:
        assert re.search(rf"\?{variable}\b", sparql), f"{name}: -p {variable}= names no variable"
    asked = query_store(seed_store, sparql, params)
    unbound = query_store(seed_store, sparql)
    assert len(asked.rows) < len(unbound.rows)
    assert set(map(repr, asked.values())) <= set(map(repr, unbound.values()))
    for variable, value in params.items():
        if variable in asked.variables:
            assert {str(row[variable]) for row in asked.rows} <= {value}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_empty_answer_to_a_value_the_graph_does_not_hold_is_noted(graph_file, capsys, engine):
    """-p values match exactly, case included: "walsall" gives no rows, and a note on stderr
    says the graph holds no such value and names the one it holds in another case. A value the
    graph holds (an inspector who led no inspection) gives no rows and no note."""
    from kg.cli import main

    assert main(["query", "recommendations-of-inspection", "-p", "authority=walsall", "-g", str(graph_file),
                 "--engine", engine]) == 0
    out, err = capsys.readouterr()
    assert "(0 rows)" in out
    assert err == ("kg: note: -p authority=walsall: the graph holds no such value (values match exactly, case "
                   "included); it holds 'Walsall'\n")
    assert main(["query", "inspections-led-by", "-p", "lead=Andy Waugh", "-g", str(graph_file), "--engine", engine]) == 0
    out, err = capsys.readouterr()
    assert "(0 rows)" in out and err == ""
    assert main(["query", "recommendations-on-theme", "-p", "theme=domestic abuse", "-g", str(graph_file),
                 "--engine", engine]) == 0
    assert capsys.readouterr().err.endswith("it holds 'Domestic abuse'\n")  # a thesaurus label (@en)
    assert main(["query", "inspections-led-by", "-p", "lead=https://example.org/nobody", "-g", str(graph_file),
                 "--engine", engine]) == 0
    assert "https://example.org/nobody: the graph holds no such value" in capsys.readouterr().err
    for value, shown in ((" walsall\n", " walsall\\n"), ("W" * 500, "W" * 77 + "...")):  # one line, not too long
        assert main(["query", "recommendations-of-inspection", "-p", f"authority={value}", "-g", str(graph_file),
                     "--engine", engine]) == 0
        err = capsys.readouterr().err
        assert err.startswith(f"kg: note: -p authority={shown}: the graph") and err.count("\n") == 1
    assert err.endswith("case included)\n")
