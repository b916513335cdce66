"""`kg serve [GRAPH]`: a thin command over kg.serve."""
from __future__ import annotations

import sys
from pathlib import Path

from .app import DEFAULT_LIMIT, DEFAULT_TIMEOUT

DEFAULT_GRAPH = Path("out/graph.ttl")
EXIT_USAGE = 2


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the graph as a read-only SPARQL endpoint with a query page",
                       description="Serve GRAPH over HTTP: a SPARQL 1.1 Protocol endpoint at /sparql "
                                   "(GET/POST; JSON, XML, CSV, TSV, Turtle, JSON-LD), a query page with the "
                                   "examples from queries/ at /, and the inspector network at /network. "
                                   "Read-only: updates, LOAD and SERVICE are refused.")
    p.add_argument("graph", nargs="?", type=Path, default=DEFAULT_GRAPH, help="RDF file (default: out/graph.ttl)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"seconds a query may run (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                   help=f"most rows or triples returned per query (default: {DEFAULT_LIMIT})")
    p.add_argument("-q", "--quiet", action="store_true", help="do not log requests")
    p.set_defaults(func=run_serve)


def run_serve(args) -> int:
    from . import Endpoint, make_server
    from .http import LOOPBACK, run_until_interrupted

    endpoint = Endpoint.from_file(args.graph, timeout=args.timeout, limit=args.limit)
    try:
        server = make_server(endpoint, args.host, args.port, quiet=args.quiet)
    except OSError as exc:
        print(f"kg: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.host not in LOOPBACK:
        print(f"kg: warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    print(f"Serving {len(endpoint)} triples from {args.graph} at {server.url} "
          f"(SPARQL endpoint: {server.url}sparql). Ctrl-C stops.", flush=True)
    run_until_interrupted(server)
    return 0
