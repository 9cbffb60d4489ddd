"""Dates as researchers write them: parsed once in the model, printed as the reader expects."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic_core import PydanticCustomError

from cvrender.context.words import Translator
from cvrender.model.dates import PRESENT, DateRange, PartialDate, parse_date, parse_range

EN = Translator("en")


@pytest.mark.parametrize(("written", "printed"), [
    ("2020", "2020"),
    (2020, "2020"),
    ("2020-09", "Sep 2020"),
    ("2020-09-01", "Sep 1, 2020"),
    (dt.date(2020, 9, 1), "Sep 1, 2020"),
    ("Sep 2020", "Sep 2020"),
    ("Sep. 2020", "Sep 2020"),
    ("Sept. 2020", "Sep 2020"),
    ("September 2020", "Sep 2020"),
    ("November. 2022", "Nov 2022"),
    ("sep 2020", "Sep 2020"),
    ("1 Sep 2020", "Sep 1, 2020"),
    ("Sep 1, 2020", "Sep 1, 2020"),
    ("09/2020", "Sep 2020"),
    ("2020.09", "Sep 2020"),
    ("2020年9月", "Sep 2020"),
    ("Fall 2020", "Fall 2020"),
    ("Autumn 2020", "Fall 2020"),
    ("Spring semester 2021", "Spring 2021"),
    ("expected Jul 2025", "expected Jul 2025"),
    ("Jul. 2025 (expected)", "expected Jul 2025"),
    ("exp. 2026", "expected 2026"),
])
def test_single_dates(written: object, printed: str) -> None:
    value = parse_range(written)
    assert value.is_single
    assert EN.date_range(value) == printed


@pytest.mark.parametrize(("written", "printed"), [
    ("Sep. 2020 - Jun. 2023", "Sep 2020 – Jun 2023"),
    ("November. 2022 -- March. 2023", "Nov 2022 – Mar 2023"),
    ("Mar. 2021 -- December. 2021", "Mar 2021 – Dec 2021"),
    ("Mar. 2023-Dec. 2023", "Mar 2023 – Dec 2023"),
    ("Jul. 2022-Nov 2022", "Jul 2022 – Nov 2022"),
    ("Jul. 2021-Present", "Jul 2021 – present"),
    ("2020 – 2021", "2020 – 2021"),
    ("2020—2021", "2020 – 2021"),
    ("2020 to 2021", "2020 – 2021"),
    ("2020-2021", "2020 – 2021"),
    ("2021--present", "2021 – present"),
    ("2021 - now", "2021 – present"),
    ("2020-09 - 2021-06", "Sep 2020 – Jun 2021"),
    ("2020-09-2021-06", "Sep 2020 – Jun 2021"),
    ("2020.09 - 2023.06", "Sep 2020 – Jun 2023"),
    ("2020.09-至今", "Sep 2020 – present"),
    ("2019-20", "2019 – 2020"),
    ("Sep 2021 - expected Jun 2025", "Sep 2021 – expected Jun 2025"),
    ("Spring 2021 – Fall 2021", "Spring 2021 – Fall 2021"),
    ({"start": "Sep 2020", "end": "present"}, "Sep 2020 – present"),
])
def test_ranges(written: object, printed: str) -> None:
    value = parse_range(written)
    assert not value.is_single
    assert EN.date_range(value) == printed


def test_ranges_are_normalised_in_the_model() -> None:
    value = parse_range("Sep. 2020 -- present")
    assert value.start == PartialDate(2020, 9)
    assert value.end == PRESENT and value.is_ongoing
    assert parse_range("Jul. 2025 (expected)").start == PartialDate(2025, 7, expected=True)
    assert parse_range("Fall 2020").start == PartialDate(2020, season="fall")
    # The text form reads back to the same value (it is what the model serialises to).
    for written in ("Sep. 2020 - Jun. 2023", "Fall 2019 - present", "expected Jul 2025"):
        value = parse_range(written)
        assert parse_range(str(value)) == value


def test_dates_sort_chronologically_with_seasons_in_place() -> None:
    dates = [parse_date(x) for x in ("Fall 2020", "2020", "Mar 2020", "Winter 2020", "2019-12-31")]
    assert [str(d) for d in sorted(dates)] == ["2019-12-31", "2020", "Winter 2020", "2020-03", "Fall 2020"]


def test_localised_printing() -> None:
    zh = Translator("zh")
    assert zh.date_range(parse_range("Sep 2020 - present")) == "2020年9月 – 至今"


@pytest.mark.parametrize(("written", "why"), [
    ("Sept 20200", "the year 20200 does not have four digits"),
    ("Foo 2020", "'Foo' is not a month name"),
    ("Setp 2020", "did you mean 'Sep'?"),
    ("2020-13", "month 13 is not between 1 and 12"),
    ("2021-02-30", "day is out of range for month"),
    ("202", "the year 202 does not have four digits"),
    ("soon", "not a date"),
    ("", "the date is empty"),
    ("present", "'present' can only end a range"),
    ("2020 -", "the range has no end; write 'present' if it is ongoing"),
    ("2020 - 2021 - 2022", "a range has two dates, this has more"),
    ("Jun 2020 - foo", "'foo' is not a date"),
    ("Sep 2023 - Jan 2020", "the range ends (2020-01) before it starts (2023-09)"),
    ("2023 to 2020", "the range ends (2020) before it starts (2023)"),
    ([2020], "a date must be text or a year, not a list"),
    (True, "a date must be text or a year"),
    ({"start": "2020", "until": "2021"}, "takes only 'start' and 'end', not 'until'"),
])
def test_bad_dates_say_why(written: object, why: str) -> None:
    with pytest.raises(PydanticCustomError) as info:
        parse_range(written)
    assert info.value.type in ("cv_date", "cv_date_order")
    assert why in str(info.value)


def test_same_year_at_different_precision_is_not_backwards() -> None:
    assert EN.date_range(parse_range("Sep 2020 - 2020")) == "Sep 2020 – 2020"
    assert EN.date_range(parse_range("2020 - Mar 2020")) == "2020 – Mar 2020"


def test_a_range_value_passes_through() -> None:
    value = DateRange(PartialDate(2020), PRESENT)
    assert parse_range(value) is value
