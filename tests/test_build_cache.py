"""The extraction cache: keyed by content, entries of JSON and N-Triples, damage discarded with a warning."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.outputs import OutputDir
from conftest import examples

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
WALSALL = "003_4132d220367c3fd2.txt"


def walsall(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEEDS / WALSALL, inputs / "walsall.txt")
    return inputs / "walsall.txt"


def test_an_edit_keeping_size_and_mtime_is_seen(tmp_path):
    target = walsall(tmp_path)
    out = tmp_path / "out"
    build([target.parent], out)
    stat = target.stat()
    text = target.read_text(encoding="utf-8")
    assert "Crown copyright 2017" in text
    edited = text.replace("Crown copyright 2017", "Crown copyright 2018")  # same size
    target.write_text(edited, encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert target.stat().st_size == stat.st_size and target.stat().st_mtime_ns == stat.st_mtime_ns
    result = build([target.parent], out)
    assert not result.files[0].cached
    assert result.records[0].sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert f'"{result.records[0].sha256}"'.encode() in result.turtle


def entry_json(path: Path) -> dict:
    return json.loads(path.read_bytes().partition(b"\n")[0])


def test_entries_are_json_and_ntriples_and_load_back_to_the_same_graph(tmp_path):
    target = walsall(tmp_path)
    out = OutputDir(tmp_path / "out")
    first = build([target.parent], out.root)
    entries = list((out.cache / "entries").glob("*.entry"))
    assert len(entries) == 1 and not list(out.cache.rglob("*.pickle"))
    entry = entry_json(entries[0])
    assert entry["record"]["authority"]["name"] == "Walsall"
    assert entry["record"]["sha256"] in entries[0].name
    ntriples = entries[0].read_bytes().partition(b"\n")[2]
    assert len(ntriples) == entry["ntriples_bytes"] and b"/inspection/walsall-" in ntriples
    out.graph.unlink()
    again = build([target.parent], out.root)
    assert again.files[0].cached and again.turtle == first.turtle
    assert again.records[0] == first.records[0]


def test_a_damaged_entry_is_discarded_with_a_warning_and_rebuilt(tmp_path):
    target = walsall(tmp_path)
    out = OutputDir(tmp_path / "out")
    first = build([target.parent], out.root)
    (entry,) = (out.cache / "entries").glob("*.entry")
    good = entry.read_bytes()
    for damage in (b"\x80garbage", b'{"format": 2}', good[:100], b"[]", good[:-10], good + b"<x> <y> <z> .\n"):
        entry.write_bytes(damage)
        again = build([target.parent], out.root)
        assert not again.files[0].cached and again.turtle == first.turtle
        (finding,) = again.findings
        assert finding.code == "cache-entry-discarded" and finding.file.endswith("walsall.txt")
        report = json.loads(out.report.read_text())
        assert report["findings"][0]["code"] == "cache-entry-discarded"
        assert entry_json(entry)["record"]["authority"]["name"] == "Walsall"


def test_a_damaged_state_file_only_means_the_graph_is_written_again(tmp_path):
    target = walsall(tmp_path)
    out = OutputDir(tmp_path / "out")
    first = build([target.parent], out.root)
    (out.cache / "state.json").write_bytes(b"\x00\x01 not json")
    again = build([target.parent], out.root)
    assert not again.unchanged and again.files[0].cached and again.turtle == first.turtle
    assert build([target.parent], out.root).unchanged


def _cached_walsall(tmp_path: Path):
    from kg.build import build as run
    from kg.build.cache import Cache
    from kg.build.pipeline import _digest, code_version
    from kg.rdf import DEFAULT_BASE

    target = walsall(tmp_path)
    out = OutputDir(tmp_path / "out")
    record = run([target.parent], out.root).records[0]
    cache = Cache(out.cache, _digest(code_version(), DEFAULT_BASE)[:16], "pdfium")
    assert cache.get(record.sha256, record.source_file, True)[0] == record
    return cache, record


def test_any_bytes_in_an_entry_are_rebuilt_never_raised(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings, strategies as st

    cache, record = _cached_walsall(tmp_path_factory.mktemp("fuzz"))
    (entry,) = (cache.root / "entries").glob("*.entry")
    good = entry.read_bytes()
    json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                               lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                               max_leaves=20)

    @settings(max_examples=examples(150), deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                     st.integers(0, len(good)).map(lambda n: good[:n])))
    def check(data):
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_bytes(data)
        cache.findings.clear()
        hit = cache.get(record.sha256, record.source_file, True)
        if data == good:
            assert hit is not None
        else:
            assert hit is None and [f.code for f in cache.findings] == ["cache-entry-discarded"]
            assert not entry.exists()
    check()


def test_the_subject_runs_kept_in_entries_give_the_same_shared_subgraph_even_when_damaged(tmp_path):
    from kg.build.assemble import shared_subgraph, subject_runs

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("000_284825235fdca148.txt", "003_4132d220367c3fd2.txt", "004_d10c8fed4ddb3ab2.txt"):
        shutil.copy(SEEDS / name, inputs)
    out = OutputDir(tmp_path / "out")
    build([inputs], out.root)
    entries = [path.read_bytes().partition(b"\n") for path in sorted((out.cache / "entries").glob("*.entry"))]
    chunks = [tail.decode("utf-8") for _, _, tail in entries]
    kept = [json.loads(head)["subjects"] for head, _, _ in entries]
    assert kept == [subject_runs(chunk) for chunk in chunks]
    expected = shared_subgraph(chunks, "")
    assert "/inspector/andrew-waugh>" in expected  # an inspector of all three
    assert shared_subgraph(chunks, "", kept) == expected
    shifted = [{s: [n + 7 for n in where] for s, where in runs.items()} for runs in kept]
    assert shared_subgraph(chunks, "", shifted) == expected
    assert shared_subgraph(chunks, "", [None, "junk", {s: "x" for s in kept[2]}]) == expected


def test_plain_records_decode_back_and_a_wrong_type_raises():
    from hypothesis import given, settings, strategies as st
    import msgspec

    from kg.build.cache import Head, entry_head
    from kg.records import Authority, ReportRecord, Role, ThemeMention

    mentions = st.builds(ThemeMention, st.text(max_size=5), st.none() | st.text(max_size=5), st.integers(),
                         st.integers(), st.text(max_size=5), st.text(max_size=5))
    roles = st.builds(Role, st.text(max_size=5), st.text(max_size=5), st.integers(), st.text(max_size=5),
                      st.text(max_size=5))
    texts = st.text(max_size=8)  # any characters: the head stays one line
    records = st.builds(ReportRecord, texts, texts, st.integers(0, 99), texts,
                        st.builds(Authority, texts, texts, texts, texts, texts),
                        issued=st.none() | st.dates(), theme_mentions=st.lists(mentions, max_size=3),
                        roles=st.lists(roles, max_size=3))

    @settings(max_examples=examples(100), deadline=None)
    @given(records, st.sampled_from(["theme", "count", "area"]), st.sampled_from([None, 1.5, True, [], {}]))
    def check(record, name, wrong):
        head = entry_head("k", record, 0, None, None)
        assert head.endswith(b"\n") and head.count(b"\n") == 1
        assert msgspec.json.decode(head, type=Head).record == record
        if not record.theme_mentions:
            return
        plain = json.loads(head)
        plain["record"]["theme_mentions"][0][name] = wrong
        damaged = json.dumps(plain).encode()
        if name == "area" and wrong is None:
            assert msgspec.json.decode(damaged, type=Head).record.theme_mentions[0].area is None
        else:
            with pytest.raises(msgspec.ValidationError, match=f"theme_mentions\\[0\\].{name}"):
                msgspec.json.decode(damaged, type=Head)
    check()


def test_subject_runs_that_do_not_cover_the_ntriples_exactly_are_not_used(tmp_path):
    cache, record = _cached_walsall(tmp_path)
    (entry,) = (cache.root / "entries").glob("*.entry")
    head, _, tail = entry.read_bytes().partition(b"\n")
    good = json.loads(head)
    assert cache.get(record.sha256, record.source_file, True)[3] == good["subjects"]
    first = next(iter(good["subjects"]))
    damaged = [{k: v for k, v in good["subjects"].items() if k != first},  # a subject left out
               {**good["subjects"], first: [0, 1]},  # a stretch cut short
               {**good["subjects"], first: [True, False]}, [], "runs"]
    for subjects in damaged:
        entry.write_bytes(json.dumps({**good, "subjects": subjects}).encode() + b"\n" + tail)
        hit = cache.get(record.sha256, record.source_file, True)
        assert hit[0] == record and hit[3] is None  # the entry is used; its runs are made again
