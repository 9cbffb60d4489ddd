"""The HTML format: Jinja with HTML autoescaping (:mod:`.backend`), compiled by WeasyPrint (:mod:`.engine`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvrender.formats.base import Engine, Source
from cvrender.formats.format import OutputFormat

if TYPE_CHECKING:
    from cvrender.theming import Theme


class HtmlFormat(OutputFormat):
    """HTML and CSS from ``cv.html.j2`` and ``style.css.j2``, printed to PDF by WeasyPrint."""

    name = "html"
    suffix = ".html"
    engines = ("weasyprint",)
    scaffold = {
        "cv.html.j2": (
            "{#- $name: $parent's document. Override any of its blocks here ($blocks); what you do not\n"
            "    override stays the parent's. Values are escaped for you. -#}\n"
            '{% extends "!$parent/cv.html.j2" %}\n'
        ),
        "style.css.j2": (
            "{#- $name: $parent's stylesheet first, then your rules (later rules win). Option values\n"
            "    are in `design`, e.g. {{ design.accent }}. -#}\n"
            '{% include "!$parent/style.css.j2" %}\n\n'
            "/* Your rules, e.g.: .section-title { letter-spacing: 0.08em; } */\n"
        ),
    }

    def __init__(self, theme: Theme, engine: str | None = None) -> None:
        super().__init__(theme, engine)
        from cvrender.formats.html.backend import HtmlBackend

        self.backend = HtmlBackend()

    def render(self, ctx: Any, base_dir: Path | None = None) -> Source:
        """HTML text and the stylesheet, ready for WeasyPrint."""
        return self.backend.render(ctx, self.theme, base_dir)

    def new_engine(self) -> Engine:
        """A WeasyPrint engine (it keeps fonts and parsed stylesheets between builds)."""
        from cvrender.formats.html.engine import WeasyPrintEngine

        return WeasyPrintEngine()
