"""The Typst format: Jinja with Typst escaping (:mod:`.backend`, :mod:`.escape`), compiled in this
process by typst-py (:mod:`.engine`): pip only, offline, one compiler and font book per process."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvrender.formats.base import Engine, Source
from cvrender.formats.format import OutputFormat

if TYPE_CHECKING:
    from cvrender.theming import Theme


class TypstFormat(OutputFormat):
    """Typst markup from ``cv.typ.j2``, compiled to PDF (and PNG pages) by typst-py."""

    name = "typst"
    suffix = ".typ"
    engines = ("typst",)
    scaffold = {
        "cv.typ.j2": (
            "<#- $name: $parent's document. Override any of its blocks here ($blocks); what you do not\n"
            "    override stays the parent's. Values are escaped for you. -#>\n"
            '<% extends "!$parent/cv.typ.j2" %>\n'
            "<% block styles_extra %>\n"
            "<< super()|raw >>\n"
            "// Your style changes, e.g. #let cv-date(body) = text(weight: \"bold\", body)\n"
            "<% endblock %>\n"
        ),
    }

    def __init__(self, theme: Theme, engine: str | None = None) -> None:
        super().__init__(theme, engine)
        from cvrender.formats.typst.backend import TypstBackend

        self.backend = TypstBackend()

    def render(self, ctx: Any, base_dir: Path | None = None) -> Source:
        """Typst source for the theme's templates."""
        return self.backend.render(ctx, self.theme, base_dir)

    def new_engine(self) -> Engine:
        """A typst-py engine (the compiler and its fonts are shared by every engine of the process)."""
        from cvrender.formats.typst.engine import TypstEngine

        return TypstEngine()

    def uncovered(self, text: str, design: Mapping[str, Any], engine: Engine | None = None) -> list[str]:
        """Characters no font in Typst's font book shows (the system's, pip-installed and TeX Gyre
        fonts, and Typst's own; fontconfig does not know the pip-installed ones)."""
        from cvrender.formats.typst.backend import font_list
        from cvrender.formats.typst.engine import TypstEngine

        typst = engine if isinstance(engine, TypstEngine) else TypstEngine()
        return typst.uncovered(text, font_list(dict(design)))

    def font_families(self, engine: Engine | None = None) -> Collection[str]:
        """The families in Typst's font book."""
        from cvrender.formats.typst.engine import TypstEngine

        return (engine if isinstance(engine, TypstEngine) else TypstEngine()).families()
