"""Shared-inspector networks of the seed graph: analyses, picture, exports and `kg network`."""
from __future__ import annotations

import csv
import json

import pytest

from kg.cli import main
from kg.network import (UnknownAuthority, analyse, communities, cross_authority_inspectors, load_network,
                        most_connected, shared_inspectors)
from kg.network.export import write_network
from kg.network.render_png import PALETTE, top_inspectors

SHARED = {"Peter McEntee": ["Dudley", "Sandwell", "Walsall"], "Andy Waugh": ["Dudley", "Sandwell", "Walsall"],
          "Pauline Higham": ["Dudley", "Sandwell"], "Linda Steele": ["Dudley", "Walsall"],
          "Jenny Turnross": ["Dudley", "Walsall"]}
DUDLEY_2016, WALSALL_2017 = "Dudley SIF inspection 2016-01-11", "Walsall SIF inspection 2017-06-20"
SANDWELL_2017, DUDLEY_VISIT = "Sandwell SIF inspection 2017-11-06", "Dudley monitoring visit 2018-02-08"


@pytest.fixture(scope="module")
def net(seed_graph):
    return load_network(seed_graph)


@pytest.fixture(scope="module")
def files(net, tmp_path_factory):
    folder = tmp_path_factory.mktemp("network")
    write_network(net, folder)
    return folder


def ids(g) -> dict[str, str]:
    return {d["label"]: n for n, d in g.nodes(data=True)}


def weight(net, a: str, b: str) -> int:
    g, by = net.inspectors, ids(net.inspectors)
    return g.edges[by[a], by[b]]["weight"] if g.has_edge(by[a], by[b]) else 0


# ------------------------------------------------------------------ the three networks

def test_the_seed_inspectors_shared_between_authorities_are_exactly_five(net):
    assert {r["inspector"]: r["authorities"] for r in cross_authority_inspectors(net)} == SHARED


def test_bipartite_graph_links_people_to_inspections_with_roles_and_dates(net):
    g = net.bipartite
    kinds = [d["kind"] for _, d in g.nodes(data=True)]
    assert kinds.count("inspector") == 19 and kinds.count("inspection") == 4
    assert g.number_of_edges() == 8 + 8 + 7 + 3  # Dudley 2016, Walsall, Sandwell, Dudley visit
    by = ids(g)
    dudley = g.nodes[by[DUDLEY_2016]]
    assert (dudley["date"], dudley["year"], dudley["type"], dudley["authority"]) == (
        "2016-01-11", 2016, "SIFInspection", "Dudley")
    assert g.nodes[by[DUDLEY_VISIT]]["type"] == "MonitoringVisit"
    assert g.edges[by["Peter McEntee"], by[DUDLEY_2016]]["role"] == "Lead inspector"
    assert g.edges[by["Peter McEntee"], by[SANDWELL_2017]]["role"] == "Deputy lead inspector"
    assert g.edges[by["Andy Waugh"], by[DUDLEY_VISIT]]["role"] == "Visiting inspector"
    assert g.edges[by["Jenny Turnross"], by[WALSALL_2017]]["role"] == "Lead inspector"


def test_inspector_projection_is_weighted_by_inspections_worked_together(net):
    assert weight(net, "Peter McEntee", "Linda Steele") == 2
    assert weight(net, "Peter McEntee", "Jenny Turnross") == 2
    assert weight(net, "Linda Steele", "Jenny Turnross") == 2
    assert weight(net, "Peter McEntee", "Andy Waugh") == 2
    assert weight(net, "Andy Waugh", "Pauline Higham") == 2
    assert weight(net, "Peter McEntee", "Pauline Higham") == 1
    assert weight(net, "Peter McEntee", "Sue Williams") == 0
    g = net.inspectors
    heavy = {frozenset((g.nodes[u]["label"], g.nodes[v]["label"])) for u, v, d in g.edges(data=True) if d["weight"] > 1}
    assert len(heavy) == 5
    by = ids(g)
    assert g.edges[by["Peter McEntee"], by["Linda Steele"]]["inspections"] == [DUDLEY_2016, WALSALL_2017]


def test_authority_graph_is_weighted_by_shared_inspectors(net):
    g, by = net.authorities, ids(net.authorities)
    edge = lambda a, b: (g.edges[by[a], by[b]]["weight"], g.edges[by[a], by[b]]["inspectors"])
    assert edge("Dudley", "Walsall") == (4, ["Andy Waugh", "Jenny Turnross", "Linda Steele", "Peter McEntee"])
    assert edge("Dudley", "Sandwell") == (3, ["Andy Waugh", "Pauline Higham", "Peter McEntee"])
    assert edge("Sandwell", "Walsall") == (2, ["Andy Waugh", "Peter McEntee"])


def test_quality_assurance_managers_and_analysts_count_only_when_asked(seed_graph, net):
    assert "Christopher Sands" not in ids(net.inspectors)  # QA manager of Walsall and Sandwell
    everyone = load_network(seed_graph, all_roles=True)
    shared = {r["inspector"]: r["authorities"] for r in cross_authority_inspectors(everyone)}
    assert shared == SHARED | {"Christopher Sands": ["Sandwell", "Walsall"]}
    assert everyone.inspectors.number_of_nodes() == 25


# ------------------------------------------------------------------ analyses

def test_between_two_authorities_lists_each_shared_inspectors_inspections(seed_graph):
    rows = shared_inspectors(seed_graph, "dudley", "WALSALL")
    assert {r["inspector"] for r in rows} == {"Peter McEntee", "Linda Steele", "Jenny Turnross", "Andy Waugh"}
    peter = [(r["inspection"], r["role"]) for r in rows if r["inspector"] == "Peter McEntee"]
    assert peter == [(DUDLEY_2016, "Lead inspector"), (WALSALL_2017, "Team inspector")]
    andy = [(r["authority"], r["date"], r["role"]) for r in rows if r["inspector"] == "Andy Waugh"]
    assert andy == [("Walsall", "2017-06-20", "Team inspector"), ("Dudley", "2018-02-08", "Visiting inspector")]


def test_between_matches_urns_and_rejects_unknown_authorities(net):
    assert {r["inspector"] for r in shared_inspectors(net, "80549", "walsall")} == {"Andy Waugh", "Peter McEntee"}
    with pytest.raises(UnknownAuthority, match="'Narnia' matches 0 authorities"):
        shared_inspectors(net, "Narnia", "Dudley")
    with pytest.raises(UnknownAuthority, match="same authority"):
        shared_inspectors(net, "Dudley", "dudley")


def test_most_connected_inspector_is_peter_mcentee(net):
    rows = most_connected(net, top=5)
    assert [r["inspector"] for r in rows[:2]] == ["Peter McEntee", "Andy Waugh"]
    peter = rows[0]
    assert (peter["inspections"], peter["authorities"], peter["degree"], peter["weighted_degree"]) == (3, 3, 17, 20)
    assert peter["betweenness"] == max(r["betweenness"] for r in most_connected(net, top=None))
    assert len(rows) == 5


def test_communities_cover_every_inspector_once(net):
    rows = communities(net)
    members = [m for r in rows for m in r["members"]]
    assert sorted(members) == sorted(ids(net.inspectors)) and len(members) == 19
    walsall_only = {"Alison Smale", "Brenda McInerney", "Lolly Rascagneres", "Tracey Zimmerman"}
    assert any(walsall_only <= set(r["members"]) for r in rows)
    assert communities(net) == rows  # seeded: the same every time


def test_analysis_is_json_ready(net):
    report = json.loads(json.dumps(analyse(net)))
    assert report["inspectors"] == 19 and report["inspections"] == 4 and report["authorities"] == 3
    assert report["authority_pairs"][0] == {"authority_a": "Dudley", "authority_b": "Walsall", "shared": 4,
                                            "inspectors": ["Andy Waugh", "Jenny Turnross", "Linda Steele",
                                                           "Peter McEntee"]}


# ------------------------------------------------------------------ files

def test_png_is_a_large_non_blank_picture_in_community_colours(files):
    from matplotlib.image import imread

    pixels = imread(files / "network.png")
    height, width = pixels.shape[:2]
    assert width >= 1400 and height >= 1000
    rgb = pixels[..., :3]
    assert (rgb.min(axis=2) < 0.9).mean() > 0.02  # ink on at least 2% of the picture
    first = [int(PALETTE[0][i:i + 2], 16) / 255 for i in (1, 3, 5)]
    assert (abs(rgb - first).max(axis=2) < 0.02).sum() > 500  # community 1 nodes are drawn


def test_png_of_a_big_graph_shows_the_top_n(net, tmp_path):
    from kg.network.render_png import render_png

    assert [net.inspectors.nodes[n]["label"] for n in top_inspectors(net, 2)] == ["Peter McEntee", "Andy Waugh"]
    from matplotlib.image import imread

    pixels = imread(render_png(net, tmp_path / "top.png", top=6))
    assert (pixels[..., :3].min(axis=2) < 0.9).mean() > 0.01


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_files_read_back_with_the_same_nodes_edges_and_weights(net, files, fmt):
    import networkx

    back = getattr(networkx, f"read_{fmt}")(files / f"network.{fmt}")
    g = net.inspectors
    assert set(back.nodes) == set(g.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in g.edges}
    assert all(back.edges[u, v]["weight"] == d["weight"] for u, v, d in g.edges(data=True))
    peter = back.nodes["https://w3id.org/ofsted-kg/id/inspector/peter-mcentee"]
    assert peter["label"] == "Peter McEntee"
    assert peter["authorities"] == "Dudley; Sandwell; Walsall"


def test_edge_lists_are_csv_heaviest_first(files):
    with open(files / "edges.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 75 and rows[0]["weight"] == "2" and rows[-1]["weight"] == "1"
    pair = next(r for r in rows if {r["source"], r["target"]} == {"Linda Steele", "Peter McEntee"})
    assert pair["inspections"] == f"{DUDLEY_2016}; {WALSALL_2017}"
    with open(files / "authority-edges.csv", newline="", encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    assert (first["source"], first["target"], first["weight"]) == ("Dudley", "Walsall", "4")


def test_html_page_is_self_contained(files):
    page = (files / "network.html").read_text(encoding="utf-8")
    assert "<script src" not in page and "stylesheet" not in page and "@import" not in page
    assert "default-src 'none'" in page  # the browser itself blocks any request
    data = json.loads(page.split('id="data">', 1)[1].split("</script>", 1)[0].replace("<\\/", "</"))
    assert {n["label"] for n in data["nodes"]} >= set(SHARED) | {"Dudley", "Sandwell", "Walsall"}
    assert [n["label"] for n in data["nodes"] if n.get("shared")] == sorted(SHARED)
    assert data["years"] == [2016, 2017, 2018]


# ------------------------------------------------------------------ command line

def test_cli_prints_the_analyses_and_writes_every_file(graph_file, tmp_path, capsys):
    assert main(["network", "-g", str(graph_file), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "19 inspectors in 4 inspections of 3 authorities; 5 worked in more than one authority" in out
    assert "Inspectors who worked in more than one authority (5 of 5)" in out
    assert "Peter McEntee    | 3           | 3           | 17     | 20" in out
    assert "Dudley      | Walsall     | 4      | Andy Waugh, Jenny Turnross, Linda Steele, Peter McEntee" in out
    names = {"network.png", "network.html", "network.graphml", "network.gexf", "edges.csv",
             "authority-edges.csv", "analysis.json"}
    assert names <= {p.name for p in tmp_path.iterdir()}


def test_cli_between_two_authorities(graph_file, capsys):
    assert main(["network", "-g", str(graph_file), "--between", "dudley", "Sandwell"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dudley and Sandwell share 3 inspectors: Andy Waugh, Pauline Higham, Peter McEntee\n")
    assert "Pauline Higham | Dudley    | Dudley monitoring visit 2018-02-08 | 2018-02-08 | Visiting inspector" in out


def test_cli_json_and_errors(graph_file, tmp_path, capsys):
    assert main(["network", "-g", str(graph_file), "--no-files", "-f", "json", "--top", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["inspector"] for r in report["most_connected"]] == ["Peter McEntee", "Andy Waugh", "Jenny Turnross"]
    assert report["files"] == []
    assert main(["network", "-g", str(graph_file), "--between", "Dudley", "Atlantis"]) == 2
    assert "'Atlantis' matches 0 authorities" in capsys.readouterr().err
    assert main(["network", "-g", str(tmp_path / "missing.ttl")]) == 2
