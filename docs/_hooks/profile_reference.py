"""MkDocs hook: write the profile field reference from the pydantic model, so it cannot drift.

For every model reachable from :class:`cvrender.model.Profile` it lists each field with the key
to write (and its other spelling), the type, the default, the description, an example taken from
``examples/full.yaml`` (which uses every field; a test keeps it so) and the built-in themes whose
output changes when that field is taken out of the example (measured, not declared: the example is
rendered once per theme as it is, and once per field without it, in both backends).
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "full.yaml"
PAGE = "reference/profile.md"
TODAY = _dt.date(2026, 1, 15)
# fields full.yaml leaves out on purpose (its file order is the natural section order)
EXTRA_EXAMPLES = {("Profile", "section_order"): "`section_order: [about, publications, education, awards]`"}


# ----- types -------------------------------------------------------------------------------------

def _aliases() -> dict[Any, str]:
    from cvrender.model import base

    return {base.Inline: "text (markup: `**bold**`, `*italic*`, `[link](url)`)", base.Url: "URL",
            base.DateField: "date or date range", base.Years: "year(s)", base.People: "list of people",
            base.Links: "list of links", base.StartDate: "date", base.EndDate: "date or `present`"}


def type_name(tp: Any) -> str:
    """A readable name for an annotation: ``list of Education``, ``one of: a, b``."""
    for alias, name in _aliases().items():
        if tp == alias:
            return name
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return type_name(args[0])
    if origin in (Union, types.UnionType):
        parts = [type_name(a) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is Literal:
        return "one of: " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"mapping of {type_name(args[0])} to {type_name(args[1])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    if tp is Any:
        return "any"
    return {str: "text", int: "integer", bool: "true/false", float: "number"}.get(tp, getattr(tp, "__name__", str(tp)))


def literal_choices(tp: Any) -> tuple[Any, ...]:
    """The allowed values of a ``Literal`` field (optional or not); empty for other types."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return args
    if origin is Annotated:
        return literal_choices(args[0])
    if origin in (Union, types.UnionType):
        return tuple(c for a in args for c in literal_choices(a))
    return ()


def models_in(tp: Any) -> Iterator[type[BaseModel]]:
    """Every model class inside an annotation."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        yield tp
    for arg in get_args(tp):
        yield from models_in(arg)


def all_models() -> list[type[BaseModel]]:
    """Profile and every model below it, in first-reached order."""
    from cvrender.model import Profile

    seen: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [Profile]
    while todo:
        model = todo.pop(0)
        if model in seen:
            continue
        seen.append(model)
        for hint in get_type_hints(model, include_extras=True).values():
            todo.extend(m for m in models_in(hint) if m not in seen)
    return seen


def hints(model: type[BaseModel]) -> dict[str, Any]:
    """The field annotations with their Annotated aliases kept."""
    return {name: hint for name, hint in get_type_hints(model, include_extras=True).items()
            if name in model.model_fields}


# ----- the example -------------------------------------------------------------------------------

def _field_for_key(model: type[BaseModel], key: str) -> str | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    return None


def walk(data: Any, model: type[BaseModel], path: tuple[Any, ...] = ()) -> Iterator[tuple[type[BaseModel], str, tuple[Any, ...]]]:
    """``(model, field, path in data)`` for every key of ``data`` that is a field of ``model``."""
    if not isinstance(data, dict):
        return
    model_hints = hints(model)
    for key, value in data.items():
        name = _field_for_key(model, key)
        if name is None:
            continue
        yield model, name, (*path, key)
        for inner in models_in(model_hints[name]):
            yield from _values(value, inner, (*path, key))


def _values(value: Any, model: type[BaseModel], path: tuple[Any, ...]) -> Iterator[tuple[type[BaseModel], str, tuple[Any, ...]]]:
    if isinstance(value, dict) and any(_field_for_key(model, k) for k in value):
        yield from walk(value, model, path)
    elif isinstance(value, dict):  # a mapping of names to models (variants)
        for key, item in value.items():
            yield from _values(item, model, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _values(item, model, (*path, index))


def owner(model: type[BaseModel], field: str) -> type[BaseModel]:
    """The class that declares ``field`` (``date`` belongs to Dated, shared by every dated entry)."""
    for klass in reversed(model.__mro__):
        if field in getattr(klass, "__annotations__", {}):
            return klass
    return model


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def example_text(value: Any, key: str) -> str:
    """A short YAML-ish example of one key."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        text = value if value and not value.startswith(("{", "[", "*", "&", "!", "@", "`")) else text
        text = " ".join(text.split())
    if len(text) > 70:
        text = text[:67] + "…"
    return f"`{key}: {text}`".replace("|", "\\|")


# ----- which themes show a field -----------------------------------------------------------------

def shown_by(data: dict[str, Any], paths: dict[tuple[str, str], list[tuple[Any, ...]]],
             choices: dict[tuple[str, str], tuple[Any, ...]]) -> dict[tuple[str, str], list[str]]:
    """For each field, the themes whose HTML or LaTeX source changes without it, or with another value."""
    from cvrender import api
    from cvrender.model import Profile
    from cvrender.sources.loading import LoadedProfile
    from cvrender.theming import list_themes

    builder = api.Builder()

    def render(values: dict[str, Any], theme: str, backend: str) -> str | None:
        try:
            loaded = LoadedProfile(Profile.model_validate(values), EXAMPLE)
            options = api.BuildOptions(theme=theme, backend=backend, today=TODAY)
            return builder.render_source(loaded, options).text
        except Exception:  # the field cannot be left out: say nothing rather than guess
            return None

    themes = [t.name for t in list_themes() if t.path.is_relative_to(ROOT / "themes")]
    result: dict[tuple[str, str], list[str]] = {key: [] for key in paths}
    for theme in themes:
        for backend in ("html", "latex"):
            base = render(data, theme, backend)
            for key, where in paths.items():
                if theme in result[key]:
                    continue
                for changed in variations(data, where, choices.get(key, ())):
                    text = render(changed, theme, backend)
                    if text is not None and text != base:
                        result[key].append(theme)
                        break
    return result


def variations(data: dict[str, Any], where: list[tuple[Any, ...]], choices: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
    """The example without the key at ``where``, with its text changed, with each other allowed value."""
    removed = copy.deepcopy(data)
    for path in sorted(where, key=len, reverse=True):
        parent = _get(removed, path[:-1])
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    yield removed
    changed = copy.deepcopy(data)
    for path in where:
        parent = _get(changed, path[:-1])
        parent[path[-1]] = _altered(parent[path[-1]])
    yield changed
    for choice in choices:
        other = copy.deepcopy(data)
        for path in where:
            _get(other, path[:-1])[path[-1]] = choice
        yield other


_KEPT = {"id", "date", "start", "end", "year", "years", "url"}  # keys, references and dates stay valid


def _altered(value: Any) -> Any:
    """``value`` with every text in it changed (keys and ids kept, so references still resolve)."""
    if isinstance(value, str):
        # swapped case: section keys made from titles stay the same, so references still resolve
        return value if value.startswith(("http", "mailto:")) or "@" in value else value.swapcase()
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, list):
        return [_altered(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _KEPT else _altered(v) for k, v in value.items()}
    return value


# ----- the page ----------------------------------------------------------------------------------

def _default(info: Any) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value = info.default_factory()
        if isinstance(value, BaseModel):
            return "(see below)"
        return "`" + json.dumps(value) + "`"
    value = info.default
    if value is PydanticUndefined or value is None:
        return "–"
    return "`" + json.dumps(value) + "`"


def reference_markdown(measure: bool = True) -> str:
    """The whole reference page (``measure=False``: without rendering the example per theme)."""
    from cvrender.sources.yamlfile import load_file

    data = load_file(EXAMPLE).data
    from cvrender.model import Profile

    occurrences = list(walk(data, Profile))
    paths: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    examples: dict[tuple[str, str], str] = {}
    for model, name, path in occurrences:
        key = (owner(model, name).__name__, name)
        paths.setdefault(key, []).append(path)
        examples.setdefault(key, example_text(_get(data, path), str(path[-1])))
    choices = {(owner(m, n).__name__, n): literal_choices(hints(m)[n]) for m, n, _ in occurrences}
    shown = shown_by(data, paths, choices) if measure else {}

    lines = [
        "# Profile field reference",
        "",
        "<!-- Generated by docs/_hooks/profile_reference.py from cvrender.model at build time. -->",
        "",
        "Every key a profile may hold, generated from the validating model (`cvrender.model`), so",
        "this page always matches the installed version. The examples come from `examples/full.yaml`",
        "(in the source distribution), a fictional profile that uses every field. **Shown by** lists the built-in themes whose",
        "output (HTML or LaTeX source) changes when that key is taken out of that example, or given",
        "another value; a dash means it changes nothing there by itself (fields of a variant act only",
        "when the variant is built, `--variant NAME`; some options do nothing to this example's data).",
        "",
        "Text marked *markup* accepts bold, italic and links. Dates may be written `2020`,",
        "`2020-09`, `Sep 2020`, `Fall 2020`, `Sep 2020 - present` or `expected Jun 2026`.",
        "Run `cvrender schema -o profile.schema.json` for the same model as a JSON Schema for editors.",
        "",
    ]
    missing = []
    for model in all_models():
        lines += [f"## {model.__name__}", "", (model.__doc__ or "").strip().splitlines()[0], ""]
        lines += ["| key | type | default | description | example | shown by |", "|---|---|---|---|---|---|"]
        model_hints = hints(model)
        for name, info in model.model_fields.items():
            key = (owner(model, name).__name__, name)
            written = f"`{info.alias or name}`" + (f" (or `{name}`)" if info.alias and info.alias != name else "")
            example = examples.get(key) or EXTRA_EXAMPLES.get(key)
            if example is None:
                missing.append(f"{model.__name__}.{name}")
                example = "–"
            themes = ", ".join(shown.get(key, [])) or "–"
            description = (info.description or "").replace("|", "\\|")
            lines.append(f"| {written} | {type_name(model_hints[name])} | {_default(info)} | {description} "
                         f"| {example} | {themes} |")
        lines.append("")
    if missing:
        raise RuntimeError("examples/full.yaml has no example of " + ", ".join(missing))
    return "\n".join(lines) + "\n"


def on_files(files: Any, config: Any) -> Any:
    """Add the generated page to the site."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, PAGE, content=reference_markdown()))
    return files


if __name__ == "__main__":  # python docs/_hooks/profile_reference.py > reference.md
    print(reference_markdown(), end="")
