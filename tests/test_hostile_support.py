"""Helpers shared by the hostile-input tests (this module holds no tests).

It counts the hostile inputs each test fed to cvrender (printed at the end of the pytest run by
``conftest``, so CI output shows how many ran). It also checks PDF text the same way everywhere.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import conftest
import pytest
from conftest import IN_CI, ROOT

DATA = ROOT / "tests" / "data" / "hostile"

# Every test run draws the same examples (derandomised Hypothesis), so the test command gives the
# same result on every machine and a red CI reproduces here. New examples are drawn on request:
# `nox -s fuzz` (which sets CVRENDER_FUZZ_EXAMPLES) or CVRENDER_FUZZ_RANDOM=1.
RANDOM_EXAMPLES = bool(os.environ.get("CVRENDER_FUZZ_RANDOM")) or "CVRENDER_FUZZ_EXAMPLES" in os.environ


def tally(request: pytest.FixtureRequest, family: str, count: int = 1) -> None:
    """Record ``count`` hostile inputs of one family on the running test; ``conftest`` adds them up
    from the test reports and prints the totals at the end (also when xdist runs the tests in workers)."""
    request.node.user_properties.append((conftest.HOSTILE_PROPERTY, (family, count)))


def require_tex(engine: str = "xelatex") -> None:
    """Skip (or fail under CI=true) when TeX or the LaTeX backend is missing."""
    try:
        import cvrender.formats.latex.backend  # noqa: F401
        import cvrender.formats.latex.engine  # noqa: F401
    except ImportError as exc:
        if IN_CI:
            pytest.fail(f"the LaTeX backend is required in CI: {exc}")
        pytest.skip(f"the LaTeX backend is not available: {exc}")
    conftest.require_tex(engine)


# Whitespace, hyphens, and the default-ignorable code points that fonts draw as nothing.
_INVISIBLE = re.compile(r"[\s\-\u2010\u2011\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2060-\u206f"
                        r"\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U000e0000-\U000e0fff]+")
_PAGE_FOOTER = re.compile(r"^\s*Page \d+ of \d+\s*$", re.MULTILINE)


def text_key(text: str) -> str:
    """What is compared between input and PDF text: NFKC, without format characters (joiners,
    bidi marks, soft hyphens), default-ignorable characters, whitespace and hyphens (line breaks and
    hyphenation add the last two), case-folded."""
    # small capitals may come out in capitals, and themes set titles in capitals ("ı" -> "I" -> "i")
    # normalised again after casing: upper() decomposes some letters ("ῒ" -> "Ϊ̀", three code
    # points) that the PDF text holds composed
    normal = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).upper().casefold())
    visible = "".join(ch for ch in normal if unicodedata.category(ch) != "Cf")
    return _INVISIBLE.sub("", visible)


def page_key(text: str) -> str:
    """:func:`text_key` of extracted PDF text, without the "Page X of Y" footers that interrupt
    text running over a page break."""
    return text_key(_PAGE_FOOTER.sub("", text))


def is_rtl(ch: str) -> bool:
    """A right-to-left character (Hebrew, Arabic, Syriac...): PDF text extraction may reorder it."""
    return unicodedata.bidirectional(ch) in ("R", "AL", "AN")


def ordered_parts(key: str) -> list[str]:
    """The parts of a key whose order must survive extraction: the runs between right-to-left
    characters (extraction puts right-to-left runs in visual order, ligatures included)."""
    parts, current = [], ""
    for ch in key:
        if is_rtl(ch):
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    if len(parts) > 1:  # neutral characters and digits next to a right-to-left run may move with it
        parts = [_strip_weak(p, head=i > 0, tail=i < len(parts) - 1) for i, p in enumerate(parts)]
    return [p for p in parts if p]


def _strip_weak(part: str, head: bool, tail: bool) -> str:
    """``part`` without characters of weak or neutral direction at the ends that touch right-to-left text."""
    start, end = 0, len(part)
    while head and start < end and unicodedata.bidirectional(part[start]) != "L":
        start += 1
    while tail and end > start and unicodedata.bidirectional(part[end - 1]) != "L":
        end -= 1
    return part[start:end]


MAX_PIECES = 4  # a cell beside another may run over a page break: its text comes out in pieces


def pieces(key: str, page: str) -> int:
    """How many pieces of the page text, at least, it takes to spell ``key`` (1: it is there whole)."""
    count, start = 0, 0
    while start < len(key):
        low, high = start, len(key)  # the longest prefix of key[start:] that the page holds
        while low < high:
            middle = (low + high + 1) // 2
            if key[start:middle] in page:
                low = middle
            else:
                high = middle - 1
        if low == start:
            return len(key) + 1  # a character the page does not hold at all
        count, start = count + 1, low
    return count


def raw_text(pdf: bytes) -> str:
    """The PDF text in the order it was drawn (``pdftotext -raw``), so that two long columns side by
    side are not interleaved line by line."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``cvrender ARGS`` in a fresh interpreter; returns the finished process (text output)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CVRENDER_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "cvrender", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``cvrender ARGS`` in this process (faster than :func:`run_cli`); an exception that escapes
    the command shows up as a traceback in ``stderr``."""
    import traceback

    from click.testing import CliRunner

    from cvrender.cli import main

    result = CliRunner().invoke(main, list(args))
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["cvrender", *args], result.exit_code, result.stdout, stderr)


def assert_one_line_error(result: subprocess.CompletedProcess[str], exit_code: int, *needles: str) -> str:
    """The command failed with ``exit_code``, printed no traceback, and its error line holds every needle."""
    assert result.returncode == exit_code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "no error message"
    assert all(line.startswith(("error: ", "full log: ")) or line.endswith("problems found")
               for line in lines), lines
    text = "\n".join(lines)
    for needle in needles:
        assert needle in text, f"{needle!r} not in {text!r}"
    return text
