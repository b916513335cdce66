"""Write the build's outputs into the output folder, each one atomically (kg.outputs).

Order: graph.ttl, then the persistent store and its stamp, then build-report.json. A build
killed at any point leaves the previous complete file in place; a store whose stamp does not
match graph.ttl is simply not used by readers.
"""
from __future__ import annotations

import hashlib
import json
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

from ..errors import OutputError
from ..graphio import stamp_matches
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
    """True if the store exists and was loaded from graph.ttl as it is now (kg.graphio's stamp
    check). A stamp that matches by content only (a copied folder) gets graph.ttl's time again,
    so readers need not hash the file."""
    if not stamp_matches(out.graph):
        return False
    try:
        stamp, stat = json.loads(out.store_stamp.read_bytes()), out.graph.stat()
        if stamp["mtime_ns"] != stat.st_mtime_ns:
            _stamp(out, stamp["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def _stamp(out: OutputDir, sha256: str) -> None:
    stat = out.graph.stat()
    atomic_write(out.store_stamp, json.dumps(
        {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}, sort_keys=True) + "\n")


def write_store(out: OutputDir, data: bytes | Iterable[bytes], sha256: str | Future, ntriples: bool = True,
                update: tuple[str, str] | None = None) -> str:
    """A new Oxigraph store of the graph replaces out.store whole, then is stamped with the
    graph.ttl it holds. With `update` (the N-Triples to remove from and to add to the current
    store to make it hold the graph) the store is copied and only that difference applied; otherwise the
    graph (N-Triples, or Turtle) is bulk-loaded: `data`, or each piece of it in turn (StoreFeed).
    Returns "updated" or "loaded".

    `sha256` may be a Future the caller resolves with graph.ttl's sha256 once it has written
    graph.ttl: the store is then loaded meanwhile (in a thread) and put in place only after, so
    the store never replaces the previous one before the graph it holds is written. If the future
    is cancelled (the build failed), the new store is discarded and the previous one kept."""
    import shutil

    import pyoxigraph as ox

    how = "loaded"
    with _guard(out.store):
        with atomic_directory(out.store) as folder:
            if update is not None and ntriples:
                shutil.copytree(out.store, folder, dirs_exist_ok=True)
                store = ox.Store(str(folder))
                removed, added = update
                for quad in ox.parse(removed.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
                    store.remove(quad)
                store.extend(ox.parse(added.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
                how = "updated"
            else:
                store = ox.Store(str(folder))
                for piece in [data] if isinstance(data, bytes) else data:
                    if piece:
                        store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES if ntriples else ox.RdfFormat.TURTLE)
            store.flush()
            del store
            if isinstance(sha256, Future):
                sha256 = sha256.result()  # CancelledError: the graph was not written, keep the old store
        _stamp(out, sha256)
    return how


class StoreFeed:
    """The store loaded whole from pieces of N-Triples as they come: a cold build gives it each
    batch of reports while the workers extract the next ones, so that little of the loading
    is left once the last report is in. write_store runs in a thread of `pool`, taking the
    pieces from a queue (each triple may come in several pieces: a store holds it once).
    close() says no more will come and gives write_store's future; like write_store's, the new
    store is put in place once `written` has graph.ttl's sha256. cancel() discards it (the
    build failed, or its graph turned out other than what was fed)."""

    def __init__(self, pool, out: OutputDir):
        import queue

        self._pieces = queue.SimpleQueue()
        self.written = Future()
        self.closed = False
        self.done = pool.submit(write_store, out, self._loads(), self.written)

    def _loads(self):
        """The pieces to load: all those waiting, joined (one bulk load each time, however many
        batches came while the last one loaded), until close()."""
        import queue

        ended = False
        while not ended:
            pieces = [self._pieces.get()]
            while True:
                try:
                    pieces.append(self._pieces.get_nowait())
                except queue.Empty:
                    break
            ended = None in pieces
            yield b"".join(piece for piece in pieces if piece is not None)

    def add(self, ntriples: str) -> None:
        self._pieces.put(ntriples.encode("utf-8"))

    def close(self) -> Future:
        if not self.closed:
            self.closed = True
            self._pieces.put(None)
        return self.done

    def cancel(self) -> None:
        self.written.cancel()  # (no effect once graph.ttl's sha256 is set)
        self.close()


def stamped_sha256(out: OutputDir) -> str | None:
    """The sha256 of the graph.ttl the store was loaded from, if the store is current."""
    if not store_is_current(out):
        return None
    try:
        return json.loads(out.store_stamp.read_bytes()).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None


def write_report(out: OutputDir, report: dict) -> None:
    with _guard(out.report):
        atomic_write(out.report, json.dumps(report, indent=2, default=str) + "\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
