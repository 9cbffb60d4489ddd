"""What every command module shares: the consoles, error reporting, and option parsing.

Kept apart from :mod:`cvrender.cli` so that command modules import it at load time without a cycle.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console

from cvrender.errors import CvrenderError, ProfileError

F = TypeVar("F", bound=Callable[..., Any])


class RegistryChoice(click.Choice):
    """A choice among the registered formats (``formats``) or their engines (``engines``), read
    from :mod:`cvrender.formats.registry` when the option is used, so that a format registered
    after this module was imported is offered too."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__([])

    @property
    def choices(self) -> tuple[str, ...]:
        from cvrender.formats import registry

        return registry.format_names() if self.what == "formats" else registry.engine_names()

    @choices.setter
    def choices(self, value: Any) -> None:  # click.Choice.__init__ assigns it; the registry decides
        pass


FORMATS = RegistryChoice("formats")
ENGINES = RegistryChoice("engines")
ENGINE_HELP = "Engine of the format (default: the theme's; for LaTeX xelatex, lualatex or pdflatex)."

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def report_errors(func: F) -> F:
    """Turn every error into one line per problem on stderr and an exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CvrenderError as exc:
            for line in str(exc).splitlines() or [type(exc).__name__]:
                err.print("error: " + line, style="red", markup=False)
            if isinstance(exc, ProfileError) and len(exc.problems) > 1:
                err.print(f"{len(exc.problems)} problems found", style="red", markup=False)
            log_path = getattr(exc, "log_path", None)
            if log_path:
                err.print(f"full log: {log_path}", markup=False)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            err.print("interrupted", style="red", markup=False)
            sys.exit(130)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except Exception as exc:  # pragma: no cover - the last line of defence
            if os.environ.get("CVRENDER_DEBUG"):
                raise
            err.print(f"internal error: {type(exc).__name__}: {exc} (set CVRENDER_DEBUG=1 for details)",
                      style="red", markup=False)
            sys.exit(70)

    return wrapper  # type: ignore[return-value]


def parse_sets(values: tuple[str, ...]) -> dict[str, Any]:
    """``--set accent=#aa0000`` -> ``{"accent": "#aa0000"}``."""
    design: dict[str, Any] = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"'{item}' is not key=value", param_hint="--set")
        key, _, value = item.partition("=")
        design[key.strip()] = value.strip()
    return design


def split_list(value: str | None) -> tuple[str, ...] | None:
    """``a,b,c`` -> ``("a", "b", "c")``."""
    if not value:
        return None
    return tuple(x.strip() for x in value.split(",") if x.strip())
