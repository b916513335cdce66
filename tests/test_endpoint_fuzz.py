"""Fuzzing `kg serve` (hypothesis): arbitrary query text, parameters, headers, bodies and request
lines against a real server on a free loopback port. Every request gets an HTTP answer - 200,
400 or 403, or 404/406/413/415 where the request asks for it - never a 500 and never a dropped
connection; and the server still answers a real query afterwards."""
from __future__ import annotations

import http.client
import socket
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.serve import Endpoint, make_server
from kg.serve.http import in_background
from conftest import examples

FUZZ = settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
                derandomize=True)
ASK = "ASK { ?s ?p ?o }"
# query-like text: SPARQL words and punctuation mixed with anything
SPARQL_BITS = st.sampled_from(["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]",
                               "?s", "?p", "?o", "SERVICE", "LOAD", "INSERT", "DATA", "DELETE", "PREFIX", "ex:",
                               "<http://127.0.0.1:9/>", "\\#", "#", '"', "'''", ".", ";", ",", "*", "FILTER",
                               "BIND", "AS", "UNION", "OPTIONAL", "VALUES", "GRAPH", "LIMIT", "1", "\n", " "])
QUERY_TEXT = st.one_of(st.text(max_size=300), st.lists(SPARQL_BITS, max_size=60).map(" ".join),
                       st.lists(st.one_of(SPARQL_BITS, st.text(max_size=5)), max_size=40).map("".join))
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
ALLOWED = {200, 400, 403}


@pytest.fixture(scope="module")
def server(graph_file):
    path = graph_file
    with Endpoint.from_file(path, timeout=20, workers=2).start() as endpoint:
        server = make_server(endpoint, port=0, quiet=True, network_dir=path.parent / "network")
        with in_background(server):
            yield server


def request(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> int:
    """The status of one request on a fresh connection (a dropped connection raises)."""
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def still_answers(server) -> None:
    assert request(server, "GET", "/sparql?" + urlencode({"query": ASK})) == 200


@FUZZ
@given(text=QUERY_TEXT)
def test_any_query_text_by_get(server, text):
    assert request(server, "GET", "/sparql?" + urlencode({"query": text})) in ALLOWED


@FUZZ
@given(text=QUERY_TEXT, form=st.booleans())
def test_any_query_text_by_post(server, text, form):
    if form:
        status = request(server, "POST", "/sparql", urlencode({"query": text}).encode(),
                         {"Content-Type": "application/x-www-form-urlencoded"})
    else:
        status = request(server, "POST", "/sparql", text.encode("utf-8", "surrogatepass"),
                         {"Content-Type": "application/sparql-query"})
    assert status in ALLOWED


@FUZZ
@given(body=st.binary(max_size=400), ctype=st.sampled_from(["application/sparql-query", "application/sparql-update",
                                                            "application/x-www-form-urlencoded"]))
def test_any_bytes_as_body(server, body, ctype):
    assert request(server, "POST", "/sparql", body, {"Content-Type": ctype}) in ALLOWED


@FUZZ
@given(accept=HEADER_TEXT, fmt=st.one_of(st.none(), HEADER_TEXT),
       graphs=st.lists(st.text(max_size=30), max_size=3), named=st.lists(st.text(max_size=30), max_size=3),
       query=st.sampled_from([ASK, "SELECT * WHERE { ?s ?p ?o } LIMIT 2",
                              "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2"]))
def test_any_parameters_and_accept_header(server, accept, fmt, graphs, named, query):
    params = [("query", query)] + [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", n) for n in named]
    if fmt is not None:
        params.append(("format", fmt))
    status = request(server, "GET", "/sparql?" + urlencode(params), headers={"Accept": accept})
    assert status in ALLOWED | {406}  # 406: the Accept header (or format) named nothing on offer


@FUZZ
@given(path=st.text(max_size=60), extra=st.dictionaries(st.sampled_from(["X-Thing", "Content-Type", "Accept",
                                                                          "Origin", "Cookie"]), HEADER_TEXT, max_size=3))
def test_any_path_and_headers(server, path, extra):
    status = request(server, "GET", "/" + quote(path, safe="/?=&"), headers=extra)
    assert status in ALLOWED | {404, 406}


@FUZZ
@given(line=st.binary(max_size=120), header=st.binary(max_size=120))
def test_any_bytes_as_request_head(server, line, header):
    """A malformed request line or header: an HTTP error status back, not a dropped connection."""
    with socket.create_connection(server.server_address[:2], timeout=60) as conn:
        conn.sendall(b"POST /sparql" + line.replace(b"\n", b" ") + b" HTTP/1.1\r\nHost: localhost\r\n"
                     + header.replace(b"\r", b"").replace(b"\n", b" ") + b"\r\nContent-Length: 0\r\n\r\n")
        conn.shutdown(socket.SHUT_WR)
        reply = b""
        while data := conn.recv(65536):
            reply += data
    assert reply.startswith(b"HTTP/1."), reply[:80]
    assert int(reply.split(b" ", 2)[1]) in ALLOWED | {404, 413, 414, 415, 431}


def test_server_still_answers_after_fuzzing(server):
    still_answers(server)


@pytest.fixture(scope="module")
def graph_path(server):
    return server.endpoint.source


@settings(max_examples=examples(60), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=QUERY_TEXT)
def test_kg_query_with_any_text_answers_or_says_why(graph_path, text, capsys):
    """kg query -e: exit 0 with an answer, or exit 2 with one line; never a traceback."""
    from kg.cli import main

    if not text.strip():
        return
    code = main(["query", f"--expression={text}", "-g", str(graph_path), "-f", "csv"])
    captured = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert captured.err.startswith("kg: query error: ") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
