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

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """``"Runxin Xu*"`` is Runxin Xu with equal contribution; ``†`` marks the corresponding author."""
        if not isinstance(value, str):
            return value
        name, roles = value.strip(), []
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


class Publication(Strict):
    """A paper, with its authors in order."""

    id: str | None = Field(None, description="A key (the BibTeX key for entries from a .bib file)")
    title: Inline
    authors: Annotated[list[Annotated[Author, BeforeValidator(Author.coerce)]], BeforeValidator(_authors)] = Field(
        default_factory=list
    )
    venue: str | None = None
    venue_short: str | None = Field(None, description="Short venue, e.g. ACL; printed with the year")
    year: int | None = Field(None, ge=1900, le=2200)
    date: DateField | None = None
    type: PubType | None = None
    doi: str | None = None
    arxiv: str | None = None
    url: Url | None = None
    links: Links = Field(default_factory=list)
    notes: Annotated[list[Inline], BeforeValidator(_listify)] = Field(
        default_factory=list, alias="note", description="Oral, Spotlight, Best Paper..."
    )
    selected: bool = False

    @model_validator(mode="after")
    def _year_from_date(self) -> Publication:
        if self.year is None and self.date is not None and self.date.start is not None:
            self.year = self.date.start.year
        return self


GroupBy = Literal["none", "year", "type"]
Numbering = Literal["none", "continuous", "reverse", "per_type"]


class PublicationList(Strict):
    """Publications written here or read from .bib files, and how to list them."""

    items: list[Publication] = Field(default_factory=list)
    bibtex: Annotated[list[str], BeforeValidator(_listify)] = Field(
        default_factory=list, description=".bib files, relative to the profile"
    )
    group_by: GroupBy = "none"
    numbering: Numbering = "none"
    selected_only: bool = False
    since: int | None = None
    max: int | None = Field(None, ge=1)
    marks: dict[AuthorRole, str] = Field(default_factory=dict, description="Mark per role, e.g. {equal: '*'}")


def _publications_shorthand(value: Any) -> Any:
    """A bare list of publications is ``{items: [...]}``."""
    if isinstance(value, list):
        return {"items": value}
    return value


__all__ = ["Author", "Publication", "PublicationList", "Url"]
