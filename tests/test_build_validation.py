"""The assembled graph is validated as a whole: one report per inspection, duplicates named,
and SHACL on the nodes several records share."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from kg.build import build
from kg.build.assemble import validate_shared
from kg.cli import main
from kg.exitcodes import ExitCode
from kg.validate import validate_file

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_inputs import MINI_ILACS, text_pdf  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
REPORT = b"<https://w3id.org/ofsted-kg/id/report/rutland-2025-03-03>"


def pdf_and_text_of_one_inspection(folder: Path) -> Path:
    folder.mkdir()
    (folder / "rutland.pdf").write_bytes(text_pdf(MINI_ILACS))
    (folder / "rutland.txt").write_text("\n".join(MINI_ILACS), encoding="utf-8")
    return folder


def test_the_same_inspection_from_two_files_is_one_report_and_a_warning(tmp_path, capsys):
    folder = pdf_and_text_of_one_inspection(tmp_path / "in")
    out = tmp_path / "out"
    code = main(["build", str(folder), "-o", str(out), "--strict"])
    printed = capsys.readouterr().out
    assert code == ExitCode.WARNINGS
    assert ("WARNING in/rutland.txt: [duplicate-report] in/rutland.txt is the same inspection as "
            "in/rutland.pdf; built once, from in/rutland.pdf") in printed
    # the fixture's page 1 has no recommendations: each file also carries that extraction warning
    assert "3 warnings in 2 files, see " in printed and "Built 1 of 2 files" in printed
    graph = (out / "graph.ttl").read_bytes()
    assert graph.count(b'kg:sourceFile "in/rutland.pdf"') == 1 and b'"in/rutland.txt"' not in graph
    assert validate_file(out / "graph.ttl").conforms
    files = {f["source_file"]: f for f in json.loads((out / "build-report.json").read_text())["files"]}
    assert files["in/rutland.txt"]["duplicate"]
    assert [w["code"] for w in files["in/rutland.txt"]["warnings"]] == ["no-recommendations", "duplicate-report"]
    assert [w["code"] for w in files["in/rutland.pdf"]["warnings"]] == ["no-recommendations"]


def test_the_same_bytes_twice_are_built_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "003_4132d220367c3fd2.txt", folder / "a.txt")
    shutil.copy(SEEDS / "003_4132d220367c3fd2.txt", folder / "b.txt")
    result = build([folder], tmp_path / "out")
    assert [r.source_file for r in result.records] == ["in/a.txt"]
    (finding,) = result.warnings
    assert finding.file == "in/b.txt" and "the same bytes as in/a.txt" in finding.message
    assert result.validation.conforms


def test_a_node_two_records_describe_differently_is_a_violation():
    authority = "<https://w3id.org/ofsted-kg/id/authority/walsall>"
    def record(code: str, n: int) -> str:
        return "".join(sorted([
            f'{authority} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ofsted-kg/def#LocalAuthority> .\n',
            f'{authority} <http://www.w3.org/2000/01/rdf-schema#label> "Walsall" .\n',
            f'{authority} <https://schema.org/name> "Walsall" .\n',
            f'{authority} <https://w3id.org/ofsted-kg/def#urn> "80560" .\n',
            f'{authority} <https://w3id.org/ofsted-kg/def#gssCode> "E08000030" .\n',
            f'{authority} <https://w3id.org/ofsted-kg/def#laCode> "{code}" .\n',
            f'<https://w3id.org/ofsted-kg/id/inspection/x-{n}> <https://w3id.org/ofsted-kg/def#inspectionOf> {authority} .\n']))
    assert validate_shared([record("335", 1), record("335", 2)], "").conforms
    report = validate_shared([record("335", 1), record("336", 2)], "")
    assert [(v.focus, v.path.rsplit("#", 1)[-1]) for v in report.results] == [(authority[1:-1], "laCode")]
