"""Do rewritten queries give the same answers? Every queries/*.rq that differs from its version at
a git revision is run in both versions on each graph's store (Oxigraph), unbound and as asked
(the example parameters of its header comment), and the full results are compared as sorted rows
of N-Triples terms; rows in the same order are reported too (ties under ORDER BY may differ).

    python bench/same_answers.py [GRAPH ...] [--ref main] [--all]

GRAPH defaults to out/corpus/graph.ttl and out/bench-x3/graph.ttl (see bench/bench_startup.py).
Exit status 1 if any answer differs.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from corpus import DEFAULT_GRAPH, ROOT  # noqa: E402 (also puts src/ on the path)

from kg.graphio import open_store  # noqa: E402
from kg.paths import QUERIES_DIR  # noqa: E402
from kg.query import example_params, execute, named_queries  # noqa: E402

X3_GRAPH = ROOT / "out" / "bench-x3" / "graph.ttl"


def at_revision(ref: str, path: Path) -> str | None:
    done = subprocess.run(["git", "show", f"{ref}:{path.relative_to(ROOT).as_posix()}"],
                          capture_output=True, text=True, cwd=ROOT)
    return done.stdout if done.returncode == 0 else None


def rows(store, sparql: str, params: dict[str, str]) -> tuple[list[tuple[str, ...]], float]:
    started = time.perf_counter()
    result = execute(store, sparql, params)
    if result.__class__.__name__ == "QueryBoolean":
        return [(str(bool(result)),)], time.perf_counter() - started
    if result.__class__.__name__ == "QueryTriples":
        return [(str(t),) for t in result], time.perf_counter() - started
    names = [v.value for v in result.variables]
    answer = [tuple("" if s[v] is None else str(s[v]) for v in names) for s in result]
    return [tuple(names)] + answer, time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graphs", nargs="*", type=Path, default=[DEFAULT_GRAPH, X3_GRAPH])
    parser.add_argument("--ref", default="main", help="git revision of the old queries (default: main)")
    parser.add_argument("--all", action="store_true", help="compare unchanged queries too")
    args = parser.parse_args(argv)
    pairs = {}
    for name, path in named_queries(QUERIES_DIR).items():
        old, new = at_revision(args.ref, path), path.read_text(encoding="utf-8")
        if old is not None and (args.all or old != new):
            pairs[name] = (old, new)
    print(f"{len(pairs)} queries differ from {args.ref}: {', '.join(pairs) or '-'}")
    same = True
    for graph in args.graphs:
        store = open_store(graph)
        print(f"\n{graph} ({len(store)} triples)")
        for name, (old, new) in pairs.items():
            for params in ({}, example_params(new)) if example_params(new) else ({},):
                (before, old_s), (after, new_s) = rows(store, old, params), rows(store, new, params)
                equal = sorted(before) == sorted(after)
                same &= equal
                label = " ".join(f"{k}={v}" for k, v in params.items()) or "unbound"
                print(f"  {name:36} {label:24} {len(before) - 1:>6} rows "
                      f"{'same' if equal else 'DIFFERENT'}{' (same order)' if before == after else ''}"
                      f"  {old_s * 1000:8.1f} -> {new_s * 1000:6.1f} ms"
                      f"{'' if equal else f' ({len(after) - 1} rows now)'}")
    print(f"\n{'all answers the same' if same else 'SOME ANSWERS DIFFER'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
