"""The JSON Schema of profiles, for editor completion (yaml-language-server)."""

from __future__ import annotations

from typing import Any

from cvrender.model import Profile

SCHEMA_ID = "https://cvrender.org/schema/profile.json"


def profile_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a profile, keys as written in YAML."""
    schema = Profile.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "cvrender profile"
    return schema
