"""A linked-data explorer over the graph: every IRI the graph mints answers as an HTML page
for people and as Turtle, JSON-LD or N-Triples for machines; a VoID/DCAT description of the
dataset; and the same pages written as a static site (`kg site`).

    from kg.explore import Explorer, Links, load_store, write_site
    explorer = Explorer(load_store("out/graph.ttl"))
    html = explorer.html("id/authority/dudley", Links())
    write_site("out/graph.ttl", "site/")
"""
from __future__ import annotations

# name -> submodule; imported on first use, so `kg --help` (which imports kg.explore.cli)
# does not import rdflib through kg.explore.iris
_EXPORTS = {"Links": "iris", "Explorer": "pages", "load_store": "store", "route": "web"}
__all__ = ["Explorer", "Links", "load_store", "route", "write_site"]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = globals()[name] = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def write_site(*args, **kwargs):
    from .site import write_site as write

    return write(*args, **kwargs)
