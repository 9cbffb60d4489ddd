"""Every built-in theme builds in both backends, and looks like itself: its typeface is
embedded, its layout puts text where the theme says (the sidebar on the left), compact keeps a
strong profile to two pages, and every example builds with every theme."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from conftest import (
    EXAMPLES,
    TODAY,
    Word,
    example_profiles,
    pdf_text,
    require_tex,
    squash,
    word_boxes,
)
from PIL import Image
from pypdf import PdfReader

from cvrender.api import Builder, BuildOptions
from cvrender.formats.registry import builtin_format_names

THEMES = ("academic", "compact", "modern", "sidebar")
RESEARCHER = Path(__file__).parent / "golden" / "profiles" / "researcher.yaml"
TYPEFACE = {"academic": "Pagella", "compact": "Termes", "modern": "Heros", "sidebar": "Heros"}
MM = 72 / 25.4

builder = Builder()


def need_tex(backend: str) -> None:
    """Skip LaTeX builds without TeX (fail under CI=true)."""
    if backend == "latex":
        require_tex()


def build(tmp_path: Path, profile: Path, theme: str, backend: str, **options: object) -> Path:
    """Build a PDF into tmp_path and return its path."""
    out = tmp_path / f"{profile.stem}-{theme}-{backend}.pdf"
    builder.build(profile, BuildOptions(theme=theme, backend=backend, today=TODAY, **options), out)  # type: ignore[arg-type]
    return out


def fonts(pdf: Path) -> str:
    """``pdffonts`` output: the fonts a PDF embeds."""
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def outline_titles(pdf: Path) -> list[str]:
    """Every bookmark title in the PDF's outline, depth first."""
    def walk(items: list) -> list[str]:  # type: ignore[type-arg]
        out: list[str] = []
        for item in items:
            out.extend(walk(item) if isinstance(item, list) else [item.title])
        return out
    return walk(PdfReader(pdf).outline)


def x_of(boxes: list[Word], word: str) -> float:
    """The left edge of the first occurrence of ``word``."""
    return next(box.x_min for box in boxes if box.text == word)


# every built-in format; those compiled by TeX carry the tex mark
BACKENDS = [pytest.param(name, marks=[pytest.mark.tex] if name == "latex" else []) for name in builtin_format_names()]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_builds_and_shows_the_whole_cv(tmp_path: Path, theme: str, backend: str) -> None:
    need_tex(backend)
    pdf = build(tmp_path, RESEARCHER, theme, backend)
    text = squash(pdf_text(pdf).replace("-\n", "-"))
    assert text.startswith("Mira Castellanos")
    assert not PdfReader(pdf).pages[0].images  # no photo in the profile, no image on the page
    for title in ("About", "Education", "Experience", "Publications", "Professional Service", "Skills"):
        assert title.lower() in text.lower(), title
    for phrase in ("Verifiable Table Reasoning with Program-Aided Language Models", "NSF CAREER Award",
                   "Stanford University", "Python, PyTorch, JAX, Rust, SQL", "Spotlight"):
        assert phrase in text, phrase
    assert TYPEFACE[theme] in fonts(pdf)
    assert len(PdfReader(pdf).pages) <= 3
    bookmarks = [title.lower() for title in outline_titles(pdf)]
    assert {"education", "experience", "publications"} <= set(bookmarks)


@pytest.mark.parametrize("backend", BACKENDS)
def test_compact_keeps_a_strong_profile_to_two_pages(tmp_path: Path, backend: str) -> None:
    need_tex(backend)
    pages = {theme: len(PdfReader(build(tmp_path, RESEARCHER, theme, backend)).pages)
             for theme in ("academic", "compact")}
    assert pages["compact"] <= 2
    assert pages["compact"] <= pages["academic"]
    full = EXAMPLES / "bibtex_demo.yaml"
    assert len(PdfReader(build(tmp_path, full, "compact", backend)).pages) <= 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_sidebar_sets_contacts_and_skills_beside_the_main_column(tmp_path: Path, backend: str) -> None:
    need_tex(backend)
    pdf = build(tmp_path, RESEARCHER, "sidebar", backend)
    _, boxes = word_boxes(pdf, last=1)
    sidebar_edge = 62 * MM
    for word in ("mira.castellanos@northbridge.edu", "SKILLS", "LANGUAGES", "Portuguese", "PyTorch,"):
        assert x_of(boxes, word) < sidebar_edge - 4 * MM, word
    for word in ("EDUCATION", "EXPERIENCE", "Stanford", "Verifiable"):
        assert x_of(boxes, word) > sidebar_edge, word
    lines = {box.text: box.y_min for box in boxes if box.text in ("GitHub", "Scholar", "ORCID", "MA")}
    assert len(set(lines.values())) == 4, lines  # one contact item per line
    text = squash(pdf_text(pdf))
    assert text.startswith("Mira Castellanos Assistant Professor")  # the name band is read first
    # the main column keeps the profile's order
    main = [box.text for box in boxes
            if box.x_min > sidebar_edge and box.text in ("ABOUT", "EDUCATION", "EXPERIENCE", "PUBLICATIONS")]
    assert main == ["ABOUT", "EDUCATION", "EXPERIENCE", "PUBLICATIONS"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sidebar_longer_than_a_page_loses_nothing(tmp_path: Path, backend: str) -> None:
    need_tex(backend)
    text = RESEARCHER.read_text(encoding="utf-8")
    groups = "".join(f"  - category: Skill group {i}\n    items: Alpha, Beta, Gamma, Delta\n" for i in range(45))
    profile = tmp_path / "long.yaml"
    profile.write_text(re.sub(r"(?ms)^skills:\n.*?(?=^languages:)", "skills:\n" + groups, text), encoding="utf-8")
    pdf = build(tmp_path, profile, "sidebar", backend)
    extracted = pdf_text(pdf)
    assert sorted(int(n) for n in re.findall(r"Skill group (\d+)", extracted)) == list(range(45))
    assert "Portuguese" in extracted and "TabChain" in extracted
    assert len(PdfReader(pdf).pages) >= 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_sidebar_sections_option_moves_sections(tmp_path: Path, backend: str) -> None:
    need_tex(backend)
    pdf = build(tmp_path, RESEARCHER, "sidebar", backend,
                design={"sidebar_sections": "awards, languages", "sidebar_width": "70mm"})
    _, boxes = word_boxes(pdf)
    edge = 70 * MM
    assert x_of(boxes, "CAREER") < edge and x_of(boxes, "Portuguese") < edge
    assert x_of(boxes, "SKILLS") > edge  # back in the main column


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("theme", "option", "value", "seen"), [
    ("modern", "section_title_style", "plain", "Education"),
    ("modern", "section_title_style", "bar", "EDUCATION"),
    ("compact", "header_layout", "centered", None),
    ("academic", "page_numbers", "false", None),
])
def test_options_reach_both_backends(tmp_path: Path, backend: str, theme: str, option: str, value: str,
                                     seen: str | None) -> None:
    need_tex(backend)
    pdf = build(tmp_path, RESEARCHER, theme, backend, design={option: value})
    text = pdf_text(pdf)
    if seen:
        assert seen in text
    if option == "page_numbers":
        assert "Page 1 of" not in text
    if option == "header_layout":
        _, boxes = word_boxes(pdf)
        name_x = x_of(boxes, "Mira")
        assert name_x > 50 * MM  # centred, not at the left margin


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("profile", example_profiles(), ids=lambda p: p.stem)
def test_every_example_builds_with_every_theme(tmp_path: Path, profile: Path, theme: str, backend: str) -> None:
    need_tex(backend)
    pdf = build(tmp_path, profile, theme, backend)
    text = squash(pdf_text(pdf))
    name = re.search(r"^name:\s*[\"']?([^\"'\n#]+)", profile.read_text(encoding="utf-8"), re.MULTILINE)
    assert name is not None
    first = name.group(1).split()[0]
    assert first in text
    assert TYPEFACE[theme] in fonts(pdf)


PHOTO = EXAMPLES / "photos" / "jiwoo_han.jpg"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_shows_the_photo_where_its_html_does(tmp_path: Path, theme: str, backend: str) -> None:
    """The profile's photo is the one image on page 1, at the top of the page: on the right of the
    header, or at the top of the sidebar, in both backends."""
    need_tex(backend)
    (tmp_path / "me.jpg").write_bytes(PHOTO.read_bytes())
    profile = tmp_path / "cv.yaml"
    profile.write_text(RESEARCHER.read_text(encoding="utf-8") + "\nphoto: me.jpg\n", encoding="utf-8")
    pdf = build(tmp_path, profile, theme, backend)
    with Image.open(PHOTO) as original:
        size = original.size
    images = PdfReader(pdf).pages[0].images
    assert [image.image.size for image in images] == [size]  # the photo, whole (cropped by a clip)
    page = pdfium.PdfDocument(pdf)[0]
    width, height = page.get_size()
    [photo] = list(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=4))
    left, bottom, right, top = photo.get_bounds()
    assert top > 0.72 * height and right - left > 12 * MM, (left, bottom, right, top)
    if theme == "sidebar":
        assert right < 62 * MM  # the sidebar's width: the photo heads the tinted column
    else:
        assert left > 0.7 * width  # beside the name, at the right margin


@pytest.mark.tex
@pytest.mark.slow
@pytest.mark.parametrize("engine", ["xelatex", "lualatex", "pdflatex"])
@pytest.mark.parametrize("theme", THEMES)
def test_every_engine_builds_every_theme(tmp_path: Path, theme: str, engine: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The backend's engine set-up works under every theme: Chinese with xelatex and lualatex
    (pdflatex refuses it, as before), the photo, the page count and the section bookmarks."""
    require_tex(engine)
    monkeypatch.setenv("CVRENDER_TEX_TIMEOUT", "300")  # luatexja is slow on a busy machine; this is no speed test
    chinese = engine != "pdflatex"
    (tmp_path / "me.jpg").write_bytes(PHOTO.read_bytes())
    profile = tmp_path / "cv.yaml"
    profile.write_text("\n".join([
        "name: Lin Wei", *(["native_name: 林伟"] if chinese else []), "photo: me.jpg",
        "headline: Research scientist", "email: lin@example.org",
        "about: " + ("我研究机器翻译系统如何在数据稀缺时学习。" if chinese else "I study machine translation."),
        "education:", "  - {institution: Peking University, degree: Ph.D., date: 2015 -- 2020}",
        "skills:", "  - {category: Programming, items: 'Python, C++'}", ""]), encoding="utf-8")
    pdf = tmp_path / "cv.pdf"
    Builder().build(profile, BuildOptions(theme=theme, backend="latex", engine=engine, today=TODAY), pdf)
    text = squash(pdf_text(pdf))
    assert "Lin Wei" in text and "Peking University" in text and "Page 1 of 1" in text
    if chinese:
        assert "林伟" in text and "我研究机器翻译系统如何在数据稀缺时学习。" in text.replace(" ", "")
    assert len(PdfReader(pdf).pages[0].images) == 1
    assert {"About", "Education"} <= {title.title() for title in outline_titles(pdf)}
