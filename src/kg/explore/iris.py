"""Which path dereferences which IRI, and how a page links to another.

Instances (`https://w3id.org/ofsted-kg/id/<rest>`) live at `/id/<rest>`; ontology terms and
concepts at `/def/<name>` (`…/def#<name>`) and `/def/theme/<name>` (`…/def/theme/<name>`); the
ontology itself at `/def`. A page is identified by its *key*, the path without the leading
slash (`id/authority/dudley`); nodes minted under an inspection (its judgements, roles,
recommendations) are shown on the inspection's page, at an anchor.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..rdf import DEFAULT_BASE, KG

VOCAB = str(KG).rstrip("#")           # https://w3id.org/ofsted-kg/def
HOME = "id/"                          # the explorer's home page
SUFFIXES = {".html": "html", ".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples"}


def key_of(iri: str, base: str = DEFAULT_BASE) -> str | None:
    """The page key of an IRI the graph mints, or None for an IRI from elsewhere."""
    if iri.startswith(base) and len(iri) > len(base):
        return "id/" + iri[len(base):]
    if iri == VOCAB:
        return "def"
    for sep in ("#", "/"):
        if iri.startswith(VOCAB + sep) and len(iri) > len(VOCAB) + 1:
            return "def/" + iri[len(VOCAB) + 1:]
    return None


def iris_of(key: str, base: str = DEFAULT_BASE) -> list[str]:
    """The IRIs a key may stand for, most likely first."""
    if key.startswith("id/") and len(key) > 3:
        return [base + key[3:]]
    if key == "def":
        return [VOCAB]
    if key.startswith("def/") and len(key) > 4:
        rest = key[4:]
        return [f"{VOCAB}/{rest}"] if "/" in rest else [f"{VOCAB}#{rest}", f"{VOCAB}/{rest}"]
    return []


def page_key(key: str) -> tuple[str, str | None]:
    """The page a key is shown on and the anchor in it: nodes under an inspection
    (id/inspection/x/judgement/y) are anchors of id/inspection/x."""
    parts = key.split("/")
    if parts[0] == "id" and len(parts) > 3:
        return "/".join(parts[:3]), "/".join(parts[3:])
    return key, None


@dataclass(frozen=True)
class Links:
    """Hrefs between pages: absolute paths under `kg serve`, relative files in a static site."""
    static: bool = False
    here: str = HOME          # the key of the page being written (static sites)
    sparql: str | None = "/"  # the SPARQL query page, if there is one

    def file(self, key: str, suffix: str = ".html") -> str:
        """The site file of a page key (static layout)."""
        return "index.html" if key == HOME else key + suffix

    def href(self, key: str, suffix: str = "") -> str:
        target, anchor = page_key(key)
        fragment = "#" + quote(anchor, safe="/-_.") if anchor else ""
        if not self.static:
            path = "/" + quote(target, safe="/-_.~") + suffix
            return path + fragment
        return quote(self._relative(self.file(target, suffix or ".html")), safe="/-_.~") + fragment

    def asset(self, name: str) -> str:
        return "/id/_assets/" + name if not self.static else self._relative("_assets/" + name)

    def void(self) -> str:
        return "/.well-known/void" if not self.static else self._relative("void.ttl")

    def _relative(self, target: str) -> str:
        """target (a site file) relative to the page being written (both site-relative paths;
        posixpath.relpath would ask the OS for the working directory on every link)."""
        here = self.file(self.here).split("/")[:-1]
        parts = target.split("/")
        common = 0
        while common < len(here) and common < len(parts) - 1 and here[common] == parts[common]:
            common += 1
        return "/".join([".."] * (len(here) - common) + parts[common:])
