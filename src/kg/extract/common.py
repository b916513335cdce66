"""Parsing helpers shared by the per-format extractors: grade tables, header fields,
numbered and bulleted lists, findings sections, LSCB sections (team lists: people.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..authorities import AuthorityIndex
from ..dates import parse_date, parse_periods
from ..readers import Document
from ..records import Authority, Judgement, Period, Recommendation, ReportRecord, Section
from ..text import squash
from .. import errors
from . import wordings

Line = tuple[int, str]  # (page, text)

# Areas judged in a table row; the LSCB's judgement is a sentence and the safeguarding part of
# a 2012 combined inspection is renamed from its own table (see legacy.py).
_NOT_TABLE_AREAS = {"LSCBEffectiveness", "SafeguardingOverallEffectiveness", "SafeguardingCapacityToImprove"}
_AREAS = {label: area for label, area in wordings.labels("areas.ttl").items() if area not in _NOT_TABLE_AREAS}
_GRADES = wordings.labels("grades.ttl")
GRADE = "(" + wordings.alternation(_GRADES) + ")"
GRADE_RE = re.compile(r"\b" + GRADE + r"\b", re.I)
AREA_RE = re.compile(r"\b(?:" + wordings.alternation(_AREAS) + r")\b", re.I)
_TABLE_GAP = re.compile(r"^(?:[\s:\-]|\.{2,})*$")  # white space, a colon, leader dots; not a full stop
_CELL_END = re.compile(r"[ \t.*]*(?:Grade\s+\d\s*)?(?:\n|$)")  # a grade cell ends its line ("Good Grade 2")


def grade_key(text: str) -> str:
    """The grade concept a printed grade names ('Requires improvement to be good' -> 'RequiresImprovement')."""
    return _GRADES[wordings.normalise(text)]


def area_key(text: str) -> str:
    return _AREAS[wordings.normalise(text)]


@dataclass
class Joined:
    """Lines joined into one string, remembering which page each character came from."""

    text: str
    starts: list[int]
    pages: list[int]

    @classmethod
    def of(cls, lines: list[Line]) -> "Joined":
        parts, starts, pages, pos = [], [], [], 0
        for page, line in lines:
            starts.append(pos)
            pages.append(page)
            parts.append(line)
            pos += len(line) + 1
        return cls("\n".join(parts), starts, pages)

    def page_at(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.pages[lo] if self.pages else 1


def grade_table(lines: list[Line]) -> list[Judgement]:
    """Judgements from a table of 'area label  grade' rows (labels and grades may wrap).

    A grade counts only when nothing but white space separates it from its label, so prose
    such as "children who need help and protection are good" is never read as a row.
    """
    joined = Joined.of(lines)
    found: dict[str, Judgement] = {}
    for m in AREA_RE.finditer(joined.text):
        grade = GRADE_RE.search(joined.text, m.end())
        if not grade or not _TABLE_GAP.match(joined.text[m.end():grade.start()]) \
                or not _CELL_END.match(joined.text, grade.end()):
            continue
        area = area_key(m.group(0))
        if area not in found:
            found[area] = Judgement(area, grade_key(grade.group(1)), joined.page_at(m.start()),
                                    squash(joined.text[_line_start(joined.text, m.start()):grade.end()]))
    return list(found.values())


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def sentence_judgement(lines: list[Line], pattern: re.Pattern, area: str) -> Judgement | None:
    """A judgement stated as a sentence, e.g. "Children's services in X are inadequate"."""
    for page, line in lines:
        m = pattern.search(line)
        if m:
            return Judgement(area, grade_key(m.group("grade")), page, squash(m.group(0)))
    return None


# Overall effectiveness as a sentence: "Children's services in X are inadequate", "Children's
# services require improvement to be good", "The overall judgement is that ... are good".
OVERALL_SENTENCE = re.compile(
    r"(?:children['\u2019]?s\s+services(?:\s+in\s+.{1,90}?)?\s+(?:(?:are|is)\s+|(?=requires?\s+improvement))"
    r"|the\s+overall\s+judgement\s+is\s+(?:that\s+.{0,60}?\s(?:are\s+|is\s+)?)?)"
    r"(?P<grade>" + wordings.alternation(_GRADES) + r")\b", re.I)


def overall_sentence(lines: list[Line]) -> Judgement | None:
    return sentence_judgement(join_wrapped(lines, 2), OVERALL_SENTENCE, "OverallEffectiveness")


def join_wrapped(lines: list[Line], window: int = 3) -> list[Line]:
    """Each line joined with the next (window-1) lines: for phrases that wrap."""
    return [(lines[i][0], " ".join(t for _, t in lines[i:i + window])) for i in range(len(lines))]


# ------------------------------------------------------------------ header fields

def find_value(lines: list[Line], label: str, limit: int = 60) -> tuple[int, str] | None:
    """The text after 'label' on the first of the first `limit` lines that starts with it."""
    pattern = re.compile(rf"^{label}\s*:?\s*(.*)$", re.I)
    for i, (page, line) in enumerate(lines[:limit]):
        m = pattern.match(line)
        if m:
            value = m.group(1)
            if i + 1 < len(lines) and _DANGLING.search(value) and re.match(r"^(?:\d|[A-Z][a-z]+ \d{4})", lines[i + 1][1]):
                value += " " + lines[i + 1][1]
            return page, value
    return None


_DANGLING = re.compile(r"(?:\d|\band|\bto|[-–:])\s*$|^\s*$")


def dates_from(lines: list[Line], label: str = r"Inspection dates?|Dates? of (?:the )?inspection|Inspection date\(s\)") -> list[Period]:
    found = find_value(lines, f"(?:{label})")
    return parse_periods(found[1]) if found else []


def published_from(lines: list[Line]) -> object:
    found = find_value(lines, r"(?:Report published|Published|Publication date|Date of publication)")
    return parse_date(found[1]) if found else None


def resolve_authority(doc: Document, header: str, index: AuthorityIndex) -> Authority:
    """The authority named in the report's header, else the corpus folder's URN."""
    authority = index.find(header) or index.from_folder(doc.path)
    if authority is None:
        raise errors.ExtractionFailed(doc.path, f"no English local authority named in: {squash(header)[:120]!r}")
    return authority


def new_record(doc: Document, kind: str, header: str, index: AuthorityIndex) -> ReportRecord:
    """A record for this document, its authority resolved from the header it prints; taken from
    the corpus folder's URN only with an 'unresolved-authority' warning."""
    named = index.find(header)
    record = ReportRecord(doc.path, doc.sha256, doc.page_count, kind, named or resolve_authority(doc, header, index))
    if named is None:
        record.warn("unresolved-authority", f"the report names no authority kg knows; {record.authority.name} "
                    "taken from the folder name", 1, squash(header)[:200])
    return record


# Trusts and companies delivering an authority's services are named in some titles.
TRUST = r"(?:children['\u2019]?s\s+(?:services\s+)?trust|children\s+and\s+families\s+trust|children\s+first)"


def lines_of(doc: Document) -> list[Line]:
    """The document's lines with running headers and footers removed, except on page 1: a
    running header that repeats the title must not take the title (and the authority) away."""
    first = [(1, line) for line in doc.pages[0].split("\n") if line] if doc.pages else []
    return first + [line for line in doc.lines() if line[0] > 1]


def first_lines(doc: Document, n: int = 40) -> list[str]:
    """The first lines of page 1 as printed, for recognising the report's kind."""
    return [line for line in doc.pages[0].split("\n") if line][:n] if doc.pages else []


# ------------------------------------------------------------------ lists

_NUMBERED = re.compile(r"^(?:[-•]\s*)?(\d{1,3})\.(?:\s+|(?=[A-Z]))(\S.*)$")
# Bullets: common symbols and the private-use glyphs of Symbol/Wingdings fonts.
_BULLET = re.compile(r"^[\u2022\u25aa\u25fc\u25a0\u25cf\u25e6\u2023\u2043\ue000-\uf8ff\-–*]\s*(\S.*)$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
# Headings that end a list even when numbering carries on after them (paragraph numbers).
MAJOR_HEADING = re.compile(r"^(?:inspection findings|summary (?:for|of)|information about|the experiences and "
                           r"progress|what does the|executive summary|the local safeguarding"
                           r"|(?:the )?(?:local authority|lscb|board)'?s?'? strengths|key strengths|inspection judgements? (?:about|of|on)"
                           r"|recommendations\s*$|record of main findings)", re.I)


@dataclass
class ItemList:
    items: list[tuple[int, str]]  # (page, text)
    end: int  # index of the first line after the list


def numbered_list(lines: list[Line], start: int) -> ItemList:
    """Consecutively numbered items from lines[start:]; sub-bullets belong to their item and
    short sub-headings between items are skipped."""
    items: list[list] = []
    expected = None
    i = start
    while i < len(lines):
        page, line = lines[i]
        m = _NUMBERED.match(line)
        if m and (expected is None or int(m.group(1)) == expected):
            items.append([page, m.group(2)])
            expected = int(m.group(1)) + 1
        elif items and (_continues(items[-1][1], line) or _BULLET.match(line)):
            items[-1][1] += " " + line
        elif not (items and _subheading_before(lines, i, expected)):
            break
        i += 1
    return ItemList([(p, squash(t)) for p, t in items], i)


def bullet_list(lines: list[Line], start: int) -> ItemList:
    """Bulleted items from lines[start:]; short 'Within three months:' sub-headings are skipped."""
    items: list[list] = []
    i = start
    while i < len(lines):
        page, line = lines[i]
        m = _BULLET.match(line)
        subheading = line.endswith(":") and len(line) < 60
        if m and not _NUMBERED.match(line) and not _PAGE_NUMBER.match(line):
            items.append([page, m.group(1)])
        elif items and not subheading and not MAJOR_HEADING.match(line) and _continues(items[-1][1], line):
            items[-1][1] += " " + line
        elif not (items and subheading and i + 1 < len(lines) and _BULLET.match(lines[i + 1][1])):
            break
        i += 1
    return ItemList([(p, squash(t)) for p, t in items], i)


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line)) and not _NUMBERED.match(line)


def list_after(lines: list[Line], heading: int, intro_lines: int = 2) -> ItemList:
    """The numbered or bulleted list that starts within a few lines after a heading."""
    for start in range(heading + 1, min(heading + 2 + intro_lines, len(lines))):
        if MAJOR_HEADING.match(lines[start][1]):
            break
        found = numbered_list(lines, start)
        if not found.items:
            found = bullet_list(lines, start)
        if found.items:
            return found
    return ItemList([], heading + 1)


def _subheading_before(lines: list[Line], i: int, expected: int) -> bool:
    """A short heading inside a numbered list ("Areas for improvement") followed by item `expected`."""
    if MAJOR_HEADING.match(lines[i][1]):
        return False
    for _, ahead in lines[i + 1:i + 4]:
        if _PAGE_NUMBER.match(ahead):
            continue
        m = _NUMBERED.match(ahead)
        if m:
            return int(m.group(1)) == expected
        if len(ahead) > 90:
            return False
    return False


def _continues(previous: str, line: str) -> bool:
    """Whether a line continues the previous list item rather than starting a heading."""
    if _PAGE_NUMBER.match(line):
        return True
    ended = previous.rstrip().endswith((".", ")", "?", "!", ";"))
    return not ended or line[:1].islower() or line.startswith("(")


_NONE_STATED = re.compile(r"^(?:there\s+(?:are|were)\s+no\s+(?:areas|priority|recommendations)|the\s+inspection\s+did\s+not\s+find\s+any"
                          r"|no\s+(?:areas?|recommendations|priority\s+actions?)\s+(?:were|was|are|is|have\s+been)\s+identified|none\.?$)", re.I)


def recommendations(items: list[tuple[int, str]], addressee: str, first_order: int = 1) -> list[Recommendation]:
    """Numbered from first_order; statements that there is nothing to recommend are dropped."""
    kept = [(page, text) for page, text in items if not _NONE_STATED.match(text)]
    return [Recommendation(first_order + k, text, page, addressee) for k, (page, text) in enumerate(kept)]


def heading_index(lines: list[Line], pattern: str, start: int = 0) -> int | None:
    rx = re.compile(pattern, re.I)
    for i in range(start, len(lines)):
        if rx.match(lines[i][1]):
            return i
    return None


# ------------------------------------------------------------------ findings sections

SECTION_HEADINGS = [
    (r"^(?:the\s+)?experiences\s+and\s+progress\s+of\s+children\s+who\s+need\s+help", "HelpAndProtection"),
    (r"^(?:the\s+)?experiences\s+and\s+progress\s+of\s+children\s+in\s+care\s+and\s+care\s+leavers", "ChildrenInCareAndCareLeavers"),
    (r"^(?:the\s+)?experiences\s+and\s+progress\s+of\s+children\s+looked\s+after", "LookedAfterAndPermanence"),
    (r"^(?:the\s+)?experiences\s+and\s+progress\s+of\s+children\s+in\s+care", "ChildrenInCare"),
    (r"^(?:the\s+)?experiences\s+and\s+progress\s+of\s+care\s+leavers", "CareLeavers"),
    (r"^(?:the\s+)?graded\s+judge?ment\s+for\s+adoption\s+performance", "AdoptionPerformance"),  # judgment: 2014-15
    (r"^(?:the\s+)?graded\s+judge?ment\s+(?:about|for)\s+the\s+experiences?\s+and\s+progress\s+of\s+care", "CareLeavers"),
    (r"^(?:the\s+)?impact\s+of\s+leaders\s+on\s+(?:social\s+work|practice\s+with)", "ImpactOfLeaders"),
    (r"^leadership,\s+management\s+and\s+governance(?:\s+(?:(?:is|are)\s+)?(?:" + wordings.alternation(_GRADES) + r"))?\.?\s*$",
     "LeadershipManagementGovernance"),  # SIF reports put the grade after the heading, or say "... are good"
    (r"^(?:the\s+)?local\s+safeguarding\s+children\s+board\s*(?:\(LSCB\))?\s*$", "LSCBEffectiveness"),
    (r"^the\s+effectiveness\s+of\s+the\s+(?:LSCB|local\s+safeguarding\s+children\s+board(?:\s*\(LSCB\))?)\s+(?:is\s+)?(?:"
     + wordings.alternation(_GRADES) + r")\.?\s*$", "LSCBEffectiveness"),  # 2014: the judgement opens the section
    (r"^(?:information\s+about\s+this\s+(?:inspection|review)|the\s+inspection\s+team)\b", None),
]
# One pattern, the headings in order as its alternatives: the first heading that matches wins
# (group n+1 is SECTION_HEADINGS[n]); one match per line instead of one per heading.
_SECTION_RE = re.compile("|".join(f"({p})" for p, _ in SECTION_HEADINGS), re.I)
_SECTION_AREAS = [a for _, a in SECTION_HEADINGS]
_PAGE_NUMBER_END = re.compile(r"\s\d{1,3}$")  # a contents-page entry


def sections(lines: list[Line], opening_area: str | None = None) -> list[Section]:
    """The findings split under judgement-area headings (contents-page entries skipped). A heading
    may wrap onto a second line ("The experiences and progress of" / "children who need help and
    protection Inadequate"; "... of children in care" / "and care leavers"), and so may a
    contents-page entry, whose page number then ends the second line. The front page's
    judgement table names the areas too ("The experiences and progress of children in care and
    care leavers Inadequate"): its lines are never headings. The text before the first heading is
    under opening_area (a report on one area, the LSCB review, has no heading for it)."""
    result: list[Section] = [Section(opening_area, [])]
    i = len(front_page(lines))
    result[0].lines.extend(lines[:i])
    while i < len(lines):
        page, line = lines[i]
        area, used = _heading_at(line, lines[i + 1][1] if i + 1 < len(lines) else "")
        if area is not False:
            result.append(Section(area, []))
        else:
            result[-1].lines.extend(lines[i:i + used])
        i += used
    return [s for s in result if s.lines]


def _heading_at(line: str, following: str) -> tuple:
    """(area, lines used) if a findings heading starts at `line`, its second line `following` or
    not; (False, 1) otherwise. The area is None for a heading that ends the findings."""
    alone = _section_heading(line)
    if not following or len(line) > 140:
        return alone, 1
    joined = f"{line} {following}"
    if len(following) <= 60 and _PAGE_NUMBER_END.search(following) and _SECTION_RE.match(joined):
        return False, 1  # a contents-page entry wrapped onto two lines
    wrapped = _section_heading(joined)
    if wrapped is not False and wrapped != alone:
        return wrapped, 2  # the heading goes on, or goes on to name a wider area
    return alone, 1


def _section_heading(line: str):
    if len(line) > 140 or _PAGE_NUMBER_END.search(line):
        return False
    m = _SECTION_RE.match(line)
    return _SECTION_AREAS[m.lastindex - 1] if m else False


# ------------------------------------------------------------------ LSCB sections and recommendation blocks
# Shared by SIF reports (which usually include the review of the Local Safeguarding Children
# Board) and LSCB reviews published on their own.

LSCB = re.compile(
    r"^(?:The\s+effectiveness\s+of\s+)?(?:The\s+|the\s+)?(?:Local\s+Safeguarding\s+Children\s+Board|LSCB)\s*(?:\(LSCB\)\s*)?"
    r"(?:is\s+)?(?P<grade>" + wordings.alternation(_GRADES) + r")\b", re.I)
FRONT_END = r"^(?:Executive summary|Contents|Summary of findings|The local authority\s*$|Information about this)"
RECOMMENDATION_HEADING = re.compile(r"^(?:recommendations:?|what does the (?:local authority|lscb|board) need to improve\??"
                                    r"|areas for improvement|priority and immediate action)\s*$", re.I)


def header_text(lines: list[Line], title: re.Pattern) -> str:
    """Lines above the title (the authority's name), else the first lines."""
    idx = heading_index(lines[:25], title.pattern)
    head = [t for _, t in lines[:idx] if not re.fullmatch(r"\d{1,3}", t)] if idx else []
    return " ".join(head) if head else " ".join(t for _, t in lines[:6])


def front_page(lines: list[Line]) -> list[Line]:
    """The title block and judgement table: page 1, up to the first body heading."""
    front = [line for line in lines[:60] if line[0] == 1]
    stop = heading_index(front, FRONT_END)
    return front[:stop] if stop else front


def lscb_judgement(lines: list[Line]) -> Judgement | None:
    return sentence_judgement(join_wrapped(lines, 2), LSCB, "LSCBEffectiveness")


def recommendation_blocks(lines: list[Line], default_addressee: str = "local authority") -> list[Recommendation]:
    """Every recommendation block ('Recommendations', 'What does the local authority/LSCB need
    to improve?', 'Areas for improvement', ...). A block is the LSCB's when its heading says so
    or when it follows the LSCB section; otherwise it is addressed to default_addressee."""
    result: list[Recommendation] = []
    # The LSCB's judgement sentence opens its section; the front page's table may repeat it.
    front = len(front_page(lines))
    lscb_marks = [i for i, (_, t) in enumerate(lines) if i >= front and LSCB.match(t)]
    consumed = -1
    for idx in [i for i, (_, t) in enumerate(lines) if RECOMMENDATION_HEADING.match(t)]:
        if idx < consumed:
            continue
        found = list_after(lines, idx, intro_lines=4)
        if not found.items:
            continue
        heading = lines[idx][1].lower()
        addressee = default_addressee
        if "lscb" in heading or "board" in heading or any(m < idx for m in lscb_marks):
            addressee = "LSCB"
        already = sum(1 for r in result if r.addressee == addressee)
        result.extend(recommendations(found.items, addressee, already + 1))
        consumed = found.end
    return result
