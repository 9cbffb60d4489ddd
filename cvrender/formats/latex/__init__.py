"""The LaTeX format: Jinja with brace-friendly delimiters and LaTeX escaping (:mod:`.backend`,
:mod:`.escape`), compiled by xelatex, lualatex or pdflatex (:mod:`.engine`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvrender.formats.base import Engine, Source
from cvrender.formats.format import OutputFormat
from cvrender.formats.latex.engine import ENGINES

if TYPE_CHECKING:
    from cvrender.formats.latex.backend import Fragment
    from cvrender.theming import Theme


class LatexFormat(OutputFormat):
    """LaTeX from ``cv.tex.j2``, written for one TeX engine (its escaping and preamble differ) and
    compiled by that engine."""

    name = "latex"
    suffix = ".tex"
    engines = ENGINES  # the engines formats/latex/engine.py can run
    scaffold = {
        "cv.tex.j2": (
            "<#- $name: $parent's document. Override any of its blocks here ($blocks); what you do not\n"
            "    override stays the parent's. Values are escaped for you. -#>\n"
            '<% extends "!$parent/cv.tex.j2" %>\n'
            "<% block preamble_extra %>\n"
            "<< super()|raw >>\n"
            "% Your preamble additions, e.g. \\renewcommand{\\cvname}[1]{{\\Huge #1}}\n"
            "<% endblock %>\n"
        ),
    }

    def __init__(self, theme: Theme, engine: str | None = None) -> None:
        super().__init__(theme, engine)
        from cvrender.formats.latex.backend import LatexBackend

        self.backend = LatexBackend()

    @classmethod
    def default_engine(cls, theme: Theme) -> str:
        """The theme's ``latex_engine`` (xelatex unless the theme says otherwise)."""
        return theme.manifest.latex_engine or cls.engines[0]

    def render(self, ctx: Any, base_dir: Path | None = None) -> Source:
        """LaTeX source written for this format's engine."""
        return self.backend.render(ctx, self.theme, base_dir, engine=self.engine)

    def render_fragment(self, ctx: Any, titles: bool = True) -> Fragment:
        """Some sections of ``ctx`` for a host document, with the package they need (no header,
        no page set-up); ``titles=False`` leaves out the section titles."""
        return self.backend.render_fragment(ctx, self.theme, self.engine, titles)

    def new_engine(self) -> Engine:
        """A sandboxed TeX run with this format's engine."""
        from cvrender.formats.latex.engine import LatexEngine

        return LatexEngine(self.engine)
