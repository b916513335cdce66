"""Assemble per-record triples into one Turtle file and validate what changed.

Validation is incremental: each record's SHACL results are kept in the build state, so adding
one report validates only that report (with the shared authority and inspector nodes it uses).
Records to validate are split across processes, since pySHACL runs on one core.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .paths import SHAPES_FILE
from .rdf import DEFAULT_BASE, Mapper, record_key, to_ntriples, turtle_from_ntriples, vocabulary_graph
from .validate import ValidationReport, Violation, validate_graph

STATE_FILE = "state.json"
SHARED = "shared"  # violations of nodes that belong to no single record (authorities, inspectors)


@dataclass
class Assembled:
    turtle: bytes
    triples: int
    validation: ValidationReport | None
    unchanged: bool


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
    from .build import code_version

    mapper = Mapper(base or DEFAULT_BASE)
    names = to_ntriples(mapper.inspector_names(collected.records))
    shas = [r.sha256 for r in collected.records]
    validator = _digest(code_version(), SHAPES_FILE.read_bytes())
    fingerprint = _digest(validator, base or DEFAULT_BASE, str(validate), names, *sorted(shas))
    state = _load_state(state_dir)
    graph_path = Path(out_dir) / "graph.ttl" if out_dir else None

    if (graph_path and graph_path.exists() and state.get("fingerprint") == fingerprint
            and state.get("graph_sha256") == _digest(graph_path.read_bytes())):
        report = _report(state) if validate else None
        return Assembled(graph_path.read_bytes(), state.get("triples", 0), report, unchanged=True)

    if graph_path:
        graph_path.parent.mkdir(parents=True, exist_ok=True)
    chunks = [_vocabulary_ntriples()] + [collected.ntriples[s] for s in shas] + [names]
    turtle, count = turtle_from_ntriples(chunks, graph_path)

    report = None
    if validate:
        if state.get("validator") != validator:
            state = {"violations": {}}
        by_record = {sha: v for sha, v in state.get("violations", {}).items() if sha in set(shas) or sha == SHARED}
        todo = [r for r in collected.records if r.sha256 not in by_record]
        if todo:
            fresh = _validate_records(todo, collected.ntriples, names, mapper)
            if len(todo) == len(collected.records):
                by_record = {}
            shared = {json.dumps(v, sort_keys=True) for v in by_record.get(SHARED, []) + fresh.pop(SHARED, [])}
            by_record.update(fresh)
            by_record[SHARED] = [json.loads(v) for v in sorted(shared)]
        state = {"violations": by_record}
        report = _report(state)

    if state_dir:
        state.update(fingerprint=fingerprint, validator=validator, triples=count,
                     graph_sha256=_digest(turtle) if graph_path else None)
        _save_state(state_dir, state)
    return Assembled(turtle, count, report, unchanged=False)


def _validate_records(records, ntriples: dict[str, str], names: str, mapper: Mapper) -> dict[str, list[dict]]:
    """SHACL results per record sha (and SHARED), validating records in parallel chunks."""
    workers = min(os.cpu_count() or 1, max(1, len(records) // 20))
    chunks = [records[i::workers] for i in range(workers)]
    jobs = [([(r.sha256, record_key(r)) for r in chunk], "".join(ntriples[r.sha256] for r in chunk), names,
             str(mapper.base)) for chunk in chunks]
    if workers == 1:
        results = [_validate_chunk(jobs[0])]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_validate_chunk, jobs))
    merged: dict[str, list[dict]] = {r.sha256: [] for r in records}
    merged[SHARED] = []
    for result in results:
        for sha, violations in result.items():
            merged.setdefault(sha, []).extend(violations)
    return merged


def _validate_chunk(job) -> dict[str, list[dict]]:
    from rdflib import Graph

    keys, triples, names, base = job
    graph = Graph()
    graph.parse(data=_vocabulary_ntriples() + triples + names, format="nt")
    report = validate_graph(graph)
    prefixes = [(sha, (f"{base}inspection/{key}", f"{base}report/{key}")) for sha, key in keys]
    out: dict[str, list[dict]] = {sha: [] for sha, _ in keys}
    out[SHARED] = []
    for violation in report.results:
        focus = violation.focus
        owner = next((sha for sha, starts in prefixes
                      if any(focus == start or focus.startswith(start + "/") for start in starts)), SHARED)
        out[owner].append(asdict(violation))
    return out


def _report(state: dict) -> ValidationReport:
    violations = sorted({Violation(**v) for vs in state.get("violations", {}).values() for v in vs},
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
