"""What a build produced: per-file results, the records, the graph, findings and timings."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import __version__
from ..records import Finding, ReportRecord


@dataclass
class FileResult:
    source_file: str
    kind: str | None = None
    authority: str | None = None
    facts: dict[str, int] = field(default_factory=dict)
    warnings: list[Finding] = field(default_factory=list)
    info: list[Finding] = field(default_factory=list)
    error: str | None = None
    cached: bool = False
    duplicate: bool = False  # the same report as an earlier file: built once, from that file

    def as_dict(self) -> dict:
        return {"source_file": self.source_file, "kind": self.kind, "authority": self.authority,
                "facts": self.facts, "error": self.error, "cached": self.cached, "duplicate": self.duplicate,
                "warnings": [f.as_dict() for f in self.warnings], "info": [f.as_dict() for f in self.info]}


@dataclass
class BuildResult:
    records: list[ReportRecord]
    files: list[FileResult]
    pages: int = 0
    turtle: bytes = b""
    triples: int = 0
    validation: object = None  # kg.validate.ValidationReport, or None if not validated
    unchanged: bool = False  # nothing changed since the last build into the same folder
    written: bool = False  # outputs were written (never when no input could be built)
    store: str | None = None  # how the store was written: "loaded" (whole), "updated" (difference)
    findings: list[Finding] = field(default_factory=list)  # about the build as a whole (cache, possible same person)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase
    _graph: object = None

    @property
    def graph(self):
        """The graph as an rdflib.Graph (parsed on first use)."""
        if self._graph is None:
            from ..graphio import parse_graph
            from ..rdf import new_graph

            self._graph = parse_graph(self.turtle, "turtle", new_graph())
        return self._graph

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    @property
    def warnings(self) -> list[Finding]:
        """Warning findings about the inputs (extraction warnings, duplicates)."""
        return [w for f in self.files for w in f.warnings]

    def report_dict(self) -> dict:
        validation = self.validation
        return {
            "kg_version": __version__,
            "files": [f.as_dict() for f in self.files],
            "findings": [f.as_dict() for f in self.findings],
            "violations": [str(v) for v in validation.results] if validation is not None else [],
            "summary": {"inputs": len(self.files), "built": len(self.records), "failed": len(self.errors),
                        "duplicates": sum(f.duplicate for f in self.files),
                        "warnings": len(self.warnings),
                        "files_with_warnings": sum(1 for f in self.files if f.warnings),
                        "store": self.store, "pages": self.pages, "triples": self.triples, "unchanged": self.unchanged,
                        "seconds": round(self.seconds, 2),
                        "phases": {k: round(v, 2) for k, v in self.phases.items()},
                        "conforms": validation.conforms if validation is not None else None,
                        "violations": len(validation.results) if validation is not None else None},
        }
