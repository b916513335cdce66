"""The shared-inspector networks, read from the knowledge graph through SPARQL.

`load_network(graph)` runs queries/network/*.rq and builds three networkx graphs:

- `bipartite`: inspector and inspection nodes; an edge per person and inspection, with the role;
- `inspectors`: inspector-inspector projection, edge weight = inspections worked together;
- `authorities`: authority-authority graph, edge weight = inspectors who worked in both.

Node ids are the IRIs in the graph; every node has a `label`. By default the quality assurance
manager and the data analyst are left out (they support a team but do not inspect on site);
`all_roles=True` keeps them.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

import networkx as nx
from pyoxigraph import Store
from rdflib import Graph

from ..paths import QUERIES_DIR
from ..query import select

QUERY_DIR = QUERIES_DIR / "network"
COMMUNITY_SEED = 42


def network_query(name: str) -> str:
    """SPARQL text of queries/network/NAME.rq."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


class UnknownAuthority(LookupError):
    """An authority name that matches no (or more than one) authority in the graph."""


@dataclass(frozen=True)
class Participation:
    """One person's part in one inspection (a row of participations.rq)."""
    inspection: str
    inspection_label: str
    kind: str
    date: str | None
    year: int | None
    authority: str
    authority_label: str
    person: str
    name: str
    role: str
    role_label: str
    fieldwork: bool


@dataclass(frozen=True)
class Authority:
    iri: str
    label: str
    urn: str | None


@dataclass
class Network:
    bipartite: nx.Graph
    inspectors: nx.Graph
    authorities: nx.Graph
    participations: list[Participation]
    known_authorities: dict[str, Authority] = field(default_factory=dict)
    all_roles: bool = False

    @property
    def inspections(self) -> set[str]:
        return {p.inspection for p in self.participations}

    def summary(self) -> str:
        shared = sum(1 for _, d in self.inspectors.nodes(data=True) if len(d["authorities"]) > 1)
        roles = "all roles" if self.all_roles else "QA managers and data analysts left out"
        return (f"{self.inspectors.number_of_nodes()} inspectors in {len(self.inspections)} inspections "
                f"of {self.authorities.number_of_nodes()} authorities; {shared} worked in more than one "
                f"authority; {self.inspectors.number_of_edges()} inspector pairs ({roles})")

    @cached_property
    def communities(self) -> dict[str, int]:
        """Inspector IRI -> community number (1 = largest), Louvain on the weighted projection;
        0 for inspectors with no co-inspector in the graph."""
        found = nx.community.louvain_communities(self.inspectors, weight="weight", seed=COMMUNITY_SEED)
        ordered = sorted((c for c in found if len(c) > 1),
                         key=lambda c: (-len(c), min(self.inspectors.nodes[n]["label"] for n in c)))
        numbers = {node: 0 for node in self.inspectors}
        numbers.update({node: i for i, members in enumerate(ordered, 1) for node in members})
        return numbers

    @cached_property
    def betweenness(self) -> dict[str, float]:
        return nx.betweenness_centrality(self.inspectors)

    def authority(self, name: str) -> Authority:
        """The authority whose label (case-insensitive), URN or IRI is NAME."""
        wanted = name.strip().casefold()
        found = [a for a in self.known_authorities.values()
                 if wanted in (a.label.casefold(), (a.urn or "").casefold(), a.iri.casefold())]
        if not found:
            found = [a for a in self.known_authorities.values() if wanted in a.label.casefold()]
        if len(found) != 1:
            choices = ", ".join(sorted(a.label for a in found)) or "none"
            raise UnknownAuthority(f"{name!r} matches {len(found)} authorities in the graph ({choices})")
        return found[0]


def load_network(source: Graph | Store, *, all_roles: bool = False) -> Network:
    """Build the three networks from an rdflib Graph or an Oxigraph Store (faster to load)."""
    participations = read_participations(source)
    if not all_roles:
        participations = [p for p in participations if p.fieldwork]
    known = {str(r["authority"]): Authority(str(r["authority"]), str(r["label"]), _str(r["urn"]))
             for r in select(source, network_query("authorities")).rows}
    return build_network(participations, known, all_roles=all_roles)


def read_participations(source: Graph | Store) -> list[Participation]:
    seen: dict[tuple, Participation] = {}
    for r in select(source, network_query("participations")).rows:
        key = (str(r["inspection"]), str(r["person"]), str(r["role"]))
        if key in seen:  # a second label or name: keep the first
            continue
        seen[key] = Participation(
            inspection=str(r["inspection"]), inspection_label=_str(r["inspectionLabel"]) or str(r["inspection"]),
            kind=_str(r["kind"]) or "Inspection", date=_str(r["start"]),
            year=int(r["year"]) if r["year"] else None,
            authority=str(r["authority"]), authority_label=str(r["authorityLabel"]), person=str(r["person"]),
            name=str(r["name"]), role=str(r["role"]), role_label=_str(r["roleLabel"]) or _local(r["role"]),
            fieldwork=bool(r["fieldwork"].toPython()) if r["fieldwork"] is not None else True)
    return list(seen.values())


def build_network(participations: list[Participation], known: dict[str, Authority] | None = None,
                  *, all_roles: bool = False) -> Network:
    bipartite, inspectors, authorities = nx.Graph(), nx.Graph(), nx.Graph()
    team: dict[str, list[str]] = defaultdict(list)  # inspection -> people, in order
    worked_in: dict[str, set[str]] = defaultdict(set)  # person -> authorities
    roles: dict[str, Counter] = defaultdict(Counter)
    for p in participations:
        bipartite.add_node(p.person, kind="inspector", label=p.name, bipartite=0)
        bipartite.add_node(p.inspection, kind="inspection", label=p.inspection_label, bipartite=1,
                           date=p.date, year=p.year, type=p.kind, authority=p.authority_label)
        if bipartite.has_edge(p.person, p.inspection):
            bipartite.edges[p.person, p.inspection]["role"] += f"; {p.role_label}"
        else:
            bipartite.add_edge(p.person, p.inspection, role=p.role_label, year=p.year)
        if p.person not in team[p.inspection]:
            team[p.inspection].append(p.person)
        worked_in[p.person].add(p.authority_label)
        roles[p.person][p.role_label] += 1
        authorities.add_node(p.authority, label=p.authority_label)

    label = {p.person: p.name for p in participations}
    dates = {p.inspection: (p.date, p.inspection_label) for p in participations}
    for person in label:
        inspected = sorted({dates[i] for i in bipartite[person]}, key=lambda d: (d[0] or "", d[1]))
        inspectors.add_node(person, label=label[person], inspections=len(inspected),
                            authorities=sorted(worked_in[person]), roles=sorted(roles[person]),
                            main_role=roles[person].most_common(1)[0][0],
                            years=sorted({y for i in bipartite[person] if (y := bipartite.nodes[i]["year"])}))
    for inspection, people in team.items():
        for a, b in combinations(people, 2):
            if inspectors.has_edge(a, b):
                edge = inspectors.edges[a, b]
                edge["weight"] += 1
                edge["inspections"].append(dates[inspection][1])
            else:
                inspectors.add_edge(a, b, weight=1, inspections=[dates[inspection][1]])

    by_label = {p.authority_label: p.authority for p in participations}
    for person, places in worked_in.items():
        for a, b in combinations(sorted(places), 2):
            u, v = by_label[a], by_label[b]
            if authorities.has_edge(u, v):
                authorities.edges[u, v]["weight"] += 1
                authorities.edges[u, v]["inspectors"].append(label[person])
            else:
                authorities.add_edge(u, v, weight=1, inspectors=[label[person]])
    for _, _, data in authorities.edges(data=True):
        data["inspectors"].sort()
    known = known or {p.authority: Authority(p.authority, p.authority_label, None) for p in participations}
    return Network(bipartite, inspectors, authorities, participations, known, all_roles)


def _str(term) -> str | None:
    return None if term is None else str(term)


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def as_network(source: Graph | Store | Network, *, all_roles: bool = False) -> Network:
    return source if isinstance(source, Network) else load_network(source, all_roles=all_roles)


__all__ = ["Authority", "Network", "Participation", "UnknownAuthority", "as_network", "build_network",
           "load_network", "network_query", "read_participations"]
