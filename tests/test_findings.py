"""Right or warned: every shortfall of an extracted report is a Finding with a stable code,
page and snippet; recognised absences are info; findings reach the graph and SPARQL."""
from __future__ import annotations

import csv


from kg.extract import KINDS, extract
from kg.extract.audit import expectations
from kg.extract.wordings import labels
from kg.paths import DATA_DIR, QUERIES_DIR
from kg.readers import Document
from kg.text import normalise_page
from kg.tagging import tag

ILACS_2019 = """Nottinghamshire County Council
Inspection of local authority children's services
Inspection dates: 7 October 2019 to 18 October 2019
Lead inspector: Margaret Example, Her Majesty's Inspector
Judgement Grade
The impact of leaders on social work practice with children and families
Good
The experiences and progress of children who need help and protection
Requires improvement to be good
The experiences and progress of children in care and care leavers
Good
Overall effectiveness Good
What needs to improve?
1. The quality of child protection plans.
2. Management oversight of children in need.

The impact of leaders on social work practice with children and families
Leaders know their services well.
The experiences and progress of children who need help and protection
Help is offered early.
The experiences and progress of children in care and care leavers
Children in care live in stable homes.
"""


def record(text: str, name: str = "report.txt"):
    doc = Document(name, [normalise_page(p) for p in text.split("\f")], "0" * 64, "text")
    return tag(extract(doc))


def codes(r) -> list[tuple[str, str]]:
    return sorted((f.code, f.severity) for f in r.warnings + r.info)


def test_a_complete_report_has_no_findings():
    r = record(ILACS_2019)
    assert len(r.judgements) == 4 and len(r.recommendations) == 2
    assert codes(r) == []


def test_a_missing_judgement_line_is_warned_with_page_and_nearest_text():
    r = record(ILACS_2019.replace("The experiences and progress of children who need help and protection\n"
                                  "Requires improvement to be good\n", ""))
    assert codes(r) == [("missing-judgement", "warning")]
    # the nearest text naming the area: its findings heading, on page 2 (the judgement table no longer names it)
    assert "HelpAndProtection" in r.warnings[0].message and r.warnings[0].page == 2


def test_a_judgement_the_report_says_was_not_made_is_info():
    r = record(ILACS_2019.replace("Requires improvement to be good\n", "Not judged\n"))
    assert codes(r) == [("missing-judgement", "info")]
    assert r.info[0].snippet == "The experiences and progress of children who need help and protection Not judged"


def test_no_lead_inspector_and_no_dates_are_warned():
    r = record(ILACS_2019.replace("Lead inspector: Margaret Example, Her Majesty's Inspector\n", "")
               .replace("Inspection dates: 7 October 2019 to 18 October 2019\n", ""))
    assert codes(r) == [("no-dates", "warning"), ("no-lead-inspector", "warning")]


def test_recommendations_heading_followed_by_prose_is_a_recognised_absence():
    text = ILACS_2019.replace("1. The quality of child protection plans.\n2. Management oversight of children in need.\n",
                              "There are a very small number of areas of variability in otherwise exceptional practice.\n"
                              "The experiences and progress of children who need help and protection: outstanding\n")
    assert codes(record(text)) == [("no-recommendations", "info")]


def test_a_report_saying_it_makes_no_recommendations_where_they_would_be_is_info():
    text = ILACS_2019.replace("1. The quality of child protection plans.\n2. Management oversight of children in need.\n",
                              "There are no recommendations.\n")
    assert codes(record(text)) == [("no-recommendations", "info")]
    # the same words elsewhere do not excuse a list the parser missed
    text = ILACS_2019.replace("1. The quality", "The quality").replace("2. Management", "Management").replace(
        "Overall effectiveness Good\n", "Overall effectiveness Good\nThe last inspection made no recommendations.\n")
    assert codes(record(text)) == [("no-recommendations", "warning")]


def test_recommendations_lost_are_warned():
    text = ILACS_2019.replace("1. The quality", "The quality").replace("2. Management", "Management")
    r = record(text)
    assert codes(r) == [("no-recommendations", "warning")]
    assert (r.warnings[0].page, r.warnings[0].snippet) == (1, "What needs to improve?")


def test_unreadable_names_after_a_role_label_are_warned():
    r = record(ILACS_2019.replace("Overall effectiveness Good\n", "Overall effectiveness Good\nTeam inspectors: 42\n"))
    assert codes(r) == [("unparsed-team-line", "warning")]


def test_an_authority_taken_from_the_folder_is_warned():
    r = record(ILACS_2019.replace("Nottinghamshire County Council\n", ""), "80534_nottinghamshire/report.txt")
    assert r.authority.name == "Nottinghamshire"
    assert codes(r) == [("unresolved-authority", "warning")]


def test_a_recommendation_without_a_theme_is_warned():
    r = record(ILACS_2019.replace("2. Management oversight of children in need.", "2. Xyzzy plugh."))
    assert [(f.code, f.snippet) for f in r.warnings] == [("untagged-recommendation", "Xyzzy plugh.")]


def test_board_governance_and_annual_reporting_recommendations_get_a_theme():
    from kg.thesaurus import themes_of
    assert "safeguarding-partnership" in themes_of(
        "The Board should scrutinise all areas of service delivery as required by statutory guidance.")
    assert "safeguarding-partnership" in themes_of(
        "Ensure that the annual report provides a rigorous assessment of the performance of local services.")


def test_expectations_name_known_kinds_roles_and_areas():
    areas, roles = set(labels("areas.ttl").values()), set(labels("roles.ttl").values())
    rows = list(csv.DictReader((DATA_DIR / "expectations.csv").open(encoding="utf-8")))
    assert {row["kind"] for row in rows} == set(KINDS)
    for e in expectations():
        if e.expects.startswith("judgement"):
            assert e.value in areas
        if e.expects == "role":
            assert set(e.value.split("|")) <= roles


def test_findings_are_in_the_graph_valid_and_listed_by_the_incomplete_reports_query():
    from kg.rdf import Mapper, vocabulary_graph
    from kg.validate import validate_graph
    import pyoxigraph as ox

    r = record(ILACS_2019.replace("Overall effectiveness Good\n", ""), "notts.txt")
    graph = vocabulary_graph()
    Mapper().add(graph, r)
    graph += Mapper().inspector_names([r])
    report = validate_graph(graph)
    assert report.conforms, report
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
    rows = [[t.value if t is not None else None for t in row]
            for row in store.query((QUERIES_DIR / "incomplete-reports.rq").read_text())]
    assert rows == [["notts.txt", "missing-judgement", "1", "no OverallEffectiveness judgement found "
                     "(no overall effectiveness judgement from April 2026)",
                     "The impact of leaders on social work practice with children and families Good"]]


def test_spelling_variants_are_candidates_until_the_curated_alias_file_merges_them():
    from kg.names import person_key, possible_same_person
    from kg.records import Authority, ReportRecord, Role

    authority = Authority("80449", "Bradford", "380", "E08000032", "")

    def led_by(name, file):
        return ReportRecord(file, "0" * 64, 1, "ILACSInspection", authority, roles=[Role(name, "LeadInspector", 1, "")])

    found = possible_same_person([led_by("Jo Smyth", "a.pdf"), led_by("Jo Smythe", "b.pdf")])
    assert [(f.code, f.severity, f.snippet) for f in found] == [("possible-same-person", "info", "Jo Smyth / Jo Smythe")]
    # Nick Stacy (Lincolnshire 2015, p.48) is Nick Stacey: merged through ontology/data/inspector_aliases.csv
    assert person_key("Nick Stacy") == person_key("Nick Stacey") == "nicholas-stacey"
    assert possible_same_person([led_by("Nick Stacy", "a.pdf"), led_by("Nick Stacey", "b.pdf")]) == []


def test_an_accented_name_has_its_ascii_folded_alternate_name_in_the_graph():
    from rdflib import Literal
    from kg.rdf import SCHEMA, Mapper

    r = record(ILACS_2019.replace("Margaret Example", "Zoë D'Souza"))
    names = Mapper().inspector_names([r])
    assert {str(o) for o in names.objects(None, SCHEMA.name)} == {"Zoë D'Souza"}
    assert set(names.objects(None, SCHEMA.alternateName)) == {Literal("Zoe D'Souza")}


SIF = """Dudley Metropolitan Borough Council
Inspection of services for children in need of help and protection, children looked after and care leavers
Inspection dates: 11 January 2016 - 4 February 2016
Children's services in Dudley are inadequate
1. Children who need help and protection Inadequate
2. Children looked after and achieving permanence Requires improvement
2.1 Adoption performance Good
2.2 Experiences and progress of care leavers Requires improvement
3. Leadership, management and governance Inadequate
Recommendations
1. Improve the quality of assessments.
\f
The experiences and progress of children who need help and protection
Thresholds are not understood.
The experiences and progress of children looked after and achieving permanence
Plans drift.
The graded judgement for adoption performance is good
Adopters are found quickly.
The graded judgement about the experiences and progress of care leavers
Pathway plans are weak.
Leadership, management and governance
Leaders are new.
The Local Safeguarding Children Board
The Local Safeguarding Children Board is inadequate
The inspection team
Lead inspector: Peter Example
Team inspectors: Ann Example, Bob Example
"""


def test_the_lscb_judgement_is_expected_only_when_the_report_has_its_section():
    assert codes(record(SIF)) == []
    assert codes(record(SIF.replace("The Local Safeguarding Children Board is inadequate\n", ""))) == [
        ("missing-judgement", "warning")]
    no_review = SIF.replace("The Local Safeguarding Children Board\nThe Local Safeguarding Children Board is inadequate\n", "")
    assert codes(record(no_review)) == []


def test_findings_sections_follow_headings_as_reports_lay_them_out():
    """Theme mentions are counted under the section a heading opens (kg:underJudgement links them
    to that judgement). Headings as 2014-2019 reports print them: wrapped onto a second line, with
    the grade after them, "judgment" spelt without an e; the front page's judgement table and the
    contents page (entries wrapped too) name the same areas and open no section."""
    from kg.extract.common import sections

    lines = [(1, "Children's services in Aston"),
             (1, "The experiences and progress of children in care and"), (1, "care leavers Inadequate"),
             (1, "Leadership, management and governance Inadequate"),
             (2, "Contents"),
             (2, "The experiences and progress of children who need help and"), (2, "protection 10"),
             (2, "Leadership, management and governance 32"),
             (3, "Summary text."),
             (10, "The experiences and progress of"), (10, "children who need help and protection Inadequate"),
             (10, "Help text ending in a number 12."),
             (20, "The experiences and progress of children in care and care"), (20, "leavers is: inadequate"),
             (20, "Care text."),
             (25, "The graded judgment for adoption performance is that it requires"), (25, "improvement"),
             (26, "Leadership, management and"), (26, "governance Requires improvement"), (26, "Leaders text."),
             (30, "Leadership, management and governance are good"), (30, "More leaders text."),
             (31, "The effectiveness of the LSCB requires improvement"), (31, "Board text."),
             (35, "The effectiveness of the Local Safeguarding Children Board (LSCB)"), (35, "requires improvement."),
             (36, "Local Safeguarding Children Board (LSCB)"), (36, "More board text."),
             (40, "Information about this inspection"), (40, "Team.")]
    found = [(s.area, s.lines[0][0], [t for _, t in s.lines]) for s in sections(lines)]
    assert [(area, page) for area, page, _ in found] == [
        (None, 1), ("HelpAndProtection", 10), ("ChildrenInCareAndCareLeavers", 20), ("AdoptionPerformance", 25),
        ("LeadershipManagementGovernance", 26), ("LeadershipManagementGovernance", 30), ("LSCBEffectiveness", 31),
        ("LSCBEffectiveness", 36), (None, 40)]  # (the heading on page 35 opens a section with no text)
    assert "protection 10" in found[0][2] and "Summary text." in found[0][2]  # contents and summary: no area
    assert found[1][2] == ["Help text ending in a number 12."] and found[2][2] == ["Care text."]
    assert found[3][2] == ["improvement"]  # the heading's third line stays in its section
    assert found[6][2] == ["Board text."] and found[7][2] == ["More board text."]  # both LSCB headings read

    # a review of one area (the LSCB's) has no heading for it: its text is under that area
    assert [s.area for s in sections(lines[:4], opening_area="LSCBEffectiveness")] == ["LSCBEffectiveness"]


def test_a_judgement_whose_findings_section_is_not_found_is_warned():
    """Right or warned: a judged area whose findings heading the extractor did not find leaves its
    theme mentions out of kg:underJudgement; the build says so, with the judgement's page and quote."""
    from pathlib import Path

    from kg.extract.audit import audit
    from kg.readers import read

    path = Path(__file__).resolve().parents[1] / "seeds" / "000_284825235fdca148.txt"
    record = extract(read(path))
    assert not [f for f in record.warnings if f.code == "no-findings-section"]
    record.sections = [s for s in record.sections if s.area != "HelpAndProtection"]
    record.warnings = []
    found = [f for f in audit(record, []).warnings if f.code == "no-findings-section"]
    judgement = next(j for j in record.judgements if j.area == "HelpAndProtection")
    assert [(f.message.split(":")[0], f.page, f.snippet) for f in found] == [
        ("no findings section found for the HelpAndProtection judgement", judgement.page, judgement.evidence)]


def test_a_quote_too_long_for_a_finding_is_cut_at_a_word_and_marked():
    """Found by a tester: a warning's quote ended mid-word ("...what they are accoun"), unmarked."""
    from kg.records import SNIPPET_CHARS, _cut

    text = ("Devolved decision-making should be supported by clear written accountabilities and "
            "responsibilities so that staff and managers at all levels within children's social care "
            "understand their respective responsibilities and what they are accountable for.")
    cut = _cut(text, SNIPPET_CHARS)
    assert len(text) > SNIPPET_CHARS >= len(cut) and cut.endswith("what they are…")
    assert text.startswith(cut[:-1])  # still the report's words, verbatim, up to the mark
    assert _cut("x" * 300, SNIPPET_CHARS) == "x" * (SNIPPET_CHARS - 1) + "…"  # no space to cut at
    assert _cut(text[:SNIPPET_CHARS], SNIPPET_CHARS) == text[:SNIPPET_CHARS]  # what fits stays whole
