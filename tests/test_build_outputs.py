"""The build's outputs: written whole or not at all, never replaced by a bad or empty build,
one line and a documented exit code when the output folder cannot be written."""
from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.build.write import store_is_current
from kg.cli import main
from kg.exitcodes import ExitCode
from kg.outputs import OutputDir

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_inputs import write_bad_inputs  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def two_seeds(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or ("000_284825235fdca148.txt", "003_4132d220367c3fd2.txt"):
        shutil.copy(SEEDS / name, folder)
    return folder


def test_empty_input_leaves_a_good_graph_untouched(tmp_path, capsys):
    out = OutputDir(tmp_path / "out")
    assert main(["build", str(two_seeds(tmp_path / "good")), "-o", str(out.root), "-q"]) == ExitCode.OK
    before = {p: p.read_bytes() for p in (out.graph, out.report, out.store_stamp)}
    (tmp_path / "empty").mkdir()
    for strict in ([], ["--strict"]):
        assert main(["build", str(tmp_path / "empty"), "-o", str(out.root), "-q", *strict]) == ExitCode.INPUT_FAILED
        err = capsys.readouterr().err
        assert "nothing to build from" in err and "no PDF or text files found" in err and str(out.graph) in err
    assert {p: p.read_bytes() for p in before} == before


def test_only_bad_inputs_leave_a_good_graph_untouched(tmp_path, capsys):
    out = OutputDir(tmp_path / "out")
    main(["build", str(two_seeds(tmp_path / "good")), "-o", str(out.root), "-q"])
    graph = out.graph.read_bytes()
    bad = tmp_path / "bad"
    expected = write_bad_inputs(bad)
    (bad / "notes.docx").unlink()
    assert main(["build", str(bad), "-o", str(out.root), "-q"]) == ExitCode.INPUT_FAILED
    err = capsys.readouterr().err
    assert f"all {len(expected) - 1} input(s) failed" in err and f"{out.graph} left unchanged" in err
    assert out.graph.read_bytes() == graph
    # into a folder that did not exist: no graph, and no folder holding only the refusals' cache
    fresh = tmp_path / "fresh"
    assert main(["build", str(bad), "-o", str(fresh), "-q"]) == ExitCode.INPUT_FAILED
    assert f"no graph written to {fresh}" in capsys.readouterr().err and not fresh.exists()


def test_a_build_killed_while_writing_leaves_the_previous_graph(tmp_path, monkeypatch, capsys):
    out = OutputDir(tmp_path / "out")
    main(["build", str(two_seeds(tmp_path / "a")), "-o", str(out.root), "-q"])
    graph = out.graph.read_bytes()

    def killed(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "fsync", killed)
    code = main(["build", str(two_seeds(tmp_path / "b", "004_d10c8fed4ddb3ab2.txt")), "-o", str(out.root), "-q"])
    assert code == ExitCode.INTERRUPTED
    assert "interrupted; previous outputs left intact" in capsys.readouterr().err
    assert out.graph.read_bytes() == graph
    assert not [p for p in out.root.rglob(".tmp-*")]


def test_an_output_folder_that_is_a_file_is_one_line_and_file_error(tmp_path, capsys):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    code = main(["build", str(two_seeds(tmp_path / "in")), "-o", str(blocker), "-q"])
    err = capsys.readouterr().err
    assert code == ExitCode.FILE_ERROR
    assert err.count("\n") == 1 and err.startswith("kg: error: ") and str(blocker) in err
    assert "Traceback" not in err


def test_a_folder_that_refuses_new_files_is_named_by_the_output_not_its_temporary_file(tmp_path, monkeypatch, capsys):
    """An output folder where no file can be created (chattr +i, or read-only for another user;
    root ignores chmod, so the refusal is simulated): the one line names graph.ttl and the store,
    never the temporary file or folder that stood in for them."""
    import tempfile

    out = OutputDir(tmp_path / "out")
    main(["build", str(two_seeds(tmp_path / "a")), "-o", str(out.root), "-q"])
    graph = out.graph.read_bytes()

    def refuse(*args, prefix="", dir=None, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", os.path.join(dir, prefix + "abcd1234"))

    for make in ("mkstemp", "mkdtemp"):
        with monkeypatch.context() as patch:
            patch.setattr(tempfile, make, refuse)
            code = main(["build", str(two_seeds(tmp_path / make, "004_d10c8fed4ddb3ab2.txt")), "-o", str(out.root),
                         "-q", "--no-cache"])
        err = capsys.readouterr().err
        target = out.graph if make == "mkstemp" else out.store
        assert code == ExitCode.FILE_ERROR and f"{target}: cannot write (Permission denied)" in err, err
        assert ".tmp-" not in err and len(err.strip().splitlines()) == 1
        if make == "mkstemp":  # graph.ttl is written first: when the store fails, the new graph stays
            assert out.graph.read_bytes() == graph


def test_a_full_disk_is_one_line_and_keeps_the_previous_graph(tmp_path, monkeypatch, capsys):
    out = OutputDir(tmp_path / "out")
    main(["build", str(two_seeds(tmp_path / "a")), "-o", str(out.root), "-q"])
    graph, stamp = out.graph.read_bytes(), out.store_stamp.read_bytes()
    triples = len(ox.Store.read_only(str(out.store)))
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: _Full(fd))
    code = main(["build", str(two_seeds(tmp_path / "b", "004_d10c8fed4ddb3ab2.txt")), "-o", str(out.root),
                 "-q", "--no-cache"])
    err = capsys.readouterr().err
    assert code == ExitCode.FILE_ERROR and "No space left on device" in err and "graph.ttl" in err
    assert out.graph.read_bytes() == graph
    # the new store, loaded while graph.ttl was being written, was discarded: the previous one
    # is in place, still stamped with the graph it holds, and no temporary folder is left
    assert out.store_stamp.read_bytes() == stamp and store_is_current(out)
    assert len(ox.Store.read_only(str(out.store))) == triples
    assert not [p.name for p in out.root.iterdir() if p.name.startswith((".tmp-", ".old-"))]


class _Full:
    """A file handle on a full disk."""

    def __init__(self, fd):
        self.fd = fd

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        os.close(self.fd)
        return False

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_the_store_is_written_beside_the_graph_and_stamped(tmp_path):
    out = OutputDir(tmp_path / "out")
    result = build([two_seeds(tmp_path / "in")], out.root)
    stamp = json.loads(out.store_stamp.read_text())
    stat = out.graph.stat()
    import hashlib
    assert stamp == {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                     "sha256": hashlib.sha256(out.graph.read_bytes()).hexdigest()}
    store = ox.Store.read_only(str(out.store))
    assert len(store) == result.triples
    dudley = ox.NamedNode("https://w3id.org/ofsted-kg/id/inspection/dudley-2016-01-11")
    assert list(store.quads_for_pattern(dudley, None, None))
    del store
    again = build([tmp_path / "in"], out.root)
    assert again.unchanged and json.loads(out.store_stamp.read_text()) == stamp


def test_a_missing_store_is_written_again_on_a_no_change_build(tmp_path):
    out = OutputDir(tmp_path / "out")
    first = build([two_seeds(tmp_path / "in")], out.root)
    shutil.rmtree(out.store)
    again = build([tmp_path / "in"], out.root)
    assert again.unchanged
    assert len(ox.Store.read_only(str(out.store))) == first.triples


def test_a_copied_folder_keeps_its_store_and_gets_its_stamp_back(tmp_path):
    """A copy that did not keep graph.ttl's time: the no-change build finds the store current by
    content, keeps it (not loaded again) and stamps it with the new time, so readers need not hash."""
    out = OutputDir(tmp_path / "out")
    build([two_seeds(tmp_path / "in")], out.root)
    later = out.graph.stat().st_mtime_ns + 5_000_000_000
    os.utime(out.graph, ns=(later, later))
    store_inode = out.store.stat().st_ino
    again = build([tmp_path / "in"], out.root)
    assert again.unchanged and again.store is None
    assert out.store.stat().st_ino == store_inode
    assert json.loads(out.store_stamp.read_text())["mtime_ns"] == later and store_is_current(out)


def store_triples(folder: Path) -> set[str]:
    store = ox.Store.read_only(str(folder))
    try:
        return {str(q.triple) for q in store.quads_for_pattern(None, None, None)}
    finally:
        del store


def test_the_store_is_updated_by_the_difference_and_equals_the_graph(tmp_path):
    out = OutputDir(tmp_path / "out")
    inputs = two_seeds(tmp_path / "in")
    assert build([inputs], out.root).store == "loaded"
    shutil.copy(SEEDS / "004_d10c8fed4ddb3ab2.txt", inputs)
    (inputs / "000_284825235fdca148.txt").unlink()
    result = build([inputs], out.root)
    assert result.store == "updated"
    graph = {str(t) for t in ox.parse(out.graph.read_bytes(), format=ox.RdfFormat.TURTLE)}
    assert store_triples(out.store) == graph and len(graph) == result.triples
    shutil.copy(SEEDS / "001_87759ed1007758fa.txt", inputs)  # a report added: its triples added
    assert build([inputs], out.root).store == "updated"
    assert store_triples(out.store) == {str(t) for t in ox.parse(out.graph.read_bytes(), format=ox.RdfFormat.TURTLE)}
    shutil.rmtree(out.cache / "entries")  # the triples of a report gone cannot be found: load it whole
    (inputs / "004_d10c8fed4ddb3ab2.txt").unlink()
    assert build([inputs], out.root).store == "loaded"
    assert store_triples(out.store) == {str(t) for t in ox.parse(out.graph.read_bytes(), format=ox.RdfFormat.TURTLE)}


def test_a_second_build_into_a_folder_being_built_stops_and_leaves_it_alone(tmp_path, capsys):
    import subprocess

    out = tmp_path / "out"
    build(None, out)
    before = {p: p.read_bytes() for p in (out / "graph.ttl", out / "build-report.json")}
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom kg.outputs import OutputDir\n"
                               "with OutputDir(sys.argv[1]).lock():\n    print('held', flush=True); time.sleep(60)",
                               str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"  # another process (a build) holds the folder
        assert main(["build", str(SEEDS / "003_4132d220367c3fd2.txt"), "-o", str(out)]) == ExitCode.FILE_ERROR
        assert capsys.readouterr().err == (f"kg: error: {out}: cannot write (another kg build is writing this "
                                           "folder; wait for it to finish, or build into another)\n")
    finally:
        holder.kill()
        holder.wait(10)
    assert {p: p.read_bytes() for p in before} == before
    assert build(None, out).unchanged  # the lock went with the process that held it


def test_an_output_path_through_a_file_or_not_utf8_is_one_line(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    assert main(["build", str(SEEDS / "003_4132d220367c3fd2.txt"), "-o", os.fsdecode(bytes(tmp_path) + b"/o\xff")]) == 2
    assert capsys.readouterr().err == f"kg: error: {tmp_path}/o\\xff: output folder path is not valid UTF-8 (give -o another)\n"
    built = tmp_path / "out"
    build(None, built)
    assert main(["table", "inspections", "-g", str(built), "-o", str(tmp_path / "afile" / "x.csv")]) == 5
    assert capsys.readouterr().err == f"kg: error: {tmp_path}/afile/x.csv: cannot write (Not a directory)\n"


def test_ctrl_c_while_the_outputs_are_written_completes_them_first(tmp_path, monkeypatch, capsys):
    import signal

    from kg.build import assemble

    out = tmp_path / "out"
    build([SEEDS / "003_4132d220367c3fd2.txt"], out)
    validate = assemble.validate_subgraph

    def interrupted(*args):  # Ctrl-C after graph.ttl is written, before build-report.json
        os.kill(os.getpid(), signal.SIGINT)
        return validate(*args)
    monkeypatch.setattr(assemble, "validate_subgraph", interrupted)
    assert main(["build", str(SEEDS), "-o", str(out), "-q"]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "kg: interrupted while writing the outputs: they were completed first and agree\n"
    report = json.loads((out / "build-report.json").read_text())
    assert report["summary"]["triples"] == len(list(ox.parse(path=str(out / "graph.ttl"))))
    assert report["summary"]["inputs"] == len(list(SEEDS.glob("*.txt")))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers put back
    fresh = tmp_path / "fresh"  # a new folder keeps what the interrupted build completed
    assert main(["build", str(SEEDS), "-o", str(fresh), "-q"]) == ExitCode.INTERRUPTED
    assert (fresh / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()


def test_ctrl_c_while_the_summary_is_printed_says_the_new_outputs_are_complete(tmp_path, monkeypatch, capsys):
    """Found by a tester: Ctrl-C as the build printed its summary said "previous outputs left
    intact" when the new ones were already in place."""
    out = tmp_path / "out"
    build([SEEDS / "003_4132d220367c3fd2.txt"], out)
    before = (out / "graph.ttl").read_bytes()

    class Interrupting:  # standard output, where Ctrl-C arrives as the summary line is printed
        def write(self, text):
            if text.startswith(("Built ", "ERROR ")):
                raise KeyboardInterrupt
            return len(text)

        def flush(self):
            pass
    monkeypatch.setattr(sys, "stdout", Interrupting())
    assert main(["build", str(SEEDS), "-o", str(out)]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "kg: interrupted after the outputs were written: they are complete and agree\n"
    assert (out / "graph.ttl").read_bytes() != before and store_is_current(OutputDir(out))
    monkeypatch.undo()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.pdf").write_bytes(b"not a PDF")  # nothing built, nothing written: the previous outputs stay
    monkeypatch.setattr(sys, "stdout", Interrupting())
    assert main(["build", str(bad), "-o", str(out)]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "kg: interrupted; previous outputs left intact\n"


def test_what_killed_builds_left_is_removed_and_a_failed_build_leaves_no_new_folder(tmp_path, capsys):
    out = tmp_path / "out"
    build([SEEDS / "003_4132d220367c3fd2.txt"], out)
    (out / ".tmp-store-abc").mkdir()  # as a build killed while loading the store leaves it
    (out / ".tmp-graph.ttl-abc").write_bytes(b"half")
    build([SEEDS / "003_4132d220367c3fd2.txt"], out)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".tmp-")]
    assert main(["build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "new")]) == 2
    assert not (tmp_path / "new").exists()
    with pytest.raises(SystemExit):
        main(["build", "-o", ""])  # not the current folder
    assert "give a folder, not an empty string" in capsys.readouterr().err


def test_a_graph_path_too_long_for_the_system_is_one_line(capsys):
    assert main(["query", "shared-inspectors", "-g", "a" * 300]) == 5
    assert capsys.readouterr().err == f"kg: error: {'a' * 300}: cannot read: File name too long\n"


def test_an_ignored_ctrl_c_stays_ignored_while_the_outputs_are_written(tmp_path, monkeypatch):
    import signal

    from kg.build import assemble

    validate = assemble.validate_subgraph

    def interrupted(*args):
        os.kill(os.getpid(), signal.SIGINT)
        return validate(*args)
    monkeypatch.setattr(assemble, "validate_subgraph", interrupted)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in a background job or under nohup
    try:
        assert main(["build", str(SEEDS), "-o", str(tmp_path / "out"), "-q"]) == ExitCode.OK
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_store_fed_batch_by_batch_equals_the_graph_and_a_failed_build_keeps_the_previous_store(tmp_path, monkeypatch):
    """A build with no current store whose reports come in several batches loads each batch into
    the new store as it comes (kg.build.write.StoreFeed), then what the batches did not bring:
    the store holds exactly the graph. Interrupted while writing, the build keeps the store the
    folder had, and leaves no temporary folder."""
    from kg.build import workers, write

    monkeypatch.setattr(workers, "MIN_POOL", 2)  # the seeds count as many files: workers, in batches
    fed = []
    add = write.StoreFeed.add
    monkeypatch.setattr(write.StoreFeed, "add", lambda self, text: fed.append(text.count("\n")) or add(self, text))
    out = OutputDir(tmp_path / "out")
    inputs = two_seeds(tmp_path / "in", *sorted(p.name for p in SEEDS.glob("*.txt")))
    result = build([inputs], out.root)
    graph = {str(t) for t in ox.parse(out.graph.read_bytes(), format=ox.RdfFormat.TURTLE)}
    assert result.store == "loaded" and len(fed) >= 3  # two batches or more, then the vocabulary and the names
    assert store_triples(out.store) == graph and len(graph) == result.triples
    assert not [p for p in out.root.rglob(".tmp-*")]
    # the Turtle joined from the statements the workers made is the one written here in one process
    assert out.graph.read_bytes() == build([inputs], None, workers=1).turtle

    with out.graph.open("ab") as fh:
        fh.write(b"# edited by hand: the store no longer matches the graph\n")
    store_inode, fed[:] = out.store.stat().st_ino, []

    def killed(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "fsync", killed)
    (inputs / "000_284825235fdca148.txt").unlink()
    shutil.rmtree(out.cache / "entries")  # the reports are extracted again, in batches
    assert main(["build", str(inputs), "-o", str(out.root), "-q"]) == ExitCode.INTERRUPTED
    assert fed and out.store.stat().st_ino == store_inode and store_triples(out.store) == graph
    assert not [p for p in out.root.rglob(".tmp-*")]
