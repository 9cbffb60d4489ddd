"""What every reader of another tool's format shares: located data in, profile data out, with the
positions carried over, located warnings for what is not carried over, and validation problems
named by the other format's key path (``work[1].startDate``, ``cv.sections.education[0].end_date``)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from cvrender.errors import Problem, ProfileError
from cvrender.model import Profile
from cvrender.sources.validation import format_path, problems_from
from cvrender.sources.yamlfile import Located, Path_


@dataclass
class Conversion:
    """A converted document: the validated profile, its plain data with positions, and what was lost."""

    profile: Profile
    data: dict[str, Any]
    located: Located
    warnings: list[str] = field(default_factory=list)


def kind_of(value: Any) -> str:
    """How a message names the type of ``value``: text, a list, an object..."""
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__)


def excerpt(value: Any) -> str:
    """A short look at ``value`` for a warning: the start of a text, or how many items a list has."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f" ({text!r})"
    if isinstance(value, list):
        return f" ({len(value)} item{'s' if len(value) != 1 else ''})"
    return ""


def present(value: Any) -> bool:
    """True for a value that says something (not null, empty text, an empty list or object)."""
    return value is not None and value != "" and value != [] and value != {}


class LocatedMapper:
    """Builds profile data from located source data, giving every output value its source position."""

    def __init__(self, source: Located):
        self.src = source
        self.out = Located(None, source.file)
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.names: dict[str, str] = {}
        self.children: dict[Path_, list[Path_]] = defaultdict(list)
        for path in source.values:
            if path:
                self.children[path[:-1]].append(path)

    def where(self, src: Path_, key: bool = False) -> str:
        """``file:line:col`` of the value (or key) at ``src``."""
        line, col = self.src.where(src, key)
        return ":".join(str(x) for x in (self.src.file, line, col) if x is not None)

    def link(self, dst: Path_, src: Path_, deep: bool = True) -> None:
        """Give ``dst`` (and, if ``deep``, everything under it) the positions and name of ``src``."""
        self.names.setdefault(format_path(dst), format_path(src))
        if src in self.src.values:
            self.out.values.setdefault(dst, self.src.values[src])
        if src in self.src.keys:
            self.out.keys.setdefault(dst, self.src.keys[src])
        if deep:
            for child in self.children.get(src, ()):
                self.link(dst + child[len(src):], child)

    def problem(self, src: Path_, message: str, key: bool = False) -> None:
        """Record an error at ``src`` (at its key if ``key``), reported with every other one at the end."""
        line, col = self.src.where(src, key)
        self.problems.append(Problem(message, self.src.file, line, col, format_path(src) or "(top level)"))

    def lost(self, src: Path_, value: Any, why: str, key: bool = False) -> None:
        """Warn, at its position (of its key if ``key``), that the value at ``src`` is not carried over."""
        self.warnings.append(f"{self.where(src, key)}: {format_path(src)}{excerpt(value)}: {why}; "
                             "not carried over")

    def note(self, src: Path_, message: str) -> None:
        """A located warning about ``src`` that is not a loss (numbering dropped, a theme chosen...)."""
        self.warnings.append(f"{self.where(src, key=True)}: {format_path(src)}: {message}")

    def validate(self, data: dict[str, Any]) -> Conversion:
        """Validate the built profile data; every problem named by its source key path."""
        self.out.data = data
        self.out.values.setdefault((), self.src.values.get((), (1, 1)))
        problems = list(self.problems)
        profile = None
        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            reported = {p.key_path for p in problems}
            for problem in problems_from(exc, self.out, Profile):
                problem = remap(problem, self.names)
                if problem.key_path not in reported:
                    problems.append(problem)
        if problems or profile is None:
            problems.sort(key=lambda p: (p.line or 0, p.column or 0))
            raise ProfileError(problems)
        return Conversion(profile, data, self.out, self.warnings)


_KEY_ORDER = ("id", "title", "name", "course", "institution", "organization", "subtitle", "role", "degree",
              "field", "event", "issuer", "authors", "venue", "category", "language", "level", "label", "url", "location", "date", "start",
              "end", "year", "gpa", "summary", "note", "items", "highlights", "entries")


def tidy(value: Any) -> Any:
    """Entries with their keys in the order a person would write them (title, role, dates, details)."""
    if isinstance(value, list):
        return [tidy(v) for v in value]
    if isinstance(value, dict):
        rank = {k: i for i, k in enumerate(_KEY_ORDER)}
        keys = sorted(value, key=lambda k: rank.get(k, len(rank)))
        return {k: tidy(value[k]) for k in keys}
    return value


def remap(problem: Problem, names: dict[str, str]) -> Problem:
    """Name a validation problem by the source format's key path."""
    path = problem.key_path
    suffix = ""
    while path:
        if path in names:
            return replace(problem, key_path=names[path] + suffix)
        match = re.search(r"(\.[^.\[]+|\[\d+\])$", path)
        if not match:
            break
        suffix = match.group(1) + suffix
        path = path[: match.start()]
    return problem


__all__ = ["Conversion", "LocatedMapper", "excerpt", "kind_of", "present", "remap", "tidy"]
