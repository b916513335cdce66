"""`kg push` into a real Oxigraph server (the `oxigraph` wheel's binary, `oxigraph serve` on a
free loopback port): the round trip is checked triple for triple, and pushing again replaces
each report's graph instead of adding to it."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.exitcodes import ExitCode
from kg.push import PushError, partition, push, read_triples

ID = "https://w3id.org/ofsted-kg/id/"
KG = "https://w3id.org/ofsted-kg/def#"
SHARED = f"{ID}graph/shared"
REPORT_GRAPHS = {f"{ID}graph/{key}" for key in (
    "dudley-2016-01-11", "dudley-monitoring-visit-2018-02-08", "dudley-self-evaluation-2022-06-14",
    "walsall-2017-06-20", "sandwell-2017-11-06")}
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    assert Path(found).exists(), "the oxigraph server is installed with the test extras (pip install oxigraph)"
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph-db")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                NO_PROXY.open(url + "/", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph did not start: {proc.stderr.read().decode()[:500]}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def store(oxigraph):
    """The server, emptied before each test."""
    request = urllib.request.Request(oxigraph + "/update", data=b"CLEAR ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    NO_PROXY.open(request, timeout=10).read()
    return oxigraph


@pytest.fixture(scope="module")
def triples(graph_file) -> set[ox.Triple]:
    found = set(read_triples(graph_file))
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in found)
    return found


def dump(url: str) -> dict[str | None, set[ox.Triple]]:
    """Everything in the store, by graph (None: the default graph), fetched as N-Quads."""
    request = urllib.request.Request(url + "/store", headers={"Accept": "application/n-quads"})
    data = NO_PROXY.open(request, timeout=30).read()
    graphs: dict[str | None, set[ox.Triple]] = {}
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs.setdefault(name, set()).add(quad.triple)
    return graphs


def subjects(graph: set[ox.Triple]) -> set[str]:
    return {t.subject.value for t in graph}


def test_round_trip_one_graph_per_report(store, graph_file, triples):
    report = push(graph_file, store, graph_per_report=True)
    assert report.protocol == "gsp" and report.target == store + "/store"
    assert {g.iri for g in report.graphs} == REPORT_GRAPHS | {SHARED}
    assert all(g.status in (201, 204) for g in report.graphs)
    stored = dump(store)
    assert set(stored) == REPORT_GRAPHS | {SHARED}
    assert set().union(*stored.values()) == triples  # triple for triple
    assert sum(map(len, stored.values())) == len(triples) == report.triples  # and each in one graph only

    dudley = stored[f"{ID}graph/dudley-2016-01-11"]
    sha = ox.NamedNode(KG + "sha256")
    assert [t.subject.value for t in dudley if t.predicate == sha] == [f"{ID}report/dudley-2016-01-11"]
    assert all(s.startswith((f"{ID}inspection/dudley-2016-01-11", f"{ID}report/dudley-2016-01-11"))
               for s in subjects(dudley))
    assert any(s.startswith(f"{ID}inspection/dudley-2016-01-11/judgement/") for s in subjects(dudley))
    assert any(s.startswith(f"{ID}report/dudley-self-evaluation-2022-06-14/theme/")
               for s in subjects(stored[f"{ID}graph/dudley-self-evaluation-2022-06-14"]))
    shared = stored[SHARED]
    assert ox.Triple(ox.NamedNode(f"{ID}authority/dudley"), ox.NamedNode("https://schema.org/name"),
                     ox.Literal("Dudley")) in shared
    assert f"{ID}inspector/peter-mcentee" in subjects(shared) and f"{KG}Inspection" in subjects(shared)
    assert not any(s.startswith((f"{ID}inspection/", f"{ID}report/")) for s in subjects(shared))


@pytest.mark.slow  # every report graph pushed twice over HTTP
def test_push_again_replaces_each_report_graph(store, graph_file, triples):
    push(graph_file, store)
    first = dump(store)
    push(graph_file, store)
    assert dump(store) == first  # idempotent: nothing doubled, nothing lost

    # Walsall's report is rebuilt without its recommendations: only its graph changes
    recommendation = ox.NamedNode(KG + "hasRecommendation")
    dropped = {t for t in triples if t.subject.value.startswith(f"{ID}inspection/walsall-2017-06-20/recommendation/")
               or (t.predicate == recommendation and t.subject.value == f"{ID}inspection/walsall-2017-06-20")}
    assert dropped
    smaller = graph_file.with_name("smaller.nt")
    smaller.write_bytes(ox.serialize(sorted(triples - dropped, key=str), format=ox.RdfFormat.N_TRIPLES))
    push(smaller, store)
    after = dump(store)
    walsall = f"{ID}graph/walsall-2017-06-20"
    assert after[walsall] == first[walsall] - dropped
    assert {g: t for g, t in after.items() if g != walsall} == {g: t for g, t in first.items() if g != walsall}


def test_without_graph_per_report_the_default_graph_is_replaced(store, graph_file, triples):
    report = push(graph_file, store, graph_per_report=False)
    assert [g.iri for g in report.graphs] == [None]
    assert dump(store) == {None: triples}
    push(graph_file, store, graph_per_report=False)
    assert dump(store) == {None: triples}


@pytest.mark.slow  # every report graph pushed three times over HTTP
def test_sparql_update_protocol_gives_the_same_graphs(store, graph_file, seed_graph):
    push(graph_file, store)
    by_gsp = dump(store)
    push(graph_file, store, update=store + "/update")  # replaces the same graphs
    assert dump(store) == by_gsp
    store_update = store + "/update"
    NO_PROXY.open(urllib.request.Request(store_update, data=b"CLEAR ALL", method="POST",
                                         headers={"Content-Type": "application/sparql-update"})).read()
    report = push(seed_graph, update=store_update)  # an rdflib Graph works as well as a file
    assert report.protocol == "update"
    assert dump(store) == by_gsp


def test_partition_follows_iri_prefixes(triples):
    graphs = partition(list(triples))
    report_of_recommendation = next(g for g, members in graphs.items()
                                    if any(t.subject.value.startswith(f"{ID}inspection/sandwell-2017-11-06/recommendation/")
                                           for t in members))
    assert report_of_recommendation == f"{ID}graph/sandwell-2017-11-06"


def test_kg_push_command(store, graph_file, capsys):
    assert main(["push", str(graph_file), "--endpoint", store, "--graph-per-report"]) == 0
    out = capsys.readouterr().out
    assert f"201  {ID}graph/walsall-2017-06-20  " in out
    assert f"Pushed {len(read_triples(graph_file))} triples into 6 named graphs (5 reports + shared) at {store}/store" in out
    assert main(["push", str(graph_file)]) == 2
    assert "give --endpoint URL" in capsys.readouterr().err


def test_unreachable_store_is_a_clear_error(graph_file, capsys):
    closed = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PushError, match=f"cannot reach {closed}/store"):
        push(graph_file, closed)
    assert main(["push", str(graph_file), "--endpoint", closed]) == ExitCode.REMOTE
    assert "kg: push failed: cannot reach" in capsys.readouterr().err


def test_refused_request_reports_the_store_message(store, graph_file):
    with pytest.raises(PushError, match=r"HTTP 4\d\d"):
        push(graph_file, gsp=store + "/no-such-path")


@pytest.mark.parametrize("content, reason", [(b"", "graph file is empty (0 bytes)"),
                                             (b"@prefix ex: <http://example.org/> .\nex:a ex:b ", "not a readable turtle graph"),
                                             (b"\x00\xff garbage", "not a readable turtle graph")])
def test_damaged_graph_file_is_one_line_and_exit_5(tmp_path, capsys, content, reason):
    bad = tmp_path / "graph.ttl"
    bad.write_bytes(content)
    assert main(["push", str(bad), "--endpoint", "http://127.0.0.1:1"]) == ExitCode.FILE_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f"kg: error: {bad}: {reason}") and err.count("\n") == 1


def test_not_a_url_is_a_usage_error(graph_file, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["push", str(graph_file), "--endpoint", "127.0.0.1:7878"])
    assert stopped.value.code == ExitCode.USAGE
    assert capsys.readouterr().err == ("kg push: error: argument --endpoint: '127.0.0.1:7878' is not a valid IRI "
                                       "(Invalid IRI code point ':') (see kg push --help)\n")


def test_a_server_that_does_not_speak_http_is_a_remote_error(graph_file, capsys):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]

        def babble():
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"SSH-2.0-not-http\r\n\r\n")
        import threading
        thread = threading.Thread(target=babble, daemon=True)
        thread.start()
        code = main(["push", str(graph_file), "--endpoint", f"http://127.0.0.1:{port}"])
        thread.join(5)
    assert code == ExitCode.REMOTE
    assert "kg: push failed:" in capsys.readouterr().err


def test_a_refusal_page_is_one_line_of_its_text():
    from kg.push import _one_line

    page = "<!DOCTYPE html>\n<html><head><title>405 Method Not Allowed</title></head>\n<body>\n<h1>Method\n Not Allowed</h1>\n<p>PUT is not supported &amp; never will be</p>\n</body></html>\n"
    assert _one_line(page) == "405 Method Not Allowed Method Not Allowed PUT is not supported & never will be"
    assert _one_line("x" * 500) == "x" * 199 + "…"


def test_a_password_in_the_url_is_never_shown(graph_file, capsys):
    assert main(["push", str(graph_file), "--endpoint", "http://kg:s3cret@127.0.0.1:1/", "--timeout", "5"]) == ExitCode.REMOTE
    err = capsys.readouterr().err
    assert "s3cret" not in err and "http://kg:***@127.0.0.1:1/store" in err
