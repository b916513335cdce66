"""Query speed: every queries/*.rq over the whole dev-corpus graph, in rdflib's memory store and
in Oxigraph (the engine `kg serve` uses), side by side; then a bounded load test of `kg serve`
on loopback (bench/stress_serve.py, 8 concurrent clients by default): requests/s, p95 latency, errors.

    python bench/bench_queries.py [GRAPH] [--queries DIR] [--repeat 5] [--requests 800] [--clients 8] [--no-load]

GRAPH defaults to out/corpus/graph.ttl, built from ../shared/corpus/reports if missing.
Target: every query <= 100 ms in Oxigraph.
"""
from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

from corpus import DEFAULT_GRAPH, corpus_graph  # noqa: E402 (also puts src/ on the path)
from stress_serve import report, start_server, stress  # noqa: E402

from kg.graphio import load_graph, open_store  # noqa: E402
from kg.paths import QUERIES_DIR  # noqa: E402
from kg.query import named_queries, query  # noqa: E402

TARGET_MS = 100.0


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time in ms over `repeat` runs (after one warm-up run), and the last result.
    A run slower than a second is not repeated."""
    started = time.perf_counter()
    result = fn()
    times = [(time.perf_counter() - started) * 1000]
    if times[0] > 1000:
        return times[0], result
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def compare(graph_path: Path, queries: dict[str, str], repeat: int, rdflib_timeout: float) -> bool:
    started = time.perf_counter()
    graph = load_graph(graph_path)
    rdflib_load = time.perf_counter() - started
    started = time.perf_counter()
    store = open_store(graph_path)
    oxigraph_load = time.perf_counter() - started
    print(f"{graph_path}: {len(graph)} triples; load rdflib {rdflib_load:.1f} s, Oxigraph {oxigraph_load:.2f} s")
    print(f"{'query':34} {'rows':>6} {'rdflib ms':>10} {'oxigraph ms':>12} {'speed-up':>9}")
    all_fast = True
    for name, text in queries.items():
        ox_ms, ox_rows = timed(lambda: _oxigraph_count(store, text), repeat)
        rdflib = _in_child(lambda: timed(lambda: _rdflib_count(graph, text), repeat), rdflib_timeout)
        flag = "" if ox_ms <= TARGET_MS else "  SLOW"
        if rdflib is None:
            rdflib_ms, speed_up = f"> {rdflib_timeout * 1000:.0f}", f"> {rdflib_timeout * 1000 / max(ox_ms, 1e-3):.0f}x"
        else:
            rdflib_ms, speed_up = f"{rdflib[0]:.1f}", f"{rdflib[0] / max(ox_ms, 1e-3):.0f}x"
            if rdflib[1] != ox_rows:
                flag += f"  ROWS DIFFER (rdflib {rdflib[1]})"
        all_fast &= ox_ms <= TARGET_MS
        print(f"{name:34} {ox_rows:>6} {rdflib_ms:>10} {ox_ms:>12.2f} {speed_up:>9}{flag}")
    return all_fast


def _in_child(work, timeout: float):
    """work() in a forked process (rdflib is pure Python and cannot be interrupted); None if
    it takes longer than timeout seconds."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=lambda: send.send(work()), daemon=True)
    child.start()
    try:
        return receive.recv() if receive.poll(timeout) else None
    finally:
        child.terminate()
        child.join()


def _rdflib_count(graph, text: str) -> int:
    result = query(graph, text)
    return len(result.graph) if result.graph is not None else int(bool(result.ask)) if result.ask is not None else len(result.rows)


def _oxigraph_count(store, text: str) -> int:
    result = store.query(text)
    return int(bool(result)) if result.__class__.__name__ == "QueryBoolean" else sum(1 for _ in result)


# ------------------------------------------------------------------ load test

def load_test(graph_path: Path, queries: list[str], clients: int, requests: int) -> bool:
    server, port = start_server(graph_path, workers=2, timeout=10.0)
    try:
        figures = stress(port, queries, clients, requests, keep_alive=True)
    finally:
        server.terminate()
        server.wait(10)
    print(f"\nload test ({len(queries)} example queries in turn, keep-alive, loopback): {report(figures)}")
    return figures["errors"] == 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", nargs="?", type=Path, default=DEFAULT_GRAPH)
    parser.add_argument("--queries", type=Path, default=QUERIES_DIR, help="folder of .rq files (default: queries/)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and engine (median)")
    parser.add_argument("--rdflib-timeout", type=float, default=120,
                        help="seconds before an rdflib timing is given up (default: 120)")
    parser.add_argument("--requests", type=int, default=800, help="total requests in the load test")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients in the load test")
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    args = parser.parse_args(argv)
    queries = {name: path.read_text(encoding="utf-8") for name, path in named_queries(args.queries).items()}
    graph_path = corpus_graph(args.graph)
    fast = compare(graph_path, queries, args.repeat, args.rdflib_timeout)
    ok = True if args.no_load else load_test(graph_path, list(queries.values()), args.clients, args.requests)
    print(f"\n{'all queries within' if fast else 'SOME QUERIES OVER'} {TARGET_MS:.0f} ms in Oxigraph; "
          f"load test {'without errors' if ok else 'HAD ERRORS'}")
    return 0 if fast and ok else 1


if __name__ == "__main__":
    sys.exit(main())
