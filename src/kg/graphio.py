"""Reading and writing RDF files: the one place that loads a graph and the one table of syntaxes.

    store = open_store("out/graph.ttl")      # Oxigraph: the persistent out/store/ if it was loaded
                                             # from this graph.ttl, else graph.ttl loaded into memory
    graph = load_graph("out/graph.ttl")      # rdflib Graph (SHACL, the rdflib query engine)
    triples = read_triples("out/graph.ttl")  # pyoxigraph Triples, in file order, without repeats
    syntax("jsonld").media_types[0]          # 'application/ld+json'

Every reader refuses an empty, truncated or unparsable file with `GraphFileError`, whose text is
one line naming the file and the reason (the parser's line and column for a syntax error), so
`kg validate` never says "conforms" and `kg query` never answers "0 rows" for a damaged graph.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .outputs import OutputDir, graph_path

TYPE_CHECKING = False  # typing is not imported: kg query starts faster
if TYPE_CHECKING:
    import pyoxigraph as ox

REBUILD = "rebuild it with 'kg build'"


@dataclass(frozen=True)
class Syntax:
    """An RDF syntax: its short name (kg export -f), file suffixes, media types (first = the one
    sent), Oxigraph format and rdflib plugin name."""
    name: str
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]
    oxigraph_name: str  # a pyoxigraph.RdfFormat attribute (pyoxigraph is imported when needed)
    rdflib: str
    aliases: tuple[str, ...] = ()
    quads: bool = False

    @property
    def oxigraph(self) -> "ox.RdfFormat":
        import pyoxigraph as ox

        return getattr(ox.RdfFormat, self.oxigraph_name)


SYNTAXES = (
    Syntax("turtle", (".ttl",), ("text/turtle", "application/turtle", "application/x-turtle"),
           "TURTLE", "turtle", ("ttl", "n3")),
    Syntax("nt", (".nt",), ("application/n-triples", "text/plain"), "N_TRIPLES", "nt",
           ("ntriples", "n-triples")),
    Syntax("nq", (".nq",), ("application/n-quads",), "N_QUADS", "nquads", ("nquads", "n-quads"),
           quads=True),
    Syntax("trig", (".trig",), ("application/trig",), "TRIG", "trig", quads=True),
    Syntax("jsonld", (".jsonld", ".json"), ("application/ld+json", "application/x-json+ld", "application/json"),
           "JSON_LD", "json-ld", ("json-ld", "json")),
    Syntax("xml", (".rdf", ".xml", ".owl"), ("application/rdf+xml", "application/xml", "text/xml"),
           "RDF_XML", "xml", ("rdf", "rdfxml", "rdf+xml")),
)
SYNTAX_NAMES = tuple(s.name for s in SYNTAXES)
_BY_NAME = {alias: s for s in SYNTAXES for alias in (s.name, *s.aliases)}


def syntax(name: str) -> Syntax:
    """The syntax called `name` (or one of its aliases: 'ttl', 'json-ld', 'rdfxml', ...)."""
    try:
        return _BY_NAME[name.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown RDF syntax {name!r}; known: {', '.join(SYNTAX_NAMES)}") from None


def syntax_of(path: Path | str) -> Syntax:
    """The syntax a file's suffix names; Turtle for anything else (graph.ttl is Turtle)."""
    suffix = Path(path).suffix.lower()
    return next((s for s in SYNTAXES if suffix in s.suffixes), SYNTAXES[0])


class GraphFileError(Exception):
    """A graph file that cannot be read: missing, unreadable, empty, truncated or not RDF.
    str() is one line: '<path>: <reason>'."""

    def __init__(self, path: Path | str, reason: str):
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}")


class GraphMissing(GraphFileError, FileNotFoundError):
    """No file at the path, or a folder (a usage error: wrong path, or nothing built yet)."""


def check_file(path: Path | str) -> Path:
    """The graph file a path names (see graph_path), if it is a readable, non-empty file; else
    GraphFileError saying why."""
    path = graph_path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise GraphMissing(path, "no such file (run 'kg build' first?)") from None
    except OSError as exc:
        raise GraphFileError(path, f"cannot read: {exc.strerror or exc}") from None
    if path.is_dir():  # a wrong path, as a missing file is: a usage error
        raise GraphMissing(path, f"is a folder with no {OutputDir(path).graph.name} in it, not a graph file "
                                 "(run 'kg build' first?)")
    if not os.access(path, os.R_OK):
        raise GraphFileError(path, "cannot read: permission denied")
    if size == 0:
        raise GraphFileError(path, f"graph file is empty (0 bytes): {REBUILD}")
    return path


def _syntax_error(path: Path, exc: Exception) -> GraphFileError:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return GraphFileError(path, f"not a readable {syntax_of(path).name} graph (damaged or truncated?): "
                                f"{message}; {REBUILD}")


def _no_triples(path: Path) -> GraphFileError:
    return GraphFileError(path, f"graph file holds no triples: {REBUILD}")


# ------------------------------------------------------------------ Oxigraph

def load_store(path: Path | str, store: ox.Store | None = None) -> ox.Store:
    """The graph loaded into an Oxigraph store (a new in-memory one unless given)."""
    import pyoxigraph as ox

    path = check_file(path)
    store = ox.Store() if store is None else store
    try:
        store.bulk_load(path=str(path), format=syntax_of(path).oxigraph)
    except (SyntaxError, ValueError) as exc:
        raise _syntax_error(path, exc) from None
    except OSError as exc:
        raise GraphFileError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(store) == 0:
        raise _no_triples(path)
    return store


def stamp_matches(path: Path | str) -> bool:
    """True if the persistent store beside graph file `path` was loaded from this very file: the
    store stamp's size and mtime_ns equal the file's (cheap, no hashing), or, in a copied output
    folder whose copy did not keep the times (`cp -r`, an unzipped archive), its size and sha256
    do (the file is hashed: ~0.1 s for a ~500-report graph, against seconds to load it)."""
    out = OutputDir.of_graph(path)
    try:
        stamp = json.loads(out.store_stamp.read_text(encoding="utf-8"))
        stat = Path(path).stat()
        if not (out.store.is_dir() and int(stamp["size"]) == stat.st_size):
            return False
        return int(stamp["mtime_ns"]) == stat.st_mtime_ns or _file_sha256(path) == stamp["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _file_sha256(path: Path | str) -> str:
    import hashlib

    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def persistent_store(path: Path | str) -> Path | None:
    """The persistent store folder for graph file `path`, if it is up to date; else None."""
    return OutputDir.of_graph(path).store if stamp_matches(path) else None


def open_store(path: Path | str, *, persistent: bool = True) -> ox.Store:
    """The graph in an Oxigraph store: the persistent store beside it, read-only, when its stamp
    says it holds this graph.ttl (opens at once; queries run about 3x slower than in memory);
    otherwise, or with persistent=False, graph.ttl loaded into memory."""
    import pyoxigraph as ox

    path = check_file(path)
    folder = persistent_store(path) if persistent else None
    if folder is not None:
        try:
            return ox.Store.read_only(str(folder))
        except (OSError, RuntimeError, ValueError):
            pass  # damaged or locked store: the graph file is the truth, read it
    return load_store(path)


def read_quads(path: Path | str) -> tuple[list[ox.Quad], dict[str, str]]:
    """Every quad of an RDF file, and the prefixes it declares."""
    import pyoxigraph as ox

    path = check_file(path)
    try:
        parser = ox.parse(path=str(path), format=syntax_of(path).oxigraph)
        quads = list(parser)
    except (SyntaxError, ValueError) as exc:
        raise _syntax_error(path, exc) from None
    except OSError as exc:
        raise GraphFileError(path, f"cannot read: {exc.strerror or exc}") from None
    if not quads:
        raise _no_triples(path)
    return quads, dict(parser.prefixes)


def read_triples(path: Path | str) -> list[ox.Triple]:
    """The triples of an RDF file (graph names dropped), in file order, each once."""
    return list(dict.fromkeys(q.triple for q in read_quads(path)[0]))


def read_prefixes(path: Path | str) -> dict[str, str]:
    """The prefixes a Turtle/TriG file declares before its first triple (kg build writes them
    all at the top); empty for other syntaxes or an unreadable file."""
    import pyoxigraph as ox

    try:
        parser = ox.parse(path=str(path), format=syntax_of(path).oxigraph)
        next(iter(parser), None)
        return dict(parser.prefixes)
    except (SyntaxError, ValueError, OSError):
        return {}


def serialize(items, name: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (or quads, for nq/trig) in syntax `name`; prefixes are used where the syntax has them."""
    import pyoxigraph as ox

    fmt = syntax(name)
    if not fmt.quads and items and isinstance(items[0], ox.Quad):
        items = [q.triple for q in items]
    use = prefixes if fmt.name in ("turtle", "trig", "xml", "jsonld") else None
    return ox.serialize(items, format=fmt.oxigraph, prefixes=use) or b""


# ------------------------------------------------------------------ rdflib

def load_graph(path: Path | str, graph=None):
    """The graph parsed into rdflib (into `graph` if given, e.g. one holding the vocabularies).
    Turtle and N-Triples are parsed by Oxigraph and added as rdflib terms (rdflib's own Turtle
    parser takes 2-3x as long: ~0.1-0.2 s for the vocabularies every build validates with); the
    file's prefixes are bound as rdflib's parser binds them, language tags come in lower case."""
    from rdflib import Graph

    path = check_file(path)
    graph = Graph() if graph is None else graph
    before = len(graph)
    if syntax_of(path).name in ("turtle", "nt"):
        _add_parsed(path, graph)
    else:
        try:
            _add_rdflib_parsed(path, graph)
        except OSError as exc:
            raise GraphFileError(path, f"cannot read: {exc.strerror or exc}") from None
        except Exception as exc:  # rdflib's parsers raise many types (BadSyntax, SAXParseException, ...)
            try:  # Oxigraph's message says where (line and column); rdflib's often does not
                read_quads(path)
            except GraphFileError as located:
                raise located from None
            raise _syntax_error(path, exc) from None
    if len(graph) == before:
        raise _no_triples(path)
    return graph


def _add_rdflib_parsed(path: Path, graph) -> None:
    """Parse with rdflib into a graph of its own (a dataset for N-Quads and TriG, their named
    graphs merged), then add the triples to `graph` through its own add: rdflib's parsers write
    to a graph's store directly, which a graph keeping its own indexes (validate's) never sees."""
    from rdflib import Dataset, Graph

    syntax = syntax_of(path)
    parsed = Dataset(default_union=True) if syntax.quads else Graph()
    parsed.parse(str(path), format=syntax.rdflib)
    graph.addN((s, p, o, graph) for s, p, o in parsed.triples((None, None, None)))
    for prefix, namespace in parsed.namespaces():
        graph.bind(prefix, namespace, override=False)


def parse_graph(data: bytes | str, name: str, graph=None):
    """Turtle or N-Triples text (`name` "turtle" or "nt", as kg build makes them) parsed into
    rdflib (into `graph` if given) by Oxigraph, as load_graph parses a file; SyntaxError if damaged."""
    from rdflib import Graph

    graph = Graph() if graph is None else graph
    _add(graph, input=data.encode("utf-8") if isinstance(data, str) else data, format=syntax(name).oxigraph)
    return graph


def _add_parsed(path: Path, graph) -> None:
    try:
        _add(graph, path=str(path), format=syntax_of(path).oxigraph, base_iri=Path(path).resolve().as_uri())
    except (SyntaxError, ValueError) as exc:
        raise _syntax_error(path, exc) from None
    except OSError as exc:
        raise GraphFileError(path, f"cannot read: {exc.strerror or exc}") from None


def _add(graph, **source) -> None:
    """Parse with Oxigraph (ox.parse's arguments), add to the rdflib graph as rdflib terms, bind
    the prefixes as rdflib's own parsers would."""
    import pyoxigraph as ox

    terms: dict = {}

    def term(node):
        made = terms.get(node)
        if made is None:
            made = terms[node] = rdflib_term(node)
        return made

    # blank nodes get fresh names, as rdflib gives them: two files' _:b0 are two nodes
    parser = ox.parse(**source, rename_blank_nodes=True, without_named_graphs=True)
    triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in parser]
    graph.addN((s, p, o, graph) for s, p, o in triples)
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace, override=False)


def rdflib_term(term):
    """An Oxigraph term as the rdflib term (anything else passes through). A plain string has no
    datatype in rdflib, as its parsers make it."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if not isinstance(term, ox.Literal):
        return term
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
