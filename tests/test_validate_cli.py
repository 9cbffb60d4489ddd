"""``cvrender validate`` and ``cvrender new`` as a user runs them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import example_profiles

from cvrender.cli import main
from cvrender.sources.loading import load_profile


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_three_problems_three_lines_with_line_and_column(tmp_path: Path) -> None:
    """The issue's done-when: an unknown key, a bad date and a wrong type, each at its place."""
    path = tmp_path / "cv.yaml"
    path.write_text(textwrap.dedent("""\
        name: Ada Lovelace
        education:
          - institution: University of London
            date: Sept 1840 - Foo 1842
            degree: [Mathematics]
        experience:
          - organization: Analytical Engine
            rol: Programmer
        """), encoding="utf-8")
    completed = subprocess.run([sys.executable, "-c", "from cvrender.cli import main; main()", "validate",
                                str(path)], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.splitlines() == [
        f"error: {path}:4:11: education[0].date: 'Foo' is not a month name; write a date like 2020, 2020-09, "
        "Sep 2020, Fall 2020 or expected Jul 2025 (got 'Sept 1840 - Foo 1842')",
        f"error: {path}:5:13: education[0].degree: expected text (got ['Mathematics'])",
        f"error: {path}:8:5: experience[0].rol: unknown key 'rol'; did you mean 'role'?",
        "3 problems found",
    ]


def test_every_example_is_valid() -> None:
    examples = example_profiles()
    assert examples, "no examples found"
    code, stdout, stderr = run("validate", *map(str, examples))
    # the one warning: bibtex_demo's .bib lists a paper as a preprint and as published, merged into one
    assert code == 0
    assert [line for line in stderr.splitlines() if "merged into one entry" not in line] == []
    assert len(stderr.splitlines()) == 1 and "bibtex_demo.yaml" in stderr
    assert stdout.splitlines() == [f"{path}: valid" for path in examples]


def test_problems_of_several_files_are_all_reported(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("name: A\n", encoding="utf-8")
    bad1 = tmp_path / "bad1.yaml"
    bad1.write_text("name: A\nemial: a@b.org\n", encoding="utf-8")
    bad2 = tmp_path / "bad2.json"
    bad2.write_text('{"name": "B",\n "links": {"github": 5}}', encoding="utf-8")
    code, stdout, stderr = run("validate", str(bad1), str(good), str(bad2))
    assert code == 2
    assert stdout.strip() == f"{good}: valid"
    assert stderr.splitlines() == [
        f"error: {bad1}:2:1: emial: unknown key 'emial'; did you mean 'email'?",
        f"error: {bad2}:2:22: links.github: expected text, but YAML read a number; put the value in quotes (got 5)",
        "2 problems found",
    ]


# ----- cvrender new -----------------------------------------------------------------------------------

def test_new_writes_a_starter_that_validates_and_shows_every_section(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run("new", "Grace B. Hopper")
    assert (code, stderr) == (0, "")
    path = tmp_path / "Grace_B_Hopper_CV.yaml"
    assert stdout.strip() == f"wrote {path}"
    text = path.read_text(encoding="utf-8")
    assert "cvrender validate Grace_B_Hopper_CV.yaml" in text  # its comments name the file
    profile = load_profile(path).profile
    assert profile.name == "Grace B. Hopper"
    assert profile.aliases == ["G. B. Hopper"]
    order = profile.default_section_order()
    for section in ("about", "interests", "education", "experience", "publications", "awards", "service",
                    "teaching", "talks", "news", "projects", "skills", "languages"):
        assert section in order
        assert getattr(profile, section), f"the starter leaves {section} empty"
    assert profile.sections and profile.sections[0].entries
    assert profile.publications.items[0].authors[0].name == "Grace B. Hopper"


def test_new_starter_builds_with_the_html_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import pdf_text, squash

    monkeypatch.chdir(tmp_path)
    assert run("new", "Grace Hopper", "-o", "cv.yaml")[0] == 0
    code, stdout, stderr = run("build", "cv.yaml", "--backend", "html", "-o", "out/", "--today", "2026-01-15")
    assert code == 0, stderr
    pdf = tmp_path / "out" / "Grace_Hopper_CV.pdf"
    assert pdf.exists()
    text = squash(pdf_text(pdf))
    for shown in ("Grace Hopper", "Example University", "Title of Your Paper", "Example Fellowship",
                  "Reviewer", "Introduction to Programming", "Your Research in Twenty Minutes",
                  "your-project", "Python, C++, SQL", "English", "Outreach", "Mentor, Example Coding Club"):
        assert shown in text, shown
    assert "is not among its authors" not in stderr


def test_new_refuses_to_overwrite_and_to_make_a_nameless_profile(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cv.yaml").write_text("name: Mine\n", encoding="utf-8")
    code, _, stderr = run("new", "Someone Else", "-o", "cv.yaml")
    assert code == 1
    assert stderr.strip() == "error: cv.yaml already exists (use --force to overwrite)"
    assert (tmp_path / "cv.yaml").read_text(encoding="utf-8") == "name: Mine\n"
    code, _, stderr = run("new", "  ", "-o", "blank.yaml")
    assert code == 2
    assert "the name is empty" in stderr and len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "blank.yaml").exists()


@pytest.mark.parametrize("name", ["许润昕", "Zoë O'Brien-Łukasz", 'Ada "the Countess" Lovelace: #1'])
def test_new_quotes_any_name(name: str, tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    code, _, stderr = run("new", name, "-o", str(path))
    assert (code, stderr) == (0, "")
    assert load_profile(path).profile.name == name
