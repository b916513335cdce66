"""A read-only SPARQL 1.1 endpoint over a built graph, independent of HTTP.

    endpoint = Endpoint.from_file("out/graph.ttl")
    status, content_type, body = endpoint.execute("ASK { ?s ?p ?o }", "application/sparql-results+json")

What a query may be is decided on its parse tree (kg.sparql): an update (INSERT, DELETE, LOAD,
...) or a SERVICE is refused with 403, bad syntax, an over-long or too deeply nested text with
400/413. Queries are evaluated in worker processes (kg.serve.workers), each holding the graph:
a query that runs past `timeout` seconds is stopped by killing its worker, which is replaced, and
a crash of the engine costs one worker, never the server. Results stop at `limit` rows/triples.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from ..graphio import GraphFileError, check_file, open_store, read_prefixes, syntax
from ..results import (GRAPH_RESULT_SYNTAXES, RESULT_FORMATS, accept_ranges, write_boolean, write_solutions,
                       write_triples)
from ..sparql import MAX_QUERY_CHARS, QueryRefused, UpdateRefused, safe_query, update_operation

DEFAULT_TIMEOUT = 10.0
DEFAULT_LIMIT = 10_000
DEFAULT_WORKERS = 2

# Values of the non-standard but common `format=` parameter (SPARQLWrapper sends it).
RESULT_NAMES = {name: name for name in RESULT_FORMATS}


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def __iter__(self):  # status, content_type, body = endpoint.execute(...)
        return iter((self.status, self.content_type, self.body))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def error(status: int, message: str, **headers: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode(), dict(headers))


@dataclass(frozen=True)
class Request:
    """One query to answer: what a worker process receives."""
    query: str
    accept: str | None = "*/*"
    format: str | None = None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()


# ------------------------------------------------------------------ content negotiation

def _media(kind: str) -> dict[str, tuple[str, ...]]:
    """format name -> media types (first = the one sent) for 'results' or 'graph' answers."""
    if kind == "results":
        return RESULT_FORMATS
    return {name: syntax(name).media_types for name in GRAPH_RESULT_SYNTAXES}


def _format_name(kind: str, wanted: str) -> str | None:
    if kind == "results":
        return RESULT_NAMES.get(wanted)
    try:
        name = syntax(wanted).name
    except ValueError:
        return None
    return name if name in GRAPH_RESULT_SYNTAXES else None


def negotiate(kind: str, accept: str | None, format: str | None = None) -> str | None:
    """The format name ('json', 'turtle', ...) for a result kind ('results' or 'graph'), from a
    `format` parameter if it names one, else the Accept header; None if nothing acceptable."""
    media = _media(kind)
    if format:
        wanted = format.strip().lower()
        if named := _format_name(kind, wanted):
            return named
        for name, types in media.items():
            if wanted in types:
                return name
    default = next(iter(media))
    entries = [(-q, -_specificity(mime), order, mime) for q, order, mime in accept_ranges(accept)]
    for neg_q, _, _, mime in sorted(entries):
        if not neg_q < 0:  # q=0 (or NaN) means "not acceptable"
            break
        for name, types in media.items():
            if mime in types:
                return name
        if mime == "*/*":
            return default
        if mime.endswith("/*"):
            for name, types in media.items():
                if types[0].startswith(mime[:-1]):
                    return name
    return None


def _specificity(mime: str) -> int:
    return 0 if mime == "*/*" else 1 if mime.endswith("/*") else 2


def offered(kind: str) -> str:
    return ", ".join(types[0] for types in _media(kind).values())


# ------------------------------------------------------------------ answering one query

def answer(store: ox.Store, request: Request, *, prefixes: dict[str, str], limit: int) -> Response:
    """The response to one query on a store (what a worker process runs)."""
    started = time.perf_counter()
    try:
        text = safe_query(request.query)  # the checked, canonical text: the engine sees nothing else
        default = [ox.NamedNode(u) for u in request.default_graph_uris] or None
        named = [ox.NamedNode(u) for u in request.named_graph_uris] or None
    except QueryRefused as refused:
        return error(refused.status, refused.message)
    except ValueError as exc:
        return error(400, f"Bad graph IRI in default-graph-uri/named-graph-uri: {exc}")
    try:
        result = store.query(text, default_graph=default, named_graphs=named)
    except SyntaxError as exc:
        return error(400, f"SPARQL syntax error: {exc}")
    kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
    fmt = negotiate(kind, request.accept, request.format)
    if fmt is None:
        return error(406, f"Cannot answer in any of: {request.accept}. Offered for this query: {offered(kind)}")
    headers = {}
    if isinstance(result, ox.QueryBoolean):
        body = write_boolean(fmt, bool(result))
    else:
        items = list(islice(result, limit + 1))
        if len(items) > limit:
            items.pop()
            headers.update({"X-Result-Truncated": "true", "X-Result-Limit": str(limit)})
        headers["X-Result-Count"] = str(len(items))
        if kind == "graph":
            body = write_triples(fmt, items, prefixes)
        else:
            body = write_solutions(fmt, [v.value for v in result.variables], items)
    headers["X-Query-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
    media = _media(kind)[fmt][0]
    charset = "" if media.endswith("xml") else "; charset=utf-8"
    return Response(200, media + charset, body, headers)


def refuse_update(text: str = "") -> Response:
    """403 for an update request, naming its operation when the text parses as an update."""
    refused = UpdateRefused(update_operation(text))
    return error(refused.status, refused.message)


# ------------------------------------------------------------------ the endpoint

def _snapshot(path: Path) -> Path:
    """A private copy of graph file `path` in a new temporary folder (a copy, not a hard link:
    a file written over in place would change a link too; ~0.1 s for a ~500-report graph)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    snapshot = folder / path.name
    try:
        shutil.copyfile(path, snapshot)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise GraphFileError(path, f"cannot snapshot it for serving: {exc.strerror or exc}") from None
    return folder / path.name


class Endpoint:
    """SPARQL queries over one graph, answered as (status, content type, body).

    With a `source` file and workers > 0 (from_file's default) queries run in worker processes
    (each opens the graph: kg.graphio.open_store) and are stopped after `timeout` seconds;
    with workers=0 they run in the calling thread, without a time limit (a notebook)."""

    def __init__(self, store: ox.Store | None, *, prefixes: dict[str, str] | None = None,
                 timeout: float = DEFAULT_TIMEOUT, limit: int = DEFAULT_LIMIT,
                 workers: int = 0, source: Path | None = None, queue_wait: float = 60.0):
        self.store = store
        self.prefixes = dict(prefixes or {})
        self.timeout = timeout
        self.limit = limit
        self.source = Path(source) if source else None
        self.workers = workers if self.source else 0
        self.queue_wait = queue_wait  # seconds a query may wait for a free worker before 503 "busy"
        self.triples = len(store)
        self.snapshot: Path | None = None  # the file the workers read (from_file), else source
        self._pool = None

    @classmethod
    def from_file(cls, path: Path | str, *, workers: int = DEFAULT_WORKERS, **options) -> "Endpoint":
        """The endpoint over an RDF file (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML);
        raises kg.graphio.GraphFileError for a missing, empty or damaged file.

        With workers, the graph is served as it was when the endpoint started, whatever happens
        to the file later (a build replacing it, a damaged copy): the workers, the ones started
        to replace them and the pages all read one private copy of it, which close() removes.
        This process holds that copy in memory for the pages."""
        path = check_file(Path(path))
        if not workers:
            return cls(open_store(path), prefixes=read_prefixes(path), source=path, **options)
        snapshot = _snapshot(path)
        try:
            store, prefixes = open_store(snapshot, persistent=False), read_prefixes(snapshot)
        except BaseException as exc:
            shutil.rmtree(snapshot.parent, ignore_errors=True)
            if isinstance(exc, GraphFileError):  # said of the user's file, not of the copy
                raise type(exc)(path, exc.reason) from None
            raise
        endpoint = cls(store, prefixes=prefixes, source=path, workers=workers, **options)
        endpoint.snapshot = snapshot
        return endpoint

    def __len__(self) -> int:
        return self.triples

    @property
    def pool(self):
        if self._pool is None and self.workers:
            from .workers import WorkerPool

            self._pool = WorkerPool(self.snapshot or self.source, size=self.workers, timeout=self.timeout, limit=self.limit,
                                    prefixes=self.prefixes, queue_wait=self.queue_wait)
        return self._pool

    def start(self) -> "Endpoint":
        """Start the worker processes now and wait until they hold the graph."""
        if self.pool is not None:
            self.pool.wait_ready()
        return self

    def close(self) -> None:
        """Stop the worker processes and remove the snapshot of the graph file."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self.snapshot is not None:
            shutil.rmtree(self.snapshot.parent, ignore_errors=True)
            self.snapshot = None

    def __enter__(self) -> "Endpoint":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def execute(self, query: str | None, accept: str | None = "*/*", *, format: str | None = None,
                default_graph_uris=(), named_graph_uris=()) -> Response:
        request = Request(query or "", accept, format, tuple(default_graph_uris), tuple(named_graph_uris))
        if not request.query.strip() or len(request.query) > MAX_QUERY_CHARS:
            return answer(self.store, request, prefixes=self.prefixes, limit=self.limit)  # refused, unparsed
        if self.pool is None:
            return answer(self.store, request, prefixes=self.prefixes, limit=self.limit)
        return self.pool.execute(request)

    def refuse_update(self, text: str = "") -> Response:
        return refuse_update(text)
