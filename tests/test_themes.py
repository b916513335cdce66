"""Theme vocabulary (ontology/vocab/themes.ttl) and tagger (kg.thesaurus)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

from kg.thesaurus import THEMES_TTL, ThemeMatch, find_themes, theme_labels, themes_of

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "recommendation_themes.json"
KG = Namespace("https://w3id.org/ofsted-kg/def#")
THEME = Namespace("https://w3id.org/ofsted-kg/def/theme/")


@pytest.fixture(scope="module")
def vocab() -> Graph:
    graph = Graph()
    graph.parse(THEMES_TTL, format="turtle")
    return graph


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- vocabulary

def test_vocabulary_is_a_skos_scheme_of_themes(vocab: Graph) -> None:
    concepts = set(vocab.subjects(SKOS.inScheme, KG.ThemeScheme))
    assert len(concepts) >= 30
    assert (KG.ThemeScheme, RDF.type, SKOS.ConceptScheme) in vocab
    for concept in concepts:
        assert str(concept).startswith(str(THEME))
        assert (concept, RDF.type, SKOS.Concept) in vocab
        assert (concept, RDF.type, KG.Theme) in vocab
        prefs = list(vocab.objects(concept, SKOS.prefLabel))
        assert len(prefs) == 1 and prefs[0].language == "en"
        assert vocab.value(concept, SKOS.definition) is not None
        for alt in vocab.objects(concept, SKOS.altLabel):
            assert alt.language == "en" and alt != prefs[0]


def test_hierarchy_is_consistent(vocab: Graph) -> None:
    concepts = set(vocab.subjects(SKOS.inScheme, KG.ThemeScheme))
    tops = set(vocab.objects(KG.ThemeScheme, SKOS.hasTopConcept))
    assert tops == set(vocab.subjects(SKOS.topConceptOf, KG.ThemeScheme))
    for concept in concepts:
        broader = set(vocab.objects(concept, SKOS.broader))
        assert (concept in tops) == (not broader), concept
        for parent in broader:
            assert (parent, SKOS.narrower, concept) in vocab
    for parent, child in vocab.subject_objects(SKOS.narrower):
        assert (child, SKOS.broader, parent) in vocab
    assert (THEME["county-lines"], SKOS.broader, THEME["child-criminal-exploitation"]) in vocab
    assert (THEME["adoption"], SKOS.broader, THEME["permanence"]) in vocab


def test_theme_labels_match_the_vocabulary(vocab: Graph) -> None:
    labels = theme_labels()
    concepts = {str(c).rsplit("/", 1)[1] for c in vocab.subjects(SKOS.inScheme, KG.ThemeScheme)}
    assert set(labels) == concepts
    assert labels["domestic-abuse"] == "Domestic abuse"
    assert labels["missing-from-home-or-care"] == "Children missing from home or care"


# ---------------------------------------------------------------- matching

def test_return_home_interviews_are_about_missing_children() -> None:
    text = "Improve the timeliness of return home interviews for children who go missing."
    assert themes_of(text) == ["missing-from-home-or-care"]
    assert [m.phrase for m in find_themes(text)] == ["return home interviews", "go missing"]


def test_child_sexual_exploitation_reports_the_phrase_and_offsets() -> None:
    text = "Tackle child sexual exploitation across the partnership."
    first = find_themes(text)[0]
    assert first == ThemeMatch("child-sexual-exploitation", "child sexual exploitation", 7, 32)
    assert text[first.start:first.end] == "child sexual exploitation"


def test_abbreviations_match_only_in_capitals() -> None:
    assert themes_of("The MASH, the LADO and the PLO.") == [
        "allegations-against-professionals", "front-door", "pre-proceedings"]
    assert themes_of("CSE and CCE; UASC; PEPs; IROs; PAs; NEET") == [
        "care-leavers-eet", "child-criminal-exploitation", "child-sexual-exploitation",
        "education-of-children-in-care", "pathway-planning", "reviewing-and-conferences",
        "unaccompanied-asylum-seeking-children"]
    assert themes_of("We had mash for lunch; a pa; an iro; the plo; send it") == []


def test_pdf_line_breaks_hyphens_and_apostrophes_are_normalised() -> None:
    text = "child sexual\nexploitation, emotional well-\nbeing, multi\ufffeagency, children\u2019s guardian"
    matches = find_themes(text)
    assert [(m.theme, m.phrase) for m in matches] == [
        ("child-sexual-exploitation", "child sexual exploitation"),
        ("health-and-wellbeing", "emotional well-being"),
        ("partnership-working", "multi-agency"),
        ("court-proceedings", "children's guardian"),
    ]
    assert themes_of("emotional wellbeing") == themes_of("emotional well being") == ["health-and-wellbeing"]


def test_longest_phrase_wins() -> None:
    assert themes_of("initial health assessments") == ["health-and-wellbeing"]
    assert themes_of("private fostering arrangements") == ["private-fostering"]
    assert themes_of("early help assessment") == ["early-help"]
    assert themes_of("case file auditing") == ["performance-and-quality-assurance"]
    assert themes_of("not in education, employment or training") == ["care-leavers-eet"]


def test_narrower_match_does_not_add_broader_theme() -> None:
    assert themes_of("children exploited through county lines") == ["county-lines", "exploitation"]
    assert themes_of("county lines") == ["county-lines"]
    assert themes_of("the adoption panel") == ["adoption"]


def test_concepts_added_for_untagged_recommendations() -> None:
    """Themes the dev corpus recommended on but the thesaurus lacked (tests/gold/README.md)."""
    assert themes_of("Ensure that parental consent is sought before information is shared, "
                     "unless it is necessary to dispense with consent.") == ["consent"]
    assert themes_of("households where there is parental mental ill-health, or substance or "
                     "alcohol misuse") == ["parental-mental-health-and-substance-misuse"]
    assert themes_of("links with the prison mother and baby unit; pre-birth assessments "
                     "for unborn babies") == ["babies-and-pre-birth"]
    assert themes_of("Review the role of the Principal Social Worker and embed the "
                     "practice framework") == ["practice-model"]
    assert themes_of("Ensure that children become looked after without unnecessary delay") == [
        "entry-to-care"]
    assert themes_of("children who return home from care; re-unification work") == ["reunification"]


def test_new_labels_keep_neighbouring_themes_apart() -> None:
    # the longest phrase still decides: these stay with the theme they had
    assert themes_of("return home interviews") == ["missing-from-home-or-care"]
    assert themes_of("family group conferences") == ["kinship-care"]
    assert themes_of("initial child protection conferences") == ["reviewing-and-conferences"]
    assert themes_of("contingency plans") == themes_of("a clear contingency") == ["planning"]
    assert themes_of("the Health and Wellbeing Board") == ["partnership-working"]
    assert themes_of("a child protection medical") == ["child-protection-enquiries"]
    # a psw in lower case is not the Principal Social Worker
    assert themes_of("psw") == []


def test_words_inside_other_words_do_not_match() -> None:
    assert themes_of("courtesy, neglectfully, mashed, pledged, dataset") == []


def test_matches_are_in_document_order_and_deterministic() -> None:
    text = " ".join(item["text"] for item in json.loads(GOLD.read_text(encoding="utf-8"))[:40])
    first, second = find_themes(text), find_themes(text)
    assert first == second and first
    assert [m.start for m in first] == sorted(m.start for m in first)
    assert all(a.end <= b.start for a, b in zip(first, first[1:]))
    assert themes_of(text) == sorted(set(themes_of(text)))


def test_explicit_vocabulary_path(tmp_path: Path) -> None:
    ttl = tmp_path / "mini.ttl"
    ttl.write_text("""
@prefix kg: <https://w3id.org/ofsted-kg/def#> .
@prefix theme: <https://w3id.org/ofsted-kg/def/theme/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
theme:foo a skos:Concept , kg:Theme ; skos:inScheme kg:ThemeScheme ;
    skos:prefLabel "Foo things"@en ; skos:altLabel "bar baz"@en , "QUX"@en .
""", encoding="utf-8")
    assert themes_of("Some bar-baz and QUX, not qux; domestic abuse", vocab=ttl) == ["foo"]
    assert [m.phrase for m in find_themes("bar\nbaz QUX", vocab=ttl)] == ["bar baz", "QUX"]
    assert theme_labels(vocab=ttl) == {"foo": "Foo things"}


def test_tagging_three_megabytes_finds_every_repeat(gold: list[dict]) -> None:
    """Whole reports are tagged in one pass (its speed is measured by bench/bench_themes.py)."""
    chunk = "\n".join(item["text"] for item in gold)
    repeats = 3_000_000 // len(chunk)
    assert len(find_themes("\n.\n".join([chunk] * repeats))) == repeats * len(find_themes(chunk))


# ---------------------------------------------------------------- gold standard

def test_gold_file_is_well_formed(gold: list[dict]) -> None:
    ids = set(theme_labels())
    assert len(gold) >= 70
    assert len({item["file"] for item in gold}) >= 20
    years = {item["file"][-8:-4] for item in gold}
    assert {"2014", "2026"} <= years
    assert len({(item["file"], item["number"]) for item in gold}) == len(gold)
    for item in gold:
        assert item["file"].endswith(".pdf") and "/" in item["file"]
        assert item["number"] >= 1 and item["text"] == " ".join(item["text"].split())
        assert set(item["themes"]) <= ids, item
        assert item["themes"] == sorted(set(item["themes"]))


def test_precision_and_recall_on_gold(gold: list[dict]) -> None:
    tp = fp = fn = 0
    for item in gold:
        found, wanted = set(themes_of(item["text"])), set(item["themes"])
        tp += len(found & wanted)
        fp += len(found - wanted)
        fn += len(wanted - found)
    assert tp / (tp + fp) >= 0.90
    assert tp / (tp + fn) >= 0.80
