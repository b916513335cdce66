"""Inspections under the 2012-2013 frameworks: looked after children services; safeguarding."""
from __future__ import annotations

import re

from ..authorities import AuthorityIndex
from ..readers import Document
from ..records import ReportRecord
from . import common

KIND = "LegacyInspection"
TITLE = re.compile(r"^Inspection of (?:safeguarding|looked after children)", re.I)


def matches(first_lines: list[str]) -> bool:
    return any(TITLE.match(line) for line in first_lines)


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = doc.lines()
    head = [t for _, t in lines[:8]]
    title_end = next((i for i, t in enumerate(head) if TITLE.match(t)), 0)
    stop = next((i for i, t in enumerate(head) if t.lower().startswith("inspection date")), len(head))
    title = " ".join(head[title_end:title_end + 2])
    header = " ".join(head[title_end + 1:stop])
    record = ReportRecord(doc.path, doc.sha256, doc.page_count, KIND,
                          common.resolve_authority(doc, header, index))
    record.title = re.sub(r"\s+", " ", title.split(" Council")[0]).strip()
    record.periods = common.dates_from(lines)
    record.issued = common.published_from(lines)
    findings = next((i for i in range(len(lines) - 1, -1, -1) if lines[i][1].startswith("Record of main findings")), None)
    record.judgements = common.grade_table(lines[findings:findings + 30]) if findings is not None else []
    record.roles = common.team(lines[:20])
    idx = common.heading_index(lines, r"^Areas for improvement\s*$")
    if idx is not None:
        # An introductory paragraph ("15. In order to improve ... the following action.") and
        # time-scale sub-headings ("Immediately:") precede the bullets.
        first = next((i for i in range(idx + 1, min(idx + 10, len(lines))) if common.is_bullet(lines[i][1])), None)
        if first is not None:
            record.recommendations = common.recommendations(common.bullet_list(lines, first).items, "local authority")
    record.sections = common.sections(lines)
    return record
