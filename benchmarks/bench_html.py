"""Benchmark the HTML backend: cold CLI time and warm in-process time per CV, for each example.

Run: ``nox -s bench`` or ``python benchmarks/bench_html.py [--runs N]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 1, 15)


def machine() -> str:
    """CPU model and core count."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def warm(profile: Path, runs: int) -> tuple[float, int, dict[str, float]]:
    """Median seconds of an in-process build after one warm-up, pages, and median stage timings."""
    from cvrender.api import Builder, BuildOptions

    builder = Builder()
    options = BuildOptions(today=TODAY)
    builder.compile(profile, options)
    times, stages = [], {}
    pages = 0
    for _ in range(runs):
        start = time.perf_counter()
        _, _, pdf, timings = builder.compile(profile, options)
        times.append(time.perf_counter() - start)
        pages = pdf.pages
        for key, value in timings.items():
            stages.setdefault(key, []).append(value)
    return statistics.median(times), pages, {k: statistics.median(v) for k, v in stages.items()}


def cold(profile: Path, runs: int) -> float:
    """Median seconds of ``cvrender build`` in a new process."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "cvrender.cli", "build", str(profile), "-o", tmp, "-q",
                            "--today", TODAY.isoformat()], check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Measure every example and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"HTML backend (WeasyPrint) on {machine()}")
    print("| example | pages | warm s/CV (median) | context+render | weasyprint | cold CLI s |")
    print("|---|---|---|---|---|---|")
    for profile in sorted((ROOT / "examples").glob("*.yaml")):
        seconds, pages, stages = warm(profile, args.runs)
        cold_seconds = cold(profile, args.cold_runs)
        print(f"| {profile.stem} | {pages} | {seconds:.3f} | {stages['prepare'] + stages['render']:.3f} "
              f"| {stages['compile']:.3f} | {cold_seconds:.2f} |")


if __name__ == "__main__":
    main()
