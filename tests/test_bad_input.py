"""Bad input: one clear error per file naming it and the reason; the rest still built."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from kg import errors
from kg.build import build
from kg.cli import main
from kg.readers import read

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_inputs import MINI_ILACS, text_pdf, write_bad_inputs  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    expected = write_bad_inputs(folder)
    (folder / "mini-ilacs.pdf").write_bytes(text_pdf(MINI_ILACS))
    shutil.copy(SEEDS / "003_4132d220367c3fd2.txt", folder)
    return folder, expected


@pytest.mark.parametrize("name, error", [
    ("empty.pdf", errors.EmptyFile), ("truncated.pdf", errors.DamagedPdf),
    ("encrypted.pdf", errors.EncryptedPdf), ("scanned.pdf", errors.NoTextLayer),
    ("latin1.txt", errors.UndecodableText), ("error-page.pdf", errors.NotAPdf),
    ("notes.docx", errors.UnsupportedFormat)])
def test_reader_raises_a_typed_error_naming_the_file(mixed_folder, name, error):
    folder, _ = mixed_folder
    with pytest.raises(error) as caught:
        read(folder / name, display=name)
    assert str(caught.value).startswith(f"{name}: ")


def test_every_bad_file_gets_one_specific_error_and_good_files_still_build(mixed_folder, tmp_path):
    folder, expected = mixed_folder
    result = build([folder], tmp_path / "out")
    by_name = {Path(f.source_file).name: f for f in result.files}
    assert "notes.docx" not in by_name  # folders are searched for PDF and text files only
    for name, reason in expected.items():
        if name == "notes.docx":
            continue
        assert by_name[name].error is not None, name
        assert name in by_name[name].error and reason in by_name[name].error
    assert by_name["budget.pdf"].error.endswith("on its first page)")
    built = sorted((r.kind, r.authority.name) for r in result.records)
    assert built == [("ILACSInspection", "Rutland"), ("SIFInspection", "Walsall")]
    assert result.validation.conforms
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    assert report["summary"]["failed"] == len(expected) - 1
    assert not any(f["source_file"].endswith("budget.pdf") for f in report["files"] if f["kind"])


def test_no_partial_inspection_of_a_failed_file(mixed_folder, tmp_path):
    folder, _ = mixed_folder
    result = build([folder], tmp_path / "out")
    files = {r.source_file for r in result.records}
    assert not any(name.endswith(("truncated.pdf", "encrypted.pdf")) for name in files)
    assert b"truncated.pdf" not in result.turtle and b"encrypted.pdf" not in result.turtle


def test_mini_ilacs_pdf_facts(mixed_folder, tmp_path):
    folder, _ = mixed_folder
    record = next(r for r in build([folder / "mini-ilacs.pdf"], None).records)
    assert record.grade_of("ChildrenInCare") == "RequiresImprovement"
    assert record.grade_of("OverallEffectiveness") == "Good"
    assert [(r.name, r.role) for r in record.roles] == [("Jane Example", "LeadInspector")]
    assert (record.start.isoformat(), record.end.isoformat()) == ("2025-03-03", "2025-03-14")


def test_exit_codes(mixed_folder, tmp_path, capsys):
    folder, _ = mixed_folder
    assert main(["build", str(folder), "-o", str(tmp_path / "a"), "-q"]) == 0
    assert main(["build", str(folder), "-o", str(tmp_path / "b"), "-q", "--strict"]) == 3
    assert main(["build", str(tmp_path / "missing"), "-o", str(tmp_path / "c")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_build_report_lists_errors_on_the_console(mixed_folder, tmp_path, capsys):
    folder, _ = mixed_folder
    main(["build", str(folder), "-o", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert "ERROR   inputs0/encrypted.pdf: PDF is encrypted (password protected)" in out.replace(folder.name, "inputs0")
    assert "Built 2 of 9 files" in out


def test_a_named_file_of_unsupported_type_is_reported(mixed_folder, tmp_path):
    folder, _ = mixed_folder
    result = build([folder / "notes.docx"], tmp_path / "out")
    assert result.files[0].error == "notes.docx: unsupported file type ('.docx' is neither PDF nor text)"
