"""A static picture of the inspector-inspector network (matplotlib, no display needed).

Node size = degree (distinct co-inspectors), colour = community, line width = inspections
worked together. Big graphs are cut to the top-N inspectors by weighted degree, and the
subtitle says so.
"""
from __future__ import annotations

import math
import textwrap
from pathlib import Path

import networkx as nx

from ..outputs import make_folder
from .analysis import community_names
from .graphs import Network

LAYOUT_SEED = 7
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94"]
NO_COMMUNITY = "#bbbbbb"


def top_inspectors(net: Network, top: int | None) -> list[str]:
    """Inspector IRIs by weighted degree, then degree, then name; the first TOP of them."""
    g = net.inspectors
    ranked = sorted(g, key=lambda n: (-g.degree(n, weight="weight"), -g.degree(n), g.nodes[n]["label"]))
    return ranked[:top] if top else ranked


def spread_labels(pos: dict, labels: dict, *, char: float = 0.0095, height: float = 0.055,
                  least: float = 0.04, rounds: int = 60) -> dict:
    """Nudge nodes apart until their name boxes (in a unit square: CHAR wide per character, at
    least LEAST, HEIGHT high) no longer overlap."""
    import numpy as np

    nodes = list(pos)
    if len(nodes) < 2:
        return pos
    xy = np.array([pos[n] for n in nodes], dtype=float)
    xy = (xy - xy.min(axis=0)) / np.maximum(np.ptp(xy, axis=0), 1e-9)
    half = np.array([max(len(labels[n]) * char, least) for n in nodes]) / 2
    for _ in range(rounds):
        dx = xy[:, None, 0] - xy[None, :, 0]
        dy = xy[:, None, 1] - xy[None, :, 1]
        ox = half[:, None] + half[None, :] - np.abs(dx)
        oy = height - np.abs(dy)
        clash = (ox > 0) & (oy > 0)
        np.fill_diagonal(clash, False)
        if not clash.any():
            break
        # push each clashing pair apart vertically (cheaper than sideways for wide labels)
        push = np.where(clash, np.sign(dy + 1e-9) * np.minimum(oy, ox) * 0.25, 0).sum(axis=1)
        xy[:, 1] += push
    return {n: tuple(p) for n, p in zip(nodes, xy)}


def render_png(net: Network, path: Path, *, top: int = 40, title: str | None = None, dpi: int = 110) -> Path:
    """Write the network picture to PATH and return it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    import matplotlib.patheffects as effects

    g = net.inspectors
    nodes = top_inspectors(net, top)
    sub = g.subgraph(nodes)
    pos = nx.spring_layout(sub, weight="weight", seed=LAYOUT_SEED, iterations=150,
                           k=2.2 / math.sqrt(max(len(sub), 1)))
    pos = spread_labels(pos, {n: g.nodes[n]["label"] for n in sub})
    communities, names = net.communities, community_names(net)
    shown = sorted({communities[n] for n in sub}, key=lambda c: c or 10**6)
    colour = {c: (PALETTE[i] if c and i < len(PALETTE) else NO_COMMUNITY) for i, c in enumerate(shown)}

    fig = Figure(figsize=(15, 10.5), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.02, 0.74, 0.86))
    ax.set_axis_off()
    weights = [d["weight"] for _, _, d in sub.edges(data=True)]
    ax.add_collection(LineCollection(
        [(pos[u], pos[v]) for u, v in sub.edges()], linewidths=[0.5 + 1.5 * (w - 1) for w in weights],
        colors=["#555555" if w > 1 else "#999999" for w in weights],
        alpha=[0.6 if w > 1 or len(sub) <= 30 else 0.25 for w in weights], zorder=1))
    degrees = dict(sub.degree())
    low, high = min(degrees.values(), default=0), max(degrees.values(), default=1)
    low = 0 if high - low < 3 else low  # small graphs: size from zero; large: stretch the range
    size = lambda d: 70 + 900 * (d - low) / max(high - low, 1)
    xy = [pos[n] for n in sub]
    ax.scatter([p[0] for p in xy], [p[1] for p in xy], s=[size(degrees[n]) for n in sub],
               c=[colour[communities[n]] for n in sub], edgecolors="white", linewidths=1.2, zorder=2)
    halo = [effects.withStroke(linewidth=3, foreground="white")]
    for n in sub:
        shared = len(g.nodes[n]["authorities"]) > 1
        ax.annotate(g.nodes[n]["label"], pos[n], xytext=(0, -(math.sqrt(size(degrees[n])) / 2 + 7)),
                    textcoords="offset points", ha="center", va="center",
                    fontsize=10 if len(sub) <= 40 else 8, fontweight="bold" if shared else "normal",
                    path_effects=halo, zorder=3)
    ax.margins(0.06)
    ax.autoscale_view()

    total = g.number_of_nodes()
    fig.suptitle(title or "Shared-inspector network of Ofsted children's services inspections",
                 x=0.01, y=0.975, ha="left", fontsize=17, fontweight="bold")
    cut = (f"Showing the top {len(sub)} of {total} inspectors by inspections shared with colleagues "
           f"(weighted degree)" if len(sub) < total else f"All {total} inspectors")
    fig.text(0.01, 0.925, f"{cut} · {len(net.inspections)} inspections of "
             f"{net.authorities.number_of_nodes()} authorities", fontsize=12, ha="left")
    legend = [Line2D([], [], marker="o", ls="", ms=11, mfc=colour[c], mec="white",
                     label=textwrap.fill(f"{c} · {names.get(c, '')}" if c else "no co-inspector", 38,
                                         subsequent_indent="    ")) for c in shown]
    legend += [Line2D([], [], color="#555555", lw=0.5 + 1.5 * (w - 1), label=f"{w} inspection{'s' if w > 1 else ''} together")
               for w in sorted({1, max(weights, default=1)})]
    fig.legend(handles=legend, loc="upper left", bbox_to_anchor=(0.76, 0.88), frameon=False, fontsize=10,
               title="Community (most visited authorities)", title_fontsize=11, alignment="left")
    note = ("Node size: number of co-inspectors (degree).\nColour: community (Louvain, weighted).\n"
            "Line width: inspections worked together.\nBold name: worked in more than one authority.\n"
            + ("All roles included." if net.all_roles else "QA managers and data analysts left out."))
    fig.text(0.765, 0.04, note, fontsize=10, ha="left", va="bottom", color="#333333", linespacing=1.5)
    path = Path(path)
    make_folder(path.parent)
    fig.savefig(path, dpi=dpi, facecolor="white")
    return path
