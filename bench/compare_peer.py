"""Compare `kg table inspections --peer-columns` with the public ILACS scrape tool's CSV on the
dev corpus (../shared/reference/peer_ilacs_history_dev.csv: known to contain errors).

    python bench/compare_peer.py [GRAPH.ttl | OUT_DIR]

Rows are matched on (urn, pdf_filename). Prints rows and columns on each side, then per column:
rows where both give a value and agree, where they disagree (each listed, for a human to
adjudicate: see tests/gold/README.md), where only kg gives a value (the peer's blank,
'data_unreadable': mostly pre-2018 reports) and where only the peer does.
"""
from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict

from corpus import DEFAULT_GRAPH, ROOT, corpus_graph

PEER = ROOT.parent / "shared" / "reference" / "peer_ilacs_history_dev.csv"
NO_VALUE = ("", "data_unreadable")


def norm(column: str, value: str) -> str:
    value = (value or "").strip()
    if column.endswith("_date") and value.count("/") == 2:  # 26/11/24 and 26/11/2024 are one date
        day, month, year = value.split("/")
        value = f"{day}/{month}/{year[-2:]}"
    return value.lower() if column.endswith("_grade") or column == "local_authority" else value


def main(argv: list[str]) -> int:
    from kg.analysis import open_graph
    from kg.analysis.tables import table, to_csv

    graph = corpus_graph(DEFAULT_GRAPH) if not argv else argv[0]
    ours = list(csv.DictReader(to_csv(table(open_graph(graph), "inspections", peer_columns=True)).splitlines()))
    with PEER.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        peer_columns, theirs = reader.fieldnames, list(reader)
    print(f"rows: kg {len(ours)}, peer {len(theirs)}; columns identical: {list(ours[0]) == peer_columns}")
    key = lambda row: (row["urn"], row["pdf_filename"])
    mine = {key(r): r for r in ours}
    peer_keys = Counter(key(r) for r in theirs)
    print(f"peer rows repeated: {sum(n - 1 for n in peer_keys.values())}; "
          f"peer rows kg lacks: {sorted(set(peer_keys) - set(mine))}; kg rows the peer lacks: {sorted(set(mine) - set(peer_keys))}")
    seen, counts, notes = set(), defaultdict(Counter), []
    for row in theirs:
        k = key(row)
        if k in seen or k not in mine:
            continue
        seen.add(k)
        for column in peer_columns:
            if column in ("urn", "pdf_filename", "parser_version"):
                continue
            a, b = norm(column, row[column]), norm(column, mine[k][column])
            if a in NO_VALUE and b in NO_VALUE:
                counts[column]["neither"] += 1
            elif a in NO_VALUE:
                counts[column]["kg only"] += 1
            elif b in NO_VALUE:
                counts[column]["peer only"] += 1
                notes.append((column, f"{k[0]} {k[1]}: peer {row[column]!r}, kg none"))
            elif a == b:
                counts[column]["agree"] += 1
            else:
                counts[column]["differ"] += 1
                notes.append((column, f"{k[0]} {k[1]}: peer {row[column]!r}, kg {mine[k][column]!r}"))
    print(f"\n{'column':28} {'agree':>6} {'differ':>6} {'kg only':>8} {'peer only':>9} {'neither':>8}")
    for column, c in counts.items():
        print(f"{column:28} {c['agree']:>6} {c['differ']:>6} {c['kg only']:>8} {c['peer only']:>9} {c['neither']:>8}")
    systematic = ("inspection_link", "publication_date")
    print(f"\nNot listed: {sum(1 for c, _ in notes if c in systematic)} peer-only values of {', '.join(systematic)}"
          " (Ofsted's download address is not in the documents; the peer takes publication dates from file"
          " names, kg only from documents that state one, which ILACS reports do not)")
    listed = [(c, n) for c, n in notes if c not in systematic or " kg none" not in n]
    print(f"{len(listed)} other difference(s) where the peer gives a value")
    for column, note in listed:
        print(f"  {column:28} {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
