"""`kg serve`: the read-only SPARQL endpoint over the seed graph, through the library
(Endpoint.execute), a real SPARQL client (SPARQLWrapper) and raw HTTP for the errors."""
from __future__ import annotations

import csv
import http.client
import io
import json
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper

from kg.query import named_queries, question_of
from kg.serve import Endpoint, make_server
from kg.serve.http import in_background
from kg.serve.app import negotiate
from kg.sparql import MAX_DEPTH, QueryRefused, ServiceRefused, UpdateRefused, check_query

# SPARQLWrapper and rdflib's JSON-LD parser still build ConjunctiveGraphs
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

KG = "https://w3id.org/ofsted-kg/def#"
ID = "https://w3id.org/ofsted-kg/id/"
PREFIXES = f"""PREFIX kg: <{KG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
OVERALL_GRADES = PREFIXES + """SELECT ?authority ?start ?grade WHERE {
  ?i kg:inspectionOf/rdfs:label ?authority ; kg:startDate ?start ; kg:hasJudgement ?j .
  ?j kg:area kg:OverallEffectiveness ; kg:grade/skos:prefLabel ?grade .
} ORDER BY ?start"""
EXPECTED_GRADES = [("Dudley", "2016-01-11", "Inadequate"),
                   ("Walsall", "2017-06-20", "Requires improvement to be good"),
                   ("Sandwell", "2017-11-06", "Inadequate")]
ASK_DUDLEY_INADEQUATE = PREFIXES + """ASK { <%sinspection/dudley-2016-01-11> kg:hasJudgement ?j .
  ?j kg:area kg:OverallEffectiveness ; kg:grade/skos:prefLabel "Inadequate"@en }""" % ID
DUDLEY = f"{ID}authority/dudley"
CONSTRUCT_DUDLEY = PREFIXES + f"CONSTRUCT {{ <{DUDLEY}> ?p ?o }} WHERE {{ <{DUDLEY}> ?p ?o }}"
UPDATES = ["INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
           "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }",
           "LOAD <http://example.org/data.ttl>", "CLEAR ALL", f"DROP GRAPH <{ID}graph/shared>",
           "CREATE GRAPH <http://example.org/g>", "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "# a comment first\nload silent <http://example.org/x>"]


@pytest.fixture(scope="module")
def endpoint(graph_file) -> Endpoint:
    with Endpoint.from_file(graph_file, timeout=10) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def server(endpoint, tmp_path_factory):
    server = make_server(endpoint, port=0, quiet=True, network_dir=tmp_path_factory.mktemp("no-network") / "network")
    with in_background(server):
        yield server


def sparql(server, query: str, fmt: str, method: str = "GET"):
    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query()


def raw(server, method: str, path: str, body: bytes | None = None, **headers) -> tuple[int, dict, str]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        conn.close()


# ------------------------------------------------------------------ the library, no HTTP

def test_endpoint_answers_select_as_sparql_json(endpoint):
    status, content_type, body = endpoint.execute(OVERALL_GRADES, "application/sparql-results+json")
    assert (status, content_type) == (200, "application/sparql-results+json; charset=utf-8")
    data = json.loads(body)
    assert data["head"]["vars"] == ["authority", "start", "grade"]
    rows = [(b["authority"]["value"], b["start"]["value"], b["grade"]["value"]) for b in data["results"]["bindings"]]
    assert rows == EXPECTED_GRADES
    assert data["results"]["bindings"][0]["start"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


def test_every_example_query_runs(endpoint):
    examples = named_queries()
    assert examples, "queries/ holds the example queries"
    for name, path in examples.items():
        response = endpoint.execute(path.read_text(encoding="utf-8"), "text/csv")
        assert response.status == 200, f"{name}: {response.text}"


def test_syntax_error_is_400_with_line_and_column(endpoint):
    status, content_type, body = endpoint.execute("SELECT ?x WHERE { ?x ", "*/*")
    assert status == 400 and content_type.startswith("text/plain")
    assert body.decode().startswith("SPARQL syntax error at line 1, column ")


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_and_change_nothing(endpoint, update):
    before = len(endpoint)
    response = endpoint.execute(update, "*/*")
    assert response.status == 403
    assert "read-only" in response.text and "kg push" in response.text
    assert len(endpoint) == before


def test_service_is_refused_but_the_word_in_a_string_is_fine(endpoint):
    response = endpoint.execute("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", "*/*")
    assert response.status == 403 and "SERVICE (federated query) is not allowed" in response.text
    response = endpoint.execute('SELECT ?x WHERE { BIND("SERVICE" AS ?x) }  # SERVICE', "text/csv")
    assert (response.status, response.text) == (200, "x\r\nSERVICE\r\n")


def test_result_size_limit_truncates_and_says_so(graph_file):
    with Endpoint.from_file(graph_file, limit=3, workers=1) as small:
        _check_limit(small)


def _check_limit(small):
    response = small.execute(PREFIXES + "SELECT ?s WHERE { ?s ?p ?o }", "text/csv")
    assert response.status == 200
    assert len(response.text.strip().splitlines()) == 1 + 3
    assert response.headers["X-Result-Truncated"] == "true" and response.headers["X-Result-Limit"] == "3"
    response = small.execute(OVERALL_GRADES, "text/csv")
    assert "X-Result-Truncated" not in response.headers and response.headers["X-Result-Count"] == "3"


CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1e13 rows: runs until stopped


def test_slow_query_is_stopped_and_the_next_is_answered(graph_file):
    with Endpoint.from_file(graph_file, timeout=1, limit=10**9, workers=2).start() as slow:
        pids = {w.process.pid for w in slow.pool._all}
        response = slow.execute(CROSS_PRODUCT, "text/csv")
        assert response.status == 503 and "timed out after 1 s" in response.text and "stopped" in response.text
        assert slow.pool.replaced == 1
        killed = pids - {w.process.pid for w in slow.pool._all}
        assert len(killed) == 1 and not _alive(killed.pop())  # the work was stopped, not abandoned
        # the other worker answers at once, whatever the replacement is doing
        status, _, body = slow.execute(OVERALL_GRADES, "text/csv")
        assert status == 200 and body.decode().splitlines()[1] == "Dudley,2016-01-11,Inadequate"


def test_closing_while_workers_load_is_quiet_and_closes_each_pipe_once(graph_file, capfd, monkeypatch):
    import threading
    from kg.serve.workers import WorkerPool
    raised = []
    monkeypatch.setattr(threading, "excepthook", raised.append)
    pool = WorkerPool(graph_file, size=2)
    while len(pool._all) < 2:  # both started, and their spawn threads wait for them to load the graph
        time.sleep(0.001)
    pool.close()
    for thread in threading.enumerate():
        if thread.name == "kg-serve-spawn":
            thread.join(10)
    assert raised == [] and "could not open" not in capfd.readouterr().err
    assert pool.failure is None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_worker_that_dies_is_replaced(graph_file):
    with Endpoint.from_file(graph_file, workers=1).start() as endpoint:
        worker = next(iter(endpoint.pool._all))
        worker.process.kill()  # as if the engine had crashed
        worker.process.wait(10)
        response = endpoint.execute(ASK_DUDLEY_INADEQUATE, "application/json")
        assert response.status == 200 and json.loads(response.body)["boolean"] is True
        assert endpoint.pool.replaced == 1


def test_a_graph_file_replaced_or_damaged_while_serving_changes_nothing_served(graph_file, tmp_path):
    from kg.explore import route

    served = tmp_path / "graph.ttl"
    served.write_bytes(graph_file.read_bytes())
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with Endpoint.from_file(served, workers=1).start() as endpoint:
        before = json.loads(endpoint.execute(count, "application/json").body)
        snapshot = endpoint.snapshot
        served.write_bytes(b"@prefix broken")  # written over in place, as a damaged copy would be
        worker = next(iter(endpoint.pool._all))
        worker.process.kill()  # its replacement opens the graph again
        worker.process.wait(10)
        assert json.loads(endpoint.execute(count, "application/json").body) == before
        assert endpoint.pool.replaced == 1
        void = route(endpoint, "/.well-known/void", "text/turtle").body.decode()
        assert f"void:triples {len(endpoint)}" in void
    assert not snapshot.parent.exists()  # close() removed the copy


def test_busy_endpoint_answers_503(graph_file):
    with Endpoint.from_file(graph_file, timeout=5, queue_wait=0.5, workers=1).start() as busy:
        taken = busy.pool._idle.get()  # the only worker is running a query
        try:
            response = busy.execute("ASK { ?s ?p ?o }", "*/*")
        finally:
            busy.pool._idle.put(taken)
        assert response.status == 503 and "busy" in response.text and response.headers["Retry-After"]
        assert busy.execute("ASK { ?s ?p ?o }", "*/*").status == 200


def test_content_negotiation():
    assert negotiate("results", "text/html,application/xhtml+xml,*/*;q=0.8") == "json"
    assert negotiate("results", "text/csv;q=0.5, text/tab-separated-values") == "tsv"
    assert negotiate("results", "application/json") == "json"
    assert negotiate("graph", "application/json") == "jsonld"
    assert negotiate("graph", "application/sparql-results+json, text/turtle;q=0.9") == "turtle"
    assert negotiate("graph", "image/png") is None
    assert negotiate("results", "text/csv", format="json") == "json"
    assert negotiate("graph", None, format="json-ld") == "jsonld"


def test_decisions_are_taken_on_the_parsed_query():
    assert check_query('PREFIX service: <http://x/insert#> # LOAD\nSELECT ?insert { ?s service:load "DROP" }') == "SELECT"
    assert check_query("BASE <http://x/>\nPREFIX : <y>\n  ask {}") == "ASK"
    with pytest.raises(UpdateRefused, match=r"\(INSERT\)"):
        check_query("BASE <http://x/>\nPREFIX : <y>\n  insert data {}")
    # comments and declarations alone parse as an update of no operation: no query, not a refused update
    for nothing in ["# SELECT * { ?s ?p ?o }", "PREFIX : <y>\n", "BASE <http://x/> # INSERT DATA {}\n"]:
        with pytest.raises(QueryRefused, match="^No query: ") as refused:
            check_query(nothing)
        assert refused.value.status == 400 and not isinstance(refused.value, UpdateRefused)
    for hidden in ["select * {{ ?s ?p ?o } UNION { servICE <http://a/> {?a ?b ?c}}}",
                   "SELECT * { OPTIONAL { SERVICE SILENT <http://a/> { ?a ?b ?c } } }",
                   "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE ?endpoint { ?a ?b ?c } } }"]:
        with pytest.raises(ServiceRefused):
            check_query(hidden)
    # an escaped character in a prefixed name used to make the text scanner skip the rest
    with pytest.raises(QueryRefused) as refused:
        check_query("PREFIX ex: <http://e/>\nSELECT * { ?s ex:x\\# ?o . SERVICE <http://127.0.0.1:1/> { ?a ?b ?c } }")
    assert refused.value.status in (400, 403)


def bypass_attempts(url: str) -> list[str]:
    """Ways to hide a SERVICE from a checker that reads the text differently from the engine."""
    service = f"SERVICE <{url}> {{ ?a ?b ?c }}"
    return [f"PREFIX ex: <http://e/>\nSELECT * {{ ?s ex:x\\# ?o . {service} }}",  # escaped name, old scanner
            f"SELECT * {{ ?s ?p ?o # comment\r{service} \n}}",  # CR ends a comment for Oxigraph, not rdflib
            f"SELECT * {{ ?s ?p \"a\\u005C\" . {service} . ?s ?p \"b\" }}",  # \\u escape of a backslash
            f"SELECT * {{ ?s ?p ?o . SERV\\u0049CE <{url}> {{ ?a ?b ?c }} }}",
            f"SELECT * {{ ?s ?p ?o . \\u005Cu0053ERVICE <{url}> {{ ?a ?b ?c }} }}",  # escaped escape
            f"SELECT * {{ ?s ?p ?o OPTIONAL {{ {service} }} }}",
            f"ASK {{ FILTER NOT EXISTS {{ {service} }} }}",
            f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ {service} }}",
            f"SELECT * {{ {{ SELECT * {{ {service} }} }} }}"]


def test_no_spelling_of_service_reaches_the_network(graph_file):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        with Endpoint.from_file(graph_file, workers=1) as endpoint:
            statuses = [endpoint.execute(text, "*/*").status for text in bypass_attempts(url)]
        with pytest.raises(socket.timeout):
            listener.accept()  # nobody called
    assert set(statuses) <= {400, 403} and statuses.count(403) >= 7, statuses


@pytest.mark.parametrize("text", ["SELECT * WHERE " + "{" * 5000 + "}" * 5000,
                                  "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
                                  "ASK { " + "[ <http://p> " * 3000 + "]" * 3000 + " }",
                                  "SELECT * WHERE " + "{" * MAX_DEPTH + "}" * MAX_DEPTH + " " + "{" * 40 + "}" * 40])
def test_deep_nesting_is_400_before_evaluation(endpoint, text):
    response = endpoint.execute(text, "*/*")
    assert response.status == 400 and "nested too deeply" in response.text
    assert endpoint.execute("ASK { ?s ?p ?o }", "application/json").status == 200


# ------------------------------------------------------------------ a real client: SPARQLWrapper

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server, method):
    result = sparql(server, OVERALL_GRADES, JSON, method).convert()
    rows = [tuple(b[v]["value"] for v in ("authority", "start", "grade")) for b in result["results"]["bindings"]]
    assert rows == EXPECTED_GRADES


def test_sparqlwrapper_select_xml(server):
    document = sparql(server, OVERALL_GRADES, XML).convert()  # an xml.dom.minidom Document
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == [value for row in EXPECTED_GRADES for value in row]


def test_sparqlwrapper_select_csv_and_tsv(server):
    rows = list(csv.reader(io.StringIO(sparql(server, OVERALL_GRADES, CSV).convert().decode())))
    assert rows == [["authority", "start", "grade"], *map(list, EXPECTED_GRADES)]
    lines = sparql(server, OVERALL_GRADES, TSV).convert().decode().splitlines()
    assert lines[0] == "?authority\t?start\t?grade"
    assert lines[1] == '"Dudley"\t"2016-01-11"^^<http://www.w3.org/2001/XMLSchema#date>\t"Inadequate"@en'
    assert len(lines) == 4


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server, fmt):
    result = sparql(server, ASK_DUDLEY_INADEQUATE, fmt).convert()
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"
    no = sparql(server, ASK_DUDLEY_INADEQUATE.replace('"Inadequate"', '"Outstanding"'), JSON).convert()
    assert no["boolean"] is False


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, XML])
def test_sparqlwrapper_construct(server, fmt):
    graph = sparql(server, CONSTRUCT_DUDLEY, fmt).convert()
    if not isinstance(graph, Graph):  # SPARQLWrapper hands Turtle back as bytes
        graph = Graph().parse(data=graph, format="turtle")
    assert (URIRef(DUDLEY), URIRef("https://schema.org/name"), Literal("Dudley")) in graph
    assert (URIRef(DUDLEY), URIRef(f"{KG}gssCode"), Literal("E08000027")) in graph


def test_describe_in_turtle(server):
    status, headers, body = raw(server, "GET", "/sparql?" + urlencode({"query": f"DESCRIBE <{DUDLEY}>"}))
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert Graph().parse(data=body, format="turtle").value(URIRef(DUDLEY), URIRef(f"{KG}laCode")) == Literal("332")


# ------------------------------------------------------------------ raw HTTP: errors and pages

def test_bad_query_is_400_with_message(server):
    status, headers, body = raw(server, "GET", "/sparql?" + urlencode({"query": "SELECT ?x WHERE { ?x "}))
    assert status == 400 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "SPARQL syntax error at line 1, column" in body


@pytest.mark.parametrize("request_args", [
    ("POST", "/sparql", urlencode({"update": UPDATES[0]}).encode(), {"Content_Type": "application/x-www-form-urlencoded"}, "INSERT"),
    ("POST", "/sparql", UPDATES[1].encode(), {"Content_Type": "application/sparql-update"}, "DELETE"),
    ("POST", "/update", UPDATES[0].encode(), {"Content_Type": "application/sparql-update"}, "INSERT"),
    ("POST", "/sparql", urlencode({"query": UPDATES[2]}).encode(), {"Content_Type": "application/x-www-form-urlencoded"}, "LOAD"),
    ("GET", "/sparql?" + urlencode({"update": UPDATES[3]}), None, {}, "CLEAR"),
], ids=["form-update", "sparql-update", "update-path", "load-as-query", "get-update"])
def test_updates_over_http_are_403(server, endpoint, request_args):
    method, path, body, headers, op = request_args
    before = len(endpoint)
    status, _, text = raw(server, method, path, body, **headers)
    assert status == 403
    assert text.startswith(f"This SPARQL endpoint is read-only: SPARQL Update ({op}) is refused.")
    assert len(endpoint) == before


def test_protocol_errors(server):
    assert raw(server, "GET", "/sparql")[0] == 400  # no query
    status, _, text = raw(server, "POST", "/sparql", b"{}", Content_Type="application/json")
    assert status == 415 and "application/sparql-query" in text
    status, _, text = raw(server, "GET", "/sparql?" + urlencode({"query": OVERALL_GRADES}), Accept="image/png")
    assert status == 406 and "text/csv" in text
    assert raw(server, "GET", "/nothing-here")[0] == 404


def test_post_sparql_query_body(server):
    status, headers, body = raw(server, "POST", "/sparql", OVERALL_GRADES.encode(),
                                Content_Type="application/sparql-query", Accept="text/csv")
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body.splitlines()[1] == "Dudley,2016-01-11,Inadequate"


def test_query_page_holds_the_examples_and_nothing_external(server):
    status, headers, html = raw(server, "GET", "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    data = json.loads(html.split('<script type="application/json" id="kg-data">')[1].split("</script>")[0])
    assert [e["name"] for e in data["examples"]] == list(named_queries())
    for example in data["examples"]:
        assert example["question"] == question_of(example["query"])
    assert data["prefixes"]["kg"] == KG and data["triples"] == len(server.endpoint)
    assert 'href="network"' in html
    # self-contained: no CDN, no scripts, styles or images fetched from anywhere
    assert "src=" not in html and 'rel="stylesheet"' not in html and 'href="http' not in html


def test_network_view_is_served_or_explained(server, tmp_path):
    status, _, html = raw(server, "GET", "/network")
    assert status == 404 and "kg network" in html
    folder = tmp_path / "network"
    folder.mkdir()
    (folder / "network.html").write_text("<!doctype html><title>Who inspected where</title>")
    server.network_dir, before = folder, server.network_dir
    try:
        status, headers, html = raw(server, "GET", "/network")
        assert status == 200 and "Who inspected where" in html
        assert raw(server, "GET", "/network/../../etc/passwd")[0] == 404
    finally:
        server.network_dir = before


def test_deep_nesting_over_http_is_400_and_the_server_lives(server):
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    status, _, text = raw(server, "POST", "/sparql", deep.encode(), Content_Type="application/sparql-query")
    assert status == 400 and "nested too deeply" in text
    status, _, body = raw(server, "GET", "/sparql?" + urlencode({"query": OVERALL_GRADES}), Accept="text/csv")
    assert status == 200 and body.splitlines()[1] == "Dudley,2016-01-11,Inadequate"


@pytest.mark.parametrize("host, allowed", [("localhost", True), ("127.0.0.1", True), ("LOCALHOST.", True),
                                           ("[::1]", True), ("evil.example", False), ("127.0.0.1.nip.io", False),
                                           ("localhost.evil.example", False)])
def test_host_header_must_name_this_server(server, host, allowed):
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends Host: evil.example."""
    port = server.server_address[1]
    status, _, text = raw(server, "GET", "/sparql?" + urlencode({"query": "ASK {}"}), Host=f"{host}:{port}")
    if allowed:
        assert status == 200
    else:
        assert status == 421 and "--allow-host" in text


@pytest.mark.parametrize("version, headers, status", [
    ("HTTP/1.1", "", 400), ("HTTP/1.1", "Host: localhost\r\nHost: evil.example\r\n", 400),
    ("HTTP/1.1", "Host: localhost\r\n", 200), ("HTTP/1.0", "", 200)])
def test_an_http11_request_needs_exactly_one_host_header(server, version, headers, status):
    import socket

    with socket.create_connection(server.server_address[:2], timeout=10) as client:
        client.sendall(f"GET /sparql?query=ASK%7B%7D {version}\r\n{headers}Connection: close\r\n\r\n".encode())
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    assert answer.split(b" ", 2)[1] == str(status).encode()


def test_allow_host_and_wildcard_binds():
    from kg.serve.http import allowed_hosts
    assert allowed_hosts("127.0.0.1") >= {"localhost", "127.0.0.1", "[::1]"}
    assert "kg.example.org" in allowed_hosts("127.0.0.1", ["KG.example.org"])
    assert allowed_hosts("192.0.2.7") == {"192.0.2.7"}
    assert allowed_hosts("0.0.0.0") is None  # public on purpose: any name
    assert "kg.example.org" in allowed_hosts("0.0.0.0", ["kg.example.org"])


def test_no_cors_headers(server):
    status, headers, _ = raw(server, "GET", "/sparql?" + urlencode({"query": "ASK {}"}), Origin="http://evil.example")
    assert status == 200 and not any(k.lower().startswith("access-control-") for k in headers)


def test_chunked_post_body(server):
    body = urlencode({"query": OVERALL_GRADES}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 50]), body[i:i + 50]) for i in range(0, len(body), 50))
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=30) as conn:
        conn.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nAccept: text/csv\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
                     b"Connection: close\r\n\r\n" + chunks + b"0\r\n\r\n")
        reply = b""
        while data := conn.recv(65536):
            reply += data
    head, _, text = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and text.decode().splitlines()[1] == "Dudley,2016-01-11,Inadequate"


def test_bad_chunked_body_is_400(server):
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=30) as conn:
        conn.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\nzz\r\nASK {}\r\n0\r\n\r\n")
        assert conn.recv(65536).startswith(b"HTTP/1.1 400")


def test_fifty_concurrent_clients_get_answers(server):
    from concurrent.futures import ThreadPoolExecutor

    def client(i):
        status, _, body = raw(server, "GET", "/sparql?" + urlencode({"query": ASK_DUDLEY_INADEQUATE}),
                              Accept="application/sparql-results+json")
        return status, json.loads(body)["boolean"] if status == 200 else body

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(client, range(150)))
    assert answers == [(200, True)] * 150


def test_binds_loopback_by_default(endpoint):
    server = make_server(endpoint, port=0, quiet=True)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


@pytest.mark.slow  # a whole `kg serve` process started and stopped
def test_kg_serve_command(graph_file):
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(graph_file), "--port", "0", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Serving ") and " at http://127.0.0.1:" in line
        url = line.split(" at ")[1].split(" ")[0]
        client = SPARQLWrapper(url + "sparql")
        client.setQuery(OVERALL_GRADES)
        client.setReturnFormat(JSON)
        bindings = client.query().convert()["results"]["bindings"]
        assert [b["authority"]["value"] for b in bindings] == ["Dudley", "Walsall", "Sandwell"]
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize("option", [["--workers", "0"], ["--timeout", "0"], ["--limit", "0"], ["--port", "99999"]])
def test_kg_serve_bad_options_are_usage_errors(graph_file, option, capsys):
    from kg.cli import main
    from kg.exitcodes import ExitCode

    try:
        code = main(["serve", str(graph_file), *option])
    except SystemExit as stopped:  # argparse's type check (--timeout)
        code = stopped.code
    assert code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith(("kg: error: ", "kg serve: error: ")) and err.count("\n") == 1
