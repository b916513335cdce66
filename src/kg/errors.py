"""Typed errors: KgError and its subclasses are raised at the read/classify boundary (the build
catches them per file); OutputError when an output cannot be written."""
from __future__ import annotations


def printable(text: str) -> str:
    """Text (a path, or a message naming one) that can be printed and written: the bytes of a
    file name that are not UTF-8 (which Python keeps as lone surrogates) as \\xNN escapes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class KgError(Exception):
    """Base class: a problem with one input file, with a human reason."""

    reason = "cannot be processed"

    def __init__(self, path: str, detail: str = ""):
        self.path = str(path)
        self.detail = detail
        super().__init__(f"{self.path}: {self.reason}" + (f" ({detail})" if detail else ""))


class EmptyFile(KgError):
    reason = "file is empty"


class NotAPdf(KgError):
    reason = "not a PDF"


class DamagedPdf(KgError):
    reason = "damaged or truncated PDF"


class EncryptedPdf(KgError):
    reason = "PDF is encrypted (password protected)"


class NoPages(KgError):
    reason = "PDF has no pages"


class NoTextLayer(KgError):
    reason = "PDF has no text layer (scanned or image-only; OCR it first)"


class UndecodableText(KgError):
    reason = "text file is not UTF-8"


class NotAnOfstedReport(KgError):
    reason = "not an Ofsted children's services report"


class UnsupportedFormat(KgError):
    reason = "unsupported file type"


class ExtractionFailed(KgError):
    reason = "report recognised but key facts could not be extracted"


class OtherReportKind(KgError):
    reason = "an Ofsted report of a kind kg does not extract"


class InputFileError(Exception):
    """A file named on the command line (a query file) that exists but cannot be read as text."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: cannot read ({reason})")


class InterruptedAfterWriting(KeyboardInterrupt):
    """Ctrl-C or SIGTERM arrived while a build was writing its outputs: they were completed
    first (graph.ttl, the store and build-report.json agree), then the build stopped."""


class OutputError(Exception):
    """An output file or folder cannot be written (read-only, full disk, not a folder)."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: cannot write ({reason})")
