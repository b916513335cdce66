"""Plain records passed from the extractors to the RDF mapping. No IRIs here."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Finding:
    """Something the build wants a person to know about one input, shaped like a SHACL result.

    severity 'warning': a fact the report should contain was not found (or is doubtful), so the
    parser may have missed it; severity 'info': a recognised absence (the place where the fact
    would be printed exists and says so). `code` is stable ('missing-judgement',
    'no-lead-inspector', 'duplicate-report', ...) so findings can be counted and filtered.
    """

    code: str
    message: str
    file: str
    page: int | None = None
    snippet: str = ""
    severity: str = "warning"  # "warning" or "info"

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "file": self.file, "page": self.page,
                "snippet": self.snippet, "message": self.message}

    def __str__(self) -> str:
        where = f" (page {self.page})" if self.page else ""
        quote = f': "{self.snippet}"' if self.snippet else ""
        return f"[{self.code}] {self.message}{where}{quote}"


@dataclass(frozen=True)
class Authority:
    urn: str
    name: str
    la_code: str
    gss_code: str
    region: str


@dataclass
class Judgement:
    area: str  # local name in the area scheme, e.g. "HelpAndProtection"
    grade: str  # local name in the grade scheme, e.g. "RequiresImprovement"
    page: int
    evidence: str


@dataclass
class Role:
    name: str  # clean display name, titles removed
    role: str  # local name in the role scheme, e.g. "LeadInspector"
    page: int
    evidence: str
    label: str = ""  # the role label as printed ("Shadow senior data analyst")


@dataclass
class Recommendation:
    order: int
    text: str
    page: int
    addressee: str = "local authority"  # or "LSCB"
    themes: list[tuple[str, str]] = field(default_factory=list)  # (theme id, matched phrase)


@dataclass
class ThemeMention:
    theme: str
    area: str | None  # judgement area whose findings mention it; None = whole document
    count: int
    page: int
    phrase: str
    evidence: str


@dataclass
class Section:
    """A stretch of a report's findings under one judgement area."""

    area: str | None
    lines: list[tuple[int, str]]  # (page, line)

    @property
    def page(self) -> int:
        return self.lines[0][0] if self.lines else 1


@dataclass
class Period:
    start: date
    end: date


@dataclass
class ReportRecord:
    """Everything extracted from one input document."""

    source_file: str
    sha256: str
    page_count: int
    kind: str  # "SIFInspection", "ILACSInspection", ..., or "SelfEvaluation"
    authority: Authority
    title: str = ""
    issued: date | None = None
    periods: list[Period] = field(default_factory=list)
    inspection_type: str | None = None
    visit_number: int | None = None
    delivered_by: str | None = None
    judgements: list[Judgement] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    theme_mentions: list[ThemeMention] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)  # severity "warning"
    info: list[Finding] = field(default_factory=list)  # recognised absences, severity "info"

    @property
    def start(self) -> date | None:
        return self.periods[0].start if self.periods else None

    @property
    def end(self) -> date | None:
        return self.periods[-1].end if self.periods else None

    def warn(self, code: str, message: str, page: int | None = None, snippet: str = "",
             severity: str = "warning") -> None:
        """Add a Finding about this record: to `warnings`, or to `info` for a recognised absence."""
        finding = Finding(code, message, self.source_file, page, _cut(snippet, SNIPPET_CHARS), severity)
        (self.info if severity == "info" else self.warnings).append(finding)

    def grade_of(self, area: str) -> str | None:
        return next((j.grade for j in self.judgements if j.area == area), None)


SNIPPET_CHARS = 240  # the longest quote a finding keeps


def _cut(text: str, limit: int) -> str:
    """text if it fits in limit characters, else as much of it as fits, cut at a word, and "…"
    (a quote cut short is marked, not passed off as the whole)."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head[limit // 2:] else head).rstrip() + "…"
