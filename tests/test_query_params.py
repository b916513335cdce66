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
