"""SHACL shapes catch deliberately broken graphs; kg validate reports them readably."""
from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from kg.cli import main
from kg.validate import ValidationGraph, validate_graph

KG = Namespace("https://w3id.org/ofsted-kg/def#")
ID = "https://w3id.org/ofsted-kg/id/"
DUDLEY = URIRef(ID + "inspection/dudley-2016-01-11")
WALSALL = URIRef(ID + "inspection/walsall-2017-06-20")


def broken(seed_graph, change) -> Graph:
    graph = ValidationGraph()  # a copy whose sh:sparql texts are parsed once (as kg build validates)
    graph += seed_graph
    change(graph)
    return graph


def messages(graph) -> list[str]:
    report = validate_graph(graph)
    assert not report.conforms
    return [str(v) for v in report.results]


def test_seed_graph_conforms(seed_graph):
    assert validate_graph(seed_graph).conforms


def test_second_authority_on_an_inspection(seed_graph):
    g = broken(seed_graph, lambda g: g.add((DUDLEY, KG.inspectionOf, URIRef(ID + "authority/walsall"))))
    assert any("exactly one local authority" in m and "dudley-2016-01-11" in m for m in messages(g))


def test_end_before_start(seed_graph):
    def change(g):
        g.set((DUDLEY, KG.endDate, Literal("2015-12-01", datatype=XSD.date)))
    assert any("on or before its end date" in m for m in messages(broken(seed_graph, change)))


def test_end_after_publication(seed_graph):
    def change(g):
        g.set((DUDLEY, KG.endDate, Literal("2016-05-01", datatype=XSD.date)))
    assert any("after the report's publication date" in m for m in messages(broken(seed_graph, change)))


def test_grade_outside_the_scheme(seed_graph):
    judgement = URIRef(str(DUDLEY) + "/judgement/overall-effectiveness")
    g = broken(seed_graph, lambda g: g.set((judgement, KG.grade, KG.Excellent)))
    assert any("grade from the grade scheme" in m for m in messages(g))


def test_co_leads_on_a_sif_inspection_conform_but_three_leads_do_not(seed_graph):
    co_lead = broken(seed_graph, lambda g: g.add((DUDLEY, KG.leadInspector, URIRef(ID + "inspector/linda-steele"))))
    assert validate_graph(co_lead).conforms
    g = broken(co_lead, lambda g: g.add((DUDLEY, KG.leadInspector, URIRef(ID + "inspector/jenny-turnross"))))
    assert any("or two co-leads" in m and "dudley" in m for m in messages(g))


def test_no_lead_inspector_on_a_sif_inspection(seed_graph):
    g = broken(seed_graph, lambda g: g.remove((WALSALL, KG.leadInspector, None)))
    assert any("one lead (or reporting) inspector" in m and "walsall" in m for m in messages(g))


def test_overall_grade_on_a_post_april_2026_ilacs(seed_graph):
    node = URIRef(ID + "inspection/testshire-2026-05-11")
    judgement = URIRef(str(node) + "/judgement/overall-effectiveness")

    def change(g):
        g.add((node, RDF.type, KG.ILACSInspection))
        g.add((node, KG.inspectionOf, URIRef(ID + "authority/dudley")))
        g.add((node, KG.reportedIn, URIRef(ID + "report/dudley-2016-01-11")))
        g.add((node, KG.startDate, Literal("2026-05-11", datatype=XSD.date)))
        g.add((node, KG.endDate, Literal("2026-05-22", datatype=XSD.date)))
        g.add((node, KG.hasJudgement, judgement))
        for p, o in [(RDF.type, KG.Judgement), (KG.area, KG.OverallEffectiveness), (KG.grade, KG.Good),
                     (KG.page, Literal(1)), (KG.evidence, Literal("Overall effectiveness Good"))]:
            g.add((judgement, p, o))
    assert any("from April 2026 have no overall effectiveness" in m for m in messages(broken(seed_graph, change)))


def test_two_judgements_for_one_area(seed_graph):
    extra = URIRef(str(DUDLEY) + "/judgement/overall-again")

    def change(g):
        g.add((DUDLEY, KG.hasJudgement, extra))
        for p, o in [(RDF.type, KG.Judgement), (KG.area, KG.OverallEffectiveness), (KG.grade, KG.Good),
                     (KG.page, Literal(1)), (KG.evidence, Literal("made up"))]:
            g.add((extra, p, o))
    assert any("two judgements for the same area" in m for m in messages(broken(seed_graph, change)))


def test_fact_without_evidence(seed_graph):
    judgement = URIRef(str(DUDLEY) + "/judgement/help-and-protection")
    g = broken(seed_graph, lambda g: g.remove((judgement, KG.evidence, None)))
    assert any("quotes its evidence" in m for m in messages(g))


def test_self_evaluation_with_a_grade(seed_graph):
    doc = next(seed_graph.subjects(RDF.type, KG.SelfEvaluation))
    g = broken(seed_graph, lambda g: g.add((doc, KG.hasJudgement, URIRef(str(DUDLEY) + "/judgement/help-and-protection"))))
    assert any("no Ofsted judgements" in m for m in messages(g))


def test_bad_authority_codes(seed_graph):
    dudley = URIRef(ID + "authority/dudley")
    g = broken(seed_graph, lambda g: g.set((dudley, KG.gssCode, Literal("W06000001x"))))
    assert any("ONS GSS code" in m for m in messages(g))


def test_kg_validate_exit_codes_and_messages(seed_build, seed_graph, tmp_path, capsys):
    good = tmp_path / "good.ttl"
    good.write_bytes(seed_build.turtle)
    assert main(["validate", str(good)]) == 0
    assert "conforms" in capsys.readouterr().out
    bad = tmp_path / "bad.ttl"
    broken(seed_graph, lambda g: g.add((DUDLEY, KG.inspectionOf, URIRef(ID + "authority/walsall")))).serialize(bad, format="turtle")
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "1 violation(s)" in out
    assert "Violation: https://w3id.org/ofsted-kg/id/inspection/dudley-2016-01-11 [https://w3id.org/ofsted-kg/def#inspectionOf]" in out


def test_theme_mention_with_a_made_up_theme_or_zero_count(seed_graph):
    mention = next(m for m in seed_graph.objects(DUDLEY, KG.hasThemeMention))

    def change(g):
        g.set((mention, KG.hasTheme, URIRef("https://w3id.org/ofsted-kg/def/theme/made-up")))
        g.set((mention, KG.mentionCount, Literal(0)))
    found = messages(broken(seed_graph, change))
    assert any("names a theme of the thesaurus" in m for m in found)
    assert any("counts at least one mention" in m for m in found)
