"""The researcher's profile: every section a CV shows, validated, with no I/O."""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from cvrender.model.base import (
    Dated,
    DateField,
    Inline,
    Links,
    People,
    Strict,
    Url,
    Years,
    _listify,
    with_errors,
)
from cvrender.model.publications import PublicationList, _publications_shorthand

Texts = Annotated[list[Inline], BeforeValidator(_listify)]


def titled(value: Any) -> Any:
    """A bare string is ``{title: ...}``."""
    return {"title": value} if isinstance(value, str) else value


def comma_list(value: Any) -> Any:
    """``"Python, C++, JAX"`` is ``["Python", "C++", "JAX"]``."""
    return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value


def number_text(value: Any) -> Any:
    """A number written where text is expected (``gpa: 3.9``) is that text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


# profile link field -> (label, URL pattern for an account name)
PROFILE_LINK_PATTERNS: dict[str, tuple[str, str]] = {
    "github": ("GitHub", "https://github.com/{}"),
    "scholar": ("Google Scholar", "https://scholar.google.com/citations?user={}"),
    "orcid": ("ORCID", "https://orcid.org/{}"),
    "dblp": ("DBLP", "https://dblp.org/pid/{}.html"),
    "semantic_scholar": ("Semantic Scholar", "https://www.semanticscholar.org/author/{}"),
    "linkedin": ("LinkedIn", "https://www.linkedin.com/in/{}"),
    "x": ("X", "https://x.com/{}"),
}


class ProfileLinks(Strict):
    """Profile links; account names or full addresses."""

    github: str | None = Field(default=None, description="GitHub user name or URL")
    scholar: str | None = Field(default=None, alias="google_scholar", description="Google Scholar user id or URL")
    orcid: str | None = Field(default=None, description="ORCID iD (0000-0000-0000-0000) or URL")
    dblp: str | None = Field(default=None, description="DBLP person id (e.g. 140/6685) or URL")
    semantic_scholar: str | None = Field(default=None, description="Semantic Scholar author id or URL")
    linkedin: str | None = Field(default=None, description="LinkedIn handle or URL")
    x: str | None = Field(default=None, alias="twitter", description="X (Twitter) handle or URL")
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
    degree: str | None = Field(default=None, description="Ph.D., M.Sc., Bachelor of Engineering...")
    field: str | None = Field(default=None, description="Field of study, e.g. Computer Science")
    minor: str | None = None
    department: Inline | None = Field(default=None, description="School or department; may be a [link](https://...)")
    lab: Inline | None = Field(default=None, description="Research group or lab; may be a [link](https://...)")
    location: str | None = None
    gpa: Annotated[str, BeforeValidator(number_text)] | None = Field(default=None, description="As you want it printed: 3.9/4.0")
    advisors: People = Field(default_factory=list, description="Names, or {name, url}")
    thesis: Annotated[Thesis, BeforeValidator(titled)] | None = Field(default=None, description="A title, or {title, url}")
    summary: Inline | None = Field(default=None, description="A sentence or paragraph above the highlights")
    highlights: Texts = Field(default_factory=list)


class Experience(Dated):
    """A position: job, internship, research visit."""

    organization: Inline = Field(alias="organisation", description="Company, lab or university")
    url: Url | None = None
    role: str | None = Field(default=None, description="Research Intern, Postdoc, Student Researcher...")
    team: str | None = None
    location: str | None = None
    advisors: People = Field(default_factory=list, description="Names, or {name, url}")
    collaborators: People = Field(default_factory=list, description="Names, or {name, url}")
    summary: Inline | None = Field(default=None, description="A sentence or paragraph above the highlights")
    highlights: Texts = Field(default_factory=list)


class Award(Strict):
    """An award, scholarship or honour, won in one or several years."""

    title: Inline
    native_title: str | None = Field(default=None, description="The title in its own script, e.g. 唐仲英德育奖学金")
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
    items: Annotated[list[str], BeforeValidator(comma_list)] = Field(description="A list, or text with commas")


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

    id: str | None = Field(default=None, description="Key used by section selection; defaults to the title in lower case.")
    title: str
    entries: list[Annotated[CustomEntry, BeforeValidator(titled)]] = Field(
        default_factory=list, description="Entries: a line of text, or {title, subtitle, date, ...}")

    @property
    def key(self) -> str:
        """The id used to select this section."""
        return section_key(self.id, self.title)


class PublicationsOptions(Strict):
    """How publications are chosen in a variant."""

    selected_only: bool = False
    since: int | None = None
    max: int | None = Field(default=None, ge=1)


class Variant(Strict):
    """A named variant of the CV (short, funder-style...)."""

    sections: list[str] | None = None
    exclude: list[str] = Field(default_factory=list)
    publications: PublicationsOptions = Field(default_factory=PublicationsOptions)
    max_pages: int | None = Field(default=None, ge=1)
    theme: str | None = None
    design: dict[str, Any] = Field(default_factory=dict)


SECTION_KEYS = (
    "about", "interests", "education", "experience", "publications", "awards", "service",
    "teaching", "talks", "news", "projects", "skills", "languages",
)


SELECTABLE_EXTRA = ("selected_publications",)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_email(address: str) -> str:
    if not _EMAIL.match(address):
        raise PydanticCustomError("cv_email", "not an email address, like name@example.org", {})
    return address


class Profile(Strict):
    """A researcher's CV data."""

    schema_url: str | None = Field(default=None, alias="$schema", description="JSON Schema for editors; ignored.")
    name: str = Field(min_length=1)
    native_name: str | None = Field(default=None, description="Name in native script, e.g. 许润昕")
    aliases: Annotated[list[str], BeforeValidator(_listify)] = Field(
        default_factory=list, description="Other spellings of your name in author lists, e.g. R. Xu")
    headline: Inline | None = Field(default=None, description="One line under your name: PhD student at ...")
    email: Annotated[list[Annotated[str, AfterValidator(_check_email)]], BeforeValidator(_listify)] = Field(
        default_factory=list, alias="emails", description="One address or a list")
    phone: str | None = None
    website: Url | None = None
    location: str | None = None
    photo: str | None = Field(default=None, description="Path to a photo, relative to the profile")
    links: ProfileLinks = Field(default_factory=ProfileLinks)
    about: Inline | None = Field(default=None, alias="summary", description="A short paragraph about you")
    interests: Annotated[list[Annotated[Interest, BeforeValidator(Interest.coerce)]], BeforeValidator(_listify)] = (
        Field(default_factory=list, description="Research interests: text, or {label, items}"))
    education: list[Education] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    publications: Annotated[PublicationList, BeforeValidator(_publications_shorthand)] = Field(
        default_factory=lambda: PublicationList.model_validate({}), description="A list of publications, or {items, bibtex, group_by, ...}"
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
    section_order: list[str] | None = Field(default=None, description="Order of sections; default: the order in this file")
    titles: dict[str, str] = Field(default_factory=dict, description="Your own section titles, by section key")
    locale: str = Field("en", description="Language of the CV: en, zh, zh-Hant, ja, de, fr, es")
    theme: str | None = None
    design: dict[str, Any] = Field(default_factory=dict, description="Theme options")
    strict: bool = Field(
        False, description="true: a .bib entry or field that cannot be used is an error (as --strict); "
        "false: it is left out with a warning naming file, line and key")
    variants: dict[str, Variant] = Field(default_factory=dict)

    _input_order: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_key_order(cls, data: Any, handler: Any) -> Profile:
        extra = section_key_errors(data) if isinstance(data, dict) else []
        try:
            profile = handler(data)
        except ValidationError as exc:
            if not extra:
                raise
            raise with_errors(cls, exc, extra) from None
        if extra:
            raise with_errors(cls, None, extra)
        if isinstance(data, dict):
            profile._input_order = [str(k) for k in data]
        return profile

    @field_validator("photo", mode="after")
    @classmethod
    def _photo_inside(cls, value: str | None) -> str | None:
        """A photo is read from the profile's folder only: no absolute path, no '..', no URL."""
        if value is None:
            return value
        parts = re.split(r"[\\/]+", value)
        if (value.startswith(("/", "\\", "~")) or ".." in parts or re.match(r"^[A-Za-z][\w+.-]*:", value)):
            raise PydanticCustomError(
                "cv_photo_path", "'{path}' is not inside the profile's folder; give a path relative to the "
                "profile, like photos/me.jpg", {"path": value[:80]})
        return value

    @field_validator("locale", mode="after")
    @classmethod
    def _locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value.replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            raise PydanticCustomError(
                "cv_locale", "'{locale}' is not a language code; write en, zh, zh-Hant, ja, de, fr or es",
                {"locale": value}) from None
        return value

    def section_keys(self) -> list[str]:
        """Every key a section can be selected by: built-in sections, then custom sections."""
        return [*SECTION_KEYS, *SELECTABLE_EXTRA, *(s.key for s in self.sections)]

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


def _section_error(template: str, ctx: dict[str, Any], loc: tuple[str | int, ...], value: Any) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError("cv_section_key", template, ctx), loc=loc, input=value)


def section_key_errors(data: dict[str, Any]) -> list[InitErrorDetails]:
    """Section names in ``section_order``, ``titles`` and variants must name real sections; custom
    sections need keys of their own. Checked on the raw data, so these show with every other problem."""
    errors: list[InitErrorDetails] = []
    builtin = [*SECTION_KEYS, *SELECTABLE_EXTRA]
    custom: dict[str, int] = {}
    sections = data.get("sections")
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        if not isinstance(section, dict) or not isinstance(section.get("title", ""), str):
            continue
        given = section.get("id")
        key = section_key(given if isinstance(given, str) else None, section.get("title", ""))
        if key in builtin or key in custom:
            what = "a built-in section" if key in builtin else f"sections[{custom[key]}]"
            errors.append(_section_error(
                "the key '{key}' is already used by {what}; give this section its own 'id'",
                {"key": key, "what": what}, ("sections", index, "id" if given else "title"), given or key))
        custom.setdefault(key, index)
    known = [*builtin, *custom]

    def check(key: Any, loc: tuple[str | int, ...], is_key: bool = False) -> None:
        if not isinstance(key, str) or key in known:
            return
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "sections are " + ", ".join(known)
        errors.append(_section_error("no section is called '{key}'; {hint}",
                                     {"key": key, "hint": hint, "is_key": is_key}, loc, key))

    def each(value: Any, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, str):
            check(value, loc)
        elif isinstance(value, list):
            for index, key in enumerate(value):
                check(key, (*loc, index))

    each(data.get("section_order"), ("section_order",))
    titles = data.get("titles")
    for key in titles if isinstance(titles, dict) else []:
        check(key, ("titles", key), is_key=True)
    variants = data.get("variants")
    for name, variant in variants.items() if isinstance(variants, dict) else []:
        if isinstance(variant, dict):
            each(variant.get("sections"), ("variants", name, "sections"))
            each(variant.get("exclude"), ("variants", name, "exclude"))
    return errors


def section_key(given: str | None, title: str) -> str:
    """A custom section's key: its ``id``, else its title in lower case with ``_`` between words."""
    return given or re.sub(r"[^\w]+", "_", title.lower()).strip("_") or "section"


__all__ = ["SECTION_KEYS", "CustomSection", "Profile", "Variant"]
