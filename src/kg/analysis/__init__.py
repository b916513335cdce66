"""Answers analysts want without writing SPARQL: tables, history across frameworks, plots.

    import kg
    g = kg.open("out")                      # a build's output folder, or a graph file
    g.query("inadequate-to-good")           # rows (dicts of Python values) of a queries/ file
    g.query("aligned-history", authority="Dudley")
    g.table("inspections")                  # a pandas DataFrame (pip install 'kg[analysis]')

Tables and history are SPARQL files in queries/ and queries/tables/ (data, not code); this
package runs them (kg.analysis.source), shapes and writes tables (tables), draws plots (plots)
and offers `kg table` / `kg plot` (cli).
"""
from __future__ import annotations

from .source import AnalysisGraph, open_graph

__all__ = ["AnalysisGraph", "open_graph"]
