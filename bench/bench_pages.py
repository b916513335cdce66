"""How fast the explorer renders each page type and writes `kg site`, on the dev-corpus graph
and on a synthetic graph of about 500 reports (the corpus replicated with renamed authority,
inspection and report IRIs; inspectors and vocabularies shared, so inspector pages grow too).

    python bench/bench_pages.py [GRAPH] [--copies 3] [--no-site]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import corpus_graph

import pyoxigraph as ox

from kg.explore import Explorer, Links, write_site
from kg.explore.web import route
from kg.rdf import DEFAULT_BASE
from kg.serve import Endpoint

RENAMED = ("authority/", "inspection/", "report/")


def replicate(graph: Path, copies: int, out: Path) -> Path:
    """Write `copies` renamed copies of the graph's reports into one N-Triples file."""
    triples = [q.triple for q in ox.parse(path=str(graph), format=ox.RdfFormat.TURTLE)]

    def rename(term, k):
        if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE):
            rest = term.value[len(DEFAULT_BASE):]
            for kind in RENAMED:
                if rest.startswith(kind):
                    slug, sep, tail = rest[len(kind):].partition("/")
                    return ox.NamedNode(f"{DEFAULT_BASE}{kind}{slug}-copy{k}{sep}{tail}")
        return term

    out.parent.mkdir(parents=True, exist_ok=True)
    every = set(triples)
    for k in range(2, copies + 1):
        every.update(ox.Triple(rename(t.subject, k), t.predicate, rename(t.object, k)) for t in triples)
    out.write_bytes(ox.serialize(sorted(every, key=str), format=ox.RdfFormat.N_TRIPLES))
    return out


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def cpu(fn) -> float:
    """CPU time of this process (ms): what a page costs when other programs share the cores."""
    started = time.process_time()
    fn()
    return (time.process_time() - started) * 1000


def bench(graph: Path, site: bool, sample: int = 15) -> None:
    started = time.perf_counter()
    endpoint = Endpoint.from_file(graph)
    explorer = Explorer(endpoint.store)
    reports = sum(1 for r in explorer.index() if r["kind"] == "report")
    print(f"\n{graph}: {len(endpoint):,} triples, {reports} reports, loaded in {time.perf_counter() - started:.1f} s")
    links = Links()
    kinds: dict[str, list[str]] = {}
    for row in explorer.index():
        kinds.setdefault(row["kind"], []).append(explorer.key(row["resource"]))
    first = timed(lambda: explorer.html("id/", links))
    print(f"{'page type':<12} {'pages':>5} {'median ms':>10} {'max ms':>8} {'median CPU ms':>14}")
    print(f"{'home':<12} {1:>5} {timed(lambda: explorer.html('id/', links)):>10.1f} {first:>8.1f}  (first render builds the search index)")
    for kind in ("authority", "inspection", "inspector", "theme", "report"):
        keys = sorted(kinds.get(kind, []), key=lambda k: -len(explorer.html(k, links) or ""))[:sample] if kind != "inspection" \
            else kinds.get(kind, [])[:: max(1, len(kinds.get(kind, [])) // sample)][:sample]
        times = [timed(lambda k=k: explorer.html(k, links)) for k in keys]
        cpus = [cpu(lambda k=k: explorer.html(k, links)) for k in keys]
        if times:
            print(f"{kind:<12} {len(times):>5} {statistics.median(times):>10.1f} {max(times):>8.1f} "
                  f"{statistics.median(cpus):>14.1f}")
    authority = kinds["authority"][0]
    for label, accept in (("turtle", "text/turtle"), ("jsonld", "application/ld+json")):
        ms = timed(lambda: route(endpoint, "/" + authority, accept))
        print(f"{authority} as {label}: {ms:.1f} ms")
    print(f"VoID: {timed(lambda: route(endpoint, '/.well-known/void', None, 'localhost')):.1f} ms")
    if site:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.process_time()
            result = write_site(graph, Path(tmp) / "site")
            print(f"kg site: {result.pages} pages, {result.files} files in {result.seconds:.1f} s "
                  f"({time.process_time() - started:.1f} s CPU)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path)
    parser.add_argument("--copies", type=int, default=3, help="copies of the corpus in the large graph (default 3)")
    parser.add_argument("--no-site", action="store_true", help="skip the kg site timing")
    args = parser.parse_args()
    graph = args.graph or corpus_graph()
    bench(graph, not args.no_site)
    if args.copies > 1:
        big = replicate(graph, args.copies, Path(tempfile.gettempdir()) / f"kg-bench-pages-x{args.copies}" / "graph.nt")
        bench(big, not args.no_site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
