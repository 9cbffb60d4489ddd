"""What a new user met (issue "the render contract"), one test each: fields printed by default, left
dates in their own column, summary-only entries in LaTeX, impossible dates located, text with a
character no font has still extractable, separators, the compact and sidebar layouts, punctuation
between CJK words only, own section titles, and notes styled alike in both backends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import TODAY, pdf_text, require_tex, squash, uri_annotations, word_boxes
from pypdf import PdfReader

from cvrender.api import Builder, BuildOptions
from cvrender.context.builder import build_context
from cvrender.context.types import Selection
from cvrender.errors import Warnings
from cvrender.model import Profile
from cvrender.theming import find_theme

MM = 72 / 25.4
HTML_THEMES = ("academic", "compact", "modern", "sidebar")
builder = Builder()

LONG_DATE = "Oct 2015 - expected Jun 2021"
LONG_PLACE = "Massachusetts Institute of Technology and Something Long Inst"  # 60 characters


def need(backend: str) -> None:
    """Skip a LaTeX build without TeX (fail under CI=true)."""
    if backend == "latex":
        require_tex()


def build(tmp_path: Path, profile: dict[str, Any], theme: str, backend: str = "html",
          **design: Any) -> tuple[Path, list[str]]:
    """Build a dict profile; the PDF's path and the warnings."""
    warnings = Warnings()
    _, _, pdf, _ = builder.compile(profile, BuildOptions(theme=theme, backend=backend, today=TODAY,
                                                          design=design), warnings)
    out = tmp_path / f"{theme}-{backend}-{len(list(tmp_path.iterdir()))}.pdf"
    out.write_bytes(pdf.data)
    return out, warnings.items


def context(profile: dict[str, Any], locale: str | None = None) -> tuple[Any, list[str]]:
    """The render context of a profile and the warnings made on the way."""
    warnings = Warnings()
    ctx = build_context(Profile.model_validate(profile), Selection(locale=locale), {}, TODAY, warnings)
    return ctx, warnings.items


def pypdf_text(pdf: Path) -> str:
    """The text pypdf extracts (what many applicant-tracking tools read)."""
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


TALK = {"title": "Abstain?", "event": "Cambridge NLP Seminar", "date": "2021-03",
        "links": {"slides": "https://slides.example.org/abstain", "video": "https://video.example.org/abstain"}}


@pytest.mark.parametrize("backend", ["html", "latex"])
@pytest.mark.parametrize("theme", HTML_THEMES)
def test_a_talks_links_are_printed_and_linked_and_a_question_gets_no_comma(
        tmp_path: Path, theme: str, backend: str) -> None:
    need(backend)
    design = {"sidebar_sections": ["talks"]} if theme == "sidebar" else {}
    pdf, _ = build(tmp_path, {"name": "Ada Tester", "talks": [TALK]}, theme, backend, **design)
    links = uri_annotations(pdf)
    assert TALK["links"]["slides"] in links and TALK["links"]["video"] in links
    text = squash(pdf_text(pdf))
    assert "slides" in text and "video" in text
    assert "Abstain?," not in text and "Abstain?" in text


def test_volume_issue_and_pages_are_printed_in_every_venue_style() -> None:
    pub = {"title": "A Paper", "authors": ["Ada Tester"], "venue": "Transactions of the ACL", "venue_short": "TACL",
           "volume": 11, "number": 2, "pages": "45-60", "year": 2023, "publisher": "MIT Press"}
    for style in ("short", "long", "both"):
        ctx, _ = context({"name": "Ada Tester", "publications": {"items": [pub], "venue_style": style}})
        venue = ctx.sections[0].groups[0].items[0].venue
        assert "11(2):45–60" in venue and "MIT Press" in venue, (style, venue)


def _words_on(words: list[Any], text: str) -> list[Any]:
    return [w for w in words if w.text == text]


@pytest.mark.parametrize("theme", HTML_THEMES)
def test_left_dates_have_their_own_column_in_html(tmp_path: Path, theme: str) -> None:
    """date_placement=left: a long date never runs into the title, every line of the entry is indented,
    awards and talks follow the option too, and nothing leaves the page."""
    profile = {
        "name": "Ada Tester",
        "education": [{"institution": LONG_PLACE, "degree": "Ph.D.", "field": "Zymurgy", "date": LONG_DATE,
                       "location": "Cambridge, Massachusetts, United States", "highlights": ["Quokkas counted"]}],
        "awards": [{"title": "Walrus Prize", "issuer": "ACL", "year": 2020}],
        "talks": [{"title": "Narwhal Talk", "event": "Seminar", "date": "2021-03"}],
    }
    pdf, _ = build(tmp_path, profile, theme, date_placement="left")
    width, words = word_boxes(pdf)
    institution = _words_on(words, "Massachusetts")[0]
    date_words = [w for w in words if w.text in ("Oct", "2015", "expected", "Jun", "2021")]
    assert date_words and all(w.x_max <= institution.x_min for w in date_words)
    for body in ("Zymurgy", "Quokkas"):  # the degree line and the highlights are indented too
        assert _words_on(words, body)[0].x_min >= institution.x_min - 1
    for text, year in (("Walrus", "2020"), ("Narwhal", "Mar")):  # one-line items put their date on the left
        assert _words_on(words, year)[0].x_max <= _words_on(words, text)[0].x_min
    assert all(w.x_max <= width + 0.5 for w in words)


@pytest.mark.parametrize("theme", HTML_THEMES)
def test_a_custom_section_of_summaries_only_builds_in_latex(tmp_path: Path, theme: str) -> None:
    require_tex()
    profile = {"name": "Ada Tester", "sections": [{"title": "Outreach", "entries": [
        {"summary": "First summary alone."}, {"summary": "Second summary alone."}, {"summary": "Third."}]}]}
    for placement in ("right", "left"):
        pdf, _ = build(tmp_path, profile, theme, "latex", date_placement=placement)
        text = squash(pdf_text(pdf))
        assert "First summary alone. Second summary alone. Third." in text


def test_an_impossible_date_is_a_located_one_line_error(tmp_path: Path) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada\neducation:\n  - institution: X\n    date: 2025-02-30\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cvrender", "build", str(profile), "-o", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{profile}:4:11:" in lines[0] and "day is out of range" in lines[0]
    assert "internal error" not in result.stderr


def test_a_character_no_font_has_is_a_located_warning_and_the_text_stays_extractable(tmp_path: Path) -> None:
    from cvrender.glyphs import has_glyph, installed_families

    char = "\U00013000"  # EGYPTIAN HIEROGLYPH A001
    if not installed_families():
        pytest.skip("fontconfig cannot be asked which fonts are installed")
    if has_glyph(char):
        pytest.skip("an installed font has an Egyptian hieroglyph")
    source = tmp_path / "cv.yaml"
    source.write_text(f"name: Ada Tester\nheadline: Egyptologist {char} at Somewhere\n", encoding="utf-8")
    warnings = Warnings()
    _, _, pdf, _ = builder.compile(source, BuildOptions(theme="academic", today=TODAY), warnings)
    out = tmp_path / "cv.pdf"
    out.write_bytes(pdf.data)
    notes = [w for w in warnings.items if "U+13000" in w]
    assert len(notes) == 1 and f"{source}:2:11: headline:" in notes[0] and "TeX Gyre Pagella" in notes[0]
    for text in (pypdf_text(out), pdfplumber.open(out).pages[0].extract_text(), pdf_text(out)):
        assert "Egyptologist" in text and "Somewhere" in text and "\x00" not in text


CONTACTS = {"name": "Ada Tester", "emails": ["ada.lovelace.tester@verylongdomain-university.example.edu"],
            "phone": "+1 555 0100", "website": "https://ada.example.org/some/where", "location": "Cambridge, MA",
            "links": {"github": "adatester", "orcid": "0000-0002-1825-0097", "scholar": "abcd", "linkedin": "ada",
                      "dblp": "12/345", "semantic_scholar": "ab1234"}}


@pytest.mark.parametrize("theme", ["academic", "compact"])
def test_contact_separators_never_start_or_end_a_line_in_latex(tmp_path: Path, theme: str) -> None:
    require_tex()
    for extra in ("", " Jr", " von Tester-Lovelace"):  # different names move the line breaks
        pdf, _ = build(tmp_path, {**CONTACTS, "name": "Ada Tester" + extra}, theme, "latex")
        lines = [line.strip() for line in pdf_text(pdf).splitlines() if line.strip()]
        assert not [line for line in lines if line.startswith("·") or line.endswith("·")]


def test_compact_html_runs_the_location_in_after_the_title(tmp_path: Path) -> None:
    profile = {"name": "Ada Tester", "experience": [
        {"organization": "Okapi Labs", "role": "Intern", "location": "Mountain View", "date": "2019"}]}
    pdf, _ = build(tmp_path, profile, "compact")
    width, words = word_boxes(pdf)
    title, place, year = (_words_on(words, w)[0] for w in ("Okapi", "Mountain", "2019"))
    assert abs(place.y_min - title.y_min) < 2 and place.x_min < width / 2 < year.x_min


def test_sidebar_latex_breaks_an_email_at_its_punctuation_and_numbers_pages_under_the_main_column(
        tmp_path: Path) -> None:
    require_tex()
    pdf, _ = build(tmp_path, {**CONTACTS, "experience": [
        {"organization": f"Org {i}", "role": "Researcher", "date": "2019", "highlights": ["Did things"] * 3}
        for i in range(25)]}, "sidebar", "latex")
    lines = pdf_text(pdf).splitlines()
    assert any("verylongdomain-" in line for line in lines)  # not "very" + "longdomain"
    design = find_theme("sidebar").resolve_options()
    width, words = word_boxes(pdf, 1, 1)
    page = [w for w in words if w.text == "Page"][-1]
    main_left = 10 * MM + float(design["sidebar_width"].removesuffix("mm")) * MM - 15 * MM + 12 * MM
    main_right = width - float(design["margin"].removesuffix("mm")) * MM
    number = [w for w in words if abs(w.y_min - page.y_min) < 1]
    centre = (min(w.x_min for w in number) + max(w.x_max for w in number)) / 2
    assert abs(centre - (main_left + main_right) / 2) < 6


@pytest.mark.parametrize("backend", ["html", "latex"])
def test_sidebar_tints_no_empty_strip_on_later_pages(tmp_path: Path, backend: str) -> None:
    need(backend)
    pypdfium2 = pytest.importorskip("pypdfium2")
    pdf, _ = build(tmp_path, {**CONTACTS, "experience": [
        {"organization": f"Org {i}", "role": "Researcher", "date": "2019", "highlights": ["Did things"] * 3}
        for i in range(25)]}, "sidebar", backend)
    document = pypdfium2.PdfDocument(str(pdf))
    assert len(document) >= 2
    for index, tinted in ((0, True), (1, False)):
        image = document[index].render(scale=1).to_pil().convert("RGB")
        pixel = image.getpixel((int(5 * MM), image.height // 2))  # beside the sidebar's text, half-way down
        assert (pixel != (255, 255, 255)) is tinted, (index, pixel)


def test_full_width_punctuation_only_between_cjk_words() -> None:
    profile = {"name": "Ada Tester", "education": [
        {"institution": "MIT", "degree": "Ph.D.", "field": "Computer Science", "advisors": ["Alan Turing", "Ada Byron"]},
        {"institution": "北京大学", "degree": "博士", "field": "计算机科学"}]}
    ctx, _ = context(profile, "zh")
    first, second = ctx.sections[0].entries
    assert first.subtitle.plain == "Ph.D., Computer Science"
    assert "Alan Turing, Ada Byron" in first.details[0].plain
    assert second.subtitle.plain == "博士，计算机科学"


def test_own_section_titles_are_kept_with_a_warning_when_the_cv_language_differs() -> None:
    english = {"name": "Ada", "sections": [{"title": "Outreach", "entries": ["School visits"]}]}
    ctx, warnings = context(english, "zh")
    assert ctx.sections[0].title == "Outreach"
    assert len([w for w in warnings if "'Outreach'" in w and "zh" in w]) == 1
    _, warnings = context(english, "en")
    assert not [w for w in warnings if "Outreach" in w]
    chinese = {"name": "Ada", "sections": [{"id": "outreach", "title": "科普", "entries": ["School visits"]}],
               "titles": {"awards": "奖项"}, "awards": [{"title": "Prize", "year": 2020}]}
    ctx, warnings = context(chinese, "en")
    assert [s.title for s in ctx.sections] == ["科普", "奖项"]
    assert len([w for w in warnings if "'科普'" in w or "'奖项'" in w]) == 2


def _style(pdf: Path, word: str) -> tuple[bool, bool, tuple[float, ...]]:
    """(bold, italic, colour) of the first letter of ``word`` on page 1."""
    page = pdfplumber.open(pdf).pages[0]
    text = "".join(c["text"] for c in page.chars)
    at = text.index(word)
    char = page.chars[at]
    name = char["fontname"].lower()
    colour = tuple(round(float(v), 2) for v in (char["non_stroking_color"] or (0,)))
    return "bold" in name, "italic" in name or "oblique" in name, colour


def test_venue_and_note_look_the_same_in_both_backends(tmp_path: Path) -> None:
    require_tex()
    profile = {"name": "Ada Tester", "publications": [
        {"title": "A Paper", "authors": ["Ada Tester"], "venue_short": "Zebracon", "year": 2023, "note": "Oralish"}]}
    looks = {}
    for backend in ("html", "latex"):
        pdf, _ = build(tmp_path, profile, "academic", backend)
        looks[backend] = (_style(pdf, "Zebracon"), _style(pdf, "Oralish"))
    assert looks["html"] == looks["latex"]
    (venue_bold, venue_italic, _), (note_bold, note_italic, _) = looks["html"]
    assert venue_italic and not venue_bold and not note_italic and not note_bold


def test_abstracts_are_reported_as_not_printed() -> None:
    pubs = [{"title": f"Paper {i}", "authors": ["Ada"], "abstract": "We show things."} for i in range(3)]
    _, warnings = context({"name": "Ada", "publications": pubs})
    assert len([w for w in warnings if "abstract" in w]) == 1 and "3" in warnings[-1]

