"""SPARQL results written out: the four W3C result formats (JSON, XML, CSV, TSV), graphs in an
RDF syntax, and the plain-text table of `kg query`. One home for every result writer, used by
`kg query`, `kg serve` and anything else that shows answers.

    write_solutions("json", ["a", "b"], rows)   # rows: sequences of terms (None = unbound)
    write_boolean("xml", True)
    text_table(["a", "b"], rows, shorten=prefixed_name)

Terms may be pyoxigraph terms (the endpoint) or rdflib terms (kg query's QueryResult): both are
written the same way. Writers take the rows a caller kept (the endpoint stops at its size limit).
"""
from __future__ import annotations

import io
import json
import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

# result format name -> (media type, the other media types a client may ask for it by)
RESULT_FORMATS = {
    "json": ("application/sparql-results+json", "application/json", "text/javascript", "application/javascript"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
GRAPH_RESULT_SYNTAXES = ("turtle", "jsonld", "nt", "xml")  # kg.graphio names, in order of preference


# ------------------------------------------------------------------ terms of either library

def parts(term) -> tuple[str, str, str | None, str | None]:
    """(kind, value, language, datatype) of a term: kind is uri, bnode, literal or triple;
    datatype is None for plain strings."""
    if isinstance(term, ox.NamedNode):
        return "uri", term.value, None, None
    if isinstance(term, ox.BlankNode):
        return "bnode", term.value, None, None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return ("literal", term.value, term.language or None,
                None if term.language or datatype == XSD_STRING else datatype)
    if isinstance(term, ox.Triple):
        return "triple", str(term), None, None
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return "uri", str(term), None, None
    if isinstance(term, BNode):
        return "bnode", str(term), None, None
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return ("literal", str(term), term.language or None,
                None if term.language or datatype in (None, XSD_STRING) else datatype)
    return "literal", str(term), None, None


def _memo(encode):
    """encode(term), remembered: results repeat the same IRIs and labels on many rows."""
    seen: dict = {}

    def cached(term) -> str:
        try:
            text = seen.get(term)
        except TypeError:  # unhashable
            return encode(term)
        if text is None:
            text = seen[term] = encode(term)
        return text
    return cached


def ntriples(term) -> str:
    """A term in N-Triples syntax (TSV cells)."""
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        return str(term)
    kind, value, lang, datatype = parts(term)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    return str(ox.Literal(value, language=lang) if lang else
               ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value))


# ------------------------------------------------------------------ SELECT / ASK

def write_solutions(fmt: str, variables: list[str], rows) -> bytes:
    """rows: sequences of terms in the order of `variables` (pyoxigraph QuerySolutions work)."""
    table = [list(row) for row in rows]
    return {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt](variables, table)


def write_boolean(fmt: str, value: bool) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return b"true\r\n" if value else b"false\r\n"  # CSV/TSV define no boolean form; plain text


def _json_term(term) -> dict:
    if isinstance(term, ox.Triple):  # RDF-star quoted triple (SPARQL-star JSON results)
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    kind, value, lang, datatype = parts(term)
    out = {"type": kind, "value": value}
    if lang:
        out["xml:lang"] = lang
    elif datatype:
        out["datatype"] = datatype
    return out


def _json(variables, table) -> bytes:
    term = _memo(lambda t: json.dumps(_json_term(t), ensure_ascii=False))
    keys = [json.dumps(v) for v in variables]
    bindings = ",\n".join("{" + ",".join(f"{k}:{term(t)}" for k, t in zip(keys, row) if t is not None) + "}"
                          for row in table)
    return f'{{"head":{{"vars":{json.dumps(variables)}}},"results":{{"bindings":[\n{bindings}]}}}}\n'.encode()


def _xml_term(term) -> str:
    from xml.sax.saxutils import escape, quoteattr  # imports urllib.request: only for XML results

    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    kind, value, lang, datatype = parts(term)
    if kind == "uri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    if lang:
        return f"<literal xml:lang={quoteattr(lang)}>{escape(value)}</literal>"
    if datatype:
        return f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
    return f"<literal>{escape(value)}</literal>"


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


def plain(term) -> str:
    """A term's plain value (CSV cells, the text table): the IRI, the literal's text, _:label."""
    if term is None:
        return ""
    kind, value, _, _ = parts(term)
    return f"_:{value}" if kind == "bnode" else value


def _csv(variables, table) -> bytes:
    import csv  # only here: the table and the other formats start without it

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    value = _memo(plain)
    writer.writerows([value(t) for t in row] for row in table)
    return out.getvalue().encode()


def _tsv(variables, table) -> bytes:
    # TSV cells are terms in Turtle/N-Triples syntax, which never contain raw tabs or newlines
    lines = ["\t".join(f"?{v}" for v in variables)]
    term = _memo(ntriples)
    lines += ["\t".join(term(t) for t in row) for row in table]
    return ("\n".join(lines) + "\n").encode()


# ------------------------------------------------------------------ CONSTRUCT / DESCRIBE

def write_triples(name: str, triples: list, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples in an RDF syntax named as in kg.graphio (turtle, jsonld, nt, xml)."""
    from .graphio import serialize

    return serialize(list(triples), name, prefixes)


# ------------------------------------------------------------------ text

def text_table(variables: list[str], rows, shorten=plain, *, count: bool = True) -> str:
    """Rows as an aligned text table (with a row count unless count=False), for a terminal."""
    cells = [[shorten(t) if t is not None else "" for t in row] for row in rows]
    widths = [max([len(v)] + [len(c[i]) for c in cells]) for i, v in enumerate(variables)]

    def line(values):
        return " | ".join(str(x).ljust(w) for x, w in zip(values, widths)).rstrip()
    out = [line(variables), "-+-".join("-" * w for w in widths)] + [line(c) for c in cells]
    if count:
        out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def accept_ranges(accept: str | None) -> list[tuple[float, int, str]]:
    """An HTTP Accept header as (q, order, media range) triples, lower-cased, in the order given;
    no header means */*. A malformed q counts as 0 (not acceptable)."""
    ranges = []
    for order, part in enumerate((accept or "*/*").split(",")):
        mime, *params = [x.strip().lower() for x in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if mime:
            ranges.append((q, order, mime))
    return ranges
