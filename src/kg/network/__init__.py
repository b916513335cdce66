"""Shared-inspector networks: who inspected with whom, and which authorities share inspectors.

    from kg.graphio import open_store
    from kg.network import load_network, shared_inspectors, most_connected
    net = load_network(open_store("out/graph.ttl"))     # or an rdflib.Graph
    shared_inspectors(net, "dudley", "walsall")
"""
_EXPORTS = {
    **dict.fromkeys(("analyse", "authority_pairs", "communities", "cross_authority_inspectors", "format_table",
                     "most_connected", "shared_inspectors"), "analysis"),
    **dict.fromkeys(("Network", "Participation", "UnknownAuthority", "load_network"), "graphs"),
}

__all__ = ["Network", "Participation", "UnknownAuthority", "analyse", "authority_pairs", "communities",
           "cross_authority_inspectors", "format_table", "load_network", "most_connected",
           "shared_inspectors"]


def __getattr__(name: str):
    """Import a submodule only when one of its names is first used (keeps `kg --help` fast)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = globals()[name] = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
