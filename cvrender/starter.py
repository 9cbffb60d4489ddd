"""A starter profile for ``cvrender new`` (filled in by the examples work)."""

from __future__ import annotations


def starter_profile(name: str) -> str:
    """YAML text of a starter profile for ``name``."""
    import json

    return f"name: {json.dumps(name, ensure_ascii=False)}\n"
