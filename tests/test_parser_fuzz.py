"""Arbitrary text to every report parser: only kg.errors.KgError subclasses may escape."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.extract import EXTRACTORS, extract
from kg.readers import Document
from kg.text import normalise_page
from kg.tagging import tag
from conftest import examples

# Lines that steer the parsers into their deeper paths (titles, tables, team lists, lists).
PHRASES = [
    "Inspection of Dudley local authority children's services", "Inspection of local authority children's services",
    "Inspection of services for children in need of help and protection, children looked after and care leavers",
    "Inspection of looked after children services", "Review of the effectiveness of the Local Safeguarding Children Board",
    "Monitoring visit to Sandwell children's services", "Focused visit of Rochdale children's services",
    "Self-evaluation | Dudley | 2023", "Inspection dates: 1 to 5 March 2021", "Inspection dates:", "Published: 2 March 2012",
    "Lead inspector:", "Lead inspectors: A B and C D", "Team inspectors (all HMI):", "Deputy lead inspector Jane Example",
    "Overall effectiveness Good", "Overall effectiveness", "Requires improvement", "to be good", "Not judged",
    "The impact of leaders on practice with children and families", "Children's services in Dudley are inadequate",
    "The LSCB is good", "What needs to improve?", "Recommendations", "Areas for improvement", "Record of main findings",
    "Safeguarding services", "Services for looked after children", "1.", "2. Something", "\u2022", "\u2022 item", "12", "",
    "Máire Ní Bhriain", "O'Brien:", ":", "(", ")", "Senior HMI: Ann Example", "The inspection team",
    "This letter summarises the findings of the monitoring visit to Dudley on 1 and 2 May 2019.",
    "The visit was carried out by Jane Example and John Example.",
]
line = st.one_of(st.sampled_from(PHRASES), st.text(max_size=60),
                 st.builds(lambda a, b: a + " " + b, st.sampled_from(PHRASES), st.text(max_size=20)))
page = st.lists(line, max_size=25).map("\n".join)
pages = st.lists(page, min_size=1, max_size=5)


def _document(texts: list[str]) -> Document:
    return Document("fuzz.txt", [normalise_page(t) for t in texts], "0" * 64, "text")


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_classify_and_extract_raise_only_kg_errors(texts):
    try:
        tag(extract(_document(texts)))
    except KgError:
        pass


@pytest.mark.parametrize("module", EXTRACTORS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(texts=pages)
def test_each_extractor_on_arbitrary_text_raises_only_kg_errors(module, texts):
    from kg.authorities import default_index
    doc = _document(texts)
    try:  # called whether or not the module recognises the text
        tag(module.extract(doc, default_index()))
    except KgError:
        pass
