"""Read an input file into a Document: normalised text per page, plus its hash.

Two PDF readers: pypdfium2 (default, fast) and pdfplumber (slower, layout-aware).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import errors
from .text import normalise_page, strip_markup

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}
READERS = ("pdfium", "pdfplumber")
MIN_CHARS_PER_PAGE = 20


@dataclass
class Document:
    path: str  # as shown to users and written to the graph (relative to the build root)
    pages: list[str]
    sha256: str
    reader: str
    _lines: list | None = field(default=None, repr=False, compare=False)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def lines(self) -> list[tuple[int, str]]:
        """(1-based page, line) for every non-empty line, running headers and footers removed."""
        if self._lines is None:
            repeated = running_lines(self.pages)
            self._lines = [(number, line) for number, page in enumerate(self.pages, 1)
                           for line, shape in zip(page.split("\n"), _shapes(page), strict=True)
                           if line and shape not in repeated]
        return self._lines


_DIGITS = re.compile(r"\d+")


def _shape(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())


def _shapes(page: str) -> list[str]:
    """_shape of every line of the page, in one pass over the page (neither lower-casing nor
    masking digits adds or removes a line break)."""
    return [shape.strip() for shape in _DIGITS.sub("#", page.lower()).split("\n")]


def running_lines(pages: list[str], edge: int = 3) -> set[str]:
    """Shapes (digits masked) of lines repeated at the top or bottom of many pages: running
    headers, footers and page numbers. Page 1 is never the only evidence."""
    if len(pages) < 4:
        return set()
    counts: Counter = Counter()
    for page in pages[1:]:
        lines = [line for line in page.split("\n") if line.strip()]
        counts.update({_shape(line) for line in lines[:edge] + lines[-edge:]})
    threshold = max(3, int(0.3 * (len(pages) - 1)))
    return {shape for shape, n in counts.items() if n >= threshold}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(path: Path, display: str | None = None, reader: str = "pdfium", data: bytes | None = None,
         sha256: str | None = None) -> Document:
    """Read one file (or its bytes, already read, and their sha256). Raises a kg.errors.KgError
    subclass naming the file and the reason."""
    display = display or str(path)
    if data is None:
        data = path.read_bytes()
    if not data.strip():
        raise errors.EmptyFile(display)
    digest = sha256 or sha256_of(data)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        raw_pages = _read_pdf(data, display, reader)
    elif suffix in TEXT_SUFFIXES:
        raw_pages = _read_text(data, display)
    else:
        raise errors.UnsupportedFormat(display, f"'{suffix or path.name}' is neither PDF nor text")
    if not raw_pages:
        raise errors.NoPages(display)
    pages = [normalise_page(p) for p in raw_pages]
    chars = sum(len(p) for p in pages)
    if chars < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        if suffix in PDF_SUFFIXES:
            raise errors.NoTextLayer(display, f"{len(pages)} page(s), almost no extractable text")
        raise errors.NotAnOfstedReport(display, f"only {chars} character(s) of text")  # no PDF, nothing to OCR
    return Document(display, pages, digest, reader if suffix in PDF_SUFFIXES else "text")


def _read_text(data: bytes, display: str) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise errors.UndecodableText(display, f"invalid byte 0x{data[exc.start]:02x} at offset {exc.start}") from None
    return strip_markup(text).split("\f")


def _check_pdf_header(data: bytes, display: str) -> None:
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return
    lowered = head.lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        raise errors.NotAPdf(display, "it is an HTML page saved with a .pdf name")
    raise errors.NotAPdf(display, "no %PDF- header")


def _read_pdf(data: bytes, display: str, reader: str) -> list[str]:
    _check_pdf_header(data, display)
    if b"%%EOF" not in data[-2048:]:
        raise errors.DamagedPdf(display, "truncated: the file does not end with the %%EOF marker")
    if reader == "pdfium":
        return _pages_pdfium(data, display)
    if reader == "pdfplumber":
        return _pages_pdfplumber(data, display)
    raise ValueError(f"unknown reader {reader!r}; choose from {', '.join(READERS)}")


def _pages_pdfium(data: bytes, display: str) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if _page_count(data) == 0:  # PDFium refuses a page-less file with "PDFium: Success"
            raise errors.NoPages(display) from None
        raise _classify_pdf_error(display, str(exc)) from None
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()


def _page_count(data: bytes) -> int | None:
    """The number of pages as pdfminer counts them (None if it cannot tell)."""
    import io

    try:
        from pdfminer.pdfpage import PDFPage

        return sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    except Exception:  # pdfminer raises many unrelated types: the caller reports PDFium's reason
        return None


def _pages_pdfplumber(data: bytes, display: str) -> list[str]:
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            # Text-flow order (as pypdfium2 reads) keeps table rows together; geometric order
            # interleaves a wrapped label with the grade beside it.
            return [page.extract_text(use_text_flow=True) or "" for page in pdf.pages]
    except PDFPasswordIncorrect:
        raise errors.EncryptedPdf(display) from None
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        # pdfplumber wraps pdfminer's exception (PdfminerException(PDFPasswordIncorrect()))
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower() \
                or "encrypt" in str(cause).lower():
            raise errors.EncryptedPdf(display) from None
        detail = " ".join(str(cause).split())
        raise errors.DamagedPdf(display, f"{type(cause).__name__}: {detail}" if detail else type(cause).__name__) from None


def _classify_pdf_error(display: str, message: str) -> errors.KgError:
    if "password" in message.lower():
        return errors.EncryptedPdf(display)
    return errors.DamagedPdf(display, message.strip())
