"""Network files for other tools: GraphML and GEXF (Gephi, Cytoscape, yEd) and CSV edge lists.

GraphML and GEXF hold only scalar attributes, so list attributes (an inspector's authorities, an
edge's inspections) are written joined with "; ", and missing values are left out.
"""
from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from ..outputs import make_folder

SEPARATOR = "; "


def flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose node and edge attributes are all strings, numbers or booleans."""
    out = nx.Graph()
    out.add_nodes_from((n, _scalars(d)) for n, d in graph.nodes(data=True))
    out.add_edges_from((u, v, _scalars(d)) for u, v, d in graph.edges(data=True))
    return out


def _scalars(data: dict) -> dict:
    return {k: (SEPARATOR.join(map(str, v)) if isinstance(v, (list, tuple, set)) else v)
            for k, v in data.items() if v is not None}


def write_graphml(graph: nx.Graph, path: Path) -> Path:
    nx.write_graphml(flat(graph), path)
    return Path(path)


def write_gexf(graph: nx.Graph, path: Path) -> Path:
    nx.write_gexf(flat(graph), path)
    return Path(path)


def write_edge_csv(graph: nx.Graph, path: Path, *, details: str) -> Path:
    """One row per edge, heaviest first: source and target labels, weight, the edge's DETAILS list
    (e.g. "inspections"), then the node ids."""
    rows = sorted(graph.edges(data=True), key=lambda e: (-e[2].get("weight", 1), _label(graph, e[0]), _label(graph, e[1])))
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["source", "target", "weight", details, "source_id", "target_id"])
        for u, v, data in rows:
            a, b = sorted([u, v], key=lambda n: _label(graph, n))
            writer.writerow([_label(graph, a), _label(graph, b), data.get("weight", 1),
                             SEPARATOR.join(map(str, data.get(details, []))), a, b])
    return Path(path)


def _label(graph: nx.Graph, node) -> str:
    return str(graph.nodes[node].get("label", node))


def write_exports(net, folder: Path) -> list[Path]:
    """network.graphml, network.gexf and edges.csv (inspector-inspector, with each inspector's
    community), and authority-edges.csv (authority-authority)."""
    folder = make_folder(Path(folder))
    inspectors = net.inspectors.copy()
    nx.set_node_attributes(inspectors, net.communities, "community")
    return [write_graphml(inspectors, folder / "network.graphml"),
            write_gexf(inspectors, folder / "network.gexf"),
            write_edge_csv(inspectors, folder / "edges.csv", details="inspections"),
            write_edge_csv(net.authorities, folder / "authority-edges.csv", details="inspectors")]


def write_network(net, folder: Path, *, top: int = 40, analysis: dict | None = None) -> list[Path]:
    """Every network file: network.png, network.html, the exports and analysis.json."""
    import json

    from .analysis import analyse
    from .render_html import render_html
    from .render_png import render_png

    folder = Path(folder)
    files = [render_png(net, folder / "network.png", top=top), render_html(net, folder / "network.html")]
    files += write_exports(net, folder)
    report = folder / "analysis.json"
    report.write_text(json.dumps(analysis or analyse(net), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return files + [report]
