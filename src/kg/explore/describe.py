"""A resource's description as RDF (Turtle, JSON-LD, N-Triples) and the choice between those
and HTML from an Accept header."""
from __future__ import annotations

import pyoxigraph as ox

from ..rdf import PREFIXES
from ..results import accept_ranges

RDF_FORMATS = {  # name -> (media type sent, pyoxigraph format, file suffix)
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE, ".ttl"),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, ".jsonld"),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES, ".nt"),
}
MEDIA = {  # media types accepted -> format name; html first: what a browser (and */*) gets
    "text/html": "html", "application/xhtml+xml": "html",
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
}
OFFERED = "text/html, text/turtle, application/ld+json, application/n-triples"


def choose(accept: str | None) -> str | None:
    """'html', 'turtle', 'jsonld' or 'ntriples' for an Accept header (q-values honoured, ties
    to the first listed; */* and no header mean HTML); None if nothing offered is acceptable."""
    best, best_key = None, None
    for q, order, mime in accept_ranges(accept):
        if not q > 0:
            continue
        if mime in MEDIA:
            name, specificity = MEDIA[mime], 2
        elif mime in ("*/*", "text/*"):
            name, specificity = "html", 0
        elif mime == "application/*":
            name, specificity = "jsonld", 0
        else:
            continue
        key = (-q, -specificity, order)
        if best_key is None or key < best_key:
            best, best_key = name, key
    return best


LABELS = [ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
          ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")]


def description(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The resource's triples, those of the nodes minted under its IRI (an inspection's
    judgements, roles, recommendations, ...), and the labels of the things they point to;
    sorted, so the same graph gives the same bytes."""
    node = ox.NamedNode(iri)
    found = {q.triple for q in store.quads_for_pattern(node, None, None)}
    children = {t.object for t in found if isinstance(t.object, ox.NamedNode)
                and t.object.value.startswith(iri + "/")}
    for child in children:
        found.update(q.triple for q in store.quads_for_pattern(child, None, None))
    subjects = {t.subject for t in found}
    for target in {t.object for t in found if isinstance(t.object, ox.NamedNode)} - subjects:
        for label in LABELS:
            found.update(q.triple for q in store.quads_for_pattern(target, label, None))
    return sorted(found, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize(triples: list[ox.Triple], fmt: str) -> bytes:
    media, rdf_format, _ = RDF_FORMATS[fmt]
    prefixes = None if fmt == "ntriples" else {k: str(v) for k, v in sorted(PREFIXES.items())}
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
