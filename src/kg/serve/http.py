"""The HTTP side of `kg serve`: SPARQL 1.1 Protocol at /sparql, a query page at /, and the
inspector network view at /network, on the standard library's threading HTTP server.

    server = make_server(Endpoint.from_file("out/graph.ttl"), port=0)   # port 0: any free port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ...; server.shutdown(); server.server_close()
"""
from __future__ import annotations

import json
import mimetypes
import socket
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .. import __version__
from ..paths import QUERIES_DIR
from ..query import named_queries, question_of
from .app import Endpoint, Response, error, operation

ASSETS = Path(__file__).resolve().parent / "assets"
MAX_BODY = 1_000_000  # bytes of POSTed query text
LOOPBACK = ("127.0.0.1", "localhost", "::1")
NO_NETWORK = """<!doctype html><meta charset="utf-8"><title>No inspector network yet</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>No inspector network yet</h1>
<p>Run <code>kg network</code> to draw it (it writes <code>{path}</code>), then reload this page.</p>
<p><a href="/">Back to the query page</a></p>"""


class KgServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, endpoint: Endpoint, *, queries_dir: Path = QUERIES_DIR,
                 network_dir: Path | None = None, quiet: bool = False):
        self.endpoint = endpoint
        self.queries_dir = Path(queries_dir)
        self.network_dir = Path(network_dir) if network_dir else None
        self.quiet = quiet
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


def make_server(endpoint: Endpoint, host: str = "127.0.0.1", port: int = 8000, *,
                queries_dir: Path = QUERIES_DIR, network_dir: Path | None = None,
                quiet: bool = False) -> KgServer:
    """An HTTP server (not yet started) for the endpoint. The network view is served from
    network_dir (default: the 'network' folder beside the graph file)."""
    if network_dir is None and endpoint.source is not None:
        network_dir = endpoint.source.parent / "network"
    return KgServer((host, port), endpoint, queries_dir=queries_dir, network_dir=network_dir, quiet=quiet)


def index_page(server: KgServer) -> bytes:
    """The query page with the example queries (queries/*.rq) and the graph's prefixes."""
    examples = []
    for name, path in named_queries(server.queries_dir).items():
        text = path.read_text(encoding="utf-8")
        examples.append({"name": name, "question": question_of(text) or name, "query": text})
    endpoint = server.endpoint
    data = {"examples": examples, "prefixes": endpoint.prefixes, "triples": len(endpoint),
            "source": endpoint.source.name if endpoint.source else None,
            "limit": endpoint.limit, "timeout": endpoint.timeout, "version": __version__}
    blob = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    html = (ASSETS / "index.html").read_text(encoding="utf-8")
    return html.replace("/*KG-DATA*/{}", blob).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server: KgServer
    server_version = f"kg-serve/{__version__}"
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds an idle keep-alive connection may stay open

    # -------------------------------------------------------------- routes

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path in ("/sparql", "/query"):
            params = parse_qs(url.query, keep_blank_values=True)
            if "update" in params:
                return self._send(self.server.endpoint.refuse_update(operation(params["update"][0])))
            return self._query(params)
        if url.path in ("/", "/index.html"):
            return self._send(Response(200, "text/html; charset=utf-8", index_page(self.server)))
        if url.path == "/network" or url.path.startswith("/network/"):
            return self._send(self._network(url.path))
        from ..explore import route  # /id/..., /def/..., /.well-known/void: the linked-data explorer
        response = route(self.server.endpoint, url.path, self.headers.get("Accept"), self.headers.get("Host"))
        if response:
            return self._send(response)
        self._send(error(404, f"Not found: {url.path}. The SPARQL endpoint is /sparql; the query page is /."))

    do_HEAD = do_GET  # _send leaves the body out

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/update"):
            return self._send(error(404, f"Not found: {url.path}. POST queries to /sparql."))
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            return self._send(error(400, "Bad Content-Length header."))
        if length > MAX_BODY:
            self.close_connection = True
            return self._send(error(413, f"Request too large: {length} bytes (limit {MAX_BODY})."))
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/update" or ctype == "application/sparql-update":
            return self._send(self.server.endpoint.refuse_update(operation(body)))
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._send(self.server.endpoint.refuse_update(operation(form["update"][0])))
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif ctype == "application/sparql-query":
            params["query"] = [body]
        else:
            return self._send(error(415, f"Unsupported Content-Type '{ctype}': POST a query as "
                                         "application/x-www-form-urlencoded (query=...) or application/sparql-query."))
        self._query(params)

    # -------------------------------------------------------------- helpers

    def _query(self, params: dict[str, list[str]]):
        queries = params.get("query", [])
        if len(queries) > 1:
            return self._send(error(400, "Give exactly one 'query' parameter."))
        fmt = (params.get("format") or params.get("output") or [None])[0]
        self._send(self.server.endpoint.execute(
            queries[0] if queries else None, self.headers.get("Accept"), format=fmt,
            default_graph_uris=params.get("default-graph-uri", []),
            named_graph_uris=params.get("named-graph-uri", [])))

    def _network(self, path: str) -> Response:
        folder = self.server.network_dir
        name = path[len("/network/"):] if path.startswith("/network/") else ""
        target = folder / (name or "network.html") if folder else None
        if target is None or not target.is_file():
            if name:
                return error(404, f"Not found: {path}")
            shown = folder / "network.html" if folder else "out/network/network.html"
            return Response(404, "text/html; charset=utf-8", NO_NETWORK.format(path=shown).encode())
        if folder.resolve() not in target.resolve().parents:
            return error(404, f"Not found: {path}")
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media.endswith(("javascript", "json")):
            media += "; charset=utf-8"
        return Response(200, media, target.read_bytes())

    def _send(self, response: Response):
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if response.status == 200 and self.path.startswith(("/sparql", "/query")):
            self.send_header("Cache-Control", "no-store")
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format, *args):
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def run_until_interrupted(server: KgServer) -> None:
    """Serve in this thread until Ctrl-C, then release the socket."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@contextmanager
def in_background(server: KgServer):
    """Serve from a daemon thread for the duration of a with-block (notebooks, tests)."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def serve(endpoint: Endpoint, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Serve until interrupted (Ctrl-C)."""
    run_until_interrupted(make_server(endpoint, host, port, **options))
