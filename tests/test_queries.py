"""Every query in queries/ states its question and answers it on the seed graph."""
from __future__ import annotations

from datetime import date

import pytest

from kg.query import load_store, named_queries, query, query_store, query_text, question_of

QUERIES = named_queries()


@pytest.fixture(scope="module")
def seed_store(seed_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "graph.ttl"
    path.write_bytes(seed_build.turtle)
    return load_store(path)


def run(seed_graph, name, **params):
    return query(seed_graph, query_text(name), params).values()


def test_at_least_twelve_queries_each_with_a_question():
    assert len(QUERIES) >= 12
    for name, path in QUERIES.items():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), name
        assert question_of(text).rstrip(")").strip().endswith("?") or "?" in question_of(text), name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_engines_agree(seed_graph, seed_store, name):
    sparql = query_text(name)
    by_rdflib = sorted(map(repr, query(seed_graph, sparql).values()))
    by_oxigraph = sorted(map(repr, query_store(seed_store, sparql).values()))
    if "GROUP_CONCAT" in sparql:  # concatenation order is engine-defined
        by_rdflib = sorted(len(r) for r in by_rdflib)
        by_oxigraph = sorted(len(r) for r in by_oxigraph)
    assert by_rdflib == by_oxigraph


def test_shared_inspectors(seed_graph):
    rows = {r[0]: (r[1], set(r[2].split(", "))) for r in run(seed_graph, "shared-inspectors")}
    assert rows == {"Peter McEntee": (3, {"Dudley", "Walsall", "Sandwell"}),
                    "Andy Waugh": (3, {"Dudley", "Walsall", "Sandwell"}),
                    "Pauline Higham": (2, {"Dudley", "Sandwell"}),
                    "Linda Steele": (2, {"Dudley", "Walsall"}), "Jenny Turnross": (2, {"Dudley", "Walsall"})}


def test_authority_judgements_over_time(seed_graph):
    rows = run(seed_graph, "authority-judgements-over-time", authority="Walsall")
    assert len(rows) == 7
    assert ("Walsall", date(2017, 6, 20), "Single inspection framework inspection", "Adoption performance", "Good") in rows


def test_inspections_led_by(seed_graph):
    assert run(seed_graph, "inspections-led-by", lead="Peter McEntee") == [
        ("Peter McEntee", "Dudley", date(2016, 1, 11), date(2016, 2, 8), "Inadequate")]


def test_authorities_by_overall_grade(seed_graph):
    assert run(seed_graph, "authorities-by-overall-grade") == [
        ("Requires improvement to be good", "Walsall", date(2017, 6, 20)),
        ("Inadequate", "Dudley", date(2016, 1, 11)), ("Inadequate", "Sandwell", date(2017, 11, 6))]


def test_split_on_site_periods_none_in_seeds(seed_graph):
    assert run(seed_graph, "split-on-site-periods") == []


def test_recommendations_of_inspection(seed_graph):
    rows = run(seed_graph, "recommendations-of-inspection", authority="Walsall")
    assert [r[2] for r in rows].count("local authority") == 12 and [r[2] for r in rows].count("LSCB") == 4
    assert rows[0][2:4] == ("LSCB", 1) and rows[0][5].startswith("The board should ensure that it undertakes a review")


def test_inspectors_of_two_authorities(seed_graph):
    rows = run(seed_graph, "inspectors-of-two-authorities", a="Dudley", b="Sandwell")
    assert {(r[0], r[2], r[5]) for r in rows} == {
        ("Andy Waugh", "Visiting inspector", "Team inspector"),
        ("Pauline Higham", "Visiting inspector", "Team inspector"),
        ("Peter McEntee", "Lead inspector", "Deputy lead inspector")}


def test_grade_change_needs_two_graded_inspections(seed_graph):
    assert run(seed_graph, "grade-change-after-lead") == []


def test_evidence_of_judgement(seed_graph):
    rows = run(seed_graph, "evidence-of-judgement", authority="Sandwell")
    assert ("Sandwell", "Overall effectiveness", "Inadequate", "seeds/004_d10c8fed4ddb3ab2.txt", 1,
            "Children's services in Sandwell are inadequate") in rows


def test_themes_of_authority_over_time(seed_graph):
    rows = run(seed_graph, "themes-of-authority-over-time", authority="Dudley")
    documents = {r[2] for r in rows}
    assert {"Dudley SIF inspection 2016-01-11", "Dudley self-evaluation 2022-06-14"} <= documents
    assert any(r[2] == "Dudley SIF inspection 2016-01-11" and r[3] == "Child sexual exploitation" for r in rows)


def test_themes_under_inadequate_judgements(seed_graph):
    rows = run(seed_graph, "themes-under-inadequate-judgements")
    help_protection = [r for r in rows if r[0] == "Children who need help and protection"]
    assert ("Children who need help and protection", "Domestic abuse") in {(r[0], r[1]) for r in help_protection}
    assert max(r[2] for r in help_protection) == 2  # Dudley 2016 and Sandwell 2017


def test_recommendations_on_theme(seed_graph):
    rows = run(seed_graph, "recommendations-on-theme", theme="Private fostering")
    assert [(r[1], r[3]) for r in rows] == [("Walsall", 8)]
    assert all(r[5].startswith("private-fostering: ") for r in rows)


def test_recurring_recommendation_themes_need_consecutive_inspections(seed_graph):
    assert run(seed_graph, "recurring-recommendation-themes") == []
