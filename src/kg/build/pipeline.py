"""The build: plan inputs -> extract in workers -> assemble -> validate -> write.

A failure in one file is recorded in the build report and never stops the others. Extracted
records are cached by content hash, so unchanged files are not extracted again; if nothing
changed, nothing is rewritten. When no input could be built, nothing is written at all.
"""
from __future__ import annotations

import hashlib
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .. import __version__
from ..outputs import OutputDir
from ..paths import DATA_DIR, ONTOLOGY_DIR, SEEDS_DIR, VOCAB_DIR
from . import assemble, write
from .cache import Cache
from .inputs import discover, load
from .result import BuildResult, FileResult
from ..names import possible_same_person
from .workers import Job, Outcome, early_worker, run_jobs, start_jobs


def code_version() -> str:
    """Changes whenever the code, the reference data, the vocabularies or the shapes change."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    data = sorted(DATA_DIR.glob("*.csv")) + sorted(VOCAB_DIR.glob("*.ttl")) + sorted(ONTOLOGY_DIR.glob("*.ttl"))
    for path in sorted(package.rglob("*.py")) + data:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def build(paths: list[Path] | None = None, out_dir: Path | None = None, *, reader: str = "pdfium",
          base: str | None = None, validate: bool = True, cache: bool = True,
          workers: int | None = None, progress: bool = False) -> BuildResult:
    """Build the knowledge graph from files/folders (default: the embedded seeds/).

    With out_dir, writes graph.ttl, the persistent store, build-report.json (and the cache)
    atomically, holding the folder's lock (OutputDir.lock) throughout. Raises FileNotFoundError
    for a path that does not exist and kg.errors.OutputError when an output cannot be written
    or another build is writing the folder.
    """
    options = dict(reader=reader, base=base, validate=validate, cache=cache, workers=workers, progress=progress)
    if out_dir is None:
        return _build(paths, None, deferred=None, **options)
    out, deferred = OutputDir(out_dir), DeferredInterrupts()
    with out.lock():
        out.remove_stale_temporaries()  # of builds killed before their outputs were renamed in
        try:
            result = _build(paths, out_dir, deferred=deferred, **options)
        except BaseException:
            deferred.stop(raising=False)
            raise
        deferred.stop()  # InterruptedAfterWriting if Ctrl-C came while the outputs were written
        return result


class DeferredInterrupts:
    """Ctrl-C and SIGTERM held back from when graph.ttl is written until build-report.json is
    (the store and the shared nodes' SHACL finish in between, seconds at most): interrupted
    there, a build left the new graph beside the previous report. Only in the main thread
    (where Python runs signal handlers)."""

    def __init__(self):
        self.signalled: int | None = None
        self._previous: dict = {}

    def start(self) -> None:
        import signal
        import threading

        if threading.current_thread() is threading.main_thread() and not self._previous:
            for number in (signal.SIGINT, signal.SIGTERM):
                if signal.getsignal(number) is not signal.SIG_IGN:  # ignored (nohup, a background job) stays so
                    self._previous[number] = signal.signal(number, self._note)

    def _note(self, number, frame) -> None:
        self.signalled = number

    def stop(self, raising: bool = True) -> None:
        import signal

        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}
        if raising and self.signalled is not None:
            from ..errors import InterruptedAfterWriting

            raise InterruptedAfterWriting()


def _build(paths: list[Path] | None, out_dir: Path | None, *, reader: str, base: str | None, validate: bool,
           cache: bool, workers: int | None, progress: bool, deferred: DeferredInterrupts | None) -> BuildResult:
    from ..rdf import DEFAULT_BASE, Mapper

    started = time.perf_counter()
    base = base or DEFAULT_BASE
    out = OutputDir(out_dir) if out_dir else None
    version = _digest(code_version(), base)[:16]
    store = Cache(out.cache if (cache and out) else None, version, reader)
    phases: dict[str, float] = {}

    def lap(phase: str, since: float) -> float:
        now = time.perf_counter()
        phases[phase] = phases.get(phase, 0.0) + now - since
        return now

    # A build adding reports to a built folder starts its worker now, to load what extraction
    # needs while this process reads the inputs and their cache entries (start_jobs stops it if
    # nothing is to be extracted).
    ready = early_worker(store.count(), workers, validate)
    try:
        inputs = [load(item) for item in discover([Path(p) for p in (paths or [SEEDS_DIR])])]
        timer = lap("read", started)
        outcomes: dict[str, Outcome] = {}
        cached: set[str] = set()
        runs: dict[str, dict] = {}  # display -> where each subject's lines are in its N-Triples
        held, jobs = [], []  # inputs with a cache entry; inputs to extract
        for item in inputs:
            if item.error:
                outcomes[item.display] = Outcome(item.display, error=item.error)
            elif store.has(item.sha256):
                held.append(item)
            elif not _refused(store, item, outcomes, cached):
                jobs.append(_job(item, store, reader))
        digests = {job.display: job.sha256 for job in jobs}
        # The new inputs are extracted (in a worker, when there are many entries to read) while
        # the cache entries are read; an entry that turns out damaged or foreign is extracted after.
        running = start_jobs(jobs, base, validate, workers, progress, alongside=len(held), ready=ready)
        ready = None
    finally:
        if ready is not None:
            ready.stop()
    # Beside this thread, two others: one writes the new cache entries (each fsynced), one loads
    # the store (Oxigraph, without holding the GIL). A build with no current store, whose new
    # reports come in several batches, feeds the store each batch as it comes (`feed`).
    with ThreadPoolExecutor(2) as pool:
        feed = None
        fed: set[str] = set()  # the reports whose N-Triples were fed
        saving = []  # the futures of writing the cache entries

        def take(batch: list[Outcome]) -> None:
            saving.append(pool.submit(_save_entries, store, batch, digests))
            if feed is not None:
                built = [o for o in batch if o.record is not None]
                feed.add("".join(o.ntriples for o in built))
                fed.update(o.display for o in built)

        try:
            with running:  # (whatever is raised from here on stops the workers)
                if out and running.batches > 1 and write.stamped_sha256(out) is None:
                    feed = write.StoreFeed(pool, out)
                late = []
                for item in held:
                    hit = store.get(item.sha256, item.display, validate)
                    if hit:
                        outcomes[item.display] = Outcome(item.display, hit[0], ntriples=hit[1], violations=hit[2])
                        runs[item.display] = hit[3]
                        cached.add(item.display)
                    elif not _refused(store, item, outcomes, cached):
                        late.append(_job(item, store, reader))
                        digests[item.display] = item.sha256
                    item.data = None
                # What does not depend on the new reports, done while a worker extracts them: the
                # cached chunks' digests, the state, the previous graph and its digest.
                known = {display: _digest(outcomes[display].ntriples) for display in cached
                         if outcomes[display].record}
                state = store.state()
                previous = _read(out.graph) if out else None
                previous_sha = write.sha256(previous) if previous is not None else None
                timer = lap("cache", timer)
                extracted, worker_seconds = running.result(take)
            more, more_seconds = run_jobs(late, base, validate, workers, progress)  # damaged entries ([]: none)
            take(more)
            extracted += more
            del jobs, late
            for item in inputs:
                item.data = None
            for batch_seconds in (worker_seconds, more_seconds):  # summed over the workers; "cache": their encoding
                for phase, seconds in batch_seconds.items():
                    phases[phase] = phases.get(phase, 0.0) + seconds
            timer = time.perf_counter()
            statements: dict[str, bytes] = {}  # display -> its chunk's Turtle statements (made by a worker)
            for outcome in extracted:
                outcomes[outcome.display] = outcome
                if outcome.record is not None:
                    runs[outcome.display] = outcome.runs
                    if outcome.statements is not None:
                        statements[outcome.display] = outcome.statements

            records, duplicates = assemble.deduplicate(
                [outcomes[i.display].record for i in inputs if outcomes[i.display].record is not None])
            files = [_file_result(outcomes[i.display], i.display in cached, duplicates.get(i.display))
                     for i in inputs]
            result = BuildResult(records, files, pages=sum(r.page_count for r in records),
                                 findings=store.findings + possible_same_person(records))
            if not records:  # nothing recognised: the previous outputs stay as they are
                _wait(saving)
                result.seconds = time.perf_counter() - started
                result.phases = phases
                return result

            mapper = Mapper(base)
            ntriples = {r.sha256: outcomes[r.source_file].ntriples for r in records}
            vocabulary = write.guarded(store.root, store.vocabulary, assemble.vocabulary_ntriples)
            chunks = assemble.graph_chunks(records, ntriples, mapper, vocabulary)
            chunk_digests = ([_digest(chunks[0])] + [known.get(r.source_file) or _digest(chunk) for r, chunk in
                                                     zip(records, chunks[1:-1])] + [_digest(chunks[-1])])
            fingerprint = _digest(version, str(validate), *chunk_digests)
            by_record = [outcomes[r.source_file].violations for r in records]
            saved = _shared_violations(state) if validate else []
            if (previous is not None and saved is not None and state.get("fingerprint") == fingerprint
                    and state.get("graph_sha256") == previous_sha):
                result.unchanged, result.turtle, result.triples = True, previous, state.get("triples", 0)
                if validate:
                    result.validation = assemble.combine(by_record, saved)
                if not write.store_is_current(out):
                    result.store = write.write_store(out, previous, state["graph_sha256"], ntriples=False)
                    timer = lap("store", timer)
                _wait(saving)
            else:
                merged = assemble.merge(chunks, [None] + [runs.get(r.source_file) for r in records] + [None],
                                        [None] + [statements.get(r.source_file) for r in records] + [None])
                change = _change(store, state, chunks, chunk_digests, merged) if out else None
                if change and not _small(change, state):
                    change = None  # most of the graph is new: written whole, and the store loaded whole
                since = ((previous, state.get("turtle"), assemble.subjects_of(*change)) if change and previous
                         and state.get("graph_sha256") == previous_sha else None)
                storing = written = None
                if out:
                    # The store is loaded while the graph is serialised and written and the shared
                    # nodes are validated, and is put in place once graph.ttl is written (`written`);
                    # a failed or interrupted build cancels it and keeps the previous store.
                    # Updated: only the difference is read. Loaded whole: from the chunks as they
                    # are (a store holds each triple once, whatever their order or repeats), so the
                    # lines need not be sorted and merged first; a feed gets what it has not had.
                    update = (change if state.get("graph_sha256")
                              and write.stamped_sha256(out) == state["graph_sha256"] else None)
                    if feed is not None and update is None and fed <= {r.source_file for r in records}:
                        rest = [chunk for r, chunk in zip(records, chunks[1:-1]) if r.source_file not in fed]
                        feed.add("".join([chunks[0], *rest, chunks[-1]]))
                        storing, written = feed.close(), feed.written
                    else:
                        if feed is not None:
                            feed.cancel()  # it was given a report the graph does not have
                        graph = b"" if update else "".join(chunks).encode("utf-8")
                        written = Future()
                        storing = pool.submit(write.write_store, out, graph, written, update=update)
                        del graph
                try:
                    result.turtle, turtle_index = assemble.turtle(merged, since)
                    result.triples = sum(turtle_index["counts"]) if turtle_index else merged.triples
                    timer = lap("serialise", timer)
                    if out:
                        _wait(saving)  # an entry that cannot be written fails the build before any output
                        timer = lap("cache", timer)  # is replaced (what was left of writing them)
                        graph_sha = write.sha256(result.turtle)
                        deferred.start()  # from here to build-report.json, the outputs are written in full
                        write.write_graph(out, result.turtle)
                        written.set_result(graph_sha)
                        timer = lap("write", timer)
                finally:
                    if written is not None and not written.done():
                        written.cancel()
                shared, shared_key = [], None
                if validate:
                    shared_input = assemble.shared_subgraph(chunks[1:-1], chunks[-1], merged.runs[1:-1])
                    shared_key = _digest(version, shared_input)
                    shared = saved if state.get("shared_key") == shared_key else None
                    if shared is None:
                        shared = assemble.validate_subgraph(shared_input).results
                    result.validation = assemble.combine(by_record, shared)
                    timer = lap("shacl", timer)
                if storing is not None:
                    result.store = storing.result()
                    timer = lap("store", timer)  # what was left of it once the validation was done
                _wait(saving)
                if out:
                    write.guarded(store.root, store.save_state, {
                        "fingerprint": fingerprint, "triples": result.triples, "graph_sha256": graph_sha,
                        "shared_violations": [vars(v) for v in shared], "shared_key": shared_key,
                        "chunks": dict(zip(chunk_digests, _chunk_sources(records))), "names": chunks[-1],
                        "turtle": turtle_index})
                    timer = lap("cache", timer)
        finally:
            if feed is not None:
                feed.cancel()  # unless the store was put in place: a build that failed keeps the previous one
    result.written = out is not None
    result.seconds = time.perf_counter() - started
    result.phases = phases
    if out:
        write.write_report(out, result.report_dict())
    return result


def _wait(futures: list[Future]) -> None:
    """Wait for each of futures (raising the first one's error)."""
    for future in futures:
        future.result()


def _save_entries(store: Cache, extracted: list[Outcome], digests: dict[str, str]) -> None:
    """Write the cache entry of each new outcome (and the refusal of each input that is not a report)."""
    for outcome in extracted:
        if outcome.refused:
            write.guarded(store.root, store.put_refusal, digests[outcome.display], outcome.display, outcome.error)
        if outcome.record is not None and outcome.entry_head is not None:
            write.guarded(store.root, store.put, outcome.record.sha256, outcome.entry_head, outcome.ntriples)


def _job(item, store: Cache, reader: str) -> Job:
    return Job(item.path, item.display, item.data, item.sha256, reader, store.key(item.sha256) if store.root else None)


def _refused(store: Cache, item, outcomes: dict, cached: set) -> bool:
    """Whether these bytes under this name were refused last time (then that is their outcome)."""
    refusal = store.refusal(item.sha256, item.display)
    if refusal:
        outcomes[item.display] = Outcome(item.display, error=refusal)
        cached.add(item.display)
    return bool(refusal)


def _chunk_sources(records) -> list[str]:
    """Where each chunk of assemble.graph_chunks comes from: the vocabulary, each record's cache
    entry (by the sha256 of its file), the inspectors' names (kept in state)."""
    return ["vocabulary"] + [r.sha256 for r in records] + ["names"]


def _change(store: Cache, state: dict, chunks: list[str], digests: list[str], merged):
    """(N-Triples to remove, to add) taking the graph state describes to `merged`, or None when a
    chunk that graph held cannot be found again with the same digest (the store is then loaded
    whole and the Turtle written whole)."""
    held = state.get("chunks")
    if not isinstance(held, dict):
        return None
    current = dict(zip(digests, chunks))
    gone = []
    for digest, source in held.items():
        if digest not in current:
            text = (state.get("names") if source == "names" else
                    None if source == "vocabulary" else store.ntriples(source))
            if not isinstance(text, str) or _digest(text) != digest:
                return None
            gone.append(text)
    return assemble.difference(gone, [chunk for digest, chunk in current.items() if digest not in held], merged)


# Writing only the difference serialises each touched subject on its own and applies the
# difference to a copy of the store quad by quad: per line ~5x the cost of writing the graph
# whole. So it is done while the difference is under a fifth of the graph, or small anyway.
# (Measured: the corpus built into a folder holding the seeds' graph took 6.3 s to serialise and
# 2.2 s to store by difference, against 1.3 and 0.7 s whole.)
SMALL_CHANGE_LINES = 5000


def _small(change: tuple[str, str], state: dict) -> bool:
    """Whether the difference (N-Triples to remove, to add) is worth applying rather than
    writing the graph whole (see SMALL_CHANGE_LINES)."""
    removed, added = (text.count("\n") for text in change)
    try:
        total = max(0, int(state.get("triples") or 0) - removed) + added
    except (TypeError, ValueError):
        return False
    return removed + added <= max(total // 5, SMALL_CHANGE_LINES)


def _shared_violations(state: dict) -> list | None:
    """The shared-node violations the last build saved (None if state does not hold them whole)."""
    from ..validate import Violation

    try:
        return [Violation(**v) for v in state["shared_violations"]]
    except (KeyError, TypeError):
        return None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _file_result(outcome: Outcome, cached: bool, duplicate) -> FileResult:
    result = FileResult(outcome.display, error=outcome.error, cached=cached)
    record = outcome.record
    if record is not None:
        result.kind = record.kind
        result.authority = record.authority.name
        result.facts = {"judgements": len(record.judgements), "roles": len(record.roles),
                        "recommendations": len(record.recommendations),
                        "themes": sum(1 for m in record.theme_mentions if m.area is None)}
        result.warnings = list(record.warnings)
        result.info = list(record.info)
    if duplicate is not None:
        result.duplicate = True
        result.warnings.append(duplicate)
    return result
