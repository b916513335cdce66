"""Inspections of local authority children's services (ILACS), 2018 onwards."""
from __future__ import annotations

import re

from .. import kinds
from ..authorities import AuthorityIndex
from ..readers import Document
from ..records import ReportRecord
from . import common, people

KINDS = (kinds.ILACS.name,)
TITLE = re.compile(r"^Inspection of (?:(?!services for children in need).){0,80}?(?:(?:local\s+authority\s+)?children['\u2019]?s\s+"
                   r"(?:social\s+care\s+)?services|" + common.TRUST + r")", re.I)
TYPE = re.compile(r"\b(short|standard)\s+(?:ILACS\s+)?inspection\b", re.I)


def recognise(first_lines: list[str]) -> str | None:
    joined = common.join_wrapped([(1, line) for line in first_lines], 3)
    found = any(TITLE.match(text) and "services for children in need" not in text.lower() for _, text in joined)
    return KINDS[0] if found else None


def header_text(lines: list[common.Line]) -> str:
    """'Inspection of X local authority children's services' (wrapped), or, in 2018-19
    reports, the authority's name on the line above 'Inspection of children's social care services'."""
    head = [t for _, t in lines[:8] if not re.fullmatch(r"\d{1,3}", t)]
    for i, text in enumerate(head):
        if re.match(r"^Inspection of children'?s social care services", text, re.I):
            return " ".join(head[:i]) or text
        if text.lower().startswith("inspection of"):
            # The title names the authority; in some 2018-19 reports it is the line above.
            stop = next((k for k in range(i, len(head)) if head[k].lower().startswith(("inspection date", "lead inspector"))), len(head))
            return " ".join(head[i:stop] + head[:i])
    return " ".join(head[:4])


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = common.lines_of(doc)
    record = common.new_record(doc, KINDS[0], header_text(lines), index)
    record.title = "Inspection of local authority children's services"
    record.periods = common.dates_from(lines)
    record.issued = common.published_from(lines)
    page_one = [line for line in lines if line[0] == 1] or lines[:40]
    record.judgements = common.grade_table(page_one[:45])
    if not any(j.area == "OverallEffectiveness" for j in record.judgements):
        overall = common.overall_sentence(page_one[:60])
        if overall:
            record.judgements.insert(0, overall)
    stated = next((m.group(1).lower() for _, t in lines[:80] if (m := TYPE.search(t))), None)
    record.inspection_type = stated
    record.roles = people.team(lines, record)
    idx = common.heading_index(lines, r"^What needs to improve")
    if idx is not None:
        record.recommendations = common.recommendations(common.list_after(lines, idx).items, "local authority")
    record.sections = common.sections(lines)
    return record
