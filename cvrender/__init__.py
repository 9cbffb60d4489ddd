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

from cvrender.api import BatchBuildResult, BuildResult, Job, build, load, render_pdf, render_source
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


def build_many(jobs: Iterable[Job], executor: Any = None) -> Iterator[BatchBuildResult | CvrenderError]:
    """Build many CVs; yields, as each job finishes, a :class:`BatchBuildResult` (a
    :class:`BuildResult` with the ``job`` and its ``status``) or the job's error (with ``.job``).

    ``executor``: any :class:`concurrent.futures.Executor`: a ``ThreadPoolExecutor``, a Dask
    client's ``get_executor()``, ... Without one, a process pool of cvrender's own is used; it works
    from a plain script, with or without ``if __name__ == "__main__":``, since its workers never
    import the script. A process pool of your own does import it in every worker: then the script
    needs that guard, and a job's error says so when it is missing. The batch runner (executors,
    the incremental-build manifest) is imported on the first call."""
    from cvrender.batch import build_many as run

    return run(jobs, executor)


try:
    __version__ = version("cvrender")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "BatchBuildResult", "BuildResult", "CvrenderError", "EngineError", "EngineMissingError", "Job", "OutputError",
    "PageLimitError", "Problem", "Profile", "ProfileError", "ThemeError", "UsageError", "__version__", "build",
    "build_many", "load", "render_pdf", "render_source",
]
