"""Shared building blocks of the profile model: strict base, dates, links, inline text."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cvrender.model.dates import DateRange, PartialDate, parse_date, parse_date_or_present, parse_range


class Strict(BaseModel):
    """A model that rejects unknown keys (the loader turns that into "did you mean")."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


DateField = Annotated[
    DateRange,
    BeforeValidator(parse_range),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "integer"}],
            "description": "A date or range: 2020, 2020-09, Sep 2020, Fall 2020, "
            "'Sep 2020 - present', 'expected Jul 2025'.",
        }
    ),
]

Inline = Annotated[
    str,
    Field(description="Text; **bold**, *italic* and [links](https://...) are allowed."),
]

_SAFE_SCHEMES = {"http", "https", "mailto"}
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def _check_url(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("cv_url", "a link must be text, like https://example.org", {})
    text = value.strip()
    if _DOI.match(text):
        return f"https://doi.org/{text}"
    scheme = urlsplit(text).scheme.lower()
    if not scheme and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", text, re.I):
        return f"https://{text}"
    if scheme not in _SAFE_SCHEMES:
        raise PydanticCustomError(
            "cv_url",
            "'{url}' is not a web link; use an http://, https:// or mailto: address",
            {"url": text[:80]},
        )
    return text


Url = Annotated[
    str,
    BeforeValidator(_check_url),
    WithJsonSchema({"type": "string", "description": "An http(s) or mailto: link."}),
]


def _listify(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str | int | dict):
        return [value]
    return value


def as_list(item_type: Any) -> Any:
    """A list that also accepts a single item written on its own."""
    return Annotated[list[item_type], BeforeValidator(_listify)]


def _years(value: Any) -> Any:
    """Accept ``2019``, ``[2018, 2019]``, ``"2018, 2019"`` or ``"2021-2023"``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, str):
        text = value.strip()
        span = re.fullmatch(r"(\d{4})\s*(?:-|–|--|to)\s*(\d{4})", text)
        if span:
            first, last = int(span.group(1)), int(span.group(2))
            if last < first or last - first > 100:
                raise PydanticCustomError("cv_years", "the range {text} runs backwards or is too long", {"text": text})
            return list(range(first, last + 1))
        parts = [p for p in re.split(r"[,;\s]+", text) if p]
        if parts and all(p.isdigit() and len(p) == 4 for p in parts):
            return [int(p) for p in parts]
        raise PydanticCustomError(
            "cv_years", "'{text}' is not a list of years; write 2019, [2018, 2019] or 2021-2023", {"text": text}
        )
    return value


Years = Annotated[
    list[Annotated[int, Field(ge=1900, le=2200)]],
    BeforeValidator(_years),
    WithJsonSchema(
        {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "array", "items": {"type": "integer"}}],
         "description": "One year, a list of years, or a range like 2021-2023."}
    ),
]


class Link(Strict):
    """A labelled link, such as PDF, code, slides or talk."""

    label: str
    url: Url


def _links(value: Any) -> Any:
    """Accept ``{pdf: url, code: url}`` as well as ``[{label, url}]``."""
    if isinstance(value, dict):
        return [{"label": k, "url": v} for k, v in value.items()]
    return value


Links = Annotated[
    list[Link],
    BeforeValidator(_links),
    WithJsonSchema(
        {"anyOf": [
            {"type": "object", "additionalProperties": {"type": "string"}},
            {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}, "url": {"type": "string"}}, "required": ["label", "url"]}},
        ], "description": "Labelled links: {PDF: https://..., code: https://...}"}
    ),
]


class Person(Strict):
    """Somebody named in an entry (an advisor or collaborator), with an optional link."""

    name: str
    url: Url | None = None

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """A bare string is a name."""
        return {"name": value} if isinstance(value, str) else value


People = Annotated[list[Annotated[Person, BeforeValidator(Person.coerce)]], BeforeValidator(_listify)]


_DATE_SCHEMA = WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]})
StartDate = Annotated[PartialDate, BeforeValidator(parse_date), PlainSerializer(str, return_type=str), _DATE_SCHEMA]
EndDate = Annotated[
    PartialDate | str, BeforeValidator(parse_date_or_present), PlainSerializer(str, return_type=str), _DATE_SCHEMA
]


class Dated(Strict):
    """An entry with ``date`` (a date or a range) or with ``start`` and ``end``."""

    date: DateField | None = None
    start: StartDate | None = Field(default=None, description="Start date, if not given in 'date'.")
    end: EndDate | None = Field(default=None, description="End date or 'present'.")

    @model_validator(mode="after")
    def _fold_start_end(self) -> Dated:
        if self.start is not None or self.end is not None:
            if self.date is not None:
                raise PydanticCustomError("cv_date_twice", "give either 'date' or 'start'/'end', not both", {})
            self.date = DateRange(self.start, self.end)
        return self
