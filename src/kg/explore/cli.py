"""`kg site`: a thin command over kg.explore.write_site."""
from __future__ import annotations

import sys
from pathlib import Path

from ..cli import iri
from ..exitcodes import ExitCode
from ..outputs import DEFAULT_GRAPH, graph_path


def register(sub) -> None:
    p = sub.add_parser(
        "site", help="write the linked-data explorer as a static site (HTML + Turtle per resource)",
        description="Write a page for every authority, inspection, inspector, theme, report and ontology "
                    "term of the graph, as static HTML with relative links (for GitHub Pages or a shared "
                    "drive; works offline from file://), each with its resource's Turtle beside it "
                    "(.ttl), the CSS/JS assets and a VoID description (void.ttl). The folder is "
                    "replaced only once the whole site is written.")
    p.add_argument("-o", "--out", type=Path, required=True, help="output folder (replaced as a whole)")
    p.add_argument("-g", "--graph", type=graph_path, default=DEFAULT_GRAPH,
                   help=f"RDF file or build output folder (default: {DEFAULT_GRAPH})")
    p.add_argument("--sparql", metavar="URL", type=iri, help="link the pages to this SPARQL endpoint or query page")
    p.set_defaults(func=run_site)


def run_site(args) -> int:
    from . import write_site

    if not args.graph.is_file():
        print(f"kg: error: {args.graph}: no such file (run 'kg build' first?)", file=sys.stderr)
        return ExitCode.USAGE
    from .site import EmptyGraph

    try:
        result = write_site(args.graph, args.out, sparql=args.sparql)
    except EmptyGraph as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return ExitCode.INPUT_FAILED
    except NotADirectoryError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except OSError as exc:
        print(f"kg: error: {args.out}: cannot write the site ({exc.strerror or exc})", file=sys.stderr)
        return ExitCode.FILE_ERROR
    print(f"Wrote {result.pages} pages ({result.files} files) to {result.out}/ in {result.seconds:.1f} s; "
          f"open {result.out}/index.html")
    return ExitCode.OK
