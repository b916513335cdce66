"""Running SPARQL over a built graph and formatting the answers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from .graphio import load_graph, load_store  # noqa: F401  (kg.query.load_store: the public name)
from .paths import QUERIES_DIR


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[dict[str, object]]  # variable -> rdflib term or None
    ask: bool | None = None
    graph: Graph | None = None  # CONSTRUCT / DESCRIBE

    def values(self) -> list[tuple]:
        """Rows as tuples of Python values (strings, ints, dates)."""
        return [tuple(_py(row.get(v)) for v in self.variables) for row in self.rows]


def named_queries(directory: Path = QUERIES_DIR) -> dict[str, Path]:
    return {p.stem: p for p in sorted(directory.glob("*.rq"))}


def query_text(name_or_path: str) -> str:
    """SPARQL from a .rq path or the name of a file in queries/ ('shared-inspectors')."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        return path.read_text(encoding="utf-8")
    named = named_queries()
    if name_or_path in named:
        return named[name_or_path].read_text(encoding="utf-8")
    raise FileNotFoundError(f"{name_or_path}: no such query file, and not one of: {', '.join(named)}")


def question_of(sparql: str) -> str:
    """The user's question stated in a query file's leading comment."""
    lines = [line.lstrip("# ").strip() for line in sparql.splitlines() if line.startswith("#")]
    return " ".join(line for line in lines if line)


def with_values(sparql: str, params: dict[str, str] | None) -> str:
    """Bind variables by an inline VALUES block at the start of the outermost WHERE group, so
    both engines see the same pre-bound variables (values that look like IRIs become IRIs)."""
    if not params:
        return sparql
    block = " ".join(f"VALUES ?{name} {{ {(URIRef(v) if re.match(r'^https?://', v) else Literal(v)).n3()} }}"
                     for name, v in params.items())
    m = re.search(r"\bWHERE\s*\{", sparql, re.I)
    if not m:
        raise ValueError("parameters need a query with a WHERE { ... } clause")
    return sparql[:m.end()] + " " + block + " " + sparql[m.end():]


def query(graph: Graph, sparql: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run SPARQL on an rdflib graph; params bind ?variables to values (see with_values)."""
    result = graph.query(with_values(sparql, params))
    if result.type == "ASK":
        return QueryResult([], [], ask=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult([], [], graph=result.graph)
    variables = [str(v) for v in result.vars]
    rows = [{v: row[i] for i, v in enumerate(variables)} for row in result]
    return QueryResult(variables, rows)


def select(source, sparql: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run SPARQL on an rdflib Graph or an Oxigraph Store, whichever is given."""
    return query(source, sparql, params) if isinstance(source, Graph) else query_store(source, sparql, params)


def export(store, fmt: str) -> bytes:
    """The store's triples in an RDF syntax (kg.graphio names: turtle, nt, nq, trig, jsonld, xml),
    sorted, so the same graph always gives the same bytes."""
    from .graphio import serialize
    from .rdf import PREFIXES

    quads = sorted(store, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
    return serialize(quads, fmt, {k: str(v) for k, v in sorted(PREFIXES.items())})


def query_store(store, sparql: str, params: dict[str, str] | None = None) -> QueryResult:
    """Like query(), on an Oxigraph store; terms come back as rdflib terms."""
    import pyoxigraph as ox

    result = store.query(with_values(sparql, params))
    if isinstance(result, ox.QueryBoolean):
        return QueryResult([], [], ask=bool(result))
    if isinstance(result, ox.QueryTriples):
        graph = Graph()
        for triple in result:
            graph.add((_rdflib(triple.subject), _rdflib(triple.predicate), _rdflib(triple.object)))
        return QueryResult([], [], graph=graph)
    variables = [v.value for v in result.variables]
    rows = [{v: _rdflib(solution[v]) for v in variables} for solution in result]
    return QueryResult(variables, rows)


def _rdflib(term):
    import pyoxigraph as ox
    from rdflib import BNode

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype.endswith("#string") else URIRef(datatype))


def _py(term):
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


def render(result: QueryResult, fmt: str = "table", graph: Graph | None = None) -> str:
    """A result as text: 'table' (IRIs shortened by graph's prefixes), or a W3C result format
    ('csv', 'tsv', 'json', 'xml': kg.results); CONSTRUCT/DESCRIBE graphs as Turtle (JSON-LD for
    'json', RDF/XML for 'xml')."""
    from . import results

    if result.ask is not None:
        return results.write_boolean(fmt, result.ask).decode() if fmt in ("json", "xml") else str(result.ask).lower()
    if result.graph is not None:
        return result.graph.serialize(format={"json": "json-ld", "xml": "xml"}.get(fmt, "turtle"))
    rows = [[row.get(v) for v in result.variables] for row in result.rows]
    if fmt in results.RESULT_FORMATS:
        return results.write_solutions(fmt, result.variables, rows).decode("utf-8")
    return results.text_table(result.variables, rows, shorten=_shortener(graph))


def _shortener(graph: Graph | None):
    from .results import plain

    if graph is None:
        return plain

    def shorten(term) -> str:
        if isinstance(term, URIRef):
            try:
                return graph.namespace_manager.normalizeUri(term)
            except Exception:  # rdflib raises for IRIs it cannot split
                return str(term)
        return plain(term)
    return shorten
