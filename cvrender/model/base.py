"""Shared building blocks of the profile model: strict base, dates, links, inline text."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from cvrender.model.dates import (
    DateRange,
    PartialDate,
    check_order,
    parse_date,
    parse_date_or_present,
    parse_range,
)


class Strict(BaseModel):
    """A model that rejects unknown keys (the loader turns that into "did you mean")."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_default(cls, data: Any) -> Any:
        """A key left empty (``education:``) means the default, as if it were not written."""
        if not isinstance(data, dict) or None not in data.values():
            return data
        optional = {key for name, info in cls.model_fields.items() if not info.is_required()
                    for key in (name, info.alias) if key}
        return {k: v for k, v in data.items() if v is not None or k not in optional}

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        """Refuse invisible control characters; store text in NFC (composed) form."""
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list):
            return [clean_text(v) if isinstance(v, str) else v for v in value]
        if isinstance(value, dict):
            return {k: clean_text(v) if isinstance(v, str) else v for k, v in value.items()}
        return value


_ALLOWED_CONTROLS = frozenset("\t\n\r")


def clean_text(text: str) -> str:
    """``text`` in NFC form; a control or lone surrogate character is an error naming its code."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs") and ch not in _ALLOWED_CONTROLS:
            raise PydanticCustomError(
                "cv_control_char",
                "contains the invisible control character U+{code}; delete it (it cannot be printed)",
                {"code": f"{ord(ch):04X}"},
            )
    return unicodedata.normalize("NFC", text)


DateField = Annotated[
    DateRange,
    BeforeValidator(parse_range),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "integer"}],
            "description": "A date or range: 2020, 2020-09, Sep 2020, Fall 2020, "
            "'Sep 2020 - present', 'expected Jul 2025', 'Jul. 2025 (expected)', '2019-20'.",
        }
    ),
]

Inline = Annotated[
    str,
    Field(description="Text; **bold**, *italic* and [links](https://...) are allowed."),
]

_SAFE_SCHEMES = {"http", "https", "mailto"}
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def fail_at(model: type[BaseModel], loc: tuple[str | int, ...], error: PydanticCustomError,
            value: Any) -> ValidationError:
    """A validation error at ``loc`` inside ``model`` (for checks that span several fields)."""
    return ValidationError.from_exception_data(model.__name__, [InitErrorDetails(type=error, loc=loc, input=value)])


def with_errors(model: type[BaseModel], exc: ValidationError | None,
                extra: list[InitErrorDetails]) -> ValidationError:
    """``exc`` (if any) plus ``extra`` errors as one :class:`ValidationError`, so every problem shows at once."""
    lines: list[InitErrorDetails] = []
    for error in exc.errors() if exc is not None else []:
        kind = error["type"]
        ctx = error.get("ctx")
        line: InitErrorDetails
        if kind.startswith("cv_"):
            line = InitErrorDetails(type=PydanticCustomError(kind, error["msg"].replace("{", "(").replace("}", ")"),
                                                             ctx), loc=error["loc"], input=error["input"])
        elif ctx is not None:
            line = InitErrorDetails(type=kind, loc=error["loc"], input=error["input"], ctx=ctx)
        else:
            line = InitErrorDetails(type=kind, loc=error["loc"], input=error["input"])
        lines.append(line)
    return ValidationError.from_exception_data(model.__name__, lines + extra)


def _check_url(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("cv_url", "a link must be text, like https://example.org", {})
    text = value.strip()
    if not text:
        raise PydanticCustomError("cv_url", "the link is empty; remove the key or give an address", {})
    if any(ch.isspace() for ch in text):
        raise PydanticCustomError("cv_url", "a link cannot contain spaces (write %20 instead)", {})
    if _DOI.match(text):
        return f"https://doi.org/{text}"
    scheme = urlsplit(text).scheme.lower()
    if not scheme and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", text, re.I):
        return f"https://{text}"
    if scheme not in _SAFE_SCHEMES:
        raise PydanticCustomError(
            "cv_url", "not a web link; use an http://, https:// or mailto: address", {"url": text[:80]}
        )
    if scheme in ("http", "https") and not urlsplit(text).netloc:
        raise PydanticCustomError("cv_url", "the link has no host name, like https://example.org/page",
                                  {"url": text[:80]})
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
            "cv_years", "not a list of years; write 2019, [2018, 2019] or 2021-2023", {"text": text}
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

    date: DateField | None = Field(
        default=None, description="A date or a range: 2020, Sep 2020 - Jun 2023, Jul 2021 - present.")
    start: StartDate | None = Field(default=None, description="Start date, if not given in 'date'.")
    end: EndDate | None = Field(default=None, description="End date or 'present'; alone, the one date.")

    @model_validator(mode="wrap")
    @classmethod
    def _fold_start_end(cls, data: Any, handler: Any) -> Any:
        entry = handler(data)
        if entry.start is None and entry.end is None:
            return entry
        raw = data if isinstance(data, dict) else {}
        if entry.date is not None:
            key = "start" if entry.start is not None else "end"
            raise fail_at(cls, (key,), PydanticCustomError(
                "cv_date_twice", "give either 'date' or 'start'/'end', not both", {}), raw.get(key))
        if entry.start is None:
            if not isinstance(entry.end, PartialDate):
                raise fail_at(cls, ("end",), PydanticCustomError(
                    "cv_date", "'present' needs a 'start' date", {}), raw.get("end"))
            entry.date = DateRange(entry.end)
            return entry
        try:
            check_order(entry.start, entry.end, raw.get("end"))
        except PydanticCustomError as exc:
            raise fail_at(cls, ("end",), exc, raw.get("end")) from None
        entry.date = DateRange(entry.start, entry.end)
        return entry
