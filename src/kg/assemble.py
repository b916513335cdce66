"""Assemble per-record triples into one deterministic Turtle file, and the SHACL report.

Each record's SHACL results come from the worker that built it (kg.batch) or from the cache,
so adding one report validates only that report. If nothing changed since the last build into
the same folder, graph.ttl is not rewritten.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .rdf import DEFAULT_BASE, Mapper, to_ntriples, turtle_from_ntriples, vocabulary_graph
from .validate import ValidationReport, Violation

STATE_FILE = "state.json"


@dataclass
class Assembled:
    turtle: bytes
    triples: int
    validation: ValidationReport | None
    unchanged: bool
    seconds: dict[str, float] = field(default_factory=dict)  # time per phase


@lru_cache(maxsize=1)
def _vocabulary_ntriples() -> str:
    return to_ntriples(vocabulary_graph())


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def assemble(collected, out_dir: Path | None, *, base: str | None = None, validate: bool = True,
             state_dir: Path | None = None) -> Assembled:
    mapper = Mapper(base or DEFAULT_BASE)
    names = to_ntriples(mapper.inspector_names(collected.records))
    shas = [r.sha256 for r in collected.records]
    fingerprint = _digest(collected.version, str(validate), names, *sorted(shas))
    state = _load_state(state_dir)
    graph_path = Path(out_dir) / "graph.ttl" if out_dir else None

    if (graph_path and graph_path.exists() and state.get("fingerprint") == fingerprint
            and state.get("graph_sha256") == _digest(graph_path.read_bytes())):
        report = _report(collected.violations) if validate else None
        return Assembled(graph_path.read_bytes(), state.get("triples", 0), report, unchanged=True)

    if graph_path:
        graph_path.parent.mkdir(parents=True, exist_ok=True)
    timer = time.perf_counter()
    chunks = [_vocabulary_ntriples()] + [collected.ntriples[s] for s in shas] + [names]
    turtle, count = turtle_from_ntriples(chunks, graph_path)
    seconds = {"turtle": time.perf_counter() - timer}

    report = _report(collected.violations) if validate else None
    if state_dir:
        _save_state(state_dir, {"fingerprint": fingerprint, "triples": count,
                                "graph_sha256": _digest(turtle) if graph_path else None})
    return Assembled(turtle, count, report, unchanged=False, seconds=seconds)


def _report(by_record: dict[str, list[dict]]) -> ValidationReport:
    violations = sorted({Violation(**v) for vs in by_record.values() for v in vs},
                        key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(not violations, violations)


def _load_state(state_dir: Path | None) -> dict:
    if state_dir and (state_dir / STATE_FILE).exists():
        try:
            return json.loads((state_dir / STATE_FILE).read_text(encoding="utf-8"))
        except ValueError:
            return {}
    return {}


def _save_state(state_dir: Path, state: dict) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / STATE_FILE).write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
