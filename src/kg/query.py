"""Running SPARQL over a built graph and formatting the answers."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from .paths import QUERIES_DIR

FORMATS = ("table", "csv", "json")


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[dict[str, object]]  # variable -> rdflib term or None
    ask: bool | None = None
    graph: Graph | None = None  # CONSTRUCT / DESCRIBE

    def values(self) -> list[tuple]:
        """Rows as tuples of Python values (strings, ints, dates)."""
        return [tuple(_py(row.get(v)) for v in self.variables) for row in self.rows]


def load_graph(path: Path) -> Graph:
    graph = Graph()
    graph.parse(str(path), format=_format_of(Path(path)))
    return graph


def _format_of(path: Path) -> str:
    return {".nt": "nt", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
            ".xml": "xml", ".nq": "nquads"}.get(path.suffix.lower(), "turtle")


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


def load_store(path: Path):
    """The graph in an Oxigraph store: loads and queries much faster than rdflib."""
    import pyoxigraph as ox

    store = ox.Store()
    fmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
           "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML, "nquads": ox.RdfFormat.N_QUADS}[_format_of(Path(path))]
    store.bulk_load(path=str(path), format=fmt)
    return store


def select(source, sparql: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run SPARQL on an rdflib Graph or an Oxigraph Store, whichever is given."""
    return query(source, sparql, params) if isinstance(source, Graph) else query_store(source, sparql, params)


def export(store, fmt: str) -> bytes:
    """The store's triples in an RDF syntax: turtle, nt, nq, trig, jsonld or xml (sorted, so
    the same graph always gives the same bytes)."""
    import pyoxigraph as ox

    from .rdf import PREFIXES

    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
    quads = sorted(store, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
    prefixes = {k: str(v) for k, v in sorted(PREFIXES.items())}
    if fmt in ("nq", "trig"):
        return ox.serialize(quads, format=formats[fmt], prefixes=prefixes if fmt == "trig" else None)
    triples = [q.triple for q in quads]
    return ox.serialize(triples, format=formats[fmt], prefixes=None if fmt in ("nt",) else prefixes)


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


def _text(term, graph: Graph | None = None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef) and graph is not None:
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return str(term)
    return str(term)


def render(result: QueryResult, fmt: str = "table", graph: Graph | None = None) -> str:
    if result.ask is not None:
        return json.dumps({"boolean": result.ask}) if fmt == "json" else str(result.ask).lower()
    if result.graph is not None:
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return json.dumps({"head": {"vars": result.variables},
                           "results": {"bindings": [{v: _json_term(t) for v, t in row.items() if t is not None}
                                                    for row in result.rows]}}, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_text(row.get(v)) for v in result.variables])
        return out.getvalue()
    cells = [[_text(row.get(v), graph) for v in result.variables] for row in result.rows]
    widths = [max([len(v)] + [len(c[i]) for c in cells]) for i, v in enumerate(result.variables)]
    line = lambda values: " | ".join(str(x).ljust(w) for x, w in zip(values, widths)).rstrip()
    out = [line(result.variables), "-+-".join("-" * w for w in widths)] + [line(c) for c in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, Literal):
        d = {"type": "literal", "value": str(term)}
        if term.datatype:
            d["datatype"] = str(term.datatype)
        if term.language:
            d["xml:lang"] = term.language
        return d
    return {"type": "bnode", "value": str(term)}
