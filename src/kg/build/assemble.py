"""Assemble: one report per inspection, every record's triples merged into one deterministic
graph, and the checks no single record can make (nodes shared between records).

The same report given twice (the same bytes, or the same inspection from two files: the same
record key) is built once; the later file gets a `duplicate-report` warning naming both.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import cached_property, lru_cache
from itertools import accumulate, groupby

from ..rdf import PREFIXES, Mapper, record_key, to_ntriples, vocabulary_graph
from ..records import Finding, ReportRecord
from ..validate import ValidationReport, Violation


def deduplicate(records: list[ReportRecord]) -> tuple[list[ReportRecord], dict[str, Finding]]:
    """Records kept (first of each report, in input order) and a finding per duplicate file."""
    seen: dict[str, str] = {}
    kept, duplicates = [], {}
    for record in records:
        first = seen.get(record.sha256) or seen.get(record_key(record))
        if first is not None:
            same = "the same bytes as" if seen.get(record.sha256) else "the same inspection as"
            duplicates[record.source_file] = Finding(
                "duplicate-report", f"{record.source_file} is {same} {first}; built once, from {first}",
                record.source_file, snippet=record_key(record))
            continue
        seen[record.sha256] = seen[record_key(record)] = record.source_file
        kept.append(record)
    return kept, duplicates


@lru_cache(maxsize=1)
def vocabulary_ntriples() -> str:
    return to_ntriples(vocabulary_graph())


class Merged:
    """The graph: the union of its chunks' lines. Its sorted, distinct lines are merged when first
    asked for; the lines about one subject can be had without that, from the chunks' subject runs
    (a build adding a report needs only the lines of the subjects it touched)."""

    def __init__(self, chunks: list[str], runs: list[dict | None] | None = None,
                 statements: list[bytes | None] | None = None):
        self.chunks = chunks
        self.runs = list(runs) if runs is not None else [None] * len(chunks)
        # each chunk's Turtle statements (chunk_statements), where a worker made them
        self.statements = list(statements) if statements is not None else [None] * len(chunks)

    @cached_property
    def lines(self) -> list[str]:
        """The chunks' lines are concatenated and sorted in place: the sort finds each chunk's
        sorted run and merges the runs (about half the time of sorting a set of the lines), then
        repeats, now adjacent, are dropped. Each line keeps its line end."""
        lines = [line for chunk in self.chunks for line in chunk.splitlines(keepends=True)]
        lines.sort()
        return [line for line, _ in groupby(lines) if line.strip()]

    @property
    def triples(self) -> int:
        return len(self.lines)

    @cached_property
    def ntriples(self) -> str:
        """The whole graph as one sorted N-Triples text."""
        return "".join(self.lines)

    def about(self, subject: str) -> list[str]:
        """The graph's lines whose subject is `subject`, sorted (with their line ends)."""
        if "lines" in self.__dict__:
            return self.lines[bisect_left(self.lines, subject + " "):bisect_left(self.lines, subject + "!")]
        found: set[str] = set()
        for i, chunk in enumerate(self.chunks):
            if not isinstance(self.runs[i], dict):
                self.runs[i] = subject_runs(chunk)
            where = self.runs[i].get(subject)
            if where:
                found.update(_lines_about(chunk, subject, where, keepends=True))
        return sorted(found)


def merge(chunks: list[str], runs: list[dict | None] | None = None,
          statements: list[bytes | None] | None = None) -> Merged:
    """The graph of chunks whose lines are each sorted (`runs`: each chunk's subject_runs, and
    `statements`: each chunk's chunk_statements, where known)."""
    return Merged(chunks, runs, statements)


def difference(before: list[str], after: list[str], merged: Merged) -> tuple[str, str]:
    """(lines to remove, lines to add): how a store holding the union of some chunks becomes
    `merged`, given the chunks it held that are gone (`before`) and the chunks that are new
    (`after`). A gone chunk's line is removed only if no chunk of `merged` still has it; a new
    chunk's lines are all added (adding a triple the store holds changes nothing)."""
    removed, kept = set(), {}
    for chunk in before:
        for line in chunk.splitlines(keepends=True):
            if line.strip():
                subject = line.partition(" ")[0]
                if subject not in kept:
                    kept[subject] = set(merged.about(subject))
                if line not in kept[subject]:
                    removed.add(line)
    return "".join(sorted(removed)), "".join(after)


def graph_chunks(records: list[ReportRecord], ntriples: dict[str, str], mapper: Mapper,
                 vocabulary: str | None = None) -> list[str]:
    """Vocabulary, each record's triples, and the inspectors' names chosen across records."""
    names = to_ntriples(mapper.inspector_names(records))
    return [vocabulary or vocabulary_ntriples()] + [ntriples[r.sha256] for r in records] + [names]


def turtle(merged: Merged, previous: tuple[bytes, dict, set[str]] | None = None) -> tuple[bytes, dict | None]:
    """Deterministic Turtle written by Oxigraph's serializer (rdflib's takes ~30 s on the
    corpus graph; this takes about a second), and its index: where each subject's statements are.

    Oxigraph writes the prefixes, then each subject's statements on their own, in the order of
    the sorted lines. So given `previous` (the Turtle of an earlier graph, its index, and every
    subject that has a line added or removed since), only those subjects are written again and
    every other subject's statements are copied: the same bytes, at a fraction of the cost.

    Otherwise the text is joined from each chunk's own statements (_joined), which the workers
    made in parallel, rather than the whole graph serialised here."""
    if previous is not None:
        try:
            updated = _turtle_update(merged, *previous)
        except (KeyError, TypeError, ValueError):  # an index this code did not write: write it whole
            updated = None
        if updated is not None:
            return updated
    joined = _joined(merged)
    if joined is not None:
        return joined
    data = _serialize(merged.ntriples)
    return data, _turtle_index(merged, data)


def chunk_statements(chunk: str) -> bytes:
    """A chunk's Turtle as Oxigraph writes it, without the prefix lines (made by the worker
    that made the chunk, for _joined)."""
    return _serialize(chunk)[len(_prefix_lines()):] if chunk.strip() else b""


def _joined(merged: Merged) -> tuple[bytes, dict] | None:
    """The graph's Turtle and its index (_turtle_index), joined from its chunks' Turtle.

    Oxigraph writes each subject's statements on their own, in the order of the sorted lines,
    so the statements of a subject that only one chunk describes are the same bytes in that
    chunk's Turtle as in the whole graph's. The subjects several chunks describe (authorities,
    inspectors: a few hundred) are written here from all their lines, and so is a chunk whose
    statements no worker made (one read from the cache). Then every subject's statements are
    put in order: the same bytes as serialising the whole graph (tests check it), without
    sorting every line. None if a chunk is not sorted into one run of lines per subject."""
    runs = [given if isinstance(given, dict) else subject_runs(chunk)
            for given, chunk in zip(merged.runs, merged.chunks)]
    if any(len(where) != 2 for held in runs for where in held.values()):
        return None
    owners = Counter(subject for held in runs for subject in held)
    if not owners:
        return None
    shared = sorted({line for chunk, held in zip(merged.chunks, runs) for s in held if owners[s] > 1
                     for line in _lines_about(chunk, s, held[s], keepends=True)})
    prefixes = _prefix_lines()
    data = _serialize("".join(shared)) if shared else prefixes
    grouped = [(subject, sum(1 for _ in lines)) for subject, lines in groupby(shared, key=_subject)]
    blocks: dict[str, tuple[bytes, int]] = {}  # subject -> (its statements, its count of lines)
    if not data.startswith(prefixes) or not _split(data, len(prefixes), grouped, blocks):
        return None
    for chunk, held, made in zip(merged.chunks, runs, merged.statements):
        if all(owners[s] > 1 for s in held):
            continue
        if not _in_line_order(list(held)):
            return None
        if made is None:
            text = _serialize(chunk)
            if not text.startswith(prefixes):
                return None
            made = text[len(prefixes):]
        if not _split(made, 0, [(s, chunk.count("\n", *held[s])) for s in held], blocks,
                      keep=lambda subject: owners[subject] == 1):
            return None
    order = sorted(blocks, key=_line_order)
    parts = [blocks[s][0] for s in order]
    return prefixes + b"".join(parts), {"header": len(prefixes), "subjects": order,
                                        "counts": [blocks[s][1] for s in order], "sizes": [len(p) for p in parts]}


@lru_cache(maxsize=1)
def _prefix_lines() -> bytes:
    """The prefix lines Oxigraph starts any non-empty graph's Turtle with (all of PREFIXES)."""
    data = _serialize("<urn:x:a> <urn:x:a> <urn:x:a> .\n")
    return data[:_PREFIX_LINES.match(data).end()]


def _split(data: bytes, start: int, subjects: list[tuple[str, int]], blocks: dict,
           keep=lambda subject: True) -> bool:
    """Put the statements of each (subject, count of lines) of `subjects`, in order in data from
    `start`, into blocks; False if data does not hold exactly one statement per subject."""
    starts = [m.end() for m in _SUBJECT_START.finditer(data, start)]
    starts = ([start] if start < len(data) else []) + starts
    if len(starts) != len(subjects):
        return False
    for (subject, count), a, b in zip(subjects, starts, starts[1:] + [len(data)]):
        if keep(subject):
            blocks[subject] = (data[a:b], count)
    return True


def _subject(line: str) -> str:
    return line.partition(" ")[0]


def _serialize(ntriples: str) -> bytes:
    import pyoxigraph as ox

    triples = ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                        prefixes={k: str(v) for k, v in sorted(PREFIXES.items())})


_PREFIX_LINES = re.compile(rb"(?:@prefix [^\n]*\n)*")
_SUBJECT_START = re.compile(rb"\n(?=[^\t])")  # a statement's further lines start with a tab


def _turtle_index(merged: Merged, data: bytes) -> dict | None:
    """{"header": bytes of prefix lines, "subjects": N-Triples subjects in order, "counts": the
    lines of each, "sizes": the bytes of each one's statements}; None if the statements cannot be
    told apart subject by subject."""
    header = _PREFIX_LINES.match(data).end()
    starts = [header] + [m.end() for m in _SUBJECT_START.finditer(data, header)]
    counts = Counter(line.partition(" ")[0] for line in merged.lines)  # in the lines' order
    if len(starts) != len(counts):
        return None
    return {"header": header, "subjects": list(counts), "counts": list(counts.values()),
            "sizes": [b - a for a, b in zip(starts, starts[1:] + [len(data)])]}


def _turtle_update(merged: Merged, data: bytes, index: dict, touched: set[str]) -> tuple[bytes, dict] | None:
    header, subjects, sizes, counts = index["header"], index["subjects"], index["sizes"], index["counts"]
    if not len(subjects) == len(sizes) == len(counts) or header + sum(sizes) != len(data):
        return None
    ends = list(accumulate(sizes, initial=header))
    kept = [i for i, subject in enumerate(subjects) if subject not in touched]
    order, parts = [subjects[i] for i in kept], [data[ends[i]:ends[i + 1]] for i in kept]
    if not (_in_line_order(subjects) and all(_one_subject_at(data, ends[i], ends[i + 1], header) for i in kept)):
        return None  # an index that does not describe this text (state.json damaged): write it whole
    counts = [counts[i] for i in kept]
    for subject in touched:
        lines = merged.about(subject)
        if lines:
            text = _serialize("".join(lines))
            if _PREFIX_LINES.match(text).end() != header or text[:header] != data[:header]:
                return None  # other prefixes: no part of the old text can be used
            at = bisect_left(order, subject + " ", key=_line_order)
            order.insert(at, subject)
            parts.insert(at, text[header:])
            counts.insert(at, len(lines))
    return data[:header] + b"".join(parts), {"header": header, "subjects": order, "counts": counts,
                                             "sizes": [len(p) for p in parts]}


def _in_line_order(subjects: list) -> bool:
    return all(isinstance(a, str) and isinstance(b, str) and a + " " < b + " " for a, b in zip(subjects, subjects[1:]))


def _one_subject_at(data: bytes, start: int, end: int, header: int) -> bool:
    """True if data[start:end] is one subject's statements as Oxigraph writes them: from the start
    of a line that is not tab-indented (after the prefixes or a line ending " .") to the first
    line ending " ." (a subject's other lines end " ;" or " ,", and literals escape line ends)."""
    return (start < end and (start == header or data[start - 3:start] == b" .\n")
            and data[start:start + 1] not in (b"\t", b"\n") and data.find(b" .\n", start) == end - 3)


def _line_order(subject: str) -> str:
    """Subjects in the order of their lines (lines start with the subject and a space)."""
    return subject + " "


def subjects_of(*texts: str) -> set[str]:
    """The subjects of N-Triples texts' lines."""
    return {line.partition(" ")[0] for text in texts for line in text.splitlines() if line.strip()}


def validate_shared(record_chunks: list[str], names: str) -> ValidationReport:
    """SHACL on the nodes that more than one record describes (authorities, inspectors, and any
    node two records would merge): everything said about them by every record, their names,
    the types of the nodes they point to, and the vocabulary. Each record's own nodes are
    validated by its worker; together the two cover the whole graph."""
    return validate_subgraph(shared_subgraph(record_chunks, names))


def shared_subgraph(record_chunks: list[str], names: str, runs: list[dict | None] | None = None) -> str:
    """The N-Triples validate_shared checks (the same text gives the same results: a build
    adding a report that shares nothing new reuses them). `runs` may give each chunk's
    subject_runs (kept in the cache, so the chunks need not be read line by line again)."""
    runs = [given if isinstance(given, dict) else subject_runs(chunk)
            for given, chunk in zip(runs or [None] * len(record_chunks), record_chunks)]
    owners = Counter(subject for held in runs for subject in held)
    shared = {s for s, n in owners.items() if n > 1}
    lines = {line for chunk, held in zip(record_chunks, runs) for s in held.keys() & shared
             for line in _lines_about(chunk, s, held[s])}
    objects = {line.split(" ", 2)[2].rsplit(" .", 1)[0].strip() for line in lines}
    typing_lines = {line for chunk, held in zip(record_chunks, runs) for s in held.keys() & objects
                    for line in _lines_about(chunk, s, held[s])
                    if " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " in line}
    return "\n".join(sorted(lines | typing_lines)) + "\n" + names


def subject_runs(chunk: str) -> dict[str, list[int]]:
    """Where each subject's lines are in an N-Triples chunk: {subject: [start, end, ...]}, the
    offsets of each run of its lines (one run in a sorted chunk)."""
    runs: dict[str, list[int]] = {}
    start = 0
    for line in chunk.splitlines(keepends=True):
        end = start + len(line)
        if line.strip():
            where = runs.setdefault(line.partition(" ")[0], [])
            if where and where[-1] == start:
                where[-1] = end
            else:
                where += [start, end]
        start = end
    return runs


def _lines_about(chunk: str, subject: str, where: list[int], keepends: bool = False) -> list[str]:
    """The lines of chunk whose subject is `subject`, at the offsets subject_runs gave (read again
    from the chunk if the offsets do not point at such lines: they come from the cache)."""
    head = subject + " "
    try:
        lines = [line for start, end in zip(where[::2], where[1::2])
                 for line in chunk[start:end].splitlines(keepends)]
    except TypeError:
        lines = []
    if lines and all(line.startswith(head) for line in lines):
        return lines
    return [line for line in chunk.splitlines(keepends) if line.startswith(head)]


def validate_subgraph(ntriples: str) -> ValidationReport:
    from ..graphio import parse_graph
    from ..validate import validate_graph, validation_graph

    return validate_graph(parse_graph(ntriples, "nt", validation_graph()))


def combine(by_record: list[list[dict]], shared: list[Violation]) -> ValidationReport:
    violations = sorted({Violation(**v) for vs in by_record for v in vs} | set(shared),
                        key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(not violations, violations)
