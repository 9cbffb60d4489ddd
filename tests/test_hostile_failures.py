"""Failures keep data: a failed build leaves the previous PDF in place, an interrupted build leaves
no temporary file (or TeX process) behind, and TeX that loops is stopped at the time limit and
reported on one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import TODAY
from test_hostile_support import DATA, assert_one_line_error, cli, require_tex, tally


def _profile(folder: Path, publications: int = 0) -> Path:
    pubs = [{"title": f"On the analysis of engine number {i} and its notes", "authors": ["Ada Lovelace", f"Author {i}"],
             "venue": "Proceedings of Things", "year": 1990 + i % 30} for i in range(publications)]
    path = folder / "cv.yaml"
    path.write_text(yaml.safe_dump({"name": "Ada Lovelace", "about": "Mathematician.", "publications": pubs}),
                    encoding="utf-8")
    return path


def _previous_pdf(profile: Path, output: Path) -> bytes:
    run = cli("build", str(profile), "-o", str(output), "--today", TODAY.isoformat())
    assert run.returncode == 0, run.stderr
    return output.read_bytes()


def _leftovers(folder: Path, keep: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p != keep)


def _processes_in(folder: Path) -> list[str]:
    """Processes whose working directory is inside ``folder`` (a TeX run that was not stopped)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cwd = Path(os.readlink(proc / "cwd"))
            except OSError:
                continue
            if cwd.is_relative_to(folder):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
    return found


def test_a_failed_build_keeps_the_previous_pdf(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    profile, output = _profile(tmp_path), tmp_path / "out" / "cv.pdf"
    before = _previous_pdf(profile, output)
    profile.write_text("name: Ada Lovelace\nname: Eve\n", encoding="utf-8")  # now invalid
    tally(request, "failures (previous PDF kept)")
    assert_one_line_error(cli("build", str(profile), "-o", str(output)), 2, "duplicate key 'name'")
    profile.write_text("name: Ada Lovelace\n", encoding="utf-8")  # valid, but the theme breaks
    run = cli("build", str(profile), "-o", str(output), "-t", str(DATA / "themes" / "runtime"))
    assert_one_line_error(run, 2, "ZeroDivisionError")
    assert output.read_bytes() == before
    assert _leftovers(output.parent, output) == []


def _interrupt(command: list[str], tmp: Path, ready: Callable[[], object],
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Start ``command`` with ``tmp`` as its temporary folder; send SIGINT as soon as ``ready()``
    is true (the build has reached the stage to interrupt, whatever the machine's speed); return the
    finished process."""
    env = {**os.environ, **(env or {}), "TMPDIR": str(tmp)}
    env.pop("CVRENDER_DEBUG", None)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # polling for the event, not a guess at how long the build takes
    assert process.poll() is None, "the build ended before it reached the stage to interrupt"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _stage_reached(stages: Path, stage: str) -> Callable[[], bool]:
    """True once the build has announced ``stage`` in the file named by $CVRENDER_STAGE_FILE."""
    return lambda: stages.is_file() and stage in stages.read_text(encoding="utf-8").split()


@pytest.mark.slow
def test_interrupted_html_build_leaves_no_temporary_files(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    profile, output = _profile(tmp_path, publications=600), tmp_path / "out" / "cv.pdf"  # seconds of layout
    output.parent.mkdir()
    output.write_bytes(b"%PDF-1.7 the previous CV")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    stages = tmp_path / "stages.txt"
    command = [sys.executable, "-m", "cvrender", "build", str(profile), "-o", str(output),
               "--today", TODAY.isoformat()]
    run = _interrupt(command, tmp, _stage_reached(stages, "compile"), {"CVRENDER_STAGE_FILE": str(stages)})
    tally(request, "interrupted builds")
    assert stages.read_text(encoding="utf-8").split() == ["compile"], "interrupted while WeasyPrint worked"
    assert run.returncode == 130, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr and run.stderr.strip().endswith("interrupted")
    assert output.read_bytes() == b"%PDF-1.7 the previous CV"
    assert _leftovers(output.parent, output) == [] and _leftovers(tmp, tmp) == []


@pytest.mark.tex
@pytest.mark.slow
def test_interrupted_latex_build_stops_tex_and_leaves_no_temporary_files(tmp_path: Path,
                                                                         request: pytest.FixtureRequest) -> None:
    require_tex()
    profile, output = _profile(tmp_path, publications=600), tmp_path / "out" / "cv.pdf"  # TeX runs for seconds
    output.parent.mkdir()
    output.write_bytes(b"%PDF-1.7 the previous CV")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    command = [sys.executable, "-m", "cvrender", "build", str(profile), "-b", "latex", "-o", str(output),
               "--today", TODAY.isoformat()]
    run = _interrupt(command, tmp, lambda: _processes_in(tmp))  # once TeX runs in its build folder
    tally(request, "interrupted builds")
    assert run.returncode == 130, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr and run.stderr.strip().endswith("interrupted")
    assert output.read_bytes() == b"%PDF-1.7 the previous CV"
    assert _leftovers(output.parent, output) == [] and _leftovers(tmp, tmp) == []
    assert _processes_in(tmp_path) == []


@pytest.mark.tex
@pytest.mark.slow
def test_looping_tex_is_stopped_at_the_time_limit_and_reported(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    require_tex()
    profile, output = _profile(tmp_path), tmp_path / "out" / "cv.pdf"
    before = _previous_pdf(profile, output)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "CVRENDER_TEX_TIMEOUT": "3", "TMPDIR": str(tmp),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("CVRENDER_DEBUG", None)
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "cvrender", "build", str(profile), "-b", "latex",
                          "-t", str(DATA / "themes" / "looping"), "-o", str(output)],
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    elapsed = time.monotonic() - start
    tally(request, "looping TeX")
    text = assert_one_line_error(run, 1, "did not finish within 3 s and was stopped", "does the document loop?")
    assert "full log: " in text and Path(text.split("full log: ")[1].strip()).is_file()
    assert elapsed < 60, elapsed
    assert output.read_bytes() == before
    assert _leftovers(tmp, tmp) == [] and _processes_in(tmp_path) == []
