"""`kg build`: report files -> one validated, deterministic graph in an output folder.

    inputs.py     plan: find the input files, read each once, hash it
    cache.py      the extraction cache: content-hash keys, JSON entries, last-build state
    workers.py    extract in worker processes: record -> N-Triples -> SHACL per batch
    assemble.py   one report per inspection (duplicates), merged graph, cross-report SHACL
    write.py      graph.ttl, the persistent store and build-report.json, each atomically
    result.py     BuildResult / FileResult and the build report
    pipeline.py   build(): the steps above in order
"""
from __future__ import annotations

from .pipeline import build, code_version
from .result import BuildResult, FileResult
from .workers import extract_file

__all__ = ["build", "BuildResult", "FileResult", "code_version", "extract_file"]
