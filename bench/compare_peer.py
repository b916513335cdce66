"""Compare the graph with another public tool's extraction of the dev corpus
(../shared/reference/peer_ilacs_history_dev.csv: ILACS fields only, known to contain errors).

    python bench/compare_peer.py GRAPH.ttl

Prints agreement per field and every disagreement, for a human to adjudicate.
"""
from __future__ import annotations

import csv
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT.parent / "shared" / "reference" / "peer_ilacs_history_dev.csv"

QUERY = """
PREFIX kg: <https://w3id.org/ofsted-kg/def#> PREFIX schema: <https://schema.org/>
SELECT ?file ?start ?end ?lead ?area ?grade WHERE {
  ?i kg:reportedIn/kg:sourceFile ?file .
  OPTIONAL { ?i kg:startDate ?start ; kg:endDate ?end }
  OPTIONAL { ?i kg:leadInspector/schema:name ?lead }
  OPTIONAL { ?i kg:hasJudgement ?j . ?j kg:area ?area ; kg:grade ?grade }
}"""
GRADES = {"Outstanding": "outstanding", "Good": "good", "RequiresImprovement": "requires improvement",
          "Inadequate": "inadequate", "Adequate": "adequate"}
COLUMNS = {"overall_effectiveness_grade": ["OverallEffectiveness"], "impact_of_leaders_grade": ["ImpactOfLeaders"],
           "help_and_protection_grade": ["HelpAndProtection"],
           "in_care_grade": ["ChildrenInCare", "ChildrenInCareAndCareLeavers"],
           "care_leavers_grade": ["CareLeavers", "ChildrenInCareAndCareLeavers"]}


def iso(day_month_year: str) -> str | None:
    for fmt in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(day_month_year, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def ours(graph: Path) -> dict[str, dict]:
    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
    facts: dict[str, dict] = defaultdict(lambda: {"grades": {}})
    for s in store.query(QUERY):
        key = "/".join(s["file"].value.split("/")[-2:])
        fact = facts[key]
        fact["start"] = s["start"].value if s["start"] else None
        fact["end"] = s["end"].value if s["end"] else None
        fact["lead"] = s["lead"].value if s["lead"] else None
        if s["area"]:
            fact["grades"][s["area"].value.split("#")[1]] = GRADES[s["grade"].value.split("#")[1]]
    return facts


def main(argv: list[str]) -> int:
    graph = Path(argv[0]) if argv else ROOT / "out" / "corpus" / "graph.ttl"
    facts = ours(graph)
    agree, total, notes = defaultdict(int), defaultdict(int), []
    with PEER.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            key = f"{row['urn']}_{row['local_authority']}/{row['pdf_filename']}"
            fact = facts.get(key)
            if fact is None or not row["inspection_start_date"]:
                continue  # pre-2018 rows are blank or 'data_unreadable' in the peer file
            pairs = [("start", iso(row["inspection_start_date"]), fact["start"]),
                     ("end", iso(row["inspection_end_date"]), fact["end"]),
                     ("lead", row["inspector_name"].strip() or None, fact["lead"])]
            for column, areas in COLUMNS.items():
                theirs = row[column].strip() or None
                if theirs in (None, "inspection_pre_dates_judgement", "data_unreadable"):
                    continue
                mine = next((fact["grades"][a] for a in areas if a in fact["grades"]), None)
                pairs.append((column, theirs, mine))
            for field, theirs, mine in pairs:
                total[field] += 1
                if (theirs or "").lower() == (mine or "").lower():
                    agree[field] += 1
                else:
                    notes.append(f"{field:28} {key}: peer {theirs!r}, kg {mine!r}")
    print(f"{'field':28} {'agree':>6} {'rows':>6}")
    for field in total:
        print(f"{field:28} {agree[field]:>6} {total[field]:>6}")
    print(f"\n{len(notes)} disagreement(s)")
    for note in notes:
        print("  " + note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
