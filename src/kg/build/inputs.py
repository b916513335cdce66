"""Plan the build: find the input files under the given paths and read each one once.

A file's bytes are read here, hashed (the hash keys the cache and becomes kg:sha256) and
handed to the workers, so no file is read twice. A file or folder that cannot be read is an
input that failed, with one line naming it and the reason; it is never skipped silently.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import printable
from ..readers import PDF_SUFFIXES, TEXT_SUFFIXES, sha256_of

INPUT_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES


@dataclass
class Input:
    path: Path
    display: str  # relative to the argument's parent: the graph does not depend on the cwd
    data: bytes | None = None
    sha256: str | None = None
    error: str | None = None  # the file (or folder) could not be read


def discover(paths: list[Path]) -> list[Input]:
    """Input files (and unreadable entries) under the given files/folders, sorted by display
    path. Raises FileNotFoundError for an argument that does not exist."""
    found: dict[str, Input] = {}
    walked: set = set()  # folders searched, over all the arguments
    for root in map(Path, paths):
        if root.is_dir():
            for item in _walk(root, Path(_resolved(root).name), walked):
                _add(found, item)
        elif root.exists() or root.is_symlink():
            _add(found, Input(root, root.name))
        else:
            raise FileNotFoundError(f"{printable(str(root))}: no such file or folder")
    return [found[display] for display in sorted(found)]


def _add(found: dict[str, Input], item: Input) -> None:
    """Add an input under its display path. The same file given twice is one input; another
    file that would be shown under the same name (a/in/x.pdf and b/in/x.pdf) is shown with as
    much more of its path as makes it unique, so no input is ever lost. A path that is not
    valid UTF-8 (a name made on another system) cannot become the graph's text: it is an input
    that failed, shown with its undecodable bytes as \\xNN escapes."""
    if not item.error and not is_utf8(item.display):
        item.display = printable(item.display)
        item.error = f"{item.display}: file name is not valid UTF-8 (rename the file or its folder)"
    display = item.display
    if display in found and _same_file(found[display].path, item.path):
        return
    parts = _resolved(item.path).parts
    depth = len(Path(display).parts)
    while display in found and depth < len(parts):
        depth += 1
        display = Path(*parts[-depth:]).as_posix()
    if display in found:  # nothing left to tell them apart (cannot happen for distinct files)
        raise ValueError(f"{item.path}: two inputs cannot be told apart")
    if display != item.display and item.error:
        item.error = item.error.replace(item.display, display, 1)
    item.display = display
    found[display] = item


def is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode's surrogate escapes of undecodable bytes
        return False
    return True


def _resolved(path: Path) -> Path:
    """The path with symbolic links resolved; as given (absolute) when they loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" (Python 3.11-3.12)
        return path.absolute()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def _walk(folder: Path, shown: Path, walked: set):
    """Inputs under one folder; an unreadable subfolder or entry becomes a failed input. A folder
    reached again through a symbolic link (a loop, or two links to one folder) is walked once:
    its files are inputs already."""
    try:
        status = folder.stat()
        if (status.st_dev, status.st_ino) in walked:
            return
        walked.add((status.st_dev, status.st_ino))
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        shown_text = printable(shown.as_posix())
        yield Input(folder, f"{shown_text}/", error=f"{shown_text}/: cannot read folder ({_reason(exc)})")
        return
    for entry in entries:
        path, display = Path(entry.path), shown / entry.name
        try:
            is_dir = entry.is_dir()
        except OSError as exc:
            shown_text = printable(display.as_posix())
            yield Input(path, shown_text, error=f"{shown_text}: cannot be read ({_reason(exc)})")
            continue
        if is_dir:
            yield from _walk(path, display, walked)
        elif path.suffix.lower() in INPUT_SUFFIXES:
            yield Input(path, display.as_posix())


def load(item: Input) -> Input:
    """Read the file's bytes and hash them (sets item.error instead when it cannot be read)."""
    if item.error:
        return item
    try:
        mode = item.path.stat().st_mode
        if not stat.S_ISREG(mode):
            item.error = f"{item.display}: cannot be read (not a regular file)"
            return item
        item.data = item.path.read_bytes()
    except OSError as exc:
        item.error = f"{item.display}: cannot be read ({_reason(exc)})"
        return item
    item.sha256 = sha256_of(item.data)
    return item


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and os.path.islink(getattr(exc, "filename", "") or ""):
        return "dangling symbolic link"
    return exc.strerror or type(exc).__name__
