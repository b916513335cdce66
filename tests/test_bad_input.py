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


@pytest.fixture(scope="module")
def mixed_build(mixed_folder, tmp_path_factory):
    """The mixed folder built once (output folder with its cache): later builds of it are cached."""
    out = tmp_path_factory.mktemp("mixed-out") / "out"
    return build([mixed_folder[0]], out), out


@pytest.mark.parametrize("name, error", [
    ("empty.pdf", errors.EmptyFile), ("truncated.pdf", errors.DamagedPdf),
    ("encrypted.pdf", errors.EncryptedPdf), ("scanned.pdf", errors.NoTextLayer),
    ("latin1.txt", errors.UndecodableText), ("error-page.pdf", errors.NotAPdf),
    ("notes.docx", errors.UnsupportedFormat), ("note.html", errors.NotAnOfstedReport)])
def test_reader_raises_a_typed_error_naming_the_file(mixed_folder, name, error):
    folder, _ = mixed_folder
    with pytest.raises(error) as caught:
        read(folder / name, display=name)
    assert str(caught.value).startswith(f"{name}: ")


@pytest.mark.parametrize("name, error", [("encrypted.pdf", errors.EncryptedPdf), ("truncated.pdf", errors.DamagedPdf)])
def test_the_pdfplumber_reader_gives_the_same_reasons(mixed_folder, name, error):
    folder, _ = mixed_folder
    with pytest.raises(error) as caught:
        read(folder / name, display=name, reader="pdfplumber")
    assert not str(caught.value).endswith((": )", ": "))  # a reason, not an empty one


def test_every_bad_file_gets_one_specific_error_and_good_files_still_build(mixed_folder, mixed_build):
    folder, expected = mixed_folder
    result, out = mixed_build
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
    report = json.loads((out / "build-report.json").read_text())
    assert report["summary"]["failed"] == len(expected) - 1
    assert not any(f["source_file"].endswith("budget.pdf") for f in report["files"] if f["kind"])


def test_no_partial_inspection_of_a_failed_file(mixed_build):
    result, _ = mixed_build
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


def test_exit_codes(mixed_folder, mixed_build, tmp_path, capsys):
    folder, _ = mixed_folder
    out = tmp_path / "a"
    shutil.copytree(mixed_build[1], out)
    assert main(["build", str(folder), "-o", str(out), "-q"]) == 0
    assert main(["build", str(folder), "-o", str(out), "-q", "--strict"]) == 3
    assert main(["build", str(tmp_path / "missing"), "-o", str(tmp_path / "c")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_build_report_lists_errors_on_the_console(mixed_folder, tmp_path, capsys):
    folder, _ = mixed_folder
    main(["build", str(folder), "-o", str(tmp_path / "out")])  # a first build, not from the cache
    out = capsys.readouterr().out
    assert "ERROR   inputs0/encrypted.pdf: PDF is encrypted (password protected)" in out.replace(folder.name, "inputs0")
    assert "Built 2 of 10 files" in out


def test_a_named_file_of_unsupported_type_is_reported(mixed_folder, tmp_path):
    folder, _ = mixed_folder
    result = build([folder / "notes.docx"], tmp_path / "out")
    assert result.files[0].error == "notes.docx: unsupported file type ('.docx' is neither PDF nor text)"


def test_a_zero_page_pdf_says_so(tmp_path):
    from pypdf import PdfWriter

    path = tmp_path / "blank.pdf"
    with path.open("wb") as handle:
        PdfWriter().write(handle)
    with pytest.raises(errors.NoPages) as caught:
        read(path, display="blank.pdf")
    assert str(caught.value) == "blank.pdf: PDF has no pages"


def test_unreadable_entries_are_reported_not_skipped(tmp_path, monkeypatch):
    import os

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SEEDS / "003_4132d220367c3fd2.txt", folder)
    (folder / "locked" / "hidden.txt").write_text("x")
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    os.mkfifo(folder / "pipe.pdf")
    real_scandir = os.scandir

    def scandir(path):  # chmod means nothing to root: deny the folder as the kernel would
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    result = build([folder], tmp_path / "out")
    assert sorted(f.error for f in result.errors) == [
        "in/gone.pdf: cannot be read (dangling symbolic link)",
        "in/locked/: cannot read folder (Permission denied)",
        "in/pipe.pdf: cannot be read (not a regular file)"]
    assert [r.authority.name for r in result.records] == ["Walsall"]


def test_an_unreadable_file_is_one_error_line(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "003_4132d220367c3fd2.txt", folder / "a.txt")
    shutil.copy(SEEDS / "000_284825235fdca148.txt", folder / "b.txt")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert main(["build", str(folder), "-o", str(tmp_path / "out"), "--strict"]) == 3
    out = capsys.readouterr().out
    assert "ERROR   in/b.txt: cannot be read (Permission denied)" in out


def test_a_file_name_that_is_not_utf8_is_one_failed_input(tmp_path, capsys):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "003_4132d220367c3fd2.txt", folder / "walsall.txt")
    shutil.copy(SEEDS / "000_284825235fdca148.txt", os.fsdecode(bytes(folder) + b"/k\xe9.txt"))
    assert main(["build", str(folder), "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "ERROR   in/k\\xe9.txt: file name is not valid UTF-8 (rename the file or its folder)" in out
    assert "Built 1 of 2 files" in out and (tmp_path / "out" / "graph.ttl").exists()


def test_paths_that_are_not_utf8_are_shown_with_byte_escapes_in_errors(tmp_path, capsys):
    import os

    missing, empty = os.fsdecode(bytes(tmp_path) + b"/miss\xe9.pdf"), os.fsdecode(bytes(tmp_path) + b"/empt\xff")
    os.mkdir(empty)
    assert main(["build", missing, "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"kg: error: {tmp_path}/miss\\xe9.pdf: no such file or folder\n"
    assert main(["build", empty, "-o", str(tmp_path / "out")]) == 3
    assert capsys.readouterr().err.startswith(f"kg: error: nothing to build from {tmp_path}/empt\\xff (no PDF")
    graph = os.fsdecode(bytes(tmp_path) + b"/gr\xe9ph.ttl")  # every command that reads a graph
    for argv in (["validate", graph], ["query", "shared-inspectors", "-g", graph], ["export", "-g", graph]):
        assert main(argv) == 2
        assert capsys.readouterr().err == f"kg: error: {tmp_path}/gr\\xe9ph.ttl: no such file (run 'kg build' first?)\n"
    with pytest.raises(SystemExit):
        main(["validate", graph, "--n\udce9"])  # an unknown option, not UTF-8 either
    assert capsys.readouterr().err == "kg: error: unrecognized arguments: --n\\xe9 (see kg --help)\n"


def test_folders_reached_again_through_symbolic_links_are_walked_once(tmp_path):
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    shutil.copy(SEEDS / "003_4132d220367c3fd2.txt", folder / "a")
    (folder / "a" / "up").symlink_to("..")  # a loop: in/a/up/a/up/... (two loops never ended)
    (folder / "again").symlink_to("a")  # another way to the same folder
    (folder / "a" / "self.pdf").symlink_to("self.pdf")  # a link to itself: an input that cannot be read
    result = build([folder], tmp_path / "out")
    assert [f.source_file for f in result.files] == ["in/a/003_4132d220367c3fd2.txt", "in/a/self.pdf"]
    assert [f.error for f in result.errors] == ["in/a/self.pdf: cannot be read (Too many levels of symbolic links)"]
    assert not result.findings
