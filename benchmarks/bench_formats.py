"""Benchmark the three formats side by side on one example: warm builds in one process (the same
input again, and the input edited before each build, as ``watch`` sees it) and cold CLI builds.

Run: ``python benchmarks/bench_formats.py [--runs N] [--backends html,latex,typst] [example]``
(default example: fuzhao_xue, a 4-page CV from the seeds). Prints a Markdown table, the load
average and the machine's speed (a fixed Python loop) before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import TODAY, machine
from bench_html import reference_loop

ROOT = Path(__file__).resolve().parent.parent


def warm(profile: Path, backend: str, runs: int, edit: bool) -> tuple[list[float], int]:
    """Seconds per build with one Builder, after a warm-up build. With ``edit``, the headline
    changes before every build (a copy of the profile's folder in a temporary folder)."""
    from cvrender.api import Builder, BuildOptions

    builder = Builder()
    options = BuildOptions(backend=backend, today=TODAY)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / profile.name
        shutil.copytree(profile.parent, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.pdf"))
        text = profile.read_text(encoding="utf-8")
        builder.compile(target, options)
        times, pages = [], 0
        for run in range(runs):
            if edit:  # a new headline line after the name, as if typed in an editor
                target.write_text(text.replace("\nname: ", f"\nheadline: Edit number {run}\nname: ", 1),
                                  encoding="utf-8")
            start = time.perf_counter()
            _, _, pdf, _ = builder.compile(target, options)
            times.append(time.perf_counter() - start)
            pages = pdf.pages
    return times, pages


def cold(profile: Path, backend: str, runs: int) -> float:
    """Median seconds of ``cvrender build -b BACKEND`` in a new process (imports included)."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "cvrender", "build", str(profile), "-b", backend, "-o", tmp,
                            "-q", "--today", TODAY.isoformat()], check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Measure each format on the example and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--backends", default="html,latex,typst")
    parser.add_argument("example", nargs="?", default="fuzhao_xue")
    args = parser.parse_args()
    profile = ROOT / "examples" / f"{args.example}.yaml"
    backends = [b for b in args.backends.split(",") if b]
    if "latex" in backends and shutil.which("xelatex") is None:
        print("LaTeX is not installed: skipping the latex backend")
        backends.remove("latex")
    before, load = [reference_loop() for _ in range(5)], os.getloadavg()
    rows = []
    for backend in backends:
        same, pages = warm(profile, backend, args.runs, edit=False)
        edited, _ = warm(profile, backend, args.runs, edit=True)
        rows.append((backend, pages, statistics.median(same), min(same), statistics.median(edited),
                     cold(profile, backend, args.cold_runs) if args.cold_runs else None))
    after, load_after = [reference_loop() for _ in range(5)], os.getloadavg()
    print(f"{profile.stem} on {machine()}; {args.runs} warm builds per format")
    print(f"load average before / after: {load[0]:.1f} / {load_after[0]:.1f}; reference loop (machine speed), "
          f"median of 5 before / after: {statistics.median(before):.3f} s / {statistics.median(after):.3f} s")
    print("| format | pages | warm s/CV, same input (median) | (min) | warm s/CV, edited input (median) | cold CLI s |")
    print("|---|---|---|---|---|---|")
    for backend, pages, median, low, edited, cold_s in rows:
        print(f"| {backend} | {pages} | {median:.3f} | {low:.3f} | {edited:.3f} | "
              f"{'-' if cold_s is None else f'{cold_s:.2f}'} |")


if __name__ == "__main__":
    main()
