"""`kg push`: load a built graph into a SPARQL 1.1 triple store, one named graph per report.

    report = push("out/graph.ttl", "http://127.0.0.1:7878")          # Oxigraph: GSP at /store
    report = push(graph, gsp="http://host/ds/data")                    # any Graph Store Protocol
    report = push(graph, update="http://host/ds/update")               # or SPARQL 1.1 Update

With graph_per_report, each report's triples go to <base>graph/<report key>: the triples whose
subject is the report, its inspection (the node kg:reportedIn the report) or a node whose IRI
extends the inspection's or the report's IRI with '/...' (judgements, roles, recommendations,
theme mentions). Everything else (authorities, inspectors, ontology, vocabularies) goes to
<base>graph/shared. Each graph is replaced (GSP PUT, or DROP + INSERT DATA), so pushing again
is idempotent. Without graph_per_report the whole graph replaces the store's default graph.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from .cli import iri as url_argument
from .cli import seconds
from .exitcodes import ExitCode
from .graphio import serialize
from .graphio import read_triples as read_file_triples
from .outputs import DEFAULT_GRAPH, graph_path

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


class PushError(Exception):
    """The triple store refused a request or could not be reached."""


@dataclass
class PushedGraph:
    iri: str | None  # None: the default graph
    triples: int
    status: int


@dataclass
class PushReport:
    target: str
    protocol: str  # "gsp" or "update"
    graphs: list[PushedGraph] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def summary(self) -> str:
        named = [g for g in self.graphs if g.iri]
        where = (f"{len(named)} named graphs ({len(named) - 1} reports + shared)" if named
                 else "the default graph")
        return f"Pushed {self.triples} triples into {where} at {self.target} in {self.seconds:.1f} s"


# ------------------------------------------------------------------ partition

def read_triples(graph) -> list[ox.Triple]:
    """Triples of an RDF file (path: kg.graphio.GraphFileError if missing, empty or damaged) or
    an rdflib Graph, as pyoxigraph triples."""
    if isinstance(graph, (str, Path)):
        return read_file_triples(graph)
    quads = ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return list(dict.fromkeys(q.triple for q in quads))


def partition(triples: list[ox.Triple]) -> dict[str, list[ox.Triple]]:
    """Named graph IRI -> its triples: one graph per report plus <base>graph/shared."""
    from .rdf import DEFAULT_BASE, KG, SHARED_GRAPH, Mapper, parse_report_iri

    source_file, reported_in = ox.NamedNode(KG.sourceFile), ox.NamedNode(KG.reportedIn)
    reports = {t.subject.value for t in triples if t.predicate == source_file and isinstance(t.subject, ox.NamedNode)}
    owner = {report: report for report in reports}
    for t in triples:
        if t.predicate == reported_in and t.object.value in reports and isinstance(t.subject, ox.NamedNode):
            owner.setdefault(t.subject.value, t.object.value)
    parsed = {report: parse_report_iri(report) for report in reports}
    mapper = Mapper(next((p[0] for _, p in sorted(parsed.items()) if p), DEFAULT_BASE))
    graph_of = {report: str(mapper.graph_iri(parsed[report][1] if parsed[report] else report.rstrip("/").rsplit("/", 1)[1]))
                for report in reports}
    shared = str(mapper.graph_iri(SHARED_GRAPH))
    graphs: dict[str, list[ox.Triple]] = {shared: []}
    graphs.update({iri: [] for iri in sorted(graph_of.values())})
    for t in triples:
        report = _owner(t.subject.value, owner) if isinstance(t.subject, ox.NamedNode) else None
        graphs[graph_of[report] if report else shared].append(t)
    return graphs


def _owner(iri: str, owner: dict[str, str]) -> str | None:
    if iri in owner:
        return owner[iri]
    cut = iri.rfind("/")
    while cut > 0:
        if iri[:cut] in owner:
            return owner[iri[:cut]]
        cut = iri.rfind("/", 0, cut)
    return None


# ------------------------------------------------------------------ push

def push(graph, endpoint: str | None = None, graph_per_report: bool = True, *, gsp: str | None = None,
         update: str | None = None, timeout: float = 60.0, batch: int = 50_000) -> PushReport:
    """Load `graph` (an RDF file path or an rdflib Graph) into a triple store.

    endpoint: the server's base URL; the Graph Store Protocol is used at `gsp` (default
    endpoint + '/store', Oxigraph's path). Give `update` instead to use SPARQL 1.1 Update there.
    """
    if not (endpoint or gsp or update):
        raise ValueError("give an endpoint URL, a Graph Store Protocol URL (gsp) or an update URL")
    started = time.perf_counter()
    triples = read_triples(graph)
    graphs = partition(triples) if graph_per_report else {None: triples}
    if update:
        report = PushReport(update, "update")
        for iri, members in graphs.items():
            report.graphs.append(PushedGraph(iri, len(members), _update_graph(update, iri, members, timeout, batch)))
    else:
        target = gsp or endpoint.rstrip("/") + "/store"
        report = PushReport(target, "gsp")
        for iri, members in graphs.items():
            url = _with_query(target, f"graph={quote(iri, safe='')}" if iri else "default")
            body = serialize(members, "nt")
            report.graphs.append(PushedGraph(iri, len(members),
                                             _send("PUT", url, body, "application/n-triples", timeout)))
    report.seconds = time.perf_counter() - started
    return report


def _update_graph(url: str, iri: str | None, triples: list[ox.Triple], timeout: float, batch: int) -> int:
    drop = f"DROP SILENT GRAPH <{iri}>" if iri else "DROP SILENT DEFAULT"
    status = 0
    for start in range(0, max(len(triples), 1), batch):
        data = serialize(triples[start:start + batch], "nt").decode("utf-8")
        body = f"INSERT DATA {{ GRAPH <{iri}> {{\n{data}}} }}" if iri else f"INSERT DATA {{\n{data}}}"
        if start == 0:
            body = f"{drop} ;\n{body}"
        status = _send("POST", url, body.encode("utf-8"), "application/sparql-update; charset=utf-8", timeout)
    return status


def _with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _send(method: str, url: str, body: bytes, content_type: str, timeout: float) -> int:
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    # loopback stores are reached directly, whatever http_proxy says
    opener = (urllib.request.build_opener(urllib.request.ProxyHandler({}))
              if urlsplit(url).hostname in LOOPBACK else urllib.request.build_opener())
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        detail = _one_line(exc.read()[:2000].decode("utf-8", errors="replace"))
        raise PushError(f"{method} {_shown(url)}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        raise PushError(f"cannot reach {_shown(url)}: {getattr(exc, 'reason', exc)}") from None
    except (http.client.HTTPException, ValueError) as exc:  # not an HTTP server, bad port, ...
        raise PushError(f"{method} {_shown(url)}: {type(exc).__name__}: {exc}") from None


def _shown(url: str) -> str:
    """The URL as an error message may show it: a password in it replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def _one_line(body: str) -> str:
    """A store's error page as one short line: its text without markup, spaces collapsed."""
    from html.parser import HTMLParser

    texts: list[str] = []
    page = HTMLParser()
    page.handle_data = texts.append
    page.feed(body)
    page.close()
    text = " ".join(" ".join(texts).split())
    return text if len(text) <= 200 else text[:199] + "…"


# ------------------------------------------------------------------ command line

def register(sub) -> None:
    p = sub.add_parser("push", help="load the graph into a SPARQL triple store (one named graph per report)",
                       description="Load GRAPH into a SPARQL 1.1 store through the Graph Store Protocol "
                                   "(PUT, default URL: ENDPOINT/store as in Oxigraph) or SPARQL Update. "
                                   "Re-pushing replaces the same graphs. Exit 6 if the store refused a "
                                   "request or could not be reached, 5 if GRAPH is empty or damaged.")
    p.add_argument("graph", nargs="?", type=graph_path, default=DEFAULT_GRAPH,
                   help="RDF file or build output folder (default: out/graph.ttl)")
    p.add_argument("--endpoint", type=url_argument, help="the store's base URL, e.g. http://127.0.0.1:7878")
    p.add_argument("--graph-per-report", action="store_true",
                   help="one named graph per report (<base>graph/<report>) plus <base>graph/shared; "
                        "without it the graph replaces the default graph")
    p.add_argument("--gsp", metavar="URL", type=url_argument, help="Graph Store Protocol URL (default: ENDPOINT/store)")
    p.add_argument("--update", metavar="URL", type=url_argument, help="use SPARQL 1.1 Update at this URL instead of the GSP")
    p.add_argument("--timeout", type=seconds, default=60.0, help="seconds per HTTP request (default: 60)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    p.set_defaults(func=run_push)


def run_push(args) -> int:
    if not (args.endpoint or args.gsp or args.update):
        print("kg: error: give --endpoint URL (or --gsp URL or --update URL)", file=sys.stderr)
        return ExitCode.USAGE
    try:
        report = push(args.graph, args.endpoint, args.graph_per_report, gsp=args.gsp, update=args.update,
                      timeout=args.timeout)
    except PushError as exc:
        print(f"kg: push failed: {exc}", file=sys.stderr)
        return ExitCode.REMOTE
    if not args.quiet:
        for g in report.graphs:
            print(f"{g.status}  {g.iri or '(default graph)'}  {g.triples} triples")
    print(report.summary())
    return ExitCode.OK
