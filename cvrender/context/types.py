"""The render context: the frozen dataclasses every template sees (no logic; built by
:mod:`cvrender.context.builder` and :mod:`cvrender.context.publications`)."""

from __future__ import annotations

import datetime as _dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from cvrender.context.markup import Inline


def display_width(text: str) -> int:
    """The width of ``text`` in character cells: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class ContactItem:
    """One item of the header's contact line."""

    kind: str
    text: str
    url: str | None = None

    @property
    def whole(self) -> bool:
        """Short enough that a theme can keep it on one line when the contact line wraps (about a
        third of a line at most; East Asian wide characters count twice). Longer items, a
        200-character URL say, must be allowed to wrap or they would run off the page."""
        return display_width(self.text) <= 48


@dataclass(frozen=True)
class LinkItem:
    """A labelled link ([PDF], [code])."""

    label: str
    url: str


@dataclass(frozen=True)
class Entry:
    """A generic entry: education, position, project, teaching, custom."""

    title: Inline
    subtitle: Inline = field(default_factory=lambda: Inline(()))
    date: str = ""
    location: str = ""
    details: tuple[Inline, ...] = ()
    summary: Inline = field(default_factory=lambda: Inline(()))
    highlights: tuple[Inline, ...] = ()
    links: tuple[LinkItem, ...] = ()


@dataclass(frozen=True)
class Line:
    """A one-line item with an optional date or years on the right: awards, talks, news."""

    text: Inline
    date: str = ""
    detail: Inline = field(default_factory=lambda: Inline(()))
    joiner: str = ", "  # printed between text and detail: ", ", "，", or " " after a title ending in "?"
    links: tuple[LinkItem, ...] = ()


@dataclass(frozen=True)
class Row:
    """A labelled row: skills, languages, service roles, interests under a heading."""

    label: str
    text: Inline


@dataclass(frozen=True)
class AuthorItem:
    """An author as printed: the name, whether it is the owner, and marks such as ``*``."""

    name: str
    is_me: bool
    marks: str = ""
    roles: tuple[str, ...] = ()
    is_others: bool = False  # "et al." (or "…" where a long list was shortened)


@dataclass(frozen=True)
class PubItem:
    """A publication as printed."""

    number: str
    title: Inline
    authors: tuple[AuthorItem, ...]
    venue: str
    year: str
    notes: tuple[Inline, ...]
    links: tuple[LinkItem, ...]
    type: str
    id: str = ""
    venue_short: str = ""
    venue_long: str = ""
    selected: bool = False
    abstract: Inline = field(default_factory=lambda: Inline(()))  # printed by the web page, not the PDF


@dataclass(frozen=True)
class PubGroup:
    """Publications under an optional sub-heading (a year, a type)."""

    title: str
    items: tuple[PubItem, ...]
    key: str = ""  # the year, the type (journal, conference...) or "forthcoming"


@dataclass(frozen=True)
class Section:
    """A CV section. ``kind`` picks the template: text, entries, lines, rows, publications."""

    key: str
    title: str
    kind: str
    text: Inline = field(default_factory=lambda: Inline(()))
    entries: tuple[Entry, ...] = ()
    lines: tuple[Line, ...] = ()
    rows: tuple[Row, ...] = ()
    groups: tuple[PubGroup, ...] = ()
    legend: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Header:
    """Name, native-script name, headline and contact line."""

    name: str
    native_name: str
    headline: Inline
    contacts: tuple[ContactItem, ...]
    photo: str | None = None


@dataclass(frozen=True)
class Meta:
    """PDF metadata."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    lang: str
    date: _dt.date


@dataclass(frozen=True)
class Labels:
    """Translated words a template prints (page numbering)."""

    page_template: str
    present: str


@dataclass(frozen=True)
class RenderContext:
    """Everything a theme template sees."""

    header: Header
    sections: tuple[Section, ...]
    meta: Meta
    labels: Labels
    design: dict[str, Any]
    locale: str
    cjk: bool
    today: _dt.date

    # Layout decisions a theme asks for through its options, made here rather than in templates.
    @property
    def sidebar(self) -> tuple[Section, ...]:
        """The sections a theme sets in its sidebar: those its ``sidebar_sections`` option names."""
        keys = self.design.get("sidebar_sections") or ()
        return tuple(s for s in self.sections if s.key in keys)

    @property
    def main(self) -> tuple[Section, ...]:
        """The sections of the main column: every section not in :attr:`sidebar`."""
        keys = self.design.get("sidebar_sections") or ()
        return tuple(s for s in self.sections if s.key not in keys)

    @property
    def long_name(self) -> bool:
        """Whether the name (with the native name) is wider than the theme's ``long_name`` option,
        in characters (a CJK character counts two): a header that sets the contact details beside
        the name then sets them below it."""
        limit = self.design.get("long_name")
        if limit is None:
            return False
        return display_width(self.header.name + self.header.native_name) > limit


@dataclass(frozen=True)
class Selection:
    """Which sections go in, in what order, and which publications."""

    sections: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    variant: str | None = None
    locale: str | None = None
    sections_label: str = "sections"  # how errors name where the sections were given (--sections from the CLI)
    exclude_label: str = "exclude"
