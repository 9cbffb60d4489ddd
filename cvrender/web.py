"""The CV as a web page: ``index.html`` for screens beside the PDF of the same CV.

One profile gives both: the page is rendered from the same :class:`RenderContext` as the PDF
(same sections, same data), with a theme's ``web/`` templates, which may import the theme's
print templates (the loader looks in ``web/`` first, then in ``html/``). Machine-readable data
(schema.org JSON-LD) is built here as Python data and serialised once, never assembled as text.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import jinja2
from markupsafe import Markup

from cvrender.context.markup import Inline, Link
from cvrender.context.types import PubItem, RenderContext
from cvrender.errors import ThemeError, Warnings
from cvrender.files import atomic_write, safe_stem
from cvrender.formats.base import render_template
from cvrender.formats.html.backend import _finalize, _safe_url, css_page_content, css_string
from cvrender.model import Profile
from cvrender.theming import Theme

PAGE_TEMPLATE = "page.html.j2"
SCREEN_CSS_TEMPLATE = "screen.css.j2"
PRINT_CSS_TEMPLATE = "print.css.j2"
INDEX_TEMPLATE = "index.html.j2"
SOURCE_TEMPLATE = "source.html.j2"
LAB_TEMPLATE = "lab.html.j2"
SCREEN_CSS = "screen.css"
PRINT_CSS = "print.css"

# profile link kinds that name the same person elsewhere (schema.org ``sameAs``)
SAME_AS_KINDS = ("orcid", "scholar", "github", "dblp", "semantic_scholar", "linkedin", "x", "website")


# what `cvrender theme new` writes in web/ when the parent has a web page
SCAFFOLD: dict[str, str] = {
    "screen.css.j2": (
        "{#- $name: $parent's web page stylesheet first, then your rules in the theme block ($blocks).\n"
        "    The page is the html/ document for screens; web/ may also hold page.html.j2. -#}\n"
        '{% extends "!$parent/screen.css.j2" %}\n'
        "{% block theme %}\n"
        "{{ super() }}\n"
        "/* Your rules for screens, e.g.: .name { letter-spacing: 0.02em; } */\n"
        "{% endblock %}\n"
    ),
}

# words the page prints that the PDF does not
WEB_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "pdf": "Download PDF", "updated": "Last updated", "sections": "Sections",
        "abstract": "Abstract", "members": "Members", "link": "Link to this publication",
    },
    "zh": {
        "pdf": "下载 PDF", "updated": "更新于", "sections": "栏目", "abstract": "摘要", "members": "成员",
        "link": "本文链接",
    },
    "zh_Hant": {
        "pdf": "下載 PDF", "updated": "更新於", "sections": "欄目", "abstract": "摘要", "members": "成員",
        "link": "本文連結",
    },
    "ja": {
        "pdf": "PDF をダウンロード", "updated": "最終更新", "sections": "目次", "abstract": "概要", "members": "メンバー",
        "link": "この論文へのリンク",
    },
    "de": {
        "pdf": "PDF herunterladen", "updated": "Zuletzt aktualisiert", "sections": "Abschnitte",
        "abstract": "Zusammenfassung", "members": "Mitglieder", "link": "Link zu dieser Publikation",
    },
    "fr": {
        "pdf": "Télécharger le PDF", "updated": "Mis à jour le", "sections": "Sections",
        "abstract": "Résumé", "members": "Membres", "link": "Lien vers cette publication",
    },
    "es": {
        "pdf": "Descargar PDF", "updated": "Actualizado el", "sections": "Secciones",
        "abstract": "Resumen", "members": "Miembros", "link": "Enlace a esta publicación",
    },
}


def web_words(locale: str) -> dict[str, str]:
    """The page's own words in a locale (English where a word is missing)."""
    from cvrender.context.words import table_key

    return {**WEB_WORDS["en"], **WEB_WORDS.get(table_key(locale), {})}


def og_locale(locale: str) -> str:
    """OpenGraph's ``language_TERRITORY`` for a locale: ``en`` -> ``en_US``, ``zh-Hant`` -> ``zh_TW``."""
    from babel.core import get_global

    from cvrender.context.words import babel_locale

    loc = babel_locale(locale)
    if loc.territory:
        return f"{loc.language}_{loc.territory}"
    likely = get_global("likely_subtags")
    full = likely.get(f"{loc.language}_{loc.script}" if loc.script else loc.language, "")
    territory = full.rsplit("_", 1)[-1] if full.count("_") >= 2 else ""
    return f"{loc.language}_{territory}" if territory else loc.language


def long_date(day: _dt.date, locale: str) -> str:
    """``15 Jan 2026`` / ``2026年1月15日``, the locale's way."""
    from babel.dates import format_skeleton

    from cvrender.context.words import babel_locale

    return format_skeleton("yMMMd", day, locale=babel_locale(locale))


# ----- JSON-LD ------------------------------------------------------------------------------

_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(data: Any) -> Markup:
    """``data`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` become
    ``\\u`` escapes, so no string in it can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Markup(text.translate(_SCRIPT_ESCAPES))


def _plain(value: Inline | str | None) -> str:
    if value is None:
        return ""
    return value.plain if isinstance(value, Inline) else str(value)


def _title_url(title: Inline) -> str | None:
    """The link a title carries (a publication's ``url``), if it is one whole link."""
    links = [n for n in title.nodes if isinstance(n, Link)]
    return links[0].url if len(links) == 1 else None


def _doi(pub: PubItem) -> str | None:
    for link in pub.links:
        parts = urlsplit(link.url)
        if parts.netloc.lower() in ("doi.org", "dx.doi.org") and parts.path.strip("/"):
            return unquote(parts.path.strip("/"))
    return None


_VENUE_TYPES = {"journal": "Periodical", "conference": "Book", "workshop": "Book"}


def article_json(pub: PubItem, page_url: str, anchor: str) -> dict[str, Any]:
    """A publication as a schema.org ``ScholarlyArticle``."""
    data: dict[str, Any] = {"@type": "ScholarlyArticle", "@id": f"{page_url}#{anchor}",
                            "name": _plain(pub.title), "headline": _plain(pub.title)[:110]}
    authors = [{"@type": "Person", "name": a.name} for a in pub.authors if not a.is_others]
    if authors:
        data["author"] = authors
    if pub.year:
        data["datePublished"] = pub.year
    venue = pub.venue_long or pub.venue
    if venue:
        data["isPartOf"] = {"@type": _VENUE_TYPES.get(pub.type, "CreativeWork"), "name": venue}
    doi = _doi(pub)
    if pub.abstract:
        data["abstract"] = pub.abstract.plain
    if doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": doi}
    links = [url for url in [_title_url(pub.title), *(lk.url for lk in pub.links)] if url]
    if links:
        data["url"] = links[0]
        if len(links) > 1:
            data["sameAs"] = list(dict.fromkeys(links[1:]))
    return data


def _ongoing_first(items: Iterable[Any]) -> list[Any]:
    dated = [i for i in items if i.date is not None]
    return sorted(dated, key=lambda i: i.date.sort_key(), reverse=True)


def person_json(profile: Profile, ctx: RenderContext, page_url: str, photo: str | None) -> dict[str, Any]:
    """The researcher as a schema.org ``Person``: names, position, affiliation, contacts, profiles."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person",
                            "@id": f"{page_url}#person", "name": profile.name}
    alternate = [n for n in [profile.native_name, *profile.aliases] if n and n != profile.name]
    if alternate:
        data["alternateName"] = alternate[0] if len(alternate) == 1 else alternate
    if profile.headline:
        data["description"] = _plain(profile.headline)
    jobs = _ongoing_first(profile.experience)
    studies = _ongoing_first(profile.education)
    latest = max(jobs[:1] + studies[:1], key=lambda i: i.date.sort_key(), default=None)
    if latest is not None:
        role = getattr(latest, "role", None) or getattr(latest, "degree", None)
        if role:
            data["jobTitle"] = role
        org_name = _plain(getattr(latest, "organization", None) or getattr(latest, "institution", None))
        org_type = "EducationalOrganization" if latest in studies else "Organization"
        org: dict[str, Any] = {"@type": org_type, "name": org_name}
        if latest.url:
            org["url"] = latest.url
        data["affiliation"] = org
    alumni = [{"@type": "EducationalOrganization", "name": _plain(e.institution), **({"url": e.url} if e.url else {})}
              for e in studies if e is not latest]
    if alumni:
        data["alumniOf"] = alumni
    if profile.email:
        data["email"] = profile.email[0] if len(profile.email) == 1 else list(profile.email)
    if profile.website:
        data["url"] = profile.website
    same_as = [c.url for c in ctx.header.contacts if c.kind in SAME_AS_KINDS and c.url and c.url != profile.website]
    same_as += [c.url for c in ctx.header.contacts if c.kind == "custom" and c.url]
    if same_as:
        data["sameAs"] = list(dict.fromkeys(same_as))
    if photo:
        data["image"] = photo
    if profile.interests:
        data["knowsAbout"] = [_plain(item) for interest in profile.interests for item in interest.items]
    return data


# ----- anchors ------------------------------------------------------------------------------

def slug(text: str) -> str:
    """A readable fragment identifier: ASCII letters, digits and '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def publication_anchors(ctx: RenderContext) -> dict[int, str]:
    """An anchor for every publication item (by ``id()``); a publication listed twice (selected
    and full list) keeps the first anchor for the first listing and a numbered one after."""
    anchors: dict[int, str] = {}
    used: set[str] = {s.key for s in ctx.sections}
    for section in ctx.sections:
        for group in section.groups:
            for n, pub in enumerate(group.items, 1):
                words = slug(_plain(pub.title)).split("-")[:6]
                base = "pub-" + (slug(pub.id) if pub.id and slug(pub.id) else
                                 "-".join(filter(None, [pub.year, *words])) or f"{section.key}-{n}")
                anchor, k = base, 2
                while anchor in used:
                    anchor, k = f"{base}-{k}", k + 1
                used.add(anchor)
                anchors[id(pub)] = anchor
    return anchors


def _same_work(pub: PubItem) -> tuple[str, str]:
    return (_plain(pub.title).casefold(), pub.year)


def publications_json(ctx: RenderContext, anchors: dict[int, str], page_url: str) -> list[dict[str, Any]]:
    """Every publication on the page once, as ``ScholarlyArticle`` objects."""
    seen: set[tuple[str, str]] = set()
    out = []
    for section in ctx.sections:
        for group in section.groups:
            for pub in group.items:
                if _same_work(pub) in seen:
                    continue
                seen.add(_same_work(pub))
                out.append(article_json(pub, page_url, anchors[id(pub)]))
    return out


# ----- rendering ----------------------------------------------------------------------------

@dataclass(frozen=True)
class WebPage:
    """A rendered page: its HTML and its two stylesheets (screen, print)."""

    html: str
    screen_css: str
    print_css: str


@dataclass
class WebResult:
    """What ``cvrender web`` wrote."""

    index: Path
    pdf: Path | None
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0


_envs: dict[tuple[str, ...], tuple[jinja2.Environment, jinja2.Environment]] = {}


def web_loader(theme: Theme) -> jinja2.BaseLoader:
    """Templates from the theme chain's ``web/`` folders first, then its print (``html/``) ones,
    so a web page can import the print macros of the same theme."""
    return jinja2.ChoiceLoader([theme.loader("web"), theme.loader("html")])


def environments(theme: Theme) -> tuple[jinja2.Environment, jinja2.Environment]:
    """The autoescaped HTML environment and the CSS environment for a theme's web page."""
    key = tuple(str(t.path) for t in theme.chain)
    if key not in _envs:
        loader = web_loader(theme)
        html_env = jinja2.Environment(
            loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, finalize=_finalize,
            trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        html_env.filters["url"] = _safe_url
        css_env = jinja2.Environment(
            loader=loader, autoescape=False, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        css_env.filters["css_page_content"] = css_page_content
        css_env.filters["css_string"] = css_string
        _envs[key] = (html_env, css_env)
    return _envs[key]


def forget_templates() -> None:
    """Drop compiled web templates (after a theme's files changed)."""
    _envs.clear()


def has_web_templates(theme: Theme) -> bool:
    """True when the theme (or a parent) has a web page template."""
    return any((d / PAGE_TEMPLATE).is_file() for d in theme.template_dirs("web"))


def render_page(profile: Profile, ctx: RenderContext, theme: Theme, *, pdf_name: str | None,
                photo_name: str | None, page_url: str = "", template: str = PAGE_TEMPLATE,
                about: dict[str, Any] | None = None, **extra: Any) -> WebPage:
    """The page and its stylesheets; ``photo_name`` and ``pdf_name`` are file names beside it.
    ``about`` replaces the schema.org Person of the profile (a lab page describes its lab);
    ``extra`` values go to the template as they are."""
    if not has_web_templates(theme):
        raise ThemeError(f"theme '{theme.name}' has no web page (web/{PAGE_TEMPLATE} in the theme folder)")
    html_env, css_env = environments(theme)
    web_ctx = dataclasses.replace(ctx, header=dataclasses.replace(ctx.header, photo=photo_name))
    anchors = publication_anchors(web_ctx)
    person = about or person_json(profile, web_ctx, page_url, photo_name)
    articles = publications_json(web_ctx, anchors, page_url)
    description = _plain(profile.headline) or f"CV of {profile.name}"
    values = {
        "cv": web_ctx, "design": ctx.design,
        "web": {
            "pdf": pdf_name, "screen_css": SCREEN_CSS, "print_css": PRINT_CSS,
            "person_json": script_json(person),
            "publications_json": script_json({"@context": "https://schema.org", "@graph": articles})
            if articles else None,
            "description": description, "og_locale": og_locale(ctx.locale),
            "photo": photo_name, "name": profile.name, "page_url": page_url,
            "absolute": lambda name: urljoin(page_url, name) if page_url else name,
            "anchor": lambda pub: anchors[id(pub)], "words": web_words(ctx.locale), "updated": long_date(ctx.today, ctx.locale),
        },
    }
    html = render_template(html_env, template, theme, **values, **extra)
    screen = render_template(css_env, SCREEN_CSS_TEMPLATE, theme, cv=web_ctx, design=ctx.design)
    printed = render_template(css_env, PRINT_CSS_TEMPLATE, theme, cv=web_ctx, design=ctx.design)
    return WebPage(html, screen, printed)


def write_html_source(prepared: Any, rendered: Any, target: Path) -> Path:
    """Write the HTML a PDF was made from to ``target`` with its stylesheet beside it
    (``<stem>.css``, linked from the page when the theme has ``web/source.html.j2``), for
    ``build --emit-source``. ``prepared``: the build's :class:`~cvrender.api.Prepared`."""
    theme, ctx = prepared.theme, prepared.ctx
    stylesheet = atomic_write(target.with_suffix(".css"), "\n".join(rendered.stylesheets))
    if not any((d / SOURCE_TEMPLATE).is_file() for d in theme.template_dirs("web")):
        return atomic_write(target, rendered.text)
    html_env, _ = environments(theme)
    html = render_template(html_env, SOURCE_TEMPLATE, theme, cv=ctx, design=ctx.design, stylesheet=stylesheet.name)
    return atomic_write(target, html)


def _photo_name(photo_uri: str | None) -> tuple[Path | None, str | None]:
    if not photo_uri:
        return None, None
    path = Path(unquote(urlsplit(photo_uri).path))
    return path, "photo" + path.suffix.lower()


def page_files(profile: Profile, ctx: RenderContext, theme: Theme, pdf_name: str | None,
               page_url: str = "", **options: Any) -> dict[str, bytes]:
    """The files of the page, by name: ``index.html``, its stylesheets and the photo
    (``options``: those of :func:`render_page`)."""
    photo_path, photo_name = _photo_name(ctx.header.photo)
    page = render_page(profile, ctx, theme, pdf_name=pdf_name, photo_name=photo_name, page_url=page_url, **options)
    files = {"index.html": page.html.encode("utf-8"), SCREEN_CSS: page.screen_css.encode("utf-8"),
             PRINT_CSS: page.print_css.encode("utf-8")}
    if photo_path is not None and photo_name is not None:
        files[photo_name] = photo_path.read_bytes()
    return files


def write_site(source: Any, options: Any, outdir: str | Path, builder: Any = None,
               with_pdf: bool = True, page_url: str = "", pdf_from: Path | None = None) -> WebResult:
    """Write ``outdir/index.html`` (with its stylesheets and photo) and, unless ``with_pdf`` is
    false, the PDF of the same CV beside it (``pdf_from``: copy that PDF, built already, instead).
    ``options`` are the build's :class:`BuildOptions`."""
    from cvrender.api import default_builder

    builder = builder or default_builder()
    outdir = Path(outdir)
    warnings = Warnings()
    prepared = builder.prepare(source, options, warnings)
    loaded, theme, ctx = prepared.loaded, prepared.theme, prepared.ctx
    written: list[Path] = []
    pdf_path: Path | None = None
    pages = 0
    if pdf_from is not None:
        pdf_path = atomic_write(outdir / pdf_from.name, pdf_from.read_bytes())
        written.append(pdf_path)
    elif with_pdf:
        rendered = builder.render(prepared.format, ctx, loaded.base_dir)
        pdf = builder.compile_source(prepared.format, rendered, warnings)
        pdf_path = atomic_write(outdir / (safe_stem(loaded.profile.name) + ".pdf"), pdf.data)
        pages = pdf.pages
        written.append(pdf_path)
    files = page_files(loaded.profile, ctx, theme, pdf_path.name if pdf_path else None, page_url)
    written += [atomic_write(outdir / name, data) for name, data in files.items() if name != "index.html"]
    index = atomic_write(outdir / "index.html", files["index.html"])  # last: the page appears complete
    written.append(index)
    return WebResult(index, pdf_path, written, list(warnings.items), pages)


# ----- many pages: batch and labs ------------------------------------------------------------

@dataclass(frozen=True)
class MemberPage:
    """A page written for one profile of a batch."""

    name: str
    headline: Inline
    folder: Path
    pdf: Path | None
    lab: str | None = None


def write_batch_pages(outcomes: Iterable[Any], web_dir: str | Path) -> list[MemberPage]:
    """A page per built (or up-to-date) profile of a batch, in ``web_dir/<name>/``, with the PDF
    the batch built copied beside it."""
    from cvrender.batch import task_for
    from cvrender.sources.loading import load_profile

    web_dir = Path(web_dir)
    pages: list[MemberPage] = []
    used: set[str] = set()
    for outcome in sorted((o for o in outcomes if o.ok), key=lambda o: o.index):
        task = task_for(outcome.index, outcome.job)
        warnings = Warnings()
        loaded = load_profile(task.profile, task.options.locale)
        if task.member is not None:
            from cvrender.lab import apply_member

            loaded = apply_member(loaded, task.member, warnings, theme=task.options.theme)
        base = slug(loaded.profile.name) or "cv"
        folder, n = base, 2
        while folder in used:
            folder, n = f"{base}-{n}", n + 1
        used.add(folder)
        pdf = outcome.pdf_path if outcome.pdf_path and Path(outcome.pdf_path).is_file() else None
        result = write_site(loaded, task.options, web_dir / folder, with_pdf=False, pdf_from=pdf)
        pages.append(MemberPage(loaded.profile.name, _headline(loaded.profile), result.index.parent, result.pdf,
                                task.member.lab_name if task.member is not None else None))
    return pages


def _headline(profile: Profile) -> Inline:
    from cvrender.context.markup import parse

    return parse(profile.headline) if isinstance(profile.headline, str) else (profile.headline or Inline(()))


def write_lab_index(lab_file: str | Path, members: list[MemberPage], web_dir: str | Path, *,
                    today: _dt.date | None = None, locale: str | None = None, with_pdf: bool = True) -> WebResult:
    """``web_dir/index.html`` for a lab: its members (each linked to their page) and the lab's
    publication list, with the list's PDF beside it."""
    from cvrender.api import default_backend, default_builder
    from cvrender.lab import lab_context, lab_publications, load_lab, publications_file_name
    from cvrender.theming import find_theme

    web_dir = Path(web_dir)
    warnings = Warnings()
    loaded = load_lab(lab_file)
    lab = loaded.lab
    papers = lab_publications(loaded, warnings)
    theme = find_theme(lab.theme or "academic", [loaded.base_dir / "themes"])
    design = theme.resolve_options(lab.design)
    ctx = lab_context(loaded, papers, design, today or _dt.date.today(), warnings, locale)
    written: list[Path] = []
    pdf_name = None
    pages = 0
    if with_pdf:
        builder = default_builder()
        fmt = builder.output_format(theme, lab.backend or default_backend(warnings), lab.engine)
        pdf = builder.compile_source(fmt, builder.render(fmt, ctx, loaded.base_dir), warnings)
        pdf_name = publications_file_name(lab.name)
        written.append(atomic_write(web_dir / pdf_name, pdf.data))
        pages = pdf.pages
    shown = [m for m in members if m.lab in (None, lab.name)]
    listed = [{"name": m.name, "headline": m.headline,
               "href": f"{m.folder.relative_to(web_dir).as_posix()}/index.html" if m.folder.is_relative_to(web_dir)
               else m.folder.as_uri() + "/index.html",
               "pdf": f"{m.folder.relative_to(web_dir).as_posix()}/{m.pdf.name}"
               if m.pdf and m.folder.is_relative_to(web_dir) else None} for m in shown]
    organization: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization", "@id": "#lab",
                                    "name": lab.name}
    if lab.headline:
        organization["description"] = _plain(lab.headline)
    if lab.website:
        organization["url"] = lab.website
    if lab.email:
        organization["email"] = lab.email[0]
    if listed:
        organization["member"] = [{"@type": "Person", "name": m["name"], "url": m["href"]} for m in listed]
    profile = Profile.model_validate({"name": lab.name})
    files = page_files(profile, ctx, theme, pdf_name, template=LAB_TEMPLATE, about=organization, members=listed)
    written += [atomic_write(web_dir / name, data) for name, data in files.items() if name != "index.html"]
    index = atomic_write(web_dir / "index.html", files["index.html"])
    written.append(index)
    return WebResult(index, web_dir / pdf_name if pdf_name else None, written, list(warnings.items), pages)
