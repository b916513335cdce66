"""Report kinds: recognise a read document, extract it with its kind's module, audit the record.

Every extractor module implements one small interface:

    KINDS: tuple[str, ...]                         the ontology classes it produces
    recognise(first_lines: list[str]) -> str|None  the kind, from page 1's first lines as printed
    extract(doc, index) -> ReportRecord            plain records (no IRIs)

EXTRACTORS lists them once, most specific title first; adding a format = adding a module here.
"""
from __future__ import annotations

import re

from ..authorities import AuthorityIndex, default_index
from ..errors import NotAnOfstedReport, OtherReportKind
from ..readers import Document
from ..records import ReportRecord
from . import common, ilacs, legacy, lscb, selfeval, sif, visits
from .audit import audit

EXTRACTORS = (visits, selfeval, legacy, sif, lscb, ilacs)
KINDS = {kind: module for module in EXTRACTORS for kind in module.KINDS}

# Ofsted publications about children's services that are not local authority inspections.
OTHER_OFSTED = re.compile(r"joint targeted area inspection|area SEND inspection|local area SEND|"
                          r"children'?s home inspection|inspection of (?:the )?(?:fostering|adoption) (?:agency|service)|"
                          r"secure training centre|youth offending", re.I)


def classify(doc: Document) -> str:
    """The report kind (ontology class local name), or NotAnOfstedReport / OtherReportKind.

    Read from page 1 as printed, before running headers and footers are removed."""
    first = common.first_lines(doc)
    for module in EXTRACTORS:
        kind = module.recognise(first)
        if kind:
            return kind
    other = next((m.group(0) for line in first[:15] if (m := OTHER_OFSTED.search(line))), None)
    if other:
        raise OtherReportKind(doc.path, f"'{other}', not a local authority children's services inspection or visit")
    raise NotAnOfstedReport(doc.path, "no known report title (SIF, ILACS, 2012-13, LSCB review, "
                            "monitoring or focused visit, self-evaluation) on its first page")


def extract(doc: Document, index: AuthorityIndex | None = None) -> ReportRecord:
    """The record of one document, with a warning for everything its kind should contain but
    was not found (see audit.py) and info for what the report says it lacks."""
    index = index or default_index()
    kind = classify(doc)
    record = KINDS[kind].extract(doc, index)
    record.delivered_by = index.delivery_body("\n".join(doc.pages[:4]), record.authority)
    return audit(record, common.lines_of(doc))
