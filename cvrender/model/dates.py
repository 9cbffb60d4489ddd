"""Dates as researchers write them: ``2020``, ``2020-09``, ``Sep. 2020``, ``Fall 2020``,
``present``, ``expected Jul 2025``, and ranges of these.

Parsing happens once, in the model; printing (with the locale) happens in the render context.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticCustomError

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12,
}
SEASONS = ("spring", "summer", "fall", "autumn", "winter")

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s*(\d{1,2}(?:,\s*|\s+))?(\d{4})$")
_SEASON_YEAR = re.compile(r"^(spring|summer|fall|autumn|winter)\s+(\d{4})$", re.I)
_PRESENT = {"present", "now", "current", "today", "ongoing"}
_EXPECTED_PREFIX = re.compile(r"^(?:expected|exp\.?|anticipated)\s+(.+)$", re.I)
_EXPECTED_SUFFIX = re.compile(r"^(.+?)\s*\((?:expected|exp\.?)\)$", re.I)
_RANGE_SPLIT = re.compile(r"\s*(?:--|–|—|\bto\b|(?<=[\d.a-zA-Z])\s*-\s*(?=[A-Za-z0-9]))\s*", re.I)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month, or the day; or a season of a year."""

    year: int
    month: int | None = None
    day: int | None = None
    season: str | None = None
    expected: bool = False

    def sort_key(self) -> tuple[int, int, int]:
        """A key that orders dates chronologically, coarse dates first in their year."""
        return (self.year, self.month or 0, self.day or 0)

    def isoformat(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        base = f"{self.season.capitalize()} {self.year}" if self.season else self.isoformat()
        return f"expected {base}" if self.expected else base


PRESENT = "present"


@dataclass(frozen=True)
class DateRange:
    """A start and an end; the end may be ``present``; a single date has ``end is None``."""

    start: PartialDate | None
    end: PartialDate | str | None = None

    @property
    def is_single(self) -> bool:
        """True when this is one date rather than a span."""
        return self.end is None

    @property
    def is_ongoing(self) -> bool:
        """True when the range runs to the present."""
        return self.end == PRESENT

    def sort_key(self, today: _dt.date | None = None) -> tuple[int, int, int]:
        """Order by end (ongoing first), then by start."""
        today = today or _dt.date.max
        if self.end == PRESENT:
            return (9999, 12, 31)
        if isinstance(self.end, PartialDate):
            return self.end.sort_key()
        if self.start is not None:
            return self.start.sort_key()
        return (0, 0, 0)

    def __str__(self) -> str:
        if self.end is None:
            return str(self.start) if self.start else ""
        start = str(self.start) if self.start else ""
        return f"{start} – {self.end}"


def _bad(value: Any, why: str) -> PydanticCustomError:
    return PydanticCustomError(
        "cv_date",
        "{why}; write a date like 2020, 2020-09, Sep 2020, Fall 2020, present or expected Jul 2025",
        {"why": why, "value": value},
    )


def parse_date(value: Any) -> PartialDate:
    """Parse one date (not a range, not ``present``)."""
    if isinstance(value, _dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _bad(value, f"a date must be text or a year, not {type(value).__name__}")
    text = str(value).strip()
    expected = False
    for pattern in (_EXPECTED_PREFIX, _EXPECTED_SUFFIX):
        match = pattern.match(text)
        if match:
            text, expected = match.group(1).strip(), True
            break
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise _bad(value, f"month {month} is not between 1 and 12")
        if day is not None:
            try:
                _dt.date(year, month or 1, day)
            except ValueError as exc:
                raise _bad(value, str(exc)) from None
        return PartialDate(year, month, day, expected=expected)
    match = _SEASON_YEAR.match(text)
    if match:
        season = match.group(1).lower()
        return PartialDate(int(match.group(2)), season="fall" if season == "autumn" else season,
                           expected=expected)
    match = _MONTH_YEAR.match(text)
    if match:
        name = match.group(1).lower()
        month = _MONTHS.get(name)
        if month is None:
            raise _bad(value, f"'{match.group(1)}' is not a month name")
        day = int(match.group(2).strip(" ,")) if match.group(2) else None
        return PartialDate(int(match.group(3)), month, day, expected=expected)
    raise _bad(value, f"'{text}' is not a date")


def parse_date_or_present(value: Any) -> PartialDate | str:
    """Parse a date that may also be ``present``."""
    if isinstance(value, str) and value.strip().lower() in _PRESENT:
        return PRESENT
    return parse_date(value)


def parse_range(value: Any) -> DateRange:
    """Parse ``Sep 2020 - Jun 2023``, ``2021--present``, or a single date."""
    if isinstance(value, DateRange):
        return value
    if isinstance(value, dict):
        start = value.get("start")
        end = value.get("end")
        return DateRange(parse_date(start) if start is not None else None,
                         parse_date_or_present(end) if end is not None else None)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise _bad(value, "the date is empty")
        if text.lower() in _PRESENT:
            raise _bad(value, "'present' can only end a range")
        if not _ISO.match(text):
            parts = [p for p in _RANGE_SPLIT.split(text) if p]
            if len(parts) == 2:
                return DateRange(parse_date(parts[0]), parse_date_or_present(parts[1]))
            if len(parts) > 2:
                raise _bad(value, f"'{text}' has more than two dates")
    return DateRange(parse_date(value))
