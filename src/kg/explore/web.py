"""Dereferencing IRIs under `kg serve`: `route()` answers GET /id/..., /def/... and
/.well-known/void, or returns None for any other path.

Convention: 200 with the chosen representation (no 303), `Vary: Accept`, `Content-Location`
naming the representation's own URL (`/id/authority/dudley.ttl`) and `Link` headers to the
others. A suffix (.html, .ttl, .jsonld, .nt) picks the syntax regardless of Accept; without one,
Accept decides (a browser, */* or no header gets HTML). Unknown IRIs are 404.
"""
from __future__ import annotations

import mimetypes
import weakref
from urllib.parse import quote, unquote

from ..serve.app import Response, error
from .describe import OFFERED, RDF_FORMATS, choose, description, serialize
from .html import asset, esc, layout, link
from .iris import HOME, SUFFIXES, Links
from .pages import Explorer
from .void import built_at, void_document

PREFIXES = ("/id", "/def", "/.well-known/void")
_explorers: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
HTML = "text/html; charset=utf-8"


def explorer_for(endpoint) -> Explorer:
    """One Explorer per served endpoint (its caches live as long as the endpoint)."""
    found = _explorers.get(endpoint)
    if found is None:
        store = endpoint.store
        if store is None:  # the endpoint's workers hold the graph: pages read it here (the persistent store if current)
            from ..graphio import open_store
            store = open_store(endpoint.source)
        found = _explorers[endpoint] = Explorer(store)
    return found


def route(endpoint, path: str, accept: str | None, host: str | None = None) -> Response | None:
    """The answer for a GET of path, or None if the path is not the explorer's."""
    if not (path == "/id" or path.startswith(("/id/", "/def/", "/.well-known/void")) or path == "/def"):
        return None
    path = unquote(path)
    explorer = explorer_for(endpoint)
    links = Links(static=False, sparql="/")
    if path.startswith("/.well-known/void"):
        return _void(explorer, endpoint, path, accept, host)
    if path.startswith("/id/_assets/"):
        return _asset(path[len("/id/_assets/"):])
    if path in ("/id", "/id/"):  # the home page; as data, the dataset's VoID description
        wanted = choose(accept)
        if wanted not in (None, "html"):
            return _void(explorer, endpoint, "/.well-known/void" + _suffix(wanted), accept, host)
        return _html(explorer.home(links), "/id/")
    key, fmt = _split(explorer, path.lstrip("/"))
    if key is None:
        message = f"Not found: {path}. No resource with this IRI in the graph; the explorer's home is /id/."
        if choose(accept) != "html" or not accept or "text/html" not in accept:
            return error(404, message)
        body = layout(links=links, key=HOME, iri=None, title="No such resource", kind="Not found",
                      body=f"<p>{esc(message)}</p><p>{link('/id/', 'Search the explorer')} or "
                           f"{link('/', 'ask the SPARQL endpoint')}.</p>")
        return Response(404, HTML, body.encode("utf-8"))
    if key == "id/dataset":  # the dataset itself: its VoID description
        return _void(explorer, endpoint, "/.well-known/void" + ("" if fmt is None else _suffix(fmt)), accept, host)
    chosen = fmt or choose(accept)
    if chosen is None:
        return error(406, f"Cannot answer in any of: {accept}. Offered: {OFFERED} (or add .html, .ttl, .jsonld, .nt).")
    path_key = quote(key, safe="/-_.~")  # headers are ASCII, whatever the IRI holds
    headers = {"Vary": "Accept", "Content-Location": "/" + path_key + _suffix(chosen), "Link": _alternates(path_key)}
    if chosen == "html":
        body = explorer.html(key, links)
        return Response(200, HTML, body.encode("utf-8"), headers)
    iri = explorer.resolve(key)
    media = RDF_FORMATS[chosen][0]
    return Response(200, media + ("; charset=utf-8" if media.startswith("text/") else ""),
                    serialize(description(explorer.store, iri), chosen), headers)


def _split(explorer: Explorer, key: str) -> tuple[str | None, str | None]:
    """(page key, syntax from the suffix or None); key None if the graph knows no such IRI."""
    if key == "id/dataset" or key.startswith("id/dataset."):
        stem, dot, ext = key.partition(".")
        return ("id/dataset", SUFFIXES.get("." + ext)) if not dot or "." + ext in SUFFIXES else (None, None)
    if explorer.resolve(key):
        return key, None
    for suffix, fmt in SUFFIXES.items():
        if key.endswith(suffix) and explorer.resolve(key[:-len(suffix)]):
            return key[:-len(suffix)], fmt
    return None, None


def _suffix(fmt: str) -> str:
    return next(s for s, name in SUFFIXES.items() if name == fmt)


def _alternates(key: str) -> str:
    media = {"html": "text/html", **{name: RDF_FORMATS[name][0] for name in RDF_FORMATS}}
    return ", ".join(f'</{key}{suffix}>; rel="alternate"; type="{media[name]}"' for suffix, name in SUFFIXES.items())


def _html(body: str, location: str) -> Response:
    return Response(200, HTML, body.encode("utf-8"), {"Content-Location": location})


def _asset(name: str) -> Response:
    if name not in ("explore.css", "explore.js"):
        return error(404, f"Not found: /id/_assets/{name}")
    media = mimetypes.guess_type(name)[0] or "text/plain"
    return Response(200, media + "; charset=utf-8", asset(name).encode("utf-8"), {"Cache-Control": "max-age=3600"})


def _void(explorer: Explorer, endpoint, path: str, accept: str | None, host: str | None) -> Response:
    rest = path[len("/.well-known/void"):]
    fmt = SUFFIXES.get(rest) if rest else None
    if rest and fmt in (None, "html"):
        return error(404, f"Not found: {path}. The VoID description is /.well-known/void (.ttl, .jsonld, .nt).")
    if fmt is None:  # Turtle unless the client asks for another RDF syntax
        wanted = choose(accept) if accept and "*/*" not in accept and "text/html" not in accept else "turtle"
        if wanted is None:
            return error(406, f"Cannot answer in any of: {accept}. Offered: text/turtle, application/ld+json, "
                              "application/n-triples.")
        fmt = "turtle" if wanted == "html" else wanted
    sparql = f"http://{host}/sparql" if host else None
    cache = explorer.__dict__.setdefault("_void_documents", {})  # the served graph never changes
    if (fmt, sparql) not in cache:
        cache[(fmt, sparql)] = void_document(explorer, fmt, sparql=sparql, built=built_at(endpoint.source))
    body = cache[(fmt, sparql)]
    media = RDF_FORMATS[fmt][0]
    return Response(200, media + ("; charset=utf-8" if media.startswith("text/") else ""), body,
                    {"Vary": "Accept", "Content-Location": "/.well-known/void" + _suffix(fmt)})
