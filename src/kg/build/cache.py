"""The extraction cache (`out/.kg-cache/`): the one module that knows its keys, entries and state.

    key      sha256 of the input's bytes + PDF reader + code version (code, reference data,
             shapes, base IRI): never size or modification time
    entry    entries/<key>.entry: one line of JSON (the record as plain JSON of the dataclasses,
             its SHACL results, where each subject's lines are in its N-Triples and their
             length), then the N-Triples as they are
             (inside JSON, their quotes and line ends made parsing every entry ~1.5x slower).
             JSON and text, not pickle: loading an entry never executes code.
    refusal  entries/<key>.refused.json: the one-line reason an input is not a report (not a
             PDF, no text layer...), so a rejected file is not read again while it is unchanged
    state    state.json (its first line: the sha256 of the JSON after it, so a damaged state is
             never trusted): what the last graph written into this folder was built from (the
             digest of each chunk of N-Triples it merged, and the inspectors' names chunk), so
             a build with nothing changed rewrites nothing and the next build updates the store
             by the difference of chunks instead of reloading it
    vocab    vocabulary.json: the ontology and vocabularies as N-Triples, per code version

Every file is written atomically (kg.outputs). A damaged or foreign entry is discarded with a
`cache-entry-discarded` warning and the input is extracted again; a damaged state file only
means the graph is written again.
"""
from __future__ import annotations

import hashlib
import json
import os
import typing
from pathlib import Path

import msgspec

from ..outputs import atomic_write
from ..records import Finding, ReportRecord

FORMAT = 2


class Cache:
    def __init__(self, root: Path | None, version: str, reader: str):
        self.root = Path(root) if root else None
        self.version = version
        self.reader = reader
        self.findings: list[Finding] = []  # entries discarded during this build

    def key(self, sha256: str) -> str:
        return f"{sha256}-{self.reader}-{self.version}"

    def _entry(self, sha256: str) -> Path:
        return self.root / "entries" / f"{self.key(sha256)}.entry"

    def _read(self, path: Path, sha256: str) -> tuple["Head", str]:
        """The JSON line and the N-Triples of an entry; raises on any damage."""
        head, _, tail = path.read_bytes().partition(b"\n")  # JSON never holds a raw line end
        entry = _HEAD.decode(head)  # typed: a value of the wrong type raises (ValidationError)
        if entry.format != FORMAT or entry.key != self.key(sha256):
            raise ValueError("written for another key or format")
        if entry.ntriples_bytes != len(tail):
            raise ValueError("N-Triples cut short or too long")
        return entry, tail.decode("utf-8")

    def count(self) -> int:
        """How many entries the cache holds (0 without a cache)."""
        try:
            return sum(1 for e in os.scandir(self.root / "entries") if e.name.endswith(".entry")) if self.root else 0
        except OSError:
            return 0

    def has(self, sha256: str) -> bool:
        """Whether an entry for these bytes exists (get() then reads it, and may still refuse it)."""
        return self.root is not None and self._entry(sha256).is_file()

    def get(self, sha256: str, display: str, validate: bool):
        """(record, ntriples, violations, subject runs) cached for these bytes under this name,
        or None. The runs (kg.build.assemble.subject_runs) are None unless they cover the
        N-Triples exactly; each run is checked again where it is used."""
        if self.root is None:
            return None
        path = self._entry(sha256)
        try:
            entry, ntriples = self._read(path, sha256)
            record, violations = entry.record, entry.violations
            if record.sha256 != sha256:
                raise ValueError("content does not match its key")
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._discard(path, display, exc.strerror or type(exc).__name__)
        except Exception as exc:  # any damage at all: the entry is rebuilt, never trusted
            return self._discard(path, display, f"{type(exc).__name__}: {exc}"[:200])
        if record.source_file != display:  # same bytes under another name: the graph names the file
            return None
        if validate and violations is None:
            return None
        return record, ntriples, violations or [], _cover(entry.subjects, len(ntriples))

    def put(self, sha256: str, head: bytes, ntriples: str) -> None:
        """Write an entry: its first line (entry_head, made by the worker) and the N-Triples."""
        if self.root is not None:
            atomic_write(self._entry(sha256), head + ntriples.encode("utf-8"))

    def refusal(self, sha256: str, display: str) -> str | None:
        """Why these bytes under this name were refused last time (None: not refused, or unknown)."""
        if self.root is None:
            return None
        path = self.root / "entries" / f"{self.key(sha256)}.refused.json"
        try:
            entry = json.loads(path.read_bytes())
            if entry["key"] == self.key(sha256) and entry["file"] == display and isinstance(entry["error"], str):
                return entry["error"]
        except FileNotFoundError:
            return None
        except Exception as exc:  # damaged: the file is read again
            self._discard(path, display, f"{type(exc).__name__}: {exc}"[:200])
        return None

    def put_refusal(self, sha256: str, display: str, error: str) -> None:
        if self.root is None:
            return
        atomic_write(self.root / "entries" / f"{self.key(sha256)}.refused.json",
                     json.dumps({"format": FORMAT, "key": self.key(sha256), "file": display, "error": error},
                                ensure_ascii=False))

    def _discard(self, path: Path, display: str, reason: str):
        self.findings.append(Finding("cache-entry-discarded",
                                     f"cache entry {path.name} could not be used ({reason}); extracted again",
                                     display))
        try:
            path.unlink()
        except OSError:
            pass
        return None

    def vocabulary(self, make) -> str:
        """The ontology and vocabularies as N-Triples: make() once per code version, then
        vocabulary.json (parsing the Turtle with rdflib costs ~0.4 s a build)."""
        if self.root is None:
            return make()
        path = self.root / "vocabulary.json"
        try:
            entry = json.loads(path.read_bytes())
            text = entry["ntriples"]
            if entry["key"] == self.version and hashlib.sha256(text.encode("utf-8")).hexdigest() == entry["sha256"]:
                return text
        except FileNotFoundError:
            pass
        except Exception as exc:  # damaged: made again
            self.findings.append(Finding("cache-entry-discarded", f"cache entry {path.name} could not be used "
                                         f"({type(exc).__name__}); made again", str(path)))
        text = make()
        atomic_write(path, json.dumps({"key": self.version, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                                       "ntriples": text}))
        return text

    # ------------------------------------------------------------ state of the last build

    @property
    def _state_file(self) -> Path:
        return self.root / "state.json"

    def state(self) -> dict:
        """The state the last build saved, or {} if there is none or it is damaged in any way:
        its first line is the sha256 of the JSON that follows (a build trusts the state's Turtle
        index and digests to copy bytes and skip work, so a changed byte must not pass)."""
        if self.root is None:
            return {}
        try:
            digest, _, body = self._state_file.read_bytes().partition(b"\n")
            if digest.decode("ascii") != hashlib.sha256(body).hexdigest():
                return {}
            state = json.loads(body)
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def save_state(self, state: dict) -> None:
        if self.root is not None:
            body = json.dumps(state, sort_keys=True).encode("utf-8")
            atomic_write(self._state_file, hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)

    def ntriples(self, sha256: str) -> str | None:
        """The N-Triples cached for these bytes, or None (missing, damaged: never raises; the
        caller checks the text against the digest it expects)."""
        if self.root is None:
            return None
        try:
            return self._read(self._entry(sha256), sha256)[1]
        except Exception:
            return None


class Head(msgspec.Struct):
    """The first line of an entry: JSON of everything but the N-Triples, which follow it. The record
    is the plain JSON of its dataclasses (dates as ISO strings, tuples as lists), read back into
    them with every value's type checked (msgspec: ~3x faster than json plus a decoder of ours)."""
    format: int
    key: str
    record: ReportRecord
    violations: list[dict[str, str]] | None  # kg.validate.Violation as dicts; None: not validated
    ntriples_bytes: int
    subjects: typing.Any = None  # kg.build.assemble.subject_runs: checked by _cover where used


_HEAD = msgspec.json.Decoder(Head)
_ENCODER = msgspec.json.Encoder()


def entry_head(key: str, record: ReportRecord, ntriples_bytes: int, violations: list[dict] | None,
               subjects: dict[str, list[int]] | None) -> bytes:
    """An entry's first line (Head). Encoding a record is most of the cost of an entry: workers
    make it in parallel (Job.cache_key). JSON never holds a raw line end."""
    return _ENCODER.encode(Head(FORMAT, key, record, violations, ntriples_bytes, subjects)) + b"\n"


def _cover(runs, size: int) -> dict | None:
    """runs, if they are {subject: [start, end, ...]} whose stretches do not overlap and together
    cover `size` characters (a subject left out or a stretch cut short would not)."""
    if not isinstance(runs, dict):
        return None
    try:
        stretches = sorted((start, end) for where in runs.values() for start, end in zip(where[::2], where[1::2]))
    except TypeError:
        return None
    edge = 0
    for start, end in stretches:
        if type(start) is not int or type(end) is not int or start != edge or end <= start:
            return None
        edge = end
    return runs if edge == size else None
