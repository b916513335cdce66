"""Shared fixtures: the seed graph is built once per test session."""
from __future__ import annotations

import gc
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Some machines set PYTHONDONTWRITEBYTECODE: then every test worker re-compiles and re-rewrites every
# test module, and every `kg` subprocess re-compiles kg, on every run (~5 s of a fast run). The
# suite keeps its bytecode (in __pycache__/, ignored by git), for this process and its children.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parents[1]


def _scratch_in_memory(shm: Path = Path("/dev/shm"), room: int = 4 << 30) -> None:
    """The tests' temporary folders (tmp_path, and TMPDIR for every kg process they start) on a
    RAM-backed tmpfs when the machine has one with room to spare. The tests build and write many
    small outputs, each fsynced (kg writes every file atomically), and Oxigraph stores: on this
    2-core machine `make test-fast` took 44-46 s on disk and 38-40 s so, alternating. Nothing is
    changed when TMPDIR is set (the user chose), or when /dev/shm is missing, not writable or
    small (a container's default is 64 MB; a corpus build writes ~110 MB)."""
    if os.environ.get("TMPDIR"):
        return
    try:
        fs = os.statvfs(shm)
    except OSError:
        return
    if fs.f_bavail * fs.f_frsize < room or not os.access(shm, os.W_OK | os.X_OK):
        return
    os.environ["TMPDIR"] = str(shm)
    tempfile.tempdir = None  # tempfile reads TMPDIR again


_scratch_in_memory()

# The suite makes millions of short-lived rdflib terms while session fixtures (the seed graph,
# its store, the thesaurus) stay alive: at CPython's default thresholds (700, 10, 10) the cyclic
# collector ran ~4,300 times in each test worker, walking those long-lived objects, 11.8 s of CPU
# in a `make test-fast` run of ~85 (measured with gc.callbacks); at (20000, 20, 20) ~125 times and
# 4.8 s. Reference counting still frees everything at once; only cycles wait a little longer.
gc.set_threshold(20_000, 20, 20)


def _keep_pyparsing_unmemoised() -> None:
    """Importing matplotlib.pyplot turns on pyparsing's packrat cache for the whole process (its
    mathtext parser asks for it), and rdflib's SPARQL parser then runs at half speed (73 -> 150 ms
    per queries/ file): every test after the first plot in a worker parsed SPARQL (rdflib's
    engine, kg serve's checks) that much slower. The tests run with pyparsing as every kg command
    but `kg network`/`kg plot` does: unmemoised (matplotlib's mathtext is only slower, and the
    plots use none)."""
    from pyparsing import ParserElement

    ParserElement.enable_packrat = ParserElement.enablePackrat = staticmethod(lambda *args, **kwargs: None)


_keep_pyparsing_unmemoised()

# Property tests try examples(n) inputs: n in `make test` (and CI), a third of n in `make test-fast`
# (KG_FUZZ=quick), for daily work. Either way Hypothesis replays the failures it saved (.hypothesis/) first.
QUICK_FUZZ = os.environ.get("KG_FUZZ") == "quick"
settings.register_profile("quick", max_examples=34)
if QUICK_FUZZ:
    settings.load_profile("quick")


def examples(n: int) -> int:
    return max(10, n // 3) if QUICK_FUZZ else n
CORPUS = ROOT.parent / "shared" / "corpus" / "reports"


@pytest.fixture(scope="session")
def seed_build():
    """The seeds built in memory (no output folder: the tests that need one write their own)."""
    from kg.build import build  # here, not at the top: xdist's controller loads conftest and runs no test

    return build(None)


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    return seed_build.graph


@pytest.fixture(scope="session")
def seed_store(seed_build):
    """The seed graph in an Oxigraph store (what kg query uses; much faster than rdflib)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(seed_build.turtle, format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def graph_file(seed_build, tmp_path_factory) -> Path:
    """The seed build's graph.ttl, copied into a folder of the test module's own (no store beside
    it): what `kg query -g`, `kg serve`, `kg push`... read."""
    path = tmp_path_factory.mktemp("graph") / "graph.ttl"
    path.write_bytes(seed_build.turtle)
    return path


@pytest.fixture(scope="session")
def seed_records(seed_build):
    return {r.source_file.split("/")[-1][:3]: r for r in seed_build.records}


def corpus_or_skip() -> Path:
    """The dev corpus beside the project; tests that need it skip only when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS
