"""Running SPARQL over a built graph and formatting the answers.

    query(rdflib_graph, sparql)               # rdflib's engine; terms are rdflib terms
    query_store(store, sparql)                # Oxigraph; terms converted to rdflib terms
    query_store(store, sparql, native=True)   # Oxigraph terms as they come: no rdflib import
                                              # (what `kg query` uses: answers at start-up speed)
    render(result, "table", prefixes)         # either kind of terms

rdflib is imported only by the functions that need it (query(), rdflib terms, values()).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from unicodedata import category

from .paths import QUERIES_DIR

TYPE_CHECKING = False  # typing is not imported: kg query starts faster
if TYPE_CHECKING:
    from collections.abc import Mapping

    from rdflib import Graph


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[dict[str, object]]  # variable -> term (rdflib, or Oxigraph with native=True) or None
    ask: bool | None = None
    graph: Graph | None = None  # CONSTRUCT / DESCRIBE (rdflib Graph)
    triples: list | None = None  # CONSTRUCT / DESCRIBE with native=True (Oxigraph triples)

    def values(self) -> list[tuple]:
        """Rows as tuples of Python values (strings, ints, dates)."""
        return [tuple(_py(row.get(v)) for v in self.variables) for row in self.rows]


def named_queries(directory: Path = QUERIES_DIR) -> dict[str, Path]:
    return {p.stem: p for p in sorted(directory.glob("*.rq"))}


def query_text(name_or_path: str) -> str:
    """SPARQL from a .rq path or the name of a file in queries/ ('shared-inspectors')."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        from .errors import InputFileError

        try:
            return path.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows editors) is not SPARQL
        except UnicodeDecodeError as exc:
            raise InputFileError(name_or_path, f"not UTF-8 text: byte {exc.object[exc.start]:#04x} at "
                                               f"position {exc.start}") from None
        except OSError as exc:
            raise InputFileError(name_or_path, exc.strerror or type(exc).__name__) from None
    named = named_queries()
    if name_or_path in named:
        return named[name_or_path].read_text(encoding="utf-8")
    raise FileNotFoundError(f"{name_or_path}: no such query file, and not one of: {', '.join(named)}")


def question_of(sparql: str) -> str:
    """The user's question stated in a query file's leading comment."""
    lines = []
    for line in sparql.splitlines():
        if not line.startswith("#"):
            break  # comments further down explain the query, not the question
        lines.append(line.lstrip("# ").strip())
    return " ".join(line for line in lines if line)


def example_params(sparql: str) -> dict[str, str]:
    """The parameters a query file's leading comment gives as its example ("e.g. -p a=Dudley -p
    b=Sandwell", quoted values allowed): the question the query answers as asked. Empty when it
    gives none."""
    import shlex

    found = re.search(r"e\.g\.\s+((?:-p\s+(?:\"[^\"]*\"|'[^']*'|[^\s;)]+)\s*)+)", question_of(sparql))
    if not found:
        return {}
    words = shlex.split(found.group(1))
    return dict(word.partition("=")[::2] for word in words[1::2])


def with_values(sparql: str, params: dict[str, str] | None) -> str:
    """Bind variables by an inline VALUES block at the start of the outermost WHERE group, so
    both engines see the same pre-bound variables (each value as param_term makes it).
    (pyoxigraph 0.5's Store.query(substitutions=...) is no faster on the ~500-report store,
    often slower, e.g. 142 vs 44 ms for inspectors-of-two-authorities, and refuses a variable
    the SELECT does not project, e.g. ?theme of recommendations-on-theme.)"""
    if not params:
        return sparql
    # N-Triples syntax (Oxigraph's str of a term) is SPARQL syntax
    block = " ".join(f"VALUES ?{name} {{ {param_term(name, v)} }}" for name, v in params.items())
    m = re.search(r"\bWHERE\s*\{", sparql, re.I)
    if not m:
        raise ValueError("parameters need a query with a WHERE { ... } clause")
    return sparql[:m.end()] + " " + block + " " + sparql[m.end():]


def param_term(name: str, value: str):
    """The term a parameter binds: an IRI if the value is one (http:// or https://, or any IRI
    written in <...>), else a plain string. A bad IRI raises ValueError naming the parameter."""
    import pyoxigraph as ox

    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else \
        value if re.match(r"^https?://", value) else None
    if iri is None:
        return ox.Literal(value)
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise ValueError(f"-p {name}={value}: not a valid IRI ({' '.join(str(exc).split())})") from None


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


def absent_values(source, params: dict[str, str]) -> list[str]:
    """For each parameter whose value the graph (an rdflib Graph or an Oxigraph Store) holds
    nowhere, a note saying so: an empty answer then says nothing about the question asked. Values
    match exactly, case included, so the note names the value in another case where the graph
    has one ("dudley": "Dudley"). Index lookups only, no scan."""
    import pyoxigraph as ox

    from .graphio import rdflib_term

    def held(term) -> bool:
        if isinstance(source, ox.Store):
            patterns = [(None, None, term)] + ([(term, None, None)] if isinstance(term, ox.NamedNode) else [])
            return any(next(iter(source.quads_for_pattern(*pattern)), None) is not None for pattern in patterns)
        from rdflib import URIRef

        term = rdflib_term(term)
        return (None, None, term) in source or (isinstance(term, URIRef) and (term, None, None) in source)

    def held_text(value: str) -> bool:  # as a plain string, or as an English label (the thesaurus's)
        return held(ox.Literal(value)) or held(ox.Literal(value, language="en"))

    notes = []
    for name, value in params.items():
        term = param_term(name, value)
        if held_text(value) if isinstance(term, ox.Literal) else held(term):
            continue
        shown = value if value.isprintable() else repr(value)[1:-1]  # a line break shown as \\n
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        note = f"-p {name}={shown}: the graph holds no such value (values match exactly, case included)"
        if isinstance(term, ox.Literal):
            stripped = " ".join(value.split())
            candidates = [stripped] + [f(v) for v in (value, stripped) for f in (str.title, str.capitalize, str.upper,
                                                                                 str.lower)]
            other = next((v for v in dict.fromkeys(candidates) if v != value and held_text(v)), None)
            if other is not None:
                note += f"; it holds {other!r}"
        notes.append(note)
    return notes


def select(source, sparql: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run SPARQL on an rdflib Graph or an Oxigraph Store, whichever is given."""
    import pyoxigraph as ox

    return query_store(source, sparql, params) if isinstance(source, ox.Store) else query(source, sparql, params)


def export(store, fmt: str) -> bytes:
    """The store's triples in an RDF syntax (kg.graphio names: turtle, nt, nq, trig, jsonld, xml),
    sorted, so the same graph always gives the same bytes."""
    from .graphio import serialize
    from .rdf import PREFIXES

    quads = sorted(store, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
    return serialize(quads, fmt, {k: str(v) for k, v in sorted(PREFIXES.items())})


def execute(store, sparql: str, params: dict[str, str] | None = None):
    """Oxigraph's own result of SPARQL on a store (solutions, triples or a boolean, read lazily),
    params bound as query() binds them."""
    return store.query(with_values(sparql, params))


def query_store(store, sparql: str, params: dict[str, str] | None = None, *, native: bool = False) -> QueryResult:
    """Like query(), on an Oxigraph store; terms come back as rdflib terms, or with native=True
    as Oxigraph terms (CONSTRUCT/DESCRIBE: result.triples), which needs no rdflib at all."""
    import pyoxigraph as ox

    from .graphio import rdflib_term

    result = execute(store, sparql, params)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult([], [], ask=bool(result))
    if isinstance(result, ox.QueryTriples):
        if native:
            return QueryResult([], [], triples=list(result))
        from rdflib import Graph

        graph = Graph()
        for triple in result:
            graph.add((rdflib_term(triple.subject), rdflib_term(triple.predicate), rdflib_term(triple.object)))
        return QueryResult([], [], graph=graph)
    variables = [v.value for v in result.variables]
    convert = (lambda term: term) if native else rdflib_term
    rows = [{v: convert(solution[v]) for v in variables} for solution in result]
    return QueryResult(variables, rows)


def _py(term):
    if term is None:
        return None
    from rdflib import Literal

    from .graphio import rdflib_term

    term = rdflib_term(term)
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


def render(result: QueryResult, fmt: str = "table", prefixes: Mapping[str, str] | Graph | None = None) -> str:
    """A result as text: 'table' (IRIs shortened by `prefixes`, prefix -> namespace, or an rdflib
    Graph's bound prefixes), or a W3C result format ('csv', 'tsv', 'json', 'xml': kg.results);
    CONSTRUCT/DESCRIBE graphs as Turtle (JSON-LD for 'json', RDF/XML for 'xml')."""
    from . import results

    namespaces = _namespaces(prefixes)
    if result.ask is not None:
        return results.write_boolean(fmt, result.ask).decode() if fmt in ("json", "xml") else str(result.ask).lower()
    if result.graph is not None:
        return result.graph.serialize(format={"json": "json-ld", "xml": "xml"}.get(fmt, "turtle"))
    if result.triples is not None:
        syntax = {"json": "jsonld", "xml": "xml"}.get(fmt, "turtle")
        return results.write_triples(syntax, result.triples, namespaces).decode("utf-8")
    rows = [[row.get(v) for v in result.variables] for row in result.rows]
    if fmt in results.RESULT_FORMATS:
        return results.write_solutions(fmt, result.variables, rows).decode("utf-8")
    return results.text_table(result.variables, rows, shorten=_shortener(namespaces))


def _namespaces(prefixes) -> dict[str, str]:
    if prefixes is None:
        return {}
    if hasattr(prefixes, "namespaces"):  # an rdflib Graph
        return {str(p): str(ns) for p, ns in prefixes.namespaces()}
    return {str(p): str(ns) for p, ns in prefixes.items()}


def _shortener(namespaces: dict[str, str]):
    from .results import parts, plain

    if not namespaces:
        return plain
    by_namespace = {ns: p for p, ns in sorted(namespaces.items(), reverse=True)}

    def shorten(term) -> str:
        kind, value, _, _ = parts(term)
        return prefixed_name(value, by_namespace) if kind == "uri" else plain(term)
    return shorten


# rdflib's split of an IRI into namespace and local name (rdflib.namespace.split_uri), so the
# table reads the same whichever engine answered
_NAME_START = {"Ll", "Lu", "Lo", "Lt", "Nl"}
_SPLIT_START = _NAME_START | {"Nd"}
_NAME = _NAME_START | {"Mc", "Me", "Mn", "Lm", "Nd"}
_NAME_EXTRA = "\u00b7\u0387-._%()"


def prefixed_name(iri: str, by_namespace: Mapping[str, str]) -> str:
    """'kg:Good' for an IRI whose namespace (split as rdflib splits it) has a prefix, else '<iri>'."""
    for i in range(len(iri)):
        c = iri[-i - 1]
        if category(c) in _NAME or c in _NAME_EXTRA:
            continue
        for j in range(len(iri) - i - 1, len(iri)):
            if category(iri[j]) in _SPLIT_START or iri[j] == "_":
                prefix = by_namespace.get(iri[:j]) if j else None
                return f"<{iri}>" if prefix is None else f"{prefix}:{iri[j:]}"
        break
    return f"<{iri}>"
