"""Benchmark the LaTeX backend: one TeX pass, a full build, and a rebuild of an unchanged profile.

For each example and engine (medians of ``--runs`` runs):

* **one pass**: one run of the engine on the rendered source (the first pass of a full build);
* **full build**: load, render and compile with no cached ``.aux`` (as on a first build), with the
  number of passes it took (the preamble's format, if the engine uses one, is made in the warm-up);
* **rebuild**: the same profile again, with the ``.aux`` the previous build left in the cache.

Run: ``nox -s bench`` or ``python benchmarks/bench_latex.py [--runs N] [--engines xelatex,pdflatex]
[--examples runxin_xu,xinxin_liu]``. Prints a Markdown table.
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

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("xelatex", "pdflatex", "lualatex")


def tex_version() -> str:
    """The first line of ``tex --version`` (the TeX Live release), or ``no TeX``."""
    if shutil.which("tex") is None:
        return "no TeX"
    return subprocess.run(["tex", "--version"], capture_output=True, text=True).stdout.splitlines()[0]


def measure(profile: Path, engine: str, runs: int) -> dict[str, float] | str:
    """Medians for one profile and engine, or the reason it cannot be built."""
    from cvrender.api import Builder, BuildOptions
    from cvrender.errors import CvrenderError
    from cvrender.formats.latex.engine import cache_dir

    options = BuildOptions(backend="latex", engine=engine, today=TODAY)
    fresh = Builder()  # a first build: no .aux of this profile (the preamble's format is made once)
    cached = Builder()
    try:
        fresh.compile(profile, options)  # warm-up: font caches, Python imports
        cached.compile(profile, options)  # fills the .aux cache
    except CvrenderError as exc:
        return str(exc).split(";")[0]
    full, passes, first_pass, rebuild, rebuild_passes, python = [], [], [], [], [], []
    pages = 0
    for _ in range(runs):
        shutil.rmtree(cache_dir() / "aux", ignore_errors=True)
        start = time.perf_counter()
        _, _, pdf, timings = fresh.compile(profile, options)
        full.append(time.perf_counter() - start)
        passes.append(pdf.info["passes"])
        first_pass.append(pdf.info["pass_seconds"][0])
        python.append(timings["prepare"] + timings["render"])
        pages = pdf.pages
        start = time.perf_counter()
        _, _, pdf, _ = cached.compile(profile, options)
        rebuild.append(time.perf_counter() - start)
        rebuild_passes.append(pdf.info["passes"])
    return {"pages": pages, "python": statistics.median(python), "pass": statistics.median(first_pass),
            "full": statistics.median(full), "passes": statistics.median(passes),
            "rebuild": statistics.median(rebuild), "rebuild_passes": statistics.median(rebuild_passes)}


def main() -> None:
    """Measure and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--examples", default="", help="comma-separated example names (default: all)")
    parser.add_argument("--cold-runs", type=int, default=0, help="accepted for nox -s bench; unused")
    args = parser.parse_args()
    names = [n for n in args.examples.split(",") if n]
    profiles = [p for p in sorted((ROOT / "examples").glob("*.yaml")) if not names or p.stem in names]
    engines = [e for e in args.engines.split(",") if e]
    with tempfile.TemporaryDirectory(prefix="cvrender-bench-") as cache:
        os.environ["XDG_CACHE_HOME"] = cache  # the benchmark's own .aux cache
        print(f"LaTeX backend on {machine(tex_version())}")
        print(f"command: python benchmarks/bench_latex.py --runs {args.runs} --engines {','.join(engines)}"
              + (f" --examples {','.join(names)}" if names else ""))
        print()
        print("| example | engine | pages | Python s | one pass s | full build s (passes) | rebuild s (passes) |")
        print("|---|---|---|---|---|---|---|")
        for profile in profiles:
            for engine in engines:
                if shutil.which(engine) is None:
                    print(f"| {profile.stem} | {engine} | – | – | – | not installed | – |")
                    continue
                result = measure(profile, engine, args.runs)
                if isinstance(result, str):
                    print(f"| {profile.stem} | {engine} | – | – | – | {result} | – |")
                    continue
                print(f"| {profile.stem} | {engine} | {result['pages']:.0f} | {result['python']:.3f} "
                      f"| {result['pass']:.2f} | {result['full']:.2f} ({result['passes']:.0f}) "
                      f"| {result['rebuild']:.2f} ({result['rebuild_passes']:.0f}) |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
