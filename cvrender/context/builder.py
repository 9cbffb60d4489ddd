"""Profile + options -> RenderContext: every decision a backend must not make.

Which sections, in what order, with which titles; how dates, year lists and author lists read;
which author is "me" and which marks they carry; the legend; inline Markdown parsed into
:mod:`cvrender.context.markup` nodes. Backends only escape and lay out.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from typing import Any

from cvrender.context.authors import AuthorMatcher
from cvrender.context.markup import Inline, concat, link, parse, plain, strong, titled
from cvrender.context.publications import (
    awards_section,
    choose,
    publication_section,
    service_section,
)
from cvrender.context.types import (
    ContactItem,
    Entry,
    Header,
    Labels,
    Line,
    LinkItem,
    Meta,
    RenderContext,
    Row,
    Section,
    Selection,
)
from cvrender.context.words import Translator
from cvrender.errors import UsageError, Warnings
from cvrender.model import SECTION_KEYS, Profile, Publication
from cvrender.model.profile import PROFILE_LINK_PATTERNS, CustomSection, Variant
from cvrender.text import is_cjk

_LINK_PATTERNS = PROFILE_LINK_PATTERNS


def _profile_url(kind: str, value: str) -> tuple[str, str]:
    label, pattern = _LINK_PATTERNS[kind]
    if re.match(r"^https?://", value):
        return label, value
    return label, pattern.format(value.lstrip("@"))


def _display_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def _inline(value: str | None) -> Inline:
    return parse(value) if value else Inline(())


def _links(links: Any) -> tuple[LinkItem, ...]:
    return tuple(LinkItem(item.label, item.url) for item in links)


class ContextBuilder:
    """Builds a :class:`RenderContext` from a profile; one instance per build."""

    def __init__(self, profile: Profile, selection: Selection, design: dict[str, Any],
                 today: _dt.date, warnings: Warnings, photo: str | None = None):
        self.profile = profile
        self.photo = photo
        self.selection = selection
        self.design = design
        self.today = today
        self.warnings = warnings
        self.t = Translator(selection.locale or profile.locale)
        self.matcher = AuthorMatcher(profile.all_names)
        self.variant: Variant | None = profile.variants.get(selection.variant) if selection.variant else None

    # ----- header -------------------------------------------------------------------------
    def header(self) -> Header:
        """The header block."""
        p = self.profile
        contacts: list[ContactItem] = []
        for email in p.email:
            contacts.append(ContactItem("email", email, f"mailto:{email}"))
        if p.phone:
            contacts.append(ContactItem("phone", p.phone, f"tel:{re.sub(r'[^0-9+]', '', p.phone)}"))
        if p.website:
            contacts.append(ContactItem("website", _display_url(p.website), p.website))
        if p.location:
            contacts.append(ContactItem("location", p.location))
        for kind in _LINK_PATTERNS:
            value = getattr(p.links, kind)
            if value:
                label, url = _profile_url(kind, value)
                contacts.append(ContactItem(kind, label, url))
        for custom in p.links.custom:
            contacts.append(ContactItem("custom", custom.label, custom.url))
        first, second = self.t.display_names(p.name, p.native_name)  # CJK locales lead with the native name
        return Header(first, second, _inline(p.headline), tuple(contacts), self.photo)

    # ----- selection ----------------------------------------------------------------------
    def section_keys(self) -> list[str]:
        """Selected section keys in order; an unknown name in --sections or --exclude is an error."""
        p = self.profile
        _check_selection(self.selection, [*SECTION_KEYS, "selected_publications", *(s.key for s in p.sections)])
        order = list(p.section_order) if p.section_order else p.default_section_order()
        chosen: list[str] | None = None
        if self.selection.sections:
            chosen = list(self.selection.sections)
        elif self.variant and self.variant.sections:
            chosen = list(self.variant.sections)
        keys = chosen if chosen is not None else order
        excluded = set(self.selection.exclude) | set(self.variant.exclude if self.variant else ())
        return [k for k in keys if k not in excluded]

    def title(self, key: str) -> str:
        """The section title: the profile's own, else the translated default."""
        if key in self.profile.titles:
            return self.own_title(key, self.profile.titles[key])
        return self.t.titles.get(key, key.replace("_", " ").title())

    def own_title(self, key: str, title: str) -> str:
        """A title the user wrote, kept as written; a warning when its script is not the CV's
        (an English title in a Chinese CV, a Chinese one in an English CV)."""
        letters = [ch for ch in title if ch.isalpha()]
        if letters and self.t.is_cjk != is_cjk(title):
            self.warnings.add(
                f"section '{key}': the title '{title}' is kept as you wrote it, but the CV is in "
                f"'{self.t.code}'; give a title in that language with titles: {{{key}: ...}}")
        return title

    # ----- sections -----------------------------------------------------------------------
    def sections(self) -> tuple[Section, ...]:
        """Every selected, non-empty section."""
        custom = {s.key: s for s in self.profile.sections}
        out: list[Section] = []
        for key in self.section_keys():
            if key in custom:
                section = self.custom(custom[key])
            elif key in SECTION_KEYS or key == "selected_publications":
                section = getattr(self, f"s_{key}")()
            else:
                continue
            if section is not None:
                out.append(section)
        return tuple(out)

    def people(self, people: Any) -> Inline:
        """Advisors or collaborators, linked where a URL is given, joined the locale's way."""
        return self.join([link(p.name, p.url) for p in people])

    def join(self, parts: list[Inline], kind: str = "list_sep") -> Inline:
        """Inlines joined with the locale's separator, full-width only between CJK words."""
        out: list[Inline | str] = []
        for i, part in enumerate(parts):
            if i:
                out.append(self.t.separator(kind, parts[i - 1].plain, part.plain))
            out.append(part)
        return concat(*out)

    def s_about(self) -> Section | None:
        about = self.profile.about
        return Section("about", self.title("about"), "text", text=_inline(about)) if about else None

    def s_interests(self) -> Section | None:
        interests = self.profile.interests
        if not interests:
            return None
        if all(i.label is None for i in interests):
            items = [parse(x) for i in interests for x in i.items]
            return Section("interests", self.title("interests"), "text", text=self.join(items))
        rows = tuple(Row(i.label or "", self.join([parse(x) for x in i.items])) for i in interests)
        return Section("interests", self.title("interests"), "rows", rows=rows)

    def s_education(self) -> Section | None:
        entries = []
        for e in self.profile.education:
            degree = self.t.join([x for x in (e.degree, e.field) if x], "comma")
            details: list[Inline] = []
            for unit in (e.department, e.lab):
                if unit:
                    details.append(parse(unit))
            if e.minor:
                details.append(plain(self.t.label("minor") + e.minor))
            if e.advisors:
                word = self.t.label("advisor" if len(e.advisors) == 1 else "advisors")
                details.append(concat(word, self.people(e.advisors)))
            if e.thesis:
                details.append(concat(self.t.label("thesis"),
                                      link(e.thesis.title, e.thesis.url) if e.thesis.url else parse(e.thesis.title)))
            if e.gpa:
                details.append(plain(self.t.label("gpa") + e.gpa))
            entries.append(Entry(
                title=titled(e.institution, e.url), subtitle=plain(degree),
                date=self.t.date_range(e.date), location=e.location or "",
                details=tuple(details), summary=_inline(e.summary),
                highlights=tuple(parse(h) for h in e.highlights)))
        return self._entries("education", entries)

    def s_experience(self) -> Section | None:
        entries = []
        for e in self.profile.experience:
            subtitle = self.t.join([x for x in (e.role, e.team) if x], "comma")
            details: list[Inline] = []
            if e.advisors:
                word = self.t.label("advisor" if len(e.advisors) == 1 else "advisors")
                details.append(concat(word, self.people(e.advisors)))
            if e.collaborators:
                details.append(concat(self.t.label("collaborators"), self.people(e.collaborators)))
            entries.append(Entry(
                title=titled(e.organization, e.url), subtitle=plain(subtitle),
                date=self.t.date_range(e.date), location=e.location or "", details=tuple(details),
                summary=_inline(e.summary), highlights=tuple(parse(h) for h in e.highlights)))
        return self._entries("experience", entries)

    def s_teaching(self) -> Section | None:
        entries = [Entry(
            title=titled(t.course, t.url), subtitle=plain(self.t.join([x for x in (t.role, t.institution) if x], "comma")),
            date=self.t.date_range(t.date), location=t.location or "",
            highlights=tuple(parse(h) for h in t.highlights)) for t in self.profile.teaching]
        return self._entries("teaching", entries)

    def s_projects(self) -> Section | None:
        entries = [Entry(
            title=titled(p.name, p.url), subtitle=plain(p.role or ""), date=self.t.date_range(p.date),
            summary=_inline(p.summary), highlights=tuple(parse(h) for h in p.highlights),
            links=_links(p.links)) for p in self.profile.projects]
        return self._entries("projects", entries)

    def custom(self, section: CustomSection) -> Section | None:
        entries = [Entry(
            title=titled(e.title or "", e.url), subtitle=_inline(e.subtitle), date=self.t.date_range(e.date),
            location=e.location or "", summary=_inline(e.summary),
            highlights=tuple(parse(h) for h in e.highlights), links=_links(e.links)) for e in section.entries]
        if not entries:
            return None
        title = self.own_title(section.key, self.profile.titles.get(section.key, section.title))
        return Section(section.key, title, "entries", entries=tuple(entries))

    def _entries(self, key: str, entries: list[Entry]) -> Section | None:
        return Section(key, self.title(key), "entries", entries=tuple(entries)) if entries else None

    def s_awards(self) -> Section | None:

        return awards_section(self.profile.awards, self.title("awards"), self.t)

    def s_service(self) -> Section | None:

        return service_section(self.profile.service, self.title("service"))

    def s_talks(self) -> Section | None:
        lines = []
        for talk in self.profile.talks:
            where = self.t.join([x for x in (talk.event, talk.location) if x], "comma")
            title = titled(talk.title, talk.url)
            lines.append(Line(title, self.t.date_range(talk.date), plain(where),
                              joiner=self.t.line_joiner(title.plain, where), links=_links(talk.links)))
        return Section("talks", self.title("talks"), "lines", lines=tuple(lines)) if lines else None

    def s_news(self) -> Section | None:
        lines = [Line(parse(n.text), self.t.date_range(n.date)) for n in self.profile.news]
        return Section("news", self.title("news"), "lines", lines=tuple(lines)) if lines else None

    def s_skills(self) -> Section | None:
        rows = tuple(Row(s.category, plain(self.t.join(s.items))) for s in self.profile.skills)
        return Section("skills", self.title("skills"), "rows", rows=rows) if rows else None

    def s_languages(self) -> Section | None:
        rows = tuple(Row(lang.language, plain(lang.level or "")) for lang in self.profile.languages)
        return Section("languages", self.title("languages"), "rows", rows=rows) if rows else None

    # ----- publications (the logic lives in cvrender.context.publications) ---------------------------
    def chosen_publications(self, selected_only: bool = False) -> list[Publication]:
        """Publications after de-duplication, the profile's and the variant's filters, in order."""

        options = self.variant.publications if self.variant else None
        return choose(self.profile.publications, options, selected_only, self.warnings)

    def s_publications(self) -> Section | None:
        return self._publications("publications", self.chosen_publications())

    def s_selected_publications(self) -> Section | None:
        pubs = self.chosen_publications(selected_only=True)
        if not pubs and self.profile.publications.items:
            self.warnings.add("section 'selected_publications' is empty: mark publications with 'selected: true'")
        return self._publications("selected_publications", pubs)

    def _publications(self, key: str, pubs: list[Publication]) -> Section | None:

        with_abstract = sum(1 for p in pubs if p.abstract)
        if with_abstract:
            self.warnings.add(f"publications: {with_abstract} 'abstract' field(s) are not printed: no theme "
                              "shows abstracts in a CV")

        return publication_section(key, self.title(key), pubs, self.profile.publications, self.matcher,
                                   self.t, self.warnings, self.profile.name)

    # ----- all ----------------------------------------------------------------------------
    def build(self) -> RenderContext:
        """The finished context."""
        p = self.profile
        keywords = tuple(x for i in p.interests for x in (parse(y).plain for y in i.items))
        meta = Meta(
            title=f"{p.name} – Curriculum Vitae", author=p.name,
            subject=parse(p.headline).plain if p.headline else "Curriculum Vitae",
            keywords=keywords, lang=self.t.html_lang, date=self.today)
        labels = Labels(page_template=self.t.word("page", page="{page}", pages="{pages}"),
                        present=self.t.word("present"))
        return RenderContext(
            header=self.header(), sections=self.sections(), meta=meta, labels=labels,
            design=dict(self.design), locale=self.t.html_lang, cjk=self.t.is_cjk, today=self.today)


def _check_selection(selection: Selection, known: list[str]) -> None:
    """Every name given to select or exclude must be a section the profile can have; the error names
    the parameter (``sections``) or flag (``--sections``) the caller used."""
    for option, names in ((selection.sections_label, selection.sections or ()),
                          (selection.exclude_label, selection.exclude)):
        for name in names:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise UsageError(f"{option}: no section is called '{name}'; {hint}(sections: {', '.join(known)})")


def build_context(profile: Profile, selection: Selection | None = None, design: dict[str, Any] | None = None,
                  today: _dt.date | None = None, warnings: Warnings | None = None,
                  photo: str | None = None) -> RenderContext:
    """Profile + selection + design options -> :class:`RenderContext`.

    ``photo`` is the photo's checked file URI (see :func:`cvrender.api.resolve_photo`); the
    context never touches the disk.
    """
    return ContextBuilder(profile, selection or Selection(), design or {}, today or _dt.date.today(),
                          warnings if warnings is not None else Warnings(), photo).build()


__all__ = ["RenderContext", "Selection", "build_context", "strong"]
