"""A profile that fills every field of the model with a distinct marker, made by walking the pydantic
model, so that a field added later is filled (and checked) without editing the contract test.

Each text field gets a marker such as ``Mk0042`` (at the start of its value, so that wrapping and
hyphenation leave it whole); URL fields get a URL with a marker in it; e-mail fields an address
with one. Some values are long on purpose: a 60-character institution, a 30-character date range,
long URLs and e-mail addresses. Every list gets one full entry; lists of entries that may hold a
summary alone get a summary-only entry too; one section (``news``) gets fifty entries.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from cvrender.model import Profile

# Fields that configure the build rather than hold text for the page: never printed, by design.
CONFIG_FIELDS: dict[tuple[str, str], str] = {
    ("Profile", "schema_url"): "editor schema address",
    ("Profile", "aliases"): "spellings for author matching",
    ("Profile", "photo"): "a file, shown as an image",
    ("Profile", "section_order"): "section order",
    ("Profile", "titles"): "title overrides (checked by the locale tests)",
    ("Profile", "locale"): "language of the CV",
    ("Profile", "theme"): "theme name",
    ("Profile", "design"): "theme options",
    ("Profile", "variants"): "named variants",
    ("CustomSection", "id"): "section key",
    ("Publication", "id"): "citation key",
    ("Publication", "selected"): "marks a selected publication",
    ("Publication", "type"): "groups and numbers publications",
    ("Author", "me"): "who the owner is",
    ("Author", "roles"): "shown as marks with a legend",
    ("Service", "kind"): "a classification of the venue",
}
# Fields that hold the same thing as another field; the profile gives the other one.
ALTERNATIVES: dict[tuple[str, str], str] = {
    ("Dated", "start"): "date", ("Dated", "end"): "date", ("Award", "date"): "years",
}
# Fields a build shows only with some option, and the warning it gives otherwise (None: the user's
# own option hides it, no warning).
HIDDEN: dict[tuple[str, str], tuple[typing.Callable[[dict[str, Any]], bool], str | None]] = {
    ("Publication", "abstract"): (lambda options: True, "abstract"),
    ("Publication", "venue"): (lambda options: options.get("venue_style", "short") == "short", None),
    ("Publication", "venue_short"): (lambda options: options.get("venue_style", "short") == "long", None),
}
# How the publication list is made: set by the contract test, not filled with markers.
PUBLICATION_LIST_OPTIONS = {"group_by": "none", "numbering": "continuous", "sort": "newest"}


@dataclass
class Field:
    """One filled field: where it is in the model, its marker and how it must show."""

    model: str
    name: str
    marker: str
    kind: str  # "text", "url", "email"
    value: str


@dataclass
class Filler:
    """Walks the model and fills it."""

    counter: int = 0
    fields: list[Field] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def marker(self) -> str:
        self.counter += 1
        return f"Mk{self.counter:04d}"

    def text(self, model: str, name: str, long: bool = False) -> str:
        marker = self.marker()
        value = f"{marker} Institute of Extremely Long Names for Layout Checks" if long else f"{marker} text"
        self.fields.append(Field(model, name, marker, "text", value))
        return value

    def url(self, model: str, name: str, long: bool = True) -> str:
        marker = self.marker()
        tail = "/section/subsection/another-level/yet-another-level/page.html" if long else ""
        value = f"https://example.org/{marker.lower()}{tail}"
        self.fields.append(Field(model, name, marker.lower(), "url", value))
        self.urls.append(value)
        return value

    def account(self, model: str, name: str) -> str:
        """An account name or identifier that the build turns into a link (``github: mk0008``)."""
        marker = self.marker().lower()
        value = f"10.5555/{marker}" if name == "doi" else marker
        self.fields.append(Field(model, name, marker, "url", value))
        return value

    def email(self, model: str, name: str) -> str:
        marker = self.marker()
        value = f"{marker.lower()}.very.long.local.part@a-rather-long-department-name.example.edu"
        self.fields.append(Field(model, name, marker.lower(), "email", value))
        self.urls.append(f"mailto:{value}")
        return value


def _validators(annotation: Any, metadata: list[Any]) -> set[str]:
    """Names of the functions validating a type (to tell a URL or a date from plain text)."""
    names: set[str] = set()
    for item in list(metadata) + list(getattr(annotation, "__metadata__", ())):
        func = getattr(item, "func", None)
        if func is not None:
            names.add(getattr(func, "__name__", ""))
    return names


def _strip(annotation: Any) -> tuple[Any, list[Any]]:
    """The type inside Optional and Annotated, with the Annotated metadata collected."""
    metadata: list[Any] = []
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            metadata.extend(annotation.__metadata__)
            annotation = annotation.__origin__
            continue
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            arms = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = arms[0]
            continue
        return annotation, metadata


def _owner(model: type[BaseModel], name: str) -> str:
    """The class that declares a field (``Dated`` for ``start``)."""
    for cls in model.__mro__:
        if name in getattr(cls, "__annotations__", {}):
            return cls.__name__
    return model.__name__


# Text fields whose value becomes part of a link target rather than printed text.
LINK_ID_FIELDS = {("Publication", "doi"), ("Publication", "arxiv")}
LONG_FIELDS = {("Education", "institution"), ("Experience", "organization"), ("CustomEntry", "subtitle")}
DATE_RANGE = "Oct 2015 - expected Jun 2021"  # prints as a 28-character range


def fill(filler: Filler, model: type[BaseModel], summary_only: bool = False) -> dict[str, Any]:
    """A dict for ``model`` with every field filled (or only what a summary-only entry has)."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = (model.__name__, name)
        declared = (_owner(model, name), name)
        if key in CONFIG_FIELDS or declared in ALTERNATIVES or key in ALTERNATIVES:
            continue
        if model.__name__ == "PublicationList" and name != "items":
            continue
        if summary_only and name not in ("summary",) and info.is_required() is False:
            continue
        annotation, metadata = _strip(info.annotation)
        metadata += list(info.metadata)
        out[name] = value_for(filler, model, name, annotation, metadata)
    return out


def value_for(filler: Filler, model: type[BaseModel], name: str, annotation: Any, metadata: list[Any]) -> Any:
    """A value for one field of one model."""
    checks = _validators(annotation, metadata)
    where = model.__name__
    if "parse_range" in checks:
        return DATE_RANGE
    if "_years" in checks:
        return [2018, 2019, 2021]
    if "_check_url" in checks:
        return filler.url(where, name, long=name != "url" or where != "Publication")
    if "_check_email" in checks:
        return filler.email(where, name)
    origin = typing.get_origin(annotation)
    if origin is list:
        inner, inner_meta = _strip(typing.get_args(annotation)[0])
        inner_checks = _validators(inner, inner_meta)
        if "_check_email" in inner_checks:
            return [filler.email(where, name)]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return [fill(filler, inner)]
        if typing.get_origin(inner) is Literal:
            return [typing.get_args(inner)[0]]
        return [filler.text(where, name)]
    if origin is Literal:
        return typing.get_args(annotation)[0]
    if origin is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return fill(filler, annotation)
    if annotation is bool:
        return True
    if annotation is int:
        return 2022
    if (where, name) in LINK_ID_FIELDS or where == "ProfileLinks":
        return filler.account(where, name)
    return filler.text(where, name, long=(where, name) in LONG_FIELDS)


def contract_profile(entries: int = 50) -> tuple[dict[str, Any], Filler]:
    """The profile and what was put in it."""
    from cvrender.model.profile import CustomEntry, Experience, NewsItem, Project

    filler = Filler()
    data = fill(filler, Profile)
    data["publications"].update(PUBLICATION_LIST_OPTIONS)
    # summary-only entries, where an entry may be a summary alone
    data["sections"][0]["entries"].append({"summary": filler.text("CustomEntry", "summary")})
    data["sections"].append({"title": filler.text("CustomSection", "title"),
                             "entries": [{"summary": filler.text("CustomEntry", "summary")}]})
    assert CustomEntry and Experience and Project  # entries of these kinds are filled above
    # one long section: fifty news lines (the first one is the full entry)
    data["news"] += [{"date": f"{2000 + i % 25}-{1 + i % 12:02d}", "text": filler.text("NewsItem", "text")}
                     for i in range(entries - 1)]
    assert NewsItem
    return data, filler


__all__ = ["ALTERNATIVES", "CONFIG_FIELDS", "HIDDEN", "Field", "Filler", "contract_profile"]
