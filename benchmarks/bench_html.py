"""Benchmark the HTML backend: cold CLI time and warm in-process time per CV, for each example.

Run: ``nox -s bench`` or ``python benchmarks/bench_html.py [--runs N]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import TODAY, machine

ROOT = Path(__file__).resolve().parent.parent


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop: how fast this machine is right now. On a shared host
    it swings by half between minutes, so each table row is printed with it."""
    start = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i * i
    return time.perf_counter() - start


def warm(profiles: list[Path], runs: int) -> dict[str, tuple[list[float], int, dict[str, list[float]]]]:
    """In-process builds with one ``Builder`` per profile, after one warm-up build each. The
    profiles take turns (one build of each per round), so a slow minute of a shared machine
    falls on all of them alike. Per profile: seconds of each build, pages, stage timings."""
    from cvrender.api import Builder, BuildOptions

    options = BuildOptions(today=TODAY)
    builders = {p: Builder() for p in profiles}
    for profile, builder in builders.items():
        builder.compile(profile, options)
    out: dict[str, tuple[list[float], int, dict[str, list[float]]]] = {
        p.stem: ([], 0, {}) for p in profiles}
    for _ in range(runs):
        for profile, builder in builders.items():
            start = time.perf_counter()
            _, _, pdf, timings = builder.compile(profile, options)
            elapsed = time.perf_counter() - start
            times, _, stages = out[profile.stem]
            times.append(elapsed)
            for key, value in timings.items():
                stages.setdefault(key, []).append(value)
            out[profile.stem] = (times, pdf.pages, stages)
    return out


def cold(profile: Path, runs: int) -> float:
    """Median seconds of ``cvrender build`` in a new process."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "cvrender", "build", str(profile), "-o", tmp, "-q",
                            "--today", TODAY.isoformat()], check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Measure every example and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cold-runs", type=int, default=3, help="0 skips the cold CLI builds")
    parser.add_argument("examples", nargs="*", help="example names (default: all)")
    args = parser.parse_args()
    profiles = sorted((ROOT / "examples").glob("*.yaml"))
    if args.examples:
        profiles = [p for p in profiles if p.stem in args.examples]
    before = [reference_loop() for _ in range(5)]
    results = warm(profiles, args.runs)
    after = [reference_loop() for _ in range(5)]
    print(f"HTML backend (WeasyPrint) on {machine()}; {args.runs} warm builds per example")
    print(f"reference loop (machine speed), median of 5 before / after: "
          f"{statistics.median(before):.3f} s / {statistics.median(after):.3f} s")
    print("| example | pages | warm s/CV (median) | warm s/CV (min) | context+render | weasyprint | cold CLI s |")
    print("|---|---|---|---|---|---|---|")
    for profile in profiles:
        times, pages, stages = results[profile.stem]
        cold_seconds = f"{cold(profile, args.cold_runs):.2f}" if args.cold_runs else "-"
        prepare = statistics.median(stages["prepare"]) + statistics.median(stages["render"])
        print(f"| {profile.stem} | {pages} | {statistics.median(times):.3f} | {min(times):.3f} "
              f"| {prepare:.3f} | {statistics.median(stages['compile']):.3f} | {cold_seconds} |")


if __name__ == "__main__":
    main()
