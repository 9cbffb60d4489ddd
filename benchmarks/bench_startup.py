"""Benchmark cold start: wall time of ``cvrender`` commands in a new process, and what each imports.

For each command: the median and min wall time of ``--runs`` cold runs (the commands take turns,
so a slow minute of a shared machine falls on all of them), the import time ``python -X
importtime`` reports (sum of every module's own time, one run), and which of the heavy
packages (the PDF engine, Babel, the BibTeX parser, rich, markdown-it, Jinja) were imported.
Byte-code is written and used, as for an installed package, whatever ``PYTHONDONTWRITEBYTECODE`` says.

    python benchmarks/bench_startup.py --runs 10
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import TODAY, machine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fuzhao_xue.yaml"
HEAVY = ("weasyprint", "pydyf", "fontTools", "babel", "bibtexparser", "pylatexenc", "rich", "markdown_it",
         "jinja2")


def commands(outdir: str) -> dict[str, list[str]]:
    """The measured commands, by the name the table shows."""
    return {
        "--help": ["--help"],
        "validate": ["validate", str(EXAMPLE)],
        "schema": ["schema"],
        "build (html)": ["build", str(EXAMPLE), "-o", outdir, "-q", "--today", TODAY.isoformat()],
    }


def environment() -> dict[str, str]:
    """The current environment with byte-code writing allowed."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(args: list[str], env: dict[str, str]) -> float:
    """Seconds of one ``python -m cvrender ARGS`` in a new process."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cvrender", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def imports(args: list[str], env: dict[str, str]) -> tuple[float, list[str]]:
    """Seconds of imports (sum of the modules' own times) and the heavy packages imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cvrender", *args], check=True, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    total = 0
    tops = set()
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)", line)
        if match:
            total += int(match[1])
            tops.add(match[2].split(".")[0])
    return total / 1e6, [name for name in HEAVY if name in tops]


def main() -> None:
    """Measure every command and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    env = environment()
    with tempfile.TemporaryDirectory() as outdir:
        todo = commands(outdir)
        for argv in todo.values():  # warm-up: byte-code written, OS file cache filled
            run(argv, env)
        times: dict[str, list[float]] = {name: [] for name in todo}
        for _ in range(args.runs):
            for name, argv in todo.items():
                times[name].append(run(argv, env))
        loaded = {name: imports(argv, env) for name, argv in todo.items()}
    print(f"cold start on {machine()}; {args.runs} runs per command; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| command | wall s (median) | wall s (min) | imports s | heavy packages imported |")
    print("|---|---|---|---|---|")
    for name in todo:
        seconds, heavy = loaded[name]
        print(f"| `{name}` | {statistics.median(times[name]):.3f} | {min(times[name]):.3f} | {seconds:.3f} "
              f"| {', '.join(heavy) or 'none'} |")


if __name__ == "__main__":
    main()
