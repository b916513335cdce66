"""Shared-inspector networks: who inspected with whom, and which authorities share inspectors.

    from kg.graphio import open_store
    from kg.network import load_network, shared_inspectors, most_connected
    net = load_network(open_store("out/graph.ttl"))     # or an rdflib.Graph
    shared_inspectors(net, "dudley", "walsall")
"""
from ..lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(("analyse", "authority_pairs", "communities", "cross_authority_inspectors", "format_table",
                     "most_connected", "shared_inspectors"), "analysis"),
    **dict.fromkeys(("Network", "Participation", "UnknownAuthority", "load_network"), "graphs"),
}

__all__ = ["Network", "Participation", "UnknownAuthority", "analyse", "authority_pairs", "communities",
           "cross_authority_inspectors", "format_table", "load_network", "most_connected",
           "shared_inspectors"]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
