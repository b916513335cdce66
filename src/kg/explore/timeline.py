"""An authority's judgements over time as an inline SVG: one row per judgement area, one dot
per judgement at its inspection's date, coloured by grade (rank 1 best .. 4 worst); visits
without judgements on their own row. Each dot links to its inspection and has a tooltip."""
from __future__ import annotations

from datetime import date

from .html import esc

COLOURS = {"1": "#1a7f37", "2": "#4c9a2a", "3": "#b86e00", "4": "#b42318"}
SHORT = {"1": "O", "2": "G", "3": "RI", "4": "I"}
LEFT, RIGHT, TOP, ROW, WIDTH = 250, 20, 28, 26, 900
OVERALL = "https://w3id.org/ofsted-kg/def#OverallEffectiveness"


def _clip(text: str, n: int = 36) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def timeline(judgements: list[dict], visits: list[dict], href) -> str:
    """judgements: rows of authority-judgements.rq; visits: {inspection, label, date};
    href(iri) -> link. Empty string if there is nothing dated to draw."""
    points = [j for j in judgements if j.get("date")]
    visits = [v for v in visits if v.get("date")]
    if not points and not visits:
        return ""
    areas: dict[str, str] = {}
    for j in sorted(points, key=lambda j: (j["area"] != OVERALL, j["date"])):
        areas.setdefault(j["area"], j["areaLabel"])
    rows = list(areas) + (["visits"] if visits else [])
    dates = [date.fromisoformat(p["date"][:10]) for p in points + visits]
    first, last = date(min(dates).year, 1, 1), date(max(dates).year + 1, 1, 1)
    span = (last - first).days or 1
    height = TOP + ROW * len(rows) + 10

    def x(value: str) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (date.fromisoformat(value[:10]) - first).days / span

    out = [f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="tl-title" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">',
           '<title id="tl-title">Judgements by area and date</title>']
    for year in range(first.year, last.year + 1):
        gx = x(f"{year}-01-01")
        out.append(f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="{TOP - 6}" y2="{height - 8}" stroke="#e3e7ea"/>')
        if year < last.year:
            mid = x(f"{year}-07-01")
            out.append(f'<text x="{mid:.1f}" y="{TOP - 12}" text-anchor="middle" fill="#56616b">{year}</text>')
    for i, area in enumerate(rows):
        y = TOP + ROW * i + ROW / 2
        label = "Visits (no judgements)" if area == "visits" else areas[area]
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#1d2329">'
                   f'<title>{esc(label)}</title>{esc(_clip(label))}</text>')
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eef1f3"/>')
    index = {area: i for i, area in enumerate(rows)}
    for p in points:
        y = TOP + ROW * index[p["area"]] + ROW / 2
        rank = p.get("rank") or "0"
        tip = f'{p["areaLabel"]}: {p["gradeLabel"]} ({p["date"][:10]})'
        out.append(f'<a href="{esc(href(p["inspection"]))}"><title>{esc(tip)}</title>'
                   f'<circle cx="{x(p["date"]):.1f}" cy="{y:.1f}" r="9" fill="{COLOURS.get(rank, "#777")}"/>'
                   f'<text x="{x(p["date"]):.1f}" y="{y + 3.5:.1f}" text-anchor="middle" font-size="9" '
                   f'font-weight="700" fill="#fff">{SHORT.get(rank, "?")}</text></a>')
    for v in visits:
        y = TOP + ROW * index["visits"] + ROW / 2
        cx = x(v["date"])
        out.append(f'<a href="{esc(href(v["inspection"]))}"><title>{esc(v["label"])}</title>'
                   f'<rect x="{cx - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" transform="rotate(45 {cx:.1f} {y:.1f})" '
                   f'fill="#5b6b7a"/></a>')
    out.append("</svg>")
    legend = "".join(f'<li><span class="sw" style="background:{COLOURS[r]}"></span>{SHORT[r]} = {name}</li>'
                     for r, name in (("1", "Outstanding"), ("2", "Good"), ("3", "Requires improvement / Adequate"),
                                     ("4", "Inadequate")))
    return (f'<figure class="timeline"><div class="scroll">{"".join(out)}</div><figcaption><ul class="legend">{legend}'
            f'<li>◆ visit or review without grades</li></ul></figcaption></figure>')
