"""The LaTeX backend without TeX: what the rendered source says, and the errors a user gets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY

import cvrender
from cvrender.errors import EngineError, EngineMissingError, ThemeError
from cvrender.formats.base import Source, SourceOptions
from cvrender.formats.latex import engine as latex_engine
from cvrender.formats.latex.engine import LatexEngine
from cvrender.formats.latex.escape import UnsupportedCharacterError

DATA = Path(__file__).parent / "data" / "latex"
FULL = DATA / "full.yaml"
HOSTILE = DATA / "hostile.yaml"


def latex(profile: Path | dict, **options) -> str:  # type: ignore[type-arg]
    return cvrender.render_source(profile, backend="latex", today=TODAY, **options)


def test_first_line_names_the_engine() -> None:
    assert latex(FULL).splitlines()[0] == "% !TEX program = xelatex"
    latin = {"name": "Ada Lovelace"}
    assert latex(latin, engine="pdflatex").splitlines()[0] == "% !TEX program = pdflatex"
    assert latex(latin, engine="lualatex").splitlines()[0] == "% !TEX program = lualatex"


def test_every_profile_value_is_escaped() -> None:
    source = latex(HOSTILE)
    body = source[source.index("\\begin{document}"):]
    assert r"\input{" not in body and r"\write18" not in body and r"\def\x" not in body
    assert r"\textbackslash{}input\{/etc/passwd\}" in body
    assert r"\textasciicircum{}\textasciicircum{}5c" in body
    assert r"\textbackslash{}write18\{rm -rf /\}" in body
    assert r"{[}Oral{]} starts with a bracket" in body
    # metadata goes through the same escaping
    assert r"pdfauthor={Ada \textbackslash{}\{Lovelace\textbackslash{}\} \$\&\#\textasciicircum{}\_\textasciitilde{}\%}" in source


def test_markdown_becomes_latex_commands() -> None:
    body = latex(FULL)
    assert r"\textbf{Peking University}" in body
    assert r"I work on \emph{efficient} and \textbf{reliable}" in body
    assert r"\href{https://runxinxu.github.io/}{my homepage}" in body


def test_cjk_setup_only_when_cjk_text_is_present() -> None:
    assert r"\usepackage{xeCJK}" in latex(FULL)  # the native name is Chinese
    plain = latex({"name": "Ada Lovelace", "summary": "Zoë and “quotes” – fine"})
    assert "xeCJK" not in plain and "CJKmainfont" not in plain
    hidden = latex({"name": "Ada Lovelace", "awards": [{"title": "Prize", "native_title": "奖"}]})
    assert r"\usepackage{xeCJK}" in hidden
    chinese = latex({"name": "林伟", "locale": "zh"})
    assert r"\usepackage{xeCJK}" in chinese
    assert r"\xeCJKDeclareCharClass" not in chinese  # a Chinese CV keeps Chinese punctuation
    assert "第 \\thepage{} 页，共 \\pageref*{LastPage} 页" in chinese
    assert r"\setCJKmainfont{Noto Serif CJK SC}" in latex(FULL)


def test_design_options_reach_the_preamble() -> None:
    design = {"paper": "letter", "accent": "#aa0000", "margin": "0.75in", "font_size": "11pt",
              "date_placement": "left", "page_numbers": False, "section_title_style": "plain",
              "header_layout": "left", "latex_font": "TeX Gyre Termes"}
    source = latex(FULL, design=design)
    assert r"\geometry{letterpaper, left=0.75in" in source
    assert r"\documentclass[11pt]{article}" in source
    assert r"\@setfontsize\normalsize{11.00}{13.20}" in source
    assert r"\definecolor{accent}{HTML}{AA0000}" in source
    assert r"\setmainfont{TeX Gyre Termes}" in source
    assert r"\setlength{\leftmargin}{\cvdatewidth}" in source
    assert r"\fancyfoot[C]" not in source
    assert r"\raggedright" in source.split("% section: header")[1][:400]
    default = latex(FULL)
    assert r"\newcommand{\cvpagelabel}{Page \thepage{} of \pageref*{LastPage}}" in default
    assert r"\fancyfoot[C]{\normalfont\footnotesize\color{cvfaint}\cvpagelabel}" in default
    assert r"\geometry{a4paper, left=17mm" in default
    odd = latex(FULL, design={"font_size": "10.5pt"})
    assert r"\documentclass[10pt]{article}" in odd and r"\@setfontsize\small{9.45}{11.34}" in odd


def test_pdflatex_fonts_come_from_packages() -> None:
    source = latex({"name": "Ada"}, engine="pdflatex")
    assert r"\usepackage[T1]{fontenc}" in source
    assert r"\IfFileExists{tgpagella.sty}{\usepackage{tgpagella}}" in source and "{mathpazo}" in source
    assert "fontspec" not in source


def test_pdflatex_warns_about_a_font_it_cannot_use() -> None:
    source = cvrender.api.default_builder().render_source(
        {"name": "Ada"}, cvrender.api.BuildOptions(backend="latex", engine="pdflatex",
                                                    design={"latex_font": "Fira Sans"}, today=TODAY))
    assert source.options.warnings and "Fira Sans" in source.options.warnings[0]
    assert r"\IfFileExists{lmodern.sty}" in source.text


def test_sections_keep_their_order_and_titles() -> None:
    source = latex(FULL)
    keys = re.findall(r"^% section: (\S+)$", source, flags=re.M)
    assert keys == ["header", "about", "interests", "education", "experience", "publications", "awards",
                    "talks", "service", "teaching", "skills", "languages"]
    assert r"\cvsectiontitle{Honors \& Awards}{awards}" in source
    assert r"\cvme{Runxin Xu}\cvmark{*}, Fuli Luo\cvmark{*}" in source
    assert r"\cvmark{*}\,equal contribution; \cvmark{†}\,corresponding author" in source


def test_template_typo_is_a_theme_error_with_file_and_line() -> None:
    with pytest.raises(ThemeError, match=r"typo/latex/header\.tex\.j2:2: .*'nmae'"):
        latex(FULL, theme=str(DATA / "themes" / "typo"))


def test_pdflatex_with_chinese_stops_naming_xelatex(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedCharacterError, match="build with --engine xelatex"):
        latex(FULL, engine="pdflatex")
    run = subprocess.run([sys.executable, "-m", "cvrender", "build", str(FULL), "--backend", "latex",
                          "--engine", "pdflatex", "-o", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "许润昕" in lines[0] and "xelatex" in lines[0], run.stderr
    assert "Traceback" not in run.stderr
    assert not list(tmp_path.iterdir())


def test_missing_engine_names_the_debian_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    source = Source("\\documentclass{article}", "latex", options=SourceOptions(engine="xelatex"))
    with pytest.raises(EngineMissingError, match="apt install texlive-xetex"):
        LatexEngine("xelatex").compile(source)
    with pytest.raises(EngineMissingError, match="texlive-luatex"):
        LatexEngine("lualatex").compile(Source("", "latex"))


def test_only_files_inside_the_theme_or_profile_folder_are_copied_into_the_build(tmp_path: Path) -> None:
    from cvrender.formats.latex.engine import _copy_files

    inside = tmp_path / "profile"
    inside.mkdir()
    (inside / "me.jpg").write_bytes(b"jpeg")
    build = tmp_path / "build"
    build.mkdir()
    _copy_files(Source("", "latex", allowed_dirs=(inside,), options=SourceOptions(files={"photo.jpg": inside / "me.jpg"})),
                build)
    assert (build / "photo.jpg").read_bytes() == b"jpeg"
    outside = Source("", "latex", allowed_dirs=(inside,), options=SourceOptions(files={"photo.jpg": Path("/etc/passwd")}))
    with pytest.raises(EngineError, match="refused to copy '/etc/passwd'"):
        _copy_files(outside, build)
    odd_name = Source("", "latex", allowed_dirs=(inside,), options=SourceOptions(files={"../x.jpg": inside / "me.jpg"}))
    with pytest.raises(EngineError, match="cannot use"):
        _copy_files(odd_name, build)


def test_source_for_another_engine_is_refused() -> None:
    source = Source("x", "latex", options=SourceOptions(engine="pdflatex"))
    with pytest.raises(EngineError, match="written for pdflatex, not xelatex"):
        LatexEngine("xelatex").compile(source)


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(EngineError, match="unknown TeX engine 'context'"):
        LatexEngine("context")


def test_time_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CVRENDER_TEX_TIMEOUT", "7.5")
    assert LatexEngine("xelatex").timeout == 7.5
    monkeypatch.setenv("CVRENDER_TEX_TIMEOUT", "soon")
    assert LatexEngine("xelatex").timeout == latex_engine.DEFAULT_TIMEOUT


LOG = """\
This is XeTeX, Version 3.141592653-2.6-0.999994 (TeX Live 2022/Debian) (preloaded format=xelatex)
(./cv.tex
LaTeX2e <2022-11-01> patch level 1
! Undefined control sequence.
\\cvme #1->\\thiscommandisnotdefined
                                   {#1}
l.7 \\cvme{Runxin Xu}
                    , Fuli Luo
Here is how much of TeX's memory you used:
"""


def test_the_first_tex_error_is_quoted_with_its_source_line_section_and_entry() -> None:
    from cvrender.formats.latex.engine import _first_error, _where

    message, number, context = _first_error(LOG)
    assert message == "Undefined control sequence \\thiscommandisnotdefined"
    assert (number, context) == (7, "\\cvme{Runxin Xu}")
    source = "\n".join(["% !TEX program = xelatex", "\\documentclass{article}", "\\begin{document}",
                        "% section: publications", "% entry: 2: Raise a Child", "", "\\cvme{Runxin Xu}, Fuli Luo"])
    assert _where(source, number, context) == (
        "cv.tex line 7, in section 'publications', entry 2 ('Raise a Child'), near '\\cvme{Runxin Xu}'")
    assert _where(source, 2, "\\BOOKMARK [1][-]{x}") == "near '\\BOOKMARK [1][-]{x}'"  # a line of cv.out
    assert _first_error("no errors here\n") is None


def test_rerun_requests_and_page_counts_are_read_from_the_log() -> None:
    from cvrender.formats.latex.engine import _asks_rerun, _page_count

    assert _asks_rerun("LaTeX Warning: Label(s) may have changed. Rerun to get cross-references right.\n")
    assert _asks_rerun("Package lastpage Warning: Rerun to get the references right\n")
    assert not _asks_rerun("Overfull \\hbox (1.0pt too wide) in paragraph: Rerun the experiment\n")
    assert _page_count("Output written on cv.xdv (3 pages, 41232 bytes).\n") == 3
    assert _page_count("Output written on cv.pdf (1 page, 1232 bytes).\n") == 1


THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"
# What only the backend writes: engine set-up, page count, bookmarks, the format marker, the markers.
ENGINE_ONLY = ("\\documentclass", "fontspec", "xeCJK", "luatexja", "\\setmainfont", "fontenc", "inputenc",
               "LastPage", "\\pdfbookmark", "\\newcounter", "cvrender: end of the preloaded preamble",
               "% section:", "% entry:", "tex.engine", "pdfcreator")


def test_theme_templates_only_lay_out_content() -> None:
    templates = sorted(THEMES_DIR.glob("*/latex/**/*.tex.j2"))
    assert len(templates) >= 10
    for path in templates:
        text = path.read_text(encoding="utf-8")
        found = [word for word in ENGINE_ONLY if word in text]
        assert not found, f"{path.relative_to(THEMES_DIR)} holds engine knowledge: {found}"


def test_the_backend_writes_the_engine_part_and_the_markers_for_every_theme() -> None:
    for theme in ("academic", "compact", "modern", "sidebar"):
        for engine in ("xelatex", "lualatex"):
            source = latex(FULL, theme=theme, engine=engine)
            assert source.count("\\documentclass") == 1 and source.count("\\usepackage{fontspec}") == 1
            assert source.count("% cvrender: end of the preloaded preamble") == 1
            entries = re.findall(r"^% entry: (\d+): (.*)$", source, flags=re.M)
            assert ("1", "Peking University") in entries, theme  # an education entry, in every theme
        assert "\\usepackage{luatexja-fontspec}" in source and "\\usepackage{xeCJK}" not in source


def test_a_theme_cannot_replace_the_engine_part(tmp_path: Path) -> None:
    theme = tmp_path / "sneaky"
    (theme / "latex" / "cvrender").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: sneaky\ndescription: x\nbackends: [latex]\nextends: academic\n",
                                      encoding="utf-8")
    (theme / "latex" / "cvrender" / "engine.tex.j2").write_text("SHADOWED ENGINE\n", encoding="utf-8")
    source = latex(FULL, theme=str(theme))
    assert "SHADOWED ENGINE" not in source and "\\usepackage{fontspec}" in source
