"""Build-speed benchmark on the dev corpus. Prints numbers; asserts nothing.

    python bench/bench.py [CORPUS] [--plumber-sample N | --plumber-all]

The floor is the time pypdfium2 alone takes to pull the text of every page on one core.
Each build runs as its own `kg build` process (so peak RSS is the build's own):
  1. cold build: empty output folder (read + extract + RDF + SHACL + Turtle + store), all cores;
     the floor and the cold build take turns --rounds times (default 5), then a closing floor:
     each build's ratio to the floor before it and to the mean of the floors either side, and
     the medians of both printed
  2. no-change rebuild: same inputs again (content-hash cache)
  3. add one report: the corpus minus one report, then with it (three times, from a copy of
     the same output folder: the best and the median wall and CPU seconds; a shared machine's
     load moves one run by a second)
each with its time per phase (from build-report.json; extract/rdf/shacl, the Turtle of each report (part of serialise), and the cache entries'
encoding, are summed over the worker processes, so they can exceed the wall time). pdfplumber is timed on a sample of
files for comparison unless --plumber-all (~0.1 s a page).
Targets (issue #13): cold <= 1.5x floor, add one <= 1.5 s, no-change <= 1 s, peak RSS <= 1 GiB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Runs `kg build` and reports the peak RSS of the build process and of its worker processes.
KG = [sys.executable, "-c", "import resource, sys; from kg.cli import main; code = main(sys.argv[1:]); "
      "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
      "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"]


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(inputs: list[Path], out: Path) -> tuple[float, float, str, float]:
    """(seconds, peak RSS MiB, summary line, CPU seconds) of one `kg build` process; the CPU
    seconds (its workers included) are also at the end of the summary line: load on the
    machine inflates them less than the wall time."""
    cpu = cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(KG + ["build", *map(str, inputs), "-o", str(out), "-q"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    main_rss, worker_rss = next(map(int, l.split()[1:]) for l in done.stdout.splitlines() if l.startswith("RSS "))
    report = json.loads((out / "build-report.json").read_text())
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in report["summary"]["phases"].items())
    cpu = cpu_of_children() - cpu
    summary = (next((l for l in done.stdout.splitlines() if l.startswith("Built")), "") + f" [{phases}]"
               + f" CPU {cpu:.1f} s, load {os.getloadavg()[0]:.1f}")
    return seconds, max(main_rss, worker_rss) / 1024, summary, cpu


def read_only(paths: list[Path], reader: str) -> tuple[float, int]:
    sys.path.insert(0, str(ROOT / "src"))
    from kg.errors import KgError
    from kg.readers import read

    pages, started = 0, time.perf_counter()
    for path in paths:
        try:
            pages += read(path, reader=reader).page_count
        except KgError:
            pass
    return time.perf_counter() - started, pages


def text_floor(paths: list[Path]) -> tuple[float, int, float]:
    """Seconds for pypdfium2 alone to pull every page's text, on one core, the pages, and the
    CPU seconds it took."""
    import pypdfium2 as pdfium

    pages, started, cpu = 0, time.perf_counter(), time.process_time()
    for path in paths:
        try:
            pdf = pdfium.PdfDocument(path.read_bytes())
        except pdfium.PdfiumError:
            continue
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    cpu = time.process_time() - cpu
    print(f"{'':34} (floor CPU {cpu:.2f} s, load {os.getloadavg()[0]:.1f})")
    return time.perf_counter() - started, pages, cpu


def line(label: str, seconds: float, pages: int, rss: float | None = None, target: str = "") -> None:
    rate = f"{pages / seconds:8.0f} pages/s" if pages else " " * 16
    memory = f"  peak RSS {rss:6.0f} MiB" if rss is not None else ""
    print(f"{label:34} {seconds:7.2f} s  {rate}{memory}  {target}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus" / "reports")
    parser.add_argument("--plumber-sample", type=int, default=8, help="files read with pdfplumber (default 8; 0: none)")
    parser.add_argument("--plumber-all", action="store_true", help="read every file with pdfplumber (minutes)")
    parser.add_argument("--rounds", type=int, default=5, help="floor and cold build, taking turns (default 5)")
    args = parser.parse_args(argv)
    pdfs = sorted(args.corpus.rglob("*.pdf"))
    print(f"Corpus: {args.corpus} ({len(pdfs)} files), {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sample = (pdfs if args.plumber_all else
                  pdfs[:: max(1, len(pdfs) // args.plumber_sample)][: args.plumber_sample] if args.plumber_sample > 0 else [])
        p_seconds, p_pages = read_only(sample, "pdfplumber") if sample else (0.0, 0)
        if sample:
            line(f"read text, pdfplumber only ({len(sample)} files)", p_seconds, p_pages)
        # The floor and the cold build take turns, --rounds times, and a last floor closes: a
        # shared machine's speed drifts by a third within an hour, and one floor set against one
        # build moves the ratio with it. Each build is also set against the mean of the floors
        # measured just before and just after it.
        out, ratios, floors, builds = tmp / "out", [], [], []
        for number in range(1, max(1, args.rounds) + 1):
            floor, pages, floor_cpu = text_floor(pdfs)
            floors.append(floor)
            line(f"floor {number}: pypdfium2 text, 1 core", floor, pages)
            if sample and number == 1 and not args.plumber_all and p_pages:
                print(f"{'':34} pdfplumber -> whole corpus at its rate: ~{pages / (p_pages / p_seconds):.0f} s")
            shutil.rmtree(out, ignore_errors=True)
            seconds, rss, summary, cpu = run_build([args.corpus], out)
            ratios.append(seconds / floor)
            builds.append(seconds)
            line(f"cold build {number}", seconds, pages, rss,
                 f"ratio to floor {seconds / floor:.2f} (target <= 1.5, <= 1024 MiB)")
            print(f"{'':34} {summary}")
            print(f"{'':34} CPU of the build / CPU of the floor: {cpu / floor_cpu:.2f} (less sensitive to load)")
        floor, pages, _ = text_floor(pdfs)
        floors.append(floor)
        line("floor, closing", floor, pages)
        bracketed = [b / ((f + after) / 2) for b, f, after in zip(builds, floors, floors[1:])]
        print(f"{'cold / floor before, median':34} {statistics.median(ratios):7.2f}    "
              f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)})")
        print(f"{'cold / floors either side, median':34} {statistics.median(bracketed):7.2f}    "
              f"(rounds: {', '.join(f'{r:.2f}' for r in bracketed)}; target <= 1.5)")
        seconds, rss, summary, _ = run_build([args.corpus], out)
        line("no-change rebuild", seconds, 0, rss, "(target <= 1 s)")
        print(f"{'':34} {summary}")

        partial = tmp / "corpus"
        shutil.copytree(args.corpus, partial)
        held_back = sorted(partial.rglob("*.pdf"))[len(pdfs) // 2]
        spare = tmp / held_back.name
        held_back.rename(spare)
        before = tmp / "before"
        run_build([partial], before)
        spare.rename(held_back)
        runs = []
        for _ in range(3):
            out2 = tmp / "out2"
            shutil.rmtree(out2, ignore_errors=True)
            shutil.copytree(before, out2)
            runs.append(run_build([partial], out2))
        walls, cpus = sorted(r[0] for r in runs), sorted(r[3] for r in runs)
        line("add one report (median of 3)", walls[1], 0, max(r[1] for r in runs),
             f"(target <= 1.5 s; {held_back.parent.name}/{held_back.name})")
        print(f"{'':34} wall {', '.join(f'{w:.2f}' for w in walls)} s; CPU {', '.join(f'{c:.2f}' for c in cpus)} s")
        print(f"{'':34} {runs[-1][2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
