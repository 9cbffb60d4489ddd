"""Shared fixtures: example paths, PDF text extraction, a fixed today, TeX availability."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

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


@pytest.fixture
def today() -> dt.date:
    """A fixed date so that outputs are reproducible."""
    return TODAY


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep caches out of the developer's home folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
