"""cvrender: a researcher's profile -> a publication-ready PDF CV (HTML/WeasyPrint or LaTeX).

The public API::

    import cvrender
    profile = cvrender.load("profile.yaml")          # validated Profile, or ProfileError
    result = cvrender.build("profile.yaml", theme="academic", output="out/")
    pdf_bytes = cvrender.render_pdf(profile)         # nothing written to disk
"""

from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from cvrender.api import BuildResult, Job, build, load, render_pdf, render_source
from cvrender.errors import (
    CvrenderError,
    EngineError,
    EngineMissingError,
    OutputError,
    PageLimitError,
    Problem,
    ProfileError,
    ThemeError,
    UsageError,
)
from cvrender.model import Profile


def build_many(jobs: Iterable[Job], executor: Any = None) -> Iterator[BuildResult | CvrenderError]:
    """Build many CVs; yields results (or the error of a failed job) as they finish. The batch
    runner (executors, the incremental-build manifest) is imported on the first call."""
    from cvrender.batch import build_many as run

    return run(jobs, executor)


try:
    __version__ = version("cvrender")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "BuildResult", "CvrenderError", "EngineError", "EngineMissingError", "Job", "OutputError",
    "PageLimitError", "Problem", "Profile", "ProfileError", "ThemeError", "UsageError", "__version__", "build",
    "build_many", "load", "render_pdf", "render_source",
]
