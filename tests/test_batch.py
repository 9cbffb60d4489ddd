"""Batch builds: a failing profile does not stop the others, incremental rebuilds, the JSON report,
build_many on any executor (threads, processes, a real Dask cluster), and clean Ctrl-C."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import IN_CI, ROOT, pdf_text, require_tex
from pypdf import PdfReader

import cvrender
from cvrender.batch import BUILT, FAILED, Outcome, run_batch
from cvrender.errors import Problem, ProfileError

PROFILE = """\
name: {name}
headline: Researcher number {n}
email: person{n}@example.org
education:
  - institution: University {n}
    degree: Ph.D.
    date: 2015 - 2020
publications:
  - title: The paper of {name}
    authors: [{name}, Ada Lovelace]
    venue: ACL
    year: 2021
"""

BAD = """\
name: Broken Profile
education:
  - institution: Somewhere
    date: Smarch 2020
"""


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``cvrender`` in a fresh process, as a user would."""
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-c", "from cvrender.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=cwd, env=full_env, timeout=timeout)


def write_profiles(folder: Path, names: list[str]) -> list[Path]:
    """Small valid profiles, one per name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, name in enumerate(names):
        path = folder / f"{name.split()[0].lower()}.yaml"
        path.write_text(PROFILE.format(name=name, n=n), encoding="utf-8")
        paths.append(path)
    return paths


def touch(path: Path) -> None:
    """Move the modification time forward, as ``touch`` does."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def theme_copy(tmp_path: Path) -> str:
    """A private copy of the academic theme, so that incremental tests see only their own changes."""
    target = tmp_path / "academic-copy"
    shutil.copytree(ROOT / "themes" / "academic", target)
    return str(target)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_profiles(tmp_path / "profiles", ["Ada Byron", "Alan Turing", "Grace Hopper"])
    return tmp_path / "profiles"


def test_invalid_profile_is_reported_and_the_others_build(folder: Path, tmp_path: Path) -> None:
    bad = folder / "broken.yaml"
    bad.write_text(BAD, encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "report.json"
    result = run_cli("batch", str(folder), "-o", str(out), "-j", "2", "--report", str(report))
    assert result.returncode == 1
    assert sorted(p.name for p in out.glob("*.pdf")) == ["Ada_Byron_CV.pdf", "Alan_Turing_CV.pdf",
                                                         "Grace_Hopper_CV.pdf"]
    assert f"error: {bad}:4:11: education[0].date:" in result.stderr
    assert "Traceback" not in result.stderr
    assert "3 built, 0 up to date, 1 failed" in result.stderr
    assert "The paper of Grace Hopper" in pdf_text(out / "Grace_Hopper_CV.pdf")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"] == {"built": 3, "up_to_date": 0, "failed": 1, "cancelled": 0, "total": 4, "pages": 3}
    row = next(r for r in data["profiles"] if r["profile"].endswith("broken.yaml"))
    assert row["status"] == "failed"
    assert (row["errors"][0]["file"], row["errors"][0]["line"], row["errors"][0]["column"]) == (str(bad), 4, 11)


def test_second_run_rebuilds_nothing_and_a_touched_profile_alone(folder: Path, tmp_path: Path,
                                                                 theme_copy: str) -> None:
    out = tmp_path / "out"
    first = run_cli("batch", str(folder), "-o", str(out), "-j", "1", "-t", theme_copy)
    assert first.returncode == 0, first.stderr
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert len(stamps) == 3

    again = run_cli("batch", str(folder), "-o", str(out), "-j", "1", "-t", theme_copy)
    assert again.returncode == 0
    assert "nothing to do: all 3 CVs are up to date" in again.stdout
    assert "up to date" in again.stdout and "built" not in again.stdout.replace("0 built", "")
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == stamps

    touch(folder / "alan.yaml")
    touched = run_cli("batch", str(folder), "-o", str(out), "-j", "1", "-t", theme_copy)
    assert "1 built, 2 up to date, 0 failed" in touched.stdout, touched.stdout
    changed = {name for name, ns in stamps.items() if (out / name).stat().st_mtime_ns != ns}
    assert changed == {"Alan_Turing_CV.pdf"}

    option = run_cli("batch", str(folder), "-o", str(out), "-j", "1", "-t", theme_copy, "--set", "accent=#aa0000")
    assert "3 built, 0 up to date, 0 failed" in option.stdout, option.stdout

    (out / "Ada_Byron_CV.pdf").unlink()  # a deleted PDF is rebuilt
    deleted = run_cli("batch", str(folder), "-o", str(out), "-j", "1", "-t", theme_copy, "--set", "accent=#aa0000")
    assert "1 built, 2 up to date, 0 failed" in deleted.stdout, deleted.stdout

    forced = run_cli("batch", str(folder), "-o", str(out), "-j", "1", "-t", theme_copy, "--set", "accent=#aa0000", "--force")
    assert "3 built, 0 up to date, 0 failed" in forced.stdout, forced.stdout


def test_a_changed_bib_or_theme_file_rebuilds(tmp_path: Path, theme_copy: str) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "refs.bib").write_text(
        "@inproceedings{a, author={Ada Byron}, title={Engines of Analysis}, booktitle={ACL}, year={2021}}\n",
        encoding="utf-8")
    (folder / "ada.yaml").write_text("name: Ada Byron\npublications: {bibtex: refs.bib}\n", encoding="utf-8")
    write_profiles(folder, ["Alan Turing"])
    out = tmp_path / "out"
    args = ["batch", str(folder / "ada.yaml"), str(folder / "alan.yaml"), "-o", str(out), "-j", "1", "-t", theme_copy]
    assert run_cli(*args).returncode == 0
    assert "nothing to do" in run_cli(*args).stdout

    bib = folder / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Engines of Analysis", "Notes on the Engine"),
                   encoding="utf-8")
    result = run_cli(*args)
    assert "1 built, 1 up to date, 0 failed" in result.stdout, result.stdout  # only Ada reads refs.bib
    assert "Notes on the Engine" in pdf_text(out / "Ada_Byron_CV.pdf")

    theme = Path(theme_copy)
    (theme / "latex" / "unused.tex.j2").write_text("% the other backend\n", encoding="utf-8")
    (theme / "html" / ".cv.html.j2.swp").write_text("an editor's file\n", encoding="utf-8")
    assert "nothing to do" in run_cli(*args).stdout
    (theme / "html" / "extra.css.j2").write_text("/* a new file in the theme */\n", encoding="utf-8")
    assert "2 built, 0 up to date, 0 failed" in run_cli(*args).stdout
    style = theme / "html" / "style.css.j2"
    style.write_text(style.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert "2 built, 0 up to date, 0 failed" in run_cli(*args).stdout


def test_nothing_changed_never_imports_weasyprint(folder: Path, tmp_path: Path, theme_copy: str) -> None:
    out = tmp_path / "out"
    assert run_cli("batch", str(folder), "-o", str(out), "-j", "1", "-t", theme_copy).returncode == 0
    script = ("import sys\nfrom cvrender.cli import main\n"
              f"try:\n    main(['batch', {str(folder)!r}, '-o', {str(out)!r}, '-t', {theme_copy!r}])\n"
              "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
              "print('weasyprint' in sys.modules, 'cvrender.formats.html.engine' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "nothing to do" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_two_profiles_writing_the_same_pdf_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    write_profiles(folder, ["Ada Byron"])
    (folder / "ada_copy.yaml").write_text((folder / "ada.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("batch", str(folder), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.returncode == 1
    assert "both write" in result.stderr and "Ada_Byron_CV.pdf" in result.stderr


def test_a_folder_without_profiles_is_an_error(tmp_path: Path) -> None:
    result = run_cli("batch", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path} holds no profile files" in result.stderr


def test_build_many_yields_results_and_errors_with_their_job(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.yaml").write_text(BAD, encoding="utf-8")
    jobs = [cvrender.Job(p, output=tmp_path / "out" / p.with_suffix(".pdf").name)
            for p in sorted(folder.glob("*.yaml"))]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(cvrender.build_many(jobs, executor=pool))
    assert len(results) == 4
    errors = [r for r in results if isinstance(r, cvrender.CvrenderError)]
    assert len(errors) == 1 and isinstance(errors[0], ProfileError)
    assert errors[0].job.profile.name == "broken.yaml"  # type: ignore[attr-defined]
    assert errors[0].problems[0].line == 4
    built = [r for r in results if not isinstance(r, Exception)]
    assert {r.job.profile.name for r in built} == {"ada.yaml", "alan.yaml", "grace.yaml"}
    for result in built:
        assert result.status == "built" and result.pages == 1
        assert result.pdf_path == tmp_path / "out" / result.job.profile.with_suffix(".pdf").name
        assert len(PdfReader(result.pdf_path).pages) == 1


def test_build_many_with_its_own_process_pool(folder: Path, tmp_path: Path) -> None:
    jobs = [cvrender.Job(p, output=str(tmp_path / "out") + "/") for p in sorted(folder.glob("*.yaml"))]
    results = list(cvrender.build_many(jobs))
    assert sorted(r.pdf_path.name for r in results) == ["Ada_Byron_CV.pdf", "Alan_Turing_CV.pdf",
                                                        "Grace_Hopper_CV.pdf"]


def test_outcome_keeps_its_error_through_pickling(tmp_path: Path) -> None:
    problem = Problem("expected text", "cv.yaml", 3, 7, "name")
    outcome = Outcome(cvrender.Job(tmp_path / "cv.yaml"), FAILED, error=ProfileError([problem]))
    copy = pickle.loads(pickle.dumps(outcome))
    assert str(copy.error) == "cv.yaml:3:7: name: expected text"
    assert copy.error.problems == [problem] and copy.error.exit_code == 2


def test_unknown_job_option_fails_only_that_job(folder: Path, tmp_path: Path) -> None:
    jobs = [cvrender.Job(folder / "ada.yaml", output=tmp_path / "a.pdf", options={"colour": "red"}),
            cvrender.Job(folder / "alan.yaml", output=tmp_path / "b.pdf")]
    outcomes = {o.job.profile.name: o for o in run_batch(jobs, workers=1)}
    assert outcomes["ada.yaml"].status == FAILED and "colour" in str(outcomes["ada.yaml"].error)
    assert outcomes["alan.yaml"].status == BUILT


@pytest.mark.slow
def test_build_many_on_a_dask_cluster(folder: Path, tmp_path: Path) -> None:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        if IN_CI:
            pytest.fail("dask[distributed] is required in CI")
        pytest.skip("dask[distributed] is not installed (pip install 'cvrender[dask]')")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        jobs = [cvrender.Job(p, output=str(tmp_path / "out") + "/") for p in sorted(folder.glob("*.yaml"))]
        results = list(cvrender.build_many(jobs, executor=client.get_executor(pure=False)))
        assert all(not isinstance(r, Exception) for r in results), results
        assert sorted(r.pdf_path.name for r in results) == ["Ada_Byron_CV.pdf", "Alan_Turing_CV.pdf",
                                                            "Grace_Hopper_CV.pdf"]
        assert "The paper of Alan Turing" in pdf_text(tmp_path / "out" / "Alan_Turing_CV.pdf")

        (folder / "broken.yaml").write_text(BAD, encoding="utf-8")
        cli = run_cli("batch", str(folder), "-o", str(tmp_path / "cli"), "--scheduler", cluster.scheduler_address)
        assert cli.returncode == 1
        assert "3 built, 0 up to date, 1 failed" in cli.stderr
        assert f"{folder / 'broken.yaml'}:4:11:" in cli.stderr


@pytest.mark.slow  # Dask tries to connect for 10 s
def test_scheduler_that_cannot_be_reached_is_one_line(folder: Path) -> None:
    pytest.importorskip("dask.distributed")
    result = run_cli("batch", str(folder), "--scheduler", "tcp://127.0.0.1:9")
    assert result.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr


def _session_processes(sid: int) -> list[str]:
    """Processes still alive in a session (the batch and the workers it started)."""
    ps = subprocess.run(["ps", "-eo", "pid=,sid=,stat=,args="], capture_output=True, text=True, check=True)
    alive = []
    for line in ps.stdout.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4 and int(parts[1]) == sid and not parts[2].startswith("Z"):
            alive.append(parts[3])
    return alive


def _processes_in(folder: Path) -> list[str]:
    """Processes whose working folder is inside ``folder`` (TeX runs in its build folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cwd = (proc / "cwd").resolve()
            except OSError:
                continue
            if cwd.is_relative_to(folder):
                found.append((proc / "cmdline").read_text(errors="replace").replace("\0", " "))
    return found


def _default_sigint() -> None:
    """Undo an inherited "ignore Ctrl-C" (a test runner started in the background has one)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A temporary folder with a short path, for $TMPDIR: the fork server's socket is made there,
    and a socket path may not pass 107 bytes (xdist's tmp_path, under popen-gwN/, can)."""
    path = Path(tempfile.mkdtemp(prefix="cvrender-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _interrupt_batch(tmp_path: Path, scratch: Path, backend: str, whole_group: bool) -> tuple[int, str, Path]:
    """Start a batch of 3-page CVs, press Ctrl-C once the first is built; return (code, output, out)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from make_profiles import write_profiles as make
    finally:
        sys.path.pop(0)
    make(tmp_path / "profiles", 6)
    out = tmp_path / "out"
    stages = tmp_path / "stages.txt"  # each build appends "compile" as its engine starts
    env = {**os.environ, "COLUMNS": "200", "TMPDIR": str(scratch), "XDG_CACHE_HOME": str(scratch),
           "CVRENDER_STAGE_FILE": str(stages)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from cvrender.cli import main; main()", "batch", str(tmp_path / "profiles"),
         "-o", str(out), "-j", "2", "-b", backend],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True,
        preexec_fn=_default_sigint)
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "built" in line:
            break
    deadline = time.monotonic() + 60  # the next builds under way: two more engines started
    while (not stages.is_file() or stages.read_text(encoding="utf-8").split().count("compile") < 3) \
            and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if backend == "latex":  # press Ctrl-C while TeX is running
        deadline = time.monotonic() + 20
        while not _processes_in(scratch) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _processes_in(scratch), "no TeX process ran"
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    else:
        process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    deadline = time.monotonic() + 5  # the fork server notices its parent is gone within moments
    while (_session_processes(process.pid) or _processes_in(scratch)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _session_processes(process.pid), "worker processes were left behind"
    assert not _processes_in(scratch), "TeX processes were left behind"
    return process.returncode, "".join(lines) + rest, out


def _check_interrupted(code: int, output: str, out: Path, tmp_path: Path) -> None:
    assert code == 130, output
    assert "interrupted" in output and "Traceback" not in output
    assert not list(out.glob(".*.part")), "a half-written PDF was left behind"
    pdfs = list(out.glob("*.pdf"))
    assert 1 <= len(pdfs) < 6, "the batch went on after Ctrl-C"
    for pdf in pdfs:
        assert len(PdfReader(pdf).pages) >= 1
    reported = output.count("✓ built")
    assert reported >= 1
    again = run_cli("batch", str(tmp_path / "profiles"), "-o", str(out), "-j", "2")
    assert again.returncode == 0, again.stderr
    # what was reported built is kept and known, and so is a build that finished and was recorded
    # in the moment before Ctrl-C, before its line was printed; the rest is built now
    summary = re.search(r"(\d+) built, (\d+) up to date, 0 failed", again.stdout)
    assert summary is not None, again.stdout
    built, up_to_date = int(summary.group(1)), int(summary.group(2))
    assert built + up_to_date == 6 and reported <= up_to_date <= len(pdfs), (reported, built, up_to_date, len(pdfs))


@pytest.mark.slow
@pytest.mark.parametrize("whole_group", [True, False], ids=["terminal-ctrl-c", "sigint-to-parent"])
def test_ctrl_c_stops_cleanly(tmp_path: Path, scratch: Path, whole_group: bool) -> None:
    code, output, out = _interrupt_batch(tmp_path, scratch, "html", whole_group)
    _check_interrupted(code, output, out, tmp_path)


@pytest.mark.slow
@pytest.mark.tex
def test_ctrl_c_leaves_no_tex_process(tmp_path: Path, scratch: Path) -> None:
    require_tex()
    code, output, out = _interrupt_batch(tmp_path, scratch, "latex", True)
    assert code == 130, output
    assert not list(out.glob(".*.part"))


@pytest.mark.tex
def test_batch_with_the_latex_backend(folder: Path, tmp_path: Path) -> None:
    require_tex()
    out = tmp_path / "out"
    result = run_cli("batch", str(folder), "-o", str(out), "-b", "latex", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert "The paper of Ada Byron" in pdf_text(out / "Ada_Byron_CV.pdf")
    again = run_cli("batch", str(folder), "-o", str(out), "-b", "latex")
    assert "nothing to do" in again.stdout
    html = run_cli("batch", str(folder), "-o", str(out), "-b", "html")
    assert "3 built" in html.stdout  # another backend is another build
