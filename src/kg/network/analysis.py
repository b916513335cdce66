"""Analyses of the shared-inspector networks, as plain rows (lists of dicts) for tables and JSON.

Every function takes an rdflib graph or an already loaded `Network`.
"""
from __future__ import annotations

from collections import Counter

from rdflib import Graph

from .graphs import Network, UnknownAuthority, as_network

Source = Graph | Network


def cross_authority_inspectors(source: Source) -> list[dict]:
    """Inspectors who worked in more than one authority (the 'shared inspectors')."""
    net = as_network(source)
    rows = [{"inspector": d["label"], "authorities": d["authorities"], "inspections": d["inspections"]}
            for _, d in net.inspectors.nodes(data=True) if len(d["authorities"]) > 1]
    return sorted(rows, key=lambda r: (-len(r["authorities"]), -r["inspections"], r["inspector"]))


def most_connected(source: Source, top: int | None = 10) -> list[dict]:
    """Inspectors by degree (distinct colleagues), then weighted degree (inspection-pairs shared)."""
    net = as_network(source)
    g, betweenness = net.inspectors, net.betweenness
    rows = [{"inspector": d["label"], "inspections": d["inspections"], "authorities": len(d["authorities"]),
             "degree": g.degree(n), "weighted_degree": g.degree(n, weight="weight"),
             "betweenness": round(betweenness[n], 4), "community": net.communities[n]}
            for n, d in g.nodes(data=True)]
    rows.sort(key=lambda r: (-r["degree"], -r["weighted_degree"], -r["betweenness"], r["inspector"]))
    return rows[:top] if top else rows


def communities(source: Source) -> list[dict]:
    """Louvain communities of the inspector projection, with the authorities their members visited.

    Community 0, last, gathers the inspectors with no co-inspector in the graph (reports that name
    only the lead inspector)."""
    net = as_network(source)
    g, members = net.inspectors, {}
    for node, number in net.communities.items():
        members.setdefault(number, []).append(node)
    rows = []
    for number in sorted(members, key=lambda n: n or len(members) + 1):
        nodes = sorted(members[number], key=lambda n: (-g.degree(n, weight="weight"), g.nodes[n]["label"]))
        places = Counter(a for n in nodes for a in g.nodes[n]["authorities"])
        rows.append({"community": number, "size": len(nodes),
                     "members": [g.nodes[n]["label"] for n in nodes],
                     "authorities": [a for a, _ in places.most_common()]})
    return rows


def community_names(source: Source, width: int = 3) -> dict[int, str]:
    """Community number -> its size and the authorities at least a third of its members worked in
    (at least one, at most WIDTH): '8 inspectors: Dudley, Walsall'."""
    net = as_network(source)
    names = {}
    for row in communities(net):
        places = Counter(a for n, c in net.communities.items() if c == row["community"]
                         for a in net.inspectors.nodes[n]["authorities"])
        common = [a for a, k in places.most_common(width) if 3 * k >= row["size"]] or row["authorities"][:1]
        names[row["community"]] = f"{row['size']} inspectors: {', '.join(common)}"
    return names


def authority_pairs(source: Source, top: int | None = None) -> list[dict]:
    """Pairs of authorities that share inspectors, most shared first."""
    net = as_network(source)
    g = net.authorities
    rows = [{"authority_a": min(g.nodes[u]["label"], g.nodes[v]["label"]),
             "authority_b": max(g.nodes[u]["label"], g.nodes[v]["label"]),
             "shared": d["weight"], "inspectors": d["inspectors"]} for u, v, d in g.edges(data=True)]
    rows.sort(key=lambda r: (-r["shared"], r["authority_a"], r["authority_b"]))
    return rows[:top] if top else rows


def shared_inspectors(source: Source, a: str, b: str) -> list[dict]:
    """The inspectors authorities A and B share, with each inspection they worked on in A or B.

    A and B match an authority's label case-insensitively (or its URN or IRI); raises
    UnknownAuthority otherwise.
    """
    net = as_network(source)
    first, second = net.authority(a), net.authority(b)
    if first == second:
        raise UnknownAuthority(f"{a!r} and {b!r} are the same authority ({first.label}); give two")
    places = {first.iri, second.iri}
    worked: dict[str, set[str]] = {}
    for p in net.participations:
        if p.authority in places:
            worked.setdefault(p.person, set()).add(p.authority)
    both = {person for person, where in worked.items() if where == places}
    rows = [{"inspector": p.name, "authority": p.authority_label, "inspection": p.inspection_label,
             "date": p.date, "role": p.role_label}
            for p in net.participations if p.person in both and p.authority in places]
    return sorted(rows, key=lambda r: (r["inspector"], r["date"] or "", r["inspection"]))


def analyse(source: Source, top: int = 10) -> dict:
    """All the analyses, as one JSON-ready dict."""
    net = as_network(source)
    return {"summary": net.summary(),
            "inspectors": net.inspectors.number_of_nodes(), "inspections": len(net.inspections),
            "authorities": net.authorities.number_of_nodes(), "all_roles": net.all_roles,
            "cross_authority_inspectors": cross_authority_inspectors(net),
            "most_connected": most_connected(net, top), "communities": communities(net),
            "authority_pairs": authority_pairs(net)}


def format_table(rows: list[dict], *, max_items: int = 6) -> str:
    """A plain-text table; lists are joined with commas and cut after MAX_ITEMS."""
    if not rows:
        return "(no rows)"
    from ..results import text_table

    columns = list(rows[0])
    cells = [[_cell(row.get(c), max_items) for c in columns] for row in rows]
    return text_table([c.replace("_", " ") for c in columns], cells, shorten=str, count=False)


def _cell(value, max_items: int) -> str:
    if isinstance(value, list):
        shown = ", ".join(map(str, value[:max_items]))
        return shown + (f", ... (+{len(value) - max_items})" if len(value) > max_items else "")
    return "" if value is None else str(value)
