"""What the benchmark scripts share: the fixed date of every build and a line describing the machine.

The scripts run as ``python benchmarks/<script>.py``, so this folder is first on ``sys.path``.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path

TODAY = dt.date(2026, 1, 15)  # every build's "today", so that the output does not change with the date


def machine(extra: str = "") -> str:
    """CPU model, core count, ``extra`` (such as the TeX version) and Python version."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    middle = f"{extra}, " if extra else ""
    return f"{model}, {os.cpu_count()} cores, {middle}Python {platform.python_version()}"
