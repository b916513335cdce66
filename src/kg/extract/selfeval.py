"""A local authority's self-evaluation of its children's services: themes, never grades."""
from __future__ import annotations

import re

from ..authorities import AuthorityIndex
from ..dates import parse_date
from ..readers import Document
from ..records import ReportRecord
from . import common

KIND = "SelfEvaluation"
TITLE = re.compile(r"self[-\s]?evaluation|self[-\s]?assessment", re.I)


def matches(first_lines: list[str]) -> bool:
    return any(TITLE.search(line) for line in first_lines[:15]) and not any(
        "ofsted" in line.lower() for line in first_lines[:6])


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = doc.lines()
    title_line = next((t for _, t in lines[:15] if TITLE.search(t)), "")
    record = ReportRecord(doc.path, doc.sha256, doc.page_count, KIND,
                          common.resolve_authority(doc, title_line or " ".join(t for _, t in lines[:10]), index))
    record.title = re.split(r"\s*\|\s*", title_line)[0].strip().title() if title_line else "Self-evaluation"
    record.issued = parse_date(title_line)
    record.sections = common.sections(lines)
    return record
