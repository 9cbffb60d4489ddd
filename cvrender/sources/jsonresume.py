"""JSON Resume (schema 1.x) documents as cvrender profiles."""

from __future__ import annotations

from typing import Any

from cvrender.model import Profile
from cvrender.sources.yamlfile import Located


def looks_like_jsonresume(data: Any) -> bool:
    """A JSON Resume document has a ``basics`` object and no cvrender ``name``."""
    return isinstance(data, dict) and isinstance(data.get("basics"), dict) and "name" not in data


def to_profile(located: Located) -> Profile:
    """Convert a JSON Resume document (placeholder until the conversion lands)."""
    from cvrender.errors import Problem, ProfileError

    raise ProfileError(Problem("JSON Resume input is not supported yet", located.file, 1, 1))
