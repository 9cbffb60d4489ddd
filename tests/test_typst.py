"""The Typst format: what a user sees in the PDF, the escaping, the fonts, the fallback when
WeasyPrint cannot start, PNG pages and the emitted .typ source."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
from conftest import (
    EXAMPLES,
    TODAY,
    assert_in_order,
    example_profiles,
    pdf_text,
    squash,
    uri_annotations,
)
from pypdf import PdfReader
from test_build_html import PROFILE, READING_ORDER, _expected_strings

import cvrender
from cvrender.api import Builder, BuildOptions
from cvrender.context.markup import parse
from cvrender.formats.typst.engine import TypstEngine, package_font_dirs
from cvrender.formats.typst.escape import escape, inline_typst, string

THEMES = ("academic", "modern", "compact", "sidebar")
PROFILES = [*example_profiles(), EXAMPLES / "jsonresume" / "resume.json"]


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def build(path: Path, out: Path, **options: object) -> Path:
    result = cvrender.build(path, output=out, backend="typst", today=TODAY, **options)
    assert result.pdf_path is not None and result.backend == "typst"
    return result.pdf_path


def fonts_of(pdf: Path | bytes) -> dict[str, str]:
    """The text drawn in each font (base font name -> text), from pypdf's text visitor."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    found: dict[str, str] = {}

    def visit(text: str, cm: object, tm: object, font: dict | None, size: object) -> None:
        if font is not None and text:
            name = str(font.get("/BaseFont", ""))
            found[name] = found.get(name, "") + text

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return found


def _flat(text: str) -> str:
    """Text without spaces and hyphens, case-folded: a line may break after a word's hyphen, and
    pdftotext then joins the halves without it."""
    return re.sub(r"[\s\-]", "", text.casefold())


# ----- every example in every theme ----------------------------------------------------------------

@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("example", PROFILES, ids=lambda p: p.stem)
def test_every_example_builds_with_typst_in_every_theme(example: Path, theme: str, tmp_path: Path) -> None:
    pdf = build(example, tmp_path / "cv.pdf", theme=theme)
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    text = squash(pdf_text(pdf)).casefold()  # modern and sidebar set section titles in capitals
    if example.suffix == ".yaml":
        flat = _flat(text)
        missing = [s for s in _expected_strings(example) if _flat(unicodedata.normalize("NFKC", s)) not in flat]
        assert not missing, f"not in the PDF text: {missing}"
    titles = [item.title for item in reader.outline]
    assert titles, "no bookmarks"
    assert all(title.casefold() in text for title in titles)
    assert f"page {len(reader.pages)} of {len(reader.pages)}" in text


# ----- what the PDF holds ----------------------------------------------------------------------------

def test_contents_owner_bold_marks_legend_and_chinese(profile_file: Path, tmp_path: Path) -> None:
    pdf = build(profile_file, tmp_path)
    text = pdf_text(pdf)
    assert "许润昕" in text
    assert "Runxin Xu*" in text and "Fuli Luo*" in text
    assert "* equal contribution" in squash(text)
    for title in ("Education", "Publications", "Honors & Awards", "Research Interests"):
        assert title in text
    assert "Sep 2020 – Jun 2023" in text and "2018, 2019, 2021" in text
    assert "Page 1 of 1" in text
    bold = "".join(t for name, t in fonts_of(pdf).items() if "Bold" in name)
    assert "Runxin" in bold and "Fuli" not in bold and "Chengyu" not in bold


def test_links_are_annotations_metadata_bookmarks_and_language(profile_file: Path, tmp_path: Path) -> None:
    pdf = build(profile_file, tmp_path)
    uris = uri_annotations(pdf)
    for url in ("mailto:runxin@example.org", "https://github.com/RunxinXu", "https://orcid.org/0000-0002-1825-0097",
                "https://arxiv.org/abs/2112.07198", "https://www.pku.edu.cn/", "https://icl.pku.edu.cn/"):
        assert url in uris
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta.title == "Runxin Xu – Curriculum Vitae"
    assert meta.author == "Runxin Xu"
    assert meta.subject == "Master student at Peking University"
    assert "Large language models" in meta.get("/Keywords", "")
    assert str(reader.trailer["/Root"].get("/Lang")) == "en"
    assert meta.get("/CreationDate", "").startswith("D:20260115")  # the injected today, not the clock
    assert [item.title for item in reader.outline] == ["Research Interests", "Education", "Publications",
                                                       "Honors & Awards"]


def test_reading_order_keeps_dates_after_their_line(profile_file: Path, tmp_path: Path) -> None:
    assert_in_order(pdf_text(build(profile_file, tmp_path)), READING_ORDER)


def test_theme_options_change_the_pdf(profile_file: Path, tmp_path: Path) -> None:
    letter = PdfReader(build(profile_file, tmp_path / "a.pdf", design={"paper": "letter", "page_numbers": False}))
    assert round(float(letter.pages[0].mediabox.width)) == 612
    assert "Page 1 of 1" not in pdf_text(tmp_path / "a.pdf")
    a4 = PdfReader(build(profile_file, tmp_path / "b.pdf"))
    assert round(float(a4.pages[0].mediabox.width)) == 595


def test_chinese_locale_sets_the_language(tmp_path: Path) -> None:
    example = next(p for p in example_profiles() if p.stem == "bilingual")
    reader = PdfReader(build(example, tmp_path, locale="zh"))
    assert str(reader.trailer["/Root"].get("/Lang")).startswith("zh")
    text = "".join(page.extract_text() for page in reader.pages)
    assert re.search(r"[\u4e00-\u9fff]", text)


# ----- escaping ----------------------------------------------------------------------------------

HOSTILE = ['#read("/etc/passwd")', '#import "x.typ": *', '#include "x.typ"', '#eval("1+1")', "#set text(size: 0pt)",
           "<label> @ref", "$x^2$", "*b* _i_ `r`", "// comment", "a \\ b", "= Heading", "- item", "1. first",
           "] #panic(1) [", "https://example.org/auto"]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_compiles_and_prints_literally(text: str) -> None:
    source = f"#set page(width: 30cm, height: auto)\n[{escape(text)}]#h(1em)#text({string(text)})".encode()
    pdf = TypstEngine().compiler.compile(source)
    shown = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert shown.count(" ".join(text.split())) == 2, shown


def test_inline_markup_becomes_typst_functions_and_unsafe_links_text() -> None:
    typ = inline_typst(parse("**bold** _it_ `#code` [site](https://x.org/a_b) [bad](javascript:alert(1))"))
    assert "#strong[bold]" in typ and "#emph[it]" in typ and '#raw("#code")' in typ
    assert '#link("https://x.org/a_b")[site]' in typ
    assert "javascript" not in typ and "bad" in typ


# ----- fonts -------------------------------------------------------------------------------------

@pytest.mark.skipif(not package_font_dirs(), reason="the cjk extra (pip install 'cvrender[cjk]') is not installed")
def test_chinese_renders_with_no_system_font_at_all(profile_file: Path) -> None:
    """With the system's font folders hidden from Typst, the pip-installed CJK font draws the
    Chinese name and Typst's own fonts the rest."""
    builder = Builder()
    engine = TypstEngine(font_dirs=package_font_dirs(), ignore_system_fonts=True)
    assert not any("cjk" in family for family in engine.families())  # no system Noto CJK
    builder._engines[("typst", "typst")] = engine
    _, _, pdf, _ = builder.compile(profile_file, BuildOptions(backend="typst", today=TODAY))
    fonts = fonts_of(pdf.data)
    cjk = "".join(t for name, t in fonts.items() if re.search(r"Noto(Serif|Sans)SC", name))
    assert "许润昕" in cjk, fonts.keys()
    assert not [w for w in pdf.warnings if "glyph" in w or "CJK" in w], pdf.warnings


def test_without_any_cjk_font_the_build_says_what_to_install(profile_file: Path) -> None:
    builder = Builder()
    builder._engines[("typst", "typst")] = TypstEngine(font_dirs=(), ignore_system_fonts=True)
    warnings = cvrender.api.Warnings()
    builder.compile(profile_file, BuildOptions(backend="typst", today=TODAY), warnings)
    assert any("cvrender[cjk]" in w for w in warnings.items), warnings.items
    assert any("U+8BB8" in w for w in warnings.items), warnings.items  # 许 has no glyph


def test_missing_glyph_warnings_follow_typsts_fonts_not_fontconfigs(tmp_path: Path) -> None:
    """Typst searches its own font book (pip-installed and TeX Gyre fonts included), not
    fontconfig's: a character only the hidden system fonts have is reported where the profile has
    it, and one no font at all has is reported in every font set."""
    path = tmp_path / "p.yaml"
    path.write_text("name: Ada Lovelace\nheadline: Chess \u265e and runes \u16a0\n", encoding="utf-8")

    def located(engine: TypstEngine | None) -> list[str]:
        builder = Builder()
        if engine is not None:
            builder._engines[("typst", "typst")] = engine
        warnings = cvrender.api.Warnings()
        builder.compile(path, BuildOptions(backend="typst", today=TODAY), warnings)
        return [w for w in warnings.items if "no installed font has the character" in w]

    hidden = located(TypstEngine(font_dirs=(), ignore_system_fonts=True))
    assert any("U+265E" in w and w.startswith(f"{path}:2:") for w in hidden), hidden
    assert any("U+16A0" in w for w in hidden), hidden
    system = located(None)
    if TypstEngine().uncovered("\u265e"):
        pytest.skip("no system font here has U+265E")
    assert not any("U+265E" in w for w in system), system


MANY_SCRIPTS = """\
name: Ελένη Παπαδοπούλου 许润昕
headline: "Физика · עברית · العربية · हिन्दी · ∑ ∞ ≤ → ✓ ★ 😀 · Ǆ ŉ ẞ"
summary: "Math: α·β ≠ γ; dashes – — and quotes „“ «»; 日本語とかな; 한국어"
"""


LATIN_ONLY = """\
name: Zoë Álvarez-Brontë
headline: Research engineer — façades, naïve Bayes, “quotes” and résumé
"""


def _drawn(pdf: bytes) -> dict[str, str]:
    """Text drawn per font, the subset tag (``ABCDEF+``) left out of the font's name."""
    return {re.sub(r"^/?[A-Z]{6}\+", "", name): text for name, text in fonts_of(pdf).items()}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("example", ["fuzhao_xue", "runxin_xu", "many_scripts", "latin_only"])
def test_only_the_needed_font_folders_are_loaded_and_the_same_fonts_are_chosen(
        example: str, theme: str, tmp_path: Path) -> None:
    """A build gives Typst only the system font folders its text needs (the saving of a cold
    build); every character is still drawn in the font it gets with every system font."""
    if example in ("many_scripts", "latin_only"):
        path = tmp_path / "p.yaml"
        path.write_text(MANY_SCRIPTS if example == "many_scripts" else LATIN_ONLY, encoding="utf-8")
    else:
        path = EXAMPLES / f"{example}.yaml"
    builder = Builder()
    prepared = builder.prepare(path, BuildOptions(backend="typst", theme=theme, today=TODAY), cvrender.api.Warnings())
    source = builder.render(prepared.format, prepared.ctx, prepared.loaded.base_dir)
    engine = TypstEngine()
    wanted = tuple(source.options.fonts)  # type: ignore[attr-defined]
    with engine.build_folder(source) as root:
        everything, _ = engine.compiler.compile_with_warnings(source.text.encode(), root=root, format="pdf")
        needed, _ = engine.compiler_for(source.text, wanted).compile_with_warnings(
            source.text.encode(), root=root, format="pdf")
    assert _drawn(needed) == _drawn(everything)
    folders = engine.index().folders_for(source.text, wanted)
    in_folders = {face.family for face in engine.index().faces if face.folder in folders}
    if example == "latin_only":  # no CJK collection is scanned (fuzhao_xue has a fullwidth comma)
        assert not [family for family in in_folders if "CJK" in family], folders


def test_a_font_whose_coverage_cannot_be_read_is_always_given(tmp_path: Path) -> None:
    from cvrender.formats.typst.fontindex import Face, FontIndex

    unreadable = Face(str(tmp_path / "odd" / "odd.otf"), 0, "Odd Serif")  # no such file: no cmap read
    index = FontIndex((unreadable, *TypstEngine().index().faces[:1]))
    assert str(tmp_path / "odd") in index.folders_for("abc", ("Odd Serif",))
    assert str(tmp_path / "odd") in index.folders_for("\u0915", ())  # a fallback character: every unreadable font too


def test_the_font_index_is_rebuilt_when_a_font_folder_changes(tmp_path_factory: pytest.TempPathFactory,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from cvrender.formats.typst import fontindex

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))  # not above the font folder
    extra = tmp_path_factory.mktemp("extra") / "fonts"
    extra.mkdir()
    donor = next(face for face in TypstEngine().index().faces if face.path.endswith((".otf", ".ttf")))
    first = fontindex._scan((str(extra),))
    fontindex._save(first, (str(extra),))
    assert fontindex.cache_file().is_file()
    again = fontindex._load((str(extra),))
    assert again is not None and again.faces == first.faces  # nothing changed: read from the cache
    shutil.copy(donor.path, extra / Path(donor.path).name)
    os.utime(extra, ns=(0, os.stat(extra).st_mtime_ns + 10**9))  # a font was added to the folder
    assert fontindex._load((str(extra),)) is None  # stale: the next build scans again
    rebuilt = fontindex._scan((str(extra),))
    assert any(face.folder == str(extra) for face in rebuilt.faces)


def test_doctor_says_which_fonts_typst_uses() -> None:
    from cvrender.tools.doctor import check_typst

    checks = {c.name: c for c in check_typst()}
    assert checks["render test"].status == "ok"
    for theme in THEMES:
        assert checks[f"fonts ({theme})"].detail.startswith("text: ")


# ----- default backend, PNG, emitted source ------------------------------------------------------

NO_WEASYPRINT = """\
import sys
class _Broken:
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': no such file")
sys.meta_path.insert(0, _Broken())
"""


def run_without_weasyprint(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``cvrender ARGS`` in a fresh interpreter where importing WeasyPrint fails as it does
    without Pango (a sitecustomize installs a failing import hook)."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(NO_WEASYPRINT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "cvrender", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_without_weasyprint_the_default_build_uses_typst_and_says_so(profile_file: Path, tmp_path: Path) -> None:
    run = run_without_weasyprint(tmp_path, "build", str(profile_file), "-o", str(tmp_path / "cv.pdf"))
    assert run.returncode == 0, run.stderr
    notes = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(notes) == 1 and "WeasyPrint cannot start" in notes[0] and "Typst" in notes[0], run.stderr
    assert "apt install libpango" in notes[0]
    assert "Runxin Xu" in pdf_text(tmp_path / "cv.pdf")


def test_without_weasyprint_an_explicit_html_build_fails_with_that_line(profile_file: Path, tmp_path: Path) -> None:
    run = run_without_weasyprint(tmp_path, "build", str(profile_file), "-b", "html", "-o", str(tmp_path / "cv.pdf"))
    assert run.returncode != 0
    assert "WeasyPrint cannot start" in run.stderr and "apt install libpango" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "cv.pdf").exists()


def test_without_weasyprint_batch_and_lab_default_to_typst_with_one_note(profile_file: Path, tmp_path: Path) -> None:
    """batch, lab-publications and web choose their default format as build does."""
    import shutil

    lab = tmp_path / "lab"
    shutil.copytree(EXAMPLES / "lab", lab)
    lab_file = lab / "lab.yaml"
    lab_file.write_text("".join(line for line in lab_file.read_text(encoding="utf-8").splitlines(keepends=True)
                                if not line.startswith("backend:")), encoding="utf-8")
    run = run_without_weasyprint(tmp_path, "batch", str(profile_file), str(lab_file), "-o", str(tmp_path / "out"), "-q")
    assert run.returncode == 0, run.stderr
    notes = [line for line in run.stderr.splitlines() if "WeasyPrint cannot start" in line]
    assert len(notes) == 1 and "built with Typst instead" in notes[0], run.stderr
    built = sorted((tmp_path / "out").glob("*.pdf"))
    assert len(built) == 6, built  # the profile and five lab members
    assert all(PdfReader(pdf).metadata["/Creator"].startswith("Typst") for pdf in built)
    run = run_without_weasyprint(tmp_path, "lab-publications", str(lab_file), "-o", str(tmp_path / "pubs.pdf"))
    assert run.returncode == 0 and "built with Typst instead" in run.stderr, run.stderr
    assert "Mei Lin" in pdf_text(tmp_path / "pubs.pdf")
    run = run_without_weasyprint(tmp_path, "web", str(profile_file), "-o", str(tmp_path / "site"))
    assert run.returncode == 0 and "built with Typst instead" in run.stderr, run.stderr
    assert "Runxin Xu" in pdf_text(next((tmp_path / "site").glob("*.pdf")))
    run = run_without_weasyprint(tmp_path, "lab-publications", str(EXAMPLES / "lab" / "lab.yaml"),
                                 "-o", str(tmp_path / "html.pdf"))  # the example lab asks for HTML
    assert run.returncode != 0 and "WeasyPrint cannot start" in run.stderr and "Traceback" not in run.stderr


def test_a_typst_build_does_not_import_weasyprint(profile_file: Path, tmp_path: Path) -> None:
    code = textwrap.dedent(f"""
        import sys, cvrender
        cvrender.build({str(profile_file)!r}, output={str(tmp_path)!r}, backend="typst")
        print("weasyprint" in sys.modules)
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_a_typst_build_does_not_ask_fontconfig(profile_file: Path, tmp_path: Path) -> None:
    """fontconfig (``fc-list``, 0.15 s) does not know Typst's fonts; the missing-glyph check of a
    Typst build asks Typst's font index instead."""
    code = textwrap.dedent(f"""
        import cvrender
        from cvrender import glyphs
        cvrender.build({str(profile_file)!r}, output={str(tmp_path)!r}, backend="typst")
        print(glyphs._installed.cache_info().currsize)
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "0"


def test_png_pages_come_from_typst(profile_file: Path, tmp_path: Path) -> None:
    result = cvrender.build(profile_file, output=tmp_path / "cv.pdf", backend="typst", png=True, today=TODAY)
    assert [p.name for p in result.png_paths] == ["cv-1.png"]
    data = result.png_paths[0].read_bytes()
    assert data.startswith(b"\x89PNG")
    width = int.from_bytes(data[16:20], "big")
    assert abs(width - 210 / 25.4 * 150) < 3  # an A4 page at 150 dpi


def test_emitted_source_compiles_on_its_own_with_only_its_folder(tmp_path: Path) -> None:
    example = next(p for p in example_profiles() if p.stem == "full")  # has a photo
    out = tmp_path / "out"
    result = cvrender.build(example, output=out / "cv.pdf", backend="typst", emit_source=True, today=TODAY)
    assert result.source_path == out / "cv.typ"
    assert (out / "photo.jpg").is_file() or (out / "photo.png").is_file()
    import typst

    pdf = typst.compile(str(result.source_path), root=str(out))
    assert squash(pdf_text(pdf)) == squash(pdf_text(result.pdf_path))


def test_template_errors_name_the_typst_line(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "broken"
    (theme / "typst").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: broken\nextends: academic\nbackends: [typst]\n", encoding="utf-8")
    (theme / "typst" / "header.typ.j2").write_text("#undefined-function()\n", encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text("name: Ada Lovelace\ntheme: broken\n", encoding="utf-8")
    with pytest.raises(cvrender.errors.EngineError, match=r"Typst: unknown variable: undefined-function \(line \d+:\d+"):
        cvrender.build(profile, output=tmp_path, backend="typst", today=TODAY)


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../../../etc/passwd", "@SECRET@"])
def test_typst_reads_only_its_build_folder_even_for_a_theme(path: str, tmp_path: Path) -> None:
    """A theme's template is code, but Typst's root is the build folder: it cannot read a file
    outside it (the photo is copied in; nothing else is there)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-typst", encoding="utf-8")
    theme = tmp_path / "themes" / "reader"
    (theme / "typst").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: reader\nextends: academic\nbackends: [typst]\n", encoding="utf-8")
    target = path.replace("@SECRET@", str(secret))
    (theme / "typst" / "header.typ.j2").write_text(f'#read("{target}")\n', encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text("name: Ada Lovelace\ntheme: reader\n", encoding="utf-8")
    with pytest.raises(cvrender.errors.EngineError, match=r"Typst: (file not found|access denied|path .* would escape the project root)"):
        cvrender.build(profile, output=tmp_path / "out", backend="typst", today=TODAY)


def test_watch_uses_typst_by_default_and_one_compiler_for_every_rebuild(tmp_path: Path) -> None:
    import threading

    from test_watch import PROFILE as WATCH_PROFILE
    from test_watch import wait_for

    from cvrender.api import fastest_backend
    from cvrender.watch import PreviewState, Watcher

    assert fastest_backend() == "typst"  # what `cvrender watch` uses without --backend
    profile = tmp_path / "profile.yaml"
    profile.write_text(WATCH_PROFILE, encoding="utf-8")
    state = PreviewState()
    watcher = Watcher(profile, BuildOptions(backend=fastest_backend(), today=TODAY), dpi=30, state=state)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: state.get().ok, timeout=90, what="the first build")  # a loaded machine is slow
        first = dict(watcher.builder._engines)
        assert "Typst" in str(PdfReader(io.BytesIO(state.get().pdf or b"")).metadata.creator)
        import time

        time.sleep(1.5)  # the watcher notes the files of its first build after that build
        profile.write_text(WATCH_PROFILE + "headline: A NEW HEADLINE\n", encoding="utf-8")
        wait_for(lambda: "A NEW HEADLINE" in pdf_text(state.get().pdf or b""), timeout=90, what="the edit")
        assert watcher.builder._engines == first and list(first) == [("typst", "typst")]
    finally:
        stop.set()
        thread.join(timeout=10)
