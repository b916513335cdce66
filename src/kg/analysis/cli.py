"""`kg table` and `kg plot`: thin commands over kg.analysis (tables, plots)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..exitcodes import ExitCode
from ..outputs import DEFAULT_OUT, graph_path


def register(sub) -> None:
    from .plots import PLOTS
    from .tables import FORMATS, TABLES

    p = sub.add_parser(
        "table", help="analysts' tables (inspections, judgements, inspectors, recommendations, themes) as CSV, JSON or Excel",
        description="Write a table of the graph: inspections (one row per inspection or visit, every judgement "
                    "in its own column), judgements, inspectors (person x role), recommendations (with themes "
                    "and page) or themes; 'all' writes every table (one sheet each in Excel). CSV or JSON go to "
                    "standard output unless -o is given.")
    p.add_argument("name", choices=(*TABLES, "all"), help="the table")
    p.add_argument("-f", "--format", choices=FORMATS, help="csv (default), json or xlsx (default: from -o's suffix)")
    p.add_argument("-o", "--output", type=Path, help="file to write (atomically)")
    p.add_argument("-g", "--graph", type=graph_path, default=DEFAULT_OUT,
                   help="build output folder or graph file (default: out/)")
    p.add_argument("--peer-columns", action="store_true",
                   help="inspections in the columns and value conventions of the public ILACS scrape "
                        "tool's CSV (peer_ilacs_history_dev.csv), pre-2018 reports included")
    p.set_defaults(func=run_table)

    p = sub.add_parser(
        "plot", help="plots: an authority's timeline, grades per year, grade transitions",
        description="Draw a plot of the graph as PNG or SVG: timeline (an authority's judgements on the ILACS "
                    "areas over time, older frameworks aligned, visits marked; needs --authority), "
                    "distribution (overall grades per year), transitions (heat map of the overall grade at "
                    "one full inspection against the next).")
    p.add_argument("name", choices=PLOTS, help="the plot")
    p.add_argument("-o", "--output", type=Path, required=True, help="FILE.png or FILE.svg")
    p.add_argument("-g", "--graph", type=graph_path, default=DEFAULT_OUT,
                   help="build output folder or graph file (default: out/)")
    p.add_argument("-a", "--authority", help="the authority of a timeline, as named in the graph (e.g. Dudley)")
    p.set_defaults(func=run_plot)


def _fail(message: str, code: ExitCode) -> int:
    print(f"kg: error: {message}", file=sys.stderr)
    return code


def _open(path):
    """The graph for analysis, or the exit code after one line saying why it cannot be read."""
    from .source import graph_file, open_graph

    try:  # a missing or damaged graph file (kg.graphio) is reported by kg.cli.main
        return open_graph(graph_file(path))
    except (SyntaxError, ValueError) as exc:
        return _fail(f"{path}: cannot read the graph ({exc})", ExitCode.FILE_ERROR)


def run_table(args) -> int:
    from .tables import TABLES, table, write

    fmt = args.format or (args.output.suffix.lower().lstrip(".") if args.output else "csv")
    if fmt not in ("csv", "json", "xlsx"):
        return _fail(f"{args.output}: unknown table format (use -f csv, json or xlsx)", ExitCode.USAGE)
    graph = _open(args.graph)
    if isinstance(graph, ExitCode):
        return graph
    names = TABLES if args.name == "all" else (args.name,)
    try:
        tables = {name: table(graph, name, peer_columns=args.peer_columns) for name in names}
        text = write(tables, fmt, args.output)
    except ValueError as exc:
        return _fail(str(exc), ExitCode.USAGE)
    except OSError as exc:
        return _fail(f"{args.output}: cannot write ({exc.strerror or exc})", ExitCode.FILE_ERROR)
    if text is not None:
        sys.stdout.write(text)
    else:
        rows = sum(len(t.rows) for t in tables.values())
        print(f"Wrote {args.output} ({', '.join(tables)}: {rows} rows)", file=sys.stderr)
    return ExitCode.OK


def run_plot(args) -> int:
    from . import plots

    if args.output.suffix.lower() not in (".png", ".svg"):
        return _fail(f"{args.output}: plots are written as .png or .svg", ExitCode.USAGE)
    if args.name == "timeline" and not args.authority:
        return _fail("the timeline needs --authority NAME", ExitCode.USAGE)
    graph = _open(args.graph)
    if isinstance(graph, ExitCode):
        return graph
    try:
        fig = plots.timeline(graph, args.authority) if args.name == "timeline" else getattr(plots, args.name)(graph)
        plots.save(fig, args.output)
    except plots.NoData as exc:
        return _fail(str(exc), ExitCode.USAGE)
    except OSError as exc:
        return _fail(f"{args.output}: cannot write ({exc.strerror or exc})", ExitCode.FILE_ERROR)
    print(f"Wrote {args.output}", file=sys.stderr)
    return ExitCode.OK
