"""Building PDFs with the LaTeX backend and real TeX engines: what a user sees in the PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import (
    TODAY,
    example_profiles,
    pdf_text,
    require_tex,
    squash,
    uri_annotations,
    word_boxes,
)
from pypdf import PdfReader

import cvrender
from cvrender.api import Builder, BuildOptions
from cvrender.errors import EngineError, Warnings
from cvrender.formats.latex import engine as latex_engine
from cvrender.formats.latex.engine import LatexEngine

pytestmark = pytest.mark.tex

DATA = Path(__file__).parent / "data" / "latex"
FULL = DATA / "full.yaml"
HOSTILE = DATA / "hostile.yaml"
THEMES = DATA / "themes"
HOSTILE_STRINGS = ("\\ { } $ & # ^ _ ~ %", "\\input{/etc/passwd}", "^^5c", "Ada \\{Lovelace\\} $&#^_~%",
                   "Title with \\ { } $ & # ^ _ ~ % and \\input{/etc/passwd}", "\\write18{rm -rf /}",
                   "[Oral] starts with a bracket", "--- dashes -- here ,, and \\\\ end", "C&C++ # _",
                   "\\LaTeX, {x}, 100%", "Venue & Co. #1 100%", "B.Sc. in \\catcode`\\^^M=13",
                   "50% \\& more, <city> | \"quoted\" `tick` [bracket] O'Brien's",
                   "Custom & stuff_ \\section{x}", "An entry with ~ and %")


def flat(text: str) -> str:
    """PDF text with lines joined (a line broken after a hyphen reads as the word)."""
    return squash(text.replace("-\n", "-"))


def expected_strings(profile: Path) -> list[str]:
    """Every section title, publication title and author the CV prints, from its render context."""
    ctx = Builder().prepare(profile, BuildOptions(backend="latex", today=TODAY), Warnings()).ctx
    strings = [s.title for s in ctx.sections]
    for section in ctx.sections:
        for group in section.groups:
            for pub in group.items:
                strings.append(pub.title.plain)
                strings.extend(a.name for a in pub.authors)
    return [unicodedata.normalize("NFKC", s) for s in strings]


PROFILES = example_profiles() + sorted(p for p in DATA.glob("*.yaml") if p.name != "hostile.yaml")


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.stem)
def test_every_example_compiles_with_xelatex_and_shows_its_content(profile: Path, tmp_path: Path) -> None:
    require_tex("xelatex")
    result = cvrender.build(profile, backend="latex", output=tmp_path / "cv.pdf", today=TODAY)
    assert result.pages == len(PdfReader(result.pdf_path).pages) >= 1
    text = pdf_text(result.pdf_path)
    dense = "".join(flat(text).split())  # superscripts (S⁴) sit on their own baseline: ignore spacing
    missing = [s for s in expected_strings(profile) if "".join(s.split()) not in dense]
    assert not missing, f"not in the PDF text: {missing}"
    if "许润昕" in profile.read_text(encoding="utf-8"):
        assert "许润昕" in text
    assert f"Page {result.pages} of {result.pages}" in text
    assert not [w for w in result.warnings if "glyph" in w or "cross-references" in w], result.warnings


def test_chinese_name_marks_legend_links_fonts_and_metadata(tmp_path: Path) -> None:
    require_tex("xelatex")
    result = cvrender.build(FULL, backend="latex", output=tmp_path / "cv.pdf", today=TODAY)
    text = pdf_text(result.pdf_path)
    assert "Runxin Xu 许润昕" in squash(text)
    assert "国家奖学金" in text
    assert "Runxin Xu*" in text and "Fuli Luo*" in text and "Baobao Chang†" in text
    assert "* equal contribution; † corresponding author" in squash(text)
    assert "Sep 2020 – Jun 2023" in text and "2018, 2019, 2021" in text
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    links = uri_annotations(result.pdf_path)
    for url in ("mailto:runxin@example.org", "https://github.com/RunxinXu", "https://orcid.org/0000-0002-1825-0097",
                "https://arxiv.org/abs/2112.07198", "https://www.pku.edu.cn/", "https://icl.pku.edu.cn/",
                "https://doi.org/10.18653/v1/2021.emnlp-main.749", "tel:+861062750000"):
        assert url in links
    fonts = subprocess.run(["pdffonts", str(result.pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), fonts  # embedded and subset
    assert any("TeXGyrePagella" in row for row in rows) and any("NotoSerifCJK" in row for row in rows), fonts
    meta = PdfReader(result.pdf_path).metadata
    assert meta.title == "Runxin Xu – Curriculum Vitae" and meta.author == "Runxin Xu"
    assert meta.creator == "cvrender"


def test_the_profile_photo_is_in_the_header(tmp_path: Path) -> None:
    require_tex("xelatex")
    example = Path(__file__).resolve().parent.parent / "examples" / "full.yaml"
    if "photo:" not in example.read_text(encoding="utf-8"):
        pytest.skip("the full example has no photo")
    result = cvrender.build(example, backend="latex", output=tmp_path / "cv.pdf", today=TODAY)
    listing = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(result.pdf_path)],
                             capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(listing) == 1, listing  # one image on page 1: the photo
    source = cvrender.render_source(example, backend="latex", today=TODAY)
    assert r"\cvphoto{24mm}{30mm}{photo.jpg}" in source and r"\usepackage{graphicx}" in source


def test_reading_order_matches_the_html_backend(tmp_path: Path) -> None:
    require_tex("xelatex")
    text = pdf_text(cvrender.build(FULL, backend="latex", output=tmp_path / "cv.pdf", today=TODAY).pdf_path)
    order = ["Runxin Xu", "About", "Research Interests", "Education", "Peking University", "Sep 2020",
             "Advisors", "Experience", "Publications", "From Dense to Sparse", "Raise a Child",
             "Honors & Awards", "Talks", "Academic Service", "Teaching", "Skills", "Languages"]
    position = 0
    for item in order:
        found = text.find(item, position)
        assert found >= 0, f"{item!r} is missing or out of order after {text[:position][-80:]!r}"
        position = found + len(item)


@pytest.mark.parametrize("engine", ["xelatex", "pdflatex", "lualatex"])
def test_tex_specials_print_literally(engine: str, tmp_path: Path) -> None:
    require_tex(engine)
    result = cvrender.build(HOSTILE, backend="latex", engine=engine, output=tmp_path / "cv.pdf", today=TODAY)
    text = flat(pdf_text(result.pdf_path))
    missing = [s for s in HOSTILE_STRINGS if s not in text]
    assert not missing, f"{engine}: not printed literally: {missing}\n{text}"
    assert "root:" not in text  # /etc/passwd was never read
    outline = [item.title for item in PdfReader(result.pdf_path).outline]  # bookmarks, one per section
    assert outline == ["About", "Education", "Experience", "Publications", "Custom & stuff_ \\section{x}",
                       "Honors & Awards", "Skills"]
    links = uri_annotations(result.pdf_path)
    assert "https://example.org/~ada/a%20b?x=1&y=2#top" in links
    assert "https://example.org/%7Bbraces%7D/back%5Cslash/~tilde/%41" in links
    assert "https://example.org/p.pdf?a=1&b=%20#x" in links


def test_lualatex_prints_chinese(tmp_path: Path) -> None:
    require_tex("lualatex")
    result = cvrender.build(FULL, backend="latex", engine="lualatex", output=tmp_path / "cv.pdf", today=TODAY)
    text = pdf_text(result.pdf_path)
    assert "许润昕" in text and "国家奖学金" in text and "Page 2 of 2" in text


@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
def test_long_chinese_text_wraps_inside_the_margins(engine: str, tmp_path: Path) -> None:
    require_tex(engine)
    sentence = "我的研究关注机器翻译系统如何在数据稀缺时学习，以及如何判断译文何时出错。"
    profile = tmp_path / "zh.yaml"
    profile.write_text(f"name: 林伟\nlocale: zh\nsummary: {sentence * 6}\n", encoding="utf-8")
    pdf = cvrender.build(profile, backend="latex", engine=engine, output=tmp_path / "cv.pdf", today=TODAY).pdf_path
    width, words = word_boxes(pdf)
    right = max(word.x_max for word in words)
    assert right <= width - 17 * 72 / 25.4 + 1, f"text runs into the right margin ({right:.1f} of {width:.1f} pt)"
    assert unicodedata.normalize("NFKC", sentence * 2) in "".join(pdf_text(pdf).split())


def test_design_options_change_the_pdf(tmp_path: Path) -> None:
    require_tex("xelatex")
    design = {"paper": "letter", "date_placement": "left", "page_numbers": False, "section_title_style": "plain",
              "header_layout": "left", "accent": "#aa0000", "font_size": "11pt"}
    result = cvrender.build(FULL, backend="latex", design=design, output=tmp_path / "cv.pdf", today=TODAY)
    page = PdfReader(result.pdf_path).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    text = pdf_text(result.pdf_path)
    assert "Page 1 of" not in text
    assert "Sep 2020 – Jun 2023 Peking University" in squash(text)  # the date comes first, on the left


def test_emitted_source_compiles_on_its_own(tmp_path: Path) -> None:
    require_tex("xelatex")
    run = subprocess.run([sys.executable, "-m", "cvrender", "build", str(FULL), "--backend", "latex",
                          "--emit-source", "-o", str(tmp_path / "out" / "cv.pdf"), "--today", "2026-01-15"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    tex = tmp_path / "out" / "cv.tex"
    assert tex.is_file() and (tmp_path / "out" / "cv.pdf").is_file()
    first = tex.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("% !TEX program = ")
    engine = first.split("=", 1)[1].strip()
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(tex, alone / "cv.tex")
    env = dict(os.environ, openin_any="p", openout_any="p")
    for _ in range(2):
        done = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "cv.tex"],
                              cwd=alone, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout[-2000:]
    text = pdf_text(alone / "cv.pdf")
    assert "许润昕" in text and "Page 1 of 2" in text


def test_passes_are_counted_and_a_stale_aux_is_corrected(tmp_path: Path) -> None:
    require_tex("pdflatex")
    profile = tmp_path / "p.yaml"
    long = "\n".join(f"  - {{title: Award number {i}, year: {2000 + i % 20}}}" for i in range(90))
    profile.write_text(f"name: Ada Lovelace\nawards:\n{long}\n", encoding="utf-8")
    builder = Builder()
    options = BuildOptions(backend="latex", engine="pdflatex", today=TODAY)
    first = builder.compile(profile, options)[2]
    assert first.pages == 2 and first.info["passes"] == 2 and not first.info["seeded"]
    again = builder.compile(profile, options)[2]
    assert again.info["seeded"] and again.info["passes"] == 1  # unchanged: the cached .aux is already right
    assert "Page 2 of 2" in pdf_text(again.data)
    profile.write_text("name: Ada Lovelace\nawards:\n  - {title: One award, year: 2020}\n", encoding="utf-8")
    shorter = builder.compile(profile, options)[2]
    assert shorter.pages == 1 and shorter.info["seeded"] and shorter.info["passes"] == 2
    assert "Page 1 of 1" in pdf_text(shorter.data)  # not "of 2" from the cached .aux


def test_a_broken_template_quotes_the_tex_error_and_keeps_the_log(tmp_path: Path) -> None:
    require_tex("xelatex")
    output = tmp_path / "cv.pdf"
    with pytest.raises(EngineError) as info:
        cvrender.build(FULL, backend="latex", theme=str(THEMES / "broken"), output=output, today=TODAY)
    error = info.value
    message = str(error)
    assert message.startswith("xelatex stopped: Undefined control sequence \\thiscommandisnotdefined (")
    assert "in section 'publications', entry 1 ('From Dense to Sparse" in message
    assert "near '\\cvme{Runxin Xu}'" in message
    assert error.log_path is not None and error.log_path.is_file()
    assert "! Undefined control sequence." in error.log_path.read_text(encoding="utf-8", errors="replace")
    assert (error.log_path.parent / "cv.tex").is_file()
    assert not output.exists() and not list(tmp_path.iterdir())
    run = subprocess.run([sys.executable, "-m", "cvrender", "build", str(FULL), "--backend", "latex",
                          "-t", str(THEMES / "broken"), "-o", str(output)], capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith("error: xelatex stopped: Undefined control sequence \\thiscommandisnotdefined")
    assert lines[-1].startswith("full log: ") and lines[-1].endswith("cv.log")
    assert not output.exists()


def test_tex_cannot_read_or_write_outside_its_build_folder(tmp_path: Path) -> None:
    require_tex("xelatex")
    assert Path("/etc/passwd").is_file()
    with pytest.raises(EngineError, match=r"File `/etc/passwd\.tex' not found"):  # exists, but refused
        cvrender.build(FULL, backend="latex", theme=str(THEMES / "reader"), output=tmp_path / "a.pdf", today=TODAY)
    escape = Path(tempfile.gettempdir()) / "cvrender-sandbox-escape.txt"
    escape.unlink(missing_ok=True)
    with pytest.raises(EngineError, match=r"I can't write on file `\.\./cvrender-sandbox-escape\.txt'"):
        cvrender.build(FULL, backend="latex", theme=str(THEMES / "writer"), output=tmp_path / "b.pdf", today=TODAY)
    assert not escape.exists()
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("engine", "option"), [("xelatex", "latex_font"), ("xelatex", "cjk_font"),
                                                ("lualatex", "latex_font")])
def test_a_missing_font_names_the_design_option(engine: str, option: str, tmp_path: Path) -> None:
    require_tex(engine)
    with pytest.raises(EngineError) as info:
        cvrender.build(FULL, backend="latex", engine=engine, design={option: "Nonexistent Font"},
                       output=tmp_path / "cv.pdf", today=TODAY)
    message = str(info.value)
    assert "cannot be found" in message and f"check design option {option}" in message
    assert "in the preamble" in message
    assert not (tmp_path / "cv.pdf").exists()


def test_time_limit_kills_a_looping_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tex("xelatex")
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):  # type: ignore[no-untyped-def]
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(latex_engine.subprocess, "Popen", recording_popen)
    builder = Builder()
    builder._engines[("latex", "xelatex")] = LatexEngine("xelatex", timeout=4)
    output = tmp_path / "cv.pdf"
    with pytest.raises(EngineError, match=r"did not finish within 4 s and was stopped"):
        builder.build(FULL, BuildOptions(backend="latex", theme=str(THEMES / "looping"), today=TODAY), output)
    assert started and all(p.poll() is not None for p in started)
    for process in started:  # the whole process group is gone: no stray TeX
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)
    assert not output.exists()



@pytest.mark.parametrize("theme", ["compact", "sidebar"])
def test_an_error_in_any_theme_names_its_section_and_entry(theme: str, tmp_path: Path) -> None:
    """The backend writes the markers, so a theme that never wrote one (compact's entries, the
    sidebar's main column) still gets errors that name the section and the entry."""
    require_tex("xelatex")
    child = tmp_path / "child"
    (child / "latex").mkdir(parents=True)
    (child / "theme.yaml").write_text(f"name: child\ndescription: x\nbackends: [latex]\nextends: {theme}\n",
                                      encoding="utf-8")
    (child / "latex" / "cv.tex.j2").write_text(
        f'<% extends "!{theme}/cv.tex.j2" %>\n<% block preamble_extra %>\n<< super()|raw >>\n'
        "\\renewcommand{\\cvsummary}[1]{\\summaryisbroken{#1}}\n<% endblock %>\n", encoding="utf-8")
    with pytest.raises(EngineError) as info:
        cvrender.build(FULL, backend="latex", theme=str(child), output=tmp_path / "cv.pdf", today=TODAY)
    message = str(info.value)
    assert "Undefined control sequence \\summaryisbroken" in message
    assert "in section 'experience', entry 1 ('DeepSeek AI" in message


MARGIN_MM = 15


@pytest.mark.parametrize("theme", ["academic", "modern", "compact", "sidebar"])
def test_long_words_and_link_tags_stay_inside_the_margin(theme: str, tmp_path: Path) -> None:
    """A long unbreakable chunk (a name written as a web address, broken only every 20
    characters) and a link tag after a short line: ragged text used to have no acceptable break
    with ragged2e's finite stretch and ran past the right margin, off the page; so did the
    justified summary."""
    require_tex("xelatex")
    chunk = "ņƨƞƈȡ" * 30
    (tmp_path / "p.yaml").write_text(
        "name: Ada Lovelace\n"
        f"summary: A summary with https://example.org/{chunk} in it, and more words after it.\n"
        "publications:\n"
        "  - title: Short\n"
        f"    authors: [Ada Lovelace, 'https://example.org/{chunk} x <# x #>']\n"
        "    venue: Venue\n"
        "    year: 2024\n"
        "    note: (a note with <script>alert(1)</script> and more)\n"
        "    links: [{label: \"i@c `` & @import 'https://example.com/x.css';\", url: 'https://example.org/x'}]\n",
        encoding="utf-8")
    pdf = cvrender.build(tmp_path / "p.yaml", theme=theme, backend="latex", output=tmp_path / "cv.pdf",
                         today=TODAY, design={"margin": f"{MARGIN_MM}mm"}).pdf_path
    width, words = word_boxes(pdf)
    right = max(word.x_max for word in words)
    assert right <= width - MARGIN_MM * 72 / 25.4 + 1, f"text runs past the right margin ({right:.1f} of {width:.1f} pt)"
    assert "x.css';" in "".join(pdf_text(pdf).split())


def test_a_sidebar_header_taller_than_half_a_page_is_printed_whole(tmp_path: Path) -> None:
    """The sidebar header sits on a band measured from a box, which cannot break across pages: a
    header taller than half the page (a very long headline) is printed as text that runs on."""
    require_tex("xelatex")
    words = ["headline"] * 1000  # about 100 lines: more than a page
    (tmp_path / "p.yaml").write_text(f"name: Ada Lovelace\nheadline: {' '.join(words)} end\n", encoding="utf-8")
    pdf = cvrender.build(tmp_path / "p.yaml", theme="sidebar", backend="latex", output=tmp_path / "cv.pdf",
                         today=TODAY).pdf_path
    text = pdf_text(pdf)
    assert text.split().count("headline") == len(words) and "end" in text.split()
    width, boxes = word_boxes(pdf)
    assert all(box.x_max <= width for box in boxes)
