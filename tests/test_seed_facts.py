"""The facts the seed graph must contain (issue: seeds -> validated RDF)."""
from __future__ import annotations

from datetime import date

from rdflib import Literal, URIRef

from kg.query import query

KG = "https://w3id.org/ofsted-kg/def#"
ID = "https://w3id.org/ofsted-kg/id/"


def judgements(graph, inspection_key):
    rows = query(graph, f"""
        PREFIX kg: <{KG}>
        SELECT ?area ?grade WHERE {{ <{ID}inspection/{inspection_key}> kg:hasJudgement ?j .
            ?j kg:area ?area ; kg:grade ?grade }}""").values()
    return {a.split("#")[1]: g.split("#")[1] for a, g in rows}


def team(graph, inspection_key):
    rows = query(graph, f"""
        PREFIX kg: <{KG}> PREFIX schema: <https://schema.org/>
        SELECT ?name ?role WHERE {{ <{ID}inspection/{inspection_key}> kg:hasRole ?r .
            ?r kg:inspector/schema:name ?name ; kg:roleType ?role }}""").values()
    return {(n, r.split("#")[1]) for n, r in rows}


def dates(graph, inspection_key):
    row = query(graph, f"""
        PREFIX kg: <{KG}> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?start ?end ?issued ?type WHERE {{ <{ID}inspection/{inspection_key}> a ?type ;
            kg:startDate ?start ; kg:endDate ?end . OPTIONAL {{ <{ID}inspection/{inspection_key}> kg:reportedIn/dcterms:issued ?issued }} }}""").values()
    assert len(row) == 1
    return row[0]


def test_dudley_2016_sif(seed_graph):
    start, end, issued, kind = dates(seed_graph, "dudley-2016-01-11")
    assert (start, end, issued) == (date(2016, 1, 11), date(2016, 2, 8), date(2016, 4, 5))
    assert kind == KG + "SIFInspection"
    assert judgements(seed_graph, "dudley-2016-01-11") == {
        "OverallEffectiveness": "Inadequate", "HelpAndProtection": "Inadequate",
        "LookedAfterAndPermanence": "Inadequate", "AdoptionPerformance": "Inadequate",
        "CareLeavers": "RequiresImprovement", "LeadershipManagementGovernance": "Inadequate",
        "LSCBEffectiveness": "Inadequate"}
    assert team(seed_graph, "dudley-2016-01-11") == {
        ("Peter McEntee", "LeadInspector"), ("Linda Steele", "DeputyLeadInspector"),
        ("Jenny Turnross", "TeamInspector"), ("Graham Reiter", "TeamInspector"),
        ("Harmesh Manghra", "TeamInspector"), ("Pauline Turner", "TeamInspector"),
        ("Julie Knight", "TeamInspector"), ("Lucy Martin", "ShadowInspector"),
        ("Peter McLaughlin", "DataAnalyst"), ("Donna Neill", "DataAnalyst"),
        ("Lynn Radley", "QualityAssuranceManager")}


def test_walsall_2017_sif(seed_graph):
    assert dates(seed_graph, "walsall-2017-06-20")[:3] == (date(2017, 6, 20), date(2017, 7, 13), date(2017, 9, 4))
    grades = judgements(seed_graph, "walsall-2017-06-20")
    assert grades.pop("AdoptionPerformance") == "Good"
    assert set(grades) == {"OverallEffectiveness", "HelpAndProtection", "LookedAfterAndPermanence",
                           "CareLeavers", "LeadershipManagementGovernance", "LSCBEffectiveness"}
    assert set(grades.values()) == {"RequiresImprovement"}
    assert team(seed_graph, "walsall-2017-06-20") == {
        ("Jenny Turnross", "LeadInspector"), ("Alison Smale", "DeputyLeadInspector"),
        ("Linda Steele", "TeamInspector"), ("Brenda McInerney", "TeamInspector"),
        ("Lolly Rascagneres", "TeamInspector"), ("Tracey Zimmerman", "TeamInspector"),
        ("Andy Waugh", "TeamInspector"), ("Peter McEntee", "TeamInspector"),
        ("Judith Swindell", "DataAnalyst"), ("Christopher Sands", "QualityAssuranceManager")}


def test_sandwell_reinspection_has_no_lscb_judgement(seed_graph):
    assert dates(seed_graph, "sandwell-2017-11-06")[:3] == (date(2017, 11, 6), date(2017, 11, 30), date(2018, 1, 29))
    assert judgements(seed_graph, "sandwell-2017-11-06") == {
        "OverallEffectiveness": "Inadequate", "HelpAndProtection": "Inadequate",
        "LookedAfterAndPermanence": "Inadequate", "AdoptionPerformance": "Inadequate",
        "CareLeavers": "RequiresImprovement", "LeadershipManagementGovernance": "Inadequate"}
    assert team(seed_graph, "sandwell-2017-11-06") == {
        ("Karen Wareing", "LeadInspector"), ("Peter McEntee", "DeputyLeadInspector"),
        ("Pauline Higham", "TeamInspector"), ("Shabana Abasi", "TeamInspector"),
        ("Tracey Scott", "TeamInspector"), ("Andy Waugh", "TeamInspector"),
        ("Nick Gadfield", "TeamInspector"), ("Patrick Thomson", "DataAnalyst"),
        ("Christopher Sands", "QualityAssuranceManager")}


def test_dudley_monitoring_visit(seed_graph, seed_records):
    key = "dudley-monitoring-visit-2018-02-08"
    start, end, issued, kind = dates(seed_graph, key)
    assert (start, end, issued, kind) == (date(2018, 2, 8), date(2018, 2, 9), date(2018, 3, 5), KG + "MonitoringVisit")
    assert judgements(seed_graph, key) == {}
    assert {name for name, _ in team(seed_graph, key)} == {"Andy Waugh", "Pauline Higham", "Sue Williams"}
    assert seed_records["001"].visit_number == 5
    assert not any("Sue Butcher" in r.name for r in seed_records["001"].roles)


def test_self_evaluation_is_about_dudley_with_themes_and_no_grades(seed_graph):
    rows = query(seed_graph, f"""PREFIX kg: <{KG}> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?doc ?issued (COUNT(DISTINCT ?theme) AS ?themes) WHERE {{
            ?doc a kg:SelfEvaluation ; kg:aboutAuthority <{ID}authority/dudley> ; dcterms:issued ?issued ;
                 kg:hasTheme ?theme . FILTER NOT EXISTS {{ ?doc kg:hasJudgement ?j }} }} GROUP BY ?doc ?issued""").values()
    assert len(rows) == 1
    assert rows[0][1] == date(2022, 6, 14)
    assert rows[0][2] >= 10


def test_recommendation_counts(seed_records):
    def count(record, addressee):
        return sum(1 for r in record.recommendations if r.addressee == addressee)
    assert (count(seed_records["000"], "local authority"), count(seed_records["000"], "LSCB")) == (22, 8)
    assert (count(seed_records["003"], "local authority"), count(seed_records["003"], "LSCB")) == (12, 4)
    assert (count(seed_records["004"], "local authority"), count(seed_records["004"], "LSCB")) == (17, 0)
    assert seed_records["000"].recommendations[0].text.startswith("Urgently implement quality assurance processes")


def test_one_iri_per_person_and_authority(seed_graph):
    rows = query(seed_graph, f"""PREFIX kg: <{KG}> PREFIX schema: <https://schema.org/>
        SELECT ?p (COUNT(?n) AS ?names) WHERE {{ ?p a kg:Inspector ; schema:name ?n }} GROUP BY ?p""").values()
    assert all(n == 1 for _, n in rows)
    names = query(seed_graph, f"""PREFIX kg: <{KG}> PREFIX schema: <https://schema.org/>
        SELECT ?n WHERE {{ ?p a kg:Inspector ; schema:name ?n }}""").values()
    assert not any("HMI" in n or "designate" in n or "Inspector" in n for (n,) in names)
    authorities = query(seed_graph, f"PREFIX kg: <{KG}> SELECT ?a ?urn WHERE {{ ?a a kg:LocalAuthority ; kg:urn ?urn }}").values()
    assert sorted(authorities) == [(ID + "authority/dudley", "80464"), (ID + "authority/sandwell", "80549"),
                                   (ID + "authority/walsall", "80574")]


def test_inspectors_shared_across_seeds(seed_graph):
    from kg.query import query_text
    rows = query(seed_graph, query_text("shared-inspectors")).values()
    shared = {name: count for name, count, _ in rows}
    assert shared == {"Peter McEntee": 3, "Andy Waugh": 3, "Pauline Higham": 2, "Linda Steele": 2, "Jenny Turnross": 2}


def test_authority_identifiers(seed_graph):
    dudley = URIRef(ID + "authority/dudley")
    assert seed_graph.value(dudley, URIRef(KG + "laCode")) == Literal("332")
    assert seed_graph.value(dudley, URIRef(KG + "gssCode")) == Literal("E08000027")


def test_every_fact_has_page_and_evidence(seed_graph):
    rows = query(seed_graph, f"""PREFIX kg: <{KG}>
        SELECT ?x WHERE {{ {{ ?i kg:hasJudgement ?x }} UNION {{ ?i kg:hasRole ?x }} UNION {{ ?i kg:hasRecommendation ?x }}
            FILTER NOT EXISTS {{ ?x kg:page ?p ; kg:evidence ?e }} }}""").values()
    assert rows == []
    sha = query(seed_graph, f"PREFIX kg: <{KG}> SELECT ?r WHERE {{ ?r a kg:Report . FILTER NOT EXISTS {{ ?r kg:sha256 ?h }} }}").values()
    assert sha == []


def test_seed_graph_conforms(seed_build):
    assert seed_build.validation.conforms, seed_build.validation.summary()



def shortcuts(graph) -> tuple[set, set, set, set]:
    """(mentions under a judgement, as linked and as matched on inspection and area; themes of an
    inspection's recommendations, as linked and as read through each recommendation)."""
    kg = lambda name: URIRef(KG + name)  # noqa: E731
    linked = set(graph.subject_objects(kg("underJudgement")))
    matched = {(m, j) for i, m in graph.subject_objects(kg("hasThemeMention")) for j in graph.objects(i, kg("hasJudgement"))
               if graph.value(m, kg("area")) is not None and graph.value(m, kg("area")) == graph.value(j, kg("area"))}
    named = set(graph.subject_objects(kg("recommendationTheme")))
    recommended = {(i, t) for i, r in graph.subject_objects(kg("hasRecommendation")) for t in graph.objects(r, kg("hasTheme"))}
    return linked, matched, named, recommended


def test_each_mention_in_a_judged_area_is_under_that_judgement_and_recommended_themes_are_on_the_inspection(seed_graph):
    """kg:underJudgement and kg:recommendationTheme say nothing the graph does not say otherwise:
    exactly the mentions whose inspection judged their area, and exactly the themes of the
    inspection's recommendations (the queries read these links instead of matching). The
    hand-written fixture graph keeps to the same rule."""
    from fixturegraph import fixture_graph

    linked, matched, named, recommended = shortcuts(seed_graph)
    assert linked == matched and len(linked) > 100
    assert named == recommended and len(named) > 20
    linked, matched, named, recommended = shortcuts(fixture_graph())
    assert linked == matched and named == recommended and linked and named
