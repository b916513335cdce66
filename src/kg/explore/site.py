"""`kg site`: the explorer's pages as a static site (relative links, works from file:// and on
any static host), each page with its resource's Turtle beside it, the assets and the VoID
description, written as a whole (kg.outputs.atomic_directory)."""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..outputs import atomic_directory
from .describe import description, serialize
from .html import asset
from .iris import HOME, Links
from .pages import Explorer
from .store import load_store
from .void import built_at, void_document


SITE_MARK = "void.ttl"  # every site kg site writes has it; a folder without it is not replaced


class EmptyGraph(ValueError):
    """The graph holds nothing to publish (an empty or unrelated RDF file)."""


@dataclass
class SiteResult:
    out: Path
    pages: int
    files: int
    seconds: float


def write_site(graph: Path | str, out: Path | str, *, sparql: str | None = None,
               workers: int | None = None) -> SiteResult:
    """Write every page of the graph's explorer under `out` (replacing it only once complete).
    sparql: the URL of a SPARQL endpoint or query page to link to (none by default). Pages are
    rendered by `workers` threads (Oxigraph answers queries without holding Python's lock);
    the files are the same whatever the number."""
    started = time.perf_counter()
    explorer = Explorer(load_store(graph))
    if not explorer.index():  # computed once here, before the threads share it
        raise EmptyGraph(f"{graph}: no authorities, inspections, inspectors or reports in the graph; "
                         "the site was not written")
    explorer.counts()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out}: exists and is not a folder")
    if Path.cwd().resolve().is_relative_to(out.resolve()):
        raise NotADirectoryError(f"{out}: is the current folder (or holds it); give a new or site folder")
    if out.is_dir() and any(out.iterdir()) and not (out / SITE_MARK).is_file():
        raise NotADirectoryError(f"{out}: is a folder that kg site did not write (no {SITE_MARK}); "
                                 "give a new folder, or empty this one first: it would be replaced")

    def render(key: str):
        links = Links(static=True, here=key, sparql=sparql)
        html = explorer.html(key, links)
        ttl = None
        if html is not None and key != HOME:
            ttl = serialize(description(explorer.store, explorer.resolve(key)), "turtle")
        return links.file(key), links.file(key, ".ttl"), html, ttl

    files = pages = 0
    with atomic_directory(out) as tmp, ThreadPoolExecutor(workers or min(4, os.cpu_count() or 1)) as pool:
        for html_file, ttl_file, html, ttl in pool.map(render, [HOME, *explorer.page_keys()]):
            if html is None:
                continue
            target = tmp / html_file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            pages += 1
            files += 1
            if ttl is not None:
                (tmp / ttl_file).write_bytes(ttl)
                files += 1
        (tmp / "_assets").mkdir()
        for name in ("explore.css", "explore.js"):
            (tmp / "_assets" / name).write_text(asset(name), encoding="utf-8")
            files += 1
        (tmp / SITE_MARK).write_bytes(void_document(explorer, "turtle", sparql=sparql, built=built_at(Path(graph))))
        files += 1
    return SiteResult(out, pages, files, time.perf_counter() - started)
