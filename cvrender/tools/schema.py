"""The JSON Schema of profiles, for editor completion (yaml-language-server) and for checking
profiles with any JSON Schema validator.

It accepts what the loader accepts: every spelling of a key (``organization``/``organisation``,
``year``/``years``), and a value in several languages (``{en: ..., zh: ...}``) wherever a value
may stand.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from cvrender.model import Profile, Publication, base, profile, publications
from cvrender.sources.localize import LANGUAGES
from cvrender.sources.validation import _models_in

SCHEMA_ID = "https://cvrender.org/schema/profile.json"
LANGUAGE_CODE = {
    "type": "string",
    "pattern": "^(" + "|".join(sorted(LANGUAGES)) + r")([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$",
}
# Mappings whose keys the user names (a variant called "en" is a variant, not English text).
_NAMED = {"variants"}


def _or(extra: dict[str, Any]) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    return lambda inner, _gen: {"anyOf": [extra, inner]}


def _single_or_list(inner: dict[str, Any], _gen: Any) -> dict[str, Any]:
    if inner.get("type") == "array" and "items" in inner:
        return {"anyOf": [inner["items"], inner, {"type": "null"}]}
    return inner


def _publication_list(inner: dict[str, Any], gen: GenerateJsonSchema) -> dict[str, Any]:
    items = gen.generate_inner(Publication.__pydantic_core_schema__)
    return {"anyOf": [{"type": "array", "items": items}, inner]}


def _input_schemas() -> dict[Any, Callable[[dict[str, Any], Any], dict[str, Any]]]:
    """What each coercion in the model accepts besides its target type (for the schema only)."""
    text = _or({"type": "string"})
    return {
        base._listify: _single_or_list,
        base.Person.coerce.__func__: text,  # type: ignore[attr-defined]
        profile.Interest.coerce.__func__: text,  # type: ignore[attr-defined]
        publications.Author.coerce.__func__: text,  # type: ignore[attr-defined]
        profile.titled: text,
        profile.comma_list: text,
        publications._authors: text,
        profile.number_text: _or({"type": "number"}),
        publications._int_text: _or({"type": "integer"}),
        publications._publications_shorthand: _publication_list,
    }


class _ProfileSchema(GenerateJsonSchema):
    """Pydantic's schema generator, told what the model's coercions accept."""

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        function = schema["function"]["function"]
        build = _input_schemas().get(getattr(function, "__func__", function))
        return build(inner, self) if build else inner


def _all_models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from ``root``, by the name pydantic gives its schema definition."""
    found: dict[str, type[BaseModel]] = {}
    todo = [root]
    while todo:
        model = todo.pop()
        if model.__name__ in found:
            continue
        found[model.__name__] = model
        for info in model.model_fields.values():
            todo.extend(_models_in(info.annotation))
    return found


def _add_spellings(definition: dict[str, Any], model: type[BaseModel]) -> None:
    """Let the field name stand wherever its alias does (``organization`` and ``organisation``)."""
    properties = definition.get("properties", {})
    required = list(definition.get("required", []))
    alternatives: list[dict[str, Any]] = []
    for name, info in model.model_fields.items():
        alias = info.alias
        if not alias or alias == name or alias not in properties or alias.startswith("$"):
            continue
        properties[name] = copy.deepcopy(properties[alias])
        if alias in required:
            required.remove(alias)
            alternatives.append({"anyOf": [{"required": [alias]}, {"required": [name]}]})
        # Not both spellings at once.
        alternatives.append({"not": {"required": [alias, name]}})
    for name, info in model.model_fields.items():
        if info.is_required():
            continue
        for key in {name, info.alias or name}:
            if key in properties and not _allows_null(properties[key]):
                # An empty key (``education:``) means the default.
                properties[key] = {"anyOf": [properties[key], {"type": "null"}]}
    if required:
        definition["required"] = required
    else:
        definition.pop("required", None)
    if alternatives:
        definition["allOf"] = definition.get("allOf", []) + alternatives


def _pointer(path: tuple[str, ...]) -> str:
    return "#" + "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in path)


def _allows_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(_allows_null(s) for s in schema.get("anyOf", []))


def _language_map(schema: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """``schema``, or a mapping of language codes to ``schema`` (referred to, when it is large)."""
    value = schema if len(json.dumps(schema)) < 120 else {"$ref": _pointer((*path, "anyOf", "0"))}
    return {"anyOf": [schema, {"type": "object", "minProperties": 1, "propertyNames": LANGUAGE_CODE,
                               "additionalProperties": value}]}


def _allow_languages(schema: Any, path: tuple[str, ...] = (), named: bool = False) -> Any:
    """Let every property value and list item also be a ``{en: ..., zh: ...}`` mapping.

    ``named`` marks a mapping whose keys the user names (its values are wrapped, not itself).
    """
    if isinstance(schema, list):
        return [_allow_languages(item, (*path, str(i))) for i, item in enumerate(schema)]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for name, value in schema.items():
        here = (*path, name)
        if name in ("properties", "$defs") and isinstance(value, dict):
            out[name] = {}
            for prop, sub in value.items():
                where = (*here, prop)
                if name == "$defs" or prop in _NAMED:
                    out[name][prop] = _allow_languages(sub, where, named=prop in _NAMED)
                else:
                    out[name][prop] = _language_map(_allow_languages(sub, (*where, "anyOf", "0")), where)
        elif name in ("items", "additionalProperties") and isinstance(value, dict) and not named:
            out[name] = _language_map(_allow_languages(value, (*here, "anyOf", "0")), here)
        elif name in ("anyOf", "allOf", "oneOf", "items", "additionalProperties"):
            out[name] = _allow_languages(value, here)
        else:
            out[name] = value
    return out


def profile_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a profile, keys as written in YAML."""
    schema = Profile.model_json_schema(by_alias=True, mode="validation", schema_generator=_ProfileSchema)
    models = _all_models(Profile)
    for name, definition in schema.get("$defs", {}).items():
        if name in models:
            _add_spellings(definition, models[name])
    _add_spellings(schema, Profile)
    schema = _allow_languages(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "cvrender profile",
        **{k: v for k, v in schema.items() if k not in ("title", "$schema", "$id")},
    }
