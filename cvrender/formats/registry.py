"""The output formats: the one place that knows which formats (and so which engines) exist.

Built-in formats (html, latex) and third-party ones are registered the same way, as entry points
in the group ``cvrender.formats`` (``name = "package.module:FormatClass"``, the class an
:class:`~cvrender.formats.format.OutputFormat`); a third party may not shadow a built-in name.
Names come from the installed metadata without importing anything; a format's module is
imported the first time the format (or the list of engines) is asked for.
:func:`register_format` adds a format at run time (tests, plugins loaded by hand).
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from cvrender.errors import CvrenderError, UsageError
from cvrender.formats.format import OutputFormat

GROUP = "cvrender.formats"
DIST = "cvrender"  # formats registered by this distribution are the built-ins

_registered: dict[str, type[OutputFormat]] = {}  # at run time, by register_format()
_loaded: dict[str, type[OutputFormat]] = {}  # entry points already imported


@cache
def _entry_points() -> dict[str, metadata.EntryPoint]:
    """Registered formats by name, built-ins first; a third party's entry point with a built-in's
    name is ignored."""
    points = list(metadata.entry_points(group=GROUP))
    if not points:
        raise CvrenderError(f"no output formats are registered (entry-point group '{GROUP}'); the "
                            "installed metadata of cvrender is out of date: reinstall it (pip install -e .)")

    def builtin(point: metadata.EntryPoint) -> bool:
        return point.dist is not None and point.dist.name == DIST

    found: dict[str, metadata.EntryPoint] = {}
    for point in sorted(points, key=lambda p: not builtin(p)):
        found.setdefault(point.name, point)
    return found


def format_names() -> tuple[str, ...]:
    """Every format's name: the built-ins, then third-party entry points, then run-time registrations."""
    names = list(_entry_points())
    names += [name for name in _registered if name not in names]
    return tuple(names)


def builtin_format_names() -> tuple[str, ...]:
    """The formats cvrender itself provides."""
    return tuple(name for name, point in _entry_points().items()
                 if point.dist is not None and point.dist.name == DIST)


def get_format(name: str) -> type[OutputFormat]:
    """The format class called ``name``; a :class:`UsageError` names the known formats otherwise."""
    if name in _registered:
        return _registered[name]
    if name not in _loaded:
        point = _entry_points().get(name)
        if point is None:
            raise UsageError(f"unknown format '{name}' (use {', '.join(format_names())})")
        try:
            cls = point.load()
        except Exception as exc:  # a broken plugin must say which one it is
            raise CvrenderError(f"the format '{name}' ({point.value}) cannot be loaded: "
                                f"{type(exc).__name__}: {exc}") from None
        if not (isinstance(cls, type) and issubclass(cls, OutputFormat)) or cls.name != name:
            raise CvrenderError(f"the entry point '{name}' ({point.value}) is not an OutputFormat named '{name}'")
        _loaded[name] = cls
    return _loaded[name]


def engine_names() -> tuple[str, ...]:
    """Every engine of every format, in registration order (what ``--engine`` accepts)."""
    names: list[str] = []
    for name in format_names():
        names += [engine for engine in get_format(name).engines if engine not in names]
    return tuple(names)


def register_format(cls: type[OutputFormat]) -> None:
    """Make ``cls`` available under ``cls.name`` in this process (a built-in name cannot be taken)."""
    if not (isinstance(cls, type) and issubclass(cls, OutputFormat)):
        raise TypeError(f"{cls!r} is not an OutputFormat subclass")
    if cls.name in builtin_format_names():
        raise ValueError(f"'{cls.name}' is a built-in format")
    _registered[cls.name] = cls


def unregister_format(name: str) -> None:
    """Forget a format added by :func:`register_format`."""
    _registered.pop(name, None)


def _known_format(value: str) -> str:
    if value not in format_names():
        raise PydanticCustomError("cv_format", "unknown format '{value}' (use {known})",
                                  {"value": value, "known": ", ".join(format_names())})
    return value


def _known_engine(value: str) -> str:
    if value not in engine_names():
        raise PydanticCustomError("cv_engine", "unknown engine '{value}' (use {known})",
                                  {"value": value, "known": ", ".join(engine_names())})
    return value


FormatName = Annotated[str, AfterValidator(_known_format)]  # a field naming a registered format
EngineName = Annotated[str, AfterValidator(_known_engine)]  # a field naming an engine of one


__all__ = ["EngineName", "FormatName", "GROUP", "builtin_format_names", "engine_names", "format_names", "get_format", "register_format",
           "unregister_format"]
