"""Golden sources: the HTML and LaTeX each built-in theme renders for every example profile,
with a fixed ``today``. A change to a template or to the context shows up here as a diff.

Update with ``pytest tests/golden --update-golden`` and review ``git diff tests/golden``."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, example_profiles

from cvrender.api import Builder, BuildOptions
from cvrender.formats.registry import builtin_format_names, get_format

GOLDEN = Path(__file__).resolve().parent
THEMES = ("academic", "compact", "modern", "sidebar")
PROFILES = [*example_profiles(), GOLDEN / "profiles" / "researcher.yaml"]
FORMATS = builtin_format_names()  # every built-in format has golden sources
SUFFIX = {name: get_format(name).suffix for name in FORMATS}

builder = Builder()


def rendered(profile: Path, theme: str, backend: str) -> tuple[str, tuple[str, ...]]:
    """The source text and stylesheets, with the checkout's path replaced by a placeholder."""
    source = builder.render_source(profile, BuildOptions(theme=theme, backend=backend, today=TODAY))
    root = str(ROOT)
    return source.text.replace(root, "<root>"), tuple(s.replace(root, "<root>") for s in source.stylesheets)


def compare(path: Path, text: str, update: bool) -> None:
    """Compare ``text`` with the golden file, or rewrite it."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path.relative_to(ROOT)}; run: pytest tests/golden --update-golden")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "now", lineterm="", n=2)
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"{path.relative_to(ROOT)} changed (pytest tests/golden --update-golden if intended):\n{shown}")


@pytest.mark.parametrize("backend", FORMATS)
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.stem)
def test_golden_source(profile: Path, theme: str, backend: str, update_golden: bool) -> None:
    text, stylesheets = rendered(profile, theme, backend)
    compare(GOLDEN / theme / f"{profile.stem}{SUFFIX[backend]}", text, update_golden)
    if backend == "html" and profile.stem == "researcher":
        compare(GOLDEN / theme / "style.css", "\n".join(stylesheets), update_golden)


def test_no_stale_golden_files(update_golden: bool) -> None:
    expected = {GOLDEN / t / f"{p.stem}{s}" for t in THEMES for p in PROFILES for s in SUFFIX.values()}
    expected |= {GOLDEN / t / "style.css" for t in THEMES}
    present = {p for t in THEMES for p in (GOLDEN / t).glob("*") if p.is_file()}
    stale = sorted(present - expected)
    if update_golden:
        for path in stale:
            path.unlink()
        return
    assert not stale, f"golden files for examples that are gone: {[str(p.relative_to(ROOT)) for p in stale]}"
