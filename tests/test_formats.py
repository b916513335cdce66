"""Report formats that the dev corpus lacks, in small text fixtures built from their structure."""
from __future__ import annotations

from datetime import date

import pytest
from pathlib import Path

from kg.build import extract_file

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


# ---------------------------------------------------------------- wordings that must generalise

def _doc(text: str, name: str = "report.txt"):
    """A read document from text; pages separated by form feeds (as text inputs are read)."""
    from kg.readers import Document
    from kg.text import normalise_page
    return Document(name, [normalise_page(p) for p in text.split("\f")], "0" * 64, "text")


def _extract(text: str, name: str = "report.txt"):
    from kg.extract import extract
    from kg.tagging import tag
    return tag(extract(_doc(text, name)))


def test_trust_titled_ilacs_2026_with_its_title_as_running_header():
    r = extract_file(FORMATS / "ilacs-trust-2026.txt", "ilacs-trust-2026.txt")
    assert (r.kind, r.authority.name, r.authority.urn) == ("ILACSInspection", "Bradford", "80449")
    assert r.delivered_by == "Bradford Children and Families Trust"
    assert (r.start, r.end) == (date(2026, 5, 11), date(2026, 5, 22))
    # newer wording of the leaders' judgement; separate children-in-care judgements; none overall (April 2026 on)
    assert {j.area: j.grade for j in r.judgements} == {
        "ImpactOfLeaders": "Good", "HelpAndProtection": "RequiresImprovement", "ChildrenInCare": "Good",
        "CareLeavers": "Outstanding"}
    assert [x.text for x in r.recommendations] == ["The timeliness of assessments for children in need.",
                                                   "The quality of supervision of social workers."]
    # the findings under the newer leaders' heading count towards ImpactOfLeaders
    assert [(s.area, s.page) for s in r.sections][-5:] == [
        ("HelpAndProtection", 2), ("ChildrenInCare", 3), ("CareLeavers", 4), ("ImpactOfLeaders", 5), (None, 5)]


def test_people_keep_accents_and_apostrophes_and_every_label_form():
    r = extract_file(FORMATS / "ilacs-trust-2026.txt", "ilacs-trust-2026.txt")
    assert [(x.name, x.role, x.label) for x in r.roles] == [
        ("Máire Ní Bhriain", "LeadInspector", "Lead inspectors"),          # co-leads
        ("Seán O'Brien", "LeadInspector", "Lead inspectors"),
        ("Zoë D'Souza", "DeputyLeadInspector", "Deputy lead inspector"),   # no colon
        ("Siobhán Example", "TeamInspector", "Team inspectors"),           # header with a parenthesis
        ("Priya D'Souza", "TeamInspector", "Team inspectors"),
        ("Tom Example", "DataAnalyst", "Shadow senior data analyst"),      # compound: nearest role
        ("Ann Example", "TeamInspector", "Senior HMI"),
        ("Kim Example", "OtherRole", "Trainee observer"),                  # unknown label: kept, warned
    ]
    assert [(f.code, f.page, f.snippet) for f in r.warnings] == [
        ("unknown-role-label", 5, "Trainee observer: Kim Example")]


def test_accented_names_get_one_ascii_key_and_an_ascii_alternate_name():
    from kg.names import ascii_folded, person_key
    assert person_key("Zoë D'Souza") == person_key("Zoe D'Souza") == "zoe-dsouza"
    assert ascii_folded("Máire Ní Bhriain") == "Maire Ni Bhriain"


@pytest.mark.parametrize("sentence, grade", [
    ("Children's services require improvement to be good", "RequiresImprovement"),
    ("Children's services in Dudley are inadequate", "Inadequate"),
    ("The overall judgement is that children's services are good", "Good"),
    ("The overall judgement is outstanding", "Outstanding"),
])
def test_overall_effectiveness_as_a_sentence(sentence, grade):
    r = _extract(f"""Inspection of services for children in need of help and protection, children looked after and care leavers
Dudley Metropolitan Borough Council
Inspection dates: 11 January 2016 - 4 February 2016
Report published: 8 March 2016
{sentence}
1. Children who need help and protection Inadequate
Lead inspector: Peter McEntee
""")
    assert r.grade_of("OverallEffectiveness") == grade
    assert r.grade_of("HelpAndProtection") == "Inadequate"


def test_the_authority_named_only_above_the_title_is_read_from_the_report_not_the_folder():
    r = _extract("""1
Liverpool City Council
Inspection of local authority children's services
Inspection dates: 14 May 2018 to 25 May 2018
Lead inspector: Shabana Example HMI
Overall effectiveness Good
""", "80431_blackpool/report.txt")
    assert r.authority.name == "Liverpool"
    assert not [f for f in r.warnings if f.code == "unresolved-authority"]


def test_a_visit_to_a_trust_is_a_visit_to_its_authority():
    r = _extract("""12 March 2021
Dear Director
Monitoring visit to Sandwell Children's Trust
This letter summarises the findings of the monitoring visit to Sandwell Children's Trust on 9 and 10 February 2021.
The visit was carried out by Alan Example and Beth Sample.
""")
    assert (r.kind, r.authority.name, r.start) == ("MonitoringVisit", "Sandwell", date(2021, 2, 9))
    assert {(x.name, x.role) for x in r.roles} == {("Alan Example", "VisitInspector"), ("Beth Sample", "VisitInspector")}
    assert r.warnings == []


from hypothesis import given, strategies as st  # noqa: E402

_letters = st.sampled_from(list("abcdeéèfghiíjklmnñoóöpqrstuúüvwyzáàâçëïôœ"))
_word = st.builds(lambda first, rest: first.upper() + "".join(rest), _letters, st.lists(_letters, min_size=2, max_size=8)
                  ).filter(lambda w: w.lower() not in {"the", "his", "her", "team", "lead", "with", "from", "grade"})


@given(st.lists(st.tuples(_word, _word), min_size=1, max_size=4, unique=True))
def test_any_accented_names_survive_a_team_list(people):
    from kg.extract.people import team
    names = [f"{a} {b}" for a, b in people]
    line = "Team inspectors: " + ", ".join(f"{n} HMI" for n in names)
    assert [x.name for x in team([(1, line)])] == list(dict.fromkeys(names))


@pytest.mark.parametrize("line, expected", [
    ("Lead inspector – Dr Jane Example", [("Jane Example", "LeadInspector")]),
    ("Deputy lead inspector Ms Ann Lee HMI", [("Ann Lee", "DeputyLeadInspector")]),
    ("Lead inspectors: Jane Example and Ann Lee", [("Jane Example", "LeadInspector"), ("Ann Lee", "LeadInspector")]),
    ("Quality assurance managers (Senior HMI): Sam Lee", [("Sam Lee", "QualityAssuranceManager")]),
])
def test_team_line_forms(line, expected):
    from kg.extract.people import team
    assert [(x.name, x.role) for x in team([(1, line)])] == expected
