"""Failures keep data: a failed build leaves the previous PDF in place, an interrupted build leaves
no temporary file (or TeX process) behind, and TeX that loops is stopped at the time limit and
reported on one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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
    tally(request.config, "failures (previous PDF kept)")
    assert_one_line_error(cli("build", str(profile), "-o", str(output)), 2, "duplicate key 'name'")
    profile.write_text("name: Ada Lovelace\n", encoding="utf-8")  # valid, but the theme breaks
    run = cli("build", str(profile), "-o", str(output), "-t", str(DATA / "themes" / "runtime"))
    assert_one_line_error(run, 2, "ZeroDivisionError")
    assert output.read_bytes() == before
    assert _leftovers(output.parent, output) == []


def _interrupt(command: list[str], tmp: Path, ready: float | str) -> subprocess.CompletedProcess[str]:
    """Start ``command``; send SIGINT after ``ready`` seconds, or once a file named ``ready*`` shows
    up in ``tmp``; return the finished process."""
    env = {**os.environ, "TMPDIR": str(tmp)}
    env.pop("CVRENDER_DEBUG", None)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    if isinstance(ready, str):
        while not any(tmp.glob(ready + "*")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)
    else:
        time.sleep(ready)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.mark.slow
def test_interrupted_html_build_leaves_no_temporary_files(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    profile, output = _profile(tmp_path, publications=600), tmp_path / "out" / "cv.pdf"
    output.parent.mkdir()
    output.write_bytes(b"%PDF-1.7 the previous CV")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    command = [sys.executable, "-m", "cvrender", "build", str(profile), "-o", str(output),
               "--today", TODAY.isoformat()]
    interrupted = 0
    for delay in (2.5, 1.5, 4.0):  # after the imports, well before the end of a ~5 s build
        run = _interrupt(command, tmp, delay)
        tally(request.config, "interrupted builds")
        if run.returncode == 0 or "wrote " in run.stdout:  # finished before the signal: nothing to check
            output.write_bytes(b"%PDF-1.7 the previous CV")
            continue
        interrupted += 1
        assert run.returncode == 130, (run.returncode, run.stderr)
        assert "Traceback" not in run.stderr and run.stderr.strip().endswith("interrupted")
        assert output.read_bytes() == b"%PDF-1.7 the previous CV"
        assert _leftovers(output.parent, output) == [] and _leftovers(tmp, tmp) == []
    assert interrupted, "every build finished before it could be interrupted"


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
    run = _interrupt(command, tmp, ready="cvrender-tex-")  # once TeX runs in its build folder
    tally(request.config, "interrupted builds")
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
    tally(request.config, "looping TeX")
    text = assert_one_line_error(run, 1, "did not finish within 3 s and was stopped", "does the document loop?")
    assert "full log: " in text and Path(text.split("full log: ")[1].strip()).is_file()
    assert elapsed < 60, elapsed
    assert output.read_bytes() == before
    assert _leftovers(tmp, tmp) == [] and _processes_in(tmp_path) == []
