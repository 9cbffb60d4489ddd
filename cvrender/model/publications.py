"""Publications: authors with roles, venues, labelled links, notes; and how the list is made."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from cvrender.model.base import DateField, Inline, Links, Strict, Url, _listify

AuthorRole = Literal["equal", "corresponding", "co_first", "student", "advisee"]

_SUFFIX_ROLES = {"*": "equal", "†": "corresponding", "‡": "co_first"}


class Author(Strict):
    """One author of a publication, with roles such as equal contribution."""

    name: str = Field(min_length=1)
    roles: Annotated[list[AuthorRole], BeforeValidator(_listify)] = Field(default_factory=list)
    me: bool | None = Field(
        None, description="true: this author is you, whatever the spelling; false: never you. "
        "Default: decided by matching your name and aliases.")

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """``"Runxin Xu*"`` is Runxin Xu with equal contribution; ``†`` marks the corresponding author."""
        if not isinstance(value, str):
            return value
        name, roles = value.strip(), list[str]()
        while name and name[-1] in _SUFFIX_ROLES:
            roles.insert(0, _SUFFIX_ROLES[name[-1]])
            name = name[:-1].rstrip()
        return {"name": name, "roles": roles}


PubType = Literal[
    "journal", "conference", "workshop", "preprint", "thesis", "book", "chapter", "patent",
    "demo", "report", "other",
]


def _authors(value: Any) -> Any:
    if isinstance(value, str):
        parts = re.split(r"\s*;\s*|\s+and\s+" if (";" in value or " and " in value) else r"\s*,\s*", value)
        return [p for p in parts if p]
    return value


def _int_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


NumberText = Annotated[str, BeforeValidator(_int_text)]


class Publication(Strict):
    """A paper, with its authors in order."""

    id: str | None = Field(None, description="A key (the BibTeX key for entries from a .bib file)")
    title: Inline
    authors: Annotated[list[Annotated[Author, BeforeValidator(Author.coerce)]], BeforeValidator(_authors)] = Field(
        default_factory=list
    )
    venue: str | None = None
    venue_short: str | None = Field(None, description="Short venue, e.g. ACL; printed with the year")
    year: int | None = Field(None, ge=1000, le=2200)
    date: DateField | None = None
    type: PubType | None = None
    volume: NumberText | None = None
    issue: NumberText | None = Field(None, alias="number")
    pages: NumberText | None = None
    publisher: str | None = None
    doi: str | None = None
    arxiv: str | None = Field(None, description="arXiv identifier, e.g. 2203.01234")
    url: Url | None = None
    links: Links = Field(default_factory=list)
    notes: Annotated[list[Inline], BeforeValidator(_listify)] = Field(
        default_factory=list, alias="note", description="Oral, Spotlight, Best Paper..."
    )
    abstract: Inline | None = Field(None, description="The abstract (kept with the entry; themes may show it)")
    selected: bool = False

    @model_validator(mode="after")
    def _year_from_date(self) -> Publication:
        if self.year is None and self.date is not None and self.date.start is not None:
            self.year = self.date.start.year
        return self


GroupBy = Literal["none", "year", "type"]
Numbering = Literal["none", "continuous", "reverse", "per_type", "per_type_reverse"]
VenueStyle = Literal["short", "long", "both"]
SortOrder = Literal["newest", "oldest", "none"]



class PublicationList(Strict):
    """Publications written here or read from .bib files, and how to list them."""

    items: list[Publication] = Field(default_factory=list)
    bibtex: Annotated[list[str], BeforeValidator(_listify)] = Field(
        default_factory=list, description=".bib files, relative to the profile"
    )
    files_url: Url | None = Field(
        None, description="Web address that file names in .bib link fields (al-folio's pdf = {paper.pdf}; "
        "also supp, poster, slides) are read against, e.g. https://me.github.io/assets/pdf/")
    group_by: GroupBy = Field("none", description="Sub-headings by year (newest first) or by type")
    numbering: Numbering = Field(
        "none", description="continuous [1]..[n], reverse [n]..[1], per_type [J1], [C1] (per_type_reverse counts down)")
    prefixes: dict[PubType, str] = Field(
        default_factory=dict, description="Number prefix per type for per_type numbering, e.g. {conference: C}")
    sort: SortOrder = Field("newest", description="newest first, oldest first, or as written")
    venue_style: VenueStyle = Field("short", description="short 'ACL 2022', long 'Proceedings of ...', or both")
    types: list[PubType] | None = Field(
        None, description="Only these types, in this order when grouping by type")
    titles: dict[str, str] = Field(
        default_factory=dict, description="Group headings by type (or 'forthcoming'), e.g. {journal: Journal Articles}")
    selected_only: bool = False
    since: int | None = Field(None, description="Leave out publications before this year")
    max: int | None = Field(None, ge=1, description="At most this many (the newest)")
    max_authors: int | None = Field(
        None, ge=1, description="Shorten longer author lists to this many, then et al. (you stay listed)")
    marks: dict[AuthorRole, str] = Field(default_factory=dict, description="Mark per role, e.g. {equal: '*'}")
    legend: bool = Field(True, description="Explain the marks used (once, above the list)")
    deduplicate: bool = Field(
        True, description="List each work once: entries of the profile and its .bib files with the same key, DOI, "
        "arXiv id or title (a preprint and its published version) are merged into one, the fuller copy's fields "
        "winning and your notes, links, 'selected' and venue_short kept. false: keep every copy")


def _publications_shorthand(value: Any) -> Any:
    """A bare list of publications is ``{items: [...]}``."""
    if isinstance(value, list):
        return {"items": value}
    return value


__all__ = ["Author", "Publication", "PublicationList", "Url"]
