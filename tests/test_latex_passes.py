"""How few TeX passes a LaTeX build takes, and the cached preamble format: what the PDF shows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import TODAY, pdf_text, require_tex
from pypdf import PdfReader

from cvrender.api import Builder, BuildOptions
from cvrender.formats.base import Source, SourceOptions
from cvrender.formats.latex import engine as latex_engine
from cvrender.formats.latex.engine import FORMAT_MARKER, LatexEngine, cache_dir

FULL = Path(__file__).parent / "data" / "latex" / "full.yaml"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache of this test's own: no .aux or format left by another test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def outline_titles(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "outline.pdf"
    path.write_bytes(data)
    return [item.title for item in PdfReader(path).outline if not isinstance(item, list)]


def awards_profile(path: Path, count: int) -> Path:
    lines = "\n".join(f"  - {{title: Award number {i} for a long and careful study, year: {2000 + i % 20}}}"
                      for i in range(count))
    path.write_text(f"name: Ada Lovelace\nawards:\n{lines}\n", encoding="utf-8")
    return path


@pytest.mark.tex
def test_a_first_xelatex_build_takes_one_pass_and_still_counts_pages(tmp_path: Path) -> None:
    require_tex()
    builder = Builder()
    options = BuildOptions(backend="latex", engine="xelatex", today=TODAY)
    first = builder.compile(FULL, options)[2]
    assert first.info["passes"] == 1 and not first.info["seeded"] and first.info["format"]
    assert first.pages >= 2
    text = pdf_text(first.data)
    for page in range(1, first.pages + 1):
        assert f"Page {page} of {first.pages}" in text
    assert "Publications" in outline_titles(first.data, tmp_path)  # bookmarks without a second pass
    again = builder.compile(FULL, options)[2]
    assert again.info["passes"] == 1 and again.info["seeded"]
    assert pdf_text(again.data) == text
    assert len(list((cache_dir() / "formats").glob("xelatex-*.fmt"))) == 1  # one format, reused


@pytest.mark.tex
def test_the_format_and_the_whole_preamble_give_the_same_pdf_text(tmp_path: Path) -> None:
    require_tex()
    plain = Builder()
    plain._engines[("latex", "xelatex")] = LatexEngine("xelatex", use_cache=False)  # no format, no .aux cache
    options = BuildOptions(backend="latex", engine="xelatex", today=TODAY, theme="compact")
    reference = plain.compile(FULL, options)[2]
    assert not reference.info["format"] and reference.info["passes"] == 1
    fast = Builder().compile(FULL, options)[2]
    assert fast.info["format"]
    assert fast.pages == reference.pages
    assert pdf_text(fast.data) == pdf_text(reference.data)
    assert outline_titles(fast.data, tmp_path) == outline_titles(reference.data, tmp_path)


@pytest.mark.tex
def test_ten_pages_need_a_second_pass_and_get_the_count_right(tmp_path: Path) -> None:
    require_tex()
    profile = awards_profile(tmp_path / "long.yaml", 500)
    compiled = Builder().compile(profile, BuildOptions(backend="latex", engine="xelatex", today=TODAY))[2]
    assert compiled.pages >= 10  # "10" is wider than the "0" the first pass made room for
    assert compiled.info["passes"] == 2
    text = pdf_text(compiled.data)
    assert f"Page 1 of {compiled.pages}" in text and f"Page {compiled.pages} of {compiled.pages}" in text


@pytest.mark.tex
def test_a_preamble_that_cannot_be_dumped_is_read_whole(tmp_path: Path) -> None:
    require_tex()
    text = "\n".join([
        "\\documentclass{article}", "\\usepackage{fontspec}", "\\setmainfont{TeX Gyre Pagella}",
        "\\font\\native=\"TeX Gyre Heros\" at 10pt",  # a native font before the marker: XeTeX cannot dump it
        FORMAT_MARKER, "\\begin{document}", "Hello \\native world", "\\end{document}"])
    compiled = LatexEngine("xelatex").compile(Source(text, "latex", options=SourceOptions(engine="xelatex")))
    assert not compiled.info["format"] and "Hello world" in pdf_text(compiled.data)
    assert list((cache_dir() / "formats").glob("*.failed"))  # not tried again on the next build
    again = LatexEngine("xelatex").compile(Source(text, "latex", options=SourceOptions(engine="xelatex")))
    assert not again.info["format"] and "Hello world" in pdf_text(again.data)


@pytest.mark.tex
def test_an_error_after_the_format_names_the_source_line(tmp_path: Path) -> None:
    require_tex()
    text = "\n".join(["\\documentclass{article}", "\\usepackage{fontspec}", FORMAT_MARKER,
                      "\\setmainfont{TeX Gyre Pagella}", "\\begin{document}", "fine", "\\undefinedthing",
                      "\\end{document}"])
    with pytest.raises(latex_engine.EngineError, match=r"Undefined control sequence \\undefinedthing "
                                                       r"\(cv\.tex line 7"):
        LatexEngine("xelatex").compile(Source(text, "latex", options=SourceOptions(engine="xelatex")))


def test_a_first_pass_is_enough_unless_tex_says_otherwise(tmp_path: Path) -> None:
    assert not latex_engine._first_pass_incomplete("No file cv.aux.\nOutput written on cv.xdv (3 pages).\n", tmp_path)
    assert latex_engine._first_pass_incomplete("LaTeX Warning: There were undefined references.\n", tmp_path)
    assert latex_engine._first_pass_incomplete("LaTeX Warning: Reference `x' on page 1 undefined on input line 9.\n", tmp_path)
    assert not latex_engine._first_pass_incomplete("No file cv.toc.\n", tmp_path)  # wrote none: nothing to read next time
    (tmp_path / "cv.toc").write_text("\\contentsline{section}{A}{1}\n", encoding="utf-8")
    assert latex_engine._first_pass_incomplete("No file cv.toc.\n", tmp_path)  # a table of contents needs the next pass
    assert latex_engine._asks_rerun("Package rerunfilecheck Warning: File `cv.out' has changed.\n"
                       "(rerunfilecheck)                Rerun to get outlines right\n")
    assert latex_engine._asks_rerun("Package cvrender Warning: Rerun to get the page count right.\n")
    assert not latex_engine._asks_rerun("Package hyperref Warning: Token not allowed.\n(hyperref) removing `\\x'.\n"
                           "Rerun is a word on the next line\n")


@pytest.mark.tex
def test_profiles_with_their_own_design_share_one_format(tmp_path: Path) -> None:
    """The format holds no design value and nothing of a theme: another accent, margin, paper, base
    size, font or theme reuses it, and the PDF still shows that design."""
    require_tex()
    builder = Builder()
    first = builder.compile(FULL, BuildOptions(backend="latex", engine="xelatex", today=TODAY))[2]
    design = {"accent": "#aa0000", "margin": "25mm", "paper": "letter", "font_size": "10.5pt",
              "latex_font": "TeX Gyre Termes"}
    other = builder.compile(FULL, BuildOptions(backend="latex", engine="xelatex", today=TODAY, design=design))[2]
    themed = builder.compile(FULL, BuildOptions(backend="latex", engine="xelatex", today=TODAY, theme="sidebar"))[2]
    assert first.info["format"] and other.info["format"] and themed.info["format"]
    assert len(list((cache_dir() / "formats").glob("xelatex-*.fmt"))) == 1  # one for every design and theme
    page = PdfReader(io.BytesIO(other.data)).pages[0]
    assert round(float(page.mediabox.width)) == 612  # letter paper, set after the format
    fonts = [str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()]
    assert any("TeXGyreTermes" in font for font in fonts) and not any("Pagella" in font for font in fonts)
