"""History across frameworks: the SKOS alignment in the vocabularies and the aligned queries."""
from __future__ import annotations

from datetime import date

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import SKOS

import kg
from fixturegraph import FIXTURE, write_fixture_graph
from kg.paths import VOCAB_DIR

KG = Namespace("https://w3id.org/ofsted-kg/def#")
MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)


@pytest.fixture(scope="module")
def vocab():
    graph = Graph()
    graph.parse(VOCAB_DIR / "areas.ttl")
    graph.parse(VOCAB_DIR / "grades.ttl")
    return graph


@pytest.fixture(scope="module")
def fixture_kg(tmp_path_factory):
    return kg.open(write_fixture_graph(tmp_path_factory.mktemp("history")).parent)


def test_sif_and_ilacs_areas_are_aligned_as_the_frameworks_define_them(vocab):
    assert (KG.LeadershipManagementGovernance, SKOS.closeMatch, KG.ImpactOfLeaders) in vocab
    assert (KG.LookedAfterAndPermanence, SKOS.closeMatch, KG.ChildrenInCare) in vocab
    assert (KG.ChildrenInCareAndCareLeavers, SKOS.closeMatch, KG.ChildrenInCare) in vocab
    assert (KG.OutcomesForLookedAfterChildren, SKOS.broadMatch, KG.ChildrenInCare) in vocab
    # adoption has no ILACS counterpart, and says why
    assert not [o for p in MATCHES for o in vocab.objects(KG.AdoptionPerformance, p)]
    assert "No ILACS counterpart" in str(vocab.value(KG.AdoptionPerformance, SKOS.editorialNote))


def test_every_mapping_states_its_reason(vocab):
    mapped = {s for p in MATCHES for s, _ in vocab.subject_objects(p)}
    assert len(mapped) >= 8
    for area in mapped:
        assert vocab.value(area, SKOS.scopeNote), area


def test_adequate_compares_with_requires_improvement(vocab):
    assert (KG.Adequate, SKOS.closeMatch, KG.RequiresImprovement) in vocab
    assert vocab.value(KG.Adequate, KG.rank) == vocab.value(KG.RequiresImprovement, KG.rank)
    assert vocab.value(KG.Adequate, SKOS.scopeNote)


def test_aligned_history_puts_three_frameworks_in_one_set_of_columns(fixture_kg):
    rows = fixture_kg.query("aligned-history", authority="Aston")
    assert [(r["start"], r["kind"]) for r in rows] == [
        (date(2013, 1, 14), "Legacy inspection"), (date(2015, 3, 2), "Single inspection framework inspection"),
        (date(2016, 6, 1), "Monitoring visit"), (date(2018, 10, 1), "ILACS inspection"),
        (date(2026, 5, 4), "ILACS inspection")]
    legacy, sif, visit, ilacs, reform = rows
    assert (legacy["overall"], legacy["leaders"], legacy["helpAndProtection"], legacy["inCare"]) == (
        "Adequate", "Inadequate", None, "Good")
    assert (sif["leaders"], sif["inCare"], sif["careLeavers"]) == (
        "Inadequate", "Requires improvement to be good", "Requires improvement to be good")
    assert set(sif["aligned"].split("; ")) == {
        "Impact of leaders = Leadership, management and governance (close)",
        "Children in care = Children looked after and achieving permanence (close)"}
    assert all(visit[c] is None for c in ("overall", "leaders", "helpAndProtection", "inCare", "careLeavers"))
    assert (ilacs["inCare"], ilacs["careLeavers"]) == ("Good", None)  # the 2018 combined judgement
    assert (reform["overall"], reform["leaders"], reform["aligned"]) == (None, "Outstanding", None)


def test_aligned_judgements_say_how_each_value_was_matched(fixture_kg):
    rows = fixture_kg.query("aligned-judgements", authority="Aston")
    legacy = {r["column"]: (r["grade"], r["rank"], r["match"], r["judgedArea"])
              for r in rows if r["start"] == date(2013, 1, 14)}
    assert legacy == {
        "Overall effectiveness": ("Adequate", 3, "same", "Overall effectiveness"),
        "Impact of leaders": ("Inadequate", 4, "close", "Leadership and management"),
        "Children in care": ("Good", 2, "broad", "Outcomes for looked after children and young people")}
    assert len(rows) == 16


def test_the_closest_match_wins_when_two_areas_align_to_one_column(tmp_path):
    graph = Graph()
    graph.parse(write_fixture_graph(tmp_path))
    inspection = "https://w3id.org/ofsted-kg/id/inspection/aston-2026-05-04"
    graph.parse(data=f"""@prefix kg: <https://w3id.org/ofsted-kg/def#> .
        <{inspection}> kg:hasJudgement <{inspection}/judgement/combined> .
        <{inspection}/judgement/combined> a kg:Judgement ; kg:area kg:ChildrenInCareAndCareLeavers ;
            kg:grade kg:Inadequate ; kg:page 1 ; kg:evidence "x" .""", format="turtle")
    graph.serialize(tmp_path / "graph.ttl", format="turtle")
    rows = kg.open(tmp_path).query("aligned-history", authority="Aston")
    assert rows[-1]["inCare"] == "Good"  # ChildrenInCare itself, not the close match graded Inadequate


def test_transitions_and_recovery(fixture_kg):
    assert fixture_kg.query("inadequate-to-good") == [
        {"authority": "Aston", "inadequateStart": date(2015, 3, 2), "goodStart": date(2018, 10, 1), "grade": "Good",
         "months": 43, "inspectionsBetween": 0}]
    changes = [(r["authority"], r["change"]) for r in fixture_kg.query("grade-transitions-by-authority")]
    assert changes == [("Aston", "declined"), ("Aston", "improved"), ("Brent", "declined")]
    visits = fixture_kg.query("visits-between-inspections", authority="Aston")
    assert [(v["previousFull"], v["previousOverall"], v["nextFull"]) for v in visits] == [
        (date(2015, 3, 2), "Inadequate", date(2018, 10, 1))]


def test_fixture_is_only_instance_data():
    text = FIXTURE.read_text(encoding="utf-8")
    assert "skos:closeMatch" not in text and "owl:Class" not in text
