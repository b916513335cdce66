"""The extraction's fast paths give what their plain definitions give (issue #13, part 3).

Each fast version is checked against the plain one it replaced, on generated text rich in the
characters it treats specially: quotes, hyphens, spaces, tabs, line breaks, digits, sentence ends.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import common
from kg.readers import _shape, _shapes
from kg.tagging import _SENTENCE_END, _sentence
from kg.text import _SPACES, _TAB_IN_WORD, normalise_page
from conftest import examples

_SPECIAL = "\u2019\u2018\u201c\u201d\ufffe\u2500\u00ad\u2010\u2011\r\u2028\n\t \u00a0\u2009\u202f.!?'-#İ"
texts = st.text(alphabet=st.sampled_from(_SPECIAL + "abcXYZ019"), max_size=200)

_PLAIN_MAP = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
    "\ufffe": "-", "\u2500": "-", "\u00ad": "-", "\u2010": "-", "\u2011": "-",
    "\r": "\n", "\u2028": "\n",
})


def plain_normalise_page(text: str) -> str:
    text = text.translate(_PLAIN_MAP)
    text = _TAB_IN_WORD.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


@given(texts)
@settings(max_examples=examples(300))
def test_normalise_page_is_the_plain_definition(text):
    assert normalise_page(text) == plain_normalise_page(text)


def test_normalise_page_unifies_quotes_and_hyphens_and_joins_artefact_tabs():
    assert normalise_page("Chil\tdren\u2019s  well\u2010being\r\u201cok\u201d ") == "Children's well-being\n\"ok\""


@given(texts)
@settings(max_examples=examples(300))
def test_line_shapes_of_a_page_are_the_shapes_of_its_lines(page):
    assert _shapes(page) == [_shape(line) for line in page.split("\n")]


def plain_sentence_start(text: str, start: int) -> int:
    return max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)


@given(st.text(alphabet=st.sampled_from(". !?\nab"), max_size=80), st.data())
@settings(max_examples=examples(300))
def test_the_sentence_around_a_theme_is_found_as_by_scanning_from_the_start(text, data):
    # a theme phrase starts at a letter: the sentence around it, however the text is punctuated
    text = text + "care"
    starts = [i for i, ch in enumerate(text) if ch.isalpha()]
    start = data.draw(st.sampled_from(starts))
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    left = plain_sentence_start(text, start)
    right = _SENTENCE_END.search(text, start + 1)
    plain = " ".join(text[left:right.end() if right else len(text)].split())
    assert _sentence(text, ends, start, start + 1) == plain  # (short texts: never cut to 400 characters)


def test_a_sentence_begins_right_after_a_full_stop_even_without_a_space():
    text = "Plans drift.Domestic abuse is seen. Next one."
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    start = text.index("Domestic")
    assert _sentence(text, ends, start, start + 8) == "Domestic abuse is seen."
    start = text.index("Next")
    assert _sentence(text, ends, start, start + 4) == "Next one."


def test_section_headings_are_one_pattern_with_one_group_per_heading_in_order():
    assert common._SECTION_RE.groups == len(common.SECTION_HEADINGS)
    for line in ["The experiences and progress of children in care and care leavers",
                 "Experiences and progress of children in care",
                 "Leadership, management and governance",
                 "Information about this inspection"]:
        plain = next((area for pattern, area in common.SECTION_HEADINGS if re.match(pattern, line, re.I)), False)
        assert common._section_heading(line) == plain
    assert common._section_heading("The experiences and progress of children in care and care leavers") \
        == "ChildrenInCareAndCareLeavers"
    assert common._section_heading("Leadership, management and governance 12") is False  # contents page


# The thesaurus' pattern as it was: each separator run matched by a character class in the
# pattern itself, on the text as given (compiled once here; ~0.2 s, the reason for the change).
_OLD_SEP = r"[\s\-\u00ad\u2010\u2011\u2012\u2013\ufffe]*"


@pytest.fixture(scope="module")
def old_pattern():
    from kg.thesaurus import _SEP, tagger

    return re.compile(tagger().pattern.pattern.replace(_SEP, _OLD_SEP), re.IGNORECASE)


_SEPARATORS = " \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2003\u2028\u2029\u202f\u3000-\u00ad\u2010\u2011\u2012\u2013\ufffe"


@st.composite
def theme_texts(draw):
    """Text made of the thesaurus' own labels, each gap between their words a random run of
    separators (or of other characters), with random words and punctuation around them."""
    from kg.thesaurus import tagger

    labels = sorted(tagger().labels.values()) + ["Children's services", "well-being", "child sexual exploitation"]
    gap = st.text(alphabet=st.sampled_from(_SEPARATORS + ",'\u2019\u02bc.a"), max_size=3)
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        words = re.split(r"[ \-]", draw(st.sampled_from(labels)))
        case = draw(st.sampled_from([str, str.upper, str.lower]))
        parts.append("".join(case(w) + (draw(gap) if i < len(words) - 1 else "") for i, w in enumerate(words)))
        parts.append(draw(st.sampled_from(["", "s", "es", "'s", "\u2019s", "x"])) + draw(gap))
    return "".join(parts)


@given(theme_texts())
@settings(max_examples=examples(300))
def test_themes_are_found_where_the_pattern_on_the_text_as_given_finds_them(old_pattern, text):
    from kg.thesaurus import tagger

    assert [(m.start, m.end) for m in tagger().find(text)] == [m.span() for m in old_pattern.finditer(text)]
