"""Shared fixtures and helpers: example paths, PDF text, word boxes, links, a fixed today, TeX."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = dt.date(2026, 1, 15)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# ----- the hostile-input tally ---------------------------------------------------------------
# test_hostile_support.tally() records (family, count) in the running test's user_properties;
# the reports carry them to the process that prints the summary, the xdist controller included.

HOSTILE_PROPERTY = "hostile inputs"
_hostile_counts: Counter[str] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up the hostile inputs a test recorded (once per test, from its teardown report)."""
    if report.when != "teardown":
        return
    for key, value in report.user_properties:
        if key == HOSTILE_PROPERTY:
            family, count = value
            _hostile_counts[family] += count


def _print_hostile_tally(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per family of hostile inputs, then the total."""
    if not _hostile_counts:
        return
    terminalreporter.section("hostile inputs")
    for family, count in sorted(_hostile_counts.items()):
        terminalreporter.write_line(f"{family}: {count}")
    terminalreporter.write_line(f"hostile inputs run: {sum(_hostile_counts.values())}")


def builtin_themes() -> tuple[str, ...]:
    """The built-in themes as the theme registry lists them, so that every test over "all themes"
    covers a theme added later (tests/test_themes.py checks the registry against themes/)."""
    from cvrender.theming import list_themes

    return tuple(theme.name for theme in list_themes() if theme.origin == "built-in")


BUILTIN_THEMES = builtin_themes()


def example_profiles() -> list[Path]:
    """Every example profile (YAML) in examples/."""
    return sorted(p for p in EXAMPLES.glob("*.yaml"))


def pdf_text(path: Path | bytes) -> str:
    """The text pdftotext extracts, NFKC-normalised (ligatures become letters)."""
    if isinstance(path, bytes):
        out = subprocess.run(["pdftotext", "-", "-"], input=path, capture_output=True, check=True)
    else:
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFKC", out.stdout.decode("utf-8"))


def assert_in_order(text: str, items: list[str]) -> None:
    """Each of ``items`` appears in ``text`` after the one before it."""
    position = 0
    for item in items:
        found = text.find(item, position)
        assert found >= 0, f"{item!r} is missing or out of order after {text[:position][-80:]!r}"
        position = found + len(item)


def squash(text: str) -> str:
    """Collapse whitespace so that line breaks inside titles do not matter."""
    return " ".join(text.split())


def require_tool(name: str) -> None:
    """Skip (or fail under CI=true) when a program is missing."""
    if shutil.which(name) is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI but is not installed")
        pytest.skip(f"{name} is not installed")


# The programs cvrender.formats.latex.engine runs for each engine: xelatex passes write .xdv, which
# xdvipdfmx turns into the PDF, and kpsewhich finds the base format the preloaded preamble is keyed on.
TEX_PROGRAMS = {"xelatex": ("xelatex", "xdvipdfmx", "kpsewhich"), "lualatex": ("lualatex",),
                "pdflatex": ("pdflatex",)}


def require_tex(engine: str = "xelatex") -> None:
    """Skip (or fail under CI=true) when a program the TeX engine runs is missing."""
    for program in TEX_PROGRAMS[engine]:
        require_tool(program)


class Word(NamedTuple):
    """One word of a PDF page as ``pdftotext -bbox`` places it, in points from the page's top-left corner."""

    text: str
    x_min: float
    x_max: float
    y_min: float


_PAGE_WIDTH = re.compile(r'<page width="([\d.]+)"')
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def word_boxes(pdf: Path, first: int = 1, last: int | None = None) -> tuple[float, list[Word]]:
    """The width of page ``first`` and every word of pages ``first`` to ``last`` (to the end by
    default), in reading order, from ``pdftotext -bbox``."""
    require_tool("pdftotext")
    pages = ["-f", str(first)] + (["-l", str(last)] if last is not None else [])
    out = subprocess.run(["pdftotext", "-bbox", *pages, str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    width = _PAGE_WIDTH.search(out)
    assert width is not None, f"pdftotext found no page in {pdf}"
    words = [Word(html.unescape(m.group(5)), float(m.group(1)), float(m.group(3)), float(m.group(2)))
             for m in _WORD.finditer(out)]
    return float(width.group(1)), words


def uri_annotations(pdf: Path | bytes) -> list[str]:
    """The URI of every link annotation in the PDF, page by page in the order they are stored."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep caches out of the developer's home folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The hostile-input tally; after a run of the render contract, how much it checked."""
    import sys

    _print_hostile_tally(terminalreporter)

    contract = sys.modules.get("test_render_contract")
    report = getattr(contract, "REPORT", None)
    if report and report["combinations"]:
        terminalreporter.write_line(
            f"render contract: {report['combinations']} combinations (theme x backend x layout options x locale), "
            f"{report['fields']} fields, {report['links']} links and {report['glyphs']} glyphs checked")
