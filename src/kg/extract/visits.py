"""Monitoring-visit and focused-visit letters: no grades; inspectors named in the text."""
from __future__ import annotations

import re

from .. import errors
from .. import kinds
from ..authorities import AuthorityIndex
from ..dates import parse_date, parse_periods
from ..names import split_names
from ..readers import Document
from ..records import ReportRecord, Role
from ..text import squash
from . import common, people

_SERVICES = r"(?:'s)?\s+(?:(?:local\s+authority\s+)?children['\u2019]?s\s+services|" + common.TRUST + ")"
TITLES = {
    kinds.MONITORING_VISIT.name: re.compile(r"^Monitoring\s+visit\s+(?:of|to)\s+(.+?)" + _SERVICES, re.I),
    kinds.FOCUSED_VISIT.name: re.compile(r"^Focused\s+visit\s+(?:of|to)\s+(.+?)" + _SERVICES, re.I),
}
KINDS = tuple(TITLES)
CARRIED_OUT = re.compile(r"(?:(?:visit|inspection) was (?:carried out|conducted|undertaken|led) by"
                         r"|inspectors? (?:for|on|carrying out) this visit (?:were|was)) (.+?)(?:\.\s|\.$)", re.I | re.S)
ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 1)}
VISIT_NUMBER = re.compile(r"\b(" + "|".join(ORDINALS) + r")\s+monitoring\s+visit", re.I)


def recognise(first_lines: list[str]) -> str | None:
    return next((kind for kind, _ in _title(first_lines)), None)


def _title(first_lines: list[str]):
    """(kind, title text) for the visit title, which may wrap over lines."""
    for _, text in common.join_wrapped([(1, line) for line in first_lines], 3):
        for kind, rx in TITLES.items():
            m = rx.match(text)
            if m:
                yield kind, m
                return


def extract(doc: Document, index: AuthorityIndex) -> ReportRecord:
    lines = common.lines_of(doc)
    first = [t for _, t in lines[:40]]
    found = next(_title(first), None)
    if found is None:
        raise errors.ExtractionFailed(doc.path, "no monitoring or focused visit title on page 1")
    kind, title = found
    record = common.new_record(doc, kind, title.group(0), index)
    record.title = squash(title.group(0))
    dear = next((i for i, t in enumerate(first) if t.lower().startswith("dear ")), len(first))
    record.issued = next((d for t in first[:dear] if (d := parse_date(t))), None)
    text = "\n".join(t for _, t in lines)
    opening = re.search(r"findings of (?:the|a) (?:monitoring|focused) visit.+?\.(?:\s|$)", squash(text), re.I)
    if opening:
        record.periods = parse_periods(opening.group(0))[:2]
    number = VISIT_NUMBER.search(text)
    record.visit_number = ORDINALS[number.group(1).lower()] if number else None
    record.roles = visit_team(lines, record)
    idx = common.heading_index(lines, r"^(?:Areas? for (?:improvement|priority action)|What needs to improve|Priority action)")
    if idx is not None:
        record.recommendations = common.recommendations(common.list_after(lines, idx).items, "local authority")
    record.sections = common.sections(lines)
    return record


def visit_team(lines: list[common.Line], record: ReportRecord | None = None) -> list[Role]:
    roles = [r for r in people.team(lines, record) if r.role == "LeadInspector"]
    for page, line in lines:
        m = CARRIED_OUT.search(line)
        if m:
            for name in split_names(m.group(1)):
                if not any(r.name == name for r in roles):
                    roles.append(Role(name, "VisitInspector", page, squash(m.group(0))))
            break
    return roles
