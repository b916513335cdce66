"""Single inspection framework reports (2013-2018), re-inspections included, usually with a
review of the Local Safeguarding Children Board."""
from __future__ import annotations

import re

from .. import kinds
from ..authorities import AuthorityIndex
from ..readers import Document
from ..records import ReportRecord
from . import common, people

KINDS = (kinds.SIF.name,)
TITLE = re.compile(r"^(?:Re-?\s?inspection|Inspection) of services for children in need", re.I)


def recognise(first_lines: list[str]) -> str | None:
    return KINDS[0] if any(TITLE.match(line) for line in first_lines) else None


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = common.lines_of(doc)
    record = common.new_record(doc, KINDS[0], common.header_text(lines, TITLE), index)
    title_at = common.heading_index(lines[:25], TITLE.pattern) or 0
    record.title = " ".join(t for _, t in lines[title_at:title_at + 2] if not t.lower().startswith("inspection date"))
    record.periods = common.dates_from(lines)
    record.issued = common.published_from(lines)
    front = common.front_page(lines)
    judgements = [j for j in common.grade_table(front) if j.area != "OverallEffectiveness"]
    overall = common.overall_sentence(front)
    if overall:
        judgements.insert(0, overall)
    lscb = common.lscb_judgement(lines)
    if lscb:
        judgements.append(lscb)
    record.judgements = judgements
    record.roles = people.team(lines, record)
    record.recommendations = common.recommendation_blocks(lines)
    record.sections = common.sections(lines)
    return record
