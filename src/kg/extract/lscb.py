"""Reviews of a Local Safeguarding Children Board published on their own (2013-2018)."""
from __future__ import annotations

import re

from ..authorities import AuthorityIndex
from ..readers import Document
from ..records import ReportRecord
from . import common, sif

KIND = "LSCBReview"
TITLE = re.compile(r"^Review of the effectiveness of the Local Safeguarding Children", re.I)


def matches(first_lines: list[str]) -> bool:
    return any(TITLE.match(line) for line in first_lines) and not sif.matches(first_lines)


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = doc.lines()
    header = sif.header_text(lines, TITLE)
    record = ReportRecord(doc.path, doc.sha256, doc.page_count, KIND,
                          common.resolve_authority(doc, header, index))
    record.title = "Review of the effectiveness of the Local Safeguarding Children Board"
    record.periods = common.dates_from(lines)
    record.issued = common.published_from(lines)
    lscb = sif.lscb_judgement(lines)
    record.judgements = [lscb] if lscb else []
    record.roles = common.team(lines)
    record.recommendations = sif.sif_recommendations(lines, default_addressee="LSCB")
    record.sections = common.sections(lines)
    return record
