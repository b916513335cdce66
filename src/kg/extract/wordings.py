"""Wordings of judgement areas, grades and roles, read from the SKOS vocabularies.

The vocabularies in ontology/vocab/ (skos:prefLabel, skos:altLabel, skos:hiddenLabel) are the
single source of the phrases reports print: a new wording is a new label there, never a new
regular expression here. A label matches with any run of white space between its words,
an optional comma where it has one, straight or curly apostrophes, and in any case.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import SKOS

from ..graphio import load_graph
from ..paths import VOCAB_DIR

KG = "https://w3id.org/ofsted-kg/def#"
_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


@lru_cache(maxsize=None)
def labels(scheme_file: str) -> dict[str, str]:
    """{lower-cased label: concept local name} for every concept of one vocabulary file."""
    graph = load_graph(VOCAB_DIR / scheme_file)
    found: dict[str, str] = {}
    for predicate in _LABELS:
        for concept, label in sorted(graph.subject_objects(predicate)):
            if isinstance(concept, URIRef) and str(concept).startswith(KG):
                found.setdefault(normalise(str(label)), str(concept)[len(KG):])
    return found


def normalise(label: str) -> str:
    return " ".join(label.lower().replace("\u2019", "'").replace(",", " ").split())


def phrase(label: str) -> str:
    """A regular expression for one label, tolerant of line breaks, commas and apostrophes."""
    words = normalise(label).split()
    parts = [re.escape(w).replace("'", "['\u2019]?") for w in words]
    return r",?\s+".join(parts)


def alternation(texts) -> str:
    """Labels as one alternation, longest first so the longest wording wins at a position."""
    return "|".join(phrase(t) for t in sorted(set(texts), key=lambda t: (-len(t), t)))
