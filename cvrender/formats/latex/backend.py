"""LaTeX backend: Jinja with brace-friendly delimiters; every printed value escaped in one place.

Templates use ``<< value >>``, ``<% statement %>`` and ``<# comment #>``. The environment's
``finalize`` is the LaTeX counterpart of autoescape: every printed value goes through
:func:`cvrender.formats.latex.escape.escape` for the engine of the build, unless it is already a
:class:`~cvrender.formats.latex.escape.LaTeX` string; inline markup (:class:`~cvrender.context.markup.Inline`) is
rendered by :func:`inline_latex`, which escapes its text through the same function.

Macros return plain strings, which ``finalize`` would escape a second time; the academic theme
therefore composes with ``include`` and ``block`` (one template per section kind).

The backend owns the engine part of every document: the templates in ``templates/`` (loaded
as ``cvrender/...``, never shadowed by a theme) set up the class, the fonts and CJK support of the
engine, the packages, "Page X of Y", bookmarks and the preloaded-format marker, and write the
section and entry markers that error messages use. A theme's templates only lay out content.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from cvrender.context.markup import Inline, Link, Node, Span, Text, is_safe_url
from cvrender.formats.base import (
    Source,
    SourceOptions,
    context_texts,
    markup_environment,
    photo_file,
    render_template,
)
from cvrender.formats.latex.escape import ENGINES, LaTeX, escape, escape_url
from cvrender.text import is_cjk, page_template_parts
from cvrender.theming import Theme

_COMMANDS = {"strong": "textbf", "em": "emph", "code": "texttt"}


def inline_latex(inline: Inline, engine: str = "xelatex") -> LaTeX:
    """An :class:`Inline` as LaTeX: bold, italic, code and links; every text escaped here."""
    return LaTeX("".join(_node(n, engine) for n in inline.nodes))


def _node(node: Node, engine: str) -> str:
    if isinstance(node, Text):
        return escape(node.text, engine)
    inner = "".join(_node(c, engine) for c in node.children)
    if isinstance(node, Span):
        return "\\" + _COMMANDS[node.kind] + "{" + inner + "}"
    if isinstance(node, Link) and is_safe_url(node.url):
        return "\\href{" + escape_url(node.url) + "}{" + inner + "}"
    return inner


def page_label(template: str, engine: str = "xelatex") -> LaTeX:
    """``Page {page} of {pages}`` -> ``Page \\thepage{} of \\pageref*{LastPage}`` (text escaped)."""
    fields = {"{page}": r"\thepage{}", "{pages}": r"\pageref*{LastPage}"}
    return LaTeX("".join(fields.get(piece) or escape(piece, engine) for piece in page_template_parts(template)))


def hex_color(value: str) -> LaTeX:
    """``#1f3a5f`` or ``#abc`` -> ``1F3A5F`` for ``\\definecolor{..}{HTML}{..}``."""
    digits = value.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", digits):
        raise ValueError(f"not a colour: {value!r}")
    return LaTeX(digits.upper())


def href_target(url: str | None) -> LaTeX:
    """A URL for ``\\href``; empty for schemes cvrender does not link (``javascript:`` and such)."""
    if url and (is_safe_url(url) or url.startswith("tel:")):
        return escape_url(url)
    return LaTeX("")


_UNITS_PT = {"pt": 1.0, "mm": 72.27 / 25.4, "cm": 72.27 / 2.54, "in": 72.27}


def length_pt(length: str) -> float:
    """A theme length (``17mm``, ``0.75in``, ``10pt``) in TeX points."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*", length)
    if not match:
        raise ValueError(f"not a length: {length!r}")
    return float(match.group(1)) * _UNITS_PT[match.group(2)]


@dataclass(frozen=True)
class PdfFont:
    """How pdflatex gets a font: a package, and a fallback package that TeX Live always has."""

    package: str
    options: str = ""
    fallback: str = ""
    fallback_options: str = ""
    sans: bool = False


_PDF_FONTS = {
    "tex gyre pagella": PdfFont("tgpagella", "", "mathpazo", "sc"),
    "palatino": PdfFont("tgpagella", "", "mathpazo", "sc"),
    "tex gyre termes": PdfFont("tgtermes", "", "mathptmx"),
    "times": PdfFont("tgtermes", "", "mathptmx"),
    "times new roman": PdfFont("tgtermes", "", "mathptmx"),
    "tex gyre bonum": PdfFont("tgbonum", "", "bookman"),
    "tex gyre schola": PdfFont("tgschola", "", "newcent"),
    "tex gyre heros": PdfFont("tgheros", "", "helvet", "scaled=0.92", sans=True),
    "helvetica": PdfFont("tgheros", "", "helvet", "scaled=0.92", sans=True),
    "tex gyre adventor": PdfFont("tgadventor", "", "avant", sans=True),
    "latin modern roman": PdfFont("lmodern"),
    "latin modern": PdfFont("lmodern"),
    "charter": PdfFont("XCharter", "", "charter"),
    "bitstream charter": PdfFont("XCharter", "", "charter"),
}


ENGINE_TEMPLATES = Path(__file__).resolve().parent / "templates"
ENGINE_PREFIX = "cvrender"  # engine templates are "cvrender/engine.tex.j2" and so on


@dataclass(frozen=True)
class TexSetup:
    """What the engine part of the preamble needs that is decided in Python, not in the template."""

    engine: str
    cjk: bool  # load a CJK font setup: the locale is CJK or some text is
    cjk_locale: bool  # the CV's own language is Chinese/Japanese/Korean
    pdf_font: PdfFont | None
    bottom_margin: str
    footskip: str
    name_skip: str
    class_size: str  # the article class option nearest to the base size (10pt, 11pt or 12pt)
    sizes: dict[str, tuple[str, str]]  # normalsize, small, footnotesize: (size, baseline skip) in pt
    photo: str | None = None  # the photo's file name in the build folder (photo.jpg or photo.png)
    paper: str = "a4"
    margin: str = "17mm"
    accent: LaTeX = LaTeX("1F3A5F")  # for \definecolor{accent}{HTML}{..}
    latex_font: str = "TeX Gyre Pagella"  # xelatex and lualatex
    cjk_font: str = "Noto Serif CJK SC"


def needs_cjk(ctx: Any) -> bool:
    """True when the CV is in a CJK language or any of its text holds CJK characters."""
    if getattr(ctx, "cjk", False):
        return True
    return any(is_cjk(text) for text in context_texts((ctx.header, ctx.sections, ctx.labels)))


def tex_setup(ctx: Any, engine: str, warnings: list[str], *, photo: tuple[str, Path] | None) -> TexSetup:
    """Decide the engine-specific parts of the preamble (``photo`` is :func:`photo_file`'s answer)."""
    design = ctx.design
    pdf_font = None
    if engine == "pdflatex":
        name = str(design.get("latex_font", "TeX Gyre Pagella"))
        pdf_font = _PDF_FONTS.get(name.lower())
        if pdf_font is None:
            warnings.append(f"pdflatex cannot use the font '{name}' (design option latex_font); using Latin "
                            f"Modern (xelatex and lualatex can use any installed font)")
            pdf_font = _PDF_FONTS["latin modern roman"]
    margin = length_pt(str(design.get("margin", "17mm")))
    bottom = margin + length_pt("4mm")
    base = length_pt(str(design.get("font_size", "10pt")))
    return TexSetup(
        engine=engine, cjk=needs_cjk(ctx), cjk_locale=bool(getattr(ctx, "cjk", False)), pdf_font=pdf_font,
        bottom_margin=f"{bottom:.2f}pt", footskip=f"{bottom / 2 + 2:.2f}pt", name_skip="1mm",
        class_size=f"{min((10, 11, 12), key=lambda size: abs(size - base))}pt",
        sizes={name: (f"{base * ratio:.2f}", f"{base * ratio * 1.2:.2f}") for name, ratio in _SIZES.items()},
        photo=photo[0] if photo else None, paper=str(design.get("paper", "a4")),
        margin=str(design.get("margin", "17mm")), accent=hex_color(str(design.get("accent", "#1f3a5f"))),
        latex_font=str(design.get("latex_font", "TeX Gyre Pagella")),
        cjk_font=str(design.get("cjk_font", "Noto Serif CJK SC")),
    )


_SIZES = {"normalsize": 1.0, "small": 0.9, "footnotesize": 0.8}  # of the base size, as in LaTeX at 10pt


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    """Escape every printed value for the build's engine (the LaTeX form of autoescape)."""
    if isinstance(value, LaTeX):
        return value
    engine = context.get("tex_engine", "xelatex")
    if isinstance(value, Inline):
        return inline_latex(value, engine)
    if value is None:
        return LaTeX("")
    return escape(value, engine)


@jinja2.pass_context
def _page_label_filter(context: jinja2.runtime.Context, template: str) -> LaTeX:
    return page_label(template, context.get("tex_engine", "xelatex"))


def _raw(value: Any) -> LaTeX:
    """Mark text as LaTeX already (for output of ``set`` blocks built from escaped values)."""
    return LaTeX(str(value))


@dataclass(frozen=True)
class Fragment:
    """Sections of a CV for a host LaTeX document: ``body`` to ``\\input``, ``package`` (a .sty)
    with what the body needs; ``packages`` and ``macros`` are the package split in two (the
    packages it requires, without options, and the rest), for tools that assemble a preamble."""

    body: str
    package: str
    package_name: str
    packages: tuple[str, ...]
    macros: str


_PACKAGES = re.compile(r"% cvrender: packages\n(.*?)% cvrender: end of packages\n", re.S)
_REQUIRE = re.compile(r"\\RequirePackage\{([A-Za-z0-9-]+)\}")


def fragment_package_name(theme_name: str) -> str:
    """``cvrender-academic``: a .sty name from a theme name (letters, digits and dashes only)."""
    return "cvrender-" + (re.sub(r"[^A-Za-z0-9]+", "-", Path(theme_name).name).strip("-").lower() or "theme")


class LatexBackend:
    """Renders ``cv.tex.j2`` of a theme; keeps one Jinja environment per theme chain."""

    name = "latex"

    def __init__(self) -> None:
        self._envs: dict[tuple[str, ...], jinja2.Environment] = {}

    def environment(self, theme: Theme) -> jinja2.Environment:
        """The LaTeX environment of a theme chain (created once)."""
        key = tuple(str(t.path) for t in theme.chain)
        if key not in self._envs:
            engine_loader = jinja2.PrefixLoader({ENGINE_PREFIX: jinja2.FileSystemLoader(str(ENGINE_TEMPLATES))},
                                                delimiter="/")
            # the engine's templates first: a theme cannot replace them
            env = markup_environment(jinja2.ChoiceLoader([engine_loader, theme.loader("latex")]), _finalize)
            env.filters["url"] = href_target
            env.filters["hexcolor"] = hex_color
            env.filters["page_label"] = _page_label_filter
            env.filters["raw"] = _raw
            self._envs[key] = env
        return self._envs[key]

    def render(self, ctx: Any, theme: Theme, base_dir: Path | None = None, engine: str | None = None) -> Source:
        """LaTeX source for ``engine`` (default: the theme's), ready for :class:`LatexEngine`."""
        engine = engine or theme.manifest.latex_engine
        if engine not in ENGINES:
            raise ValueError(f"unknown TeX engine {engine!r}")
        warnings: list[str] = []
        photo = photo_file(ctx)
        setup = tex_setup(ctx, engine, warnings, photo=photo)
        text = render_template(self.environment(theme), "cv.tex.j2", theme, cv=ctx, design=ctx.design,
                               tex=setup, tex_engine=engine, theme_name=theme.name)
        identity = "\0".join((str(base_dir or ""), ctx.header.name, theme.name, engine))
        options = SourceOptions(
            engine=engine, design=dict(ctx.design), warnings=tuple(warnings), today=ctx.today,
            cache_key=hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20],
            files=dict([photo]) if photo else {},  # copied into the build folder by the engine
        )
        allowed = tuple(t.path for t in theme.chain) + ((base_dir,) if base_dir else ())
        return Source(text, "latex", (), base_dir, allowed, options)

    def render_fragment(self, ctx: Any, theme: Theme, engine: str | None = None, titles: bool = True) -> Fragment:
        """The context's sections as a :class:`Fragment` for a host document (no header, no page
        set-up); ``titles=False`` leaves out the section titles (the host has its own)."""
        engine = engine or theme.manifest.latex_engine
        if engine not in ENGINES:
            raise ValueError(f"unknown TeX engine {engine!r}")
        setup = tex_setup(ctx, engine, [], photo=None)
        name = fragment_package_name(theme.name)
        values = dict(cv=ctx, design=ctx.design, tex=setup, tex_engine=engine, theme_name=theme.name,
                      package_name=name, section_titles=titles)
        env = self.environment(theme)
        package = render_template(env, "fragment.sty.j2", theme, **values)
        body = render_template(env, "fragment.tex.j2", theme, **values)
        block = _PACKAGES.search(package)
        required = tuple(_REQUIRE.findall(block.group(1))) if block else ()
        macros = package[block.end():] if block else package
        macros = macros.replace("\\endinput\n", "")
        return Fragment(body, package, name, required, macros)


__all__ = ["Fragment", "LatexBackend", "fragment_package_name", "hex_color", "href_target", "inline_latex", "needs_cjk", "page_label"]
