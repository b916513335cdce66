"""Reviews of a Local Safeguarding Children Board published on their own (2013-2018)."""
from __future__ import annotations

import re

from .. import kinds
from ..authorities import AuthorityIndex
from ..readers import Document
from ..records import ReportRecord
from . import common, people

KINDS = (kinds.LSCB_REVIEW.name,)
TITLE = re.compile(r"^Review of the effectiveness of the Local Safeguarding Children", re.I)


def recognise(first_lines: list[str]) -> str | None:
    """An LSCB review on its own (a SIF report, which also reviews the LSCB, is recognised first)."""
    return KINDS[0] if any(TITLE.match(line) for line in first_lines) else None


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = common.lines_of(doc)
    record = common.new_record(doc, KINDS[0], common.header_text(lines, TITLE), index)
    record.title = "Review of the effectiveness of the Local Safeguarding Children Board"
    record.periods = common.dates_from(lines)
    record.issued = common.published_from(lines)
    lscb = common.lscb_judgement(lines)
    record.judgements = [lscb] if lscb else []
    record.roles = people.team(lines, record)
    record.recommendations = common.recommendation_blocks(lines, default_addressee="LSCB")
    record.sections = common.sections(lines, opening_area="LSCBEffectiveness")  # the whole review is on the LSCB
    return record
