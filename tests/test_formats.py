"""Output formats come from the registry: a format from outside the package builds a CV through
the CLI, and every command that builds (build, batch, a lab's batch, lab-publications) works with
every engine of every built-in format, the PDF made by that engine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, pdf_text, require_tex, squash
from pypdf import PdfReader
from toy_format import ToyFormat

from cvrender.cli import main
from cvrender.formats.registry import (
    builtin_format_names,
    get_format,
    register_format,
    unregister_format,
)

TESTS = Path(__file__).resolve().parent
RESEARCHER = TESTS / "golden" / "profiles" / "researcher.yaml"
LAB = TESTS.parent / "examples" / "lab"
TOY_TEMPLATE = "{{ cv.header.name }}\n{% for s in cv.sections %}== {{ s.title }} ==\n{% endfor %}"


def toy_theme(folder: Path) -> Path:
    """A theme with only a toy template, in ``folder/themes/plain``; returns a profile beside it."""
    theme = folder / "themes" / "plain"
    (theme / "toy").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: plain\nbackends: [toy]\n", encoding="utf-8")
    (theme / "toy" / "cv.txt.j2").write_text(TOY_TEMPLATE, encoding="utf-8")
    profile = folder / "cv.yaml"
    profile.write_text(RESEARCHER.read_text(encoding="utf-8"), encoding="utf-8")
    return profile


@pytest.fixture
def toy() -> object:
    register_format(ToyFormat)
    yield ToyFormat
    unregister_format("toy")


def test_a_format_registered_at_run_time_is_a_cli_choice_and_builds(tmp_path: Path, toy: object) -> None:
    profile = toy_theme(tmp_path)
    runner = CliRunner()
    assert "toy" in runner.invoke(main, ["build", "--help"]).output
    out = tmp_path / "out" / "cv.pdf"
    result = runner.invoke(main, ["build", str(profile), "--theme", "plain", "--backend", "toy", "-o", str(out),
                                  "--emit-source", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    text = squash(pdf_text(out))
    assert "Mira Castellanos" in text and "== Education ==" in text and "== Publications ==" in text
    assert (tmp_path / "out" / "cv.txt").read_text(encoding="utf-8").startswith("Mira Castellanos\n== ")
    # `theme new` writes what the format scaffolds, and the new theme builds with it
    result = runner.invoke(main, ["theme", "new", "plainer", "--from", "plain", "--dir", str(tmp_path / "themes")])
    assert result.exit_code == 0, result.output
    assert '{% extends "!plain/cv.txt.j2" %}' in (tmp_path / "themes" / "plainer" / "toy" / "cv.txt.j2").read_text()
    result = runner.invoke(main, ["build", str(profile), "--theme", "plainer", "--backend", "toy", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "== Education ==" in squash(pdf_text(out))


def test_an_unregistered_format_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    profile = toy_theme(tmp_path)
    result = CliRunner().invoke(main, ["build", str(profile), "--theme", "plain", "--backend", "toy"])
    assert result.exit_code == 2
    assert "'toy' is not one of 'html', 'latex'" in result.output


def test_a_built_in_name_cannot_be_taken_at_run_time() -> None:
    class Impostor(ToyFormat):
        name = "html"

    with pytest.raises(ValueError, match="built-in"):
        register_format(Impostor)
    assert get_format("html").__module__ == "cvrender.formats.html"


def test_a_format_of_another_distribution_comes_through_its_entry_point(tmp_path: Path) -> None:
    """What `pip install cvrender-toy` does: an entry point in the group cvrender.formats. The same
    distribution's entry point named 'html' is ignored: a third party cannot shadow a built-in."""
    site = tmp_path / "site"
    dist = site / "cvrender_toy-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: cvrender-toy\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[cvrender.formats]\ntoy = toy_format:ToyFormat\nhtml = toy_format:ToyFormat\n", encoding="utf-8")
    profile = toy_theme(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(TESTS)])}

    def cvrender(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "cvrender", *args], capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=300)

    done = cvrender("build", str(profile), "--theme", "plain", "--backend", "toy", "-o", "toy.pdf")
    assert done.returncode == 0, done.stderr
    assert "== Education ==" in squash(pdf_text(tmp_path / "toy.pdf"))
    done = cvrender("build", str(profile), "--theme", "academic", "--backend", "html", "-o", "html.pdf")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "html.pdf"))
    assert "Mira Castellanos" in text and "==" not in text


# ----- every command with every engine -------------------------------------------------------------

PRODUCER = {"weasyprint": "WeasyPrint", "xelatex": "xdvipdfmx", "lualatex": "LuaTeX", "pdflatex": "pdfTeX",
            "typst": "Typst"}  # Typst names itself as the creator
ENGINES = [pytest.param(name, engine, id=engine, marks=[pytest.mark.tex] if name == "latex" else [])
           for name in builtin_format_names() for engine in get_format(name).engines]
COMMANDS = ("build", "batch", "lab-batch", "lab-publications")


def small_lab(folder: Path) -> Path:
    """A lab of one member of the example lab (whose profile has no CJK text, for pdflatex)."""
    lab = folder / "lab.yaml"
    lab.write_text(
        f"name: Computational Language Lab\ntheme: academic\nbibtex: {LAB / 'lab.bib'}\noutput: out\n"
        f"members:\n  - profile: {LAB / 'members' / 'aisha_okafor.yaml'}\n    aliases: [A. Okafor]\n"
        "    joined: 2020\n", encoding="utf-8")
    return lab


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("backend", "engine"), ENGINES)
def test_every_command_builds_with_every_engine(command: str, backend: str, engine: str, tmp_path: Path) -> None:
    if backend == "latex":
        require_tex(engine)
    out = tmp_path / "out"
    options = ["-b", backend, "--engine", engine, "--today", TODAY.isoformat()]
    if command == "build":
        args, expected = ["build", str(RESEARCHER), "-o", str(out) + "/", *options], "Mira Castellanos"
    elif command == "batch":
        (tmp_path / "profiles").mkdir()
        (tmp_path / "profiles" / "cv.yaml").write_text(RESEARCHER.read_text(encoding="utf-8"), encoding="utf-8")
        args, expected = ["batch", str(tmp_path / "profiles"), "-j", "1", "-o", str(out), *options], "Mira Castellanos"
    elif command == "lab-batch":
        args, expected = ["batch", str(small_lab(tmp_path)), "-j", "1", "-o", str(out), *options], "Aisha Okafor"
    else:
        args = ["lab-publications", str(small_lab(tmp_path)), "-o", str(out) + "/", *options]
        expected = "Computational Language Lab"
    out.mkdir()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 1, pdfs
    assert expected in squash(pdf_text(pdfs[0]))
    meta = PdfReader(pdfs[0]).metadata
    assert PRODUCER[engine] in f"{meta.producer} {meta.creator}"


def test_files_that_name_a_format_are_checked_against_the_registry(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "twoformats"
    (theme / "html").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: twoformats\nextends: academic\nbackends: [html, docx]\n", encoding="utf-8")
    profile = tmp_path / "cv.yaml"
    profile.write_text(RESEARCHER.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(profile), "--theme", "twoformats", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "theme.yaml: backends.1: unknown format 'docx' (use html, latex, typst)" in result.output.replace("\n", "")
    lab = small_lab(tmp_path)
    lab.write_text(lab.read_text(encoding="utf-8").replace("theme: academic\n", "theme: academic\nbackend: docx\n"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["lab-publications", str(lab)])
    assert result.exit_code == 2
    assert f"{lab}:3:10: backend: unknown format 'docx' (use html, latex, typst)" in result.output.replace("\n", "")
