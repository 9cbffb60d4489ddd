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
from pathlib import Path
from typing import NamedTuple

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = dt.date(2026, 1, 15)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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
    """After a run of the render contract, say how much it checked."""
    import sys

    contract = sys.modules.get("test_render_contract")
    report = getattr(contract, "REPORT", None)
    if report and report["combinations"]:
        terminalreporter.write_line(
            f"render contract: {report['combinations']} combinations (theme x backend x layout options x locale), "
            f"{report['fields']} fields, {report['links']} links and {report['glyphs']} glyphs checked")
