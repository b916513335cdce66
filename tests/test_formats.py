"""Report formats that the dev corpus lacks, in small text fixtures built from their structure."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from kg.batch import extract_file

FORMATS = Path(__file__).parent / "fixtures" / "formats"


def test_protection_of_children_2012():
    r = extract_file(FORMATS / "protection-2012.txt", "protection-2012.txt")
    assert (r.kind, r.authority.name) == ("LegacyInspection", "Blackpool")
    assert r.title == "Inspection of local authority arrangements for the protection of children"
    assert (r.start, r.end, r.issued) == (date(2012, 6, 11), date(2012, 6, 20), date(2012, 7, 13))
    assert {j.area: j.grade for j in r.judgements} == {
        "OverallEffectiveness": "Adequate", "HelpAndProtection": "Good", "QualityOfPractice": "Adequate",
        "LeadershipAndGovernance": "Adequate"}
    assert [(x.name, x.role) for x in r.roles] == [("Jane Example", "ReportingInspector")]
    assert [x.text for x in r.recommendations] == [
        "ensure that all children subject to a child protection plan are visited within timescales",
        "improve the quality of assessments so that risks are clearly analysed",
        "strengthen management oversight of casework"]


def test_safeguarding_and_looked_after_children_2012_keeps_both_parts_apart():
    r = extract_file(FORMATS / "slac-2012.txt", "slac-2012.txt")
    assert (r.kind, r.authority.name) == ("LegacyInspection", "Dudley")
    grades = {j.area: j.grade for j in r.judgements}
    assert grades["SafeguardingOverallEffectiveness"] == "Adequate"
    assert grades["SafeguardingCapacityToImprove"] == "Good"
    assert grades["OverallEffectiveness"] == "Good" and grades["QualityOfProvision"] == "Good"


def test_focused_visit_letter_with_a_wrapped_title():
    r = extract_file(FORMATS / "focused-visit-2021.txt", "focused-visit-2021.txt")
    assert (r.kind, r.authority.name) == ("FocusedVisit", "Rochdale")
    assert (r.start, r.end, r.issued) == (date(2021, 2, 9), date(2021, 2, 10), date(2021, 3, 12))
    assert r.judgements == []
    assert {(x.name, x.role) for x in r.roles} == {("Alan Example", "LeadInspector"), ("Beth Sample", "VisitInspector")}
    assert [x.text for x in r.recommendations][:1] == ["The timeliness of initial child protection conferences."]


def test_other_ofsted_reports_are_named_as_unsupported(tmp_path):
    import pytest

    from kg.errors import OtherReportKind
    path = tmp_path / "jtai.txt"
    path.write_text("Joint targeted area inspection of the multi-agency response to children's mental health in Dudley\n"
                    "Inspection dates: 1 to 5 March 2021\n" + "Findings.\n" * 20, encoding="utf-8")
    with pytest.raises(OtherReportKind, match="jtai.txt: an Ofsted report of a kind kg does not extract .*Joint targeted area inspection"):
        extract_file(path, "jtai.txt")
