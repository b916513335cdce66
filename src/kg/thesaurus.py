"""The theme thesaurus (ontology/vocab/themes.ttl) and finding its themes in text.

(kg.tagging applies it to records: recommendations and findings per judgement area.)

Every skos:prefLabel and skos:altLabel of a theme is a phrase to look for. All phrases are
compiled into ONE regular expression, built as a trie so that it stays fast on whole reports
(a few MB per second) and so that, where phrases overlap, the longest one wins.

Matching is tolerant of PDF-extracted text, so the text itself is never rewritten and match
offsets always point into the text as given:
  * a space or hyphen inside a phrase matches any run of whitespace and hyphens (including
    the U+FFFE and soft hyphens that PDF extraction leaves at line ends), or nothing (the
    pattern runs on a copy of the text with each of those characters made a space):
    "well-being" matches "well-\\nbeing", "wellbeing" and "well being"; a comma in a phrase
    ("education, employment and training") is optional;
  * curly and straight apostrophes are alike, and an apostrophe may be missing;
  * a trailing "s", "es" or "'s" is accepted (labels are written in the singular);
  * a word of two or more capitals in a label (CSE, MASH, PLO, DoLS) only matches exactly
    as written; everything else matches in any case.
A narrower theme does not add its broader one: infer that through skos:broader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .graphio import read_triples
from .paths import THEMES_FILE

THEMES_TTL = THEMES_FILE
THEME_NS = "https://w3id.org/ofsted-kg/def/theme/"
SCHEME = "https://w3id.org/ofsted-kg/def#ThemeScheme"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_IN_SCHEME, _PREF_LABEL, _ALT_LABEL = _SKOS + "inScheme", _SKOS + "prefLabel", _SKOS + "altLabel"

# Between the words of a phrase: any run of whitespace, hyphens, soft hyphens and the U+FFFE PDF
# extraction leaves at line ends. find() searches a copy of the text in which each of those
# characters is one space (the same length, so offsets hold; none of them is a word character,
# so \b is where it was): " *" compiles ~5x faster than their character class, ~740 times over.
_SEPARATOR = re.compile(r"[^\S ]|[\-\u00ad\u2010\u2011\u2012\u2013\ufffe]")
_SEP = " *"
_APOSTROPHE = r"['\u2018\u2019\u02bc]?"
_SUFFIX = r"(?:['\u2018\u2019\u02bc]s|e?s)?"
_WORD = re.compile(r"[\w&]+")

# Units of a phrase, the keys of the trie:
# ("c", char) | ("A", ABBREVIATION) | ("-",) a gap | (",",) a gap with a comma | ("'",)
Unit = tuple[str, ...]
_END: Unit = ("$",)


@dataclass(frozen=True)
class ThemeMatch:
    theme: str   # concept local id, e.g. "domestic-abuse"
    phrase: str  # the text that matched, whitespace and hyphens normalised
    start: int   # offsets into the text as given
    end: int


def _is_abbreviation(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


def _units(label: str) -> list[Unit]:
    units: list[Unit] = []
    pos = 0
    for word in _WORD.finditer(label):
        gap = label[pos:word.start()]
        if units:
            if re.search(r"['\u2019]", gap):
                units.append(("'",))
            if "," in gap:
                units.append((",",))
            elif re.search(r"[^'\u2019]", gap):
                units.append(("-",))
        if _is_abbreviation(word.group()):
            units.append(("A", word.group()))
        else:
            units.extend(("c", ch) for ch in word.group().lower())
        pos = word.end()
    return units


def _key(text: str) -> str:
    """Comparison key of a label or matched text: lower-case letters, digits and '&' only."""
    return re.sub(r"[^0-9a-z&]", "", text.lower())


def _unit_regex(unit: Unit) -> str:
    if unit[0] == "c":
        return re.escape(unit[1])
    if unit[0] == "A":
        return f"(?-i:{re.escape(unit[1])})"
    if unit[0] == ",":
        return f"{_SEP},?{_SEP}"
    return _SEP if unit[0] == "-" else _APOSTROPHE


def _trie_regex(node: dict) -> str:
    branches = [_unit_regex(unit) + _trie_regex(child)
                for unit, child in sorted(node.items()) if unit != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:  # greedy optional: a longer phrase is tried before stopping here
        return f"(?:{body})?"
    return body


def clean_phrase(text: str) -> str:
    """Normalise matched text: one space between words, plain hyphens and apostrophes."""
    text = re.sub(r"[\u00ad\u2010\u2011\ufffe]", "-", text)
    text = re.sub(r"[\u2018\u2019\u02bc]", "'", text)
    text = re.sub(r"-\s+", "-", text)
    return re.sub(r"\s+", " ", text).strip()


class ThemeTagger:
    """The themes of one vocabulary file and the compiled pattern that finds them."""

    def __init__(self, path: Path | str = THEMES_TTL) -> None:
        # Oxigraph's parser: ~20x faster than rdflib's, and every process tagging reports parses it
        concepts, prefs, alts = set(), {}, {}
        for triple in read_triples(path):
            subject, predicate, value = triple.subject.value, triple.predicate.value, triple.object.value
            if predicate == _IN_SCHEME and value == SCHEME:
                concepts.add(subject)
            elif predicate == _PREF_LABEL:
                prefs.setdefault(subject, value)
            elif predicate == _ALT_LABEL:
                alts.setdefault(subject, set()).add(value)
        self.labels: dict[str, str] = {}      # theme id -> prefLabel
        self._phrases: dict[str, str] = {}    # phrase key -> theme id
        self._known: dict[str, tuple[str, str]] = {}  # matched text -> (theme id, phrase)
        trie: dict = {}
        for concept in sorted(concepts):
            theme = concept.removeprefix(THEME_NS)
            pref = str(prefs.get(concept))
            self.labels[theme] = pref
            for label in sorted({pref, *alts.get(concept, ())}):
                self._add(trie, theme, label)
        first = "".join(sorted({re.escape(unit[1][0].lower()) for unit in trie}))
        # the look-ahead lets the engine skip most positions without entering the trie
        self.pattern = re.compile(rf"\b(?=[{first}]){_trie_regex(trie)}{_SUFFIX}\b",
                                  re.IGNORECASE)

    def _add(self, trie: dict, theme: str, label: str) -> None:
        key = _key(label)
        if self._phrases.setdefault(key, theme) != theme:
            raise ValueError(f"label {label!r} of {theme} is also a label of {self._phrases[key]}")
        node = trie
        for unit in _units(label):
            node = node.setdefault(unit, {})
        node[_END] = {}

    def theme_of(self, matched: str) -> str:
        key = _key(matched)
        for candidate in (key, key[:-1], key[:-2]):
            if candidate in self._phrases:
                return self._phrases[candidate]
        raise KeyError(matched)  # cannot happen: the pattern only matches labels

    def find(self, text: str) -> list[ThemeMatch]:
        found = []
        for m in self.pattern.finditer(_SEPARATOR.sub(" ", text)):
            matched = text[m.start():m.end()]
            known = self._known.get(matched)
            if known is None:  # the same few thousand strings recur: resolve each once
                known = self._known[matched] = (self.theme_of(matched), clean_phrase(matched))
            found.append(ThemeMatch(known[0], known[1], m.start(), m.end()))
        return found


@lru_cache(maxsize=None)
def tagger(path: Path | str | None = None) -> ThemeTagger:
    """The tagger for a vocabulary file (default: the project's themes.ttl), loaded once."""
    return ThemeTagger(Path(path) if path else THEMES_TTL)


def find_themes(text: str, vocab: Path | str | None = None) -> list[ThemeMatch]:
    """All theme phrases in the text, in document order; overlapping phrases: longest wins."""
    return tagger(vocab).find(text)


def themes_of(text: str, vocab: Path | str | None = None) -> list[str]:
    """Sorted unique ids of the themes the text mentions."""
    return sorted({m.theme for m in find_themes(text, vocab)})


def theme_labels(vocab: Path | str | None = None) -> dict[str, str]:
    """Theme id -> prefLabel."""
    return dict(tagger(vocab).labels)
