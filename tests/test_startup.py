"""Start-up: `kg --help` and `kg --version` answer without importing the heavy libraries."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import kg

HEAVY = ("rdflib", "pyshacl", "networkx", "matplotlib", "pdfplumber", "pypdfium2", "openpyxl", "numpy")

PROBE = """
import contextlib, io, json, sys
from kg.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps({"out": out.getvalue(), "heavy": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


def _probe(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["query", "--help"], ["network", "--help"],
                                  ["serve", "--help"], ["build", "--help"]])
def test_help_and_version_import_no_heavy_library(argv):
    probe = _probe(*argv)
    assert probe["out"].strip(), "the command printed nothing"
    assert probe["heavy"] == []


def test_version_is_the_package_version():
    assert _probe("--version")["out"].strip() == f"kg {kg.__version__}"


def test_help_lists_every_command():
    out = _probe("--help")["out"]
    for command in ("build", "validate", "query", "export", "network", "serve", "push"):
        assert f"    {command} " in out or f"    {command}\n" in out, command


def test_lazy_package_names_resolve():
    from kg import network, serve

    assert network.load_network.__module__ == "kg.network.graphs"
    assert serve.make_server.__module__ == "kg.serve.http"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        network.nope  # noqa: B018


def test_checkout_install_reads_data_in_place():
    """An editable install (make install) reads ontology/, queries/ and seeds/ in the checkout, so
    an edit to a vocabulary is seen at once (the wheel's copies are in kg/_data, see test_wheel)."""
    from pathlib import Path

    from kg import paths

    root = Path(__file__).resolve().parents[1]
    if not Path(kg.__file__).resolve().is_relative_to(root / "src"):
        pytest.skip("kg is not imported from this checkout")
    assert paths.ONTOLOGY_DIR == root / "ontology"
    assert paths.SHAPES_FILE.is_file() and paths.THEMES_FILE.is_file()
    assert paths.QUERIES_DIR == root / "queries" and (paths.QUERIES_DIR / "shared-inspectors.rq").is_file()
    assert paths.SEEDS_DIR == root / "seeds" and len(list(paths.SEEDS_DIR.glob("*.txt"))) == 5
    assert (paths.SERVE_ASSETS / "index.html").is_file()
