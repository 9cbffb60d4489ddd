"""Themes: discovery (entry points, folders), the ``theme.yaml`` manifest, option validation,
inheritance (``extends``), and the Jinja template loaders that make overriding one template
possible (``{% extends "!academic/cv.html.j2" %}``)."""

from __future__ import annotations

import re
from functools import cached_property
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import yaml
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cvrender.errors import ThemeError

ENTRY_POINT_GROUP = "cvrender.themes"
BACKENDS = ("html", "latex")


def builtin_themes_dir() -> Path:
    """Where the built-in themes live: inside the installed package, or the checkout's ``themes/``."""
    packaged = Path(__file__).parent / "_themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "themes"


def builtin_theme_path(name: str) -> Path:
    """The folder of a built-in theme (used by the built-in entry points)."""
    return builtin_themes_dir() / name


class OptionSpec(BaseModel):
    """One theme option: its type, default and allowed values."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["choice", "color", "length", "bool", "number", "font", "string"]
    default: Any
    choices: list[Any] | None = None
    description: str = ""
    min: float | None = None
    max: float | None = None


class Manifest(BaseModel):
    """The ``theme.yaml`` of a theme."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    backends: list[Literal["html", "latex"]] = Field(default_factory=lambda: list(BACKENDS))
    extends: str | None = None
    options: dict[str, OptionSpec] = Field(default_factory=dict)
    latex_engine: Literal["xelatex", "lualatex", "pdflatex"] = "xelatex"


_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_LENGTH = re.compile(r"^\d{1,3}(?:\.\d{1,3})?(?:mm|cm|in|pt)$")
_FONT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,60}$")
_STRING = re.compile(r"^[\w .,:;()\-–/&+'!?]{0,120}$")


def check_option(name: str, spec: OptionSpec, value: Any) -> Any:
    """Validate one option value; raise :class:`ThemeError` naming the option and what is allowed."""
    def bad(allowed: str) -> ThemeError:
        return ThemeError(f"design option '{name}': {value!r} is not allowed; use {allowed}")

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
            number = float(value)
        except (TypeError, ValueError):
            raise bad("a number") from None
        if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
            raise bad(f"a number between {spec.min} and {spec.max}")
        return number
    text = str(value).strip()
    if kind == "color" and not _COLOR.match(text):
        raise bad("a colour like #1f3a5f")
    if kind == "length" and not _LENGTH.match(text):
        raise bad("a length like 18mm, 0.75in or 10.5pt")
    if kind == "font" and not _FONT.match(text):
        raise bad("a font family name of letters, digits, spaces and hyphens")
    if kind == "string" and not _STRING.match(text):
        raise bad("plain text without markup characters")
    return text


class Theme:
    """A theme folder with its manifest and (optionally) a parent theme."""

    def __init__(self, name: str, path: Path, parent: Theme | None = None):
        self.name = name
        self.path = path
        self.manifest = _read_manifest(path)
        self.parent = parent

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
        """Options declared by this theme and its parents (the child wins)."""
        specs: dict[str, OptionSpec] = {}
        for theme in reversed(self.chain):
            specs.update(theme.manifest.options)
        return specs

    def backends(self) -> list[str]:
        """Backends this theme (or its parent) supports."""
        return list(self.manifest.backends)

    def resolve_options(self, *layers: dict[str, Any]) -> dict[str, Any]:
        """Defaults overlaid with each layer, every value validated."""
        specs = self.option_specs
        values = {name: spec.default for name, spec in specs.items()}
        for layer in layers:
            for name, value in (layer or {}).items():
                if name not in specs:
                    import difflib

                    close = difflib.get_close_matches(name, list(specs), n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else f"; options: {', '.join(sorted(specs))}"
                    raise ThemeError(f"theme '{self.name}' has no design option '{name}'{hint}")
                values[name] = check_option(name, specs[name], value)
        return values

    def template_dirs(self, backend: str) -> list[Path]:
        """Template folders for a backend, child first."""
        return [t.path / backend for t in self.chain if (t.path / backend).is_dir()]

    def loader(self, backend: str) -> BaseLoader:
        """A loader where ``cv.html.j2`` is the child's (or inherited) template and
        ``!academic/cv.html.j2`` is always academic's own."""
        prefixed = {f"!{t.name}": FileSystemLoader(str(t.path / backend)) for t in self.chain}
        return ChoiceLoader([FileSystemLoader([str(d) for d in self.template_dirs(backend)]),
                             PrefixLoader(prefixed, delimiter="/")])

    def files(self) -> list[Path]:
        """Every file of the theme and its parents (for cache keys)."""
        out: list[Path] = []
        for theme in self.chain:
            out.extend(sorted(p for p in theme.path.rglob("*") if p.is_file()))
        return out


def _read_manifest(path: Path) -> Manifest:
    manifest_path = path / "theme.yaml"
    if not manifest_path.is_file():
        raise ThemeError(f"{path} is not a theme folder (it has no theme.yaml)")
    try:
        data = yaml.safe_load(manifest_path.read_text(encoding="utf-8")) or {}
        return Manifest.model_validate(data)
    except yaml.YAMLError as exc:
        raise ThemeError(f"{manifest_path}: invalid YAML: {exc}") from None
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


def registered_themes() -> dict[str, Path]:
    """Themes from the entry-point group, built-ins first; a third party cannot shadow a built-in."""
    builtins_dir = builtin_themes_dir()
    themes: dict[str, Path] = {}
    if builtins_dir.is_dir():
        for folder in sorted(builtins_dir.iterdir()):
            if (folder / "theme.yaml").is_file():
                themes[folder.name] = folder
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in themes:
            continue  # built-ins (registered by cvrender itself) win
        try:
            themes[ep.name] = _entry_point_path(ep.load(), ep.name)
        except Exception as exc:  # a broken third-party package must not break cvrender
            raise ThemeError(f"theme '{ep.name}' from package entry point failed to load: {exc}") from None
    return themes


def find_theme(name: str, search_dirs: list[Path] | None = None) -> Theme:
    """Find a theme by path (``./mytheme``), in ``themes/`` next to the profile, or by name."""
    return _find(name, search_dirs or [], seen=())


def _find(name: str, search_dirs: list[Path], seen: tuple[str, ...]) -> Theme:
    if name in seen:
        raise ThemeError(f"theme '{name}' extends itself (through {' -> '.join(seen)})")
    path: Path | None = None
    candidate = Path(name).expanduser()
    if ("/" in name or name.startswith(".")) and candidate.is_dir():
        path = candidate.resolve()
    else:
        for folder in search_dirs:
            if (folder / name / "theme.yaml").is_file():
                path = (folder / name).resolve()
                break
    if path is None:
        registered = registered_themes()
        if name in registered:
            path = registered[name]
        else:
            import difflib

            close = difflib.get_close_matches(name, list(registered), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ThemeError(f"unknown theme '{name}'{hint} (available: {', '.join(sorted(registered))})")
    manifest = _read_manifest(path)
    parent = _find(manifest.extends, search_dirs, seen + (name,)) if manifest.extends else None
    return Theme(manifest.name if "/" not in name and not name.startswith(".") else manifest.name, path, parent)


def list_themes() -> list[Theme]:
    """Every registered theme."""
    return [Theme(name, path) for name, path in sorted(registered_themes().items())]
