"""The build pipeline: inputs -> read -> classify -> extract -> records -> RDF -> validate -> Turtle.

A failure in one file is recorded in the build report and never stops the others. Extracted
records are cached by content hash, so unchanged files are not read again.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import queue
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .batch import Job, Outcome, partition, run_batch
from .paths import DATA_DIR, ONTOLOGY_DIR, SEEDS_DIR, VOCAB_DIR
from .readers import PDF_SUFFIXES, TEXT_SUFFIXES, sha256_of
from .records import ReportRecord

INPUT_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES


@dataclass
class FileResult:
    source_file: str
    kind: str | None = None
    authority: str | None = None
    facts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    cached: bool = False


@dataclass
class BuildResult:
    records: list[ReportRecord]
    files: list[FileResult]
    pages: int = 0
    turtle: bytes = b""
    triples: int = 0
    validation: object = None  # kg.validate.ValidationReport, or None if not validated
    unchanged: bool = False  # nothing changed since the last build into the same folder
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase
    _graph: object = None

    @property
    def graph(self):
        """The graph as an rdflib.Graph (parsed on first use)."""
        if self._graph is None:
            from rdflib import Graph

            from .rdf import PREFIXES
            self._graph = Graph()
            for prefix, namespace in PREFIXES.items():
                self._graph.bind(prefix, namespace)
            self._graph.parse(data=self.turtle, format="turtle")
        return self._graph

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    def report_dict(self) -> dict:
        return {
            "kg_version": __version__,
            "files": [vars(f) for f in self.files],
            "violations": [str(v) for v in self.validation.results] if self.validation is not None else [],
            "summary": {"inputs": len(self.files), "built": len(self.records), "failed": len(self.errors),
                        "pages": self.pages, "triples": self.triples, "unchanged": self.unchanged,
                        "seconds": round(self.seconds, 2),
                        "phases": {k: round(v, 2) for k, v in self.phases.items()},
                        "conforms": self.validation.conforms if self.validation is not None else None,
                        "violations": len(self.validation.results) if self.validation is not None else None},
        }


def discover(paths: list[Path]) -> list[tuple[Path, str]]:
    """Input files under the given files/folders, with their display path (relative to each
    argument's parent, so the graph does not depend on the current directory)."""
    found: dict[str, Path] = {}
    for root in paths:
        root = Path(root)
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix.lower() in INPUT_SUFFIXES:
                    found[(Path(root.resolve().name) / path.relative_to(root)).as_posix()] = path
        elif root.exists():
            found[root.name] = root
        else:
            raise FileNotFoundError(f"{root}: no such file or folder")
    return [(path, display) for display, path in sorted(found.items())]


def code_version() -> str:
    """Changes whenever the code, the reference data, the vocabularies or the shapes change."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    data = sorted(DATA_DIR.glob("*.csv")) + sorted(VOCAB_DIR.glob("*.ttl")) + sorted(ONTOLOGY_DIR.glob("*.ttl"))
    for path in sorted(package.rglob("*.py")) + data:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Collected:
    records: list[ReportRecord]
    files: list[FileResult]
    ntriples: dict[str, str]  # sha256 -> the record's triples
    violations: dict[str, list[dict]]  # sha256 -> SHACL results of the record (when validated)
    pages: int
    version: str  # code, reference data, shapes and base IRI: what the cached results depend on


def collect(paths: list[Path], reader: str = "pdfium", cache_dir: Path | None = None,
            workers: int | None = None, progress: bool = False, base: str | None = None,
            validate: bool = True) -> Collected:
    """Records, triples and SHACL results for every input, reusing the cache; errors per file."""
    from .rdf import DEFAULT_BASE

    base = base or DEFAULT_BASE
    inputs = discover(paths)
    version = hashlib.sha256(f"{code_version()}|{base}".encode()).hexdigest()[:16]
    outcomes: dict[str, Outcome] = {}
    cached: set[str] = set()
    jobs = []
    index = _load_index(cache_dir)
    if cache_dir:
        cache_dir.mkdir(parents=True, exist_ok=True)
    for path, display in inputs:
        stat = path.stat()
        fingerprint = f"{stat.st_size}:{stat.st_mtime_ns}"
        known = index.get(str(path.resolve()))
        digest = known[1] if known and known[0] == fingerprint else sha256_of(path.read_bytes())
        index[str(path.resolve())] = (fingerprint, digest)
        cache_file = cache_dir / f"{digest}-{reader}-{version}.pickle" if cache_dir else None
        hit = _load_cached(cache_file, display, validate)
        if hit:
            outcomes[display] = hit
            cached.add(display)
        else:
            jobs.append(Job(path, display, reader, str(cache_file) if cache_file else None))
    for outcome in _run(jobs, base, validate, workers, progress):
        outcomes[outcome.display] = outcome
    if cache_dir:
        _save_index(cache_dir, index)
    files = [_file_result(outcomes[display], display in cached) for _, display in inputs]
    ordered = _deduplicate([outcomes[d].record for _, d in inputs if outcomes[d].record], files)
    return Collected(ordered, files, {r.sha256: outcomes[r.source_file].ntriples for r in ordered},
                     {r.sha256: outcomes[r.source_file].violations for r in ordered},
                     sum(r.page_count for r in ordered), version)


def _file_result(outcome: Outcome, cached: bool) -> FileResult:
    result = FileResult(outcome.display, error=outcome.error, cached=cached)
    record = outcome.record
    if record is not None:
        result.kind = record.kind
        result.authority = record.authority.name
        result.facts = {"judgements": len(record.judgements), "roles": len(record.roles),
                        "recommendations": len(record.recommendations),
                        "themes": sum(1 for m in record.theme_mentions if m.area is None)}
        result.warnings = list(record.warnings) + _sanity_warnings(record)
    return result


def _load_cached(cache_file: Path | None, display: str, validate: bool) -> Outcome | None:
    """A cached outcome, if present, readable and complete enough for this build."""
    if not cache_file or not cache_file.exists():
        return None
    try:
        record, triples, violations = pickle.loads(cache_file.read_bytes())
    except Exception:  # a stale or damaged cache entry is simply rebuilt
        return None
    if record.source_file != display:  # same bytes under another name: the graph names the file
        return None
    if validate and violations is None:
        return None
    return Outcome(display, record, ntriples=triples, violations=violations or [])


def _run(jobs: list[Job], base: str, validate: bool, workers: int | None, progress: bool):
    """Outcomes of all jobs: one batch per worker process (one in-process batch if few jobs)."""
    if not jobs:
        return []
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(jobs), unit="file", desc="extracting", file=sys.stderr)
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    try:
        if workers <= 1 or len(jobs) < 8:
            return run_batch(jobs, base, validate, _Tick(bar))
        with multiprocessing.Manager() as manager:
            ticks = manager.Queue()
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(run_batch, batch, base, validate, ticks) for batch in partition(jobs, workers)]
                done = 0
                while done < len(jobs) and not all(f.done() for f in futures):
                    try:
                        done += ticks.get(timeout=0.2)
                        bar and bar.update()
                    except queue.Empty:
                        pass
                return [outcome for future in futures for outcome in future.result()]
    finally:
        bar and bar.close()


class _Tick:
    """Progress for an in-process batch: put(1) advances the bar."""

    def __init__(self, bar):
        self.bar = bar

    def put(self, n: int) -> None:
        if self.bar:
            self.bar.update(n)


def _deduplicate(records: list[ReportRecord], files: list[FileResult]) -> list[ReportRecord]:
    """The same document twice (same bytes) is built once; the later copy gets a warning."""
    seen: dict[str, str] = {}
    kept = []
    by_name = {f.source_file: f for f in files}
    for record in records:
        if record.sha256 in seen:
            by_name[record.source_file].warnings.append(f"duplicate of {seen[record.sha256]}; skipped")
            continue
        seen[record.sha256] = record.source_file
        kept.append(record)
    return kept


def _sanity_warnings(record: ReportRecord) -> list[str]:
    warnings = []
    if record.kind != "SelfEvaluation" and not record.periods:
        warnings.append("no on-site dates found")
    if record.kind in {"SIFInspection", "ILACSInspection", "LegacyInspection"} and not record.judgements:
        warnings.append("no judgements found")
    if record.kind in {"SIFInspection", "LegacyInspection"} and not any(
            r.role in {"LeadInspector", "ReportingInspector"} for r in record.roles):
        warnings.append("no lead inspector named")
    return warnings


def _load_index(cache_dir: Path | None) -> dict:
    if cache_dir and (cache_dir / "index.json").exists():
        try:
            return {k: tuple(v) for k, v in json.loads((cache_dir / "index.json").read_text()).items()}
        except (ValueError, OSError):
            return {}
    return {}


def _save_index(cache_dir: Path, index: dict) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / "index.json").write_text(json.dumps(index, sort_keys=True))


def build(paths: list[Path] | None = None, out_dir: Path | None = None, *, reader: str = "pdfium",
          base: str | None = None, validate: bool = True, cache: bool = True,
          workers: int | None = None, progress: bool = False) -> BuildResult:
    """Build the knowledge graph from files/folders (default: the embedded seeds/).

    Writes out_dir/graph.ttl and out_dir/build-report.json when out_dir is given. Unchanged
    inputs come from the cache; if nothing changed, the graph is not rewritten.
    """
    from .assemble import assemble

    started = time.perf_counter()
    paths = [Path(p) for p in (paths or [SEEDS_DIR])]
    cache_dir = Path(out_dir) / ".kg-cache" if (cache and out_dir) else None
    collected = collect(paths, reader, cache_dir, workers, progress, base, validate)
    extracted = time.perf_counter()
    assembled = assemble(collected, out_dir, base=base, validate=validate, state_dir=cache_dir)
    result = BuildResult(collected.records, collected.files, pages=collected.pages,
                         turtle=assembled.turtle, triples=assembled.triples,
                         validation=assembled.validation, unchanged=assembled.unchanged)
    result.seconds = time.perf_counter() - started
    result.phases = {"extract": extracted - started, **assembled.seconds}
    if out_dir:
        (Path(out_dir) / "build-report.json").write_text(
            json.dumps(result.report_dict(), indent=2, default=str) + "\n", encoding="utf-8")
    return result
