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
    graph: object = None  # rdflib.Graph
    validation: object = None  # kg.validate.ValidationReport
    seconds: float = 0.0
    pages: int = 0

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    def report_dict(self) -> dict:
        return {
            "kg_version": __version__,
            "files": [vars(f) for f in self.files],
            "summary": {"inputs": len(self.files), "built": len(self.records), "failed": len(self.errors),
                        "pages": self.pages, "triples": len(self.graph) if self.graph is not None else None,
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


def _work(job: tuple[Path, str, str, str | None]) -> tuple[str, ReportRecord | None, str | None, str]:
    path, display, reader, cache_file = job
    try:
        record = extract_file(path, display, reader)
    except KgError as exc:
        return display, None, str(exc), ""
    if cache_file:
        Path(cache_file).write_bytes(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    return display, record, None, ""


def collect(paths: list[Path], reader: str = "pdfium", cache_dir: Path | None = None,
            workers: int | None = None, progress: bool = False) -> tuple[list[ReportRecord], list[FileResult], int]:
    """Records for every input; errors per file. Returns (records, file results, pages)."""
    inputs = discover(paths)
    version = code_version()
    results: dict[str, FileResult] = {}
    records: dict[str, ReportRecord] = {}
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
        if cache_file and cache_file.exists():
            record = pickle.loads(cache_file.read_bytes())
            record.source_file = display
            records[display] = record
            results[display] = FileResult(display, cached=True)
        else:
            jobs.append((path, display, reader, str(cache_file) if cache_file else None))
    for display, record, error, _ in _run(jobs, workers, progress):
        results[display] = FileResult(display, error=error)
        if record is not None:
            records[display] = record
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
    ordered = [records[d] for _, d in inputs if d in records]
    return _deduplicate(ordered, files), files, sum(r.page_count for r in ordered)


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

    Writes out_dir/graph.ttl and out_dir/build-report.json when out_dir is given.
    """
    from .rdf import DEFAULT_BASE, Mapper, serialize
    from .validate import validate_graph

    started = time.perf_counter()
    paths = [Path(p) for p in (paths or [SEEDS_DIR])]
    cache_dir = Path(out_dir) / ".kg-cache" if (cache and out_dir) else None
    records, files, pages = collect(paths, reader, cache_dir, workers, progress)
    graph = Mapper(base or DEFAULT_BASE).graph_of(records)
    report = validate_graph(graph) if validate else None
    result = BuildResult(records, files, graph, report, pages=pages)
    if out_dir:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        serialize(graph, out / "graph.ttl")
        result.seconds = time.perf_counter() - started
        (out / "build-report.json").write_text(json.dumps(result.report_dict(), indent=2, default=str) + "\n")
    result.seconds = time.perf_counter() - started
    return result
