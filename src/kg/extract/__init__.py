"""Extractor registry: classify a read document and hand it to its format's module.

Each module offers `matches(first_lines) -> bool` (visits: `kind_of`) and
`extract(doc, index) -> ReportRecord`. Adding a format = adding a module here.
"""
from __future__ import annotations

from ..authorities import AuthorityIndex, default_index
import re

from ..errors import NotAnOfstedReport, OtherReportKind
from ..readers import Document
from ..records import ReportRecord
from . import ilacs, legacy, lscb, selfeval, sif, visits

# Order matters: the most specific title patterns first.
FORMATS = [("visit letter", None), ("self-evaluation", selfeval), ("legacy 2012-13", legacy),
           ("SIF", sif), ("LSCB review", lscb), ("ILACS", ilacs)]


# Ofsted publications about children's services that are not local authority inspections.
OTHER_OFSTED = re.compile(r"joint targeted area inspection|area SEND inspection|local area SEND|"
                          r"children'?s home inspection|inspection of (?:the )?(?:fostering|adoption) (?:agency|service)|"
                          r"secure training centre|youth offending", re.I)


def classify(doc: Document) -> str:
    """The report kind (ontology class local name), or NotAnOfstedReport / OtherReportKind."""
    first = [line for _, line in doc.lines()[:40]]
    kind = visits.kind_of(first)
    if kind:
        return kind
    for _, module in FORMATS[1:]:
        if module.matches(first):
            return module.KIND
    other = next((m.group(0) for line in first[:15] if (m := OTHER_OFSTED.search(line))), None)
    if other:
        raise OtherReportKind(doc.path, f"'{other}', not a local authority children's services inspection or visit")
    raise NotAnOfstedReport(doc.path, "no known report title (SIF, ILACS, 2012-13, LSCB review, "
                            "monitoring or focused visit, self-evaluation) on its first page")


_BY_KIND = {m.KIND: m for _, m in FORMATS if m is not None}


def extract(doc: Document, index: AuthorityIndex | None = None) -> ReportRecord:
    index = index or default_index()
    kind = classify(doc)
    record = _BY_KIND.get(kind, visits).extract(doc, index)
    record.delivered_by = index.delivery_body("\n".join(doc.pages[:4]), record.authority)
    return record
