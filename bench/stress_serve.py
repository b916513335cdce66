"""Stress `kg serve` on loopback: many concurrent clients, a bounded number of requests, and
what load the server held (clients, requests, errors, requests/s, p50/p95 latency).

    python bench/stress_serve.py [GRAPH] [--clients 50] [--requests 300] [--workers 2] [--keep-alive]
                                 [--hostile N]

The server runs as `kg serve` in a subprocess. Each client sends the example queries of
queries/ in turn, a new connection per request unless --keep-alive (new connections are what
filled the old listen backlog of 5). --hostile N also sends N hostile requests among them
(5,000 nested groups, a federated SERVICE, an update, a query that runs past the timeout): they
must be refused or stopped (400/403/503) while the others are answered. An error is any
ordinary request that does not get 200, or any dropped connection.
GRAPH defaults to out/corpus/graph.ttl, built from ../shared/corpus/reports if missing.
"""
from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from corpus import DEFAULT_GRAPH, ROOT, corpus_graph  # noqa: E402 (also puts src/ on the path)

from kg.query import named_queries  # noqa: E402

HOSTILE = [
    ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, 400),
    ("PREFIX ex: <http://example.org/>\nSELECT * { ?s ex:x\\# ?o . SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }", 400),
    ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403),
    ("LOAD <http://127.0.0.1:9/data.ttl>", 403),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", 503),
]


def start_server(graph: Path, workers: int, timeout: float) -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(graph), "--port", "0", "--quiet",
                               "--workers", str(workers), "--timeout", str(timeout)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    line = server.stdout.readline()  # "Serving N triples from ... at http://127.0.0.1:PORT/ ..."
    if " at http://127.0.0.1:" not in line:
        server.kill()
        raise SystemExit(f"kg serve did not start: {line!r}")
    return server, int(line.split(" at http://127.0.0.1:")[1].split("/")[0])


def stress(port: int, queries: list[str], clients: int, requests: int, *, keep_alive: bool = False,
           hostile: int = 0) -> dict:
    """Send `requests` requests from `clients` threads; the figures as a dict."""
    plan = [(q, 200) for q in queries]
    jobs = [plan[i % len(plan)] for i in range(requests)]
    for i in range(min(hostile, requests)):  # spread the hostile ones through the run
        jobs[(i * requests) // max(hostile, 1)] = HOSTILE[i % len(HOSTILE)]
    latencies: list[float] = []
    errors: Counter = Counter()
    statuses: Counter = Counter()
    lock = threading.Lock()
    cursor = iter(range(len(jobs)))

    def client():
        conn = None
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            text, expected = jobs[index]
            if conn is None or not keep_alive:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            started = time.perf_counter()
            try:
                conn.request("POST", "/sparql", body=urlencode({"query": text}),
                             headers={"Accept": "application/sparql-results+json",
                                      "Content-Type": "application/x-www-form-urlencoded"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status, conn = type(exc).__name__, None
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                statuses[status] += 1
                if expected == 200:
                    latencies.append(elapsed)
                if status != expected and not (expected == 503 and status == 200):
                    errors[f"{status} (expected {expected})"] += 1
            if not keep_alive and conn is not None:
                conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"clients": clients, "requests": len(jobs), "errors": sum(errors.values()), "error_kinds": dict(errors),
            "statuses": dict(statuses), "requests_per_s": len(jobs) / wall, "seconds": wall,
            "p50_ms": statistics.median(latencies) if latencies else 0.0,
            "p95_ms": statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else 0.0}


def report(figures: dict) -> str:
    kinds = ", ".join(f"{k}: {n}" for k, n in sorted(figures["error_kinds"].items()))
    return (f"clients {figures['clients']}, requests {figures['requests']}, errors {figures['errors']}"
            + (f" ({kinds})" if kinds else "")
            + f", {figures['requests_per_s']:.0f} requests/s, p50 {figures['p50_ms']:.0f} ms, "
              f"p95 {figures['p95_ms']:.0f} ms (statuses {dict(sorted(figures['statuses'].items(), key=str))})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", nargs="?", type=Path, default=DEFAULT_GRAPH)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default: 50)")
    parser.add_argument("--requests", type=int, default=300, help="requests in all (default: 300)")
    parser.add_argument("--workers", type=int, default=2, help="kg serve --workers (default: 2)")
    parser.add_argument("--timeout", type=float, default=10.0, help="kg serve --timeout (default: 10)")
    parser.add_argument("--keep-alive", action="store_true", help="reuse each client's connection")
    parser.add_argument("--hostile", type=int, default=0, metavar="N", help="hostile requests among them")
    args = parser.parse_args(argv)
    graph = corpus_graph(args.graph)
    queries = [path.read_text(encoding="utf-8") for path in named_queries().values()]
    server, port = start_server(graph, args.workers, args.timeout)
    try:
        figures = stress(port, queries, args.clients, args.requests, keep_alive=args.keep_alive,
                         hostile=args.hostile)
    finally:
        server.terminate()
        server.wait(10)
    print(f"kg serve {graph} (--workers {args.workers}, --timeout {args.timeout:g}), loopback, "
          f"{'keep-alive' if args.keep_alive else 'a new connection per request'}"
          + (f", {args.hostile} hostile requests" if args.hostile else "") + ":")
    print(report(figures))
    return 0 if figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
