"""A read-only SPARQL 1.1 endpoint over an in-memory Oxigraph store, independent of HTTP.

    endpoint = Endpoint.from_file("out/graph.ttl")
    status, content_type, body = endpoint.execute("ASK { ?s ?p ?o }", "application/sparql-results+json")

Oxigraph's parser decides what is a valid query; anything it rejects is a 400 with its message,
except text that is an update (INSERT, DELETE, LOAD, ...), which is refused with 403. SERVICE
(federated query, which Oxigraph would fetch over HTTP) is refused too. Each query runs in a
worker thread and is abandoned after `timeout` seconds; results stop at `limit` rows/triples.
"""
from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from .results import GRAPH_FORMATS, RESULT_FORMATS, write_boolean, write_solutions, write_triples

DEFAULT_TIMEOUT = 10.0
DEFAULT_LIMIT = 10_000
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
READ_ONLY_MESSAGE = ("This SPARQL endpoint is read-only: SPARQL Update ({}) is refused. "
                     "To load the graph into a writable triple store use 'kg push'.")
SERVICE_MESSAGE = ("SERVICE (federated query) is not allowed: this endpoint only answers from its own "
                   "graph and does not fetch other endpoints.")

# Media types accepted for each format, the first being the one sent back.
RESULT_MEDIA = {
    "json": ["application/sparql-results+json", "application/json", "text/javascript", "application/javascript"],
    "xml": ["application/sparql-results+xml", "application/xml", "text/xml"],
    "csv": ["text/csv"],
    "tsv": ["text/tab-separated-values"],
}
GRAPH_MEDIA = {
    "turtle": ["text/turtle", "application/turtle", "application/x-turtle"],
    "jsonld": ["application/ld+json", "application/x-json+ld", "application/json"],
    "ntriples": ["application/n-triples", "text/plain"],
    "rdfxml": ["application/rdf+xml", "application/xml", "text/xml"],
}
# Values of the non-standard but common `format=` parameter (SPARQLWrapper sends it).
RESULT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
GRAPH_NAMES = {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "json-ld": "jsonld", "jsonld": "jsonld",
               "json": "jsonld", "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples",
               "xml": "rdfxml", "rdf": "rdfxml", "rdfxml": "rdfxml", "rdf+xml": "rdfxml"}


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


# ------------------------------------------------------------------ reading query text

_SKIPPED = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"'''
                      r"""|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n]*""", re.S)
_KEYWORD = re.compile(r"(?<![\w?$:@-])([A-Za-z]+)(?![\w:-])")


def keywords(sparql: str) -> list[str]:
    """The bare words of a SPARQL text in order, upper-cased: strings, IRIs, comments, variables,
    prefixed names and language tags left out. Enough to name the operation and spot SERVICE."""
    return [m.group(1).upper() for m in _KEYWORD.finditer(_SKIPPED.sub(" ", sparql))]


def operation(sparql: str) -> str:
    """The first keyword after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, INSERT, LOAD, ..."""
    return next((w for w in keywords(sparql) if w not in ("PREFIX", "BASE")), "")


# ------------------------------------------------------------------ content negotiation

def negotiate(kind: str, accept: str | None, format: str | None = None) -> str | None:
    """The format name ('json', 'turtle', ...) for a result kind ('results' or 'graph'), from a
    `format` parameter if it names one, else the Accept header; None if nothing acceptable."""
    media, names = (RESULT_MEDIA, RESULT_NAMES) if kind == "results" else (GRAPH_MEDIA, GRAPH_NAMES)
    if format:
        wanted = format.strip().lower()
        if wanted in names:
            return names[wanted]
        for name, types in media.items():
            if wanted in types:
                return name
    default = next(iter(media))
    entries = []
    for order, part in enumerate((accept or "*/*").split(",")):
        mime, *params = [x.strip().lower() for x in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if mime:
            entries.append((-q, -_specificity(mime), order, mime))
    for neg_q, _, _, mime in sorted(entries):
        if neg_q >= 0:
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
    return ", ".join(types[0] for types in (RESULT_MEDIA if kind == "results" else GRAPH_MEDIA).values())


# ------------------------------------------------------------------ the endpoint

class Endpoint:
    """SPARQL queries over one pyoxigraph Store, answered as (status, content type, body)."""

    def __init__(self, store: ox.Store, *, prefixes: dict[str, str] | None = None,
                 timeout: float = DEFAULT_TIMEOUT, limit: int = DEFAULT_LIMIT,
                 max_running: int | None = None, source: Path | None = None):
        self.store = store
        self.prefixes = dict(prefixes or {})
        self.timeout = timeout
        self.limit = limit
        self.source = Path(source) if source else None
        self.max_running = max_running or max(2, os.cpu_count() or 2)
        self._slots = threading.BoundedSemaphore(self.max_running)

    @classmethod
    def from_file(cls, path: Path | str, **options) -> "Endpoint":
        """Load an RDF file (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML) into memory."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file (run 'kg build' first?)")
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) or ox.RdfFormat.TURTLE
        parser = ox.parse(path=str(path), format=fmt)
        store = ox.Store()
        store.extend(parser)
        return cls(store, prefixes=parser.prefixes, source=path, **options)

    def __len__(self) -> int:
        return len(self.store)

    def execute(self, query: str | None, accept: str | None = "*/*", *, format: str | None = None,
                default_graph_uris: list[str] = (), named_graph_uris: list[str] = ()) -> Response:
        if not query or not query.strip():
            return error(400, "Missing query: send ?query=SPARQL (GET) or a form field 'query' (POST).")
        words = keywords(query)
        op = next((w for w in words if w not in ("PREFIX", "BASE")), "")
        if op in UPDATE_KEYWORDS:
            return self.refuse_update(op)
        if "SERVICE" in words:
            return error(403, SERVICE_MESSAGE)
        try:
            default = [ox.NamedNode(u) for u in default_graph_uris] or None
            named = [ox.NamedNode(u) for u in named_graph_uris] or None
        except ValueError as exc:
            return error(400, f"Bad graph IRI in default-graph-uri/named-graph-uri: {exc}")
        return self._bounded(lambda cancelled: self._evaluate(query, accept, format, default, named, cancelled))

    def refuse_update(self, op: str = "") -> Response:
        op = op if op in UPDATE_KEYWORDS else "INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ..."
        return error(403, READ_ONLY_MESSAGE.format(op))

    def _evaluate(self, query, accept, format, default, named, cancelled: threading.Event) -> Response:
        started = time.perf_counter()
        try:
            result = self.store.query(query, default_graph=default, named_graphs=named)
        except SyntaxError as exc:
            return error(400, f"SPARQL syntax error: {exc}")
        kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
        fmt = negotiate(kind, accept, format)
        if fmt is None:
            return error(406, f"Cannot answer in any of: {accept}. Offered for this query: {offered(kind)}")
        headers = {}
        if isinstance(result, ox.QueryBoolean):
            body = write_boolean(fmt, bool(result))
        else:
            items = []
            for item in islice(result, self.limit + 1):
                if cancelled.is_set():
                    return error(503, "abandoned")
                items.append(item)
            if len(items) > self.limit:
                items.pop()
                headers.update({"X-Result-Truncated": "true", "X-Result-Limit": str(self.limit)})
            headers["X-Result-Count"] = str(len(items))
            if kind == "graph":
                body = write_triples(fmt, items, self.prefixes)
            else:
                body = write_solutions(fmt, [v.value for v in result.variables], items)
        headers["X-Query-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
        media = (GRAPH_FORMATS[fmt][0] if kind == "graph" else RESULT_FORMATS[fmt])
        charset = "" if media.endswith("xml") else "; charset=utf-8"
        return Response(200, media + charset, body, headers)

    def _bounded(self, work) -> Response:
        """Run work(cancelled) in a worker thread; give up after the timeout. Oxigraph cannot
        cancel a query from Python, so an abandoned one keeps its slot until it ends; at most
        max_running queries run at once, later ones wait (within their timeout) for a slot."""
        deadline = time.monotonic() + self.timeout
        if not self._slots.acquire(timeout=self.timeout):
            return error(503, f"Server busy: {self.max_running} queries are still running. Try again later.",
                         **{"Retry-After": str(int(self.timeout))})
        box: dict = {}
        done, cancelled = threading.Event(), threading.Event()

        def run():
            try:
                box["response"] = work(cancelled)
            except Exception as exc:  # report evaluation failures (e.g. OSError) to the client
                box["response"] = error(500, f"Query failed: {type(exc).__name__}: {exc}")
            finally:
                self._slots.release()
                done.set()

        threading.Thread(target=run, name="kg-sparql-query", daemon=True).start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            cancelled.set()
            return error(503, f"Query timed out after {self.timeout:g} s (the endpoint's limit). "
                              "Make it more selective or add a LIMIT.")
        return box["response"]
