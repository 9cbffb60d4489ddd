"""Instructions per warm HTML build, counted by valgrind's callgrind: a figure that does not move
with the load of a shared machine, for comparing two versions of the code.

Run: ``python benchmarks/count_instructions.py [example ...]`` (default: runxin_xu full). Needs
valgrind. Each example is run twice under callgrind, with one and with three builds in one
process; the difference, halved, is one warm build (imports and the first build cancel out).
Takes a few minutes per example: not part of ``nox -s bench``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import TODAY

ROOT = Path(__file__).resolve().parent.parent

DRIVER = f"""
import datetime as dt, sys
from pathlib import Path
from cvrender.api import Builder, BuildOptions
builder, options = Builder(), BuildOptions(today=dt.date({TODAY.year}, {TODAY.month}, {TODAY.day}))
for _ in range(int(sys.argv[2])):
    builder.compile(Path(sys.argv[1]), options)
"""


def instructions(profile: Path, builds: int, workdir: Path) -> int:
    """Instructions executed by a process that makes ``builds`` builds of ``profile``."""
    driver = workdir / "driver.py"
    driver.write_text(DRIVER)
    out = workdir / f"callgrind.{profile.stem}.{builds}"
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--cache-sim=no", f"--callgrind-out-file={out}",
         sys.executable, str(driver), str(profile), str(builds)],
        capture_output=True, text=True, env=env, check=True)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if not match:
        raise SystemExit(f"no count in valgrind's output:\n{result.stderr[-2000:]}")
    return int(match.group(1))


def main() -> None:
    """Print instructions per warm build for each example."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("examples", nargs="*", default=["runxin_xu", "full"])
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt install valgrind)")
    print("| example | instructions per warm build |")
    print("|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.examples:
            profile = ROOT / "examples" / f"{name}.yaml"
            one, three = instructions(profile, 1, Path(tmp)), instructions(profile, 3, Path(tmp))
            print(f"| {name} | {(three - one) / 2 / 1e6:,.0f} M |")


if __name__ == "__main__":
    main()
