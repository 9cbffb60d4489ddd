"""The one exception tree of cvrender.

Every error cvrender raises on purpose derives from :class:`CvrenderError`; the CLI
prints ``str(error)`` (one line per problem, with a location) and exits with
``error.exit_code``, never a traceback.

    CvrenderError                 base; exit code 1
    ├── ProfileError              the profile (or a .bib/JSON file) is invalid; exit code 2.
    │                             ``problems`` lists every problem, each ``file:line:col``.
    ├── ThemeError                a theme is unknown, broken, or an option value is invalid
    ├── EngineError               the PDF engine failed; ``log_excerpt`` and ``log_path``
    │   └── EngineMissingError    the engine (xelatex, latexmk, ...) is not installed
    ├── OutputError               the output path cannot be written
    ├── UsageError                the command asks for something that does not exist or cannot be
    │                             combined (an unknown variant, format or section); exit code 2
    └── PageLimitError            the PDF has more pages than the variant allows
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, with where it is and why it is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key_path: str = ""
    value: str | None = None

    @property
    def location(self) -> str:
        """``file:line:col`` as far as it is known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location
        key = f" {self.key_path}:" if self.key_path else ""
        value = f" (got {self.value})" if self.value is not None else ""
        return f"{where}:{key} {self.message}{value}"


class CvrenderError(Exception):
    """Base of every error cvrender raises on purpose."""

    exit_code = 1


class ProfileError(CvrenderError):
    """The profile or one of its data files is invalid; holds every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str, file: str | Path | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems, file=str(file) if file else None)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ProfileError], tuple[list[Problem]], dict[str, object]]:
        """Pickle by problems (and any attribute set on the error, such as a batch job), so the
        error crosses process and Dask boundaries intact."""
        return (type(self), (self.problems,), self.__dict__)


class ThemeError(CvrenderError):
    """A theme cannot be found or loaded, or a theme option is invalid."""

    exit_code = 2


class EngineError(CvrenderError):
    """The engine that turns source into PDF failed."""

    def __init__(self, message: str, log_excerpt: str = "", log_path: Path | None = None):
        self.log_excerpt = log_excerpt
        self.log_path = log_path
        super().__init__(message)


class EngineMissingError(EngineError):
    """The engine is not installed on this machine."""


class OutputError(CvrenderError):
    """The output cannot be written where it was asked to go."""


class UsageError(CvrenderError):
    """The request itself is wrong (an unknown variant, format, section, option value); exit code 2."""

    exit_code = 2


class PageLimitError(CvrenderError):
    """The PDF has more pages than allowed."""


@dataclass
class Warnings:
    """Warnings collected during a build, shown to the user but not fatal."""

    items: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        """Record one warning (duplicates are kept once)."""
        if message not in self.items:
            self.items.append(message)
