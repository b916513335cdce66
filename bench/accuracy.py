"""Score a built graph against the hand-checked gold sample (tests/gold/reports.json).

    python bench/accuracy.py [GRAPH.ttl]      (default: builds ../shared/corpus/reports into out/corpus)

Prints accuracy per field and every disagreement. The graph is read through SPARQL only.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from kg.names import person_key  # noqa: E402
GOLD = ROOT / "tests" / "gold" / "reports.json"
CORPUS = ROOT.parent / "shared" / "corpus" / "reports"
KG = "https://w3id.org/ofsted-kg/def#"

FACTS = """
PREFIX kg: <https://w3id.org/ofsted-kg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?file ?kind ?urn ?start ?end ?issued ?type WHERE {
  ?i kg:reportedIn ?r ; a ?kind ; kg:inspectionOf/kg:urn ?urn .
  ?r kg:sourceFile ?file .
  FILTER (?kind != kg:Inspection)
  OPTIONAL { ?i kg:startDate ?start } OPTIONAL { ?i kg:endDate ?end }
  OPTIONAL { ?r dcterms:issued ?issued } OPTIONAL { ?i kg:inspectionType ?type }
}"""
PERIODS = """PREFIX kg: <https://w3id.org/ofsted-kg/def#>
SELECT ?file ?s ?e WHERE { ?i kg:reportedIn/kg:sourceFile ?file ; kg:onSitePeriod ?p . ?p kg:startDate ?s ; kg:endDate ?e }"""
JUDGEMENTS = """PREFIX kg: <https://w3id.org/ofsted-kg/def#>
SELECT ?file ?area ?grade WHERE { ?i kg:reportedIn/kg:sourceFile ?file ; kg:hasJudgement ?j . ?j kg:area ?area ; kg:grade ?grade }"""
ROLES = """PREFIX kg: <https://w3id.org/ofsted-kg/def#> PREFIX schema: <https://schema.org/>
SELECT ?file ?name ?role WHERE { ?i kg:reportedIn/kg:sourceFile ?file ; kg:hasRole ?r .
  ?r kg:inspector/schema:name ?name ; kg:roleType ?role }"""
RECOMMENDATIONS = """PREFIX kg: <https://w3id.org/ofsted-kg/def#>
SELECT ?file ?who (COUNT(?rec) AS ?n) WHERE { ?i kg:reportedIn/kg:sourceFile ?file ; kg:hasRecommendation ?rec .
  ?rec kg:addressee ?who } GROUP BY ?file ?who"""


FINDINGS = """PREFIX kg: <https://w3id.org/ofsted-kg/def#>
SELECT ?code ?severity (COUNT(?f) AS ?n) (COUNT(DISTINCT ?r) AS ?reports) WHERE {
  ?r kg:hasFinding ?f . ?f kg:findingCode ?code ; kg:severity ?s . BIND(STRAFTER(STR(?s), "#") AS ?severity)
} GROUP BY ?code ?severity ORDER BY ?severity ?code"""


def local(term) -> str:
    return term.value.rsplit("#", 1)[-1] if isinstance(term, ox.NamedNode) else term.value


def rows(store: ox.Store, sparql: str):
    return [[None if v is None else local(v) for v in solution] for solution in store.query(sparql)]


def key(file: str) -> str:
    """Graph source paths are relative to the build argument's parent ('reports/<urn>_x/y.pdf')."""
    parts = file.split("/")
    return "/".join(parts[-2:])


def score(store: ox.Store, gold: list[dict]) -> tuple[dict[str, list[int]], list[str]]:
    facts = {key(r[0]): r for r in rows(store, FACTS)}
    periods, judgements, roles, recs = defaultdict(list), defaultdict(dict), defaultdict(set), defaultdict(dict)
    for f, s, e in rows(store, PERIODS):
        periods[key(f)].append([s, e])
    for f, a, g in rows(store, JUDGEMENTS):
        judgements[key(f)][a] = g
    for f, n, r in rows(store, ROLES):
        roles[key(f)].add((person_key(n), r))
    for f, who, n in rows(store, RECOMMENDATIONS):
        recs[key(f)][who] = int(n)

    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # field -> [right, total]
    problems: list[str] = []

    def check(field: str, file: str, expected, actual) -> None:
        tally[field][1] += 1
        if expected == actual:
            tally[field][0] += 1
        else:
            problems.append(f"{field:24} {file}: expected {expected!r}, got {actual!r}")

    for g in gold:
        f = g["file"]
        fact = facts.get(f)
        if fact is None:
            for field in ("authority", "kind", "start", "end", "published"):
                check(field, f, "a record", None)
            continue
        _, kind, urn, start, end, issued, itype = fact
        check("authority", f, g["authority_urn"], urn)
        check("kind", f, g["kind"], kind)
        check("start", f, g["start_date"], start)
        check("end", f, g["end_date"], end)
        check("on-site periods", f, sorted(g["on_site_periods"]), sorted(periods.get(f, [])))
        check("published", f, g["published"], issued)
        check("inspection type", f, g["inspection_type"], itype)
        got = judgements.get(f, {})
        for area in sorted(set(g["judgements"]) | set(got)):
            check("judgement", f"{f} [{area}]", g["judgements"].get(area), got.get(area))
        # One IRI per person: names compare by person key ("Mclaughlin" = "McLaughlin", "Mike" = "Michael").
        expected_roles = {(person_key(i["name"]), i["role"]) for i in g["inspectors"]}
        for pair in sorted(expected_roles | roles.get(f, set())):
            check("inspector+role", f"{f} {pair[0]}", pair[1] if pair in expected_roles else None,
                  pair[1] if pair in roles.get(f, set()) else None)
        check("recommendations", f, g["recommendation_count"] or 0, recs.get(f, {}).get("local authority", 0))
        check("LSCB recommendations", f, g["lscb_recommendation_count"] or 0, recs.get(f, {}).get("LSCB", 0))
    return tally, problems


def load(graph: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
    return store


def main(argv: list[str]) -> int:
    if argv:
        graph = Path(argv[0])
    else:
        from kg.build import build
        out = ROOT / "out" / "corpus"
        build([CORPUS], out)
        graph = out / "graph.ttl"
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    store = load(graph)
    tally, problems = score(store, gold)
    print(f"Gold sample: {len(gold)} reports ({GOLD.relative_to(ROOT)})\n")
    print(f"{'field':24} {'right':>6} {'total':>6} {'accuracy':>9}")
    for field, (right, total) in tally.items():
        print(f"{field:24} {right:>6} {total:>6} {right / total:>9.1%}")
    print(f"\n{len(problems)} disagreement(s)")
    for problem in problems:
        print("  " + problem)
    print("\nExtraction findings on the whole graph (hand-checked in tests/gold/README.md):")
    for code, severity, count, reports in rows(store, FINDINGS):
        print(f"  {code:26} {severity:8} {count:>4} in {reports} report(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
