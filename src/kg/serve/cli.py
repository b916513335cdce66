"""`kg serve [GRAPH]`: a thin command over kg.serve."""
from __future__ import annotations

import sys

from ..cli import seconds
from ..errors import printable
from ..exitcodes import ExitCode
from ..outputs import DEFAULT_GRAPH, graph_path
from .app import DEFAULT_LIMIT, DEFAULT_TIMEOUT, DEFAULT_WORKERS


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the graph as a read-only SPARQL endpoint with a query page",
                       description="Serve GRAPH over HTTP: a SPARQL 1.1 Protocol endpoint at /sparql "
                                   "(GET/POST; JSON, XML, CSV, TSV, Turtle, JSON-LD), a query page with the "
                                   "examples from queries/ at /, and the inspector network at /network. "
                                   "Read-only: updates, LOAD and SERVICE are refused. Exit 5 if GRAPH is "
                                   "empty or damaged, 2 if the address cannot be used.")
    p.add_argument("graph", nargs="?", type=graph_path, default=DEFAULT_GRAPH,
                   help="RDF file or build output folder (default: out/graph.ttl)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT,
                   help=f"seconds a query may run (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                   help=f"most rows or triples returned per query (default: {DEFAULT_LIMIT})")
    p.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                   help=f"processes evaluating queries, each holding the graph (default: {DEFAULT_WORKERS})")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer requests addressed to host NAME (default: only the bound address, "
                        "plus localhost names for a loopback bind); repeatable")
    p.add_argument("-q", "--quiet", action="store_true", help="do not log requests")
    p.set_defaults(func=run_serve)


def run_serve(args) -> int:
    from . import Endpoint, make_server
    from .http import LOOPBACK, run_until_interrupted

    if args.workers < 1 or args.limit < 1:
        print("kg: error: --workers and --limit must be at least 1", file=sys.stderr)
        return ExitCode.USAGE
    if not 0 <= args.port <= 65535:  # said before the graph is loaded
        print(f"kg: error: cannot listen on {args.host}:{args.port}: a port is 0-65535", file=sys.stderr)
        return ExitCode.USAGE
    # a missing or damaged graph: one line and its exit code from kg.cli.main
    endpoint = Endpoint.from_file(args.graph, timeout=args.timeout, limit=args.limit, workers=args.workers)
    try:
        server = make_server(endpoint, args.host, args.port, quiet=args.quiet, allow_hosts=args.allow_host)
    except (OSError, OverflowError) as exc:
        endpoint.close()
        print(f"kg: error: cannot listen on {args.host}:{args.port}: {getattr(exc, 'strerror', None) or exc}",
              file=sys.stderr)
        return ExitCode.USAGE
    try:
        endpoint.start()
    except RuntimeError as exc:
        server.server_close()
        endpoint.close()
        print(f"kg: error: {exc}", file=sys.stderr)
        return ExitCode.FILE_ERROR
    if args.host not in LOOPBACK:
        print(f"kg: warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    print(f"Serving {len(endpoint)} triples from {printable(str(args.graph))} at {server.url} "
          f"(SPARQL endpoint: {server.url}sparql). Ctrl-C stops.", flush=True)
    import signal

    from ..cli import _interrupt  # SIGTERM stops the server as Ctrl-C does
    signal.signal(signal.SIGTERM, _interrupt)
    return ExitCode.INTERRUPTED if run_until_interrupted(server) else ExitCode.OK
