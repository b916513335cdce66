"""Inspections under the 2012-2013 frameworks: looked after children services; safeguarding
and looked after children services; local authority arrangements for the protection of children."""
from __future__ import annotations

import re

from .. import kinds
from ..authorities import AuthorityIndex
from ..readers import Document
from ..records import Judgement, ReportRecord
from ..text import squash
from . import common, people

KINDS = (kinds.LEGACY.name,)
TITLE = re.compile(r"Inspection\s+of\s+(?:safeguarding\s+and\s+looked\s+after\s+children\s+services"
                   r"|looked\s+after\s+children\s+services|safeguarding\s+services"
                   r"|local\s+authority\s+arrangements\s+for\s+the\s+protection\s+of\s+children)", re.I)
# The table at the end; a combined inspection has a safeguarding part and a looked-after part.
FINDINGS = re.compile(r"^Record of main findings\s*$", re.I)
SAFEGUARDING_PART = re.compile(r"^Safeguarding services\s*$", re.I)
LOOKED_AFTER_PART = re.compile(r"^Services for looked after children\s*$", re.I)
SAFEGUARDING_AREAS = {"OverallEffectiveness": "SafeguardingOverallEffectiveness",
                      "CapacityToImprove": "SafeguardingCapacityToImprove"}
OVERALL = re.compile(r"overall\s+effectiveness\s+of\s+.{0,160}?\s+is\s+(?P<grade>" + common.GRADE[1:-1] + r")\b",
                     re.I | re.S)


def recognise(first_lines: list[str]) -> str | None:
    found = any(TITLE.match(text) for _, text in common.join_wrapped([(1, line) for line in first_lines[:12]], 3))
    return KINDS[0] if found else None


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = common.lines_of(doc)
    head = [t for _, t in lines[:10]]
    stop = next((i for i, t in enumerate(head) if t.lower().startswith("inspection date")), len(head))
    joined = " ".join(head[:stop])
    record = common.new_record(doc, KINDS[0], TITLE.sub(" ", joined), index)
    title = TITLE.search(joined)
    record.title = squash(title.group(0)) if title else "Inspection"
    record.periods = common.dates_from(lines)
    record.issued = common.published_from(lines)
    record.judgements = judgements(lines)
    record.roles = people.team(lines[:20], record)
    idx = common.heading_index(lines, r"^Areas for improvement\s*$")
    if idx is not None:
        # An introductory paragraph ("15. In order to improve ... the following action.") and
        # time-scale sub-headings ("Immediately:") precede the bullets.
        first = next((i for i in range(idx + 1, min(idx + 10, len(lines))) if common.is_bullet(lines[i][1])), None)
        if first is not None:
            record.recommendations = common.recommendations(common.bullet_list(lines, first).items, "local authority")
    record.sections = common.sections(lines)
    return record


def judgements(lines: list[common.Line]) -> list[Judgement]:
    """From the last 'Record of main findings' table; else the overall effectiveness sentence."""
    start = next((i for i in range(len(lines) - 1, -1, -1) if FINDINGS.match(lines[i][1])), None)
    if start is None:
        found = common.sentence_judgement(common.join_wrapped(lines, 3), OVERALL, "OverallEffectiveness")
        return [found] if found else []
    table = lines[start:start + 60]
    split = next((i for i, (_, t) in enumerate(table) if LOOKED_AFTER_PART.match(t)), None)
    if split is None or not any(SAFEGUARDING_PART.match(t) for _, t in table[:split]):
        return common.grade_table(table)
    safeguarding = [j for j in common.grade_table(table[:split]) if j.area in SAFEGUARDING_AREAS]
    for j in safeguarding:
        j.area = SAFEGUARDING_AREAS[j.area]
    return safeguarding + common.grade_table(table[split:])
