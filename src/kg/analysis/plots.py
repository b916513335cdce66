"""Plots of the history queries (matplotlib, imported only when drawing; Agg, no display).

    timeline(g, "Dudley")   an authority's aligned judgements x time, grade colours, visit markers
    distribution(g)         national overall grades per year (stacked bars)
    transitions(g)          heat map: overall grade at one full inspection -> grade at the next

Each returns a matplotlib Figure built from the queries in queries/ (aligned-judgements,
aligned-history, grade-distribution-by-year, grade-transitions); save() writes it atomically.
Colours: the Okabe-Ito colour-blind-safe palette; each grade is also written on the figure.
"""
from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from ..outputs import atomic_write
from .source import AnalysisGraph

# rank -> (label, colour): kg:rank puts every scale on one 1-4 scale (Adequate ranks with RI)
GRADES = {1: ("Outstanding", "#0072B2"), 2: ("Good", "#56B4E9"),
          3: ("Requires improvement / Adequate", "#E69F00"), 4: ("Inadequate", "#D55E00")}
SHORT = {1: "O", 2: "G", 3: "RI", 4: "I"}
ROWS = ("Overall effectiveness", "Impact of leaders", "Help and protection", "Children in care", "Care leavers")
VISITS_ROW = "Visits"
PLOTS = ("timeline", "distribution", "transitions")


class NoData(ValueError):
    """The graph holds nothing to draw (unknown authority, no graded inspections)."""


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def timeline(graph: AnalysisGraph, authority: str):
    """An authority's judgements on the ILACS areas over time (older frameworks aligned)."""
    judged = graph.query("aligned-judgements", authority=authority)
    events = graph.query("aligned-history", authority=authority)
    if not events:
        raise NoData(f"no inspections of {authority!r} in {graph.path} (names are as in `kg table inspections`)")
    from matplotlib.lines import Line2D

    visits = [e for e in events if e["kind"] in ("Monitoring visit", "Focused visit")]
    rows = list(ROWS) + ([VISITS_ROW] if visits else [])
    y = {name: len(rows) - 1 - i for i, name in enumerate(rows)}
    fig = _figure(10, 4.2)
    ax = fig.add_subplot()
    for event in events:  # a faint line at every full inspection
        if event["kind"] not in ("Monitoring visit", "Focused visit"):
            ax.axvline(event["start"], color="#bbbbbb", linewidth=0.8, zorder=0)
    for rank, (label, colour) in GRADES.items():
        points = [j for j in judged if j["rank"] == rank and j["column"] in y]
        if not points:
            continue
        ax.scatter([p["start"] for p in points], [y[p["column"]] for p in points], s=260, marker="s",
                   color=colour, edgecolors=["black" if p["match"] != "same" else colour for p in points],
                   linewidths=1.6, label=label, zorder=3)
        for p in points:
            ax.annotate(SHORT[rank], (p["start"], y[p["column"]]), ha="center", va="center", fontsize=7,
                        color="white" if rank in (1, 4) else "black", zorder=4)
    if visits:
        ax.scatter([v["start"] for v in visits], [y[VISITS_ROW]] * len(visits), marker="v", s=70,
                   color="#555555", label="Monitoring or focused visit", zorder=3)
    ax.set_yticks(list(y.values()), list(y.keys()))
    ax.set_ylim(-0.7, len(rows) - 0.3)
    starts = [e["start"] for e in events]
    ax.set_xlim(min(starts) - timedelta(days=240), max(starts) + timedelta(days=240))
    from matplotlib.dates import DateFormatter, YearLocator

    ax.xaxis.set_major_locator(YearLocator())
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.set_xlabel("Inspection start date")
    ax.set_title(f"{events[0]['authority']}: judgements over time, aligned to the ILACS areas")
    shown = {j["rank"] for j in judged}
    handles = [Line2D([], [], marker="s", linestyle="", color=colour, markersize=10)
               for rank, (label, colour) in GRADES.items() if rank in shown]
    labels = [label for rank, (label, colour) in GRADES.items() if rank in shown]
    if visits:
        handles.append(Line2D([], [], marker="v", linestyle="", color="#555555", markersize=7))
        labels.append("Monitoring or focused visit")
    handles.append(Line2D([], [], marker="s", linestyle="", markerfacecolor="white", markeredgecolor="black",
                          markersize=10))
    labels.append("outlined: an older framework's area aligned (SKOS match)")
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig


def distribution(graph: AnalysisGraph):
    """How many full inspections gave each overall grade, per year (stacked bars, one colour a grade)."""
    rows = graph.query("grade-distribution-by-year")
    if not rows:
        raise NoData(f"no graded inspections in {graph.path}")
    years = list(range(min(r["year"] for r in rows), max(r["year"] for r in rows) + 1))
    counts = {rank: [0] * len(years) for rank in GRADES}
    for r in rows:
        counts[r["rank"]][years.index(r["year"])] += r["inspections"]
    fig = _figure(9, 4.5)
    ax = fig.add_subplot()
    bottom = [0] * len(years)
    for rank, (label, colour) in GRADES.items():
        ax.bar(years, counts[rank], bottom=bottom, color=colour, edgecolor="white", label=label)
        bottom = [b + c for b, c in zip(bottom, counts[rank])]
    for x, total in zip(years, bottom):
        if total:
            ax.annotate(str(total), (x, total), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlabel("Year the inspection started")
    ax.set_ylabel("Inspections")
    ax.set_title(f"Overall effectiveness per year: {sum(bottom)} graded inspections (2012-13, SIF and ILACS)")
    ax.legend(title="Overall grade", fontsize=8, title_fontsize=8, loc="upper left")
    ax.set_ylim(0, max(bottom) * 1.15)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def transitions(graph: AnalysisGraph):
    """Heat map of overall grades: rows the grade at one full inspection, columns at the next."""
    rows = graph.query("grade-transitions")
    if not rows:
        raise NoData(f"no authority in {graph.path} has two consecutive graded full inspections")
    ranks = list(GRADES)
    matrix = [[0] * len(ranks) for _ in ranks]
    for r in rows:
        matrix[ranks.index(r["fromRank"])][ranks.index(r["toRank"])] += r["transitions"]
    fig = _figure(7, 5.6)
    ax = fig.add_subplot()
    image = ax.imshow(matrix, cmap="cividis")
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            r, g, b, _ = image.cmap(image.norm(value))  # dark text on light cells, light on dark
            ax.annotate(str(value), (j, i), ha="center", va="center", fontsize=11,
                        color="black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
    labels = [GRADES[r][0].replace(" / ", "\n/ ") for r in ranks]
    ax.set_xticks(range(len(ranks)), labels, fontsize=8)
    ax.set_yticks(range(len(ranks)), labels, fontsize=8)
    ax.set_xlabel("Overall grade at the next full inspection")
    ax.set_ylabel("Overall grade at a full inspection")
    total = sum(map(sum, matrix))
    ax.set_title(f"From one full inspection to the next ({total} pairs)")
    fig.colorbar(image, ax=ax, label="Pairs of consecutive inspections")
    return fig


def save(fig, path: Path | str) -> Path:
    """Write a figure as PNG or SVG (by the suffix), atomically."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"{path}: plots are written as .png or .svg")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Software": None} if fmt == "png" else {"Date": None})
    return atomic_write(path, buffer.getvalue())
