"""How long the fast test command takes: runs `make test-fast`'s pytest command several times.
Prints each run's wall time, its CPU seconds (pytest and every process it started) and the load
average before it, then the median. Asserts nothing.

    python bench/bench_tests.py [--runs 3] [--serial]

Target (issue 12): `make test-fast` under 40 s. --serial runs one process instead of two
workers: its CPU seconds are the suite's work with no sharing of the 2 cores.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKEFILE = ROOT / "Makefile"


def fast_command() -> tuple[dict[str, str], list[str]]:
    """The environment and pytest arguments of the Makefile's test-fast recipe (its one home)."""
    recipe = MAKEFILE.read_text().split("\ntest-fast:", 1)[1].splitlines()[1]
    words = shlex.split(recipe)
    at = words.index("pytest")
    env = dict(w.split("=", 1) for w in words[:at] if re.fullmatch(r"[A-Z_]+=\S*", w))
    return env, words[at + 1:]


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serial", action="store_true", help="one process, no xdist workers")
    options = parser.parse_args(argv)
    env, args = fast_command()
    if options.serial:
        args = [a for i, a in enumerate(args) if a != "-n" and (i == 0 or args[i - 1] != "-n")]
    print(f"{' '.join(f'{k}={v}' for k, v in env.items())} pytest {' '.join(args)}; {os.cpu_count()} cores")
    walls = []
    for run in range(1, options.runs + 1):
        load = os.getloadavg()[0]
        cpu, started = cpu_of_children(), time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env={**os.environ, **env},
                              capture_output=True, text=True)
        wall, cpu = time.perf_counter() - started, cpu_of_children() - cpu
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-200:]
        print(f"run {run}: {wall:5.1f} s wall, {cpu:5.1f} CPU-s, load before {load:.1f}: {summary}")
        walls.append(wall)
        if done.returncode:
            return done.returncode
    print(f"median {statistics.median(walls):.1f} s (target: under 40 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
