"""Theme tagging quality against hand-labelled recommendations.

Runs kg.thesaurus.themes_of on every recommendation in tests/gold/recommendation_themes.json and
prints micro precision and recall, counts per theme, and each false positive (with the phrase
that matched) and false negative.

    python bench/theme_quality.py [--quiet]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kg.thesaurus import find_themes  # noqa: E402

GOLD = ROOT / "tests" / "gold" / "recommendation_themes.json"
PRECISION_TARGET = 0.90
RECALL_TARGET = 0.80


@dataclass
class Score:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = sum(self.tp.values()) + sum(self.fp.values())
        return sum(self.tp.values()) / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = sum(self.tp.values()) + sum(self.fn.values())
        return sum(self.tp.values()) / wanted if wanted else 1.0


def load_gold(path: Path = GOLD) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def evaluate(gold: list[dict]) -> Score:
    score = Score()
    for item in gold:
        phrases: dict[str, list[str]] = {}
        for match in find_themes(item["text"]):
            phrases.setdefault(match.theme, []).append(match.phrase)
        found, wanted = set(phrases), set(item["themes"])
        where = f'{item["file"]} #{item["number"]}'
        for theme in sorted(found & wanted):
            score.tp[theme] += 1
        for theme in sorted(found - wanted):
            score.fp[theme] += 1
            score.errors.append(f'FP {theme:<36} {", ".join(repr(p) for p in phrases[theme])}'
                                f'  [{where}] {item["text"]}')
        for theme in sorted(wanted - found):
            score.fn[theme] += 1
            score.errors.append(f'FN {theme:<36} [{where}] {item["text"]}')
    return score


def main(argv: list[str]) -> int:
    gold = load_gold()
    score = evaluate(gold)
    reports = len({item["file"] for item in gold})
    print(f"{len(gold)} recommendations from {reports} reports")
    print(f"{'theme':<38}{'gold':>6}{'tp':>6}{'fp':>6}{'fn':>6}")
    for theme in sorted(set(score.tp) | set(score.fp) | set(score.fn)):
        gold_n = score.tp[theme] + score.fn[theme]
        print(f"{theme:<38}{gold_n:>6}{score.tp[theme]:>6}{score.fp[theme]:>6}{score.fn[theme]:>6}")
    if "--quiet" not in argv:
        print()
        print("\n".join(score.errors))
    print()
    print(f"micro precision {score.precision:.3f} (target {PRECISION_TARGET})")
    print(f"micro recall    {score.recall:.3f} (target {RECALL_TARGET})")
    ok = score.precision >= PRECISION_TARGET and score.recall >= RECALL_TARGET
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
