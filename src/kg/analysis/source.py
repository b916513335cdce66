"""Where analysis reads the graph: the one place that loads a graph and runs a query file.

Queries are files: a name is looked up in queries/tables/ (tables) and then queries/ (every
other question), or a path to a .rq file is used as is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..outputs import OutputDir
from ..paths import QUERIES_DIR

TABLES_DIR = QUERIES_DIR / "tables"


@dataclass
class Rows:
    """A query's answer: column names and rows of Python values (str, int, date; None if unbound)."""
    columns: list[str]
    rows: list[tuple]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def graph_file(path: Path | str) -> Path:
    """The graph file of a build output folder (out/ -> out/graph.ttl), or the file itself;
    kg.graphio.check_file's errors (the one wording of what is wrong with a graph path)."""
    from ..graphio import check_file

    return check_file(path)


def query_file(name: str) -> Path:
    """A table or query by name ('inspections', 'aligned-history') or a path to a .rq file."""
    path = Path(name)
    if path.suffix == ".rq" and path.is_file():
        return path
    for folder in (TABLES_DIR, QUERIES_DIR):
        candidate = folder / f"{name}.rq"
        if candidate.is_file():
            return candidate
    known = sorted(p.stem for folder in (TABLES_DIR, QUERIES_DIR) for p in folder.glob("*.rq"))
    raise FileNotFoundError(f"{name}: no such table or query (known: {', '.join(known)})")


def _python(value):
    # an empty string is what a pivot column holds when the inspection has no such judgement
    return None if value == "" else value


@dataclass
class AnalysisGraph:
    """A built graph, ready for the analysts' queries (kg.open returns one)."""
    path: Path
    store: object = field(repr=False)

    def rows(self, name: str, **params: str) -> Rows:
        """Run a query file; params bind ?variables (as `kg query -p name=value` does)."""
        from ..query import query_store

        sparql = query_file(name).read_text(encoding="utf-8")
        result = query_store(self.store, sparql, {k: str(v) for k, v in params.items()} or None)
        return Rows(result.variables, [tuple(_python(v) for v in row) for row in result.values()])

    def query(self, name: str, **params: str) -> list[dict]:
        """Rows of a query file as dicts (column -> Python value)."""
        return self.rows(name, **params).dicts()

    def table(self, name: str, **params: str):
        """A table or query as a pandas DataFrame (needs the extra: pip install 'kg[analysis]')."""
        try:
            import pandas as pd
        except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
            raise ModuleNotFoundError("kg.open(...).table() needs pandas: pip install 'kg[analysis]'",
                                      name=exc.name) from exc
        result = self.rows(name, **params)
        return pd.DataFrame.from_records(result.rows, columns=result.columns)


def open_graph(path: Path | str = OutputDir().root) -> AnalysisGraph:
    """Load a build's graph (an output folder such as out/, or a graph file) for analysis."""
    from ..graphio import open_store

    graph = graph_file(path)
    return AnalysisGraph(graph, open_store(graph))
