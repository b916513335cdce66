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

import dataclasses
import hashlib
import json
import types
import typing
from datetime import date
from functools import lru_cache
from pathlib import Path

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

    def _read(self, path: Path, sha256: str) -> tuple[dict, str]:
        """The JSON line and the N-Triples of an entry; raises on any damage."""
        head, _, tail = path.read_bytes().partition(b"\n")  # JSON never holds a raw line end
        entry = json.loads(head)
        if entry.get("format") != FORMAT or entry.get("key") != self.key(sha256):
            raise ValueError("written for another key or format")
        if entry["ntriples_bytes"] != len(tail):
            raise ValueError("N-Triples cut short or too long")
        return entry, tail.decode("utf-8")

    def get(self, sha256: str, display: str, validate: bool):
        """(record, ntriples, violations, subject runs) cached for these bytes under this name,
        or None. The runs (kg.build.assemble.subject_runs) are None unless they cover the
        N-Triples exactly; each run is checked again where it is used."""
        if self.root is None:
            return None
        path = self._entry(sha256)
        try:
            entry, ntriples = self._read(path, sha256)
            record, violations = decode(ReportRecord, entry["record"]), entry["violations"]
            if record.sha256 != sha256 or not isinstance(violations, (list, type(None))):
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
        return record, ntriples, violations or [], _cover(entry.get("subjects"), len(ntriples))

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


def entry_head(key: str, record: ReportRecord, ntriples_bytes: int, violations: list[dict] | None,
               subjects: dict[str, list[int]] | None) -> bytes:
    """The first line of an entry: JSON of everything but the N-Triples, which follow it. Encoding
    a record is most of the cost of an entry: workers make it in parallel (Job.cache_key)."""
    entry = {"format": FORMAT, "key": key, "record": encode(record), "violations": violations,
             "subjects": subjects, "ntriples_bytes": ntriples_bytes}
    return json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"


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


# ------------------------------------------------------------ records <-> JSON

def encode(value):
    """Plain JSON of a record: dataclasses as objects, dates as ISO strings, tuples as lists."""
    if dataclasses.is_dataclass(value):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode(tp, value):
    """The inverse of encode, driven by the dataclasses' type hints (raises on a mismatch)."""
    return _decoder(tp)(value)


@lru_cache(maxsize=None)
def _decoder(tp):
    """A function turning encode's JSON for type `tp` back into a value, built once per type
    (a cache entry holds thousands of values: dispatching on the type for each is too slow)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [t for t in typing.get_args(tp) if t is not type(None)]
        inner = _decoder(options[0])
        return lambda v: None if v is None else inner(v)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        flat = [(f.name, _plain_types(hints[f.name])) for f in dataclasses.fields(tp)]
        if all(allowed for _, allowed in flat) and all(f.init for f in dataclasses.fields(tp)):
            def flat_dataclass_of(v):  # only plain values (theme mentions: thousands per record)
                if not isinstance(v, dict):
                    raise TypeError(f"{tp.__name__}: expected an object")
                for name, allowed in flat:
                    if name in v and not isinstance(v[name], allowed):
                        raise TypeError(f"{tp.__name__}.{name}: got {type(v[name]).__name__}")
                return tp(**v)  # a name that is not a field raises TypeError
            return flat_dataclass_of
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp) if f.init]

        def dataclass_of(v):
            if not isinstance(v, dict):
                raise TypeError(f"{tp.__name__}: expected an object")
            return tp(**{name: field(v[name]) for name, field in fields if name in v})
        return dataclass_of
    if origin is list:
        item = _decoder(typing.get_args(tp)[0])
        return lambda v: [item(x) for x in _list(v)]
    if origin is tuple:
        args = typing.get_args(tp)
        if all(t in (str, int) for t in args):  # (page, line) pairs: thousands per record
            def plain(v):
                if type(v) is not list or len(v) != len(args):
                    raise TypeError(f"expected a list of {len(args)}")
                return tuple(v)
            return plain
        items = [_decoder(t) for t in args]
        return lambda v: tuple(d(x) for d, x in zip(items, _list(v), strict=True))
    if tp is date:
        return date.fromisoformat
    if tp in (str, int, bool, float):
        def checked(v):
            if not isinstance(v, tp):
                raise TypeError(f"expected {tp.__name__}, got {type(v).__name__}")
            return v
        return checked
    return lambda v: v


def _plain_types(tp) -> tuple | None:
    """The types a plain JSON value of type `tp` may have (str, int, bool, float, or one of them
    or None), or None if `tp` is not that plain."""
    plain = (str, int, bool, float)
    if tp in plain:
        return (tp,)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        if len(options) == 2 and type(None) in options and all(t in plain + (type(None),) for t in options):
            return options
    return None


def _list(value):
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value
