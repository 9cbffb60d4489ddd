"""Publication lists as academics make them, and the other academic lists (awards, service).

Decided here, once, for every backend and theme:

* **Selection**: ``selected_only``, ``since`` (year), ``max`` (the newest N), ``types``; a variant's
  options override the profile's.
* **Merging**: the profile's publications and every .bib file make one list (:func:`merge_sources`):
  the same work (same key, DOI, arXiv id or title; a preprint and its published version) appears
  once, its fields merged (the fuller author list, the published venue, the profile's notes,
  links and short venue), with one warning listing what was merged.
* **Order and groups**: newest first (undated, i.e. forthcoming, on top), oldest first or as
  written; grouped by year, by type (journal, conference, ...) or not at all.
* **Numbering**: ``continuous`` [1]..[n] top to bottom, ``reverse`` [n]..[1], ``per_type`` [J1],
  [C1].. with configurable prefixes, ``per_type_reverse`` counting down within each type.
* **Authors**: who is the owner (see :mod:`cvrender.context.authors`; ``me: true/false`` on an author
  overrides matching), role marks (``*`` equal contribution, ...), a legend only for the marks
  used, long author lists shortened with the owner kept.
* **Venues**: short (``ACL 2022``), long (``Proceedings of ..., 2022``) or both.
* **Awards** given in several years print once with the years (``2018, 2019, 2021``); **service**
  groups by role, each venue once with its years as ranges (``ACL 2021–2023``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cvrender.context.authors import AuthorMatcher, fold
from cvrender.context.markup import Inline, concat, join, parse, plain, titled
from cvrender.context.types import (
    AuthorItem,
    Line,
    LinkItem,
    PubGroup,
    PubItem,
    Row,
    Section,
)
from cvrender.context.words import Translator, format_years
from cvrender.errors import Warnings
from cvrender.model.profile import Award, PublicationsOptions, Service
from cvrender.model.publications import Author, Publication, PublicationList

DEFAULT_MARKS = {"equal": "*", "corresponding": "†", "co_first": "‡", "student": "§", "advisee": "¶"}

TYPE_ORDER = (
    "journal", "conference", "workshop", "chapter", "book", "preprint", "thesis", "patent",
    "demo", "report", "other",
)

DEFAULT_PREFIXES = {
    "journal": "J", "conference": "C", "workshop": "W", "chapter": "BC", "book": "B", "preprint": "P",
    "thesis": "T", "patent": "PA", "demo": "D", "report": "R", "other": "O",
}

FORTHCOMING = "forthcoming"

GROUP_TITLES: dict[str, dict[str, str]] = {
    "en": {"journal": "Journal Articles", "conference": "Conference Papers", "workshop": "Workshop Papers",
           "chapter": "Book Chapters", "book": "Books", "preprint": "Preprints", "thesis": "Theses",
           "patent": "Patents", "demo": "Demos", "report": "Technical Reports", "other": "Other Publications",
           FORTHCOMING: "Forthcoming"},
    "zh": {"journal": "期刊论文", "conference": "会议论文", "workshop": "研讨会论文", "chapter": "书籍章节",
           "book": "著作", "preprint": "预印本", "thesis": "学位论文", "patent": "专利", "demo": "系统演示",
           "report": "技术报告", "other": "其他", FORTHCOMING: "待发表"},
    "zh_Hant": {"journal": "期刊論文", "conference": "會議論文", "workshop": "研討會論文", "chapter": "書籍章節",
                "book": "著作", "preprint": "預印本", "thesis": "學位論文", "patent": "專利", "demo": "系統展示",
                "report": "技術報告", "other": "其他", FORTHCOMING: "待發表"},
    "ja": {"journal": "学術論文誌", "conference": "国際会議論文", "workshop": "ワークショップ論文",
           "chapter": "分担執筆", "book": "著書", "preprint": "プレプリント", "thesis": "学位論文",
           "patent": "特許", "demo": "デモ発表", "report": "技術報告", "other": "その他", FORTHCOMING: "印刷中"},
    "de": {"journal": "Zeitschriftenartikel", "conference": "Konferenzbeiträge", "workshop": "Workshopbeiträge",
           "chapter": "Buchkapitel", "book": "Bücher", "preprint": "Preprints", "thesis": "Abschlussarbeiten",
           "patent": "Patente", "demo": "Demos", "report": "Technische Berichte",
           "other": "Weitere Publikationen", FORTHCOMING: "Im Erscheinen"},
    "fr": {"journal": "Articles de revues", "conference": "Articles de conférences",
           "workshop": "Articles d’ateliers", "chapter": "Chapitres d’ouvrages", "book": "Ouvrages",
           "preprint": "Prépublications", "thesis": "Thèses", "patent": "Brevets", "demo": "Démonstrations",
           "report": "Rapports techniques", "other": "Autres publications", FORTHCOMING: "À paraître"},
    "es": {"journal": "Artículos en revistas", "conference": "Artículos en congresos",
           "workshop": "Artículos en talleres", "chapter": "Capítulos de libros", "book": "Libros",
           "preprint": "Preprints", "thesis": "Tesis", "patent": "Patentes", "demo": "Demostraciones",
           "report": "Informes técnicos", "other": "Otras publicaciones", FORTHCOMING: "En prensa"},
}

ET_AL = "et al."
LINK_LABELS = {
    "pdf": "PDF", "code": "Code", "slides": "Slides", "video": "Video", "poster": "Poster", "project": "Project",
    "website": "Website", "blog": "Blog", "data": "Data", "demo": "Demo", "supp": "Supplement",
    "arxiv": "arXiv", "doi": "DOI", "html": "HTML", "talk": "Talk",
}
_OTHERS = frozenset({"others", "et al.", "et al", "et. al.", "etal", "…", "..."})


# ----- what a publication is ------------------------------------------------------------------

_PREPRINT_VENUE = re.compile(r"\b(arxiv|corr|biorxiv|medrxiv|chemrxiv|ssrn|openreview|preprint|psyarxiv)\b", re.I)
_WORKSHOP_VENUE = re.compile(r"\bworkshops?\b", re.I)
_JOURNAL_VENUE = re.compile(r"\b(journal|transactions|letters|review|magazine)\b", re.I)
_CONFERENCE_VENUE = re.compile(r"\b(proceedings|conference|symposium|meeting|congress)\b", re.I)


def is_others(name: str) -> bool:
    """True for ``others`` / ``et al.``, which stand for the remaining authors."""
    return name.strip().casefold() in _OTHERS


def infer_type(pub: Publication) -> str:
    """The publication's type as given, else guessed from its venue (arXiv-only is a preprint)."""
    if pub.type:
        return pub.type
    venue = " ".join(v for v in (pub.venue, pub.venue_short) if v)
    if not venue:
        return "preprint" if pub.arxiv else "other"
    if _PREPRINT_VENUE.search(venue):
        return "preprint"
    if _WORKSHOP_VENUE.search(venue):
        return "workshop"
    if _JOURNAL_VENUE.search(venue):
        return "journal"
    if _CONFERENCE_VENUE.search(venue) or pub.venue_short:
        return "conference"
    return "other"


def _title_key(pub: Publication) -> str:
    """The title without case, accents, spaces and punctuation (letters of every script kept)."""
    return re.sub(r"[\W_]+", "", fold(parse(pub.title).plain))


def _arxiv_key(pub: Publication) -> str:
    return re.sub(r"v\d+$", "", pub.arxiv.strip().lower()) if pub.arxiv else ""


def describe(pub: Publication) -> str:
    """How a warning names a publication: its key or title, with venue and year."""
    name = f"'{pub.id}'" if pub.id else f"'{_shorten(parse(pub.title).plain, 60)}'"
    where = " ".join(x for x in (pub.venue_short or pub.venue or "", str(pub.year or "")) if x)
    return f"{name} ({_shorten(where, 40)})" if where else name


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ----- selection ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PubSource:
    """Publications from one place: the profile (``explicit``: its choices are kept) or a .bib file."""

    label: str
    items: list[Publication]
    explicit: bool = False


@dataclass
class _Kept:
    """One work in the merged list, and what it was merged from."""

    pub: Publication
    versions: list[tuple[Publication, str]]  # every copy and where it came from
    explicit: Publication | None  # the profile's own entry for this work, if any
    lead_explicit: bool = False  # the merged entry is led by the profile's entry


def _doi_key(pub: Publication) -> str:
    doi = (pub.doi or "").strip().lower()
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi)


def _identities(pub: Publication) -> list[tuple[str, str]]:
    keys = [("id", pub.id or ""), ("doi", _doi_key(pub)), ("arxiv", _arxiv_key(pub)), ("title", _title_key(pub))]
    return [k for k in keys if k[1]]


def _is_preprint(pub: Publication) -> bool:
    return infer_type(pub) == "preprint"


def _distinct_versions(a: Publication, b: Publication, matched_by: str) -> bool:
    """Two published papers with one title (a workshop paper and its conference version, a journal
    extension) are two works; a preprint and its published version are one, as are equal DOIs."""
    if matched_by in ("doi", "id") or _is_preprint(a) or _is_preprint(b):
        return False
    if _doi_key(a) and _doi_key(b) and _doi_key(a) != _doi_key(b):
        return True
    if a.year and b.year and a.year != b.year:
        return True
    published = {"journal", "conference", "workshop"}
    kinds = {infer_type(a), infer_type(b)}
    return len(kinds) == 2 and kinds <= published and bool(a.venue or a.venue_short) and bool(b.venue or b.venue_short)


def _real_authors(pub: Publication) -> int:
    return sum(1 for a in pub.authors if not is_others(a.name))


def _authors(first: Publication, second: Publication) -> list[Author]:
    """The fuller author list (``first``'s on a tie), keeping roles and 'me' marks written on the other."""
    chosen, other = (second, first) if _real_authors(second) > _real_authors(first) else (first, second)
    marks = {fold(a.name): a for a in other.authors if a.roles or a.me is not None}
    out = []
    for author in chosen.authors:
        given = marks.get(fold(author.name))
        if given is not None and not author.roles and author.me is None:
            author = author.model_copy(update={"roles": list(given.roles), "me": given.me})
        out.append(author)
    return out


def _merge_two(kept: _Kept, pub: Publication, explicit: bool) -> Publication:
    """One entry from two versions of a work: the published version (else the profile's, else the
    earlier) leads; each field it lacks is taken from the other; the richer author list and venue win;
    the profile's notes, links, url, 'selected' and short venue are kept."""
    old = kept.pub
    if _is_preprint(old) != _is_preprint(pub):
        lead, other = (pub, old) if _is_preprint(old) else (old, pub)
    elif explicit and kept.explicit is None:
        lead, other = pub, old
    else:
        lead, other = old, pub
    kept.lead_explicit = (lead is pub and explicit) or (lead is old and kept.lead_explicit)
    other_published = not _is_preprint(other)
    update: dict[str, object] = {"authors": _authors(lead, other)}
    for name in ("year", "date", "volume", "issue", "pages", "publisher", "arxiv", "url", "abstract", "id"):
        if getattr(lead, name) in (None, "") and getattr(other, name) not in (None, ""):
            update[name] = getattr(other, name)
    if not lead.doi and other.doi and other_published:
        update["doi"] = other.doi
    if not lead.type and other.type and other.type != "preprint":
        update["type"] = other.type
    venue, short = lead.venue, lead.venue_short
    if other_published and other.venue:
        if not venue:
            venue = other.venue
        elif len(other.venue) > len(venue):
            # "ACL" and "Proceedings of the 60th Annual Meeting of the ACL": the long one is the venue,
            # the short one stays as the short venue
            short = short or (venue if len(venue) <= 20 else None)
            venue = other.venue
    if not short and other_published:
        short = other.venue_short
    update.update(venue=venue, venue_short=short)
    labels = {link.label.casefold() for link in lead.links}
    update["links"] = list(lead.links) + [lk for lk in other.links if lk.label.casefold() not in labels]
    update["notes"] = list(lead.notes) + [n for n in other.notes if n not in lead.notes]
    update["selected"] = lead.selected or other.selected
    mine = pub if explicit else kept.explicit
    if mine is not None and not kept.lead_explicit:
        # what the profile says about its entry is a choice, not a gap to fill
        if mine.url:
            update["url"] = mine.url
        if mine.id:
            update["id"] = mine.id
        if mine.venue_short and not (_is_preprint(mine) and mine is not lead):
            update["venue_short"] = mine.venue_short
        if mine.title and mine is not lead and _title_key(mine) == _title_key(lead):
            update["title"] = mine.title
    return lead.model_copy(update=update)


def merge_sources(sources: Iterable[PubSource], warnings: Warnings, deduplicate: bool = True) -> list[Publication]:
    """One list from the profile's publications and .bib files: each work once.

    The same work is the same key, DOI or arXiv id, or the same title (a preprint matches its
    published version; two published versions of one title in other years or at other kinds of
    venue stay two works). Merged entries take every field either version has; one warning
    lists what was merged. With ``deduplicate`` off, only entries with the same key are one
    (the first is kept) and everything else is listed as given.
    """
    kept: list[_Kept] = []
    index: dict[tuple[str, str], int] = {}
    for source in sources:
        for pub in source.items:
            keys = _identities(pub) if deduplicate else [k for k in _identities(pub) if k[0] == "id"]
            hit = next(((k, index[k]) for k in keys if k in index), None)
            if hit is not None and not deduplicate:
                if not source.explicit:
                    warnings.add(f"{source.label}: entry '{pub.id}' repeats a key from "
                                 f"{kept[hit[1]].versions[0][1]}; the first is used")
                continue
            if hit is None or _distinct_versions(kept[hit[1]].pub, pub, hit[0][0]):
                for key in keys:
                    index.setdefault(key, len(kept))
                kept.append(_Kept(pub, [(pub, source.label)], pub if source.explicit else None,
                                  source.explicit))
                continue
            at = hit[1]
            entry = kept[at]
            if any(pub == version for version, _ in entry.versions):
                continue  # the very same entry again (a lab member's paper picked for each co-author)
            entry.pub = _merge_two(entry, pub, source.explicit)
            entry.versions.append((pub, source.label))
            if source.explicit and entry.explicit is None:
                entry.explicit = pub
            for key in [*keys, *_identities(entry.pub)]:
                index.setdefault(key, at)
    merged = [k for k in kept if len(k.versions) > 1]
    if merged:
        listed = "; ".join(f"{describe(k.pub)} from " + " and ".join(f"{describe(v)} in {label}"
                                                                     for v, label in k.versions)
                           for k in merged[:8])
        more = f"; and {len(merged) - 8} more" if len(merged) > 8 else ""
        warnings.add(f"{len(merged)} publication{'s' if len(merged) != 1 else ''} listed more than once "
                     f"{'were' if len(merged) != 1 else 'was'} merged into one entry: {listed}{more} "
                     "(set publications.deduplicate: false to keep every copy)")
    return [k.pub for k in kept]


def deduplicate(pubs: Iterable[Publication], warnings: Warnings, label: str = "the profile") -> list[Publication]:
    """One list without repeats: a preprint and its published version, or two copies, become one entry."""
    return merge_sources([PubSource(label, list(pubs), explicit=True)], warnings)


def _date_key(pub: Publication) -> tuple[int, int, int]:
    start = pub.date.start if pub.date is not None else None
    if pub.year is None:
        return (10_000, 0, 0)
    if start is not None and start.year == pub.year:
        return (pub.year, start.month or 0, start.day or 0)
    return (pub.year, 0, 0)


def sort_publications(pubs: list[Publication], order: str) -> list[Publication]:
    """Newest first (undated, i.e. forthcoming, on top), oldest first, or as written; stable."""
    if order == "newest":
        return sorted(pubs, key=_date_key, reverse=True)
    if order == "oldest":
        return sorted(pubs, key=lambda p: _date_key(p) if p.year is not None else (10_001, 0, 0))
    return list(pubs)


def choose(plist: PublicationList, variant: PublicationsOptions | None, selected_only: bool,
           warnings: Warnings) -> list[Publication]:
    """The publications a list shows, after de-duplication and filters, in order."""
    items = list(plist.items)
    if plist.deduplicate:
        items = deduplicate(items, warnings)
    if plist.types is not None:
        wanted = set(plist.types)
        items = [p for p in items if infer_type(p) in wanted]
    if selected_only or plist.selected_only or (variant is not None and variant.selected_only):
        items = [p for p in items if p.selected]
    since = (variant.since if variant is not None and variant.since else None) or plist.since
    if since:
        items = [p for p in items if p.year is None or p.year >= since]
    items = sort_publications(items, plist.sort)
    limit = (variant.max if variant is not None and variant.max else None) or plist.max
    return items[:limit] if limit else items


# ----- one publication as printed -------------------------------------------------------------

def _with_year(text: str, year: str, sep: str) -> str:
    """``ACL`` + 2022 -> ``ACL 2022``; nothing is added when the year is already there as a word."""
    if not year or re.search(rf"(?<![\w-]){year}(?![\w-])", text):
        return text
    return f"{text}{sep}{year}" if text else year


def _pages(pages: str) -> str:
    return re.sub(r"\s*-{1,3}\s*", "–", pages.strip())


def year_label(pub: Publication) -> str:
    """The year as printed: ``2022``, or ``1984–1986`` for a work dated with a range of years."""
    if not pub.year:
        return ""
    end = getattr(pub.date.end, "year", None) if pub.date is not None else None
    return f"{pub.year}–{end}" if isinstance(end, int) and end != pub.year else str(pub.year)


def venues(pub: Publication) -> tuple[str, str]:
    """The short form (``TACL 2023, 11(2):45–60``) and the long form (``Transactions of ..., 11(2):45–60,
    2023``) of the venue. Volume, issue, pages and publisher are in both: a field the user filled is
    printed whichever style is chosen."""
    year = year_label(pub)
    venue = pub.venue_short or pub.venue or ""
    # "ACL 2022", "TACL 2023"; but "Journal of Machine Learning Research, 2022"
    short = _with_year(venue, year, " " if pub.venue_short or " " not in venue.strip() else ", ")
    numbers = ""
    if pub.volume:
        numbers = f"{pub.volume}" + (f"({pub.issue})" if pub.issue else "")
        if pub.pages:
            numbers += f":{_pages(pub.pages)}"
    elif pub.issue:
        numbers = f"no. {pub.issue}" + (f", pp. {_pages(pub.pages)}" if pub.pages else "")
    elif pub.pages:
        numbers = f"pp. {_pages(pub.pages)}"
    long_text = pub.venue or pub.venue_short or ""
    extra = [x for x in (numbers, pub.publisher) if x]
    if pub.publisher and pub.publisher in long_text:
        extra = [numbers] if numbers else []
    long_text = ", ".join([long_text, *extra]) if long_text else ", ".join(extra)
    short_extra = [x for x in (numbers, pub.publisher) if x and x not in short]
    short = ", ".join([short, *short_extra]) if short else ", ".join(short_extra)
    return short, _with_year(long_text.strip(", "), year, ", ")


def venue_text(pub: Publication, style: str) -> str:
    """The venue as the list prints it, in the chosen style."""
    short, long_text = venues(pub)
    if style == "short":
        return short
    if style == "long" or not (pub.venue and pub.venue_short) or pub.venue == pub.venue_short:
        return long_text
    year = year_label(pub)
    body = long_text[: -len(year)].rstrip(", ") if year and long_text.endswith(year) else long_text
    return f"{body} ({short})"


def pub_links(pub: Publication) -> tuple[LinkItem, ...]:
    """Labelled links, then arXiv and DOI unless a link with that label is already there."""
    links = [LinkItem(LINK_LABELS.get(item.label, item.label), item.url) for item in pub.links]
    labels = {lk.label.casefold() for lk in links}
    if pub.arxiv and "arxiv" not in labels:
        links.append(LinkItem("arXiv", f"https://arxiv.org/abs/{pub.arxiv}"))
    if pub.doi and "doi" not in labels:
        links.append(LinkItem("DOI", f"https://doi.org/{pub.doi}"))
    return tuple(links)


@dataclass
class _Authors:
    """Author items of one publication, plus what the caller must know about them."""

    items: tuple[AuthorItem, ...]
    roles_used: set[str] = field(default_factory=set)
    me: list[str] = field(default_factory=list)


def author_items(authors: list[Author], matcher: AuthorMatcher, marks: dict[str, str],
                 max_authors: int | None) -> _Authors:
    """Authors as printed: the owner found, marks attached, long lists shortened around the owner."""
    explicit = any(a.me is True for a in authors)
    result = _Authors(())
    items: list[AuthorItem] = []
    for author in authors:
        if is_others(author.name):
            items.append(AuthorItem(ET_AL, False, "", is_others=True))
            continue
        is_me = author.me if author.me is not None else (not explicit and matcher.is_me(author.name))
        if is_me:
            result.me.append(author.name)
        roles = tuple(r for r in DEFAULT_MARKS if r in author.roles)
        mark = "".join(marks.get(r, "") for r in roles)
        result.roles_used.update(r for r in roles if marks.get(r))
        items.append(AuthorItem(author.name, is_me, mark, roles=roles))
    real = [a for a in items if not a.is_others]
    if max_authors and len(real) > max_authors:
        shown = real[:max_authors]
        hidden_me = [a for a in real[max_authors:] if a.is_me]
        if hidden_me:
            shown += [AuthorItem("…", False, "", is_others=True), *hidden_me]
        items = [*shown, AuthorItem(ET_AL, False, "", is_others=True)]
        result.roles_used = {r for a in shown for r in a.roles if marks.get(r)}
    result.items = tuple(items)
    return result


# ----- the list -------------------------------------------------------------------------------

def _group_title(key: str, plist: PublicationList, t: Translator) -> str:
    if key in plist.titles:
        return plist.titles[key]
    if key in GROUP_TITLES["en"]:
        return GROUP_TITLES.get(t.key, {}).get(key) or GROUP_TITLES["en"][key]
    return key


def _grouped(pubs: list[Publication], plist: PublicationList) -> list[tuple[str, list[Publication]]]:
    if plist.group_by == "year":
        groups: dict[str, list[Publication]] = {}
        for pub in pubs:
            groups.setdefault(str(pub.year) if pub.year else FORTHCOMING, []).append(pub)
        return list(groups.items())
    if plist.group_by == "type":
        order = list(plist.types or TYPE_ORDER)
        by_type: dict[str, list[Publication]] = {k: [] for k in order}
        for pub in pubs:
            by_type.setdefault(infer_type(pub), []).append(pub)
        return [(k, v) for k, v in by_type.items() if v]
    return [("", pubs)]


def numbers(pubs: list[Publication], mode: str, prefixes: dict[str, str]) -> list[str]:
    """The printed number of each publication, in list order: ``[3]``, ``[J1]``..."""
    total = len(pubs)
    if mode == "continuous":
        return [f"[{i + 1}]" for i in range(total)]
    if mode == "reverse":
        return [f"[{total - i}]" for i in range(total)]
    if mode in ("per_type", "per_type_reverse"):
        types = [infer_type(p) for p in pubs]
        counts = {t: types.count(t) for t in set(types)}
        seen: dict[str, int] = {}
        out = []
        for kind in types:
            seen[kind] = seen.get(kind, 0) + 1
            n = seen[kind] if mode == "per_type" else counts[kind] - seen[kind] + 1
            out.append(f"[{prefixes.get(kind, DEFAULT_PREFIXES.get(kind, ''))}{n}]")
        return out
    return [""] * total


def publication_section(key: str, title: str, pubs: list[Publication], plist: PublicationList,
                        matcher: AuthorMatcher, t: Translator, warnings: Warnings,
                        owner: str) -> Section | None:
    """A publications section: groups of numbered items, owner in bold, marks and their legend."""
    if not pubs:
        return None
    marks = {**DEFAULT_MARKS, **{str(k): v for k, v in plist.marks.items()}}
    prefixes = {**DEFAULT_PREFIXES, **{str(k): v for k, v in plist.prefixes.items()}}
    # a selected list is short: one run, never split by year or type
    groups = _grouped(pubs, plist) if key != "selected_publications" else [("", pubs)]
    ordered = [p for _, members in groups for p in members]
    labels = iter(numbers(ordered, plist.numbering, prefixes))
    used: set[str] = set()
    out: list[PubGroup] = []
    for group_key, members in groups:
        items: list[PubItem] = []
        for pub in members:
            authors = author_items(pub.authors, matcher, marks, plist.max_authors)
            used |= authors.roles_used
            _check_owner(pub, authors, owner, warnings)
            short, long_text = venues(pub)
            items.append(PubItem(
                number=next(labels), title=titled(pub.title, pub.url), authors=authors.items,
                venue=venue_text(pub, plist.venue_style), year=year_label(pub),
                notes=tuple(parse(n) for n in pub.notes), links=pub_links(pub), type=infer_type(pub),
                id=pub.id or "", venue_short=short, venue_long=long_text, selected=pub.selected,
                abstract=parse(pub.abstract)))
        out.append(PubGroup(_group_title(group_key, plist, t) if group_key else "", tuple(items), key=group_key))
    legend = tuple((marks[r], t.word(r)) for r in DEFAULT_MARKS if r in used) if plist.legend else ()
    return Section(key, title, "publications", groups=tuple(out), legend=legend)


def _check_owner(pub: Publication, authors: _Authors, owner: str, warnings: Warnings) -> None:
    real = [a for a in pub.authors if not is_others(a.name)]
    if real and not authors.me:
        warnings.add(f"publication {describe(pub)}: {owner} is not among its authors; add the spelling "
                     "used there to 'aliases', or mark the author with 'me: true'")
    elif len(authors.me) > 1:
        warnings.add(f"publication {describe(pub)}: {len(authors.me)} authors match your name "
                     f"({', '.join(authors.me)}); mark the right one with 'me: true'")


# ----- awards and service ---------------------------------------------------------------------

def awards_section(awards: list[Award], title: str, t: Translator) -> Section | None:
    """Awards; one won in several years prints once, with the years (``2018, 2019, 2021``)."""
    merged: dict[tuple[str, str], list[Award]] = {}
    for award in awards:
        spans_range = award.date is not None and award.date.end is not None
        key = (fold(award.title), fold(award.issuer or "")) if not spans_range else (str(id(award)), "")
        merged.setdefault(key, []).append(award)
    lines = []
    for group in merged.values():
        first = group[0]
        text = titled(first.title, next((a.url for a in group if a.url), None))
        native = next((a.native_title for a in group if a.native_title), None)
        if native:
            text = concat(text, f" ({native})")
        if len(group) == 1:
            when = ", ".join(str(y) for y in sorted(set(first.years))) if first.years else t.date_range(first.date)
        else:
            years = {y for a in group for y in a.years}
            years |= {a.date.start.year for a in group if a.date is not None and a.date.start is not None}
            when = ", ".join(str(y) for y in sorted(years))
        notes: list[Inline] = []
        for award in group:
            if award.note and all(parse(award.note) != n for n in notes):
                notes.append(parse(award.note))
        detail = plain(first.issuer) if first.issuer else Inline(())
        if notes:
            detail = concat(detail, "; " if detail else "", join(notes, "; "))
        lines.append(Line(text, when, detail, joiner=t.line_joiner(text.plain, detail.plain)))
    return Section("awards", title, "lines", lines=tuple(lines)) if lines else None


def service_section(service: list[Service], title: str) -> Section | None:
    """Service grouped by role: ``Reviewer: ACL 2021–2023, EMNLP 2021–2023, ICML 2022``."""
    if not service:
        return None
    roles: dict[str, tuple[str, dict[str, tuple[str, list[int], list[str]]]]] = {}
    for item in service:
        label, venues_of_role = roles.setdefault(fold(item.role), (item.role, {}))
        name, years, notes = venues_of_role.setdefault(fold(item.venue), (item.venue, [], []))
        years.extend(item.years)
        if item.note and item.note not in notes:
            notes.append(item.note)
    rows = []
    for label, venues_of_role in roles.values():
        parts: list[Inline] = []
        for name, years, notes in venues_of_role.values():
            part = plain(f"{name} {format_years(years)}".strip())
            if notes:
                part = concat(part, " (", join([parse(n) for n in notes], "; "), ")")
            parts.append(part)
        rows.append(Row(label, join(parts, ", ")))
    return Section("service", title, "rows", rows=tuple(rows))


__all__ = [
    "DEFAULT_MARKS", "PubSource", "awards_section", "choose", "deduplicate", "infer_type", "merge_sources", "numbers",
    "publication_section", "service_section", "sort_publications", "venue_text", "venues",
]
