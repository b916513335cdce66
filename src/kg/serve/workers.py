"""Worker processes that evaluate SPARQL for `kg serve`, so the engine cannot take the server down.

    pool = WorkerPool("out/graph.ttl", size=2, timeout=10, limit=10_000, prefixes={})
    response = pool.execute(Request("ASK { ?s ?p ?o }"))

Each worker loads the graph into memory once (kg.graphio.open_store; in memory, queries run
about 3x faster than through the on-disk store) and answers one query at a time over a pipe. A query still running after
`timeout` seconds is stopped by killing its worker; a worker that dies (an engine crash) is
noticed by the broken pipe. Either way a fresh worker is started in the background while the
others go on answering, so a slow or hostile query costs one worker for a moment, never the server.
A worker exits by itself when the server goes away (its pipe closes).
"""
from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from .app import Request, Response, answer, error

START_TIMEOUT = 120.0  # seconds a new worker may take to load the graph
QUEUE_WAIT = 60.0  # seconds a request may wait for a free worker before "busy" (503)


def _worker_main(conn: Connection) -> None:
    """A worker: receive (source, prefixes, limit), open the graph, then answer requests until
    the pipe closes or None arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    from ..graphio import open_store
    from ..sparql import check_query
    try:
        source, prefixes, limit = conn.recv()
    except (EOFError, OSError):  # the server stopped before this (replacement) worker started
        return
    try:
        store = open_store(source, persistent=False)  # in memory: a server runs many queries
        check_query("ASK {}")  # import and warm the SPARQL parser before the first real query
    except Exception as exc:  # tell the server why, in one line
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            response = answer(store, request, prefixes=prefixes, limit=limit)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # an engine failure (even a Rust panic) is this query's answer
            response = error(500, f"Query failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
        conn.send((response.status, response.content_type, response.body, response.headers))


class Worker:
    """One worker process (python -m kg.serve.workers FD) and its end of a socket pair: a plain
    subprocess, so it never re-runs the caller's __main__ as multiprocessing's spawn would."""

    def __init__(self, source: Path, prefixes: dict[str, str], limit: int):
        mine, theirs = socket.socketpair()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "kg.serve.workers", str(theirs.fileno())],
                                            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        self.conn = Connection(mine.detach())
        self.conn.send((str(source), prefixes, limit))
        self._closing = threading.Lock()  # the pool's close() and a spawn thread may both kill a worker

    def ready(self, timeout: float) -> str | None:
        """None once the worker holds the graph; else why it is not ready."""
        try:
            if not self.conn.poll(timeout):
                return f"not ready after {timeout:g} s"
            message = self.conn.recv()
        except (EOFError, OSError):
            return f"exited with code {self.process.poll()}"
        return None if message[0] == "ready" else message[1]

    def kill(self) -> None:
        """Stop the process and close the pipe, once, whichever thread asks first."""
        with self._closing:
            if self.conn.closed:
                return
            try:
                self.process.kill()
                self.process.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            finally:
                self.conn.close()


class WorkerPool:
    """`size` worker processes; execute() hands a request to an idle one."""

    def __init__(self, source: Path | str, *, size: int = 2, timeout: float = 10.0, limit: int = 10_000,
                 prefixes: dict[str, str] | None = None, queue_wait: float = QUEUE_WAIT):
        self.source, self.size, self.timeout, self.limit = Path(source), max(1, size), timeout, limit
        self.queue_wait = queue_wait
        self.prefixes = dict(prefixes or {})
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.replaced = 0  # workers killed (timeout) or lost (crash) and started again
        self.failure: str | None = None
        self._started = threading.Event()  # set once any worker has loaded the graph
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        """Start a worker; a thread waits for it to load the graph, then makes it idle."""
        def start():
            try:
                worker = Worker(self.source, self.prefixes, self.limit)
            except OSError as exc:
                self.failure = f"cannot start a query worker: {exc}"
                print(f"kg: error: {self.failure}", file=sys.stderr)
                self._started.set()
                return
            with self._lock:
                if self._closed:
                    worker.kill()
                    return
                self._all.add(worker)
            problem = worker.ready(START_TIMEOUT)
            if problem is None:
                self._idle.put(worker)
                self._started.set()
                return
            if self._closed:  # close() stopped it while it loaded: not a failure
                return
            self.failure = f"a query worker could not open {self.source}: {problem}"
            print(f"kg: error: {self.failure}", file=sys.stderr)
            self._discard(worker)
            self._started.set()
        threading.Thread(target=start, name="kg-serve-spawn", daemon=True).start()

    def _discard(self, worker: Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def _replace(self, worker: Worker) -> None:
        self._discard(worker)
        self.replaced += 1
        if not self._closed:
            self._spawn()

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Block until every worker is idle (started and holding the graph)."""
        deadline = time.monotonic() + timeout
        while self._idle.qsize() < self.size and time.monotonic() < deadline and not self.failure:
            time.sleep(0.02)
        if self.failure:
            raise RuntimeError(self.failure)

    def execute(self, request: Request) -> Response:
        self._started.wait(START_TIMEOUT)  # the first queries wait for the graph to be loaded
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            if self.failure and not self._all:
                return error(503, f"No query worker is running: {self.failure}")
            return error(503, f"Server busy: all {self.size} query workers stayed taken for {self.queue_wait:g} s. "
                              "Try again later.", **{"Retry-After": str(max(1, int(self.timeout)))})
        if worker.process.poll() is not None:  # died while idle (killed from outside): not this query's fault
            self._replace(worker)
            return self.execute(request)
        try:
            worker.conn.send(request)
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                return error(503, f"Query timed out after {self.timeout:g} s (the endpoint's limit) and was "
                                  "stopped. Make it more selective or add a LIMIT.")
            status, content_type, body, headers = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return error(500, "The query engine failed on this query (its worker process died and was "
                              "replaced). Please report the query.")
        self._idle.put(worker)
        return Response(status, content_type, body, headers)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.kill()


if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1])))
