"""Variants: several CVs from one profile (--variant), with their own sections, publication
filters, theme and design, and a page limit checked after compiling."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import pdf_text, squash
from pypdf import PdfReader

from cvrender.cli import main

PUBLICATIONS = "\n".join(f"""\
  - title: Study number {i} of tidal energy in narrow straits
    authors: [Rosalind Franklin, Coauthor {i}]
    venue: Journal of Marine Engineering
    year: {2000 + i}
    selected: {"true" if i % 10 == 0 else "false"}""" for i in range(1, 41))

PROFILE = f"""\
name: Rosalind Franklin
email: rf@example.org
about: I study the sea.
education:
  - institution: University of Cambridge
    degree: Ph.D.
    date: 1941 -- 1945
teaching:
  - course: Crystallography for beginners
    date: 1950
awards:
  - title: Medal of the Straits
    year: 1958
publications:
{PUBLICATIONS}
variants:
  short:
    sections: [about, education, publications]
    publications: {{selected_only: true}}
    max_pages: 2
  tiny:
    exclude: [teaching]
    max_pages: 1
  us:
    theme: compact
    design: {{paper: letter}}
"""


def build(tmp_path: Path, *args: str, profile: str = PROFILE) -> tuple[Result, Path]:
    """Run ``cvrender build`` in-process into tmp_path/cv.pdf."""
    source = tmp_path / "cv.yaml"
    source.write_text(profile, encoding="utf-8")
    out = tmp_path / "cv.pdf"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--today", "2026-01-15", *args])
    return result, out


def test_without_a_variant_everything_is_in(tmp_path: Path) -> None:
    result, out = build(tmp_path)
    assert result.exit_code == 0, result.output
    text = squash(pdf_text(out))
    assert "Crystallography for beginners" in text and "Study number 37 of" in text
    assert len(PdfReader(out).pages) >= 2


def test_a_variant_picks_sections_and_selected_publications(tmp_path: Path) -> None:
    result, out = build(tmp_path, "--variant", "short")
    assert result.exit_code == 0, result.output
    text = squash(pdf_text(out))
    assert text.index("About") < text.index("Education") < text.index("Publications")
    assert "Crystallography" not in text and "Medal of the Straits" not in text
    studies = sorted(int(n) for n in re.findall(r"Study number (\d+) of", text))
    assert studies == [10, 20, 30, 40]
    assert "1 page" in result.output


def test_sections_on_the_command_line_win_over_the_variants(tmp_path: Path) -> None:
    result, out = build(tmp_path, "--variant", "short", "--sections", "awards,education")
    assert result.exit_code == 0, result.output
    text = squash(pdf_text(out))
    assert text.index("Awards") < text.index("Education")
    assert "Study number" not in text


def test_a_variant_brings_its_theme_and_design(tmp_path: Path) -> None:
    result, out = build(tmp_path, "--variant", "us")
    assert result.exit_code == 0, result.output
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Termes" in fonts  # compact's typeface
    # --set still wins over the variant's design
    result, out = build(tmp_path, "--variant", "us", "--set", "paper=a4")
    box = PdfReader(out).pages[0].mediabox
    assert round(float(box.height)) == 842


def test_exceeding_max_pages_fails_with_the_page_count_and_keeps_the_old_pdf(tmp_path: Path) -> None:
    out = tmp_path / "cv.pdf"
    out.write_bytes(b"%PDF-1.7 the previous CV\n")
    result, _ = build(tmp_path, "--variant", "tiny")
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: variant 'tiny' allows 1 page(s) but the CV has ")
    pages = int(lines[0].rsplit(" ", 1)[1])
    assert pages >= 2
    assert out.read_bytes() == b"%PDF-1.7 the previous CV\n"
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".cv.pdf.*"))


@pytest.mark.parametrize("limit", [1, 2])
def test_a_cv_within_the_limit_builds(tmp_path: Path, limit: int) -> None:
    profile = PROFILE.replace("max_pages: 2", f"max_pages: {limit}")
    result, out = build(tmp_path, "--variant", "short", profile=profile)
    assert result.exit_code == 0, result.output
    assert len(PdfReader(out).pages) <= limit


def test_an_unknown_variant_names_the_defined_ones(tmp_path: Path) -> None:
    result, out = build(tmp_path, "--variant", "long")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: profile has no variant 'long' (variants: short, tiny, us)"
    assert not out.exists()
