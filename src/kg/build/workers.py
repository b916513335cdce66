"""Extract in workers: a batch of read files -> records, their N-Triples and SHACL results.

Each worker process handles a batch end to end and validates the batch's records together
while their graphs are still in memory (pySHACL runs on one core, so batches give the
parallelism). Many files are split into batches that shrink toward the end (partition), handed
to whichever worker is free: the workers finish at about the same time, and the parent gets
each batch's outcomes (to write their cache entries and load them into the store) while the
workers extract the next ones. A build adding a few reports to a built folder extracts them in
one worker, started before the inputs are read, while the parent reads the other inputs' cache
entries.
Workers never write anything: they encode each cache entry's first line (most of its cost),
the parent writes it. A worker exits with its parent, however the parent ends
(Ctrl-C, SIGTERM, SIGKILL): on Linux the kernel kills it (PR_SET_PDEATHSIG), elsewhere a
watcher thread notices the parent has gone.
"""
from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import KgError
from ..records import ReportRecord


@dataclass
class Job:
    path: Path
    display: str
    data: bytes
    sha256: str
    reader: str
    cache_key: str | None = None  # the outcome then brings its cache entry's first line


@dataclass
class Outcome:
    display: str
    record: ReportRecord | None = None
    error: str | None = None
    ntriples: str = ""
    violations: list[dict] = field(default_factory=list)  # kg.validate.Violation as dicts
    refused: bool = False  # the input is not a report (kg.errors.KgError): the same bytes always are
    runs: dict[str, list[int]] | None = None  # kg.build.assemble.subject_runs of ntriples
    statements: bytes | None = None  # kg.build.assemble.chunk_statements of ntriples
    entry_head: bytes | None = None  # kg.build.cache.entry_head, for Job.cache_key


def extract_file(path: Path, display: str, reader: str = "pdfium", data: bytes | None = None,
                 sha256: str | None = None) -> ReportRecord:
    """Read, classify, extract and theme-tag one file (raises KgError on bad input)."""
    from ..extract import extract
    from ..readers import read
    from ..tagging import tag

    return tag(extract(read(path, display, reader, data=data, sha256=sha256)))


def run_batch(jobs: list[Job], base: str, validate: bool,
              turtle: bool = False) -> tuple[list[Outcome], dict[str, float]]:
    """Extract, map and (optionally) validate a batch, and write each record's Turtle statements
    if `turtle` (many new reports: the graph will be written whole, from them): the outcomes and
    seconds per phase."""
    from ..rdf import Mapper, to_ntriples
    from .assemble import chunk_statements

    mapper = Mapper(base)
    outcomes: list[Outcome] = []
    graphs = []
    seconds = {"extract": 0.0, "rdf": 0.0, "serialise": 0.0, "shacl": 0.0}
    for job in jobs:
        started = time.perf_counter()
        try:
            record = extract_file(job.path, job.display, job.reader, job.data, job.sha256)
        except KgError as exc:
            outcomes.append(Outcome(job.display, error=str(exc), refused=True))
        except Exception as exc:  # a bug on one file must not stop the others; it is reported
            outcomes.append(Outcome(job.display, error=f"{job.display}: extraction failed unexpectedly "
                                                        f"({type(exc).__name__}: {exc})"))
        else:
            extracted = time.perf_counter()
            triples = mapper.record_triples(record)
            graphs.append(triples)
            record.sections = []  # text stretches, used only to tag themes: not sent back nor cached
            outcomes.append(Outcome(job.display, record, ntriples=to_ntriples(triples)))
            mapped = time.perf_counter()
            if turtle:
                outcomes[-1].statements = chunk_statements(outcomes[-1].ntriples)
            seconds["rdf"] += mapped - extracted
            seconds["serialise"] += time.perf_counter() - mapped
            started += time.perf_counter() - extracted
        seconds["extract"] += time.perf_counter() - started
        _tick()
    built = [o for o in outcomes if o.record is not None]
    if validate and built:
        started = time.perf_counter()
        _validate_batch(mapper, built, graphs)
        seconds["shacl"] += time.perf_counter() - started
    started = time.perf_counter()
    _prepare_cache(jobs, outcomes, validate)
    seconds["cache"] = time.perf_counter() - started
    return outcomes, seconds


def _validate_batch(mapper, built: list[Outcome], graphs: list) -> None:
    """Validate the batch's records together; each violation is charged to the record whose
    inspection or report it is about (a node shared by records, to every record of the batch)."""
    from ..rdf import record_key
    from ..validate import validate_graph, validation_graph

    union = validation_graph(*graphs, mapper.inspector_names([o.record for o in built]))
    by_key = {record_key(o.record): o for o in built}
    enabled = gc.isenabled()
    gc.disable()  # pySHACL makes ~10^6 short-lived objects; scanning the batch's heap for cycles
    try:          # each time cost ~25% of the SHACL time (measured; refcounting frees them anyway)
        report = validate_graph(union)
    finally:
        if enabled:
            gc.enable()
    for violation in report.results:
        parts = mapper.parse(violation.focus)
        owner = by_key.get(parts.key) if parts and parts.kind in ("inspection", "report") else None
        for o in [owner] if owner else built:
            o.violations.append(asdict(violation))


def _prepare_cache(jobs: list[Job], outcomes: list[Outcome], validate: bool) -> None:
    """Each built outcome's subject runs and, when it is to be cached, its entry's first line:
    made here, in parallel, rather than by the parent after every worker has finished."""
    from .assemble import subject_runs
    from .cache import entry_head

    for job, outcome in zip(jobs, outcomes):
        if outcome.record is None:
            continue
        outcome.runs = subject_runs(outcome.ntriples)
        if job.cache_key:
            outcome.entry_head = entry_head(job.cache_key, outcome.record, len(outcome.ntriples.encode("utf-8")),
                                            outcome.violations if validate else None, outcome.runs)


def partition(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Batches for `workers` processes taking the next batch when free: largest files first,
    each batch about a 1/(2 x workers) share of the bytes not yet in a batch (and at least
    1/(8 x workers) of them all, one file at least), so batches shrink toward the end and the
    workers finish together however unevenly bytes tell the work (guided scheduling; a batch
    costs no more per file than the files alone, measured). One worker: one batch."""
    ordered = sorted(jobs, key=lambda j: (-len(j.data), j.display))
    if workers <= 1:
        return [sorted(ordered, key=lambda j: j.display)] if ordered else []
    left = total = sum(len(j.data) for j in ordered)
    batches, batch, size = [], [], 0
    for job in ordered:
        batch.append(job)
        size += len(job.data)
        if size >= max(left / (2 * workers), total / (8 * workers)):
            batches.append(batch)
            left -= size
            batch, size = [], 0
    return [sorted(b, key=lambda j: j.display) for b in batches + [batch] if b]


# ------------------------------------------------------------------ the pool

_ticks = None  # in a worker: queue for progress (one item per file done)


def _tick() -> None:
    if _ticks is not None:
        _ticks.put(1)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _worker_init(parent: int, ticks) -> None:
    """Runs first in every worker: die with the parent, leave Ctrl-C to the parent."""
    global _ticks
    _ticks = ticks
    gc.freeze()  # the imported modules are never garbage: the collector need not scan them again
    gc.set_threshold(50_000, 20, 100)  # a worker allocates millions of objects, few in cycles
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides, and stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked while we were forked
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before we could ask to die with it
        os._exit(1)


def _die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux prctl)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


# Fewer jobs than this run in-process (forking workers would cost more than it saves), unless
# at least this many cache entries are read meanwhile (then one worker extracts beside them).
MIN_POOL = 8


def run_jobs(jobs: list[Job], base: str, validate: bool, workers: int | None = None,
             progress: bool = False) -> tuple[list[Outcome], dict[str, float]]:
    """Outcomes of all jobs (in batches in worker processes; in-process if few jobs) and the
    seconds per phase summed over workers. On any interruption every worker is stopped."""
    with start_jobs(jobs, base, validate, workers, progress) as running:
        return running.result()


def start_jobs(jobs: list[Job], base: str, validate: bool, workers: int | None = None,
               progress: bool = False, alongside: int = 0, ready: "Pool | None" = None) -> "Running":
    """Jobs under way: use as a context manager, ask result() for what run_jobs returns.
    Many jobs run in worker processes (in the batches of partition), started now. Few jobs run in this
    process when result() is asked, unless the caller has `alongside` cache entries (at least
    MIN_POOL) to read in the meantime: then they run in a worker, started now (or in `ready`,
    the one early_worker started), while the parent reads them (adding a report to a built
    corpus). `ready` is stopped if it is not used."""
    limit = workers or os.cpu_count() or 1
    count = min(limit, len(jobs))
    many = count > 1 and len(jobs) >= MIN_POOL
    beside = bool(jobs) and not many and workers is None and limit > 1 and alongside >= MIN_POOL
    if ready is not None and not beside:
        ready.stop()  # before any other worker is forked: stopping kills this process's workers
        ready = None
    pool = ready
    try:
        if pool is None and (many or beside):
            pool = Pool(count if many else 1, validate, share=many)
        batches = partition(jobs, pool.size) if pool else []
        return Running(jobs, base, validate, pool,
                       [pool.submit(run_batch, b, base, validate, many) for b in batches], progress)
    except BaseException:
        if pool is not None:
            pool.stop()
        raise


def early_worker(entries: int, workers: int | None, validate: bool) -> "Pool | None":
    """For a build whose output folder's cache holds `entries` entries (at least MIN_POOL: most
    inputs will be read from it): one worker started before the inputs are read, loading what
    extraction and validation need (~0.4 s) while the parent reads the inputs and their entries.
    start_jobs then gives it the new files, or stops it when there are none or many."""
    if entries < MIN_POOL or workers is not None or (os.cpu_count() or 1) < 2:
        return None
    pool = Pool(1, validate, share=False)
    try:
        pool.submit(_load_shared, validate)
    except BaseException:
        pool.stop()
        raise
    return pool


class Pool:
    """Worker processes, forked while Ctrl-C and SIGTERM are blocked (so a signal arriving then
    waits until the worker has set its own handlers, _worker_init, instead of running the
    parent's handler inside the new process), and their progress queue."""

    def __init__(self, size: int, validate: bool, share: bool):
        import multiprocessing

        context = multiprocessing.get_context()
        if share and context.get_start_method() == "fork":
            _load_shared(validate)  # else each worker loads them itself while the parent works
        self.size = size
        self.ticks = context.SimpleQueue()
        self.executor = ProcessPoolExecutor(max_workers=size, mp_context=context,
                                            initializer=_worker_init, initargs=(os.getpid(), self.ticks))

    def submit(self, fn, *args):
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)  # the first submit forks
        try:
            return self.executor.submit(fn, *args)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def stop(self) -> None:
        """Terminate every worker now (they write nothing, so nothing is left half-written)."""
        _stop_workers(self.executor)


class Running:
    """Jobs started by start_jobs. Leaving the with-block without result() (an exception, Ctrl-C)
    stops every worker."""

    def __init__(self, jobs: list[Job], base: str, validate: bool, pool: Pool | None, futures: list, progress: bool):
        self.jobs, self.base, self.validate = jobs, base, validate
        self.pool, self.futures = pool, futures
        self.bar = None
        if progress and jobs:
            from tqdm import tqdm
            self.bar = tqdm(total=len(jobs), unit="file", desc="extracting", file=sys.stderr)

    def __enter__(self) -> "Running":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.stop()
            self.pool = None
        if self.bar is not None:
            self.bar.close()

    @property
    def batches(self) -> int:
        """How many batches the jobs run in (1 in this process)."""
        return len(self.futures) if self.pool is not None else 1

    def result(self, each=None) -> tuple[list[Outcome], dict[str, float]]:
        """Every outcome (in the jobs' batches' order) and the seconds per phase; each(outcomes)
        is called with each batch's outcomes as soon as it is done."""
        if not self.jobs:
            return [], {}
        if self.pool is None:
            global _ticks
            _ticks = _BarTicks(self.bar)
            try:
                done = run_batch(self.jobs, self.base, self.validate)
            finally:
                _ticks = None
            if each is not None:
                each(done[0])
            return done
        pending = set(self.futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            while not self.pool.ticks.empty():
                self.pool.ticks.get()
                self.bar and self.bar.update()
            for future in sorted(done, key=self.futures.index):
                if each is not None:
                    each(future.result()[0])
        outcomes, seconds = [], {}
        for future in self.futures:
            batch_outcomes, batch_seconds = future.result()
            outcomes += batch_outcomes
            for phase, value in batch_seconds.items():
                seconds[phase] = seconds.get(phase, 0.0) + value
        self.pool.executor.shutdown()
        self.pool = None
        return outcomes, seconds


def _load_shared(validate: bool) -> None:
    """Load what a worker needs before its first file: the extractors' patterns, the theme tagger
    and pypdfium2, and for validation pySHACL, the shapes and the vocabularies. Many jobs: the
    parent loads them before forking, and the workers inherit them (each saves ~0.5 CPU-s; the
    parent needs the validation parts again for the shared nodes). The early worker loads them
    itself, while the parent reads the inputs."""
    from importlib import import_module

    from ..thesaurus import tagger

    import_module("pypdfium2")
    import_module("kg.extract")  # compiles the wording patterns
    tagger()
    if validate:
        from ..validate import shapes_graph, validation_graph

        import_module("pyshacl")

        shapes_graph()
        validation_graph()  # reads the ontology and vocabularies once per process


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate every worker now (they write nothing, so nothing is left half-written)."""
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout=2)
        if child.is_alive():
            child.kill()
            child.join(timeout=2)
    pool.shutdown(wait=False, cancel_futures=True)


class _BarTicks:
    """Progress for an in-process batch: put(1) advances the bar."""

    def __init__(self, bar):
        self.bar = bar

    def put(self, n: int) -> None:
        if self.bar:
            self.bar.update(n)
