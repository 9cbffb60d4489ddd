"""RenderCV files: recognised by ``cvrender build``, every entry type carried over and printed, design and
locale mapped, what has no place reported with its line, and ``convert --from rendercv`` writing a
profile that builds the same text. RenderCV's own examples are read from ../shared/corpus/rendercv."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import IN_CI, ROOT, TODAY, pdf_text, require_tex, require_tool

import cvrender
from cvrender.cli import main
from cvrender.context.markup import parse
from cvrender.errors import ProfileError
from cvrender.sources.loading import LoadedProfile, load_profile
from cvrender.sources.rendercv import section_title

DATA = ROOT / "tests" / "data" / "rendercv"
EVERY_ENTRY = DATA / "every_entry.yaml"
CORPUS = ROOT.parent / "shared" / "corpus" / "rendercv"
DATE_KEYS = {"date", "start_date", "end_date"}


def comparable(text: str) -> str:
    """Text with line breaks, hyphenation and typographic quotes out of the way."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", text).casefold()


def section_strings(path: Path) -> list[str]:
    """Every text a reader expects to see from the sections of a RenderCV file (Markdown as printed,
    ``*Name*`` as the name); dates are checked on their own, since cvrender writes them its way."""
    data = yaml.safe_load(path.read_text(encoding="utf-8").replace("!include", ""))
    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if key in DATE_KEYS or key in ("doi", "url"):
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and value.strip():
            found.append(parse(value.strip().strip("*")).plain)

    for title, entries in data["cv"]["sections"].items():
        found.append(section_title(title))
        walk(entries)
    return found


def missing_strings(path: Path, pdf: Path) -> list[str]:
    text = comparable(pdf_text(pdf))
    return [s for s in section_strings(path) if comparable(s) not in text]


# ----- the profile a RenderCV file becomes -----------------------------------------------------------

def _load(path: Path) -> LoadedProfile:
    return load_profile(path)


@pytest.fixture(scope="module")
def loaded() -> LoadedProfile:
    return _load(EVERY_ENTRY)


def test_every_entry_type_lands_where_a_reader_expects_it(loaded: LoadedProfile) -> None:
    p = loaded.profile
    assert p.name == "Ada Quist"
    assert [e.institution for e in p.education] == ["Radboud University", "Leiden University"]
    assert p.education[0].summary == "Dissertation on morphological segmentation without supervision."
    assert (p.education[0].degree, p.education[0].field) == ("PhD", "Linguistics")
    assert [(e.organization, e.role) for e in p.experience] == [
        ("Utrecht University", "Postdoctoral Researcher"), ("Lingua Labs", "Research Intern")]
    assert p.experience[0].date is not None and p.experience[0].date.end == "present"  # a start alone is ongoing
    assert [x.name for x in p.projects] == ["[MorphKit](https://github.com/adaquist/morphkit)"]
    assert [s.category for s in p.skills] == ["Programming", "Annotation"]
    assert p.titles["skills"] == "Technical Skills"
    assert p.titles["about"] == "Summary"
    assert "low-resource" in (p.about or "")
    first = p.publications.items[0]
    assert [(a.name, a.me) for a in first.authors] == [("Ada Quist", True), ("Lena Hartog", None)]
    assert (first.venue, first.doi, first.notes) == (
        "Computational Linguistics", "10.1162/coli.2022.0042", ["Best student paper"])
    custom = {s.key: s for s in p.sections}
    assert set(custom) == {"teaching_and_outreach", "visiting_positions", "spoken_languages", "selected_honors",
                           "patents", "invited_talks", "other_writing", "statement"}
    assert custom["spoken_languages"].title == "Spoken Languages"
    assert custom["patents"].entries[0].highlights == [
        "Method for tone-aware speech segmentation (NL 2031234)", "Compound splitter for Germanic languages (NL 2035678)"]
    assert custom["visiting_positions"].entries[0].subtitle == "Visiting PhD student, Informatics"
    # RenderCV's order of sections is kept
    assert p.section_order == [
        "about", "education", "experience", "projects", "publications", "teaching_and_outreach",
        "visiting_positions", "skills", "spoken_languages", "selected_honors", "patents", "invited_talks",
        "other_writing", "statement"]


def test_links_design_and_locale_are_carried_over(loaded: LoadedProfile) -> None:
    p = loaded.profile
    assert (p.links.github, p.links.orcid, p.links.scholar) == ("adaquist", "0000-0002-1825-0097", "QuIsT0AAAAJ")
    assert [(c.label, c.url) for c in p.links.custom] == [
        ("Website", "https://lab.example.org/ada"), ("Mastodon", "https://sigmoid.social/@ada"),
        ("ResearchGate", "https://researchgate.net/profile/Ada-Quist"), ("Office hours", "https://cal.example.org/ada")]
    assert p.website == "https://adaquist.example.org"
    assert p.theme == "academic"  # sb2nov is a serif design
    assert p.design == {"paper": "letter", "margin": "0.8in", "page_numbers": False, "accent": "#781428",
                        "font_size": "10pt", "header_layout": "left"}
    assert p.locale == "en"


def test_what_is_not_carried_over_is_reported_at_its_line(loaded: LoadedProfile) -> None:
    lines = EVERY_ENTRY.read_text(encoding="utf-8").splitlines()

    def line_of(pattern: str) -> int:
        return next(i for i, text in enumerate(lines, start=1) if re.search(pattern, text))

    expected = {
        "settings": line_of(r"^settings:"),
        "extras: '!include extras.yaml'": line_of(r"!include"),
        "design.typography.font_family.body": line_of(r"body: New Computer Modern"),
        "design.colors.body": line_of(r"body: rgb\(10"),
        "locale.month_abbreviations": line_of(r"month_abbreviations"),
        "cv.custom_connections[0].fontawesome_icon": line_of(r"fontawesome_icon"),
        "cv.sections.patents": line_of(r"^    patents:"),
    }
    for needle, line in expected.items():
        hits = [w for w in loaded.warnings if needle in w]
        assert hits, f"no warning about {needle}: {loaded.warnings}"
        assert hits[0].startswith(f"{EVERY_ENTRY}:{line}:"), hits[0]


def test_a_bad_date_is_an_error_at_its_line_under_its_rendercv_name(tmp_path: Path) -> None:
    source = tmp_path / "cv.yaml"
    source.write_text("cv:\n  name: A B\n  sections:\n    experience:\n      - company: X\n        position: Y\n"
                      "        start_date: 2021-13\n", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        _load(source)
    message = str(info.value)
    assert message.startswith(f"{source}:7:21: cv.sections.experience[0].start_date")
    assert "\n" not in message.strip()


def test_mixed_entry_kinds_and_a_missing_name_are_located_errors_and_the_cli_exits_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "cv.yaml"
    source.write_text("cv:\n  sections:\n    things:\n      - bullet: one\n      - label: L\n        details: D\n"
                      "design:\n  theme: classic\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code not in (0, None) and "Traceback" not in result.output
    assert f"{source}:1:1" in result.output and "cv.name" in result.output
    assert f"{source}:5:9" in result.output and "one kind of entry per section" in result.output


def test_a_file_with_only_design_and_locale_around_cv_is_recognised(tmp_path: Path) -> None:
    source = tmp_path / "cv.yaml"
    source.write_text("cv:\n  name: A B\nlocale:\n  language: german\n", encoding="utf-8")
    assert _load(source).profile.locale == "de"


def test_a_cvrender_profile_still_refuses_tags(tmp_path: Path) -> None:
    source = tmp_path / "cv.yaml"
    source.write_text("name: A B\nabout: !include about.md\n", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        _load(source)
    assert str(info.value).startswith(f"{source}:2:8:") and "!include" in str(info.value)


# ----- built, in both backends --------------------------------------------------------------------

def build(path: Path, out: Path, backend: str) -> cvrender.BuildResult:
    require_tool("pdftotext")
    if backend == "latex":
        require_tex()
    return cvrender.build(path, output=out, today=TODAY, backend=backend)


BACKENDS = ["html", pytest.param("latex", marks=[pytest.mark.tex, pytest.mark.slow])]


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_entry_type_prints_every_string(tmp_path: Path, backend: str) -> None:
    result = build(EVERY_ENTRY, tmp_path / "cv.pdf", backend)
    assert result.pdf_path is not None
    assert missing_strings(EVERY_ENTRY, result.pdf_path) == []
    text = " ".join(pdf_text(result.pdf_path).split())
    for date in ("Sep 2017 – Jun 2021", "Sep 2021 – present", "Fall 2019", "Mar 2019 – present"):
        assert date in text
    assert "*Ada Quist*" not in text and "**" not in text


def test_convert_writes_a_profile_that_validates_and_builds_the_same_text(tmp_path: Path) -> None:
    out = tmp_path / "profile.yaml"
    result = CliRunner().invoke(main, ["convert", str(EVERY_ENTRY), "--from", "rendercv", "--to", "yaml",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "settings" in result.output  # what is not carried over is listed
    converted = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "cv" not in converted and converted["name"] == "Ada Quist"
    assert load_profile(out).profile.name == "Ada Quist"  # validates as a cvrender profile
    direct = build(EVERY_ENTRY, tmp_path / "direct.pdf", "html")
    again = build(out, tmp_path / "again.pdf", "html")
    assert direct.pdf_path and again.pdf_path
    assert pdf_text(again.pdf_path) == pdf_text(direct.pdf_path)


def test_convert_from_the_wrong_format_says_what_the_file_is(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(EVERY_ENTRY), "--from", "jsonresume", "--to", "yaml"])
    assert result.exit_code == 2
    assert "RenderCV" in result.output and "Traceback" not in result.output


# ----- RenderCV's own examples ---------------------------------------------------------------------

def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.yaml")) if CORPUS.is_dir() else []


@pytest.fixture
def corpus() -> None:
    if IN_CI or not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here (or this is CI)")


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", [p.name for p in corpus_files()] or ["(none)"])
def test_rendercv_examples_build_with_every_string(corpus: None, tmp_path: Path, backend: str, name: str) -> None:
    path = CORPUS / name
    result = build(path, tmp_path / "cv.pdf", backend)
    assert result.pdf_path is not None
    assert missing_strings(path, result.pdf_path) == []
    # nothing but RenderCV's settings, numbering and the engine's notes is reported
    unexpected = [w for w in result.warnings if not re.search(r"settings|numbers these|WeasyPrint|HarfBuzz", w)]
    assert unexpected == []


@pytest.mark.parametrize(("theme", "expected"), [("classic", "modern"), ("sb2nov", "academic"),
                                                 ("engineeringresumes", "compact"), ("harvard", "academic")])
def test_design_theme_picks_the_nearest_cvrender_theme(tmp_path: Path, theme: str, expected: str) -> None:
    source = tmp_path / "cv.yaml"
    source.write_text(f"cv:\n  name: A B\ndesign:\n  theme: {theme}\n", encoding="utf-8")
    loaded = _load(source)
    assert loaded.profile.theme == expected and loaded.warnings == ()


def test_an_unknown_theme_falls_back_with_a_located_note(tmp_path: Path) -> None:
    source = tmp_path / "cv.yaml"
    source.write_text("cv:\n  name: A B\ndesign:\n  theme: mytheme\n", encoding="utf-8")
    loaded = _load(source)
    assert loaded.profile.theme == "academic"
    assert [w for w in loaded.warnings if w.startswith(f"{source}:4:3: design.theme") and "mytheme" in w]


def test_a_german_cv_keeps_rendercvs_section_titles(tmp_path: Path) -> None:
    source = tmp_path / "cv.yaml"
    source.write_text("cv:\n  name: A B\n  sections:\n    education:\n      - institution: Uni Bonn\n"
                      "        area: Physik\n        start_date: 2019-10\n        end_date: 2021-03\n"
                      "locale:\n  language: german\n", encoding="utf-8")
    loaded = _load(source)
    assert (loaded.profile.locale, loaded.profile.titles) == ("de", {"education": "Education"})
    result = build(source, tmp_path / "cv.pdf", "html")
    assert result.pdf_path is not None
    text = " ".join(pdf_text(result.pdf_path).split())
    assert "Education" in text and "Ausbildung" not in text
    assert re.search(r"Okt\.? 2019 – März 2021", text), text


@pytest.mark.parametrize(("text", "expected"), [
    ("cv: 5\ndesign:\n  theme: classic\n", [":1:5: cv: 'cv' must be a mapping"]),
    ("cv:\n  name: [1]\n  sections: [1, 2]\n", [":2:9: cv.name: the name (cv.name) is missing", ":3:13: cv.sections: "]),
    ("cv:\n  name: A\n  sections:\n    pubs:\n      - title: [x]\n        authors: {a: 1}\n",
     [":5:16: cv.sections.pubs[0].title: 'title' must be text", ":6:18: cv.sections.pubs[0].authors: "]),
    ("cv:\n  name: A\n  sections:\n    x: 5\n    y: [null]\n",
     [":4:8: cv.sections.x: the section 'x' must be a list", ":5:9: cv.sections.y[0]: an entry is text"]),
])
def test_malformed_rendercv_files_give_every_problem_once_with_its_place(tmp_path: Path, text: str,
                                                                         expected: list[str]) -> None:
    source = tmp_path / "cv.yaml"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        _load(source)
    shown = [str(p) for p in info.value.problems]
    assert len(shown) == len(expected), shown
    for line, start in zip(shown, expected, strict=True):
        assert line.startswith(f"{source}{start}"), line


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in corpus_files()] or ["(none)"])
def test_rendercv_examples_convert_to_profiles_that_build_the_same_text(corpus: None, tmp_path: Path,
                                                                        name: str) -> None:
    out = tmp_path / "profile.yaml"
    result = CliRunner().invoke(main, ["convert", str(CORPUS / name), "--from", "rendercv", "--to", "yaml",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    direct = build(CORPUS / name, tmp_path / "direct.pdf", "html")
    again = build(out, tmp_path / "again.pdf", "html")
    assert direct.pdf_path and again.pdf_path
    assert pdf_text(again.pdf_path) == pdf_text(direct.pdf_path)
