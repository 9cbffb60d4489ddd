"""The library API takes what a Python caller naturally passes, names its own parameters in
errors (the CLI names its flags), reports what a build used, and runs builds in parallel safely
from a plain script, on threads, or on any concurrent.futures.Executor."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, TODAY, pdf_text
from pypdf import PdfReader

import cvrender
from cvrender.cli import main

PROFILE = """\
name: Ada Byron
email: ada@example.org
education:
  - institution: University of London
    degree: Mathematics
    date: 1995 - 1999
publications:
  - title: Notes on the Analytical Engine
    authors: [Ada Byron, Charles Babbage]
    venue: Scientific Memoirs
    year: 2001
awards:
  - title: Honorary Fellowship
    year: 2002
"""


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "ada.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def headings(html: str) -> list[str]:
    """The section titles in an HTML source, in order."""
    import html as html_module
    import re

    return [html_module.unescape(title) for title in re.findall(r'<h2[^>]*>([^<]*)</h2>', html)]


# ----- sections, bib: sequences; a plain string is split like the command line's --------------------

def test_sections_as_text_are_split_on_commas_not_read_letter_by_letter(profile: Path) -> None:
    as_text = cvrender.render_source(profile, sections="awards, education", today=TODAY)
    as_list = cvrender.render_source(profile, sections=["awards", "education"], today=TODAY)
    as_tuple = cvrender.render_source(profile, sections=("awards", "education"), today=TODAY)
    assert as_text == as_list == as_tuple
    assert headings(as_list) == ["Honors & Awards", "Education"]
    assert headings(cvrender.render_source(profile, exclude="awards,education", today=TODAY)) == ["Publications"]


def test_sections_of_the_wrong_type_are_a_type_error_naming_the_parameter(profile: Path) -> None:
    with pytest.raises(TypeError, match=r"^sections: .*list of section names.*int"):
        cvrender.render_source(profile, sections=3)
    with pytest.raises(TypeError, match=r"^bib: "):
        cvrender.render_source(profile, bib=[b"refs.bib"])


def test_bib_takes_one_path_or_a_list_of_str_and_path(profile: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs, 2024.bib"  # a comma in a file name: a single path is never split
    bib.write_text("@article{k, title={A Paper from BibTeX}, author={Byron, Ada}, journal={J}, year={2003}}\n",
                   encoding="utf-8")
    for value in (bib, str(bib), [bib], (str(bib),)):
        assert "A Paper from BibTeX" in cvrender.render_source(profile, bib=value, today=TODAY)


# ----- today: a date, a datetime or ISO text -------------------------------------------------------

def test_today_as_iso_text_or_datetime(profile: Path) -> None:
    as_date = cvrender.render_source(profile, today=dt.date(2024, 3, 5))
    assert 'content="2024-03-05"' in as_date
    assert cvrender.render_source(profile, today="2024-03-05") == as_date
    assert cvrender.render_source(profile, today=dt.datetime(2024, 3, 5, 17, 30)) == as_date


def test_today_that_is_not_a_date_names_the_parameter(profile: Path) -> None:
    with pytest.raises(ValueError, match=r"^today: '5 March' is not an ISO date"):
        cvrender.render_source(profile, today="5 March")
    with pytest.raises(TypeError, match=r"^today: "):
        cvrender.render_source(profile, today=20240305)


# ----- files as Path or text, profiles as dict or Profile ------------------------------------------

def test_profile_output_and_theme_folder_as_path_or_text(profile: Path, tmp_path: Path) -> None:
    theme = ROOT / "themes" / "compact"
    by_path = cvrender.build(profile, theme=theme, output=tmp_path / "a" / "cv.pdf", today=TODAY)
    by_text = cvrender.build(str(profile), theme=str(theme), output=str(tmp_path / "b") + "/", today=TODAY)
    assert by_path.pdf_path == tmp_path / "a" / "cv.pdf"
    assert by_text.pdf_path == tmp_path / "b" / "Ada_Byron_CV.pdf"
    assert pdf_text(by_path.pdf_path) == pdf_text(by_text.pdf_path)
    assert by_path.theme == by_text.theme == "compact"


def test_profile_as_dict_or_profile_object(profile: Path) -> None:
    import yaml

    data = yaml.safe_load(PROFILE)
    from_file = cvrender.render_source(profile, today=TODAY)
    assert cvrender.render_source(data, today=TODAY) == from_file
    assert cvrender.render_source(cvrender.load(profile), today=TODAY) == from_file
    with pytest.raises(TypeError, match=r"^profile: .*path.*dict.*Profile.*list"):
        cvrender.render_source([data], today=TODAY)


# ----- errors name the API's parameters; the CLI's name its flags -----------------------------------

def test_a_bad_design_value_names_design_key_not_a_flag(profile: Path) -> None:
    with pytest.raises(cvrender.ThemeError) as caught:
        cvrender.render_pdf(profile, design={"paper": "a5"})
    assert "design['paper']" in str(caught.value) and "'a5'" in str(caught.value)
    assert "--set" not in str(caught.value)


def test_an_unknown_section_names_the_parameter_not_the_flag(profile: Path) -> None:
    with pytest.raises(cvrender.CvrenderError) as caught:
        cvrender.render_source(profile, sections=["educaton"])
    assert str(caught.value).startswith("sections: no section is called 'educaton'; did you mean 'education'?")
    with pytest.raises(cvrender.CvrenderError, match=r"^exclude: no section is called 'award'"):
        cvrender.render_source(profile, exclude=["award"])


def test_the_command_line_names_its_flags(profile: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(profile), "--set", "paper=a5", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "--set paper: 'a5'" in result.output and "design[" not in result.output
    result = runner.invoke(main, ["build", str(profile), "--sections", "educaton", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "--sections: no section is called 'educaton'" in result.output
    result = runner.invoke(main, ["build", str(profile), "-b", "latex", "--emit-source", "--fragment", "pubs",
                                  "-o", str(tmp_path)])
    assert result.exit_code == 2 and "--fragment: no section is called 'pubs'" in result.output


# ----- results say what was used --------------------------------------------------------------------

def test_result_names_theme_backend_engine_and_keeps_bytes_when_asked(profile: Path, tmp_path: Path) -> None:
    result = cvrender.build(profile, output=tmp_path, today=TODAY)
    assert (result.theme, result.backend, result.engine) == ("academic", "html", "weasyprint")
    assert result.pdf_bytes is None
    assert set(result.timings) >= {"prepare", "render", "compile", "write", "total"}
    kept = cvrender.build(profile, output=tmp_path / "kept.pdf", today=TODAY, return_bytes=True)
    assert kept.pdf_bytes == (tmp_path / "kept.pdf").read_bytes()
    assert kept.pages == len(PdfReader(tmp_path / "kept.pdf").pages) == 1


def test_result_names_the_theme_the_profile_chose_and_carries_the_warnings(profile: Path, tmp_path: Path) -> None:
    text = PROFILE.replace("awards:", "theme: modern\nawards:")
    (tmp_path / "themed.yaml").write_text(text, encoding="utf-8")
    bib = tmp_path / "others.bib"
    bib.write_text("@article{k, title={Not Hers}, author={Else, Someone}, journal={J}, year={2003}}\n", encoding="utf-8")
    result = cvrender.build(tmp_path / "themed.yaml", output=tmp_path, today=TODAY, bib=bib)
    assert result.theme == "modern"  # from the profile, though no theme was passed
    assert any("'k'" in w and "Ada Byron is not among its authors" in w for w in result.warnings)


# ----- build_many: plain scripts, threads, any Executor ----------------------------------------------

def _jobs(profile: Path, out: Path, count: int = 2) -> list[cvrender.Job]:
    return [cvrender.Job(profile, output=out / f"cv{i}.pdf", options={"today": TODAY}) for i in range(count)]


def test_build_many_yields_batch_results_that_are_build_results(profile: Path, tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(cvrender.build_many(_jobs(profile, tmp_path), executor=pool))
    assert len(results) == 2
    for result in results:
        assert isinstance(result, cvrender.BatchBuildResult) and isinstance(result, cvrender.BuildResult)
        assert (result.theme, result.engine, result.status) == ("academic", "weasyprint", "built")
        assert result.job is not None and result.pdf_path == result.job.output


class InlineExecutor(Executor):
    """The smallest Executor there is: runs each call at once, in the caller's thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def test_build_many_on_any_executor(profile: Path, tmp_path: Path) -> None:
    results = list(cvrender.build_many(_jobs(profile, tmp_path, 3), executor=InlineExecutor()))
    assert [r.pages for r in results] == [1, 1, 1]


SCRIPT = """\
import sys
import cvrender

print("the script ran")
jobs = [cvrender.Job(sys.argv[1], output=f"{{sys.argv[2]}}/cv{{i}}.pdf") for i in range(2)]
for result in cvrender.build_many(jobs{executor}):
    print("result:", result if isinstance(result, Exception) else result.pages)
"""


def _run_script(tmp_path: Path, profile: Path, executor: str = "", setup: str = "") -> subprocess.CompletedProcess[str]:
    script = tmp_path / "plain_script.py"
    script.write_text(setup + SCRIPT.format(executor=executor), encoding="utf-8")
    return subprocess.run([sys.executable, str(script), str(profile), str(tmp_path / "out")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_build_many_from_a_plain_script_without_a_main_guard(profile: Path, tmp_path: Path) -> None:
    run = _run_script(tmp_path, profile)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("the script ran") == 1  # the worker processes did not run the script again
    assert run.stdout.count("result: 1") == 2, run.stdout
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cv0.pdf", "cv1.pdf"]


@pytest.mark.slow
def test_a_process_pool_of_the_callers_in_a_script_without_a_guard_says_what_to_add(profile: Path,
                                                                                    tmp_path: Path) -> None:
    setup = textwrap.dedent("""\
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
        """)
    run = _run_script(tmp_path, profile, executor=", executor=pool", setup=setup)
    lines = [line for line in run.stdout.splitlines() if line.startswith("result:")]
    assert len(lines) == 2
    for line in lines:
        assert "if __name__ == \"__main__\":" in line and "BrokenProcessPool" not in line
