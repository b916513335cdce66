"""Shared by the bench scripts: where the dev corpus and its graph are, building it if missing."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CORPUS = ROOT.parent / "shared" / "corpus" / "reports"
DEFAULT_GRAPH = ROOT / "out" / "corpus" / "graph.ttl"


def corpus_graph(path: Path = DEFAULT_GRAPH) -> Path:
    """The graph file, built from the dev corpus first if it does not exist."""
    if not path.exists():
        from kg.build import build

        print(f"building {path} from {CORPUS} ...", file=sys.stderr)
        build([CORPUS], path.parent, validate=False)
    return path
