"""The `kg` command line: thin wrappers over the library functions.

Exit codes: 0 success; 1 SHACL violations (validate, or build --strict); 2 bad usage or
missing file; 3 some inputs failed (build --strict only).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INPUT_ERRORS = 0, 1, 2, 3
DEFAULT_OUT = Path("out")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.ttl"


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args) or EXIT_OK
    except FileNotFoundError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description=(
        "Build, validate, query and export a knowledge graph of Ofsted children's-services "
        "inspection reports."))
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in (_build, _validate, _query, _export, *_extra_commands()):
        register(sub)
    return parser


def _extra_commands():
    """Commands living in their own modules (network, serve, push)."""
    import importlib

    found = []
    for module in ("kg.network.cli", "kg.serve.cli", "kg.push", "kg.explore.cli"):
        try:
            found.append(importlib.import_module(module).register)
        except ModuleNotFoundError as exc:
            if not exc.name or not exc.name.startswith("kg."):
                raise
    return found


# ------------------------------------------------------------------ build

def _build(sub) -> None:
    p = sub.add_parser("build", help="extract reports into out/graph.ttl, validate, write a build report",
                       description="Build the knowledge graph from report files and folders "
                                   "(PDF, text, Markdown, HTML). Default input: the embedded seeds/.")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds/)")
    p.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: out/)")
    p.add_argument("--reader", choices=("pdfium", "pdfplumber"), default="pdfium",
                   help="PDF text reader (default: pdfium, fast; pdfplumber is slower)")
    p.add_argument("--base", help="base IRI for instances (default: https://w3id.org/ofsted-kg/id/)")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    p.add_argument("--no-cache", action="store_true", help="re-extract every file")
    p.add_argument("--workers", type=int, help="processes for extraction (default: all cores)")
    p.add_argument("--strict", action="store_true",
                   help="exit 3 if any input failed, 1 if the graph violates the shapes")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    p.set_defaults(func=run_build)


def run_build(args) -> int:
    from .build import build

    result = build(args.paths or None, args.out, reader=args.reader, base=args.base,
                   validate=not args.no_validate, cache=not args.no_cache, workers=args.workers,
                   progress=not args.quiet and sys.stderr.isatty())
    if not args.quiet:
        for f in result.files:
            if f.error:
                print(f"ERROR   {f.error}")
            else:
                facts = ", ".join(f"{v} {k}" for k, v in f.facts.items())
                print(f"ok      {f.source_file}: {f.kind} of {f.authority} ({facts})")
            for warning in f.warnings:
                print(f"WARNING {f.source_file}: {warning}")
    kinds: dict[str, int] = {}
    for record in result.records:
        kinds[record.kind] = kinds.get(record.kind, 0) + 1
    authorities = len({r.authority.urn for r in result.records})
    from .names import person_key
    inspectors = len({person_key(role.name) for r in result.records for role in r.roles})
    print(f"Built {len(result.records)} of {len(result.files)} files ({result.pages} pages): "
          + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
          + f"; {authorities} authorities, {inspectors} inspectors, {result.triples} triples "
          f"in {result.seconds:.1f} s" + (" (nothing changed)" if result.unchanged else ""))
    if result.validation is not None:
        print(result.validation.summary())
    print(f"Wrote {args.out / 'graph.ttl'} and {args.out / 'build-report.json'}")
    if args.strict and result.errors:
        return EXIT_INPUT_ERRORS
    if args.strict and result.validation is not None and not result.validation.conforms:
        return EXIT_INVALID
    return EXIT_OK


# ------------------------------------------------------------------ validate

def _validate(sub) -> None:
    p = sub.add_parser("validate", help="check a graph against the SHACL shapes",
                       description="Validate an RDF file against ontology/shapes.ttl. Exit 1 on violations.")
    p.add_argument("graph", type=Path, nargs="?", default=DEFAULT_GRAPH, help="RDF file (default: out/graph.ttl)")
    p.set_defaults(func=run_validate)


def run_validate(args) -> int:
    from .validate import validate_file

    if not args.graph.exists():
        raise FileNotFoundError(f"{args.graph}: no such file (run 'kg build' first?)")
    report = validate_file(args.graph)
    print(report.summary())
    return EXIT_OK if report.conforms else EXIT_INVALID


# ------------------------------------------------------------------ query

def _query(sub) -> None:
    p = sub.add_parser("query", help="run SPARQL over the graph",
                       description="Run a SPARQL query: a .rq file, the name of one in queries/, or -e TEXT.")
    p.add_argument("query", nargs="?", help="FILE.rq or a name from queries/ (see --list)")
    p.add_argument("-e", "--expression", help="SPARQL text")
    p.add_argument("-g", "--graph", type=Path, default=DEFAULT_GRAPH, help="RDF file (default: out/graph.ttl)")
    p.add_argument("-f", "--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("-p", "--param", action="append", default=[], metavar="VAR=VALUE",
                   help="bind ?VAR to a literal (or IRI) value, e.g. -p authority=Dudley")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="query engine (default: oxigraph, much faster on large graphs)")
    p.add_argument("--list", action="store_true", help="list the queries in queries/ with their questions")
    p.set_defaults(func=run_query)


def run_query(args) -> int:
    from .query import load_graph, load_store, named_queries, query, query_store, query_text, question_of, render

    if args.list:
        for name, path in named_queries().items():
            print(f"{name:36} {question_of(path.read_text(encoding='utf-8'))}")
        return EXIT_OK
    if not args.query and not args.expression:
        raise FileNotFoundError("give a query file or name, or -e 'SPARQL'")
    sparql = args.expression or query_text(args.query)
    if not args.graph.exists():
        raise FileNotFoundError(f"{args.graph}: no such file (run 'kg build' first?)")
    params = dict(p.split("=", 1) for p in args.param)
    if args.engine == "rdflib":
        graph = load_graph(args.graph)
        run = lambda: query(graph, sparql, params)  # noqa: E731
    else:
        store = load_store(args.graph)
        run = lambda: query_store(store, sparql, params)  # noqa: E731
    try:
        result = run()
    except Exception as exc:  # both engines raise their own syntax errors for bad SPARQL
        print(f"kg: query error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from .rdf import new_graph
    print(render(result, args.format, new_graph()).rstrip("\n"))
    return EXIT_OK


# ------------------------------------------------------------------ export

EXPORT_FORMATS = ("turtle", "nt", "nq", "trig", "jsonld", "xml")


def _export(sub) -> None:
    p = sub.add_parser("export", help="write the graph in another RDF syntax",
                       description="Export the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML "
                                   "(written by Oxigraph: seconds for the whole corpus).")
    p.add_argument("-g", "--graph", type=Path, default=DEFAULT_GRAPH, help="RDF file (default: out/graph.ttl)")
    p.add_argument("-f", "--format", choices=EXPORT_FORMATS, default="turtle")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.set_defaults(func=run_export)


def run_export(args) -> int:
    from .query import export, load_store

    if not args.graph.exists():
        raise FileNotFoundError(f"{args.graph}: no such file (run 'kg build' first?)")
    data = export(load_store(args.graph), args.format)
    if args.output:
        args.output.write_bytes(data)
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
