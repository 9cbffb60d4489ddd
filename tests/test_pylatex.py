"""PyLaTeX documents and LaTeX fragments: a tool's own document holding cvrender's sections
compiles with a real xelatex, and a whole CV through PyLaTeX reads as `cvrender build` makes it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, pdf_text, require_tex, squash

pylatex = pytest.importorskip("pylatex")

import cvrender  # noqa: E402
import cvrender.pylatex as cvpylatex  # noqa: E402
from cvrender.cli import main  # noqa: E402

pytestmark = pytest.mark.tex

PROFILE = """\
name: Grace Okafor
aliases: [G. Okafor]
headline: Research Scientist
email: grace@example.org
publications:
  - title: "Fast & Exact: 50% Fewer Steps for R_2 Estimation"
    authors: [G. Okafor*, Lin Wei*, Tomás Ruiz]
    venue: Journal of Examples
    year: 2025
    type: journal
    url: https://example.org/fast
  - title: "Sets of {Braces}, $Dollars$ and #Hashes in a Title"
    authors: [Grace Okafor, Amara Obi]
    venue: Conference on Hard Titles
    venue_short: CHT
    year: 2024
    type: conference
  - title: A Third Paper -- with Two Hyphens
    authors: [Amara Obi, Grace Okafor]
    venue: arXiv
    year: 2023
    type: preprint
awards:
  - title: Young Investigator Award
    issuer: Example Society
    year: 2024
"""
TITLES = ["Fast & Exact: 50% Fewer Steps for R_2 Estimation", "Sets of {Braces}, $Dollars$ and #Hashes in a Title",
          "A Third Paper -- with Two Hyphens"]  # two hyphens stay two hyphens, as written


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "grace.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def _generate(doc: object, target: Path) -> Path:
    doc.generate_pdf(str(target), compiler="xelatex", clean_tex=False)  # type: ignore[attr-defined]
    return target.with_suffix(".pdf")


def test_a_host_document_with_cvrender_publications_compiles_and_shows_every_title(profile: Path,
                                                                                     tmp_path: Path) -> None:
    require_tex("xelatex")
    doc = pylatex.Document(fontenc=None, inputenc=None, lmodern=False, textcomp=False,
                           geometry_options={"margin": "2cm"})
    # the host loads packages cvrender needs too, with options of its own: no option clash
    doc.packages.append(pylatex.Package("hyperref", options=["colorlinks", "linkcolor=blue"]))
    doc.packages.append(pylatex.Package("xcolor", options=["dvipsnames"]))
    doc.preamble.append(pylatex.Command("title", "Annual Report of the Okafor Lab"))
    doc.append(pylatex.NoEscape(r"\maketitle"))
    doc.append("The lab grew this year; its papers follow.")
    with doc.create(pylatex.Section("Papers")):
        doc.append(cvpylatex.sections(profile, ["publications"], titles=False, today=TODAY))
    doc.append(cvpylatex.sections(profile, ["awards"], today=TODAY))  # shares the macros: defined once

    tex = doc.dumps()
    assert tex.count(r"\newcommand{\cvbookmark}") == 1  # the backend's shared commands, defined once
    assert "{-}{-}" not in tex  # cvrender's escaping, not PyLaTeX's

    text = squash(pdf_text(_generate(doc, tmp_path / "report")))
    assert "Annual Report of the Okafor Lab" in text
    assert "The lab grew this year; its papers follow." in text
    for title in TITLES:
        assert title in text
    assert "Young Investigator Award" in text
    assert text.index("Papers") < text.index("Fast & Exact") < text.index("Young Investigator Award")
    assert "Publications" not in text  # titles=False: the host's own section title only


def test_document_reads_as_cvrender_build_latex(profile: Path, tmp_path: Path) -> None:
    require_tex("xelatex")
    doc = cvpylatex.document(profile, theme="academic", paper="letter")
    assert isinstance(doc, pylatex.Document)
    via_pylatex = pdf_text(_generate(doc, tmp_path / "doc"))

    built = tmp_path / "built.pdf"
    result = CliRunner().invoke(main, ["build", str(profile), "--backend", "latex", "--set", "paper=letter",
                                       "-o", str(built), "-q"])
    assert result.exit_code == 0, result.output
    assert via_pylatex == pdf_text(built)
    for title in TITLES:
        assert title in squash(via_pylatex)


def test_document_takes_theme_options_and_reports_bad_ones_by_their_name(profile: Path) -> None:
    doc = cvpylatex.document(profile, theme="modern", accent="#8a1538")
    assert "8A1538" in doc.dumps()
    with pytest.raises(cvrender.ThemeError, match=r"paper.*'a5'"):
        cvpylatex.document(profile, paper="a5")


def test_fragment_from_the_command_line_inputs_into_a_document(profile: Path, tmp_path: Path) -> None:
    require_tex("xelatex")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(profile), "--backend", "latex", "--emit-source",
                                       "--fragment", "publications", "--fragment", "awards",
                                       "--theme", "modern", "-o", str(out / "grace-pubs.tex")])
    assert result.exit_code == 0, result.output
    assert (out / "grace-pubs.tex").is_file() and (out / "cvrender-modern.sty").is_file()
    assert not list(out.glob("*.pdf"))
    host = out / "report.tex"
    host.write_text("\\documentclass{article}\n\\usepackage[colorlinks]{hyperref}\n"
                    "\\usepackage{cvrender-modern}\n\\begin{document}\nOur year in review.\n"
                    "\\input{grace-pubs}\n\\end{document}\n", encoding="utf-8")
    subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"], cwd=out,
                   capture_output=True, check=True, timeout=120)
    text = squash(pdf_text(out / "report.pdf"))
    assert "Our year in review." in text
    for title in TITLES:
        assert title in text
    assert "Young Investigator Award" in text


def test_fragment_needs_latex_source(profile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(profile), "--fragment", "publications", "-o", str(out) + "/"])
    assert result.exit_code == 2
    assert "--backend latex --emit-source" in result.output
    assert not out.exists()
