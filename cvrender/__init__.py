"""cvrender: a researcher's profile -> a publication-ready PDF CV (HTML/WeasyPrint or LaTeX).

The public API::

    import cvrender
    profile = cvrender.load("profile.yaml")          # validated Profile, or ProfileError
    result = cvrender.build("profile.yaml", theme="academic", output="out/")
    pdf_bytes = cvrender.render_pdf(profile)         # nothing written to disk
"""

from importlib.metadata import PackageNotFoundError, version

from cvrender.api import (
    BatchBuildResult,
    BuildResult,
    Job,
    build,
    build_many,
    load,
    render_pdf,
    render_source,
)
from cvrender.errors import (
    CvrenderError,
    EngineError,
    EngineMissingError,
    OutputError,
    PageLimitError,
    Problem,
    ProfileError,
    ThemeError,
)
from cvrender.model import Profile

try:
    __version__ = version("cvrender")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "BatchBuildResult", "BuildResult", "CvrenderError", "EngineError", "EngineMissingError", "Job", "OutputError",
    "PageLimitError", "Problem", "Profile", "ProfileError", "ThemeError", "__version__", "build",
    "build_many", "load", "render_pdf", "render_source",
]
