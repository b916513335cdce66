"""Worker side of the build: a batch of files -> records, their triples and SHACL results.

Each worker process handles one batch end to end and validates the batch's records together
while their graphs are still in memory (pySHACL runs on one core, so batches give the
parallelism; no graph is serialised and parsed again just to be validated).
"""
from __future__ import annotations

import pickle
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import KgError
from .extract import extract
from .readers import read
from .records import ReportRecord
from .theming import tag


@dataclass
class Job:
    path: Path
    display: str
    reader: str
    cache_file: str | None


@dataclass
class Outcome:
    display: str
    record: ReportRecord | None = None
    error: str | None = None
    ntriples: str = ""
    violations: list[dict] = field(default_factory=list)  # kg.validate.Violation as dicts


def extract_file(path: Path, display: str, reader: str = "pdfium") -> ReportRecord:
    """Read, classify, extract and theme-tag one file (raises KgError on bad input)."""
    return tag(extract(read(path, display, reader)))


def run_batch(jobs: list[Job], base: str, validate: bool, progress=None) -> list[Outcome]:
    """Extract, map and (optionally) validate a batch; writes each record's cache entry."""
    from .rdf import Mapper, record_key, to_ntriples, vocabulary_graph

    mapper = Mapper(base)
    outcomes: list[Outcome] = []
    graphs = {}
    for job in jobs:
        try:
            record = extract_file(job.path, job.display, job.reader)
        except KgError as exc:
            outcomes.append(Outcome(job.display, error=str(exc)))
        else:
            graph = mapper.record_graph(record)
            graphs[record.sha256] = graph
            outcomes.append(Outcome(job.display, record, ntriples=to_ntriples(graph)))
        if progress is not None:
            progress.put(1)
    built = [o for o in outcomes if o.record is not None]
    if validate and built:
        from .validate import validate_graph

        union = vocabulary_graph()
        for graph in graphs.values():
            union += graph
        union += mapper.inspector_names([o.record for o in built])
        owners = [(o, (f"{mapper.base}inspection/{record_key(o.record)}", f"{mapper.base}report/{record_key(o.record)}"))
                  for o in built]
        for violation in validate_graph(union).results:
            owner = next((o for o, starts in owners if any(
                violation.focus == s or violation.focus.startswith(s + "/") for s in starts)), None)
            # A shared node (authority, inspector) is charged to every record of the batch.
            for o in [owner] if owner else built:
                o.violations.append(asdict(violation))
    for job, outcome in zip(jobs, outcomes):
        if job.cache_file and outcome.record is not None:
            Path(job.cache_file).write_bytes(pickle.dumps(
                (outcome.record, outcome.ntriples, outcome.violations if validate else None),
                protocol=pickle.HIGHEST_PROTOCOL))
    return outcomes


def partition(jobs: list[Job], batches: int) -> list[list[Job]]:
    """Split jobs into batches of about equal total file size (largest first, greedy)."""
    bins: list[list[Job]] = [[] for _ in range(max(1, batches))]
    sizes = [0] * len(bins)
    for job in sorted(jobs, key=lambda j: (-j.path.stat().st_size, j.display)):
        smallest = sizes.index(min(sizes))
        bins[smallest].append(job)
        sizes[smallest] += job.path.stat().st_size
    return [sorted(b, key=lambda j: j.display) for b in bins if b]
