"""A self-contained interactive page of who inspected where (works offline, no CDN).

The page shows the inspector-authority graph: a square per authority, a circle per inspector,
a line per inspector and authority they inspected. Positions are computed here (networkx spring
layout, seeded) and embedded with the data as JSON in assets/network.html, whose inline script
draws an SVG and adds search, hover, click-to-highlight, zoom and year/role filters.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from html import escape
from importlib import resources
from pathlib import Path

import networkx as nx

from ..outputs import make_folder
from .graphs import Network
from .render_png import spread_labels

LAYOUT_SEED = 7
WIDTH, HEIGHT, MARGIN, MARGIN_X = 1000, 720, 30, 70
ROLE_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                "#bcbd22", "#7f7f7f"]
LABEL_ALL_BELOW = 60  # nodes; in bigger graphs only authorities and the most travelled inspectors
LABEL_INSPECTORS = 25  # are labelled (the rest on hover, selection, search or zoom)


def template() -> str:
    return resources.files(__package__).joinpath("assets/network.html").read_text(encoding="utf-8")


def html_data(net: Network) -> dict:
    """The JSON the page draws: nodes with positions, inspector-authority edges, inspections."""
    parts = net.participations
    inspections = sorted({p.inspection: p for p in parts}.values(), key=lambda p: (p.date or "", p.inspection_label))
    authorities = sorted({p.authority: p.authority_label for p in parts}.items(), key=lambda a: a[1])
    people = sorted({p.person: p.name for p in parts}.items(), key=lambda a: a[1])
    index = {iri: i for i, (iri, _) in enumerate(authorities + people)}
    visit = {p.inspection: k for k, p in enumerate(inspections)}
    items: dict[tuple[int, int], list] = {}
    team: dict[str, list[int]] = {}
    for p in parts:
        items.setdefault((index[p.person], index[p.authority]), []).append([visit[p.inspection], p.role_label])
        if index[p.person] not in team.setdefault(p.inspection, []):
            team[p.inspection].append(index[p.person])

    layout_graph = nx.Graph()
    layout_graph.add_nodes_from(range(len(index)))
    layout_graph.add_weighted_edges_from((s, t, len(v)) for (s, t), v in items.items())
    degree = dict(layout_graph.degree())
    labelled = _labelled(degree, len(authorities))
    names = [label for _, label in authorities + people]
    pos = layout(layout_graph, {i: names[i] for i in labelled})
    roles = [r for r, _ in Counter(p.role_label for p in parts).most_common()]
    g, grow = net.inspectors, 1.4 if len(index) <= LABEL_ALL_BELOW else 1.0
    nodes = [{"label": label, "kind": "authority", "x": pos[i][0], "y": pos[i][1],
              "r": round(grow * (5 + 1.6 * math.sqrt(degree[i])), 1)} for i, (_, label) in enumerate(authorities)]
    for iri, name in people:
        i = index[iri]
        nodes.append({"label": name, "kind": "inspector", "x": pos[i][0], "y": pos[i][1],
                      "r": round(grow * (3.5 + 2 * math.sqrt(degree[i])), 1), "role": g.nodes[iri]["main_role"],
                      "shared": degree[i] > 1, "minor": i not in labelled})
    years = sorted({p.year for p in parts if p.year})
    return {
        "subtitle": f"{len(people)} inspectors, {len(inspections)} inspections, {len(authorities)} authorities"
                    + ("" if net.all_roles else "; QA managers and data analysts left out"),
        "nodes": nodes,
        "edges": [{"s": s, "t": t, "items": v} for (s, t), v in sorted(items.items())],
        "inspections": [{"label": p.inspection_label, "date": p.date, "year": p.year, "kind": p.kind,
                         "team": team[p.inspection]} for p in inspections],
        "roles": roles,
        "colours": {r: ROLE_COLOURS[i % len(ROLE_COLOURS)] for i, r in enumerate(roles)},
        "years": years,
    }


def _labelled(degree: dict[int, int], authorities: int) -> set[int]:
    """Nodes whose names are always shown: authorities, and inspectors who worked in more than one
    authority (only the most travelled LABEL_INSPECTORS of them in big graphs)."""
    inspectors = sorted((i for i in degree if i >= authorities), key=lambda i: (-degree[i], i))
    if len(degree) > LABEL_ALL_BELOW:
        inspectors = [i for i in inspectors[:LABEL_INSPECTORS] if degree[i] > 1]
    return set(range(authorities)) | set(inspectors)


def layout(graph: nx.Graph, labels: dict[int, str]) -> dict[int, tuple[float, float]]:
    """Seeded spring layout of the largest component over most of the canvas, the small
    components in a band along the bottom; then nudged so that shown names do not overlap."""
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    if not parts:
        return {}
    main, rest = graph.subgraph(parts[0]), parts[1:]
    if len(main) <= LABEL_ALL_BELOW:
        pos = nx.spring_layout(main, weight="weight", seed=LAYOUT_SEED, iterations=120,
                               k=2.5 / math.sqrt(len(main)))
    else:  # ForceAtlas2 with hub dissuasion spreads a big, dense graph more evenly
        pos = nx.forceatlas2_layout(main, seed=LAYOUT_SEED, max_iter=200, distributed_action=True,
                                    scaling_ratio=5.0)
    band = 0.1 if rest else 0.0
    pos = {n: (x, y * (1 - band)) for n, (x, y) in _unit(pos, robust=len(main) > LABEL_ALL_BELOW).items()}
    left = 0.0
    for c in rest:  # small components side by side along the bottom
        cell = min(0.04 * math.sqrt(len(c)), 1 / len(rest))
        sub = _unit(nx.spring_layout(graph.subgraph(c), seed=LAYOUT_SEED)) if len(c) > 1 else {min(c): (0.5, 0.5)}
        for n, (x, y) in sub.items():
            pos[n] = (left + cell * (0.1 + 0.8 * x), 1 - band * (0.8 - 0.6 * y))
        left += cell + 0.05
    shown = {n: labels.get(n, "") for n in pos}
    spread = spread_labels(pos, shown, char=0.0062, height=0.03, least=0.012)
    return {n: (round(MARGIN_X + x * (WIDTH - 2 * MARGIN_X), 1), round(MARGIN + y * (HEIGHT - 2 * MARGIN), 1))
            for n, (x, y) in _unit(spread).items()}


def _unit(pos: dict, robust: bool = False) -> dict:
    """Positions scaled into the unit square; ROBUST scales by the 2nd-98th percentiles and pulls
    outliers in to the border, so that one far-flung node does not squeeze the rest."""
    import numpy as np

    if len(pos) < 2:
        return {n: (0.5, 0.5) for n in pos}
    xy = np.array(list(pos.values()), dtype=float)
    low, high = np.percentile(xy, [2, 98] if robust else [0, 100], axis=0)
    xy = np.clip((xy - low) / np.maximum(high - low, 1e-9), -0.02, 1.02)
    xy = (xy - xy.min(axis=0)) / np.maximum(np.ptp(xy, axis=0), 1e-9)
    return {n: (float(x), float(y)) for n, (x, y) in zip(pos, xy)}


def render_html(net: Network, path: Path, *, title: str = "Who inspected where") -> Path:
    """Write the interactive page to PATH and return it."""
    data = json.dumps(html_data(net), separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    page = template().replace("{{TITLE}}", escape(title)).replace("{{DATA}}", data)
    path = Path(path)
    make_folder(path.parent)
    path.write_text(page, encoding="utf-8")
    return path
