"""An interrupted build (Ctrl-C, SIGTERM, SIGKILL of the parent) leaves no worker running and
the previous graph intact; Ctrl-C and SIGTERM exit with ExitCode.INTERRUPTED."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.exitcodes import ExitCode
from kg.outputs import OutputDir

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

pytestmark = [pytest.mark.slow,  # three whole builds started and killed: ~5 s; make test runs them
              pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads children from /proc")]


def many_inputs(folder: Path, copies: int = 24) -> Path:
    """`copies` copies of each seed, each with different bytes (blank lines added at the end), so
    none is answered by the cache and the build is still extracting when it is interrupted."""
    folder.mkdir()
    for n in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            (folder / f"{n:02d}-{seed.name}").write_bytes(seed.read_bytes() + b"\n" * (n + 1))
    return folder


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def until(condition, limit: float = 60.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def built(tmp_path):
    out = OutputDir(tmp_path / "out")
    build([SEEDS], out.root)
    return out, out.graph.read_bytes()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_build_stops_every_worker_and_keeps_the_graph(built, tmp_path, signum):
    out, graph = built
    inputs = many_inputs(tmp_path / "inputs")
    running = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(inputs), "-o", str(out.root), "-q",
                                "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert until(lambda: len(children(running.pid)) >= 2), "the build never started its workers"
        workers = children(running.pid)
        running.send_signal(signum)
        _, err = running.communicate(timeout=60)
    finally:
        if running.poll() is None:
            running.kill()
    if signum == signal.SIGKILL:
        assert running.returncode == -signal.SIGKILL
    else:
        assert running.returncode == ExitCode.INTERRUPTED
        assert err.strip() == "kg: interrupted; previous outputs left intact"
    assert until(lambda: not any(alive(w) for w in workers), 10), "a worker outlived its parent"
    assert out.graph.read_bytes() == graph
    entries = sorted((out.cache / "entries").glob("*"))
    time.sleep(0.5)
    assert sorted((out.cache / "entries").glob("*")) == entries  # nobody writes after the end
