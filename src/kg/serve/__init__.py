"""`kg serve`: a read-only SPARQL 1.1 endpoint and query page over a built graph.

    from kg.serve import Endpoint, make_server
    endpoint = Endpoint.from_file("out/graph.ttl", timeout=10, limit=10_000)
    status, content_type, body = endpoint.execute("SELECT * { ?s ?p ?o } LIMIT 3", "text/csv")
"""
from .app import DEFAULT_LIMIT, DEFAULT_TIMEOUT, Endpoint, Response
from .http import KgServer, make_server, serve

__all__ = ["DEFAULT_LIMIT", "DEFAULT_TIMEOUT", "Endpoint", "KgServer", "Response", "make_server", "serve"]
