"""Normalising text from PDFs and from text/Markdown/HTML conversions into plain lines."""
from __future__ import annotations

import html
import re

_SUP = re.compile(r"<sup>.*?</sup>", re.I | re.S)
_BLOCK_TAG = re.compile(r"</?(p|div|br|li|h[1-6]|tr)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]{1,200}>")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_MD_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
# A tab between two lower-case letters is a PDF artefact splitting a word ("Chil\tdren").
_TAB_IN_WORD = re.compile(r"(?<=[a-z])\t+(?=[a-z])")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")

# Single characters replaced by single characters. str.replace per character present is ~40x
# faster than str.translate with a dict on these pages (measured over the dev corpus).
_CHAR_MAP = (
    ("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'),
    ("\ufffe", "-"), ("\u2500", "-"), ("\u00ad", "-"), ("\u2010", "-"), ("\u2011", "-"),
    ("\r", "\n"), ("\u2028", "\n"),
)


def strip_markup(text: str) -> str:
    """Remove the HTML and Markdown markup that text conversions of reports carry."""
    if "<" in text:
        text = _SUP.sub("", text)
        text = _BLOCK_TAG.sub("\n", text)
        text = _ANY_TAG.sub("", text)
    text = html.unescape(text)
    text = _MD_HEADING.sub("", text)
    return _MD_BOLD.sub(r"\2", text)


def normalise_page(text: str) -> str:
    """One page of text: unified quotes and hyphens, artefact tabs joined, spaces collapsed."""
    for char, replacement in _CHAR_MAP:
        if char in text:
            text = text.replace(char, replacement)
    if "\t" in text:
        text = _TAB_IN_WORD.sub("", text)
    text = _SPACES.sub(" ", text)  # the spaces never include a line break: one pass per page
    return "\n".join(line.strip() for line in text.split("\n"))


def squash(text: str) -> str:
    """Collapse all whitespace (including newlines) to single spaces."""
    return " ".join(text.split())
