"""A VoID / DCAT description of the dataset: size, entities per class, the report files it
was built from, licences, example resources, the SPARQL endpoint and when it was built."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from .store import select

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
XSD = "http://www.w3.org/2001/XMLSchema#"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CODE_LICENCE = "https://opensource.org/license/mit"
VOID_PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCT, "xsd": XSD,
                 "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "kg": "https://w3id.org/ofsted-kg/def#"}
EXAMPLES = ("authority", "inspector", "inspection", "theme")


def dataset_iri(base: str) -> str:
    return base + "dataset"


def void_triples(explorer, *, sparql: str | None = None, built: datetime | None = None,
                 dump: str | None = None) -> list[ox.Triple]:
    """The VoID description of the explorer's graph. sparql: the endpoint's URL; built: when
    the graph was built (e.g. graph.ttl's modification time); dump: where the whole graph is."""
    d = ox.NamedNode(dataset_iri(explorer.base))
    out: list[ox.Triple] = []

    def add(s, p, o):
        out.append(ox.Triple(s, ox.NamedNode(p) if isinstance(p, str) else p, o))

    def lit(value, datatype: str | None = None):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype)) if datatype else ox.Literal(str(value))

    add(d, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    add(d, RDF_TYPE, ox.NamedNode(DCAT + "Dataset"))
    add(d, DCT + "title", ox.Literal("Ofsted children's services inspections knowledge graph", language="en"))
    add(d, DCT + "description", ox.Literal(
        "Local authorities, inspections, judgements (with the sentence and page they come from), inspectors, "
        "recommendations and themes extracted from Ofsted's published reports on English local authorities' "
        "children's services by the kg tool.", language="en"))
    add(d, DCT + "license", ox.NamedNode(OGL))
    add(d, RDFS_COMMENT, ox.Literal(
        "The data (text and facts from Ofsted reports) is under the Open Government Licence v3.0 "
        f"({OGL}); the kg software that extracts it is under the MIT licence ({CODE_LICENCE}).", language="en"))
    add(d, DCT + "creator", ox.Literal(f"kg {__version__}"))
    add(d, DCT + "publisher", ox.Literal("Built with kg from reports published by Ofsted"))
    if built:
        add(d, DCT + "modified", lit(built.astimezone(timezone.utc).replace(microsecond=0).isoformat(), "dateTime"))
    add(d, VOID + "uriSpace", ox.Literal(explorer.base))
    add(d, VOID + "triples", lit(len(explorer.store), "integer"))
    entities = sum(int(r["entities"]) for r in explorer.counts())
    add(d, VOID + "entities", lit(entities, "integer"))
    for n, row in enumerate(sorted(explorer.counts(), key=lambda r: r["class"]), 1):
        part = ox.BlankNode(f"class{n}")
        add(d, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(row["class"]))
        add(part, VOID + "entities", lit(row["entities"], "integer"))
    for vocab in ("https://w3id.org/ofsted-kg/def#", "http://www.w3.org/2004/02/skos/core#", "https://schema.org/",
                  "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/org#"):
        add(d, VOID + "vocabulary", ox.NamedNode(vocab))
    seen = set()
    for row in explorer.index():
        if row["kind"] in EXAMPLES and row["kind"] not in seen:
            seen.add(row["kind"])
            add(d, VOID + "exampleResource", ox.NamedNode(row["resource"]))
    if sparql:
        add(d, VOID + "sparqlEndpoint", ox.NamedNode(sparql))
    if dump:
        add(d, VOID + "dataDump", ox.NamedNode(dump))
    for row in select(explorer.store, "sources"):
        report = ox.NamedNode(row["report"])
        add(d, DCT + "source", report)
        add(report, DCT + "identifier", ox.Literal(row["file"]))
        if row.get("sha256"):
            add(report, "https://w3id.org/ofsted-kg/def#sha256", ox.Literal(row["sha256"]))
    return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def void_document(explorer, fmt: str = "turtle", **options) -> bytes:
    from .describe import RDF_FORMATS

    _, rdf_format, _ = RDF_FORMATS[fmt]
    return ox.serialize(void_triples(explorer, **options), format=rdf_format,
                        prefixes=None if fmt == "ntriples" else VOID_PREFIXES)


def built_at(graph: Path | None) -> datetime | None:
    """When a graph file was written (its modification time), if known."""
    try:
        return datetime.fromtimestamp(Path(graph).stat().st_mtime, tz=timezone.utc) if graph else None
    except OSError:
        return None
