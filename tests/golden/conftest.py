"""The ``--update-golden`` flag: rewrite the golden .html/.tex/.typ files instead of comparing.

``pytest tests/golden --update-golden`` (or ``CVRENDER_UPDATE_GOLDEN=1 pytest``) regenerates
them; review the diff with ``git diff tests/golden`` before committing.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--update-golden``."""
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden .html/.tex/.typ files under tests/golden/")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the golden files should be rewritten."""
    try:
        flag = bool(request.config.getoption("--update-golden"))
    except ValueError:  # the option is only known when this folder is on the command line
        flag = False
    return flag or os.environ.get("CVRENDER_UPDATE_GOLDEN", "") not in ("", "0")
