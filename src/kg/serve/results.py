"""SPARQL result serialisations for the endpoint: SELECT/ASK results as JSON, XML, CSV or TSV
(the four W3C formats) and CONSTRUCT/DESCRIBE graphs through Oxigraph's RDF serialisers.

The endpoint stops reading a result at its size limit, so it cannot hand Oxigraph's own
result serialiser the (possibly endless) solution iterator; these writers take the rows it kept.
"""
from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

# short name -> media type (results); short name -> (media type, Oxigraph format) (graphs)
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}


def write_solutions(fmt: str, variables: list[str], rows: list) -> bytes:
    """rows: pyoxigraph QuerySolution objects, whose values come in the order of `variables`."""
    table = [list(row) for row in rows]
    return {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt](variables, table)


def _memo(encode):
    """encode(term), remembered: results repeat the same IRIs and labels on many rows."""
    seen: dict = {}

    def cached(term) -> str:
        text = seen.get(term)
        if text is None:
            text = seen[term] = encode(term)
        return text
    return cached


def write_boolean(fmt: str, value: bool) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return b"true\r\n" if value else b"false\r\n"  # CSV/TSV define no boolean form; plain text


def write_triples(fmt: str, triples: list, prefixes: dict[str, str]) -> bytes:
    return ox.serialize(triples, format=GRAPH_FORMATS[fmt][1], prefixes=prefixes) or b""


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    # RDF-star quoted triple (SPARQL 1.2 / SPARQL-star JSON results)
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _json(variables, table) -> bytes:
    term = _memo(lambda t: json.dumps(_json_term(t), ensure_ascii=False))
    keys = [json.dumps(v) for v in variables]
    bindings = ",\n".join("{" + ",".join(f"{k}:{term(t)}" for k, t in zip(keys, row) if t is not None) + "}"
                          for row in table)
    return f'{{"head":{{"vars":{json.dumps(variables)}}},"results":{{"bindings":[\n{bindings}]}}}}\n'.encode()


def _xml_term(term) -> str:
    from xml.sax.saxutils import escape, quoteattr  # imports urllib.request: only for XML results

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _xml(variables, table) -> bytes:
    from xml.sax.saxutils import quoteattr

    out = ['<?xml version="1.0"?>', f'<sparql xmlns="{SPARQL_RESULTS_NS}">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out += ["</head>", "<results>"]
    term = _memo(_xml_term)
    names = [quoteattr(v) for v in variables]
    for row in table:
        cells = "".join(f"<binding name={n}>{term(t)}</binding>" for n, t in zip(names, row) if t is not None)
        out.append(f"<result>{cells}</result>")
    out += ["</results>", "</sparql>", ""]
    return "\n".join(out).encode()


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _csv(variables, table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    value = _memo(_csv_value)
    writer.writerows([value(t) for t in row] for row in table)
    return out.getvalue().encode()


def _tsv(variables, table) -> bytes:
    # TSV cells are terms in Turtle/N-Triples syntax, which never contain raw tabs or newlines
    lines = ["\t".join(f"?{v}" for v in variables)]
    term = _memo(lambda t: "" if t is None else str(t))
    lines += ["\t".join(term(t) for t in row) for row in table]
    return ("\n".join(lines) + "\n").encode()
