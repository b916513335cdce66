"""A linked-data explorer over the graph: every IRI the graph mints answers as an HTML page
for people and as Turtle, JSON-LD or N-Triples for machines; a VoID/DCAT description of the
dataset; and the same pages written as a static site (`kg site`).

    from kg.explore import Explorer, Links, load_store, write_site
    explorer = Explorer(load_store("out/graph.ttl"))
    html = explorer.html("id/authority/dudley", Links())
    write_site("out/graph.ttl", "site/")
"""
from .iris import Links
from .pages import Explorer
from .store import load_store
from .web import route

__all__ = ["Explorer", "Links", "load_store", "route", "write_site"]


def write_site(*args, **kwargs):
    from .site import write_site as write

    return write(*args, **kwargs)
