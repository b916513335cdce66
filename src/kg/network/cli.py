"""`kg network`: a thin command over kg.network (analyses, pictures, Gephi files)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..cli import at_least_one
from ..errors import printable
from ..exitcodes import ExitCode
from ..outputs import DEFAULT_GRAPH, OutputDir, graph_path



def register(sub) -> None:
    p = sub.add_parser(
        "network", help="shared-inspector networks: analyses, PNG, interactive HTML, GraphML/GEXF",
        description="Build the inspector-inspection, inspector-inspector and authority-authority "
                    "networks from the graph (through SPARQL), print the most connected inspectors, "
                    "communities and authorities sharing inspectors, and write network.png, "
                    "network.html (interactive, offline), network.graphml, network.gexf, edges.csv, "
                    "authority-edges.csv and analysis.json. With --between, print only the inspectors "
                    "two authorities share.")
    p.add_argument("-g", "--graph", type=graph_path, default=DEFAULT_GRAPH,
                   help="RDF file or build output folder (default: out/graph.ttl)")
    p.add_argument("-o", "--out", type=Path, default=OutputDir().network,
                   help="output folder (default: out/network)")
    p.add_argument("--top", type=at_least_one, default=10, metavar="N", help="rows per table (default: 10)")
    p.add_argument("--png-top", type=at_least_one, default=40, metavar="N",
                   help="inspectors drawn in network.png when there are more (default: 40)")
    p.add_argument("--between", nargs=2, metavar=("A", "B"),
                   help="the inspectors authorities A and B share (names match case-insensitively)")
    p.add_argument("--all-roles", action="store_true",
                   help="count quality assurance managers and data analysts as well")
    p.add_argument("-f", "--format", choices=("table", "json"), default="table")
    p.add_argument("--no-files", action="store_true", help="print the analyses only")
    p.set_defaults(func=run_network)


def run_network(args) -> int:
    from ..graphio import open_store
    from . import analysis
    from .export import write_network
    from .graphs import UnknownAuthority, load_network

    store = open_store(args.graph)  # a missing or damaged graph: one line from kg.cli.main
    net = load_network(store, all_roles=args.all_roles)
    if args.between:
        try:
            rows = analysis.shared_inspectors(net, *args.between)
        except UnknownAuthority as exc:
            print(f"kg: error: {exc}", file=sys.stderr)
            return ExitCode.USAGE
        a, b = (net.authority(name).label for name in args.between)
        if args.format == "json":
            print(json.dumps({"authorities": [a, b], "inspectors": sorted({r["inspector"] for r in rows}),
                              "inspections": rows}, indent=2, ensure_ascii=False))
        else:
            names = sorted({r["inspector"] for r in rows})
            print(f"{a} and {b} share {len(names)} inspector{'s' if len(names) != 1 else ''}"
                  + (f": {', '.join(names)}" if names else ""))
            if rows:
                print()
                print(analysis.format_table(rows))
        return ExitCode.OK

    report = analysis.analyse(net, top=args.top)
    files = [] if args.no_files else write_network(net, args.out, top=args.png_top, analysis=report)
    if args.format == "json":
        print(json.dumps(report | {"files": [str(f) for f in files]}, indent=2, ensure_ascii=False))
        return ExitCode.OK
    print(f"Network of {args.graph}: {report['summary']}")
    shared, pairs = report["cross_authority_inspectors"], report["authority_pairs"]
    for title, rows in (
            (f"Inspectors who worked in more than one authority ({min(args.top, len(shared))} of {len(shared)})",
             shared[:args.top]),
            (f"Most connected inspectors (top {len(report['most_connected'])} of {report['inspectors']})",
             report["most_connected"]),
            ("Communities (Louvain, weighted by shared inspections; 0 = no co-inspector)",
             report["communities"]),
            (f"Authorities sharing inspectors (top {min(args.top, len(pairs))} of {len(pairs)} pairs)",
             pairs[:args.top])):
        print(f"\n{title}\n{analysis.format_table(rows)}")
    if files:
        print(printable(f"\nWrote {files[0].parent}/: " + ", ".join(f.name for f in files)))
    return ExitCode.OK
