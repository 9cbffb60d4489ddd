"""Themes: discovery (entry points, folders), the ``theme.yaml`` manifest, option validation,
inheritance (``extends``), and the Jinja template loaders that make overriding one template
possible (``{% extends "!academic/cv.html.j2" %}``)."""

from __future__ import annotations

import difflib
import math
import os
import re
import sys
from collections.abc import Callable
from functools import cached_property
from importlib import metadata
from pathlib import Path
from stat import S_ISREG
from string import Template
from types import ModuleType
from typing import Any, Literal

import yaml
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cvrender.errors import ThemeError
from cvrender.formats.registry import EngineName, FormatName, format_names

ENTRY_POINT_GROUP = "cvrender.themes"


def builtin_themes_dir() -> Path:
    """Where the built-in themes live: inside the installed package, or the checkout's ``themes/``."""
    packaged = Path(__file__).parent / "_themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "themes"


def builtin_theme_path(name: str) -> Path:
    """The folder of a built-in theme (used by the built-in entry points)."""
    return builtin_themes_dir() / name


OptionType = Literal["choice", "color", "length", "bool", "number", "font", "string", "list"]


class OptionSpec(BaseModel):
    """One theme option: its type, default and allowed values."""

    model_config = ConfigDict(extra="forbid")

    type: OptionType
    default: Any
    choices: list[Any] | None = None
    description: str = ""
    min: float | None = None
    max: float | None = None


class OptionOverride(BaseModel):
    """An option as written in ``theme.yaml``: complete, or (in a child theme) only the fields
    that differ from the parent's option of the same name, e.g. ``font: {default: TeX Gyre Heros}``."""

    model_config = ConfigDict(extra="forbid")

    type: OptionType | None = None
    default: Any = None
    choices: list[Any] | None = None
    description: str | None = None
    min: float | None = None
    max: float | None = None


class Manifest(BaseModel):
    """The ``theme.yaml`` of a theme."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")
    description: str = ""
    backends: list[FormatName] = Field(default_factory=lambda: list(format_names()),
                                description="Output formats with templates here (default: every registered one)")
    extends: str | None = None
    options: dict[str, OptionOverride] = Field(default_factory=dict)
    latex_engine: EngineName = "xelatex"

    @field_validator("options", mode="before")
    @classmethod
    def _no_options(cls, value: Any) -> Any:
        return {} if value is None else value


class OptionLayer:
    """Option values from one place (the profile's ``design:``, a variant, ``--set``) and how to
    say where a value came from in an error (``cv.yaml:12:10: design.paper`` or ``--set paper``)."""

    def __init__(self, values: dict[str, Any] | None, where: Callable[[str], str] | str = "design option"):
        self.values = dict(values or {})
        self._where = where

    def where(self, name: str) -> str:
        """How to name option ``name`` of this layer in a message."""
        if callable(self._where):
            return self._where(name)
        return f"{self._where} '{name}'"


def located_layer(values: dict[str, Any] | None, located: Any, path: tuple[str, ...]) -> OptionLayer:
    """Option values read from a profile file; errors point at ``file:line:col: design.NAME``.

    ``located`` is a :class:`cvrender.sources.yamlfile.Located` (or ``None`` for in-memory data)."""
    dotted = ".".join(path)
    if located is None:
        return OptionLayer(values, lambda name: f"{dotted}.{name}")

    def where(name: str) -> str:
        line, col = located.where((*path, name))
        return f"{located.file}:{line}:{col}: {dotted}.{name}"

    return OptionLayer(values, where)


def command_line_layer(values: dict[str, Any] | None, label: str = "--set {key}") -> OptionLayer:
    """Option values given by the caller: ``--set NAME=VALUE`` on the command line, or
    ``design={...}`` from Python (``label="design[{key!r}]"``), named so in errors."""
    return OptionLayer(values, lambda name: label.format(key=name))


_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_LENGTH = re.compile(r"^\d{1,3}(?:\.\d{1,3})?(?:mm|cm|in|pt)$")
_FONT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,60}$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")
_ALLOWED_TEXT = {
    "color": "a colour like #1f3a5f", "length": "a length like 18mm, 0.75in or 10.5pt",
    "font": "a font family name of letters, digits, spaces and hyphens",
    "string": "plain text without markup characters",
}
_STRING = re.compile(r"^[\w .,:;()\-–/&+'!?]{0,120}$")


def check_option(name: str, spec: OptionSpec, value: Any, label: str | None = None) -> Any:
    """Validate one option value; raise :class:`ThemeError` naming the option and what is allowed.

    ``label`` names the option in the message (default ``design option 'NAME'``)."""
    def bad(allowed: str) -> ThemeError:
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
        return ThemeError(f"{label or f'design option {name!r}'}: {shown!r} is not allowed; use {allowed}")

    kind = spec.type
    if kind == "choice":
        if value not in (spec.choices or []):
            raise bad("one of " + ", ".join(str(c) for c in spec.choices or []))
        return value
    if kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "yes", "on", "1", "false", "no", "off", "0"):
            return value.lower() in ("true", "yes", "on", "1")
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if kind == "number":
        try:
            number = float(value) if not isinstance(value, bool) else math.nan
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise bad("a number")
        if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
            raise bad(f"a number between {spec.min} and {spec.max}")
        return number
    if kind == "list":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            raise bad("a list of names, e.g. skills, languages")
        cleaned = tuple(i.strip() for i in items if i.strip())
        allowed = spec.choices
        if any(not _NAME.match(i) or (allowed and i not in allowed) for i in cleaned):
            raise bad("names from " + ", ".join(map(str, allowed)) if allowed else "names of letters, digits and _")
        return cleaned
    if isinstance(value, list | tuple | dict):
        raise bad(_ALLOWED_TEXT[kind])
    text = str(value).strip()
    pattern = {"color": _COLOR, "length": _LENGTH, "font": _FONT, "string": _STRING}[kind]
    if not pattern.match(text):
        raise bad(_ALLOWED_TEXT[kind])
    if kind == "color":  # always #rrggbb, so a template may append an alpha byte
        digits = text[1:].lower()
        return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)
    return text


class Theme:
    """A theme folder with its manifest and (optionally) a parent theme."""

    def __init__(self, name: str, path: Path, parent: Theme | None = None, origin: str = "folder"):
        self.name = name
        self.path = path
        self.origin = origin  # "built-in", "package <distribution>", or "folder"
        self.manifest = _read_manifest(path)
        self.parent = parent
        self.option_specs  # noqa: B018 - a broken option declaration fails when the theme is found

    @property
    def chain(self) -> list[Theme]:
        """This theme, then its parents."""
        chain: list[Theme] = []
        theme: Theme | None = self
        while theme is not None:
            chain.append(theme)
            theme = theme.parent
        return chain

    @property
    def description(self) -> str:
        """One-line description."""
        return self.manifest.description

    @cached_property
    def option_specs(self) -> dict[str, OptionSpec]:
        """Options declared by this theme and its parents; a child may change only some fields
        of a parent's option (its default, its choices). Every default is checked here."""
        specs: dict[str, OptionSpec] = {}
        for theme in reversed(self.chain):
            where = theme.path / "theme.yaml"
            for name, override in theme.manifest.options.items():
                given = override.model_dump(exclude_unset=True)
                if name in specs:
                    merged = {**specs[name].model_dump(), **given}
                elif "type" not in given or "default" not in given:
                    missing = " and ".join(k for k in ("type", "default") if k not in given)
                    raise ThemeError(f"{where}: options.{name}: a new option needs {missing}")
                else:
                    merged = given
                spec = OptionSpec.model_validate(merged)
                if spec.type == "choice" and not spec.choices:
                    raise ThemeError(f"{where}: options.{name}: a choice option needs 'choices'")
                try:
                    default = check_option(name, spec, spec.default, f"options.{name}.default")
                except ThemeError as exc:
                    raise ThemeError(f"{where}: {exc}") from None
                specs[name] = spec.model_copy(update={"default": default})
        return specs

    def backends(self) -> list[str]:
        """Backends this theme supports (each must have templates here or in a parent)."""
        return [b for b in self.manifest.backends if self.template_dirs(b)]

    def resolve_options(self, *layers: dict[str, Any] | OptionLayer) -> dict[str, Any]:
        """Defaults overlaid with each layer (profile ``design:``, variant, ``--set``), every
        value validated; an unknown option or a bad value is a :class:`ThemeError`."""
        specs = self.option_specs
        values = {name: spec.default for name, spec in specs.items()}
        for layer in layers:
            if not isinstance(layer, OptionLayer):
                layer = OptionLayer(layer)
            for name, value in layer.values.items():
                if name not in specs:
                    close = difflib.get_close_matches(str(name), list(specs), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else f"options: {', '.join(sorted(specs))}"
                    raise ThemeError(f"{layer.where(name)}: theme '{self.name}' has no such option; {hint}")
                values[name] = check_option(name, specs[name], value, layer.where(name))
        return values

    def template_dirs(self, backend: str) -> list[Path]:
        """Template folders for a backend, child first."""
        return [t.path / backend for t in self.chain if (t.path / backend).is_dir()]

    def loader(self, backend: str) -> BaseLoader:
        """A loader where ``cv.html.j2`` is the child's (or inherited) template and
        ``!academic/cv.html.j2`` is the template as academic has it, never a child's override
        (the parent's, when a user theme shadows and extends a built-in of the same name)."""
        prefixed: dict[str, BaseLoader] = {}
        for theme in self.chain:  # "!modern/x" is x as modern sees it (its own, else inherited)
            dirs = theme.template_dirs(backend)
            if dirs:
                prefixed[f"!{theme.name}"] = FileSystemLoader([str(d) for d in dirs])
        return ChoiceLoader([FileSystemLoader([str(d) for d in self.template_dirs(backend)]),
                             PrefixLoader(prefixed, delimiter="/")])

    def files(self) -> list[Path]:
        """Every file of the theme and its parents (for cache keys)."""
        out: list[Path] = []
        for theme in self.chain:
            out.extend(sorted(p for p in theme.path.rglob("*") if p.is_file()))
        return out


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_manifests: dict[tuple[Path, int, int], Manifest] = {}


def _read_manifest(path: Path) -> Manifest:
    """The validated manifest; parsed once per version of the file (its mtime and size)."""
    manifest_path = path / "theme.yaml"
    try:
        stat = manifest_path.stat()
    except OSError:
        stat = None
    if stat is None or not S_ISREG(stat.st_mode):
        raise ThemeError(f"{path} is not a theme folder (it has no theme.yaml)")
    key = (manifest_path, stat.st_mtime_ns, stat.st_size)
    if key not in _manifests:
        if len(_manifests) > 256:
            _manifests.clear()
        _manifests[key] = _parse_manifest(manifest_path)
    return _manifests[key]


def _parse_manifest(manifest_path: Path) -> Manifest:
    try:
        data = yaml.load(manifest_path.read_text(encoding="utf-8"), Loader=_SafeLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ThemeError(f"{manifest_path}{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(f"{manifest_path}: cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise ThemeError(f"{manifest_path}: a theme manifest must be a mapping (name:, options:, ...)")
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ThemeError(f"{manifest_path}: {where}: {first['msg']}") from None


def _entry_point_path(value: Any, name: str) -> Path:
    if isinstance(value, ModuleType):
        return Path(value.__file__ or "").parent
    if callable(value):
        value = value(name)
    return Path(value)


def _is_builtin(ep: metadata.EntryPoint) -> bool:
    """Whether an entry point is one of cvrender's own (``cvrender.theming:...``)."""
    return ep.value.split(":")[0].strip() == __name__


def registered_themes() -> dict[str, Path]:
    """Themes registered in the ``cvrender.themes`` entry-point group (built-ins and third-party
    packages alike), plus the built-in folders themselves (so a checkout works uninstalled).

    Built-ins come first, and a third-party entry point may not shadow a built-in name: it is
    ignored. Among third parties, the first registration of a name wins. A third-party entry
    point that fails to load is left out (asking for it by name reports why)."""
    return {name: path for name, (path, _) in _registry()[0].items()}


_registry_cache: dict[tuple[Any, ...], tuple[dict[str, tuple[Path, str]], dict[str, str]]] = {}


def _installed_state() -> tuple[Any, ...]:
    """Changes when a package is installed or removed: the folders on sys.path and their mtimes
    (a new *.dist-info folder changes its parent's), and the entry-point lookup itself."""
    state: list[Any] = [id(metadata.entry_points)]
    for entry in sys.path:
        try:
            state.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            state.append((entry, None))
    return tuple(state)


def _registry() -> tuple[dict[str, tuple[Path, str]], dict[str, str]]:
    """(name -> (folder, origin), name -> why it failed to load); scanning the installed
    packages' entry points takes milliseconds, so the answer is kept until they change."""
    key = _installed_state()
    if key not in _registry_cache:
        _registry_cache.clear()
        _registry_cache[key] = _scan_registry()
    registered, broken = _registry_cache[key]
    return dict(registered), dict(broken)


def _scan_registry() -> tuple[dict[str, tuple[Path, str]], dict[str, str]]:
    entry_points = list(metadata.entry_points(group=ENTRY_POINT_GROUP))
    builtin: dict[str, Path] = {}
    for ep in entry_points:
        if _is_builtin(ep) and (path := _entry_point_path(ep.load(), ep.name)).is_dir():
            builtin[ep.name] = path
    builtins_dir = builtin_themes_dir()
    if builtins_dir.is_dir():  # a checkout, or metadata older than the themes folder
        for folder in sorted(builtins_dir.iterdir()):
            if (folder / "theme.yaml").is_file():
                builtin.setdefault(folder.name, folder)
    third_party: dict[str, tuple[Path, str]] = {}
    broken: dict[str, str] = {}
    for ep in entry_points:
        if _is_builtin(ep) or ep.name in builtin or ep.name in third_party or ep.name in broken:
            continue  # a built-in name cannot be taken by another package; first one wins
        dist = getattr(ep, "dist", None)
        origin = f"package {dist.name}" if dist is not None else "package"
        try:
            third_party[ep.name] = (_entry_point_path(ep.load(), ep.name), origin)
        except Exception as exc:  # a broken third-party package must not break the others
            broken[ep.name] = f"theme '{ep.name}' (entry point {ep.value}) failed to load: {exc}"
    found = {name: (path, "built-in") for name, path in sorted(builtin.items())}
    return {**found, **dict(sorted(third_party.items()))}, broken


def looks_like_path(name: str) -> bool:
    """Whether a theme name is a folder path (``./mine``, ``~/themes/lab``, ``a/b``), not a registered name."""
    return "/" in name or "\\" in name or name.startswith((".", "~"))


def find_theme(name: str, search_dirs: list[Path] | None = None) -> Theme:
    """Find a theme, first match wins: a folder path (``./mytheme``), a folder of that name in
    ``search_dirs`` (``themes/`` next to the profile), then a registered theme by name."""
    return _find(name, list(search_dirs or []), seen=())


def _find(name: str, search_dirs: list[Path], seen: tuple[Path, ...], registered_only: bool = False) -> Theme:
    path: Path | None = None
    origin = "folder"
    if looks_like_path(name):
        candidate = Path(name).expanduser()
        if not candidate.is_dir():
            raise ThemeError(f"theme folder '{name}' does not exist")
        path = candidate.resolve()
    elif not registered_only:
        for folder in search_dirs:
            if (folder / name / "theme.yaml").is_file():
                path = (folder / name).resolve()
                break
    if path is None:
        registered, broken = _registry()
        if name in broken:
            raise ThemeError(broken[name])
        if name not in registered:
            close = difflib.get_close_matches(name, list(registered), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ThemeError(f"unknown theme '{name}'{hint} (available: {', '.join(registered)})")
        path, origin = registered[name][0].resolve(), registered[name][1]
    if path in seen:
        raise ThemeError(f"theme '{name}' extends itself (through {' -> '.join(p.name for p in seen)})")
    manifest = _read_manifest(path)
    parent = None
    if manifest.extends:
        # a local theme may shadow a built-in and extend it: "extends: academic" in themes/academic
        same_name = manifest.extends == manifest.name
        parent = _find(manifest.extends, search_dirs, seen + (path,), registered_only=same_name)
    return Theme(manifest.name, path, parent, origin)


def list_themes(search_dirs: list[Path] | None = None, problems: list[str] | None = None) -> list[Theme]:
    """Every registered theme (built-ins first), then theme folders inside ``search_dirs``.

    A theme that cannot be loaded is left out; its error is appended to ``problems``."""
    registered, broken = _registry()
    found: list[Theme] = []
    dirs = list(search_dirs or [])
    known = {path.resolve() for path, _ in registered.values()}
    candidates: list[tuple[str, list[Path]]] = [(name, []) for name in registered]
    for folder in dirs:
        if folder.is_dir():
            candidates += [(str(sub), dirs) for sub in sorted(folder.iterdir())
                           if (sub / "theme.yaml").is_file() and sub.resolve() not in known]
    for name, where in candidates:
        try:
            found.append(_find(name, where, ()))
        except ThemeError as exc:
            if problems is not None:
                problems.append(str(exc))
    if problems is not None:
        problems.extend(broken.values())
    return found


def describe_options(theme: Theme) -> list[tuple[str, str, str, str, str]]:
    """(name, type, default, allowed values, description) of every option of a theme."""
    rows: list[tuple[str, str, str, str, str]] = []
    for name, spec in sorted(theme.option_specs.items()):
        default = spec.default
        if isinstance(default, tuple | list):
            default = ", ".join(map(str, default))
        elif isinstance(default, bool):
            default = "true" if default else "false"
        if spec.choices:
            allowed = ", ".join(map(str, spec.choices))
        elif spec.type == "number" and (spec.min is not None or spec.max is not None):
            allowed = f"{spec.min if spec.min is not None else ''}..{spec.max if spec.max is not None else ''}"
        else:
            allowed = _SHORT_ALLOWED[spec.type]
        rows.append((name, spec.type, str(default), allowed, spec.description))
    return rows


_SHORT_ALLOWED = {
    "color": "#rrggbb", "length": "mm, cm, in, pt", "font": "font family", "string": "text",
    "bool": "true, false", "list": "section keys", "number": "a number", "choice": "",
}


_BLOCK = re.compile(r"(?:\{%|<%)-?\s*block\s+(\w+)")


def _parent_blocks(parent: Theme, backend: str, template: str) -> list[str]:
    """Names of the blocks a parent's template (and the templates it extends) define."""
    names: list[str] = []
    for theme in parent.chain:
        source = theme.path / backend / template
        if source.is_file():
            for name in _BLOCK.findall(source.read_text(encoding="utf-8")):
                if name not in names:
                    names.append(name)
    return names


def scaffold_theme(name: str, parent: Theme, target: Path, force: bool = False) -> list[Path]:
    """Write a theme called ``name`` in ``target`` that extends ``parent``; returns the files written.

    The manifest lists the parent's options (one set, the others commented out) and each of the
    parent's backends gets templates that extend the parent's, so the new theme builds at once."""
    from cvrender.files import atomic_write
    from cvrender.formats.registry import get_format

    if not _NAME.match(name):
        raise ThemeError(f"'{name}' is not a theme name; use letters, digits, '_' and '-', starting with a letter")
    if target.exists() and not force and any(target.iterdir() if target.is_dir() else [target]):
        raise ThemeError(f"{target} already exists (use --force to replace its files)")
    backends = parent.backends()
    manifest = {
        "name": name, "description": f"A variation of {parent.name}.", "extends": parent.name,
        "backends": backends, "latex_engine": parent.manifest.latex_engine,
    }
    lines = [
        f"# Theme '{name}': extends '{parent.name}' and changes what you write here.",
        "# An option's default here applies to every profile using this theme; a profile can still",
        "# set it in its design: block, or with --set name=value.",
        yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True).rstrip(),
        "options:",
    ]
    specs = parent.option_specs
    first = "accent" if "accent" in specs else next(iter(specs), None)
    for option, spec in specs.items():
        default = list(spec.default) if isinstance(spec.default, tuple) else spec.default
        value = yaml.safe_dump({"default": default}, default_flow_style=True, allow_unicode=True, width=200).strip()
        comment = f"  # {spec.description}" if spec.description else ""
        prefix = "" if option == first else "# "
        lines.append(f"  {prefix}{option}: {value}{comment}")
    if first is None:
        lines[-1] = "options: {}"
    files = {Path("theme.yaml"): "\n".join(lines) + "\n"}
    parts = [(backend, get_format(backend).scaffold) for backend in backends]
    if parent.template_dirs("web"):  # web/: the page for screens
        from cvrender.web import SCAFFOLD as web_scaffold

        parts.append(("web", web_scaffold))
    for backend, scaffold in parts:
        for template, text in scaffold.items():
            blocks = ", ".join(_parent_blocks(parent, backend, template)) or "none"
            files[Path(backend) / template] = Template(text).substitute(name=name, parent=parent.name, blocks=blocks)
    written = [atomic_write(target / rel, text) for rel, text in files.items()]
    _find(str(target), [target.parent], ())  # the new theme (and a parent beside it) must load
    return written
