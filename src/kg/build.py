"""The build pipeline: inputs -> read -> classify -> extract -> records -> RDF -> validate -> Turtle.

A failure in one file is recorded in the build report and never stops the others. Extracted
records are cached by content hash, so unchanged files are not read again.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import KgError
from .extract import extract
from .paths import DATA_DIR, SEEDS_DIR, VOCAB_DIR
from .readers import PDF_SUFFIXES, TEXT_SUFFIXES, read, sha256_of
from .records import ReportRecord
from .theming import tag

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
    """Changes whenever the extractor code or its reference data changes (cache key)."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")) + sorted(DATA_DIR.glob("*.csv")) + [VOCAB_DIR / "themes.ttl"]:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def extract_file(path: Path, display: str, reader: str = "pdfium") -> ReportRecord:
    """Read, classify, extract and theme-tag one file (raises KgError on bad input)."""
    return tag(extract(read(path, display, reader)))


def _work(job: tuple[Path, str, str, str, str | None]) -> tuple[str, ReportRecord | None, str | None, str]:
    """Worker: one file to a record and its N-Triples (cached by content hash)."""
    from .rdf import Mapper, to_ntriples

    path, display, reader, base, cache_file = job
    try:
        record = extract_file(path, display, reader)
    except KgError as exc:
        return display, None, str(exc), ""
    ntriples = to_ntriples(Mapper(base).record_graph(record))
    if cache_file:
        Path(cache_file).write_bytes(pickle.dumps((record, ntriples), protocol=pickle.HIGHEST_PROTOCOL))
    return display, record, None, ntriples


@dataclass
class Collected:
    records: list[ReportRecord]
    files: list[FileResult]
    ntriples: dict[str, str]  # sha256 -> the record's triples
    pages: int


def collect(paths: list[Path], reader: str = "pdfium", cache_dir: Path | None = None,
            workers: int | None = None, progress: bool = False, base: str | None = None) -> Collected:
    """Records (and their triples) for every input, reusing the cache; errors per file."""
    from .rdf import DEFAULT_BASE

    base = base or DEFAULT_BASE
    inputs = discover(paths)
    version = hashlib.sha256(f"{code_version()}|{base}".encode()).hexdigest()[:16]
    results: dict[str, FileResult] = {}
    records: dict[str, ReportRecord] = {}
    ntriples: dict[str, str] = {}
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
        cached = _load_cached(cache_file, display)
        if cached:
            records[display], ntriples[digest] = cached
            results[display] = FileResult(display, cached=True)
        else:
            jobs.append((path, display, reader, base, str(cache_file) if cache_file else None))
    for display, record, error, triples in _run(jobs, workers, progress):
        results[display] = FileResult(display, error=error)
        if record is not None:
            records[display] = record
            ntriples[record.sha256] = triples
    if cache_dir:
        _save_index(cache_dir, index)
    files = []
    for _, display in inputs:
        result = results[display]
        record = records.get(display)
        if record is not None:
            result.kind = record.kind
            result.authority = record.authority.name
            result.facts = {"judgements": len(record.judgements), "roles": len(record.roles),
                            "recommendations": len(record.recommendations),
                            "themes": sum(1 for m in record.theme_mentions if m.area is None)}
            result.warnings = list(record.warnings) + _sanity_warnings(record)
        files.append(result)
    ordered = _deduplicate([records[d] for _, d in inputs if d in records], files)
    return Collected(ordered, files, ntriples, sum(r.page_count for r in ordered))


def _load_cached(cache_file: Path | None, display: str):
    """(record, ntriples) from the cache, if present and readable; the display path may differ."""
    if not cache_file or not cache_file.exists():
        return None
    try:
        record, triples = pickle.loads(cache_file.read_bytes())
    except Exception:  # a stale or damaged cache entry is simply rebuilt
        return None
    if record.source_file != display:  # same bytes under another name: its IRIs carry the old name
        return None
    return record, triples


def _run(jobs, workers, progress):
    bar = None
    if progress and jobs:
        from tqdm import tqdm
        bar = tqdm(total=len(jobs), unit="file", desc="extracting", file=sys.stderr)
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    try:
        if workers <= 1 or len(jobs) <= 2:
            for job in jobs:
                yield _work(job)
                bar and bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for result in pool.map(_work, jobs, chunksize=4):
                    yield result
                    bar and bar.update()
    finally:
        bar and bar.close()


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
    collected = collect(paths, reader, cache_dir, workers, progress, base)
    assembled = assemble(collected, out_dir, base=base, validate=validate, state_dir=cache_dir)
    result = BuildResult(collected.records, collected.files, pages=collected.pages,
                         turtle=assembled.turtle, triples=assembled.triples,
                         validation=assembled.validation, unchanged=assembled.unchanged)
    result.seconds = time.perf_counter() - started
    if out_dir:
        (Path(out_dir) / "build-report.json").write_text(
            json.dumps(result.report_dict(), indent=2, default=str) + "\n", encoding="utf-8")
    return result
