"""Plain records -> RDF. The only module that knows namespaces and IRI patterns: it mints
instance IRIs (Mapper.iri, report_iri, inspection_iri) and parses them back (Mapper.parse)."""
from __future__ import annotations

import re

from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable, NamedTuple

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from . import kinds
from .graphio import load_graph
from .names import ascii_folded, person_key, slug
from .paths import ONTOLOGY_DIR, VOCAB_DIR
from .records import ReportRecord

KG = Namespace("https://w3id.org/ofsted-kg/def#")
THEME = Namespace("https://w3id.org/ofsted-kg/def/theme/")
SCHEMA = Namespace("https://schema.org/")
DEFAULT_BASE = "https://w3id.org/ofsted-kg/id/"
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"

PREFIXES = {"kg": KG, "theme": THEME, "schema": SCHEMA, "prov": PROV, "dcterms": DCTERMS,
            "skos": SKOS, "xsd": XSD, "rdfs": RDFS, "owl": OWL, "sh": SH,
            "org": Namespace("http://www.w3.org/ns/org#")}



@lru_cache(maxsize=None)  # a few dozen concept names, each asked for thousands of times
def kebab(camel: str) -> str:
    """'OverallEffectiveness' -> 'overall-effectiveness', 'LSCBEffectiveness' -> 'lscb-effectiveness'."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", camel).lower()


@lru_cache(maxsize=4096)  # pages, counts and orders: small numbers, each written thousands of times
def integer(n: int) -> Literal:
    """An xsd:integer literal (rdflib's Literal constructor is most of the cost of a triple)."""
    return Literal(n, datatype=XSD.integer)


def new_graph(store: str = "default") -> Graph:
    graph = Graph(store=store)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def vocabulary_graph() -> Graph:
    """The ontology and every SKOS vocabulary in ontology/."""
    graph = new_graph()
    load_graph(ONTOLOGY_DIR / "kg.ttl", graph)
    for path in sorted(VOCAB_DIR.glob("*.ttl")):
        load_graph(path, graph)
    return graph


def record_key(record: ReportRecord) -> str:
    """Readable, stable key of an inspection or self-evaluation: 'dudley-2016-01-11'."""
    when = record.start or record.issued
    stamp = when.isoformat() if when else record.sha256[:12]
    return f"{slug(record.authority.name)}-{kinds.ALL[record.kind].slug}{stamp}"


SHARED_GRAPH = "shared"  # key of the named graph holding authorities, inspectors and vocabularies


def parse_report_iri(iri: str) -> tuple[str, str] | None:
    """'<base>report/<key>' -> (base, key): the inverse of Mapper.report_iri for any base."""
    base, sep, key = str(iri).rstrip("/").rpartition("/report/")
    return (base + "/", key) if sep and key and "/" not in key else None


class IriParts(NamedTuple):
    kind: str  # "inspection", "report", "authority", "inspector"
    key: str  # record_key, authority slug or person key
    path: tuple[str, ...] = ()  # e.g. ("judgement", "overall-effectiveness")


class Mapper:
    """Adds records to a graph. Inspector display names are chosen across all records."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = Namespace(base if base.endswith("/") else base + "/")

    def iri(self, *parts: str) -> URIRef:
        return self.base["/".join(parts)]

    def parse(self, iri: str) -> "IriParts | None":
        """The inverse of iri(): what an instance IRI names, or None if it is not one of ours.
        '<base>inspection/dudley-2016-01-11/judgement/x' -> IriParts('inspection',
        'dudley-2016-01-11', ('judgement', 'x'))."""
        iri = str(iri)
        if not iri.startswith(str(self.base)):
            return None
        kind, _, rest = iri[len(self.base):].partition("/")
        key, *path = rest.split("/") if rest else [""]
        return IriParts(kind, key, tuple(path)) if kind and key else None

    def report_iri(self, record: ReportRecord) -> URIRef:
        return self.iri("report", record_key(record))

    def graph_iri(self, key: str) -> URIRef:
        """The named graph of one report (its record key) or of the shared nodes (SHARED_GRAPH)."""
        return self.iri("graph", key)

    def inspection_iri(self, record: ReportRecord) -> URIRef:
        return self.iri("inspection", record_key(record))

    def record_graph(self, record: ReportRecord) -> Graph:
        """One record's triples (its authority and inspectors included, their names not)."""
        graph = new_graph("SimpleMemory")  # no contexts: ~30% faster to fill
        self.add(graph, record)
        return graph

    def record_triples(self, record: ReportRecord) -> set:
        """One record's triples as a plain set (what record_graph holds, without a store:
        filling a set costs a fraction of filling an rdflib graph)."""
        triples: set = set()
        self.add(triples, record)  # add() only calls .add(triple), which a set has
        return triples

    def inspector_names(self, records: Iterable[ReportRecord]) -> Graph:
        """schema:name and rdfs:label of every inspector: one spelling per person across records."""
        graph = new_graph()
        for key, spellings in _spellings(list(records)).items():
            person = self.iri("inspector", key)
            name = max(spellings, key=lambda n: (spellings[n], sum(c.isupper() for c in n), len(n), n))
            graph.add((person, SCHEMA.name, Literal(name)))
            graph.add((person, RDFS.label, Literal(name)))
            for other in spellings:
                if other.lower() != name.lower():
                    graph.add((person, SCHEMA.alternateName, Literal(other)))
            if ascii_folded(name) != name:  # "Zoe D'Souza" for "Zoë D'Souza": found by typing it
                graph.add((person, SCHEMA.alternateName, Literal(ascii_folded(name))))
        return graph

    def add(self, graph: Graph, record: ReportRecord) -> URIRef:
        key = record_key(record)
        authority = self._authority(graph, record)
        report = self.report_iri(record)
        graph.add((report, KG.sourceFile, Literal(record.source_file)))
        graph.add((report, KG.sha256, Literal(record.sha256)))
        graph.add((report, KG.pageCount, integer(record.page_count)))
        if record.title:
            graph.add((report, DCTERMS.title, Literal(record.title)))
        if record.issued:
            graph.add((report, DCTERMS.issued, Literal(record.issued.isoformat(), datatype=XSD.date)))
        when = record.start or record.issued
        label = f"{record.authority.name} {kinds.ALL[record.kind].label}" + (f" {when.isoformat()}" if when else "")
        if record.kind == "SelfEvaluation":
            graph.add((report, RDF.type, KG.SelfEvaluation))
            graph.add((report, RDFS.label, Literal(label)))
            graph.add((report, KG.aboutAuthority, authority))
            self._themes(graph, report, record)
            self._findings(graph, report, record)
            return report
        graph.add((report, RDF.type, KG.Report))
        graph.add((report, RDFS.label, Literal(f"Report: {label}")))
        graph.add((report, DCTERMS.publisher, Literal("Ofsted")))
        self._findings(graph, report, record)
        inspection = self.inspection_iri(record)
        graph.add((inspection, RDF.type, KG[record.kind]))
        graph.add((inspection, RDFS.label, Literal(label)))
        graph.add((inspection, KG.inspectionOf, authority))
        graph.add((inspection, KG.reportedIn, report))
        if record.start:
            graph.add((inspection, KG.startDate, Literal(record.start.isoformat(), datatype=XSD.date)))
            graph.add((inspection, KG.endDate, Literal(record.end.isoformat(), datatype=XSD.date)))
        if len(record.periods) > 1:
            for n, period in enumerate(record.periods, 1):
                node = self.iri("inspection", key, "period", str(n))
                graph.add((inspection, KG.onSitePeriod, node))
                graph.add((node, RDF.type, KG.OnSitePeriod))
                graph.add((node, KG.startDate, Literal(period.start.isoformat(), datatype=XSD.date)))
                graph.add((node, KG.endDate, Literal(period.end.isoformat(), datatype=XSD.date)))
        if record.delivered_by:
            graph.add((inspection, KG.deliveredBy, Literal(record.delivered_by)))
        if record.inspection_type:
            graph.add((inspection, KG.inspectionType, Literal(record.inspection_type)))
        if record.visit_number:
            graph.add((inspection, KG.visitNumber, integer(record.visit_number)))
        judgements = {}
        for judgement in record.judgements:
            node = judgements[judgement.area] = self.iri("inspection", key, "judgement", kebab(judgement.area))
            graph.add((inspection, KG.hasJudgement, node))
            graph.add((node, RDF.type, KG.Judgement))
            graph.add((node, KG.area, KG[judgement.area]))
            graph.add((node, KG.grade, KG[judgement.grade]))
            self._evidence(graph, node, report, judgement.page, judgement.evidence)
        # The lead is the lead inspector; in 2012-13 reports, the reporting inspector.
        lead_role = "LeadInspector" if any(r.role == "LeadInspector" for r in record.roles) else "ReportingInspector"
        for role in record.roles:
            person = self.iri("inspector", person_key(role.name))
            node = self.iri("inspection", key, "role", kebab(role.role), person_key(role.name))
            graph.add((person, RDF.type, KG.Inspector))
            graph.add((inspection, KG.hasRole, node))
            if role.role == lead_role:
                graph.add((inspection, KG.leadInspector, person))
            graph.add((node, RDF.type, KG.InspectionRole))
            graph.add((node, KG.inspector, person))
            graph.add((node, KG.roleType, KG[role.role]))
            if role.label:
                graph.add((node, KG.roleLabel, Literal(role.label)))
            self._evidence(graph, node, report, role.page, role.evidence)
        for rec in record.recommendations:
            who = "lscb" if rec.addressee == "LSCB" else "la"
            node = self.iri("inspection", key, "recommendation", f"{who}-{rec.order}")
            graph.add((inspection, KG.hasRecommendation, node))
            graph.add((node, RDF.type, KG.Recommendation))
            graph.add((node, KG.order, integer(rec.order)))
            graph.add((node, KG.addressee, Literal(rec.addressee)))
            graph.add((node, RDFS.label, Literal(rec.text)))
            self._evidence(graph, node, report, rec.page, rec.text)
            for theme, phrase in rec.themes:
                graph.add((node, KG.hasTheme, THEME[theme]))
                graph.add((node, KG.matchedPhrase, Literal(f"{theme}: {phrase}")))
                graph.add((inspection, KG.recommendationTheme, THEME[theme]))
        self._themes(graph, inspection, record, judgements)
        return inspection

    def _authority(self, graph: Graph, record: ReportRecord) -> URIRef:
        a = record.authority
        node = self.iri("authority", slug(a.name))
        graph.add((node, RDF.type, KG.LocalAuthority))
        graph.add((node, RDFS.label, Literal(a.name)))
        graph.add((node, SCHEMA.name, Literal(a.name)))
        graph.add((node, KG.urn, Literal(a.urn)))
        graph.add((node, KG.laCode, Literal(a.la_code)))
        graph.add((node, KG.gssCode, Literal(a.gss_code)))
        if a.region:
            graph.add((node, KG.region, Literal(a.region)))
        if a.gss_code:
            graph.add((node, RDFS.seeAlso, URIRef(ONS_GEOGRAPHY + a.gss_code)))
        return node

    def _evidence(self, graph: Graph, node: URIRef, report: URIRef, page: int, quote: str) -> None:
        graph.add((node, KG.page, integer(page)))
        graph.add((node, KG.evidence, Literal(quote)))
        graph.add((node, PROV.wasDerivedFrom, report))

    def _findings(self, graph: Graph, report: URIRef, record: ReportRecord) -> None:
        """Warnings and recognised absences on the report node, shaped like SHACL results;
        numbered in extraction order under the report's IRI (no blank nodes: stable Turtle)."""
        for n, finding in enumerate(record.warnings + record.info, 1):
            node = URIRef(f"{report}/finding/{n}")
            graph.add((report, KG.hasFinding, node))
            graph.add((node, RDF.type, KG.ExtractionFinding))
            graph.add((node, KG.findingCode, Literal(finding.code)))
            graph.add((node, KG.severity, SH.Info if finding.severity == "info" else SH.Warning))
            graph.add((node, KG.message, Literal(finding.message)))
            if finding.page:
                graph.add((node, KG.page, integer(finding.page)))
            if finding.snippet:
                graph.add((node, KG.evidence, Literal(finding.snippet)))

    def _themes(self, graph: Graph, subject: URIRef, record: ReportRecord, judgements: dict | None = None) -> None:
        """The record's theme mentions; a mention counted under an area the inspection judged is
        linked to that judgement (kg:underJudgement: "which themes come up under inadequate
        judgements" is then a lookup, not a match of every mention against every judgement)."""
        judgements = judgements or {}
        # Most of a record's triples are theme mentions: the terms every mention shares are made
        # once (each rdflib namespace attribute makes and checks a new URIRef).
        has_theme, has_mention, a, mention_type = KG.hasTheme, KG.hasThemeMention, RDF.type, KG.ThemeMention
        in_area, count, page, evidence, under = KG.area, KG.mentionCount, KG.page, KG.evidence, KG.underJudgement
        for mention in record.theme_mentions:
            theme = THEME[mention.theme]
            area = KG[mention.area] if mention.area else None
            area_slug = kebab(mention.area) if mention.area else "all"
            node = URIRef(f"{subject}/theme/{mention.theme}/{area_slug}")
            if mention.area is None:
                graph.add((subject, has_theme, theme))
            graph.add((subject, has_mention, node))
            graph.add((node, a, mention_type))
            graph.add((node, has_theme, theme))
            if area is not None:
                graph.add((node, in_area, area))
                if mention.area in judgements:
                    graph.add((node, under, judgements[mention.area]))
            graph.add((node, count, integer(mention.count)))
            graph.add((node, page, integer(mention.page)))
            graph.add((node, evidence, Literal(mention.evidence)))


def _spellings(records: list[ReportRecord]) -> dict[str, Counter]:
    """Per person key, how often each spelling of the name occurs."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        for role in record.roles:
            spellings[person_key(role.name)][role.name] += 1
    return spellings


def to_ntriples(graph: Graph | Iterable) -> str:
    """N-Triples with lines sorted, so equal graphs give equal text (a graph or any iterable
    of distinct triples). Each term is written as rdflib's N-Triples serialiser writes it, once
    per distinct term (a record's predicates, types and subjects recur thousands of times)."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    written: dict = {}

    def term(node) -> str:
        text = written.get(node)
        if text is None:
            text = written[node] = _quoteLiteral(node) if isinstance(node, Literal) else node.n3()
        return text
    return "".join(sorted(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in graph))
