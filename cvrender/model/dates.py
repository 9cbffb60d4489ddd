"""Dates as researchers write them: ``2020``, ``2020-09``, ``Sep. 2020``, ``November. 2022``,
``Fall 2020``, ``2020.09``, ``present``, ``expected Jul 2025``, ``Jul. 2025 (expected)``, and ranges
of these joined by ``-``, ``--``, ``–``, ``—``, ``~`` or ``to``.

Parsing happens once, in the model; printing (with the locale) happens in :mod:`cvrender.context.words`.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
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
SEASONS = ("spring", "summer", "fall", "winter")
_SEASON_NAMES = {"spring": "spring", "summer": "summer", "fall": "fall", "autumn": "fall", "winter": "winter"}
# Where a season sits in its year, for sorting and for comparing the ends of a range.
_SEASON_MONTH = {"winter": 1, "spring": 3, "summer": 6, "fall": 9}

_YEAR_MONTH_DAY = re.compile(r"^(\d{4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2}))?)?$")
_MONTH_YEAR_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{4})$")
_CJK_DATE = re.compile(r"^(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s*(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d+)$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\.?\s+([A-Za-z]+)\.?,?\s+(\d+)$")
_SEASON_YEAR = re.compile(r"^(spring|summer|fall|autumn|winter)(?:\s+(?:term|semester|quarter))?,?\s+(\d{4})$",
                          re.I)
PRESENT_WORDS = frozenset({"present", "now", "current", "today", "ongoing", "至今", "现在", "現在"})
_EXPECTED_PREFIX = re.compile(r"^(?:expected|exp\.|anticipated|\(expected\))\s*(.+)$", re.I)
_EXPECTED_SUFFIX = re.compile(r"^(.+?)\s*(?:\((?:expected|exp\.?)\)|,?\s+expected)$", re.I)
# Every place a range may be cut; each is tried and the one that leaves two dates wins.
_SEPARATOR = re.compile(r"\s*(?:--|–|—|~|～|-|\bto\b|\buntil\b|\btill\b)\s*", re.I)
_SPACED_SEPARATOR = re.compile(r"\s+(?:--|–|—|~|-|to|until|till)\s+|\s*(?:--|–|—|～)\s*", re.I)
_HINT = "write a date like 2020, 2020-09, Sep 2020, Fall 2020 or expected Jul 2025"


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month, or the day; or a season of a year."""

    year: int
    month: int | None = None
    day: int | None = None
    season: str | None = None
    expected: bool = False

    def sort_key(self) -> tuple[int, int, int]:
        """A key that orders dates chronologically, coarse dates first in their year."""
        month = self.month or (_SEASON_MONTH[self.season] if self.season else 0)
        return (self.year, month, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

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


def _bad(value: Any, why: str, hint: bool = True) -> PydanticCustomError:
    """A ``cv_date`` error; ``why`` never repeats the whole value (the loader prints it)."""
    return PydanticCustomError(
        "cv_date", "{why}; " + _HINT if hint else "{why}", {"why": why, "value": str(value)[:80]}
    )


def _check_year(year: int, value: Any) -> int:
    if not 1000 <= year <= 9999:
        raise _bad(value, f"the year {year} does not have four digits")
    return year


def _make(value: Any, year: int, month: int | None, day: int | None, expected: bool) -> PartialDate:
    _check_year(year, value)
    if month is not None and not 1 <= month <= 12:
        raise _bad(value, f"month {month} is not between 1 and 12")
    if day is not None:
        try:
            _dt.date(year, month or 1, day)
        except ValueError as exc:
            raise _bad(value, str(exc), hint=False) from None
    return PartialDate(year, month, day, expected=expected)


def _month_number(name: str, value: Any) -> int:
    month = _MONTHS.get(name.lower())
    if month is None:
        close = difflib.get_close_matches(name.lower(), list(_MONTHS), n=1, cutoff=0.6)
        why = f"'{name}' is not a month name"
        if close:
            why += f" (did you mean '{close[0].capitalize()}'?)"
        raise _bad(value, why)
    return month


def parse_date(value: Any) -> PartialDate:
    """Parse one date (not a range, not ``present``)."""
    return _parse_date(value, part=False)


def _parse_date(value: Any, part: bool) -> PartialDate:
    """Parse one date; ``part`` is true for one end of a range (errors then name that end)."""
    if isinstance(value, _dt.datetime):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, _dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        kind = {list: "a list", dict: "a mapping", float: "a number"}.get(type(value), type(value).__name__)
        raise _bad(value, f"a date must be text or a year, not {kind}")
    if isinstance(value, int):
        return _make(value, value, None, None, False)
    text = " ".join(value.split())
    if not text:
        raise _bad(value, "the date is empty")
    if text.lower() in PRESENT_WORDS:
        raise _bad(value, f"'{text}' can only end a range, as in 'Sep 2020 - {text}'", hint=False)
    expected = False
    for pattern in (_EXPECTED_PREFIX, _EXPECTED_SUFFIX):
        match = pattern.match(text)
        if match:
            text, expected = match.group(1).strip(), True
            break
    match = _YEAR_MONTH_DAY.match(text)
    if match:
        year, _sep, month, day = match.groups()
        return _make(value, int(year), int(month) if month else None, int(day) if day else None, expected)
    match = _MONTH_YEAR_NUMERIC.match(text)
    if match:
        return _make(value, int(match.group(2)), int(match.group(1)), None, expected)
    match = _CJK_DATE.match(text)
    if match:
        year, month, day = match.groups()
        return _make(value, int(year), int(month) if month else None, int(day) if day else None, expected)
    match = _SEASON_YEAR.match(text)
    if match:
        year = _check_year(int(match.group(2)), value)
        return PartialDate(year, season=_SEASON_NAMES[match.group(1).lower()], expected=expected)
    match = _MONTH_YEAR.match(text)
    if match:
        month = _month_number(match.group(1), value)
        day = int(match.group(2)) if match.group(2) else None
        return _make(value, int(match.group(3)), month, day, expected)
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        month = _month_number(match.group(2), value)
        return _make(value, int(match.group(3)), month, int(match.group(1)), expected)
    if re.fullmatch(r"\d{1,3}|\d{5,}", text):
        raise _bad(value, f"the year {text} does not have four digits")
    raise _bad(value, f"'{text}' is not a date" if part else "not a date")


def parse_date_or_present(value: Any, part: bool = False) -> PartialDate | str:
    """Parse a date that may also be ``present``."""
    if isinstance(value, str) and value.strip().lower() in PRESENT_WORDS:
        return PRESENT
    return _parse_date(value, part)


def check_order(start: PartialDate | None, end: PartialDate | str | None, value: Any) -> None:
    """Refuse a range whose end comes before its start (compared at the precision both have)."""
    if not isinstance(start, PartialDate) or not isinstance(end, PartialDate):
        return
    first: tuple[int, ...] = start.sort_key()
    last: tuple[int, ...] = end.sort_key()
    if start.season or end.season or start.month is None or end.month is None:
        first, last = first[:1], last[:1]
    elif start.day is None or end.day is None:
        first, last = first[:2], last[:2]
    if last < first:
        raise PydanticCustomError(
            "cv_date_order", "the range ends ({end}) before it starts ({start})",
            {"start": str(start), "end": str(end), "value": str(value)[:80]})


def _academic_year(left: str, right: str) -> DateRange | None:
    """``2019-20`` is the academic year 2019 to 2020."""
    if re.fullmatch(r"\d{4}", left) and re.fullmatch(r"\d{2}", right):
        first = int(left)
        last = first - first % 100 + int(right)
        if last == first + 1:
            return DateRange(PartialDate(first), PartialDate(last))
    return None


def _split_range(text: str, value: Any) -> DateRange | None:
    """Try every separator position; return the range when exactly one cut leaves two dates."""
    found: list[DateRange] = []
    first_error: PydanticCustomError | None = None
    for match in _SEPARATOR.finditer(text):
        left, right = text[: match.start()].strip(), text[match.end():].strip()
        if not left or not right:
            continue
        academic = _academic_year(left, right)
        if academic is not None:
            return academic
        try:
            found.append(DateRange(_parse_date(left, True), parse_date_or_present(right, True)))
        except PydanticCustomError as exc:
            if first_error is None and _SPACED_SEPARATOR.fullmatch(match.group(0)):
                first_error = exc
    if found:
        return found[0]
    if first_error is not None:
        raise first_error
    return None


def parse_range(value: Any) -> DateRange:
    """Parse ``Sep 2020 - Jun 2023``, ``2021--present``, ``2019-20``, or a single date."""
    if isinstance(value, DateRange):
        return value
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"start", "end"})
        if unknown:
            raise _bad(value, f"a date given as a mapping takes only 'start' and 'end', not '{unknown[0]}'",
                       hint=False)
        start = parse_date(value["start"]) if value.get("start") is not None else None
        end = parse_date_or_present(value["end"]) if value.get("end") is not None else None
        if start is None and end is None:
            raise _bad(value, "the date is empty")
        if start is None:
            start, end = _end_only(end, value), None
        check_order(start, end, value)
        return DateRange(start, end)
    if not isinstance(value, str):
        return DateRange(parse_date(value))
    text = " ".join(value.split())
    if not text:
        raise _bad(value, "the date is empty")
    try:
        return DateRange(parse_date(text))
    except PydanticCustomError as single_error:
        if re.search(r"(?:--|–|—|~|～|-|\bto\b|\buntil\b|\btill\b)\s*$", text, re.I):
            raise _bad(value, "the range has no end; write 'present' if it is ongoing, as in "
                       f"'{text.rstrip(' -–—~')} - present'", hint=False) from None
        if len(_SPACED_SEPARATOR.findall(text)) > 1:
            raise _bad(value, "a range has two dates, this has more") from None
        found = _split_range(text, value)
        if found is None:
            raise single_error from None
    check_order(found.start, found.end, value)
    return found


def _end_only(end: PartialDate | str | None, value: Any) -> PartialDate:
    """``end: 2021`` without a start is the single date 2021 (a graduation year)."""
    if not isinstance(end, PartialDate):
        raise _bad(value, "'present' needs a start date", hint=False)
    return end


__all__ = ["PRESENT", "DateRange", "PartialDate", "check_order", "parse_date", "parse_date_or_present",
           "parse_range"]
