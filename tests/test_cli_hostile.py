"""What a careful tester found: outputs through links and devices, full standard output,
folders kg site did not write, -p mistakes, file permissions, SIGTERM of kg serve."""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.cli import main


@pytest.fixture
def graph(seed_build, tmp_path):
    path = tmp_path / "out" / "graph.ttl"
    path.parent.mkdir()
    path.write_bytes(seed_build.turtle)
    return path


def kg(*args, **options):
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], text=True, **options)


def test_export_through_a_symlink_writes_its_target_and_keeps_the_link(graph, tmp_path):
    target, link = tmp_path / "real.nt", tmp_path / "link.nt"
    target.write_text("")
    link.symlink_to(target)
    assert main(["export", "-g", str(graph), "-f", "nt", "-o", str(link)]) == 0
    assert link.is_symlink() and target.stat().st_size > 100_000


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", [["query", "shared-inspectors"], ["export", "-f", "nt"], ["table", "inspections"]])
def test_a_full_standard_output_is_one_line_and_exit_5(graph, command):
    with open("/dev/full", "w") as full:
        done = kg(*command, "-g", graph, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 5 and done.stderr.count("\n") == 1 and "No space left" in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_export_to_a_device_writes_through_it_and_leaves_the_device(graph):
    done = kg("export", "-g", graph, "-f", "nt", "-o", "/dev/full")
    assert done.returncode == 5 and "Traceback" not in done.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_new_outputs_get_the_usual_permissions(graph, tmp_path):
    old = os.umask(0o022)
    try:
        assert main(["export", "-g", str(graph), "-f", "nt", "-o", str(tmp_path / "g.nt")]) == 0
        one_seed = Path(__file__).resolve().parents[1] / "seeds" / "003_4132d220367c3fd2.txt"
        assert main(["build", str(one_seed), "-o", str(tmp_path / "b"), "-q"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "g.nt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b" / "graph.ttl").stat().st_mode) == 0o644


def test_kg_site_never_replaces_a_folder_it_did_not_write(graph, tmp_path, capsys, monkeypatch):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert main(["site", "-g", str(graph), "-o", str(mine)]) == 2
    assert (mine / "notes.txt").read_text() == "keep me" and "kg site did not write" in capsys.readouterr().err
    monkeypatch.chdir(mine)
    assert main(["site", "-g", str(graph), "-o", "."]) == 2
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]  # nothing left behind
    site = tmp_path / "site"
    assert main(["site", "-g", str(graph), "-o", str(site)]) == 0
    assert main(["site", "-g", str(graph), "-o", str(site)]) == 0  # its own site is replaced


@pytest.mark.parametrize("params, message", [
    (["-p", "Authority=Dudley"], "the query has no variable ?Authority"),
    (["-p", "authority=Dudley", "-p", "authority=Walsall"], "given twice"),
    (["-p", "authority=http://x/a>b"], "-p authority=http://x/a>b: not a valid IRI (Invalid IRI code point '>')"),
    (["-p", "authority=<not an iri>"], "-p authority=<not an iri>: not a valid IRI"),
])
def test_param_mistakes_are_usage_errors(graph, capsys, params, message):
    assert main(["query", "aligned-history", "-g", str(graph), *params]) == 2
    assert message in capsys.readouterr().err


def test_an_iri_in_angle_brackets_is_bound_as_an_iri(graph, capsys):
    """-p a=<IRI> binds the IRI (as -p a=IRI does for http(s) IRIs), not the string with brackets."""
    sparql = "SELECT ?name WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    for value in ("<https://w3id.org/ofsted-kg/id/authority/dudley>", "https://w3id.org/ofsted-kg/id/authority/dudley"):
        assert main(["query", "-e", sparql, "-g", str(graph), "-p", f"a={value}", "-f", "csv"]) == 0
        assert capsys.readouterr().out.split() == ["name", "Dudley"]


@pytest.mark.slow  # a whole `kg serve` process started and stopped
def test_kg_serve_stopped_by_sigterm_exits_130(graph):
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(graph), "--port", "0", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "Serving" in proc.stdout.readline()
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 130
    finally:
        proc.kill()


@pytest.mark.parametrize("suffix, media", [("", "text/turtle"), (".ttl", "text/turtle"), (".nt", "application/n-triples"),
                                           (".jsonld", "application/ld+json")])
def test_void_answers_under_each_suffix(graph, suffix, media):
    import urllib.request

    from kg.serve import Endpoint, make_server
    from kg.serve.http import in_background

    with in_background(make_server(Endpoint.from_file(graph, workers=0), port=0, quiet=True)) as server:
        with urllib.request.urlopen(f"{server.url}.well-known/void{suffix}", timeout=30) as answer:
            assert answer.status == 200 and answer.headers["Content-Type"].startswith(media)
