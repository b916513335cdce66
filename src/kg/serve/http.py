"""The HTTP side of `kg serve`: SPARQL 1.1 Protocol at /sparql, a query page at /, and the
inspector network view at /network, on the standard library's threading HTTP server.

Hardening: the listen backlog holds bursts of clients; a request whose Host header names
neither the bound address nor an allowed host name is refused with 421 (a web page cannot
reach a loopback server through DNS rebinding); POST bodies may be sent with
Transfer-Encoding: chunked; no CORS headers are sent (browsers keep other sites' pages from
reading answers); an unexpected failure answers 500 instead of dropping the connection.

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
from ..outputs import OutputDir
from ..paths import QUERIES_DIR, SERVE_ASSETS
from ..query import named_queries, question_of
from .app import Endpoint, Response, error

ASSETS = SERVE_ASSETS
MAX_BODY = 1_000_000  # bytes of POSTed query text
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
WILDCARD = ("", "0.0.0.0", "::")
BACKLOG = 1024  # pending connections the kernel keeps while every handler thread is busy
NO_NETWORK = """<!doctype html><meta charset="utf-8"><title>No inspector network yet</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>No inspector network yet</h1>
<p>Run <code>kg network</code> to draw it (it writes <code>{path}</code>), then reload this page.</p>
<p><a href="/">Back to the query page</a></p>"""


class KgServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, address, endpoint: Endpoint, *, queries_dir: Path = QUERIES_DIR,
                 network_dir: Path | None = None, quiet: bool = False, allow_hosts=()):
        self.endpoint = endpoint
        self.queries_dir = Path(queries_dir)
        self.network_dir = Path(network_dir) if network_dir else None
        self.quiet = quiet
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)
        self.allowed_hosts = allowed_hosts(address[0], allow_hosts)

    def host_allowed(self, header: str | None) -> bool:
        """Whether a Host header names this server (None: any host is allowed)."""
        if self.allowed_hosts is None or header is None:
            return True  # a wildcard bind, or an HTTP/1.0 client without Host (browsers always send it)
        host = header.strip().lower()
        if host.startswith("["):
            host = host[:host.find("]") + 1]
        elif host.count(":") == 1:
            host = host.split(":")[0]
        return host.rstrip(".") in self.allowed_hosts

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


def allowed_hosts(bound: str, extra=()) -> frozenset[str] | None:
    """Host names a request may address: the bound address, the loopback names for a loopback
    bind, and `extra` (kg serve --allow-host). None (no check) for a wildcard bind without extra."""
    extra = {h.strip().lower().rstrip(".") for h in extra if h.strip()}
    bound = bound.strip().lower()
    if bound in WILDCARD:
        return frozenset(extra | set(LOOPBACK_NAMES)) if extra else None
    names = {bound, f"[{bound}]" if ":" in bound else bound} | extra
    if bound in LOOPBACK or bound.startswith("127."):
        names |= set(LOOPBACK_NAMES)
    return frozenset(names)


def make_server(endpoint: Endpoint, host: str = "127.0.0.1", port: int = 8000, *,
                queries_dir: Path = QUERIES_DIR, network_dir: Path | None = None,
                quiet: bool = False, allow_hosts=()) -> KgServer:
    """An HTTP server (not yet started) for the endpoint. The network view is served from
    network_dir (default: the 'network' folder beside the graph file). Requests must address
    the bound host (or a loopback name for a loopback bind, or one of allow_hosts)."""
    if network_dir is None and endpoint.source is not None:
        network_dir = OutputDir.of_graph(endpoint.source).network
    return KgServer((host, port), endpoint, queries_dir=queries_dir, network_dir=network_dir, quiet=quiet,
                    allow_hosts=allow_hosts)


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

    # GET routes: (path prefix, method name). A prefix ending in '/' matches everything under it.
    # /id/..., /def/... and /.well-known/void are the linked-data explorer's (kg.explore).
    GET_ROUTES = [("/sparql", "_get_query"), ("/query", "_get_query"), ("/index.html", "_index"),
                  ("/network/", "_get_network"), ("/network", "_get_network"),
                  ("/id/", "_explore"), ("/id", "_explore"), ("/def/", "_explore"), ("/def", "_explore"),
                  ("/.well-known/", "_explore")]

    def do_GET(self):
        self._guarded(self._route_get)

    do_HEAD = do_GET  # _send leaves the body out

    def do_POST(self):
        self._guarded(self._post)

    def _guarded(self, handle):
        """Check the Host header, then handle; an unexpected failure answers 500 (logged). HTTP/1.1
        requires exactly one Host header (RFC 9112 3.2: else 400); an HTTP/1.0 client may omit it."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1 or (not hosts and self.request_version != "HTTP/1.0"):
            self.close_connection = True
            return self._send(error(400, "Bad request: an HTTP/1.1 request needs exactly one Host header "
                                         f"(this one has {len(hosts)})."))
        if not self.server.host_allowed(self.headers.get("Host")):
            self.close_connection = True
            return self._send(error(421, f"Misdirected request: this server does not answer for host "
                                         f"{self.headers.get('Host')!r}. Start kg serve with --allow-host "
                                         "NAME to allow it."))
        try:
            handle(urlsplit(self.path))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # never drop the client without an answer
            self.log_error("failed on %r: %s: %s", self.path, type(exc).__name__, exc)
            self.close_connection = True
            self._send(error(500, f"Internal error: {type(exc).__name__}"))

    def _route_get(self, url):
        if url.path == "/":
            return self._index(url)
        for prefix, method in self.GET_ROUTES:
            if url.path == prefix or (prefix.endswith("/") and url.path.startswith(prefix)):
                return getattr(self, method)(url)
        self._send(error(404, f"Not found: {url.path}. The SPARQL endpoint is /sparql; the query page is /."))

    def _get_query(self, url):
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._send(self.server.endpoint.refuse_update(params["update"][0]))
        return self._query(params)

    def _index(self, url):
        self._send(Response(200, "text/html; charset=utf-8", index_page(self.server)))

    def _get_network(self, url):
        self._send(self._network(url.path))

    def _explore(self, url):
        from ..explore import route

        response = route(self.server.endpoint, url.path, self.headers.get("Accept"), self.headers.get("Host"))
        self._send(response or error(404, f"Not found: {url.path}. The SPARQL endpoint is /sparql; the query page is /."))

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked); None after answering 400/413."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(error(400, "Bad Content-Length header."))
            return None
        if length > MAX_BODY:
            self.close_connection = True
            self._send(error(413, f"Request too large: {length} bytes (limit {MAX_BODY})."))
            return None
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes | None:
        body = bytearray()
        try:
            while True:
                line = self.rfile.readline(1024)
                size = int(line.split(b";")[0].strip(), 16)
                if size < 0:
                    raise ValueError(line)
                if len(body) + size > MAX_BODY:
                    self.close_connection = True
                    self._send(error(413, f"Request too large: more than {MAX_BODY} bytes."))
                    return None
                if size == 0:
                    while self.rfile.readline(8192).strip():  # trailer fields, up to the blank line
                        pass
                    return bytes(body)
                chunk = self.rfile.read(size)
                if len(chunk) != size or self.rfile.read(2) != b"\r\n":
                    raise ValueError("short chunk")
                body += chunk
        except ValueError:
            self.close_connection = True
            self._send(error(400, "Bad chunked request body."))
            return None

    def _post(self, url):
        if url.path not in ("/sparql", "/query", "/update"):
            self.close_connection = True  # the body was not read
            return self._send(error(404, f"Not found: {url.path}. POST queries to /sparql."))
        raw = self._read_body()
        if raw is None:
            return
        body = raw.decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/update" or ctype == "application/sparql-update":
            return self._send(self.server.endpoint.refuse_update(body))
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._send(self.server.endpoint.refuse_update(form["update"][0]))
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


def run_until_interrupted(server: KgServer) -> bool:
    """Serve in this thread until Ctrl-C (or SIGTERM, which the command turns into Ctrl-C), then
    release the socket and stop the workers. True when interrupted."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        return True
    finally:
        server.server_close()
        server.endpoint.close()
    return False


@contextmanager
def in_background(server: KgServer):
    """Serve from a daemon thread for the duration of a with-block (notebooks, tests). The thread
    looks for the stop request every 20 ms (the default, 0.5 s, made leaving the block slow)."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
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
