"""A local authority's self-evaluation of its children's services: themes, never grades."""
from __future__ import annotations

import re

from .. import kinds
from ..authorities import AuthorityIndex
from ..dates import parse_date
from ..readers import Document
from ..records import ReportRecord
from . import common

KINDS = (kinds.SELF_EVALUATION.name,)
TITLE = re.compile(r"self[-\s]?evaluation|self[-\s]?assessment", re.I)


def recognise(first_lines: list[str]) -> str | None:
    found = any(TITLE.search(line) for line in first_lines[:15]) and not any(
        "ofsted" in line.lower() for line in first_lines[:6])
    return KINDS[0] if found else None


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = common.lines_of(doc)
    title_line = next((t for _, t in lines[:15] if TITLE.search(t)), "")
    record = common.new_record(doc, KINDS[0], title_line or " ".join(t for _, t in lines[:10]), index)
    record.title = re.split(r"\s*\|\s*", title_line)[0].strip().title() if title_line else "Self-evaluation"
    record.issued = parse_date(title_line)
    record.sections = common.sections(lines)
    return record
