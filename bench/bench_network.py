"""Network speed: the shared-inspector network of the whole dev-corpus graph, stage by stage.

    python bench/bench_network.py [GRAPH] [--out DIR] [--top 40]

GRAPH defaults to out/corpus/graph.ttl, built from ../shared/corpus/reports if missing. Times
loading the Turtle file into Oxigraph (as `kg network` does), SPARQL -> networkx, the analyses,
the PNG, the HTML page and the GraphML/GEXF/CSV exports, in one cold process (matplotlib's
import is counted in the PNG). Target: <= 3 s for all of them.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_GRAPH, corpus_graph  # noqa: E402 (also puts src/ on the path)

from kg.graphio import load_store  # noqa: E402

TARGET_S = 3.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", nargs="?", type=Path, default=DEFAULT_GRAPH)
    parser.add_argument("--out", type=Path, help="folder for the files (default: a temporary folder)")
    parser.add_argument("--top", type=int, default=40, help="inspectors drawn in the PNG")
    args = parser.parse_args(argv)

    path = corpus_graph(args.graph)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-network-"))
    stages: list[tuple[str, float]] = []

    def stage(name, fn):
        t = time.perf_counter()
        value = fn()
        stages.append((name, time.perf_counter() - t))
        return value

    from kg.network import analyse, load_network
    from kg.network.export import write_exports
    from kg.network.render_html import render_html
    from kg.network.render_png import render_png

    graph = stage("load graph (Oxigraph)", lambda: load_store(path))
    net = stage("SPARQL -> networkx", lambda: load_network(graph))
    stage("analyses", lambda: analyse(net))
    stage("PNG", lambda: render_png(net, out / "network.png", top=args.top))
    stage("HTML", lambda: render_html(net, out / "network.html"))
    stage("GraphML, GEXF, CSV", lambda: write_exports(net, out))
    total = sum(seconds for _, seconds in stages)
    print(f"{path}: {len(graph)} triples")
    print(net.summary())
    for name, seconds in stages:
        print(f"  {name:<22}{seconds:6.2f} s")
    print(f"  {'total':<22}{total:6.2f} s (target <= {TARGET_S:.0f} s: {'ok' if total <= TARGET_S else 'TOO SLOW'})")
    print(f"files in {out}")
    return 0 if total <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
