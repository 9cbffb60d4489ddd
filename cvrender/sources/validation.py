"""Turn pydantic validation errors into problems with ``file:line:col``, key path, value and a plain
explanation. Errors are mapped by their pydantic error ``type`` (and its context), never by message
text; locations are found by following the error's ``loc`` through the data as it was written."""

from __future__ import annotations

import datetime as _dt
import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from cvrender.errors import Problem
from cvrender.sources.yamlfile import Located

# Keys people reach for, and the key the model uses for the same thing (suggested when allowed there).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "institution": ("school", "university", "college", "organization", "organisation", "institute"),
    "organization": ("company", "employer", "org", "institution", "affiliation", "lab"),
    "role": ("position", "job", "job_title", "title", "rank"),
    "date": ("dates", "period", "duration", "years", "year", "time", "when"),
    "years": ("dates", "date"),
    "highlights": ("bullets", "details", "items", "achievements", "description", "points"),
    "summary": ("description", "abstract", "overview", "about"),
    "about": ("bio", "biography", "description", "intro", "introduction"),
    "advisors": ("advisor", "adviser", "advisers", "supervisor", "supervisors", "mentor", "mentors"),
    "collaborators": ("collaborator", "coworkers", "colleagues"),
    "url": ("link", "href", "homepage", "web", "site"),
    "website": ("homepage", "url", "site", "web", "home_page"),
    "links": ("link", "urls", "resources"),
    "authors": ("author", "coauthors", "co_authors"),
    "venue": ("conference", "journal", "booktitle", "publisher", "published_in", "in"),
    "notes": ("remark", "remarks", "award", "comment"),
    "note": ("notes", "remark", "comment"),
    "email": ("mail", "e_mail", "e-mail"),
    "degree": ("qualification", "diploma"),
    "field": ("major", "subject", "discipline", "area"),
    "gpa": ("grade", "grades", "score"),
    "native_name": ("chinese_name", "name_native", "local_name"),
    "issuer": ("by", "from", "awarded_by", "organization"),
    "course": ("class", "subject", "name", "title"),
    "event": ("venue", "conference", "meeting"),
    "items": ("list", "entries", "skills", "keywords"),
    "category": ("label", "name", "group", "title"),
    "language": ("name", "lang"),
    "level": ("proficiency", "fluency"),
    "interests": ("research_interests", "research"),
    "experience": ("work", "work_experience", "employment", "jobs", "positions"),
    "awards": ("honors", "honours", "prizes", "scholarships"),
    "service": ("services", "academic_service", "reviewing"),
    "publications": ("papers", "pubs", "bibliography"),
    "teaching": ("teaching_experience", "courses"),
    "skills": ("technical_skills",),
    "sections": ("custom", "custom_sections"),
}


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


def _field_named(model: type[BaseModel], key: str) -> tuple[str, Any] | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name, info
    return None


def models_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[type[BaseModel]]:
    """The models that can sit at ``loc`` (the path of a mapping)."""
    current: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        following: list[type[BaseModel]] = []
        for candidate in current:
            found = _field_named(candidate, str(part))
            if found is not None:
                following.extend(_models_in(found[1].annotation))
        if following:
            current = following
    return current


def spellings(model: type[BaseModel], loc: tuple[Any, ...]) -> list[tuple[str, ...]]:
    """Each field at ``loc`` as the keys it may be written with: ``("organization", "organisation")``."""
    out: list[tuple[str, ...]] = []
    for candidate in models_at(model, loc):
        for name, info in candidate.model_fields.items():
            if info.alias and info.alias != name:
                out.append((name, info.alias))
            else:
                out.append((name,))
    return out


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at ``loc`` (the path of a mapping)."""
    return sorted({key for group in spellings(model, loc) for key in group})


_LINK_FIELDS = ("label", "url")


def data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Follow ``loc`` through the data as written, skipping parts that are not in it.

    Parts the model adds are skipped: union tags, ``items`` of a ``publications:`` list, the ``0`` of a
    single value written where a list is allowed. Links written as a mapping (``links: {PDF: ...}``),
    which the model turns into a list of ``{label, url}``, are followed by position.
    """
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        following = loc[index + 1] if index + 1 < len(loc) else None
        if isinstance(current, dict) and part in current and not isinstance(part, bool) or isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif (isinstance(current, dict) and isinstance(part, int) and following in _LINK_FIELDS
              and following not in current and 0 <= part < len(current)):
            key = list(current)[part]
            path.append(key)
            current = current[key]
        else:
            continue
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
    if isinstance(value, _dt.date):
        value = value.isoformat()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_NAMES = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "dict_type": "a mapping of keys to values", "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values", "dataclass_type": "a mapping of keys to values",
    "date_type": "a date", "url_type": "a link",
}
_YAML_KINDS = {bool: "true/false", int: "a number", float: "a number", _dt.date: "a date", _dt.datetime: "a date"}
# Errors whose message already names the offending value (the value is then not repeated).
_VALUE_IN_MESSAGE = {"cv_section_key", "cv_locale"}


def _unknown_key(key: str, groups: list[tuple[str, ...]], written: Any) -> str:
    """``unknown key 'x'`` with the best hint: same key twice, a synonym, a close spelling, or the list."""
    options = sorted({k for group in groups for k in group})
    for group in groups:
        twin = next((k for k in group if k != key and isinstance(written, dict) and k in written), None)
        if key in group and twin:
            return f"'{key}' and '{twin}' are the same key; keep one"
    for target, words in SYNONYMS.items():
        if target in options and key.lower() in words and target != key:
            return f"unknown key '{key}'; use '{target}'"
    close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}'; did you mean '{close[0]}'?"
    return f"unknown key '{key}'; allowed keys: {', '.join(options)}"


def explain(error: Any, model: type[BaseModel], written: Any = None) -> tuple[str, bool]:
    """A plain explanation of one pydantic error, and whether it points at a key.

    ``written`` is the mapping the error sits in, as written in the file (for "same key twice").
    """
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        return _unknown_key(key, spellings(model, loc[:-1]), written), True
    if kind == "missing":
        name = str(loc[-1])
        group = next((g for g in spellings(model, loc[:-1]) if name in g), (name,))
        others = " or ".join(f"'{k}'" for k in group if k != group[0])
        return f"the required key '{group[0]}'{f' (or {others})' if others else ''} is missing", False
    if kind in _TYPE_NAMES:
        expected = _TYPE_NAMES[kind]
        if value is None:
            return f"the value is empty; write {expected}", False
        seen = next((name for t, name in _YAML_KINDS.items() if type(value) is t), None)
        if kind == "string_type" and seen:
            return f"expected text, but YAML read {seen}; put the value in quotes", False
        if kind in ("list_type", "dict_type", "model_type") and isinstance(value, str):
            return f"expected {expected}, not text", False
        return f"expected {expected}", False
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}", False
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}", False
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}", False
    if kind in ("string_too_short", "too_short"):
        return "must not be empty", False
    if kind == "cv_section_key":
        return str(error["msg"]), bool(ctx.get("is_key"))
    if kind == "cv_date_twice":
        return str(error["msg"]), True
    return str(error["msg"]), False


def _container(data: Any, path: tuple[Any, ...]) -> Any:
    current = data
    for part in path:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return None
    return current


def problems_from(exc: ValidationError, located: Located, model: type[BaseModel]) -> list[Problem]:
    """Every validation error as a located problem, in file order."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        names_key = kind in ("extra_forbidden", "missing")
        parent = data_path(located.data, loc[:-1]) if names_key else data_path(located.data, loc)
        message, at_key = explain(error, model, _container(located.data, parent))
        path = (*parent, loc[-1]) if kind == "extra_forbidden" else parent
        line, col = located.where(path, key=at_key)
        shown = format_path(path if kind != "missing" else (*parent, loc[-1]))
        value = None
        if not names_key and kind not in _VALUE_IN_MESSAGE and "input" in error:
            value = _show(error["input"])
        marker = (line, col, message)
        if marker in seen:
            continue
        seen.add(marker)
        problems.append(Problem(message, located.file, line, col, shown or "(top level)", value))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems
