"""The hand-written fixture graph (tests/fixtures/graph.ttl) with the ontology and vocabularies,
as a build would assemble them: every query in queries/ has known answers on it."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.paths import ONTOLOGY_DIR, VOCAB_DIR

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "graph.ttl"


def fixture_graph() -> Graph:
    graph = Graph()
    graph.parse(FIXTURE)
    graph.parse(ONTOLOGY_DIR / "kg.ttl")
    for path in sorted(VOCAB_DIR.glob("*.ttl")):
        graph.parse(path)
    return graph


def write_fixture_graph(folder: Path) -> Path:
    """The fixture graph as folder/graph.ttl (a build output folder kg.open and the CLI accept)."""
    path = folder / "graph.ttl"
    fixture_graph().serialize(path, format="turtle")
    return path
