"""A toy output format that lives outside the cvrender package: plain text from a theme's
``toy/cv.txt.j2``, printed to PDF by wrapping it in ``<pre>`` for WeasyPrint. It stands for a
third-party format in tests/test_formats.py."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import jinja2

from cvrender.formats.base import CompiledPdf, Engine, Source, render_template
from cvrender.formats.format import OutputFormat


class ToyEngine:
    """Compiles the text with WeasyPrint, inside a ``<pre>``."""

    name = "toy-pdf"

    def compile(self, source: Source) -> CompiledPdf:
        from cvrender.formats.html.engine import WeasyPrintEngine

        page = f"<!DOCTYPE html><html><body><pre>{escape(source.text)}</pre></body></html>"
        return WeasyPrintEngine().compile(Source(page, "html"))


class ToyFormat(OutputFormat):
    """Plain text, one line per section title."""

    name = "toy"
    suffix = ".txt"
    engines = ("toy-pdf",)
    scaffold = {"cv.txt.j2": '{#- $name: like $parent ($blocks) -#}\n{% extends "!$parent/cv.txt.j2" %}\n'}

    def __init__(self, theme: Any, engine: str | None = None) -> None:
        super().__init__(theme, engine)
        self.env = jinja2.Environment(loader=theme.loader("toy"), undefined=jinja2.StrictUndefined,
                                      autoescape=False, keep_trailing_newline=True)

    def render(self, ctx: Any, base_dir: Path | None = None) -> Source:
        return Source(render_template(self.env, "cv.txt.j2", self.theme, cv=ctx), self.name, base_dir=base_dir)

    def new_engine(self) -> Engine:
        return ToyEngine()
