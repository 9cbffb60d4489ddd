"""HTML backend: Jinja with autoescaping; inline markup rendered to HTML in one place."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from cvrender.context.markup import Inline, Link, Node, Span, Text, is_safe_url
from cvrender.formats.base import Source, render_template
from cvrender.glyphs import replace_uncovered
from cvrender.text import page_template_parts
from cvrender.theming import Theme

_TAGS = {"strong": "strong", "em": "em", "code": "code"}


def inline_html(inline: Inline) -> Markup:
    """An :class:`Inline` as HTML; every text is escaped here."""
    return Markup("".join(_node(n) for n in inline.nodes))


def _node(node: Node) -> str:
    if isinstance(node, Text):
        return escape(replace_uncovered(node.text), quote=False)
    inner = "".join(_node(c) for c in node.children)
    if isinstance(node, Span):
        tag = _TAGS[node.kind]
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(node, Link) and is_safe_url(node.url):
        return f'<a href="{escape(node.url)}">{inner}</a>'
    return inner


def _finalize(value: Any) -> Any:
    """Inline markup as HTML; text with a character no installed font has gets U+FFFD in its place
    (a .notdef glyph makes WeasyPrint write its font with an encoding pypdf cannot read; see
    :mod:`cvrender.glyphs`). URLs come marked safe from the ``url`` filter and are left alone."""
    if isinstance(value, Inline):
        return inline_html(value)
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return replace_uncovered(value)
    return value


def css_string(text: str) -> str:
    """A CSS string literal (the one place CSS strings are escaped)."""
    out = "".join(ch if ch.isalnum() or ch in " ,.:/()-–，、" or ord(ch) > 127 else f"\\{ord(ch):x} " for ch in text)
    return f'"{out}"'


def css_page_content(template: str) -> str:
    """``Page {page} of {pages}`` -> ``"Page " counter(page) " of " counter(pages)``."""
    fields = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return " ".join(fields.get(piece) or css_string(piece) for piece in page_template_parts(template))


def _safe_url(value: str) -> Markup:
    return Markup(escape(value if is_safe_url(value) or value.startswith("tel:") else "#"))


class HtmlBackend:
    """Renders ``cv.html.j2`` and ``style.css.j2`` of a theme; keeps one environment per theme."""

    name = "html"

    def __init__(self) -> None:
        self._envs: dict[tuple[str, ...], tuple[jinja2.Environment, jinja2.Environment]] = {}

    def environments(self, theme: Theme) -> tuple[jinja2.Environment, jinja2.Environment]:
        """The HTML environment (autoescaped) and the CSS environment of a theme chain."""
        key = tuple(str(t.path) for t in theme.chain)
        if key not in self._envs:
            loader = theme.loader("html")
            html_env = jinja2.Environment(
                loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, finalize=_finalize,
                trim_blocks=True, lstrip_blocks=True, auto_reload=False,
            )
            html_env.filters["url"] = _safe_url
            css_env = jinja2.Environment(  # option values are validated by the manifest, not escaped
                loader=loader, autoescape=False, undefined=jinja2.StrictUndefined,
                trim_blocks=True, lstrip_blocks=True, auto_reload=False,
            )
            css_env.filters["css_page_content"] = css_page_content
            css_env.filters["css_string"] = css_string
            self._envs[key] = (html_env, css_env)
        return self._envs[key]

    def render(self, ctx: Any, theme: Theme, base_dir: Path | None = None) -> Source:
        """HTML text and the stylesheet, ready for WeasyPrint."""
        html_env, css_env = self.environments(theme)
        html = render_template(html_env, "cv.html.j2", theme, cv=ctx, design=ctx.design)
        css = render_template(css_env, "style.css.j2", theme, cv=ctx, design=ctx.design)
        allowed = tuple(t.path for t in theme.chain) + ((base_dir,) if base_dir else ())
        return Source(html, "html", (css,), base_dir, allowed)


