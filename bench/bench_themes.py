"""How much theme tagging adds to a build: extraction with and without tagging, one process.

    python bench/bench_themes.py [CORPUS]      (target: the whole dev corpus adds <= 2 s)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kg.errors import KgError  # noqa: E402
from kg.extract import extract  # noqa: E402
from kg.rdf import Mapper  # noqa: E402
from kg.readers import read  # noqa: E402
from kg.tagging import tag  # noqa: E402
from kg.thesaurus import tagger  # noqa: E402


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else ROOT.parent / "shared" / "corpus" / "reports"
    records = []
    for path in sorted(corpus.rglob("*.pdf")):
        try:
            records.append(extract(read(path)))
        except KgError:
            pass
    started = time.perf_counter()
    tagger()  # load the thesaurus and compile the pattern once
    loaded = time.perf_counter()
    for record in records:
        tag(record)
    tagged = time.perf_counter()
    mapper = Mapper()
    with_themes = sum(len(mapper.record_graph(r)) for r in records)
    mapped = time.perf_counter()
    for record in records:
        record.theme_mentions, record.recommendations = [], [r for r in record.recommendations]
        for rec in record.recommendations:
            rec.themes = []
    without = sum(len(mapper.record_graph(r)) for r in records)
    mapped_plain = time.perf_counter()
    mentions = with_themes - without
    # SHACL on the theme triples alone (vocabulary included), as the build validates them.
    from kg.rdf import KG as mapper_ns, vocabulary_graph
    from kg.tagging import tag as retag
    from kg.validate import validate_graph
    graph = vocabulary_graph()
    for record in records:
        retag(record)
        full = mapper.record_graph(record)
        for triple in full:
            if "/theme/" in str(triple[0]) or triple[1].endswith("#hasThemeMention") or (
                    triple[1].endswith("#type") and "/theme/" not in str(triple[0])):
                graph.add(triple)
    shacl_started = time.perf_counter()
    validate_graph(graph)
    shacl = time.perf_counter() - shacl_started
    print(f"{len(records)} reports")
    print(f"load thesaurus + compile          {loaded - started:6.2f} s")
    print(f"tag recommendations and findings  {tagged - loaded:6.2f} s")
    print(f"RDF for theme triples             {(mapped - tagged) - (mapped_plain - mapped):6.2f} s  ({mentions} triples)")
    # the same graph without the mentions: what validation costs anyway
    for node in list(graph.subjects()):
        if "/theme/" in str(node):
            graph.remove((node, None, None))
    graph.remove((None, mapper_ns.hasThemeMention, None))
    plain_started = time.perf_counter()
    validate_graph(graph)
    shacl -= time.perf_counter() - plain_started
    print(f"SHACL on theme mentions           {shacl:6.2f} s")
    total = (loaded - started) + (tagged - loaded) + max(0.0, (mapped - tagged) - (mapped_plain - mapped)) + shacl
    print(f"themes add to a build: {total:.2f} s of CPU, about {total / 2:.2f} s on 2 cores (target <= 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
