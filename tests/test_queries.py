"""Every query in queries/ states its question and answers it: on the seed graph, and with known
answers on the hand-written fixture graph (tests/fixtures/graph.ttl)."""
from __future__ import annotations

from datetime import date

import pytest

from fixturegraph import fixture_graph, write_fixture_graph
from kg.graphio import load_store
from kg.query import named_queries, query, query_store, query_text, question_of

QUERIES = named_queries()


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return fixture_graph()


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory):
    return load_store(write_fixture_graph(tmp_path_factory.mktemp("fixture")))


def run(seed_store, name, **params):
    return query_store(seed_store, query_text(name), params).values()


def test_the_question_is_the_leading_comment_only():
    text = "# Who led it?\n# (bind ?a, e.g. -p a=X)\nSELECT * WHERE { ?s ?p ?o }\n# sorted by key\nORDER BY ?s\n"
    assert question_of(text) == "Who led it? (bind ?a, e.g. -p a=X)"


def test_at_least_twelve_queries_each_with_a_question():
    assert len(QUERIES) >= 12
    for name, path in QUERIES.items():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), name
        assert question_of(text).rstrip(")").strip().endswith("?") or "?" in question_of(text), name


@pytest.mark.slow  # rdflib's engine on the seed graph: ~10 s in all; the fixture graph's run below is fast
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_engines_agree(seed_graph, seed_store, name):
    assert_engines_agree(seed_graph, seed_store, query_text(name))


def assert_engines_agree(graph, store, sparql):
    by_rdflib = sorted(map(repr, query(graph, sparql).values()))
    by_oxigraph = sorted(map(repr, query_store(store, sparql).values()))
    if "GROUP_CONCAT" in sparql:  # concatenation order is engine-defined
        by_rdflib = sorted(len(r) for r in by_rdflib)
        by_oxigraph = sorted(len(r) for r in by_oxigraph)
    assert by_rdflib == by_oxigraph


def test_shared_inspectors(seed_store):
    rows = {r[0]: (r[1], set(r[2].split(", "))) for r in run(seed_store, "shared-inspectors")}
    assert rows == {"Peter McEntee": (3, {"Dudley", "Walsall", "Sandwell"}),
                    "Andy Waugh": (3, {"Dudley", "Walsall", "Sandwell"}),
                    "Pauline Higham": (2, {"Dudley", "Sandwell"}),
                    "Linda Steele": (2, {"Dudley", "Walsall"}), "Jenny Turnross": (2, {"Dudley", "Walsall"})}


def test_authority_judgements_over_time(seed_store):
    rows = run(seed_store, "authority-judgements-over-time", authority="Walsall")
    assert len(rows) == 7
    assert ("Walsall", date(2017, 6, 20), "Single inspection framework inspection", "Adoption performance", "Good") in rows


def test_inspections_led_by(seed_store):
    assert run(seed_store, "inspections-led-by", lead="Peter McEntee") == [
        ("Peter McEntee", "Dudley", date(2016, 1, 11), date(2016, 2, 8), "Inadequate")]


def test_authorities_by_overall_grade(seed_store):
    assert run(seed_store, "authorities-by-overall-grade") == [
        ("Requires improvement to be good", "Walsall", date(2017, 6, 20)),
        ("Inadequate", "Dudley", date(2016, 1, 11)), ("Inadequate", "Sandwell", date(2017, 11, 6))]


def test_recommendations_of_inspection(seed_store):
    rows = run(seed_store, "recommendations-of-inspection", authority="Walsall")
    assert [r[2] for r in rows].count("local authority") == 12 and [r[2] for r in rows].count("LSCB") == 4
    assert rows[0][2:4] == ("LSCB", 1) and rows[0][5].startswith("The board should ensure that it undertakes a review")


def test_inspectors_of_two_authorities(seed_store):
    rows = run(seed_store, "inspectors-of-two-authorities", a="Dudley", b="Sandwell")
    assert {(r[0], r[2], r[5]) for r in rows} == {
        ("Andy Waugh", "Visiting inspector", "Team inspector"),
        ("Pauline Higham", "Visiting inspector", "Team inspector"),
        ("Peter McEntee", "Lead inspector", "Deputy lead inspector")}


def test_evidence_of_judgement(seed_store):
    rows = run(seed_store, "evidence-of-judgement", authority="Sandwell")
    assert ("Sandwell", date(2017, 11, 6), "Overall effectiveness", "Inadequate", "seeds/004_d10c8fed4ddb3ab2.txt", 1,
            "Children's services in Sandwell are inadequate") in rows


def test_themes_of_authority_over_time(seed_store):
    rows = run(seed_store, "themes-of-authority-over-time", authority="Dudley")
    documents = {r[2] for r in rows}
    assert {"Dudley SIF inspection 2016-01-11", "Dudley self-evaluation 2022-06-14"} <= documents
    assert any(r[2] == "Dudley SIF inspection 2016-01-11" and r[3] == "Child sexual exploitation" for r in rows)


def test_themes_under_inadequate_judgements(seed_store):
    rows = run(seed_store, "themes-under-inadequate-judgements")
    help_protection = [r for r in rows if r[0] == "Children who need help and protection"]
    assert ("Children who need help and protection", "Domestic abuse") in {(r[0], r[1]) for r in help_protection}
    assert max(r[2] for r in help_protection) == 2  # Dudley 2016 and Sandwell 2017


def test_recommendations_on_theme(seed_store):
    rows = run(seed_store, "recommendations-on-theme", theme="Private fostering")
    assert [(r[1], r[3]) for r in rows] == [("Walsall", 8)]
    assert all(r[5].startswith("private-fostering: ") for r in rows)


# ---------------------------------------------------------------- known answers on the fixture graph

D = date
FIXTURE_ANSWERS = {
    # name: (params, rows the query must return, in order)
    "shared-inspectors": ({}, [("Ann Reed", 2, "Aston, Brent"), ("Bob Stone", 2, "Aston, Brent"),
                               ("Dee Park", 2, "Aston, Brent")]),
    "authority-judgements-over-time": ({"authority": "Brent"}, [
        ("Brent", D(2014, 6, 2), "Single inspection framework inspection", "Care leavers", "Outstanding"),
        ("Brent", D(2014, 6, 2), "Single inspection framework inspection", "Children looked after and achieving permanence", "Good"),
        ("Brent", D(2014, 6, 2), "Single inspection framework inspection", "Children who need help and protection", "Good"),
        ("Brent", D(2014, 6, 2), "Single inspection framework inspection", "Leadership, management and governance", "Good"),
        ("Brent", D(2014, 6, 2), "Single inspection framework inspection", "Overall effectiveness", "Good"),
        ("Brent", D(2019, 1, 7), "ILACS inspection", "Children in care and care leavers", "Good"),
        ("Brent", D(2019, 1, 7), "ILACS inspection", "Children who need help and protection", "Requires improvement to be good"),
        ("Brent", D(2019, 1, 7), "ILACS inspection", "Impact of leaders on social work practice with children and families", "Requires improvement to be good"),
        ("Brent", D(2019, 1, 7), "ILACS inspection", "Overall effectiveness", "Requires improvement to be good")]),
    "inspections-led-by": ({"lead": "Dee Park"}, [("Dee Park", "Brent", D(2014, 6, 2), D(2014, 6, 26), "Good"),
                                                 ("Dee Park", "Aston", D(2026, 5, 4), D(2026, 5, 8), None)]),
    "authorities-by-overall-grade": ({}, [("Good", "Aston", D(2018, 10, 1)),
                                          ("Requires improvement to be good", "Brent", D(2019, 1, 7))]),
    "split-on-site-periods": ({}, [
        ("Aston", "https://w3id.org/ofsted-kg/id/inspection/aston-2018-10-01", D(2018, 10, 1), D(2018, 10, 5)),
        ("Aston", "https://w3id.org/ofsted-kg/id/inspection/aston-2018-10-01", D(2018, 10, 15), D(2018, 10, 19))]),
    "recommendations-of-inspection": ({"authority": "Aston"}, [
        ("Aston", D(2015, 3, 2), "LSCB", 1, 31, "The board should audit private fostering."),
        ("Aston", D(2015, 3, 2), "local authority", 1, 5, "Protect children who live with domestic abuse."),
        ("Aston", D(2015, 3, 2), "local authority", 2, 5, "Find homes for care leavers."),
        ("Aston", D(2018, 10, 1), "local authority", 1, 3, "Keep improving help for families facing domestic abuse.")]),
    "inspectors-of-two-authorities": ({"a": "Aston", "b": "Brent"}, [
        ("Ann Reed", "Aston", "Reporting inspector", D(2013, 1, 14), "Brent", "Lead inspector", D(2019, 1, 7)),
        ("Ann Reed", "Aston", "Lead inspector", D(2015, 3, 2), "Brent", "Lead inspector", D(2019, 1, 7)),
        ("Bob Stone", "Aston", "Team inspector", D(2015, 3, 2), "Brent", "Team inspector", D(2014, 6, 2)),
        ("Bob Stone", "Aston", "Visiting inspector", D(2016, 6, 1), "Brent", "Team inspector", D(2014, 6, 2)),
        ("Bob Stone", "Aston", "Lead inspector", D(2018, 10, 1), "Brent", "Team inspector", D(2014, 6, 2)),
        ("Dee Park", "Aston", "Lead inspector", D(2026, 5, 4), "Brent", "Lead inspector", D(2014, 6, 2))]),
    "grade-change-after-lead": ({}, [
        ("Aston", D(2013, 1, 14), None, "Adequate", D(2015, 3, 2), "Ann Reed", "Inadequate"),
        ("Aston", D(2015, 3, 2), "Ann Reed", "Inadequate", D(2018, 10, 1), "Bob Stone", "Good"),
        ("Brent", D(2014, 6, 2), "Dee Park", "Good", D(2019, 1, 7), "Ann Reed", "Requires improvement to be good")]),
    "evidence-of-judgement": ({"authority": "Brent"}, None),  # checked below: 9 judgements, one quote each
    "themes-of-authority-over-time": ({}, [
        ("Aston", D(2015, 3, 2), "Aston SIF inspection 2015-03-02", "Domestic abuse", 7),
        ("Brent", D(2020, 3, 1), "Brent self-evaluation 2020-03-01", "Care leavers", 9)]),
    "themes-under-inadequate-judgements": ({}, [("Children who need help and protection", "Domestic abuse", 1, 4)]),
    "recommendations-on-theme": ({"theme": "Domestic abuse"}, [
        ("Domestic abuse", "Aston", D(2015, 3, 2), 1, "Protect children who live with domestic abuse.", "domestic-abuse: domestic abuse"),
        ("Domestic abuse", "Aston", D(2018, 10, 1), 1, "Keep improving help for families facing domestic abuse.", "domestic-abuse: domestic abuse"),
        ("Domestic abuse", "Brent", D(2014, 6, 2), 1, "Tackle domestic abuse earlier.", "domestic-abuse: domestic abuse")]),
    "recurring-recommendation-themes": ({}, [("Aston", "Domestic abuse", D(2015, 3, 2), D(2018, 10, 1))]),
    # history across frameworks (tests/test_history.py checks them further)
    "aligned-history": ({"authority": "Brent"}, None),  # checked in test_history.py (notes in any order)
    "aligned-judgements": ({"authority": "Brent"}, None),  # checked in test_history.py
    "grade-transitions": ({}, [("Good", "Requires improvement to be good", 1, 2, 3), ("Adequate", "Inadequate", 1, 3, 4),
                               ("Inadequate", "Good", 1, 4, 2)]),
    "grade-transitions-by-authority": ({}, [
        ("Aston", D(2013, 1, 14), "Adequate", D(2015, 3, 2), "Inadequate", "declined", 26),
        ("Aston", D(2015, 3, 2), "Inadequate", D(2018, 10, 1), "Good", "improved", 43),
        ("Brent", D(2014, 6, 2), "Good", D(2019, 1, 7), "Requires improvement to be good", "declined", 55)]),
    "inadequate-to-good": ({}, [("Aston", D(2015, 3, 2), D(2018, 10, 1), "Good", 43, 0)]),
    "visits-between-inspections": ({}, [("Aston", D(2016, 6, 1), "Monitoring visit", D(2015, 3, 2), "Inadequate",
                                         D(2018, 10, 1), 1)]),
    "grade-distribution-by-year": ({}, [(2013, "Adequate", 3, 1), (2014, "Good", 2, 1), (2015, "Inadequate", 4, 1),
                                        (2018, "Good", 2, 1), (2019, "Requires improvement to be good", 3, 1)]),
    "incomplete-reports": ({}, [("reports/800001_aston/ilacs 2018.pdf", "untagged-recommendation", 3,
                                 "recommendation 2 matches no theme of the thesaurus",
                                 "The consistency of practice across the county.")]),
    "grades-by-lead-inspector": ({}, [("Ann Reed", 3, 0, 0, 2, 1, 0), ("Dee Park", 2, 0, 1, 0, 0, 1),
                                      ("Bob Stone", 1, 0, 1, 0, 0, 0)]),
}


def test_every_query_has_a_known_answer_on_the_fixture():
    assert set(FIXTURE_ANSWERS) == set(QUERIES)


@pytest.mark.parametrize("name", sorted(FIXTURE_ANSWERS))
def test_known_answer_on_the_fixture(fixture_store, name):
    params, expected = FIXTURE_ANSWERS[name]
    rows = query_store(fixture_store, query_text(name), params).values()
    if expected is None:
        assert rows, name
    else:
        assert rows == expected


def test_evidence_on_the_fixture(fixture_store):
    rows = query_store(fixture_store, query_text("evidence-of-judgement"), {"authority": "Brent"}).values()
    assert len(rows) == 9 and all(r[0] == "Brent" and r[5] == 1 for r in rows)
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)  # oldest inspection first
    assert ("Brent", "Overall effectiveness", "Good", "reports/800002_brent/sif 2014.pdf", 1,
            "Children's services in Brent are good") in [r[:1] + r[2:] for r in rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_engines_agree_on_the_fixture(fixture, fixture_store, name):
    assert_engines_agree(fixture, fixture_store, query_text(name))
