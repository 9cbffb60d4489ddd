"""The class every output format derives from (see :mod:`cvrender.formats.registry` for how
formats are found, and docs/architecture.md for how to add one)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from cvrender.formats.base import Engine, Source

if TYPE_CHECKING:
    from cvrender.theming import Theme


class OutputFormat:
    """One output format: how a theme's templates for it become source, and source a PDF.

    A format is a package (``cvrender/formats/<name>/`` or a third party's) whose class derives
    from this one and is registered under ``name`` in the entry-point group ``cvrender.formats``
    (see :mod:`cvrender.formats.registry`). An object of the class is made per theme and engine:
    the engine is fixed then, from the theme and the options, so rendering and compiling agree.
    Keep the module of the class light: import Jinja environments and engines in the methods.
    """

    name: ClassVar[str]  # the name users pass to --backend, and the theme folder of its templates
    suffix: ClassVar[str]  # of the source file written by --emit-source
    engines: ClassVar[tuple[str, ...]]  # the engine names the CLI offers; the first is the default
    scaffold: ClassVar[Mapping[str, str]] = {}  # `theme new`: template -> text ($name, $parent, $blocks)

    def __init__(self, theme: Theme, engine: str | None = None) -> None:
        self.theme = theme
        self.engine = self.choose_engine(theme, engine)

    @classmethod
    def default_engine(cls, theme: Theme) -> str:
        """The engine used when the options name none (a format may let the theme choose)."""
        return cls.engines[0]

    @classmethod
    def choose_engine(cls, theme: Theme, engine: str | None) -> str:
        """The engine for a build: the one asked for when it is one of this format's, else the
        default (an engine of another format, e.g. a lab-wide ``engine: lualatex`` for a member built
        with HTML, does not apply here; the registry refuses names no format has)."""
        if engine and engine in cls.engines:
            return engine
        return cls.default_engine(theme)

    def render(self, ctx: Any, base_dir: Path | None = None) -> Source:
        """The source of ``ctx`` laid out by the theme's templates for this format."""
        raise NotImplementedError

    def new_engine(self) -> Engine:
        """A compiler for :attr:`engine` (the builder keeps one per format and engine, so it stays warm)."""
        raise NotImplementedError

    def uncovered(self, text: str, design: Mapping[str, Any], engine: Engine | None = None) -> list[str]:
        """The characters of ``text`` that no font this format's engine (``engine`` when the builder
        already has one) can use shows, each once, in order; the build warns of each where the
        profile has it. The default asks fontconfig, which WeasyPrint and the TeX engines search; a
        format with fonts of its own overrides this."""
        from cvrender import glyphs

        return glyphs.uncovered(text)

    def font_families(self, engine: Engine | None = None) -> Collection[str]:
        """The font families this format's engine can use (counted in the missing-glyph warning)."""
        from cvrender import glyphs

        return glyphs.installed_families()
