"""Instance IRIs are minted and parsed in one place (kg.rdf.Mapper)."""
from __future__ import annotations

from hypothesis import given, strategies as st

from kg.rdf import IriParts, Mapper

SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)


@given(st.sampled_from(["inspection", "report", "authority", "inspector"]), SEGMENT, st.lists(SEGMENT, max_size=3))
def test_parse_is_the_inverse_of_minting(kind, key, path):
    mapper = Mapper("https://example.org/id")
    assert mapper.parse(mapper.iri(kind, key, *path)) == IriParts(kind, key, tuple(path))


def test_parse_names_the_record_behind_a_node(seed_records):
    mapper = Mapper()
    dudley = seed_records["000"]
    judgement = f"{mapper.inspection_iri(dudley)}/judgement/overall-effectiveness"
    assert mapper.parse(judgement) == IriParts("inspection", "dudley-2016-01-11", ("judgement", "overall-effectiveness"))
    assert mapper.parse(mapper.report_iri(dudley)).key == "dudley-2016-01-11"


def test_foreign_iris_are_not_ours():
    mapper = Mapper()
    assert mapper.parse("https://w3id.org/ofsted-kg/def#Report") is None
    assert mapper.parse("http://statistics.data.gov.uk/id/statistical-geography/E08000027") is None
    assert mapper.parse("https://w3id.org/ofsted-kg/id/") is None
