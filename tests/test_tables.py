"""`kg table` and kg.open(): analysts' tables from the fixture graph, as CSV, JSON and Excel."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest

import kg
from fixturegraph import write_fixture_graph
from kg.analysis.tables import TABLES, table
from kg.cli import main

PEER_CSV = Path(__file__).resolve().parents[2] / "shared" / "reference" / "peer_ilacs_history_dev.csv"
PEER_COLUMNS = ["urn", "local_authority", "inspection_link", "pdf_filename", "publication_date",
                "inspection_framework", "inspector_name", "inspection_start_date", "inspection_end_date",
                "overall_effectiveness_grade", "impact_of_leaders_grade", "help_and_protection_grade",
                "in_care_grade", "care_leavers_grade", "parser_version"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return write_fixture_graph(tmp_path_factory.mktemp("tables")).parent


@pytest.fixture(scope="module")
def graph(out):
    return kg.open(out)


def test_inspections_one_row_per_inspection_or_visit_with_every_judgement(graph):
    rows = {(r["authority"], r["start"]): r for r in table(graph, "inspections").dicts()}
    assert len(rows) == 7
    sif = rows[("Aston", date(2015, 3, 2))]
    assert (sif["urn"], sif["dfeCode"], sif["gssCode"], sif["framework"], sif["published"]) == (
        "800001", "901", "E06000901", "SIF", date(2015, 5, 1))
    assert (sif["overallEffectiveness"], sif["adoptionPerformance"], sif["lscbEffectiveness"]) == (
        "Inadequate", "Good", "Requires improvement to be good")
    assert (sif["leadInspector"], sif["teamSize"], sif["recommendations"], sif["lscbRecommendations"]) == (
        "Ann Reed", 2, 2, 1)  # the quality assurance manager is not counted in the team
    assert (sif["sourceFile"], sif["sha256"]) == ("reports/800001_aston/sif 2015.pdf", "a015")
    split = rows[("Aston", date(2018, 10, 1))]
    assert split["onSitePeriods"] == "2018-10-01/2018-10-05; 2018-10-15/2018-10-19"
    assert split["childrenInCareAndCareLeavers"] == "Good" and split["childrenInCare"] is None
    visit = rows[("Aston", date(2016, 6, 1))]
    assert (visit["kind"], visit["overallEffectiveness"], visit["teamSize"]) == ("Monitoring visit", None, 1)
    legacy = rows[("Aston", date(2013, 1, 14))]
    assert (legacy["framework"], legacy["capacityToImprove"], legacy["outcomesForLookedAfterChildren"]) == (
        "2012-13", "Adequate", "Good")


def test_judgements_inspectors_recommendations_themes(graph):
    judgements = table(graph, "judgements").dicts()
    assert len(judgements) == 28
    assert {"authority": "Brent", "area": "Care leavers", "grade": "Outstanding", "rank": 1, "page": 1} .items() <= next(
        j for j in judgements if j["authority"] == "Brent" and j["area"] == "Care leavers").items()
    inspectors = {(r["inspector"], r["role"]): (r["inspections"], r["where"]) for r in table(graph, "inspectors").dicts()}
    assert inspectors[("Bob Stone", "Team inspector")] == (2, "Aston, Brent")
    assert inspectors[("Cara Lee", "Quality assurance manager")] == (1, "Aston")
    assert len(inspectors) == 7
    recommendations = table(graph, "recommendations").dicts()
    assert [(r["authority"], r["addressee"], r["order"], r["page"], r["themes"]) for r in recommendations][:3] == [
        ("Aston", "LSCB", 1, 31, "Private fostering"), ("Aston", "local authority", 1, 5, "Domestic abuse"),
        ("Aston", "local authority", 2, 5, "Care leavers")]
    themes = {r["theme"]: r for r in table(graph, "themes").dicts()}
    assert (themes["Domestic abuse"]["recommendations"], themes["Domestic abuse"]["authoritiesRecommended"],
            themes["Domestic abuse"]["mentions"]) == (3, 2, 7)
    assert themes["Adoption"]["recommendations"] is None and themes["Adoption"]["broader"]


def test_peer_columns_are_exactly_the_peer_tools(graph):
    rows = table(graph, "inspections", peer_columns=True)
    assert rows.columns == PEER_COLUMNS
    if PEER_CSV.is_file():
        with PEER_CSV.open(encoding="utf-8-sig") as fh:
            assert next(csv.reader(fh)) == rows.columns
    by_file = {r["pdf_filename"]: r for r in rows.dicts()}
    assert len(by_file) == 6  # full inspections only: the visit is not in the peer's scope
    assert by_file["ilacs 2026.pdf"] | {} == {
        "urn": "800001", "local_authority": "aston", "inspection_link": None, "pdf_filename": "ilacs 2026.pdf",
        "publication_date": None, "inspection_framework": "short", "inspector_name": "Dee Park",
        "inspection_start_date": "04/05/2026", "inspection_end_date": "08/05/2026",
        "overall_effectiveness_grade": "not_reported_post_reform", "impact_of_leaders_grade": "outstanding",
        "help_and_protection_grade": "good", "in_care_grade": "good", "care_leavers_grade": "outstanding",
        "parser_version": f"kg {kg.__version__}"}
    assert by_file["ilacs 2018.pdf"]["care_leavers_grade"] == "inspection_pre_dates_judgement"
    assert by_file["ilacs 2018.pdf"]["inspection_framework"] == "inspection duration longer than standard framework"
    assert by_file["ilacs 2019.pdf"]["overall_effectiveness_grade"] == "requires improvement"
    # pre-2018 reports are covered, aligned through the SKOS mappings
    assert [by_file["sif 2015.pdf"][c] for c in PEER_COLUMNS[4:7] + PEER_COLUMNS[9:14]] == [
        "01/05/15", None, "Ann Reed", "inadequate", "inadequate", "inadequate", "requires improvement",
        "requires improvement"]
    assert [by_file["lac 2013.pdf"][c] for c in PEER_COLUMNS[9:14]] == [
        "adequate", "inadequate", "inspection_pre_dates_judgement", "good", "inspection_pre_dates_judgement"]


def test_cli_csv_to_stdout(out, capsys):
    assert main(["table", "inspections", "--peer-columns", "-g", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 6 and rows[0]["inspection_link"] == "" and rows[0]["urn"] == "800001"


def test_cli_json_file(out, tmp_path, capsys):
    target = tmp_path / "judgements.json"
    assert main(["table", "judgements", "-g", str(out / "graph.ttl"), "-o", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data) == 28 and data[0]["start"] == "2013-01-14"


def test_xlsx_one_sheet_per_table_frozen_filtered_dated(out, tmp_path, capsys):
    target = tmp_path / "all.xlsx"
    assert main(["table", "all", "-g", str(out), "-o", str(target)]) == 0
    from openpyxl import load_workbook

    book = load_workbook(target)
    assert book.sheetnames == list(TABLES)
    sheet = book["inspections"]
    assert sheet.max_row == 8 and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}8"
    header = [c.value for c in sheet[1]]
    start = sheet.cell(2, header.index("start") + 1)
    assert start.value == datetime(2013, 1, 14) and start.number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width >= len("authority") and sheet[1][0].font.bold


def test_xlsx_keeps_text_that_starts_with_an_equals_sign_as_text(tmp_path):
    from openpyxl import load_workbook

    from kg.analysis.tables import Rows, write_xlsx

    quote = '=HYPERLINK("http://example.org","x") Ensure that thresholds are applied'
    write_xlsx(tmp_path / "t.xlsx", {"recommendations": Rows(["text", "n"], [(quote, 1), ("=1+2", 2)])})
    cells = [row[0] for row in load_workbook(tmp_path / "t.xlsx")["recommendations"].iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [(quote, "s"), ("=1+2", "s")]


@pytest.mark.parametrize("argv, message", [
    (["table", "judgements", "--peer-columns"], "--peer-columns applies to the inspections table only"),
    (["table", "inspections", "-f", "xlsx"], "-f xlsx needs an output file"),
    (["table", "all"], "CSV holds one table"),
])
def test_cli_usage_errors_are_one_line(out, capsys, argv, message):
    assert main(argv + ["-g", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_missing_graph(tmp_path, capsys):
    assert main(["table", "inspections", "-g", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: no such file (run 'kg build' first?)" in capsys.readouterr().err
    (tmp_path / "store").mkdir()  # a folder that exists: said as every other command says it
    assert main(["table", "inspections", "-g", str(tmp_path / "store")]) == 2
    assert "store: is a folder with no graph.ttl in it, not a graph file" in capsys.readouterr().err


def test_open_table_is_a_dataframe(graph):
    pd = pytest.importorskip("pandas")
    frame = graph.table("grades-by-lead-inspector")
    assert isinstance(frame, pd.DataFrame)
    assert frame.set_index("lead").loc["Ann Reed", "inspections"] == 3


@pytest.mark.slow
def test_peer_columns_on_the_dev_corpus_agree_with_the_peer(tmp_path_factory):
    from conftest import corpus_or_skip
    from kg.build import build

    corpus = corpus_or_skip()
    out = tmp_path_factory.mktemp("peer-corpus")
    build([corpus], out)
    ours = {(r["urn"], r["pdf_filename"]): r for r in table(kg.open(out), "inspections", peer_columns=True).dicts()}
    with PEER_CSV.open(encoding="utf-8-sig") as fh:
        peer = list(csv.DictReader(fh))
    assert len(ours) == 156 and len(peer) == 157
    dated = [(r, ours[(r["urn"], r["pdf_filename"])]) for r in peer if r["inspection_start_date"]]
    assert len(dated) == 98
    assert all(p["inspection_start_date"] == k["inspection_start_date"] for p, k in dated)
    graded = [(p, k) for p, k in dated if p["overall_effectiveness_grade"] not in ("", "data_unreadable")]
    assert len(graded) == 97 and all(p["overall_effectiveness_grade"] == k["overall_effectiveness_grade"] for p, k in graded)
    # pre-2018 reports the peer could not read are covered
    unread = [ours[(r["urn"], r["pdf_filename"])] for r in peer
              if not r["inspection_start_date"] and (r["urn"], r["pdf_filename"]) in ours]
    assert sum(1 for k in unread if k["overall_effectiveness_grade"] not in (None, "inspection_pre_dates_judgement")) >= 56
