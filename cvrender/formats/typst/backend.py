"""Typst backend: Jinja with delimiters that leave Typst's syntax alone; every printed value escaped.

Templates use ``<< value >>``, ``<% statement %>`` and ``<# comment #>`` (Typst needs ``#``,
``{}`` and ``[]`` itself). The environment's ``finalize`` escapes every printed value as Typst
markup (:func:`~cvrender.formats.typst.escape.escape`) unless it is already
:class:`~cvrender.formats.typst.escape.Typst`; inline markup is rendered from the markup IR.
Values used in code (colours, lengths, strings, link targets) go through the filters
``color``, ``length``, ``string`` and ``url``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from cvrender.context.markup import Inline
from cvrender.formats.base import (
    Source,
    SourceOptions,
    context_texts,
    markup_environment,
    photo_file,
    render_template,
)
from cvrender.formats.typst.escape import Typst, escape, inline_typst, page_label, string, url
from cvrender.text import is_cjk
from cvrender.theming import Theme

# Families tried after the theme's own, so that every machine finds a face: TeX Live's and
# Debian's, the CJK fonts of the ``cjk`` extra (pip), DejaVu, then the fonts inside Typst itself.
SERIF_FALLBACK = ("TeX Gyre Pagella", "DejaVu Serif", "Libertinus Serif")
SANS_FALLBACK = ("TeX Gyre Heros", "DejaVu Sans", "Noto Sans", "Libertinus Serif")
CJK_SERIF = ("Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Noto Sans CJK SC", "Noto Sans SC")
CJK_SANS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Noto Serif CJK SC", "Noto Serif SC")
_SANS = re.compile(r"sans|heros|helvetica|arial|adventor|inter\b|roboto|lato|fira|open", re.IGNORECASE)


def is_sans(family: str) -> bool:
    """Whether a family name looks like a sans-serif face (it chooses the fallbacks)."""
    return bool(_SANS.search(family))


def font_list(design: dict[str, Any]) -> tuple[str, ...]:
    """The families for body text, in order: the theme's font, Latin fallbacks, then CJK fonts
    (after the Latin ones: a CJK font's Latin letters are not the theme's), then Typst's own
    Libertinus Serif (before the CJK fonts in a serif theme)."""
    main = str(design.get("font", "TeX Gyre Pagella"))
    latin = (main, *(SANS_FALLBACK if is_sans(main) else SERIF_FALLBACK))
    order = (*latin, *cjk_list(design))
    if is_sans(main):  # Typst's own Libertinus is a serif: a sans CJK font's Latin letters come first
        order = (*latin[:-1], *cjk_list(design), latin[-1])
    families: dict[str, str] = {}
    for family in order:
        families.setdefault(family.lower(), family)
    return tuple(families.values())


def cjk_list(design: dict[str, Any]) -> tuple[str, ...]:
    """The theme's CJK font, then the CJK fonts of the same style that cvrender knows."""
    cjk = str(design.get("cjk_font", "Noto Serif CJK SC"))
    return tuple(dict.fromkeys((cjk, *(CJK_SANS if is_sans(cjk) else CJK_SERIF))))


@dataclass(frozen=True)
class TypstSourceOptions(SourceOptions):
    """What the Typst engine needs besides the text: the families asked for (to name characters no
    font shows) and whether CJK text needs a CJK font."""

    fonts: tuple[str, ...] = ()
    cjk_fonts: tuple[str, ...] = ()
    cjk: bool = False  # the text holds Chinese, Japanese or Korean


@dataclass(frozen=True)
class TypstSetup:
    """What the template needs that is decided in Python, not in the template."""

    fonts: tuple[str, ...]
    cjk_fonts: tuple[str, ...]
    cjk_locale: bool  # the CV's own language is
    lang: str  # Typst's text language (ISO 639-1)
    region: str | None
    date: _dt.date
    photo: str | None = None  # the photo's file name in the build folder


def _lang(locale: str) -> tuple[str, str | None]:
    parts = re.split(r"[-_]", locale or "en")
    lang = parts[0].lower() if parts and re.fullmatch(r"[A-Za-z]{2,3}", parts[0]) else "en"
    region = None
    if lang == "zh":
        region = "TW" if any(p.lower() in ("hant", "tw", "hk") for p in parts[1:]) else "CN"
    return lang, region


def typst_setup(ctx: Any, photo: tuple[str, Path] | None) -> TypstSetup:
    """Decide fonts, language and the photo's file name."""
    design = ctx.design
    lang, region = _lang(getattr(ctx, "locale", "en"))
    return TypstSetup(fonts=font_list(design), cjk_fonts=cjk_list(design),
                      cjk_locale=bool(getattr(ctx, "cjk", False)), lang=lang, region=region,
                      date=ctx.today, photo=photo[0] if photo else None)


def _finalize(value: Any) -> Any:
    """Escape every printed value (the Typst form of autoescape)."""
    if isinstance(value, Typst):
        return value
    if isinstance(value, Inline):
        return inline_typst(value)
    if value is None:
        return Typst("")
    return escape(value)


def _color(value: str) -> Typst:
    """``#1f3a5f`` -> ``rgb("#1f3a5f")``."""
    digits = str(value).strip().lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{3}|[0-9a-fA-F]{6}", digits):
        raise ValueError(f"not a colour: {value!r}")
    return Typst(f'rgb("#{digits.lower()}")')


def _length(value: str) -> Typst:
    """A theme length (``17mm``, ``0.75in``, ``10pt``) as a Typst length."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*", str(value))
    if not match:
        raise ValueError(f"not a length: {value!r}")
    return Typst(match.group(1) + match.group(2))


def _strings(values: Any) -> Typst:
    """A tuple of string literals: ``("a", "b",)``."""
    return Typst("(" + "".join(string(v) + ", " for v in values) + ")")


def _date(value: _dt.date) -> Typst:
    return Typst(f"datetime(year: {value.year}, month: {value.month}, day: {value.day})")


def _wide(value: Any) -> Typst:
    """``true`` for text too long to sit beside its line (over 40 characters): the template gives it
    half the line instead of letting it squeeze the line's own text."""
    return Typst("true" if len(str(value)) > 40 else "false")


LONG_TEXT = 1000  # characters: about half a page of a CV's lines


# Fields of an entry, line or publication that the PDF does not print (the web page may).
_NOT_PRINTED = frozenset({"abstract", "id", "venue_short", "venue_long", "type", "url", "roles", "key", "selected"})


def _printed_length(value: Any) -> int:
    """Characters of text an entry prints (its fields that the PDF shows)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(_printed_length(getattr(value, f.name)) for f in dataclasses.fields(value)
                   if f.name not in _NOT_PRINTED)
    if isinstance(value, (tuple, list)):
        return sum(_printed_length(item) for item in value)
    return sum(len(text) for text in context_texts(value))


def _long(value: Any) -> Typst:
    """``true`` for an entry with more text than fits in about half a page: the template lets it
    break across pages (a shorter one is kept on one page)."""
    return Typst("true" if _printed_length(value) > LONG_TEXT else "false")


def _raw(value: Any) -> Typst:
    """Mark text as Typst already (for ``set`` blocks built from escaped values)."""
    return Typst(str(value))


class TypstBackend:
    """Renders ``cv.typ.j2`` of a theme; keeps one Jinja environment per theme chain."""

    name = "typst"

    def __init__(self) -> None:
        self._envs: dict[tuple[str, ...], jinja2.Environment] = {}

    def environment(self, theme: Theme) -> jinja2.Environment:
        """The Typst environment of a theme chain (created once)."""
        key = tuple(str(t.path) for t in theme.chain)
        if key not in self._envs:
            env = markup_environment(theme.loader("typst"), _finalize)
            env.filters.update(url=url, string=string, strings=_strings, color=_color, length=_length,
                               page_label=page_label, date=_date, raw=_raw, wide=_wide, long=_long)
            self._envs[key] = env
        return self._envs[key]

    def render(self, ctx: Any, theme: Theme, base_dir: Path | None = None) -> Source:
        """Typst source, ready for :class:`~cvrender.formats.typst.engine.TypstEngine`."""
        photo = photo_file(ctx)
        setup = typst_setup(ctx, photo)
        text = render_template(self.environment(theme), "cv.typ.j2", theme, cv=ctx, design=ctx.design,
                               typ=setup, theme_name=theme.name)
        identity = "\0".join((str(base_dir or ""), ctx.header.name, theme.name))
        options = TypstSourceOptions(
            engine="typst", design=dict(ctx.design), today=ctx.today,
            cache_key=hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20],
            files=dict([photo]) if photo else {},  # copied into the build folder by the engine
            fonts=setup.fonts, cjk_fonts=setup.cjk_fonts, cjk=is_cjk("".join(set(text))),  # each character once
        )
        allowed = tuple(t.path for t in theme.chain) + ((base_dir,) if base_dir else ())
        return Source(text, "typst", (), base_dir, allowed, options)


__all__ = ["TypstBackend", "TypstSetup", "TypstSourceOptions", "font_list", "is_sans", "typst_setup"]
