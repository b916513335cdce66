"""The output folder (default `out/`): the one place that knows its layout and how it is written.

    out = OutputDir("out")
    out.graph          # out/graph.ttl            the graph (Turtle, deterministic)
    out.report         # out/build-report.json    per-input results, warnings, SHACL, timings
    out.store          # out/store/               persistent Oxigraph store of the graph
    out.store_stamp    # out/store.json           which graph.ttl the store was loaded from
    out.network        # out/network/             what `kg network` draws
    out.cache          # out/.kg-cache/           extraction cache (see kg.build.cache)
    out.lock()         # out/.kg-lock             held by the build writing the folder

Every file is written atomically: to a temporary file in the same folder, flushed and
fsynced, then renamed over the target (os.replace), so a reader sees the old file or the new
one, never half of one. A killed writer leaves at most a stray `.tmp-*` file.
"""
from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEFAULT_OUT = Path("out")


@dataclass(frozen=True)
class OutputDir:
    root: Path = DEFAULT_OUT

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))

    @property
    def graph(self) -> Path:
        return self.root / "graph.ttl"

    @property
    def report(self) -> Path:
        return self.root / "build-report.json"

    @property
    def store(self) -> Path:
        return self.root / "store"

    @property
    def store_stamp(self) -> Path:
        """JSON beside the store: size, mtime_ns and sha256 of the graph.ttl it was loaded from
        (a reader opens the store only if graph.ttl still matches, else loads graph.ttl)."""
        return self.root / "store.json"

    @property
    def network(self) -> Path:
        return self.root / "network"

    @property
    def cache(self) -> Path:
        return self.root / ".kg-cache"

    @contextmanager
    def lock(self):
        """Held while a build reads and writes this folder (an advisory lock on out/.kg-lock,
        released by the system if the build dies). A second build into the folder meanwhile stops
        at once with OutputError: two at once could leave a build report of one build beside
        the graph of the other. No lock where the system has no flock (Windows)."""
        from .errors import OutputError

        try:
            import fcntl
        except ImportError:
            yield
            return
        try:
            make_folder(self.root)
            handle = open(self.root / ".kg-lock", "ab")
        except OSError as exc:
            raise OutputError(str(exc.filename or self.root), exc.strerror or type(exc).__name__) from None
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputError(str(self.root), "another kg build is writing this folder; "
                                                  "wait for it to finish, or build into another") from None
            yield

    def remove_stale_temporaries(self) -> None:
        """Remove what killed writers left in the folder (`.tmp-*` files and store folders,
        `.old-*` folders). Only while holding lock(): no other build is writing them."""
        try:
            stale = [p for p in self.root.iterdir() if p.name.startswith((".tmp-", ".old-"))]
        except OSError:
            return
        for path in stale:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    @classmethod
    def of_graph(cls, graph: Path | str) -> "OutputDir":
        """The output folder a graph file lives in (its parent)."""
        return cls(Path(graph).parent)


DEFAULT_GRAPH = OutputDir().graph


def graph_path(path: Path | str) -> Path:
    """The graph a path names: a build output folder (out/) names the graph.ttl in it; any
    other path is the path itself (kg.graphio.check_file says what is wrong with it when read).
    The type of every command's graph argument: `-g out` and `-g out/graph.ttl` are the same."""
    path = Path(path)
    inside = OutputDir(path).graph
    try:
        return inside if path.is_dir() and inside.is_file() else path
    except OSError:  # a name too long, a loop: reading the path says so (kg.graphio.check_file)
        return path


def make_folder(folder: Path) -> Path:
    """mkdir -p; a part of the path that is a file is "Not a directory" (mkdir says "File
    exists", which names the wrong problem)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        part = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(part)) from None
    return folder


def atomic_write(path: Path | str, data: bytes | str) -> Path:
    """Write data to path atomically (temp file in the same folder, fsync, os.replace)."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    make_folder(path.parent)
    with atomic_file(path) as handle:
        handle.write(data)
    return path


@contextmanager
def atomic_file(path: Path | str):
    """A binary file handle whose content replaces `path` only if the with-block completes.

    A symlink is followed (its target is replaced, the link stays); a device, FIFO or other
    special file (/dev/stdout, a named pipe) is written through directly, since it cannot be
    replaced. New files get the usual permissions (0666 less the umask), an existing file keeps
    its own."""
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "wb") as handle:
            yield handle
        return
    make_folder(path.parent)
    with _errors_name(path):
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{path.name}-", dir=path.parent)
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode) if path.exists() else 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise


@contextmanager
def _errors_name(path: Path):
    """An OSError about one of the temporary files or folders standing in for `path` (or a file
    inside one) names `path`: the user asked for that, and the temporary name is gone."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None and any(part.startswith((f".tmp-{path.name}-", f".old-{path.name}-"))
                                            for part in Path(os.fsdecode(exc.filename)).parts):
            exc.filename = str(path)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_directory(path: Path | str):
    """A temporary folder beside `path`; if the with-block completes it replaces `path`
    (the old folder is renamed away, the new one renamed in, the old one removed). If anything
    fails, `path` is left as it was and no temporary folder stays behind."""
    path = Path(path).absolute()
    make_folder(path.parent)
    with _errors_name(path):
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{path.name}-", dir=path.parent))
        old = None
        try:
            os.chmod(tmp, 0o777 & ~_umask())
            yield tmp
            if path.exists():
                old = Path(tempfile.mkdtemp(prefix=f".old-{path.name}-", dir=path.parent))
                os.replace(path, old / path.name)
            os.replace(tmp, path)
        except BaseException:
            if old is not None and (old / path.name).exists() and not path.exists():
                os.replace(old / path.name, path)  # put the previous folder back
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
