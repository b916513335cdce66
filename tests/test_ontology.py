"""The ontology is the public contract: its terms exist, are documented and are aligned."""
from __future__ import annotations

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.paths import ONTOLOGY_DIR, VOCAB_DIR

KG = Namespace("https://w3id.org/ofsted-kg/def#")
ONTOLOGY = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
VOCAB = Graph()
for path in sorted(VOCAB_DIR.glob("*.ttl")):
    VOCAB.parse(path)

CLASSES = ["LocalAuthority", "Inspection", "SIFInspection", "ILACSInspection", "LegacyInspection", "MonitoringVisit",
           "FocusedVisit", "Report", "SelfEvaluation", "Judgement", "Inspector", "InspectionRole", "Theme", "Recommendation"]
PROPERTIES = ["inspectionOf", "startDate", "endDate", "onSitePeriod", "reportedIn", "sourceFile", "sha256",
              "hasJudgement", "area", "grade", "hasRole", "inspector", "roleType", "evidence", "page",
              "hasRecommendation", "hasTheme", "aboutAuthority"]
CONCEPTS = ["Outstanding", "Good", "RequiresImprovement", "Adequate", "Inadequate", "OverallEffectiveness",
            "ImpactOfLeaders", "HelpAndProtection", "ChildrenInCareAndCareLeavers", "ChildrenInCare", "CareLeavers",
            "LookedAfterAndPermanence", "AdoptionPerformance", "LeadershipManagementGovernance", "LSCBEffectiveness",
            "LeadInspector", "DeputyLeadInspector", "TeamInspector", "ShadowInspector", "ReportingInspector",
            "QualityAssuranceManager", "DataAnalyst"]


@pytest.mark.parametrize("name", CLASSES)
def test_contract_classes(name):
    assert (KG[name], RDF.type, OWL.Class) in ONTOLOGY


@pytest.mark.parametrize("name", PROPERTIES)
def test_contract_properties(name):
    assert any((KG[name], RDF.type, t) in ONTOLOGY for t in (OWL.ObjectProperty, OWL.DatatypeProperty))


@pytest.mark.parametrize("name", CONCEPTS)
def test_contract_concepts(name):
    assert (KG[name], RDF.type, SKOS.Concept) in VOCAB and VOCAB.value(KG[name], SKOS.inScheme) is not None


def test_every_term_has_a_label_and_a_comment():
    for term in set(ONTOLOGY.subjects(RDF.type, OWL.Class)) | set(ONTOLOGY.subjects(RDF.type, OWL.ObjectProperty)) \
            | set(ONTOLOGY.subjects(RDF.type, OWL.DatatypeProperty)):
        assert ONTOLOGY.value(term, RDFS.label) and ONTOLOGY.value(term, RDFS.comment), term


def test_aligned_to_standard_vocabularies():
    parents = {str(o) for p in (RDFS.subClassOf, RDFS.subPropertyOf) for o in ONTOLOGY.objects(None, p)}
    for namespace in ("http://www.w3.org/ns/prov#", "http://www.w3.org/ns/org#", "https://schema.org/",
                      "http://xmlns.com/foaf/0.1/", "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#"):
        assert any(p.startswith(namespace) for p in parents), namespace


def test_grades_are_ranked():
    ranks = {name: int(VOCAB.value(KG[name], KG.rank)) for name in ("Outstanding", "Good", "RequiresImprovement", "Inadequate")}
    assert ranks == {"Outstanding": 1, "Good": 2, "RequiresImprovement": 3, "Inadequate": 4}


def test_theme_thesaurus_has_at_least_25_documented_themes():
    themes = set(VOCAB.subjects(RDF.type, KG.Theme))
    assert len(themes) >= 25
    for theme in themes:
        assert VOCAB.value(theme, SKOS.prefLabel) and VOCAB.value(theme, SKOS.definition), theme
