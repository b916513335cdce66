"""SHACL validation (pySHACL) against ontology/shapes.ttl, with readable results."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from .graphio import load_graph
from .paths import SHAPES_FILE

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    value: str = ""

    def __str__(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{value}"


@dataclass
class ValidationReport:
    conforms: bool
    results: list[Violation]

    def summary(self) -> str:
        if self.conforms:
            return "SHACL: conforms (0 violations)"
        return f"SHACL: {len(self.results)} violation(s)\n" + "\n".join(f"  {v}" for v in self.results)


@lru_cache(maxsize=1)
def shapes_graph(path: Path = SHAPES_FILE) -> Graph:
    return load_graph(path)


def validate_graph(graph: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate a data graph (which must carry the ontology, as kg build's output does).
    The graph is not changed (no inference), so pySHACL need not copy it first."""
    from pyshacl import validate

    conforms, results_graph, _ = validate(graph, shacl_graph=shapes or shapes_graph(), inplace=True,
                                          inference="none", abort_on_first=False, allow_warnings=True)
    violations = []
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        def get(p):
            value = results_graph.value(result, p)
            return "" if value is None else str(value)
        violations.append(Violation(get(SH.focusNode), get(SH.resultPath), get(SH.resultMessage),
                                    get(SH.resultSeverity).rsplit("#", 1)[-1], get(SH.value)))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)


def validate_file(path: Path) -> ValidationReport:
    """Validate an RDF file (with the vocabularies); kg.graphio.GraphFileError if it is missing,
    empty or damaged, so a broken file never "conforms"."""
    from .graphio import load_graph

    return validate_graph(load_graph(path, validation_graph()))


class ValidationGraph(Graph):
    """A data graph whose SPARQL texts are parsed once: pySHACL runs each sh:sparql constraint
    once per focus node with the same text, and parsing it each time was ~40% of the SHACL
    time of a build. Same queries, same results."""

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def validation_graph(*parts) -> ValidationGraph:
    """A ValidationGraph holding the ontology and vocabularies (read once per process) and
    every triple of `parts` (graphs or iterables of triples)."""
    graph = ValidationGraph()
    for part in (_vocabulary(), *parts):
        graph.addN((s, p, o, graph) for s, p, o in part)
    return graph


@lru_cache(maxsize=1)
def _vocabulary() -> tuple:
    from .rdf import vocabulary_graph

    return tuple(vocabulary_graph())


@lru_cache(maxsize=64)
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)
