"""SHACL validation (pySHACL) against ontology/shapes.ttl, with readable results."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from .graphio import load_graph
from .paths import SHAPES_FILE

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    value: str = ""

    def __str__(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{value}"


@dataclass
class ValidationReport:
    conforms: bool
    results: list[Violation]

    def summary(self) -> str:
        if self.conforms:
            return "SHACL: conforms (0 violations)"
        return f"SHACL: {len(self.results)} violation(s)\n" + "\n".join(f"  {v}" for v in self.results)


@lru_cache(maxsize=1)
def shapes_graph(path: Path = SHAPES_FILE) -> Graph:
    """The shapes, as pySHACL runs them fastest: in a ValidationGraph (pySHACL asks the shapes
    graph as many questions as the data graph), each node shape's targets given to its property
    shapes (see _targets_on_property_shapes)."""
    return _targets_on_property_shapes(load_graph(path, ValidationGraph()))


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _targets_on_property_shapes(shapes: Graph) -> Graph:
    """The same constraints, checked in fewer steps: a node shape's `sh:property P` becomes P
    with the node shape's own targets. SHACL gives both forms the same results (same focus
    nodes, paths, values, messages, severities), but pySHACL runs a node shape's property
    shape once per focus node, setting up its constraints again each time (about a third of
    the SHACL time of a build), and a targeted property shape once for all its focus nodes. A property
    shape shared by several node shapes gets all their targets (a node two of them target is
    checked once: the same results, not repeated). A node shape that is not a plain targeted
    shape (no explicit target, deactivated, an implicit class target, or used by another shape
    through sh:node, sh:not, sh:or...) is left as it is."""
    for shape in sorted(set(shapes.subjects(SH.property, None))):
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(shape, p)]
        if (not targets or (shape, SH.deactivated, None) in shapes or (shape, RDF.type, RDFS.Class) in shapes
                or next(shapes.subjects(None, shape), None) is not None):
            continue
        for prop in sorted(shapes.objects(shape, SH.property)):
            for p, o in targets:
                shapes.add((prop, p, o))
            shapes.remove((shape, SH.property, prop))
    return shapes


def validate_graph(graph: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate a data graph (which must carry the ontology, as kg build's output does).
    The graph is not changed (no inference), so pySHACL need not copy it first."""
    from pyshacl import validate

    quicken_pyshacl()
    conforms, results_graph, _ = validate(graph, shacl_graph=shapes or shapes_graph(), inplace=True,
                                          inference="none", abort_on_first=False, allow_warnings=True)
    violations = []
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        def get(p):
            value = results_graph.value(result, p)
            return "" if value is None else str(value)
        violations.append(Violation(get(SH.focusNode), _path_text(results_graph, results_graph.value(result, SH.resultPath)),
                                    get(SH.resultMessage),
                                    get(SH.resultSeverity).rsplit("#", 1)[-1], get(SH.value)))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)


class TermsOnce(Namespace):
    """A Namespace that makes each of its terms once. rdflib's makes a new URIRef, checking the
    IRI, every time an attribute is read, and pySHACL reads RDF.first, RDF.rest and RDF.nil for
    each node a sequence path passes through (`( kg:hasThemeMention kg:page )`: every theme
    mention): profiled, ~40% of the validation's time went to making these terms again. The same
    string, the same terms."""

    def __getattr__(self, name: str):
        term = super().__getattr__(name)  # (raises AttributeError for dunder names, as Namespace does)
        self.__dict__[name] = term  # found by plain attribute lookup from now on
        return term


def quicken_pyshacl() -> None:
    """Give each loaded pySHACL module's namespaces (SH, RDF, RDFS, OWL: rdflib Namespaces) as
    TermsOnce. Validation results are unchanged (tests compare them with pySHACL's own); a build's
    SHACL takes ~40% less time. Modules pySHACL loads later keep their own until the next call."""
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith("pyshacl") and module is not None:
            for attribute, value in list(vars(module).items()):
                if type(value) is Namespace:
                    setattr(module, attribute, TermsOnce(value))


def _path_text(graph: Graph, path) -> str:
    """A result's sh:resultPath as text: the IRI of a predicate path; a complex path (a blank
    node, whose label is random) in SPARQL property-path syntax, so the same data always gives
    the same text: `a/b` sequence, `^a` inverse, `(a|b)` alternatives, `a*`, `a+`, `a?`."""
    if path is None:
        return ""
    if not isinstance(path, BNode):
        return str(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, p) for p in graph.items(alternatives)) + ")"
    for kind, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, kind)
        if inner is not None:
            return _path_text(graph, inner) + mark
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p) for p in graph.items(path))
    return str(path)


def validate_file(path: Path) -> ValidationReport:
    """Validate an RDF file (with the vocabularies); kg.graphio.GraphFileError if it is missing,
    empty or damaged, so a broken file never "conforms"."""
    from .graphio import load_graph

    return validate_graph(load_graph(path, validation_graph()))


class ValidationGraph(Graph):
    """The data graph pySHACL reads, made for its questions.

    Its triples live in two plain dict indexes (subject -> predicate -> objects, predicate ->
    object -> subjects) rather than in rdflib's context-aware Memory store: pySHACL asks ~10^5 one-pattern questions per batch, and the Memory store's
    bookkeeping of which graphs hold each triple was most of their cost, and ~10x the cost of
    adding each triple. Same triples, same answers, in the same order (insertion order, as Memory;
    triples asked for by object alone come predicate by predicate).
    SPARQL texts are parsed once: pySHACL runs each sh:sparql constraint once per focus node
    with the same text, and parsing it each time was ~40% of the SHACL time of a build."""

    def __init__(self):
        super().__init__()
        self._spo: dict = {}
        self._pos: dict = {}
        self._size = 0

    def add(self, triple):
        # Each dict operation on a Literal calls rdflib's Literal.__hash__, written in Python:
        # the object is hashed as few times as the two indexes allow (3; it was 5 with a third,
        # object-first index, which pySHACL never asks for: those rare questions scan _pos).
        s, p, o = triple
        by_p = self._spo.get(s)
        if by_p is None:
            by_p = self._spo[s] = {}
        objects = by_p.get(p)
        if objects is None:
            objects = by_p[p] = {}
        before = len(objects)
        objects[o] = None
        if len(objects) != before:
            by_o = self._pos.get(p)
            if by_o is None:
                by_o = self._pos[p] = {}
            subjects = by_o.get(o)
            if subjects is None:
                by_o[o] = {s: None}
            else:
                subjects[s] = None
            self._size += 1
        return self

    def addN(self, quads):  # noqa: N802 (rdflib's name)
        add = self.add
        for s, p, o, _ in quads:
            add((s, p, o))
        return self

    def remove(self, triple):
        for s, p, o in list(self.triples(triple)):
            for index, a, b, c in ((self._spo, s, p, o), (self._pos, p, o, s)):
                inner = index[a][b]
                del inner[c]
                if not inner:
                    del index[a][b]
                    if not index[a]:
                        del index[a]
            self._size -= 1
        return self

    def __len__(self):
        return self._size

    # pySHACL asks most of its questions through objects(), subjects() and `in`: answered from the
    # indexes directly rather than through rdflib's generators over triples().
    def objects(self, subject=None, predicate=None, unique=False):
        if subject is not None and type(predicate) is URIRef and not isinstance(subject, list):
            found = self._spo.get(subject)
            found = found.get(predicate) if found else None
            return iter(list(found)) if found else iter(())
        return super().objects(subject, predicate, unique)

    def subjects(self, predicate=None, object=None, unique=False):  # noqa: A002 (rdflib's name)
        if object is not None and type(predicate) is URIRef and not isinstance(object, list):
            found = self._pos.get(predicate)
            found = found.get(object) if found else None
            return iter(list(found)) if found else iter(())
        return super().subjects(predicate, object, unique)

    def __contains__(self, triple):
        s, p, o = triple
        if s is not None and o is not None and type(p) is URIRef:
            found = self._spo.get(s)
            found = found.get(p) if found else None
            return bool(found) and o in found
        return super().__contains__(triple)

    def triples(self, triple):
        s, p, o = triple
        if p is not None and not isinstance(p, URIRef):  # a property path: rdflib evaluates it
            yield from super().triples(triple)
            return
        if s is not None:
            by_p = self._spo.get(s)
            if by_p is None:
                return
            if p is not None:
                objects = by_p.get(p)
                if objects is None:
                    return
                if o is not None:
                    if o in objects:
                        yield s, p, o
                    return
                for obj in list(objects):
                    yield s, p, obj
                return
            for pred, objects in list(by_p.items()):
                if o is not None:
                    if o in objects:
                        yield s, pred, o
                else:
                    for obj in list(objects):
                        yield s, pred, obj
            return
        if p is not None:
            by_o = self._pos.get(p)
            if by_o is None:
                return
            if o is not None:
                for subj in list(by_o.get(o, ())):
                    yield subj, p, o
                return
            for obj, subjects in list(by_o.items()):
                for subj in list(subjects):
                    yield subj, p, obj
            return
        if o is not None:
            for pred, by_o in list(self._pos.items()):
                for subj in list(by_o.get(o, ())):
                    yield subj, pred, o
            return
        for subj, by_p in list(self._spo.items()):
            for pred, objects in list(by_p.items()):
                for obj in list(objects):
                    yield subj, pred, obj

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)

    def _copy(self) -> "ValidationGraph":
        """The same triples in a new graph: the indexes copied dict by dict (a dict copy keeps
        its keys' hashes, so no term is hashed again: rdflib hashes a Literal in Python)."""
        copy = ValidationGraph()
        for name in ("_spo", "_pos"):
            setattr(copy, name, {a: {b: dict(c) for b, c in inner.items()} for a, inner in getattr(self, name).items()})
        copy._size = self._size
        return copy


def validation_graph(*parts) -> ValidationGraph:
    """A ValidationGraph holding the ontology and vocabularies (read once per process, then
    copied: ~1,800 triples, added again for each graph validated, were a third of the adds of a
    small build's validation) and every triple of `parts` (graphs or iterables of triples)."""
    graph = _vocabulary()._copy()
    for part in parts:
        graph.addN((s, p, o, graph) for s, p, o in part)
    return graph


@lru_cache(maxsize=1)
def _vocabulary() -> ValidationGraph:
    """The ontology and vocabularies in a ValidationGraph that is never handed out (only copied)."""
    from .rdf import vocabulary_graph

    graph = ValidationGraph()
    graph.addN((s, p, o, graph) for s, p, o in vocabulary_graph())
    return graph


@lru_cache(maxsize=64)
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)
