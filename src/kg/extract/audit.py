"""Every record audits itself against what its kind of report always contains.

The expectations are data: ontology/data/expectations.csv (per report kind, title variant and
era: the judgement areas, the lead inspector, the team, recommendations, dates). Each shortfall
becomes a warning Finding with a stable code, the page and the nearest text; a shortfall that
the report itself states (a judgement "not judged", "no recommendations") is recorded as info.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from ..paths import DATA_DIR
from ..records import ReportRecord
from ..text import squash
from . import common, wordings

Line = common.Line

_NOT_JUDGED = re.compile(r"\b(?:not\s+judged|not\s+applicable|no\s+judgement|not\s+graded|not\s+inspected)\b", re.I)
_NO_RECOMMENDATIONS = re.compile(r"\b(?:no\s+(?:formal\s+|further\s+)?recommendations"
                                 r"|no\s+areas?\s+for\s+(?:priority\s+action|improvement))\b", re.I)


@dataclass(frozen=True)
class Expectation:
    kind: str
    title_matches: str
    started_from: date | None
    started_before: date | None
    expects: str
    value: str
    note: str

    def applies(self, record: ReportRecord) -> bool:
        if record.kind != self.kind:
            return False
        if self.title_matches and not re.search(self.title_matches, record.title or "", re.I):
            return False
        when = record.start or record.issued
        if (self.started_from or self.started_before) and when is None:
            return self.expects != "judgement" or not self.started_from  # unknown era: the older set
        if self.started_from and when < self.started_from:
            return False
        return not (self.started_before and when >= self.started_before)


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


@lru_cache(maxsize=1)
def expectations() -> tuple[Expectation, ...]:
    with (DATA_DIR / "expectations.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(Expectation(row["kind"], row["title_matches"], _date(row["started_from"]),
                                 _date(row["started_before"]), row["expects"], row["value"], row["note"])
                     for row in csv.DictReader(fh))


def audit(record: ReportRecord, lines: list[Line]) -> ReportRecord:
    """Add a Finding to the record for every expectation it does not meet."""
    for e in expectations():
        if e.applies(record):
            _check(record, e, lines)
    _check_findings_sections(record)
    return record


_HEADED_AREAS = frozenset(area for _, area in common.SECTION_HEADINGS if area)


def _check_findings_sections(record: ReportRecord) -> None:
    """A judgement on an area that has a findings heading (common.SECTION_HEADINGS) is expected
    to have found its section: without it, the findings' theme mentions are not counted under
    that judgement (kg:underJudgement), only for the whole report."""
    opened = {section.area for section in record.sections}
    for j in record.judgements:
        if j.area in _HEADED_AREAS and j.area not in opened:
            record.warn("no-findings-section", f"no findings section found for the {j.area} judgement: its "
                        "theme mentions count for the whole report only", j.page, j.evidence)


def _check(record: ReportRecord, e: Expectation, lines: list[Line]) -> None:
    if e.expects == "judgement-if-heading":
        heading = re.compile(r"^(?:the\s+)?(?:" + _area_pattern(e.value).pattern + r")\s*(?:\(\w+\))?\s*$", re.I)
        if any(page > 1 and heading.match(text) for page, text in lines):
            _check(record, replace(e, expects="judgement"), lines)
    elif e.expects == "judgement":
        if any(j.area == e.value for j in record.judgements):
            return
        page, snippet = _nearest(lines, _area_pattern(e.value), following=1)
        if not snippet and record.judgements:  # the label is not printed: point at the other judgements
            page, snippet = record.judgements[0].page, record.judgements[0].evidence
        if snippet and _NOT_JUDGED.search(snippet):
            record.warn("missing-judgement", f"{e.value} is stated as not judged", page, snippet, "info")
        else:
            record.warn("missing-judgement", f"no {e.value} judgement found" + (f" ({e.note})" if e.note else ""),
                        page, snippet)
    elif e.expects == "role":
        wanted = set(e.value.split("|"))
        if not any(r.role in wanted for r in record.roles):
            page, snippet = _nearest(lines, re.compile(r"\binspector", re.I), pages=2)
            code = "no-lead-inspector" if wanted & {"LeadInspector", "ReportingInspector"} else "no-inspectors"
            record.warn(code, f"no {' or '.join(sorted(wanted))} found", page, snippet)
    elif e.expects == "team":
        lead = {"LeadInspector", "ReportingInspector"}
        if not any(r.role not in lead for r in record.roles):
            page, snippet = _nearest(lines, re.compile(r"\binspectors?\b", re.I), pages=3)
            record.warn("no-team", "no inspection team besides the lead found", page, snippet)
    elif e.expects == "recommendations":
        if record.recommendations:
            return
        heading = _first(lines, _RECOMMENDATION_HEADING)
        # "no recommendations" counts only where the recommendations would be printed
        stated = _nearest(lines[heading:heading + 12], _NO_RECOMMENDATIONS) if heading is not None else (None, "")
        if stated[1]:
            record.warn("no-recommendations", "the report states that it makes no recommendations", *stated, "info")
        elif heading is not None and _prose_only(lines, heading):
            record.warn("no-recommendations", "the recommendations heading is followed by prose, not a list",
                        lines[heading][0], " ".join(t for _, t in lines[heading:heading + 3]), "info")
        else:
            page, snippet = lines[heading] if heading is not None else (None, "")
            record.warn("no-recommendations", "no recommendations found", page, squash(snippet))
    elif e.expects == "dates":
        if not record.periods:
            page, snippet = _nearest(lines, re.compile(r"\b(?:inspection|visit)\s+dates?\b|\bdates?\s+of\b", re.I))
            record.warn("no-dates", "no on-site dates found", page, snippet)
    elif e.expects == "issued":
        if record.issued is None:
            record.warn("no-publication-date", "no publication date found", 1, lines[0][1] if lines else "")


_RECOMMENDATION_HEADING = re.compile(r"^(?:recommendations|what needs to improve|what does the .{0,40}need to improve"
                                     r"|areas? for (?:improvement|priority action))\b", re.I)
_LIST_ITEM = re.compile(r"^\s*[^\w\s'\"\u2018\u201c(]|^\s*\d{1,3}[.)]\s")  # a bullet glyph or an item number


_GRADED_HEADING = re.compile(r":\s*" + common.GRADE + r"\s*$", re.I)


def _first(lines: list[Line], pattern: re.Pattern) -> int | None:
    return next((i for i, (_, text) in enumerate(lines) if pattern.search(text)), None)


def _prose_only(lines: list[Line], heading: int) -> bool:
    """Whether the heading is followed by a short paragraph and then the next section's heading
    (a findings heading: 'The experiences and progress of ...: outstanding'), with no list item."""
    for page, text in lines[heading + 1:heading + 25]:
        if _LIST_ITEM.match(text):
            return False
        if _GRADED_HEADING.search(text):
            return True
    return False


def _area_pattern(area: str) -> re.Pattern:
    texts = [label for label, concept in wordings.labels("areas.ttl").items() if concept == area]
    return re.compile(r"\b(?:" + wordings.alternation(texts) + r")\b", re.I)


def _nearest(lines: list[Line], pattern: re.Pattern, pages: int | None = None,
             following: int = 0) -> tuple[int | None, str]:
    """(page, text) of the first line matching pattern (within the first `pages` pages), with
    up to `following` short lines after it (a table row's grade cell)."""
    for i, (page, text) in enumerate(lines):
        if pages is not None and page > pages:
            break
        if pattern.search(text):
            after = [t for _, t in lines[i + 1:i + 1 + following] if len(t) < 40]
            return page, squash(" ".join([text] + after))
    return None, ""
