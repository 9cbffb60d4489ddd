"""Benchmark batch builds: CVs per second at -j 1 and -j 2 for each backend, on generated 3-page
profiles, and the time of a rebuild where nothing changed.

Run: ``nox -s bench`` or ``python benchmarks/bench_batch.py [-n 50] [--backends html,latex,typst]
[--jobs 1,2]``. Each figure is the wall time of the ``cvrender batch`` command, start-up included,
with Python byte-code cached as in an installed package and an empty TeX .aux cache.
Targets on a 2-core machine: HTML >= 4 CVs/s and LaTeX >= 2 CVs/s at -j 2; nothing changed < 1 s.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import TODAY, machine  # noqa: E402
from make_profiles import write_profiles  # noqa: E402

TARGETS = {"html": 4.0, "latex": 2.0, "typst": 20.0}
NOTHING_CHANGED_TARGET = 1.0


def _spin(seconds: float) -> float:
    """Busy-loop for about ``seconds``; return the loop rate (iterations per second)."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(10_000):
            count += 1
    return count / (time.perf_counter() - start)


def available_cores(seconds: float = 2.0) -> float:
    """How many cores two busy processes really get (2.0 on an idle 2-core machine)."""
    from concurrent.futures import ProcessPoolExecutor

    alone = _spin(seconds)
    with ProcessPoolExecutor(2) as pool:
        rates = list(pool.map(_spin, [seconds, seconds]))
    return sum(rates) / alone


def batch(profiles: Path, out: Path, jobs: int, backend: str, *extra: str,
          cache: str | None = None) -> tuple[float, dict]:
    """Run ``cvrender batch`` once; return its wall time and its JSON report."""
    report = out.parent / f"report-{out.name}.json"
    command = [sys.executable, "-c", "from cvrender.cli import main; main()", "batch", str(profiles),
               "-o", str(out), "-j", str(jobs), "-b", backend, "--today", TODAY.isoformat(), "-q",
               "--report", str(report), *extra]
    # as installed: byte-code cached (outside the checkout); a fresh TeX .aux cache for each run
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPYCACHEPREFIX=str(out.parent / "pycache"),
               XDG_CACHE_HOME=str(out.parent / f"cache-{cache or out.name}"))
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"cvrender batch failed ({run.returncode}):\n{run.stderr}")
    return seconds, json.loads(report.read_text(encoding="utf-8"))


def cpu_per_cv(profiles: Path, out: Path, backend: str, count: int = 10) -> tuple[float, float]:
    """CPU seconds per CV (this process plus the TeX processes it waits for), one at a time, after
    a warm-up build: on a first build of each profile, and on a rebuild (LaTeX then reuses the
    profile's .aux files and runs fewer passes).

    Unlike wall time this hardly depends on what else the machine is doing; on an idle machine
    ``-j 2`` cannot beat ``2 / cpu_per_cv`` CVs per second.
    """
    from cvrender.api import Job
    from cvrender.batch import run_batch

    os.environ["XDG_CACHE_HOME"] = str(out / "cache")
    files = sorted(profiles.glob("*.yaml"))[: count + 1]
    jobs = [Job(f, str(out) + "/", backend=backend, options={"today": TODAY}) for f in files]
    list(run_batch(jobs[:1], workers=1))  # warm up: fonts, templates, TeX formats
    figures = []
    for _ in range(2):
        before = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        outcomes = list(run_batch(jobs[1:], workers=1))
        after = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        if any(not o.ok for o in outcomes):
            raise SystemExit(f"a build failed: {[str(o.error) for o in outcomes if not o.ok]}")
        children = (after[1].ru_utime + after[1].ru_stime) - (before[1].ru_utime + before[1].ru_stime)
        figures.append(((after[0] - before[0]) + children) / len(outcomes))
    return figures[0], figures[1]


def main() -> None:
    """Generate the profiles, time the batches, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="number of profiles (default 50)")
    parser.add_argument("--backends", default="html,latex,typst")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--nothing-changed-runs", type=int, default=5)
    args, _ = parser.parse_known_args()  # nox passes every bench script the same arguments
    backends = [b for b in args.backends.split(",") if b]
    if "latex" in backends and shutil.which("xelatex") is None:
        print("LaTeX is not installed: skipping the latex backend")
        backends.remove("latex")
    jobs = [int(j) for j in args.jobs.split(",")]

    load_before = f"{os.getloadavg()[0]:.1f}"
    with tempfile.TemporaryDirectory(prefix="cvrender-bench-") as tmp:
        root = Path(tmp)
        profiles = root / "profiles"
        write_profiles(profiles, args.n)
        rows = []
        nothing_changed: dict[str, float] = {}
        cpu: dict[str, tuple[float, float]] = {}
        cores = available_cores()
        print(f"cores available to two busy processes: {cores:.2f} of 2", flush=True)
        for backend in backends:
            cpu[backend] = cpu_per_cv(profiles, root / f"cpu-{backend}", backend)
            print(f"{backend}: {cpu[backend][0]:.2f} CPU s per CV, {cpu[backend][1]:.2f} on a rebuild", flush=True)
            for j in jobs:
                name = f"{backend}-{j}"
                runs = [("", ())] + ([("warm .aux cache", ("--force",))] if backend == "latex" else [])
                for label, extra in runs:
                    seconds, report = batch(profiles, root / f"out-{name}", j, backend, *extra, cache=name)
                    summary = report["summary"]
                    pages = [row["pages"] for row in report["profiles"]]
                    rows.append((backend, j, label, summary["built"], seconds, args.n / seconds,
                                 f"{min(pages)}-{max(pages)}"))
                    print(f"{backend} -j {j} {label}: {summary['built']} CVs in {seconds:.1f} s = "
                          f"{args.n / seconds:.2f} CVs/s", flush=True)
            out = root / f"out-{backend}-{jobs[-1]}"
            times = [batch(profiles, out, jobs[-1], backend)[0] for _ in range(args.nothing_changed_runs)]
            nothing_changed[backend] = statistics.median(times)

    print()
    print(f"Machine: {machine()}; load average before/after: {load_before} / {os.getloadavg()[0]:.1f}")
    print(f"Profiles: {args.n} generated by benchmarks/make_profiles.py (seed 1)")
    print()
    print(f"Cores available to two busy processes while measuring: {cores:.2f} of 2")
    print()
    print("| backend | -j | CVs built | pages per CV | seconds | CVs/s | target |")
    print("|---|---|---|---|---|---|---|")
    for backend, j, label, built, seconds, rate, pages in rows:
        target = f">= {TARGETS[backend]:g} at -j 2" if j == 2 else ""
        verdict = ("met" if rate >= TARGETS[backend] else "missed") if j == 2 else ""
        shown = f"{backend} ({label})" if label else backend
        print(f"| {shown} | {j} | {built} | {pages} | {seconds:.1f} | {rate:.2f} | {target} {verdict} |")
    print()
    print(f"| nothing changed ({args.n} up to date) | seconds, median of {args.nothing_changed_runs} | target |")
    print("|---|---|---|")
    for backend, seconds in nothing_changed.items():
        verdict = "met" if seconds < NOTHING_CHANGED_TARGET else "missed"
        print(f"| {backend} | {seconds:.2f} | < {NOTHING_CHANGED_TARGET:g} s {verdict} |")
    print()
    print("| backend | CPU s per CV, first build | idle 2-core ceiling at -j 2 | CPU s per CV, rebuild | ceiling |")
    print("|---|---|---|---|---|")
    for backend, (first, again) in cpu.items():
        print(f"| {backend} | {first:.2f} | {2 / first:.1f} CVs/s | {again:.2f} | {2 / again:.1f} CVs/s |")

if __name__ == "__main__":
    main()
