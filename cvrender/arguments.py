"""What callers of the library pass, turned into what the pipeline takes; and how errors name it.

The API takes what Python callers naturally have: lists or tuples of section names (or one text
with commas, as on the command line), one path or several for .bib files (``str`` or
:class:`~pathlib.Path`), a :class:`datetime.date` or ISO text for ``today``. A value of the wrong
type is a :class:`TypeError`, and a wrong value a :class:`ValueError`, whose message starts with
the parameter's name. Errors found later in the pipeline (a theme option, a section name) name
what the caller gave through :class:`Names`: the API's parameters, or the command line's flags.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Names:
    """How an error names what the caller gave: ``design['paper']`` from Python, ``--set paper``
    from the command line."""

    design: str = "design[{key!r}]"
    sections: str = "sections"
    exclude: str = "exclude"
    variant: str = "variant"
    local_themes: str = "local_themes=False"

    def design_key(self, key: str) -> str:
        """The name of one theme option."""
        return self.design.format(key=key)


API_NAMES = Names()
CLI_NAMES = Names(design="--set {key}", sections="--sections", exclude="--exclude", variant="--variant",
                  local_themes="--no-local-themes")


def _kind(value: Any) -> str:
    return type(value).__name__


def section_names(value: Any, parameter: str = "sections") -> tuple[str, ...] | None:
    """``["education", "awards"]``, a tuple, or ``"education,awards"`` -> ``("education", "awards")``."""
    if value is None:
        return None
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        names = tuple(value)
        if all(isinstance(name, str) for name in names):
            return names
        wrong = next(name for name in names if not isinstance(name, str))
        raise TypeError(f"{parameter}: section names are text; got {_kind(wrong)} {wrong!r}")
    raise TypeError(f"{parameter}: give a list of section names, like ['education', 'awards'] "
                    f"(or the text 'education,awards'), not {_kind(value)}")


def file_names(value: Any, parameter: str = "bib") -> tuple[str, ...]:
    """One path (``str`` or ``Path``; never split) or an iterable of them -> a tuple of ``str``."""
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        return (os.fspath(value),)
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        files = tuple(value)
        for item in files:
            if not isinstance(item, (str, os.PathLike)):
                raise TypeError(f"{parameter}: give file paths as str or pathlib.Path, not {_kind(item)} {item!r}")
        return tuple(os.fspath(item) for item in files)
    raise TypeError(f"{parameter}: give a file path (str or pathlib.Path) or a list of them, not {_kind(value)}")


def date_value(value: Any, parameter: str = "today") -> _dt.date | None:
    """A :class:`datetime.date`, a :class:`datetime.datetime` (its date) or ISO text (``2026-01-15``)."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{parameter}: '{value}' is not an ISO date like 2026-01-15") from None
    raise TypeError(f"{parameter}: give a datetime.date or ISO text like '2026-01-15', not {_kind(value)}")


def theme_value(value: Any, parameter: str = "theme") -> str | None:
    """A theme name, or a theme folder as ``str`` or ``Path``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"{parameter}: give a theme name or folder (str or pathlib.Path), not {_kind(value)}")


def design_value(value: Any, parameter: str = "design") -> dict[str, Any]:
    """Theme options: a mapping of option names to values."""
    if value is None:
        return {}
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return dict(value)
    raise TypeError(f"{parameter}: give theme options as a dict, like {{'paper': 'letter'}}, not {_kind(value)}")


def check_profile(value: Any, parameter: str = "profile") -> None:
    """A profile is a path (``str`` or ``Path``), a dict, or a :class:`~cvrender.model.Profile`."""
    from cvrender.model import Profile
    from cvrender.sources.loading import LoadedProfile

    if isinstance(value, (str, os.PathLike, Mapping, Profile, LoadedProfile)):
        return
    raise TypeError(f"{parameter}: give a path (str or pathlib.Path), a dict or a cvrender.Profile, "
                    f"not {_kind(value)}")


__all__ = ["API_NAMES", "CLI_NAMES", "Names", "check_profile", "date_value", "design_value", "file_names",
           "section_names", "theme_value"]
