"""Small HTML helpers and the page layout (assets/page.html)."""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from html import escape
from importlib import resources
from string import Template

from .iris import SUFFIXES, Links


def esc(value) -> str:
    return escape("" if value is None else str(value))


def link(href: str, text, **attrs) -> str:
    extra = "".join(f' {k.rstrip("_")}="{esc(v)}"' for k, v in attrs.items() if v is not None)
    return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


def day(value: str | None) -> str:
    """An ISO date as a <time> a person reads ('11 Jan 2016')."""
    if not value:
        return ""
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return esc(value)
    return f'<time datetime="{d.isoformat()}">{d.day} {d.strftime("%b %Y")}</time>'


def grade(label: str | None, rank: str | None) -> str:
    if not label:
        return ""
    return f'<span class="grade r{esc(rank or 0)}">{esc(label)}</span>'


def table(headers: list[str], rows: list[list[str]], *, stack: bool = True, caption: str | None = None) -> str:
    """A table of already-escaped cells; on a phone its rows stack (class 'stack')."""
    if not rows:
        return ""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption class=\"muted\">{esc(caption)}</caption>" if caption else ""
    return (f'<div class="scroll"><table class="{"stack" if stack else ""}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def facts(pairs: list[tuple[str, str]]) -> str:
    """A definition list of already-escaped values, empty values left out."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs if v)
    return f'<dl class="facts">{items}</dl>' if items else ""


def section(title: str, content: str, empty: str | None = None, id: str | None = None) -> str:
    if not content:
        if empty is None:
            return ""
        content = f'<p class="muted">{esc(empty)}</p>'
    ident = f' id="{esc(id)}"' if id else ""
    return f"<section{ident}><h2>{esc(title)}</h2>{content}</section>"


def json_script(ident: str, data) -> str:
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="{esc(ident)}">{blob}</script>'


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    return resources.files("kg.explore").joinpath("assets", name).read_text(encoding="utf-8")


def layout(*, links: Links, key: str, iri: str | None, title: str, kind: str, body: str,
           search: bool = False) -> str:
    """The whole page: navigation, heading, body, and links to the same resource as data."""
    data = [(name, suffix) for suffix, name in SUFFIXES.items() if name != "html"]
    label = {"turtle": "Turtle", "jsonld": "JSON-LD", "ntriples": "N-Triples"}
    media = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples"}
    if links.static:  # a static site carries the Turtle beside each page
        data = [("turtle", ".ttl")]
    formats = ", ".join(link(links.href(key, suffix), label[name]) for name, suffix in data) if iri else \
        link(links.void(), "VoID (Turtle)")
    alternates = "\n".join(f'<link rel="alternate" type="{media[name]}" href="{esc(links.href(key, suffix))}">'
                           for name, suffix in data) if iri else ""
    sparql = link(links.sparql, "SPARQL query page") if links.sparql else ""
    script = f'<script src="{esc(links.asset("explore.js"))}"></script>' if search else ""
    return Template(asset("page.html")).substitute(
        title=esc(title), heading=esc(title), kind=esc(kind), css=esc(links.asset("explore.css")),
        home=esc(links.href("id/")), sparql=sparql, void=esc(links.void()), body=body,
        formats=formats, iri=esc(iri or ""), alternates=alternates, script=script)
