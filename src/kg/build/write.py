"""Write the build's outputs into the output folder, each one atomically (kg.outputs).

Order: graph.ttl, then the persistent store and its stamp, then build-report.json. A build
killed at any point leaves the previous complete file in place; a store whose stamp does not
match graph.ttl is simply not used by readers.
"""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError
from ..outputs import OutputDir, atomic_directory, atomic_write


@contextmanager
def _guard(path: Path):
    """Turn an OSError while writing `path` into an OutputError naming the file and the reason."""
    try:
        yield
    except OSError as exc:
        raise OutputError(str(exc.filename or path), exc.strerror or type(exc).__name__) from None


def guarded(path: Path | None, function, *args):
    """Call function(*args); an OSError becomes an OutputError naming `path`."""
    with _guard(path):
        return function(*args)


def write_graph(out: OutputDir, turtle: bytes) -> None:
    with _guard(out.graph):
        atomic_write(out.graph, turtle)


def store_is_current(out: OutputDir) -> bool:
    """True if the store exists and was loaded from graph.ttl as it is now."""
    try:
        stamp = json.loads(out.store_stamp.read_bytes())
        stat = out.graph.stat()
    except (OSError, ValueError):
        return False
    return (out.store.is_dir() and isinstance(stamp, dict) and stamp.get("size") == stat.st_size
            and stamp.get("mtime_ns") == stat.st_mtime_ns)


def write_store(out: OutputDir, data: bytes, sha256: str, ntriples: bool = True) -> None:
    """Bulk-load the graph (N-Triples, or Turtle) into a new Oxigraph store that replaces
    out.store whole, then stamp it with the graph.ttl it was loaded from."""
    import pyoxigraph as ox

    with _guard(out.store):
        with atomic_directory(out.store) as folder:
            store = ox.Store(str(folder))
            store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES if ntriples else ox.RdfFormat.TURTLE)
            store.flush()
            del store
        stat = out.graph.stat()
        atomic_write(out.store_stamp, json.dumps(
            {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}, sort_keys=True) + "\n")


def write_report(out: OutputDir, report: dict) -> None:
    with _guard(out.report):
        atomic_write(out.report, json.dumps(report, indent=2, default=str) + "\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
