"""Build behaviour: deterministic Turtle, content-hash cache, incremental rebuilds."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build
from kg.build.workers import run_batch

from conftest import ROOT

SEEDS = ROOT / "seeds"


def kg_build(out: Path, seed: str, *inputs: Path, cwd: Path | None = None) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "kg.cli", "build", *map(str, inputs), "-o", str(out), "-q", "--no-cache",
                    "--no-validate"],  # validation does not change the Turtle, and costs half the build
                   check=True, env=env, capture_output=True, cwd=cwd)
    return (out / "graph.ttl").read_bytes()


@pytest.mark.slow  # two whole `kg build` processes (the hash seed is fixed at start-up)
def test_same_inputs_give_byte_identical_turtle_whatever_the_hash_seed_folder_and_working_directory(tmp_path):
    copy = tmp_path / "elsewhere" / "seeds"
    shutil.copytree(SEEDS, copy)
    first = kg_build(tmp_path / "a", "1", SEEDS, cwd=ROOT)
    second = kg_build(tmp_path / "b", "2", Path("seeds"), cwd=copy.parent)
    assert first == second
    assert first.startswith(b"@prefix")
    assert b"<https://w3id.org/ofsted-kg/id/inspection/dudley-2016-01-11> a kg:SIFInspection" in first
    assert b"elsewhere" not in first


def test_no_change_rebuild_reads_nothing_and_keeps_the_file(tmp_path):
    out = tmp_path / "out"
    first = build(None, out)
    stamp = (out / "graph.ttl").stat().st_mtime_ns
    again = build(None, out)
    assert again.unchanged and all(f.cached for f in again.files)
    assert (out / "graph.ttl").stat().st_mtime_ns == stamp
    assert again.turtle == first.turtle and again.validation.conforms


def test_adding_a_report_extracts_only_that_report(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("000_284825235fdca148.txt", "003_4132d220367c3fd2.txt"):
        shutil.copy(SEEDS / name, inputs)
    out = tmp_path / "out"
    build([inputs], out)
    shutil.copy(SEEDS / "004_d10c8fed4ddb3ab2.txt", inputs)
    result = build([inputs], out)
    assert {Path(f.source_file).name: f.cached for f in result.files} == {
        "000_284825235fdca148.txt": True, "003_4132d220367c3fd2.txt": True, "004_d10c8fed4ddb3ab2.txt": False}
    assert not result.unchanged and result.validation.conforms
    assert b"inspection/sandwell-2017-11-06" in result.turtle
    cold = build([inputs], tmp_path / "fresh", cache=False)  # the same files, built at once
    assert result.turtle == cold.turtle
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()
    assert result.validation.results == cold.validation.results


def shared_key(out: Path) -> str:
    from kg.build.cache import Cache
    from kg.outputs import OutputDir

    return Cache(OutputDir(out).cache, "", "").state()["shared_key"]


def test_a_build_after_reports_are_added_removed_or_changed_writes_only_their_subjects_again(tmp_path, monkeypatch):
    from kg.build import assemble

    written = []  # N-Triples lines given to the Turtle writer, per build
    serialize = assemble._serialize
    monkeypatch.setattr(assemble, "_serialize", lambda text: written.append(text.count("\n")) or serialize(text))
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("000_284825235fdca148.txt", "003_4132d220367c3fd2.txt"):
        shutil.copy(SEEDS / name, inputs)
    out = tmp_path / "out"
    first = build([inputs], out)
    assert sum(written) >= first.triples  # the first build writes the whole graph, chunk by chunk
    walsall = inputs / "003_4132d220367c3fd2.txt"
    steps = {"added": lambda: shutil.copy(SEEDS / "004_d10c8fed4ddb3ab2.txt", inputs),
             "removed": lambda: (inputs / "000_284825235fdca148.txt").unlink(),
             "changed": lambda: walsall.write_text(walsall.read_text(encoding="utf-8").replace(
                 "Adoption performance\tGood", "Adoption performance\tOutstanding"), encoding="utf-8")}
    for step, make in steps.items():
        make()
        written.clear()
        result = build([inputs], out)
        assert result.store == "updated", step
        assert 0 < sum(written) < result.triples / 2, step  # only the subjects touched are written again
        cold = build([inputs], tmp_path / f"cold-{step}")
        assert (out / "graph.ttl").read_bytes() == cold.turtle == result.turtle, step
        assert result.triples == cold.triples, step
        assert shared_key(out) == shared_key(tmp_path / f"cold-{step}"), step  # the same shared-node SHACL input
    assert b"Outstanding" in result.turtle and b"dudley" not in result.turtle.lower()


def test_a_build_that_replaces_most_of_the_graph_writes_it_whole(tmp_path, monkeypatch):
    """Many reports built into a folder holding a small graph: the difference is most of the new
    graph, so the Turtle is written whole (chunk by chunk, as a cold build does) and the store
    loaded whole (not subject by subject, quad by quad: 5x slower per line). SMALL_CHANGE_LINES
    is 0 here so that the seeds are enough to show it; the outputs equal a cold build's."""
    from kg.build import assemble, pipeline

    monkeypatch.setattr(pipeline, "SMALL_CHANGE_LINES", 0)
    written = []
    serialize = assemble._serialize
    monkeypatch.setattr(assemble, "_serialize", lambda text: written.append(text.count("\n")) or serialize(text))
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEEDS / "001_87759ed1007758fa.txt", inputs)  # a monitoring visit: a small graph
    out = tmp_path / "out"
    build([inputs], out)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, inputs)
    written.clear()
    result = build([inputs], out)
    # the shared subjects once, then each report's chunk, the vocabulary's and the names'
    assert result.store == "loaded" and len(written) <= len(list(SEEDS.glob("*.txt"))) + 3
    assert sum(written) >= result.triples
    cold = build([inputs], tmp_path / "cold")
    assert (out / "graph.ttl").read_bytes() == cold.turtle
    # with the measured threshold, the same difference is small enough to apply
    monkeypatch.setattr(pipeline, "SMALL_CHANGE_LINES", 5000)
    (inputs / "000_284825235fdca148.txt").unlink()
    assert build([inputs], out).store == "updated"


def spy_batch(jobs, base, validate, *more):
    """run_batch, noting which process ran how many jobs (module level: a worker unpickles it)."""
    with open(os.environ["KG_TEST_BATCHES"], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {len(jobs)}\n")
    return run_batch(jobs, base, validate, *more)


def test_a_report_added_to_a_built_folder_is_extracted_in_a_worker_while_the_entries_are_read(tmp_path, monkeypatch):
    import multiprocessing

    from kg.build import workers

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    names = sorted(p.name for p in SEEDS.glob("*.txt"))
    for name in names[:-1]:
        shutil.copy(SEEDS / name, inputs)
    out = tmp_path / "out"
    build([inputs], out)
    shutil.copy(SEEDS / names[-1], inputs)
    cold = build([inputs], tmp_path / "cold")
    monkeypatch.setattr(workers, "MIN_POOL", 2)  # the seeds' few cache entries count as many
    monkeypatch.setattr(workers, "run_batch", spy_batch)
    batches = tmp_path / "batches"
    monkeypatch.setenv("KG_TEST_BATCHES", str(batches))

    added = build([inputs], out)
    assert [(int(pid) != os.getpid(), int(jobs)) for pid, jobs in map(str.split, batches.read_text().splitlines())] \
        == [(True, 1)]  # the new report, in a worker
    assert [f.cached for f in added.files] == [True] * (len(names) - 1) + [False]
    assert added.turtle == cold.turtle and not multiprocessing.active_children()

    batches.unlink()
    again = build([inputs], out)  # nothing to extract: the worker started early is stopped
    assert again.unchanged and not batches.exists() and not multiprocessing.active_children()

    entry = sorted((out / ".kg-cache" / "entries").glob("*.entry"))[0]
    entry.write_bytes(b"damaged")  # found only once read, after the worker had its (no) jobs
    mended = build([inputs], out)
    assert [f.code for f in mended.findings if f.code.startswith("cache")] == ["cache-entry-discarded"]
    assert mended.turtle == cold.turtle and sum(not f.cached for f in mended.files) == 1
    assert not multiprocessing.active_children()


@pytest.fixture(scope="module")
def built_before_a_report_is_added(tmp_path_factory):
    """(inputs of three seed reports, an output folder built from the first two, the cold build
    of all three)."""
    tmp = tmp_path_factory.mktemp("added")
    inputs = tmp / "inputs"
    inputs.mkdir()
    for name in ("000_284825235fdca148.txt", "003_4132d220367c3fd2.txt"):
        shutil.copy(SEEDS / name, inputs)
    build([inputs], tmp / "out")
    shutil.copy(SEEDS / "004_d10c8fed4ddb3ab2.txt", inputs)
    return inputs, tmp / "out", build([inputs], tmp / "cold")


@pytest.mark.parametrize("damage", ["a changed byte", "subjects out of order", "a subject's size given to another"])
def test_a_damaged_turtle_index_is_never_trusted(tmp_path, built_before_a_report_is_added, damage):
    from kg.build.cache import Cache
    from kg.outputs import OutputDir

    inputs, built, cold = built_before_a_report_is_added
    out = OutputDir(tmp_path / "out")
    shutil.copytree(built, out.root)  # modification times kept: the store stays current
    saved = Cache(out.cache, "", "")
    state = saved.state()
    index = state["turtle"]
    if damage == "a changed byte":  # still JSON, but not what was written: the whole state is ignored
        raw = (out.cache / "state.json").read_bytes()
        first, last = index["subjects"][0].encode(), index["subjects"][-1].encode()
        (out.cache / "state.json").write_bytes(raw.replace(first, b"\0").replace(last, first).replace(b"\0", last))
    else:  # a state whose digest holds, but whose index does not describe graph.ttl
        if damage == "subjects out of order":
            index["subjects"][0], index["subjects"][-1] = index["subjects"][-1], index["subjects"][0]
        else:
            for i in range(0, len(index["sizes"]) - 1, 2):
                index["sizes"][i], index["sizes"][i + 1] = index["sizes"][i] + index["sizes"][i + 1], 0
        saved.save_state(state)
    again = build([inputs], out.root)
    assert again.turtle == cold.turtle == (out.root / "graph.ttl").read_bytes()


def test_a_changed_file_is_extracted_again(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    target = inputs / "walsall.txt"
    shutil.copy(SEEDS / "003_4132d220367c3fd2.txt", target)
    out = tmp_path / "out"
    build([inputs], out)
    target.write_text(target.read_text(encoding="utf-8").replace("Adoption performance\tGood", "Adoption performance\tOutstanding"),
                      encoding="utf-8")
    result = build([inputs], out)
    assert not result.files[0].cached
    assert result.records[0].grade_of("AdoptionPerformance") == "Outstanding"


def test_two_files_shown_under_the_same_name_are_both_built(tmp_path):
    seeds = ROOT / "seeds"
    for folder, seed in (("A", "000_284825235fdca148.txt"), ("B", "003_4132d220367c3fd2.txt")):
        (tmp_path / folder / "in").mkdir(parents=True)
        shutil.copy(seeds / seed, tmp_path / folder / "in" / "x.txt")
    result = build([tmp_path / "A" / "in", tmp_path / "B" / "in", tmp_path / "A" / "in" / "x.txt"], tmp_path / "out")
    assert sorted(f.source_file for f in result.files) == ["B/in/x.txt", "in/x.txt", "x.txt"]
    assert sorted(r.authority.name for r in result.records) == ["Dudley", "Walsall"]  # x.txt is in/x.txt again
