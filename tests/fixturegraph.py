"""The hand-written fixture graph (tests/fixtures/graph.ttl) with the ontology and vocabularies,
as a build would assemble them: every query in queries/ has known answers on it."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.graphio import load_graph, read_prefixes, read_triples, serialize
from kg.paths import ONTOLOGY_DIR, VOCAB_DIR

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "graph.ttl"


def _files() -> list[Path]:
    return [FIXTURE, ONTOLOGY_DIR / "kg.ttl", *sorted(VOCAB_DIR.glob("*.ttl"))]


def fixture_graph() -> Graph:
    graph = Graph()
    for path in _files():
        load_graph(path, graph)
    return graph


def write_fixture_graph(folder: Path) -> Path:
    """The fixture graph as folder/graph.ttl (a build output folder kg.open and the CLI accept)."""
    triples = list(dict.fromkeys(t for path in _files() for t in read_triples(path)))
    prefixes = {k: v for path in reversed(_files()) for k, v in read_prefixes(path).items()}
    path = folder / "graph.ttl"
    path.write_bytes(serialize(triples, "turtle", prefixes))
    return path
