"""Section selection: the profile's own order by default, --sections (in the order given),
--exclude, section_order, custom titles, and clear errors for names that are not sections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import pdf_text, squash

from cvrender.cli import main

# Sections written out of the usual order: awards first, then education, teaching, a custom section.
PROFILE = """\
name: Grace Hopper
email: grace@example.org
awards:
  - title: Computer Sciences Man of the Year
    year: 1969
education:
  - institution: Yale University
    degree: Ph.D.
    field: Mathematics
    date: 1930 -- 1934
teaching:
  - course: Programming the Mark I
    role: Lecturer
    institution: Harvard University
    date: 1946
sections:
  - id: outreach
    title: Public Outreach
    entries: [Nanosecond wire demonstrations]
publications:
  - title: The Education of a Computer
    authors: [Grace Hopper]
    venue: Proceedings of the ACM National Meeting
    year: 1952
    selected: true
  - title: Compiling Routines
    authors: [Grace Hopper]
    venue: Computers and Automation
    year: 1953
"""

TITLES = {"awards": "Honors & Awards", "education": "Education", "teaching": "Teaching",
          "outreach": "Public Outreach", "publications": "Publications"}


def build(tmp_path: Path, *args: str, profile: str = PROFILE, theme: str = "academic") -> tuple[Result, str]:
    """Run ``cvrender build`` in-process; returns the result and the PDF's text (squashed)."""
    source = tmp_path / "cv.yaml"
    source.write_text(profile, encoding="utf-8")
    out = tmp_path / "cv.pdf"
    out.unlink(missing_ok=True)
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "-q", "--theme", theme,
                                       "--today", "2026-01-15", *args])
    return result, squash(pdf_text(out)) if out.exists() else ""


def order(text: str, titles: dict[str, str] = TITLES) -> list[str]:
    """Section keys in the order their titles appear in the PDF text."""
    found = []
    for key, title in titles.items():
        match = re.search(rf"(?<![\w&]){re.escape(title)}(?!\w)", text, flags=re.IGNORECASE)
        if match:
            found.append((match.start(), key))
    return [key for _, key in sorted(found)]


def test_the_profiles_own_order_is_the_default(tmp_path: Path) -> None:
    result, text = build(tmp_path)
    assert result.exit_code == 0, result.output
    assert order(text) == ["awards", "education", "teaching", "outreach", "publications"]


def test_section_order_in_the_profile(tmp_path: Path) -> None:
    profile = PROFILE + "section_order: [publications, education, awards]\n"
    result, text = build(tmp_path, profile=profile)
    assert result.exit_code == 0, result.output
    assert order(text) == ["publications", "education", "awards"]
    assert "Programming the Mark I" not in text


@pytest.mark.parametrize("theme", ["academic", "modern", "compact", "sidebar"])
def test_sections_picks_and_orders(tmp_path: Path, theme: str) -> None:
    result, text = build(tmp_path, "--sections", "education,publications,awards", theme=theme)
    assert result.exit_code == 0, result.output
    assert order(text) == ["education", "publications", "awards"]
    assert "Yale University" in text and "Compiling Routines" in text and "Man of the Year" in text
    assert "Programming the Mark I" not in text and "Nanosecond" not in text


def test_sections_reaches_custom_sections_and_selected_publications(tmp_path: Path) -> None:
    result, text = build(tmp_path, "--sections", "outreach, selected_publications")
    assert result.exit_code == 0, result.output
    assert text.index("Public Outreach") < text.index("Selected Publications")
    assert "The Education of a Computer" in text and "Compiling Routines" not in text


def test_exclude_leaves_a_section_out(tmp_path: Path) -> None:
    result, text = build(tmp_path, "--exclude", "teaching")
    assert result.exit_code == 0, result.output
    assert order(text) == ["awards", "education", "outreach", "publications"]
    assert "Programming the Mark I" not in text


def test_sections_and_exclude_together(tmp_path: Path) -> None:
    result, text = build(tmp_path, "--sections", "teaching,education,awards", "--exclude", "education")
    assert result.exit_code == 0, result.output
    assert order(text) == ["teaching", "awards"]


def test_custom_titles(tmp_path: Path) -> None:
    profile = PROFILE + "titles: {awards: Distinctions, teaching: Lectures Given, outreach: Talks for Everyone}\n"
    result, text = build(tmp_path, profile=profile)
    assert result.exit_code == 0, result.output
    titles = {"awards": "Distinctions", "education": "Education", "teaching": "Lectures Given",
              "outreach": "Talks for Everyone"}
    assert order(text, titles) == ["awards", "education", "teaching", "outreach"]
    assert "Honors & Awards" not in text and "Public Outreach" not in text


@pytest.mark.parametrize(("option", "value", "name", "hint"), [
    ("--sections", "education,publicatons", "publicatons", "did you mean 'publications'? "),
    ("--sections", "education,hobbies", "hobbies", ""),
    ("--exclude", "teachin", "teachin", "did you mean 'teaching'? "),
])
def test_an_unknown_section_is_an_error_naming_the_valid_ones(tmp_path: Path, option: str, value: str,
                                                                 name: str, hint: str) -> None:
    result, _ = build(tmp_path, option, value)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {option}: no section is called '{name}'; {hint}(sections: about, ")
    assert "education" in lines[0] and "outreach" in lines[0] and "selected_publications" in lines[0]
    assert not (tmp_path / "cv.pdf").exists()


def test_an_empty_selection_leaves_only_the_header(tmp_path: Path) -> None:
    result, text = build(tmp_path, "--sections", "news")  # a real section this profile does not have
    assert result.exit_code == 0, result.output
    assert "Grace Hopper" in text and order(text) == []


# ----- layout decisions made in the context, not in templates ---------------------------------
def _context(profile: dict, design: dict) -> object:
    from cvrender.context.builder import build_context
    from cvrender.model import Profile

    return build_context(Profile.model_validate(profile), design=design)


def test_the_sidebar_sections_are_chosen_in_the_context() -> None:
    profile = {"name": "Grace Hopper", "about": "Admiral.", "skills": [{"category": "Languages", "items": "COBOL"}],
               "awards": [{"title": "Man of the Year", "year": 1969}]}
    ctx = _context(profile, {"sidebar_sections": ("skills", "awards", "languages")})
    assert [s.key for s in ctx.sidebar] == ["skills", "awards"]  # the CV's order; absent sections skipped
    assert [s.key for s in ctx.main] == ["about"]
    plain = _context(profile, {})
    assert plain.sidebar == () and plain.main == plain.sections


@pytest.mark.parametrize(("name", "native", "limit", "long"), [
    ("Grace Hopper", "", 34, False),
    ("Maria Magdalena Castellanos de la Fuente y Ortega", "", 34, True),
    ("Grace Hopper", "", 10, True),
    ("Ada Lovelace", "林伟林伟林伟林伟林伟", 30, True),  # 12 + 10 wide characters counted twice = 32
    ("Ada Lovelace", "林伟林伟林伟林伟林伟", 34, False),
])
def test_a_long_name_is_decided_in_the_context(name: str, native: str, limit: int, long: bool) -> None:
    profile = {"name": name, **({"native_name": native} if native else {})}
    assert _context(profile, {"long_name": limit}).long_name is long
    assert _context(profile, {}).long_name is False  # a theme without the option: never long
