"""Single inspection framework reports (2013-2018), re-inspections included, usually with a
review of the Local Safeguarding Children Board."""
from __future__ import annotations

import re

from ..authorities import AuthorityIndex
from ..readers import Document
from ..records import ReportRecord
from . import common

KIND = "SIFInspection"
TITLE = re.compile(r"^(?:Re-?\s?inspection|Inspection) of services for children in need", re.I)

OVERALL = re.compile(
    r"(?:children'?s\s+services\s+in\s+.{1,90}?\s+(?:are\s+|is\s+)?"
    r"|the\s+overall\s+judgement\s+is\s+(?:that\s+.{0,60}?\s(?:are\s+|is\s+)?)?)"
    r"(?P<grade>outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|adequate|inadequate)\b", re.I)
LSCB = re.compile(
    r"^(?:The\s+effectiveness\s+of\s+)?(?:The\s+|the\s+)?(?:Local\s+Safeguarding\s+Children\s+Board|LSCB)\s*(?:\(LSCB\)\s*)?"
    r"(?:is\s+|requires\s+)(?P<grade>outstanding|good|improvement(?:\s+to\s+be\s+good)?|adequate|inadequate"
    r"|not\s+yet\s+(?:good|demonstrating\s+the\s+characteristics\s+of\s+good))\b", re.I)
FRONT_END = r"^(?:Executive summary|Contents|Summary of findings|The local authority\s*$|Information about this)"
RECOMMENDATIONS = re.compile(r"^(?:recommendations:?|what does the (?:local authority|lscb|board) need to improve\??"
                             r"|areas for improvement|priority and immediate action)\s*$", re.I)


def matches(first_lines: list[str]) -> bool:
    return any(TITLE.match(line) for line in first_lines)


def header_text(lines: list[common.Line], title: re.Pattern) -> str:
    """Lines above the title (the authority's name), else the first lines."""
    idx = common.heading_index(lines[:25], title.pattern)
    head = [t for _, t in lines[:idx] if not re.fullmatch(r"\d{1,3}", t)] if idx else []
    return " ".join(head) if head else " ".join(t for _, t in lines[:6])


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = doc.lines()
    record = ReportRecord(doc.path, doc.sha256, doc.page_count, KIND,
                          common.resolve_authority(doc, header_text(lines, TITLE), index))
    title_at = common.heading_index(lines[:25], TITLE.pattern) or 0
    record.title = " ".join(t for _, t in lines[title_at:title_at + 2] if not t.lower().startswith("inspection date"))
    record.periods = common.dates_from(lines)
    record.issued = common.published_from(lines)
    front = front_page(lines)
    judgements = [j for j in common.grade_table(front) if j.area != "OverallEffectiveness"]
    wrapped = common.join_wrapped(front, 2)
    overall = common.sentence_judgement(wrapped, OVERALL, "OverallEffectiveness")
    if overall:
        judgements.insert(0, overall)
    lscb = lscb_judgement(lines)
    if lscb:
        judgements.append(lscb)
    record.judgements = judgements
    record.roles = common.team(lines)
    record.recommendations = sif_recommendations(lines)
    record.sections = common.sections(lines)
    return record


def front_page(lines: list[common.Line]) -> list[common.Line]:
    """The title block and judgement table: page 1, up to the first body heading."""
    front = [line for line in lines[:60] if line[0] == 1]
    stop = common.heading_index(front, FRONT_END)
    return front[:stop] if stop else front


def lscb_judgement(lines: list[common.Line]):
    return common.sentence_judgement(common.join_wrapped(lines, 2), LSCB, "LSCBEffectiveness")



def sif_recommendations(lines: list[common.Line], default_addressee: str = "local authority"):
    """Every recommendation block ('Recommendations', 'What does the local authority/LSCB need
    to improve?', 'Areas for improvement', ...). A block is the LSCB's when its heading says so
    or when it follows the LSCB section; otherwise it is addressed to default_addressee."""
    result = []
    # The LSCB's judgement sentence opens its section; the front page's table may repeat it.
    front = len(front_page(lines))
    lscb_marks = [i for i, (_, t) in enumerate(lines) if i >= front and LSCB.match(t)]
    consumed = -1
    for idx in [i for i, (_, t) in enumerate(lines) if RECOMMENDATIONS.match(t)]:
        if idx < consumed:
            continue
        found = common.list_after(lines, idx, intro_lines=4)
        if not found.items:
            continue
        heading = lines[idx][1].lower()
        addressee = default_addressee
        if "lscb" in heading or "board" in heading or any(m < idx for m in lscb_marks):
            addressee = "LSCB"
        already = sum(1 for r in result if r.addressee == addressee)
        result.extend(common.recommendations(found.items, addressee, already + 1))
        consumed = found.end
    return result
