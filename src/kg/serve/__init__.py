"""`kg serve`: a read-only SPARQL 1.1 endpoint and query page over a built graph.

    from kg.serve import Endpoint, make_server
    with Endpoint.from_file("out/graph.ttl", timeout=10, limit=10_000, workers=2) as endpoint:
        status, content_type, body = endpoint.execute("SELECT * { ?s ?p ?o } LIMIT 3", "text/csv")

Modules: app (the endpoint: request -> response, content negotiation), workers (the processes
that evaluate queries), http (the HTTP server and its routes), cli (`kg serve`). What a query may
be is decided in kg.sparql, answers are written by kg.results, graphs read by kg.graphio.
"""
_EXPORTS = {**dict.fromkeys(("DEFAULT_LIMIT", "DEFAULT_TIMEOUT", "Endpoint", "Response", "error"), "app"),
            **dict.fromkeys(("KgServer", "make_server", "serve"), "http")}

__all__ = ["DEFAULT_LIMIT", "DEFAULT_TIMEOUT", "Endpoint", "KgServer", "Response", "error", "make_server", "serve"]


def __getattr__(name: str):
    """Import a submodule only when one of its names is first used (keeps `kg --help` fast)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = globals()[name] = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
