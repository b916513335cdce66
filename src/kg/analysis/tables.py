"""Analysts' tables: named SPARQL files in queries/tables/, written as CSV, JSON or Excel.

    inspections      one row per inspection or visit, every judgement in its own column
    judgements       one row per judgement, with its comparable rank and source
    inspectors       one row per person and role
    recommendations  one row per recommendation, with its themes and page
    themes           one row per theme of the thesaurus, with how often it comes up

`peer-ilacs-history` is `inspections` in the columns and value conventions of the public ILACS
scrape tool (`kg table inspections --peer-columns`).
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

from .. import __version__
from ..outputs import atomic_file, atomic_write
from .source import AnalysisGraph, Rows

TABLES = ("inspections", "judgements", "inspectors", "recommendations", "themes")
PEER_TABLE = "peer-ilacs-history"
FORMATS = ("csv", "json", "xlsx")


def table(graph: AnalysisGraph, name: str, *, peer_columns: bool = False) -> Rows:
    """A named table's rows; with peer_columns (inspections only) the peer tool's CSV columns."""
    if peer_columns:
        if name != "inspections":
            raise ValueError("--peer-columns applies to the inspections table only")
        return graph.rows(PEER_TABLE, parser_version=f"kg {__version__}")
    if name not in TABLES:
        raise ValueError(f"{name}: no such table (one of: {', '.join(TABLES)})")
    return graph.rows(name)


def _cell(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def to_csv(rows: Rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows.columns)
    for row in rows.rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return out.getvalue()


def to_json(tables: dict[str, Rows]) -> str:
    """One table: a list of row objects; several: an object of such lists by table name."""
    data = {name: [{c: _cell(v) for c, v in zip(rows.columns, row)} for row in rows.rows]
            for name, rows in tables.items()}
    return json.dumps(next(iter(data.values())) if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"


def write_xlsx(path: Path | str, tables: dict[str, Rows]) -> Path:
    """One sheet per table: bold frozen header, filters on, column widths set, dates as dates,
    text as text (a quote starting with "=" is not a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append(rows.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows.rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:  # openpyxl makes a formula of any text starting "="
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # report text is kept as written, never evaluated
        widths = [len(c) for c in rows.columns]
        for row in rows.rows:
            for i, value in enumerate(row):
                widths[i] = max(widths[i], 10 if isinstance(value, date) else len(str(value or "")))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 6) + 2, 60)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows.columns))}{len(rows.rows) + 1}"
    with atomic_file(path) as handle:
        book.save(handle)
    return Path(path)


def write(tables: dict[str, Rows], fmt: str, path: Path | str | None) -> str | None:
    """Write tables to path atomically in fmt; without a path return the text (csv, json)."""
    if fmt == "xlsx":
        if path is None:
            raise ValueError("-f xlsx needs an output file: -o FILE.xlsx")
        write_xlsx(path, tables)
        return None
    if fmt == "csv" and len(tables) != 1:
        raise ValueError("CSV holds one table: name one, or use -f xlsx or -f json for all")
    text = to_csv(next(iter(tables.values()))) if fmt == "csv" else to_json(tables)
    if path is None:
        return text
    atomic_write(path, text)
    return None
