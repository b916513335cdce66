"""The explorer's access to the graph: loading it (one small function, so the loader can be
switched) and running the SPARQL files of queries/explore/ with bound variables.

    store = load_store("out/graph.ttl")
    rows = select(store, "authority", authority=IRI)     # list of {variable: str | None}
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..paths import QUERIES_DIR
from ..query import with_values

EXPLORE_QUERIES = QUERIES_DIR / "explore"


def load_store(graph: Path | str) -> ox.Store:
    """The graph in an Oxigraph store: the build's persistent store when current, else the file
    loaded in memory (kg.graphio.open_store; GraphFileError if it is missing or damaged)."""
    from ..graphio import open_store

    return open_store(graph)


@lru_cache(maxsize=None)
def query_file(name: str) -> str:
    return (EXPLORE_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _value(term) -> str | None:
    return None if term is None else term.value


def select(store: ox.Store, name: str, **params: str) -> list[dict[str, str | None]]:
    """Rows of queries/explore/<name>.rq with ?param bound to each value (IRIs as IRIs)."""
    result = store.query(with_values(query_file(name), params or None))
    names = [v.value for v in result.variables]
    return [{n: _value(solution[n]) for n in names} for solution in result]


def exists(store: ox.Store, iri: str) -> bool:
    """True if the graph says anything about the IRI (as a subject)."""
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return next(iter(store.quads_for_pattern(node, None, None)), None) is not None
