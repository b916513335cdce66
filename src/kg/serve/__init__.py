"""`kg serve`: a read-only SPARQL 1.1 endpoint and query page over a built graph.

    from kg.serve import Endpoint, make_server
    with Endpoint.from_file("out/graph.ttl", timeout=10, limit=10_000, workers=2) as endpoint:
        status, content_type, body = endpoint.execute("SELECT * { ?s ?p ?o } LIMIT 3", "text/csv")

Modules: app (the endpoint: request -> response, content negotiation), workers (the processes
that evaluate queries), http (the HTTP server and its routes), cli (`kg serve`). What a query may
be is decided in kg.sparql, answers are written by kg.results, graphs read by kg.graphio.
"""
from ..lazy import lazy_exports

_EXPORTS = {**dict.fromkeys(("DEFAULT_LIMIT", "DEFAULT_TIMEOUT", "Endpoint", "Response", "error"), "app"),
            **dict.fromkeys(("KgServer", "make_server", "serve"), "http")}

__all__ = ["DEFAULT_LIMIT", "DEFAULT_TIMEOUT", "Endpoint", "KgServer", "Response", "error", "make_server", "serve"]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
