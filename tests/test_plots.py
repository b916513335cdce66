"""`kg plot`: the plotted data, read back from the figures' artists, on the fixture graph."""
from __future__ import annotations

from collections import Counter

import pytest

import kg
from fixturegraph import write_fixture_graph
from kg.analysis import plots
from kg.cli import main


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return write_fixture_graph(tmp_path_factory.mktemp("plots")).parent


@pytest.fixture(scope="module")
def graph(out):
    return kg.open(out)


def test_distribution_stacks_one_bar_per_year_and_grade(graph):
    ax = plots.distribution(graph).axes[0]
    assert [c.get_label() for c in ax.containers] == [label for label, _ in plots.GRADES.values()]
    years = [int(round(p.get_x() + p.get_width() / 2)) for p in ax.containers[0]]
    assert years == list(range(2013, 2020))
    heights = {label: [p.get_height() for p in c] for label, c in zip(plots.GRADES, ax.containers)}
    assert heights[1] == [0] * 7                                   # no outstanding
    assert heights[2] == [0, 1, 0, 0, 0, 1, 0]                     # good: Brent 2014, Aston 2018
    assert heights[3] == [1, 0, 0, 0, 0, 0, 1]                     # adequate 2013, requires improvement 2019
    assert heights[4] == [0, 0, 1, 0, 0, 0, 0]                     # inadequate 2015
    assert "Overall effectiveness" in ax.get_title() and ax.get_ylabel() == "Inspections"


def test_transition_heat_map_counts_consecutive_pairs(graph):
    ax = plots.transitions(graph).axes[0]
    matrix = ax.images[0].get_array().tolist()
    assert matrix == [[0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 1, 0, 0]]
    assert [t.get_text() for t in ax.texts].count("1") == 3
    assert "3 pairs" in ax.get_title()


def test_timeline_marks_each_aligned_judgement_and_the_visits(graph):
    ax = plots.timeline(graph, "Aston").axes[0]
    per_grade = {c.get_label(): len(c.get_offsets()) for c in ax.collections}
    assert per_grade == {"Outstanding": 2, "Good": 6, "Requires improvement / Adequate": 4, "Inadequate": 4,
                         "Monitoring or focused visit": 1}
    assert [t.get_text() for t in ax.get_yticklabels()] == list(plots.ROWS) + [plots.VISITS_ROW]
    assert Counter(t.get_text() for t in ax.texts) == Counter({"G": 6, "RI": 4, "I": 4, "O": 2})
    assert ax.get_title().startswith("Aston:") and ax.get_legend() is not None


def test_timeline_of_an_unknown_authority(graph):
    with pytest.raises(plots.NoData, match="no inspections of 'Nowhere'"):
        plots.timeline(graph, "Nowhere")


def test_cli_writes_png_and_svg(out, tmp_path, capsys):
    png, svg = tmp_path / "t.png", tmp_path / "d.svg"
    assert main(["plot", "timeline", "-a", "Brent", "-g", str(out), "-o", str(png)]) == 0
    assert main(["plot", "distribution", "-g", str(out), "-o", str(svg)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG") and b"<svg" in svg.read_bytes()[:2000]


@pytest.mark.parametrize("argv, message", [
    (["plot", "timeline", "-o", "x.png"], "the timeline needs --authority"),
    (["plot", "transitions", "-o", "x.pdf"], "written as .png or .svg"),
    (["plot", "timeline", "-a", "Nowhere", "-o", "x.png"], "no inspections of 'Nowhere'"),
])
def test_cli_usage_errors(out, tmp_path, capsys, argv, message):
    argv = [a if a not in ("x.png", "x.pdf") else str(tmp_path / a) for a in argv]
    assert main(argv + ["-g", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
