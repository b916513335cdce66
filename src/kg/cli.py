"""The `kg` command line: thin wrappers over the library functions.

Exit codes: kg.exitcodes.ExitCode (the one table; the README repeats it).
"""
from __future__ import annotations

import argparse
import errno
import os
import re
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .exitcodes import ExitCode
from .outputs import DEFAULT_GRAPH, DEFAULT_OUT, OutputDir, atomic_write, graph_path


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and an ExitCode, never a traceback."""
    from .errors import InputFileError, InterruptedAfterWriting, OutputError, printable
    from .graphio import GraphFileError

    parser = make_parser(argv if argv is not None else sys.argv[1:])
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return ExitCode.USAGE
    try:
        code = args.func(args) or ExitCode.OK
        sys.stdout.flush()  # a full disk or a closed pipe on standard output shows here, not at exit
        return code
    except FileNotFoundError as exc:  # a missing input, graph (kg.graphio.GraphMissing) or query file
        print(f"kg: error: {printable(str(exc))}", file=sys.stderr)
        return ExitCode.USAGE
    except GraphFileError as exc:  # a graph file that is empty, truncated or not RDF
        print(f"kg: error: {printable(str(exc))}", file=sys.stderr)
        return ExitCode.FILE_ERROR
    except (InputFileError, OutputError) as exc:
        print(f"kg: error: {printable(str(exc))}", file=sys.stderr)
        return ExitCode.FILE_ERROR
    except InterruptedAfterWriting as exc:
        print(f"kg: {str(exc) or 'interrupted while writing the outputs: they were completed first and agree'}",
              file=sys.stderr)
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        print("kg: interrupted; previous outputs left intact", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK
    except OSError as exc:  # writing an answer failed: full disk, device error, read-only folder
        _silence_stdout()
        where = f"{exc.filename}: " if exc.filename else "standard output: " if exc.errno in _WRITE_ERRORS else ""
        print(printable(f"kg: error: {where}cannot write ({exc.strerror or exc})"), file=sys.stderr)
        return ExitCode.FILE_ERROR


_WRITE_ERRORS = {errno.ENOSPC, errno.EIO, errno.EPIPE, errno.EDQUOT, errno.EFBIG}


def _silence_stdout() -> None:
    """Point standard output at /dev/null so Python's flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


_CORE = ("build", "validate", "query", "export")


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line (the principle every kg error follows) and a
    pointer to --help instead of the usage summary. Subcommands' parsers are of this class too."""

    def error(self, message: str):
        from .errors import printable

        self.exit(ExitCode.USAGE,
                  printable(f"{self.prog}: error: {' '.join(message.split())} (see {self.prog} --help)\n"))


def make_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for every command; given the arguments of a core command (build, validate,
    query, export), only the core commands: the others' modules are then not imported (that
    took ~0.5 s of a no-change `kg build`)."""
    parser = _Parser(prog="kg", description=(
        "Build, validate, query and export a knowledge graph of Ofsted children's-services "
        "inspection reports."))
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    command = next((a for a in argv or [] if not a.startswith("-")), None)
    extra = () if command in _CORE else _extra_commands()
    for register in (_build, _validate, _query, _export, *extra):
        register(sub)
    return parser


def _extra_commands():
    """Commands living in their own modules (network, serve, push)."""
    import importlib

    found = []
    for module in ("kg.network.cli", "kg.serve.cli", "kg.push", "kg.analysis.cli", "kg.explore.cli"):
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
    p.add_argument("-o", "--out", type=folder_argument, default=DEFAULT_OUT, help="output folder (default: out/)")
    p.add_argument("--reader", choices=("pdfium", "pdfplumber"), default="pdfium",
                   help="PDF text reader (default: pdfium, fast; pdfplumber is slower)")
    p.add_argument("--base", type=base_iri, help="base IRI for instances (default: https://w3id.org/ofsted-kg/id/)")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    p.add_argument("--no-cache", action="store_true", help="re-extract every file")
    p.add_argument("--workers", type=at_least_one, help="processes for extraction (default: all cores)")
    p.add_argument("--strict", action="store_true",
                   help="exit 3 if any input failed, else 1 if the graph violates the shapes, "
                        "else 4 if any file has warnings")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary lines")
    p.set_defaults(func=run_build)


def at_least_one(text: str) -> int:
    """argparse type of a count option (--workers, --top): a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def folder_argument(text: str) -> Path:
    """argparse type of an output folder: a path, not an empty string (which would be the
    current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("give a folder, not an empty string")
    return Path(text)


def seconds(text: str) -> float:
    """argparse type of a time limit (--timeout): a number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text}")
    return value


def iri(text: str) -> str:
    """argparse type of an absolute http(s) IRI (--base, --sparql, --endpoint...): checked as
    Oxigraph parses IRIs, so a bad one is a usage error, not a failure deep in a command."""
    from urllib.parse import urlsplit

    import pyoxigraph as ox

    try:
        parts = urlsplit(text)
        ox.NamedNode(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a valid IRI ({' '.join(str(exc).split())})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an absolute http(s) URL")
    return text


def base_iri(text: str) -> str:
    """argparse type of --base: an http(s) IRI ending in / or #, to which kg appends its paths."""
    text = iri(text)
    if not text.endswith(("/", "#")):
        raise argparse.ArgumentTypeError(f"{text!r} must end with / or # (kg appends inspection/..., person/...)")
    return text


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_build(args) -> int:
    from .build import build

    from .build.inputs import is_utf8
    from .errors import printable

    out = OutputDir(args.out)
    if not is_utf8(str(out.root.resolve())):  # the store's path must be text
        print(f"kg: error: {printable(str(out.root))}: output folder path is not valid UTF-8 (give -o another)",
              file=sys.stderr)
        return ExitCode.USAGE
    if out.root.exists() and not out.root.is_dir():
        print(f"kg: error: {out.root}: is a file, not an output folder (give -o a folder)", file=sys.stderr)
        return ExitCode.FILE_ERROR
    new_folder = not out.root.exists()
    # SIGTERM stops a build as Ctrl-C does: workers stopped, outputs kept, exit 130.
    previous = None
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = build(args.paths or None, out.root, reader=args.reader, base=args.base,
                       validate=not args.no_validate, cache=not args.no_cache, workers=args.workers,
                       progress=not args.quiet and sys.stderr.isatty())
    except BaseException as exc:  # a missing input, an interruption...: no new folder is left behind
        from .errors import InterruptedAfterWriting

        if new_folder and not isinstance(exc, InterruptedAfterWriting):  # (that one wrote its outputs)
            import shutil

            shutil.rmtree(out.root, ignore_errors=True)
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    try:
        return _report_build(args, result, out, new_folder)
    except KeyboardInterrupt:  # while the summary is printed: the outputs are already in place
        from .errors import InterruptedAfterWriting

        if not result.written:
            raise
        raise InterruptedAfterWriting("interrupted after the outputs were written: they are complete and agree") \
            from None


def _report_build(args, result, out: OutputDir, new_folder: bool) -> int:
    """Print what the build did (per file unless -q; its summary) and give its exit code."""
    from .errors import printable

    if not args.quiet:
        for f in result.files:
            if f.error:
                print(f"ERROR   {f.error}")
            elif not f.duplicate:
                facts = ", ".join(f"{v} {k}" for k, v in f.facts.items())
                print(f"ok      {f.source_file}: {f.kind} of {f.authority} ({facts})")
            for warning in f.warnings:
                print(f"WARNING {f.source_file}: {warning}")
    for finding in result.findings:  # about the build as a whole: cache entries, possible same person
        print(f"{'WARNING' if finding.severity == 'warning' else 'INFO   '} {finding.file}: {finding}")
    if not result.records:
        inputs = ", ".join(printable(str(p)) for p in args.paths) or "seeds/"
        reason = f"all {len(result.files)} input(s) failed" if result.files else "no PDF or text files found"
        if new_folder:  # it holds only this build's cache of refusals: nothing of use
            import shutil

            shutil.rmtree(out.root, ignore_errors=True)
        kept = f"{out.graph} left unchanged" if out.graph.exists() else f"no graph written to {out.root}"
        print(f"kg: error: nothing to build from {inputs} ({reason}); {kept}", file=sys.stderr)
        return ExitCode.INPUT_FAILED
    kinds: dict[str, int] = {}
    for record in result.records:
        kinds[record.kind] = kinds.get(record.kind, 0) + 1
    authorities = len({r.authority.urn for r in result.records})
    from .names import person_key
    inspectors = len({person_key(role.name) for r in result.records for role in r.roles})
    print(f"Built {len(result.records)} of {_count(len(result.files), 'file')} ({_count(result.pages, 'page')}): "
          + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
          + f"; {_count(authorities, 'authority', 'authorities')}, {_count(inspectors, 'inspector')}, "
          f"{_count(result.triples, 'triple')} "
          f"in {result.seconds:.1f} s" + (" (nothing changed)" if result.unchanged else ""))
    if result.validation is not None:
        print(result.validation.summary())
    warned = sum(1 for f in result.files if f.warnings)
    if result.warnings:
        print(f"{_count(len(result.warnings), 'warning')} in {_count(warned, 'file')}, see {out.report}")
    if result.unchanged:
        print(f"Kept {out.graph} and {out.store} (nothing changed); wrote {out.report}")
    else:
        print(f"Wrote {out.graph}, {out.store} and {out.report}")
    if args.strict:
        if result.errors:
            return ExitCode.INPUT_FAILED
        if result.validation is not None and not result.validation.conforms:
            return ExitCode.INVALID
        if result.warnings:
            return ExitCode.WARNINGS
    return ExitCode.OK


def _count(n: int, one: str, many: str | None = None) -> str:
    """'1 file', '2 files'."""
    return f"{n} {one if n == 1 else many or one + 's'}"


# ------------------------------------------------------------------ validate

def _validate(sub) -> None:
    p = sub.add_parser("validate", help="check a graph against the SHACL shapes",
                       description="Validate an RDF file against ontology/shapes.ttl. Exit 1 on violations.")
    p.add_argument("graph", type=graph_path, nargs="?", default=DEFAULT_GRAPH,
                   help="RDF file or build output folder (default: out/graph.ttl)")
    p.set_defaults(func=run_validate)


def run_validate(args) -> int:
    from .validate import validate_file

    report = validate_file(args.graph)
    print(report.summary())
    return ExitCode.OK if report.conforms else ExitCode.INVALID


# ------------------------------------------------------------------ query

def _query(sub) -> None:
    p = sub.add_parser("query", help="run SPARQL over the graph",
                       description="Run a SPARQL query: a .rq file, the name of one in queries/, or -e TEXT.")
    p.add_argument("query", nargs="?", help="FILE.rq or a name from queries/ (see --list)")
    p.add_argument("-e", "--expression", help="SPARQL text")
    p.add_argument("-g", "--graph", type=graph_path, default=DEFAULT_GRAPH,
                   help="RDF file or build output folder (default: out/graph.ttl)")
    p.add_argument("-f", "--format", choices=("table", "csv", "tsv", "json", "xml"), default="table",
                   help="table (default), or a SPARQL result format: csv, tsv, json, xml")
    p.add_argument("-p", "--param", action="append", default=[], metavar="VAR=VALUE",
                   help="bind ?VAR to a literal (or IRI) value, e.g. -p authority=Dudley")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="query engine (default: oxigraph, much faster on large graphs)")
    p.add_argument("--list", action="store_true", help="list the queries in queries/ with their questions")
    p.set_defaults(func=run_query)


def run_query(args) -> int:
    from .errors import printable
    from .query import named_queries, param_term, query, query_store, query_text, question_of, render

    if args.list:
        for name, path in named_queries().items():
            print(f"{name:36} {question_of(path.read_text(encoding='utf-8'))}")
        return ExitCode.OK
    if not args.query and not args.expression:
        print("kg: error: give a query file or name, or -e 'SPARQL'", file=sys.stderr)
        return ExitCode.USAGE
    sparql = args.expression or query_text(args.query)
    params = {}
    for param in args.param:
        name, equals, value = param.partition("=")
        if not equals or not name.strip().isidentifier():
            print(f"kg: error: -p {param!r}: expected VAR=VALUE, e.g. -p authority=Dudley", file=sys.stderr)
            return ExitCode.USAGE
        name = name.strip()
        if name in params:
            print(f"kg: error: -p {name}= given twice: bind each variable once", file=sys.stderr)
            return ExitCode.USAGE
        if not re.search(rf"[?$]{re.escape(name)}\b", sparql):
            print(f"kg: error: -p {name}=...: the query has no variable ?{name}", file=sys.stderr)
            return ExitCode.USAGE
        try:
            param_term(name, value)
        except ValueError as exc:
            print(f"kg: error: {printable(str(exc))}", file=sys.stderr)
            return ExitCode.USAGE
        params[name] = value
    if args.expression or args.query not in named_queries():  # the project's own queries are known safe
        from .sparql import NO_QUERY, QueryRefused, safe_query

        where = "" if args.expression else f"{args.query}: "  # a query file's errors name it
        try:
            if not sparql.strip():  # (the endpoint's wording for this speaks of HTTP requests)
                raise QueryRefused(NO_QUERY)
            sparql = safe_query(sparql)  # decided on the parsed text: no update, no SERVICE, bounded nesting
        except QueryRefused as refused:
            print(f"kg: query error: {where}{refused.message}", file=sys.stderr)
            return ExitCode.USAGE
    from .graphio import load_graph, open_store, read_prefixes
    source = load_graph(args.graph) if args.engine == "rdflib" else open_store(args.graph)
    try:  # Oxigraph terms as they come: the default path never imports rdflib
        result = query(source, sparql, params) if args.engine == "rdflib" else \
            query_store(source, sparql, params, native=True)
    except Exception as exc:  # both engines raise their own errors for bad SPARQL or bad -p values
        print(f"kg: query error: {' '.join(str(exc).split())}", file=sys.stderr)
        return ExitCode.USAGE
    # the table shortens IRIs by the prefixes the graph file declares (rdflib: those it bound)
    prefixes = source if args.engine == "rdflib" else read_prefixes(args.graph)
    print(render(result, args.format, prefixes).rstrip("\r\n"))
    if params and not result.rows and result.ask is None and result.graph is None and result.triples is None:
        from .query import absent_values

        for note in absent_values(source, params):  # an empty answer to a question not asked
            print(f"kg: note: {note}", file=sys.stderr)
    return ExitCode.OK


# ------------------------------------------------------------------ export

from .graphio import SYNTAX_NAMES as EXPORT_FORMATS  # noqa: E402


def _export(sub) -> None:
    p = sub.add_parser("export", help="write the graph in another RDF syntax",
                       description="Export the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML "
                                   "(written by Oxigraph: seconds for the whole corpus).")
    p.add_argument("-g", "--graph", type=graph_path, default=DEFAULT_GRAPH,
                   help="RDF file or build output folder (default: out/graph.ttl)")
    p.add_argument("-f", "--format", choices=EXPORT_FORMATS, default="turtle")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.set_defaults(func=run_export)


def run_export(args) -> int:
    from .errors import printable
    from .graphio import open_store
    from .query import export

    data = export(open_store(args.graph), args.format)
    if args.output:
        try:
            atomic_write(args.output, data)
        except OSError as exc:
            print(f"kg: error: {printable(str(args.output))}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return ExitCode.FILE_ERROR
        print(f"Wrote {printable(str(args.output))}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
