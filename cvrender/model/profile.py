"""The researcher's profile: every section a CV shows, validated, with no I/O."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, field_validator, model_validator

from cvrender.model.base import (
    DateField,
    Dated,
    Inline,
    Links,
    People,
    Strict,
    Url,
    Years,
    _listify,
)
from cvrender.model.publications import PublicationList, _publications_shorthand

Texts = Annotated[list[Inline], BeforeValidator(_listify)]


class ProfileLinks(Strict):
    """Profile links; account names or full addresses."""

    github: str | None = Field(None, description="GitHub user name or URL")
    scholar: str | None = Field(None, alias="google_scholar", description="Google Scholar user id or URL")
    orcid: str | None = Field(None, description="ORCID iD (0000-0000-0000-0000) or URL")
    dblp: str | None = Field(None, description="DBLP person id (e.g. 140/6685) or URL")
    semantic_scholar: str | None = Field(None, description="Semantic Scholar author id or URL")
    linkedin: str | None = Field(None, description="LinkedIn handle or URL")
    x: str | None = Field(None, alias="twitter", description="X (Twitter) handle or URL")
    custom: Links = Field(default_factory=list, description="Other links with a label")


class Interest(Strict):
    """A research interest, optionally under a heading ("Machine Learning: ...")."""

    label: str | None = None
    items: Texts = Field(default_factory=list)

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """A bare string is one interest."""
        return {"items": [value]} if isinstance(value, str) else value


class Thesis(Strict):
    """A thesis title with an optional link."""

    title: Inline
    url: Url | None = None


class Education(Dated):
    """A degree or a period of study."""

    institution: Inline
    url: Url | None = None
    degree: str | None = None
    field: str | None = None
    minor: str | None = None
    department: str | None = None
    location: str | None = None
    gpa: str | None = None
    advisors: People = Field(default_factory=list)
    thesis: Annotated[Thesis, BeforeValidator(lambda v: {"title": v} if isinstance(v, str) else v)] | None = None
    highlights: Texts = Field(default_factory=list)

    @field_validator("gpa", mode="before")
    @classmethod
    def _gpa_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class Experience(Dated):
    """A position: job, internship, research visit."""

    organization: Inline = Field(alias="organisation")
    url: Url | None = None
    role: str | None = None
    team: str | None = None
    location: str | None = None
    advisors: People = Field(default_factory=list)
    collaborators: People = Field(default_factory=list)
    summary: Inline | None = None
    highlights: Texts = Field(default_factory=list)


class Award(Strict):
    """An award, scholarship or honour, won in one or several years."""

    title: Inline
    native_title: str | None = Field(None, description="The title in its own script, e.g. 唐仲英德育奖学金")
    issuer: str | None = None
    url: Url | None = None
    years: Years = Field(default_factory=list, alias="year")
    date: DateField | None = None
    note: Inline | None = None


class Service(Strict):
    """A service role at a venue: reviewer, PC member, chair..."""

    role: str = Field(description="Reviewer, PC Member, Area Chair, Session Chair, Organizer...")
    venue: str
    years: Years = Field(default_factory=list, alias="year")
    kind: Literal["conference", "journal", "workshop", "other"] | None = None
    note: Inline | None = None


class Teaching(Dated):
    """A course taught or assisted."""

    course: Inline
    role: str | None = None
    institution: str | None = None
    location: str | None = None
    url: Url | None = None
    highlights: Texts = Field(default_factory=list)


class Talk(Dated):
    """An invited talk or presentation."""

    title: Inline
    event: str | None = None
    location: str | None = None
    url: Url | None = None
    links: Links = Field(default_factory=list)


class NewsItem(Dated):
    """A dated news line."""

    text: Inline


class Project(Dated):
    """A project, software or dataset."""

    name: Inline
    role: str | None = None
    url: Url | None = None
    summary: Inline | None = None
    links: Links = Field(default_factory=list)
    highlights: Texts = Field(default_factory=list)


class SkillGroup(Strict):
    """Skills under one category."""

    category: str
    items: Annotated[list[str], BeforeValidator(lambda v: [s.strip() for s in v.split(",")] if isinstance(v, str) else v)]


class Language(Strict):
    """A spoken language and its level."""

    language: str
    level: str | None = None


class CustomEntry(Dated):
    """A generic entry of a custom section."""

    title: Inline | None = None
    subtitle: Inline | None = None
    location: str | None = None
    url: Url | None = None
    summary: Inline | None = None
    highlights: Texts = Field(default_factory=list)
    links: Links = Field(default_factory=list)


class CustomSection(Strict):
    """A section of your own: a title and generic entries."""

    id: str | None = Field(None, description="Key used by section selection; defaults to the title in lower case.")
    title: str
    entries: list[Annotated[CustomEntry, BeforeValidator(lambda v: {"title": v} if isinstance(v, str) else v)]] = Field(default_factory=list)

    @property
    def key(self) -> str:
        """The id used to select this section."""
        return self.id or "_".join(self.title.lower().split())


class PublicationsOptions(Strict):
    """How publications are chosen in a variant."""

    selected_only: bool = False
    since: int | None = None
    max: int | None = Field(None, ge=1)


class Variant(Strict):
    """A named variant of the CV (short, funder-style...)."""

    sections: list[str] | None = None
    exclude: list[str] = Field(default_factory=list)
    publications: PublicationsOptions = Field(default_factory=PublicationsOptions)
    max_pages: int | None = Field(None, ge=1)
    theme: str | None = None
    design: dict[str, Any] = Field(default_factory=dict)


SECTION_KEYS = (
    "about", "interests", "education", "experience", "publications", "awards", "service",
    "teaching", "talks", "news", "projects", "skills", "languages",
)


class Profile(Strict):
    """A researcher's CV data."""

    schema_url: str | None = Field(None, alias="$schema", description="JSON Schema for editors; ignored.")
    name: str = Field(min_length=1)
    native_name: str | None = Field(None, description="Name in native script, e.g. 许润昕")
    aliases: list[str] = Field(default_factory=list, description="Other spellings of your name in author lists")
    headline: Inline | None = None
    email: Annotated[list[str], BeforeValidator(_listify)] = Field(default_factory=list, alias="emails")
    phone: str | None = None
    website: Url | None = None
    location: str | None = None
    photo: str | None = Field(None, description="Path to a photo, relative to the profile")
    links: ProfileLinks = Field(default_factory=ProfileLinks)
    about: Inline | None = Field(None, alias="summary")
    interests: list[Annotated[Interest, BeforeValidator(Interest.coerce)]] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    publications: Annotated[PublicationList, BeforeValidator(_publications_shorthand)] = Field(
        default_factory=PublicationList
    )
    awards: list[Award] = Field(default_factory=list)
    service: list[Service] = Field(default_factory=list)
    teaching: list[Teaching] = Field(default_factory=list)
    talks: list[Talk] = Field(default_factory=list)
    news: list[NewsItem] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    skills: list[SkillGroup] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    sections: list[CustomSection] = Field(default_factory=list, description="Custom sections")
    section_order: list[str] | None = Field(None, description="Order of sections; default: the order in this file")
    titles: dict[str, str] = Field(default_factory=dict, description="Your own section titles, by section key")
    locale: str = "en"
    theme: str | None = None
    design: dict[str, Any] = Field(default_factory=dict, description="Theme options")
    variants: dict[str, Variant] = Field(default_factory=dict)

    _input_order: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_key_order(cls, data: Any, handler: Any) -> Profile:
        profile = handler(data)
        if isinstance(data, dict):
            profile._input_order = [str(k) for k in data]
        return profile

    @field_validator("email", mode="after")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        from pydantic_core import PydanticCustomError

        for address in value:
            if "@" not in address or " " in address.strip():
                raise PydanticCustomError("cv_email", "'{address}' is not an email address", {"address": address})
        return value

    def default_section_order(self) -> list[str]:
        """Sections in the order the profile wrote them, custom sections where 'sections' stood."""
        order: list[str] = []
        for key in self._input_order or list(SECTION_KEYS) + ["sections"]:
            key = {"summary": "about"}.get(key, key)
            if key in SECTION_KEYS:
                order.append(key)
            elif key == "sections":
                order.extend(s.key for s in self.sections)
        for key in SECTION_KEYS:
            if key not in order:
                order.append(key)
        for section in self.sections:
            if section.key not in order:
                order.append(section.key)
        return order

    @property
    def all_names(self) -> list[str]:
        """The owner's name and every alias (for author matching)."""
        names = [self.name, *self.aliases]
        if self.native_name:
            names.append(self.native_name)
        return names


__all__ = ["Profile", "DateField"]
