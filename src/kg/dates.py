"""Parsing the date expressions Ofsted reports use ("11 January to 8 February 2016",
"8 - 12 July 2013", "30 September to 11 October 2024 and 13 to 16 January 2025")."""
from __future__ import annotations

import re
from datetime import date

from .records import Period

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
DATE = re.compile(rf"\b({_DAY})\s+({_MONTH})\.?,?\s+({_YEAR})\b", re.I)
# One date part: day, optional month, optional year.
_PART = rf"({_DAY})(?:\s+({_MONTH}))?(?:\s+({_YEAR}))?"
_SEP = r"\s*(?:-|–|—|─|to|until|and)\s*"
NUMERIC = re.compile(r"\b([0-3]?\d)/([01]?\d)/((?:19|20)?\d\d)\b")
RANGE = re.compile(rf"\b{_PART}{_SEP}{_PART}\b", re.I)


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _month(text: str) -> int:
    return MONTHS[text.lower()[:4] if text.lower().startswith("sept") else text.lower()[:3]]


def _numeric_to_words(text: str) -> str:
    """'12/09/2016' -> '12 September 2016' (UK day-first order)."""
    def words(m: re.Match) -> str:
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return m.group(0)
        year = m.group(3) if len(m.group(3)) == 4 else "20" + m.group(3)
        return f"{int(m.group(1))} {_MONTH_NAMES[month - 1]} {year}"
    return NUMERIC.sub(words, text)


_MONTH_NAMES = "January February March April May June July August September October November December".split()


def parse_date(text: str) -> date | None:
    """The first full date ("5 April 2016", "05/04/2016") in text."""
    m = DATE.search(_numeric_to_words(text))
    if not m:
        return None
    try:
        return date(int(m.group(3)), _month(m.group(2)), _day(m.group(1)))
    except ValueError:
        return None


def parse_periods(text: str) -> list[Period]:
    """All on-site periods in an expression such as an "Inspection dates:" line.

    A single date gives a one-day period. Missing months/years are taken from the end of
    each range ("8 - 12 July 2013").
    """
    text = _numeric_to_words(text)
    periods: list[Period] = []
    pos = 0
    while True:
        m = RANGE.search(text, pos)
        single = DATE.search(text, pos)
        if m and m.group(6) and m.group(5) and (not single or m.start() <= single.start()):
            d1, m1, y1, d2, m2, y2 = m.groups()
            end_year, end_month = int(y2), _month(m2)
            start_month = _month(m1) if m1 else end_month
            start_year = int(y1) if y1 else (end_year - 1 if start_month > end_month else end_year)
            try:
                periods.append(Period(date(start_year, start_month, _day(d1)), date(end_year, end_month, _day(d2))))
            except ValueError:
                pass
            pos = m.end()
        elif single:
            day = parse_date(single.group())
            if day:
                periods.append(Period(day, day))
            pos = single.end()
        else:
            return periods
