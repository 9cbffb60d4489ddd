"""Turn pydantic validation errors into problems with ``file:line:col``, key path and a plain
explanation. Errors are mapped by their pydantic error ``type``, never by message text."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from cvrender.errors import Problem
from cvrender.sources.yamlfile import Located


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every pydantic model reachable from a type annotation (through Annotated, list, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _models_in(args[0])
    if origin in (list, tuple, set, dict, typing.Union, types.UnionType) or origin is not None:
        for arg in args:
            found.extend(_models_in(arg))
    return found


def _field_named(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at ``loc`` (the path of a mapping)."""
    current: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        following: list[type[BaseModel]] = []
        for candidate in current:
            annotation = _field_named(candidate, str(part))
            if annotation is not None:
                following.extend(_models_in(annotation))
        if following:
            current = following
    keys: list[str] = []
    for candidate in current:
        for name, info in candidate.model_fields.items():
            keys.append(info.alias or name)
            if info.alias and not name.endswith("_"):
                keys.append(name)
    return sorted(set(keys))


def data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Follow ``loc`` through the data, skipping parts that are not in it (union tags, ``items``)."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
    return tuple(path)


def format_path(path: tuple[Any, ...]) -> str:
    """``education[0].institution``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_NAMES = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "dict_type": "a mapping of keys to values", "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values", "date_type": "a date",
}


def explain(error: dict[str, Any], model: type[BaseModel]) -> tuple[str, bool]:
    """A plain explanation of one pydantic error, and whether it points at a key."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        options = allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f"; allowed keys: {', '.join(options)}"
        return f"unknown key '{key}'{hint}", True
    if kind == "missing":
        return f"the required key '{loc[-1]}' is missing", False
    if kind in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[kind]}", False
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}", False
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}", False
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}", False
    if kind in ("string_too_short", "too_short"):
        return "must not be empty", False
    if kind.startswith("cv_"):
        return str(error["msg"]), False
    return str(error["msg"]), False


def problems_from(exc: ValidationError, located: Located, model: type[BaseModel]) -> list[Problem]:
    """Every validation error as a located problem, in file order."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        message, at_key = explain(error, model)
        path = data_path(located.data, loc)
        if error["type"] == "missing":
            path = data_path(located.data, loc[:-1])
        line, col = located.where(path, key=at_key)
        shown_path = format_path(tuple(p for p in loc if isinstance(p, int) or p in _path_names(located.data, loc)))
        value = None
        if error["type"] not in ("extra_forbidden", "missing") and "input" in error:
            value = _show(error["input"])
        marker = (line, col, message)
        if marker in seen:
            continue
        seen.add(marker)
        problems.append(Problem(message, located.file, line, col, shown_path or "(top level)", value))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _path_names(data: Any, loc: tuple[Any, ...]) -> set[Any]:
    """Names in ``loc`` that are real keys of the data, or the final unknown/missing key."""
    names: set[Any] = set()
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            names.add(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif i == len(loc) - 1:
            names.add(part)
    return names
