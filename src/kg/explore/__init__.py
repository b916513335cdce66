"""A linked-data explorer over the graph: every IRI the graph mints answers as an HTML page
for people and as Turtle, JSON-LD or N-Triples for machines; a VoID/DCAT description of the
dataset; and the same pages written as a static site (`kg site`).

    from kg.explore import Explorer, Links, load_store, write_site
    explorer = Explorer(load_store("out/graph.ttl"))
    html = explorer.html("id/authority/dudley", Links())
    write_site("out/graph.ttl", "site/")
"""
from ..lazy import lazy_exports

_EXPORTS = {"Links": "iris", "Explorer": "pages", "load_store": "store", "route": "web", "write_site": "site"}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
