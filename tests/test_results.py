"""kg.results: the one home of SPARQL result writers, the same bytes for Oxigraph and rdflib terms."""
from __future__ import annotations

import csv
import io
import json
import xml.dom.minidom

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.query import QueryResult, render
from kg.results import RESULT_FORMATS, text_table, write_boolean, write_solutions

VARIABLES = ["who", "when", "label", "note"]
OX_ROWS = [[ox.NamedNode("https://w3id.org/ofsted-kg/id/person/a-b"),
            ox.Literal("2017-11-06", datatype=ox.NamedNode(str(XSD.date))),
            ox.Literal("Inadequate", language="en"), ox.Literal('says "no", then\ttabs,\nlines')],
           [ox.BlankNode("b0"), None, ox.Literal("Good"), None]]
RDFLIB_ROWS = [[URIRef("https://w3id.org/ofsted-kg/id/person/a-b"), Literal("2017-11-06", datatype=XSD.date),
                Literal("Inadequate", lang="en"), Literal('says "no", then\ttabs,\nlines')],
               [BNode("b0"), None, Literal("Good"), None]]


@pytest.mark.parametrize("fmt", sorted(RESULT_FORMATS))
def test_oxigraph_and_rdflib_terms_are_written_alike(fmt):
    assert write_solutions(fmt, VARIABLES, OX_ROWS) == write_solutions(fmt, VARIABLES, RDFLIB_ROWS)


def test_json_follows_the_w3c_format():
    data = json.loads(write_solutions("json", VARIABLES, OX_ROWS))
    assert data["head"]["vars"] == VARIABLES
    first, second = data["results"]["bindings"]
    assert first["when"] == {"type": "literal", "value": "2017-11-06", "datatype": str(XSD.date)}
    assert first["label"] == {"type": "literal", "value": "Inadequate", "xml:lang": "en"}
    assert "datatype" not in first["note"]  # plain xsd:string
    assert second == {"who": {"type": "bnode", "value": "b0"}, "label": {"type": "literal", "value": "Good"}}


def test_csv_tsv_and_xml_round_trip():
    rows = list(csv.reader(io.StringIO(write_solutions("csv", VARIABLES, OX_ROWS).decode(), newline="")))
    assert rows[1] == ["https://w3id.org/ofsted-kg/id/person/a-b", "2017-11-06", "Inadequate", 'says "no", then\ttabs,\nlines']
    assert rows[2] == ["_:b0", "", "Good", ""]
    tsv = write_solutions("tsv", VARIABLES, OX_ROWS).decode().split("\n")
    assert tsv[0] == "?who\t?when\t?label\t?note" and len(tsv) == 4  # escapes keep one line per row
    assert tsv[1].split("\t")[3] == '"says \\"no\\", then\\ttabs,\\nlines"'
    document = xml.dom.minidom.parseString(write_solutions("xml", VARIABLES, OX_ROWS))
    assert [v.getAttribute("name") for v in document.getElementsByTagName("variable")] == VARIABLES
    assert document.getElementsByTagName("literal")[1].getAttribute("xml:lang") == "en"


def test_booleans():
    assert json.loads(write_boolean("json", True)) == {"head": {}, "boolean": True}
    assert b"<boolean>false</boolean>" in write_boolean("xml", False)
    assert write_boolean("csv", True) == b"true\r\n"


def test_text_table_and_kg_query_render():
    assert text_table(["a", "bb"], [["x", "yyy"], ["long value", None]], shorten=str).splitlines() == [
        "a          | bb", "-----------+----", "x          | yyy", "long value |", "(2 rows)"]
    result = QueryResult(VARIABLES, [dict(zip(VARIABLES, row)) for row in RDFLIB_ROWS])
    for fmt in RESULT_FORMATS:
        assert render(result, fmt) == write_solutions(fmt, VARIABLES, OX_ROWS).decode()
    assert render(QueryResult([], [], ask=True), "xml").count("<boolean>true</boolean>") == 1
