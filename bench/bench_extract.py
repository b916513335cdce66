"""CPU seconds the extraction spends above the pypdfium2 floor. Prints numbers; asserts nothing.

    python bench/bench_extract.py [CORPUS] [--runs N]

Pulls every page's text once with pypdfium2 (the floor, timed), then times on those texts, in
one warm process, what a build worker does with them: normalise the pages, recognise and
extract the report, tag its themes (as the build's 'extract' phase, minus the floor), and map
the record to RDF and N-Triples (the 'rdf' phase). CPU time (time.process_time), the minimum
over --runs runs, so other jobs on a shared machine disturb it less than wall time.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kg.errors import KgError  # noqa: E402
from kg.extract import extract  # noqa: E402
from kg.rdf import DEFAULT_BASE, Mapper, to_ntriples  # noqa: E402
from kg.readers import Document, _pages_pdfium  # noqa: E402
from kg.tagging import tag  # noqa: E402
from kg.text import normalise_page  # noqa: E402
from kg.thesaurus import tagger  # noqa: E402


def floor(pdfs: list[Path]) -> tuple[list[tuple[str, list[str]]], float]:
    texts, cpu = [], time.process_time()
    for path in pdfs:
        try:
            texts.append((path.name, _pages_pdfium(path.read_bytes(), path.name)))
        except KgError:
            pass
    return texts, time.process_time() - cpu


def above_floor(texts: list[tuple[str, list[str]]]) -> tuple[float, float, float]:
    """CPU seconds of (normalise, extract + tag, rdf) over every text."""
    mapper = Mapper(DEFAULT_BASE)
    normalise = extracting = rdf = 0.0
    for name, raw in texts:
        started = time.process_time()
        doc = Document(name, [normalise_page(page) for page in raw], "0" * 64, "pdfium")
        normalised = time.process_time()
        normalise += normalised - started
        try:
            record = tag(extract(doc))
        except KgError:
            extracting += time.process_time() - normalised
            continue
        extracted = time.process_time()
        extracting += extracted - normalised
        to_ntriples(mapper.record_triples(record))
        rdf += time.process_time() - extracted
    return normalise, extracting, rdf


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus" / "reports")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    pdfs = sorted(args.corpus.rglob("*.pdf"))
    texts, floor_cpu = floor(pdfs)
    started = time.process_time()
    tagger()
    start_up = time.process_time() - started
    runs = [above_floor(texts) for _ in range(max(1, args.runs))]
    normalise, extracting, rdf = (min(run[i] for run in runs) for i in range(3))
    print(f"{len(texts)} reports, {sum(len(raw) for _, raw in texts)} pages (load {os.getloadavg()[0]:.1f})")
    print(f"floor: pypdfium2 text              {floor_cpu:6.2f} CPU s")
    print(f"theme tagger, once per process     {start_up:6.2f} CPU s")
    print(f"normalise pages                    {normalise:6.2f} CPU s")
    print(f"extract + tag themes               {extracting:6.2f} CPU s")
    print(f"  above the floor in all           {normalise + extracting:6.2f} CPU s")
    print(f"RDF: triples + N-Triples           {rdf:6.2f} CPU s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
