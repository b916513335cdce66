"""Tag records with the thesaurus' themes (kg.thesaurus): recommendations, and theme mentions per
judgement area."""
from __future__ import annotations

import re
from bisect import bisect_right

from .records import ReportRecord, ThemeMention
from .text import squash
from .thesaurus import find_themes

_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def tag(record: ReportRecord) -> ReportRecord:
    for rec in record.recommendations:
        seen: dict[str, str] = {}
        for match in find_themes(rec.text):
            seen.setdefault(match.theme, match.phrase)
        rec.themes = sorted(seen.items())
        if not rec.themes:
            record.warn("untagged-recommendation", f"recommendation {rec.addressee} {rec.order} matches no theme "
                        "in themes.ttl", rec.page, rec.text)
    record.theme_mentions = mentions(record)
    return record


def mentions(record: ReportRecord) -> list[ThemeMention]:
    """Per (judgement area, theme): count, first page, phrase and sentence; plus whole-document
    totals per theme (area None)."""
    found: dict[tuple[str | None, str], ThemeMention] = {}

    def count(area: str | None, match, page: int, text: str, ends: list[int]) -> None:
        if (area, match.theme) in found:
            found[area, match.theme].count += 1
        else:
            found[area, match.theme] = ThemeMention(match.theme, area, 1, page, match.phrase,
                                                    _sentence(text, ends, match.start, match.end))

    for section in record.sections:
        text = "\n".join(line for _, line in section.lines)
        starts, pos = [], 0
        for _, line in section.lines:
            starts.append(pos)
            pos += len(line) + 1
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        for match in find_themes(text):
            page = section.lines[bisect_right(starts, match.start) - 1][0]
            count(None, match, page, text, ends)
            if section.area:
                count(section.area, match, page, text, ends)
    return sorted(found.values(), key=lambda m: (m.area or "", m.theme))


def _sentence(text: str, ends: list[int], start: int, end: int) -> str:
    """The sentence around text[start:end]; ends: the offsets just after every sentence end in text."""
    if start and text[start - 1] in ".!?":  # "...care.Domestic abuse": the sentence starts at the match
        left = start
    else:
        before = bisect_right(ends, start)
        left = ends[before - 1] if before else 0
    right = _SENTENCE_END.search(text, end)
    sentence = squash(text[left:right.end() if right else len(text)])
    return sentence if len(sentence) <= 400 else squash(text[max(0, start - 150):end + 150])
