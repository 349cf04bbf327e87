"""Partial dates and windows."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pendulum
import pytest
from hypothesis import given, strategies as st

from pledges.dates import PartialDate, Precision, Window, as_of_day
from pledges.errors import FieldTypeError, InvalidDate, InvalidField
from pledges.testing import days, partial_dates, windows


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2025", Precision.YEAR, (2025, 1, 1), (2025, 12, 31)),
        ("2024-10", Precision.MONTH, (2024, 10, 1), (2024, 10, 31)),
        ("2024-02", Precision.MONTH, (2024, 2, 1), (2024, 2, 29)),
        ("2025-05-12", Precision.DAY, (2025, 5, 12), (2025, 5, 12)),
        ("2014-11-26..27", Precision.DAYS, (2014, 11, 26), (2014, 11, 27)),
    ],
)
def test_a_partial_date_stands_for_the_range_of_days_it_covers(
    text: str, precision: Precision, first: tuple[int, int, int], last: tuple[int, int, int]
) -> None:
    date = PartialDate.parse(text)
    assert date.precision is precision
    assert date.first == pendulum.Date(*first)
    assert date.last == pendulum.Date(*last)
    assert isinstance(date.first, pendulum.Date)
    assert str(date) == text


EXPECTED = "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD..DD"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-13-01", "month 13 is not 1-12"),
        ("2025-00", "month 0 is not 1-12"),
        ("2025-02-30", "day 30 is not 1-28 for 2025-02"),
        ("2025-02-29", "day 29 is not 1-28 for 2025-02"),
        ("2025-02-00", "day 0 is not 1-28 for 2025-02"),
        ("May 2025", EXPECTED),
        ("2014-11-27..26", "a range of days needs a first day before its last"),
        ("2014-11-26..26", "a range of days needs a first day before its last"),
        ("2014-11-26..31", "day 31 is not 1-30 for 2014-11"),
        ("2014-11..27", EXPECTED),
        ("", EXPECTED),
        ("2025-5-1", EXPECTED),
        ("0000", "year 0 is not 1-9999"),
        ("２０２０", EXPECTED),
        ("2020-١٠", EXPECTED),
        (" 2025", EXPECTED),
        ("2025\n", EXPECTED),
    ],
)
def test_malformed_dates_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        PartialDate.parse(text)
    assert (caught.value.text, caught.value.reason) == (text, reason)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "text",
    ["0001", "9999", "9999-12-31", "2024-02-29", "2025-01-01", "2025-12-28", "2025-01-01..02"],
)
def test_dates_at_the_edges_of_the_calendar_are_accepted(text: str) -> None:
    assert str(PartialDate.parse(text)) == text


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        ((0,), "year 0 is not 1-9999"),
        ((10000,), "year 10000 is not 1-9999"),
        ((2025, None, 3), "a day needs a month"),
        ((2025, 1, 3, 3), "a range of days needs a first day before its last"),
    ],
)
def test_parts_out_of_range_are_refused_with_the_reason(
    parts: tuple[int | None, ...], reason: str
) -> None:
    with pytest.raises(InvalidDate) as caught:
        PartialDate(*parts)  # type: ignore[arg-type]
    assert caught.value.reason == reason


def test_the_parts_of_a_date_must_be_integers() -> None:
    with pytest.raises(FieldTypeError) as caught:
        PartialDate("2025")  # type: ignore[arg-type]
    assert (caught.value.record, caught.value.field, caught.value.value) == (
        "PartialDate",
        "year",
        "2025",
    )
    with pytest.raises(FieldTypeError, match=r"PartialDate\.month must be an integer"):
        PartialDate(2025, True)
    for parts, field in [
        ((None,), "year"),
        ((2025, 1, "3"), "day"),
        ((2025, 1, 3, 4.0), "until"),
    ]:
        with pytest.raises(FieldTypeError) as caught:
            PartialDate(*parts)  # type: ignore[arg-type]
        assert caught.value.field == field


def test_date_fields_take_text_dates_and_partial_dates_and_refuse_the_rest() -> None:
    assert Window("2025", date(2027, 1, 1)) == Window(PartialDate(2025), PartialDate(2027, 1, 1))
    with pytest.raises(FieldTypeError) as caught:
        Window(20250512)  # type: ignore[arg-type]
    assert (caught.value.record, caught.value.field) == ("Window", "start")
    with pytest.raises(InvalidField, match=r"Window\.wording must be text"):
        Window(None, None, " ")


@given(partial_dates())
def test_text_round_trips(date: PartialDate) -> None:
    assert PartialDate.parse(str(date)) == date


@given(partial_dates())
def test_a_partial_date_contains_its_first_and_last_day(date: PartialDate) -> None:
    assert date.first <= date.last
    assert date.contains(date.first)
    assert date.contains(date.last)


@given(partial_dates(), partial_dates(), partial_dates())
def test_ordering_is_a_total_order(a: PartialDate, b: PartialDate, c: PartialDate) -> None:
    assert (a <= b) or (b <= a)
    assert (a <= b and b <= a) == (a == b)
    if a <= b and b <= c:
        assert a <= c
    assert sorted([a, b, c]) == sorted([c, b, a])


@given(partial_dates(), partial_dates())
def test_each_comparison_orders_by_first_day_then_last_day(a: PartialDate, b: PartialDate) -> None:
    key_a, key_b = (a.first, a.last), (b.first, b.last)
    assert (a < b, a <= b, a > b, a >= b) == (
        key_a < key_b,
        key_a <= key_b,
        key_a > key_b,
        key_a >= key_b,
    )
    for compare in (a.__lt__, a.__le__, a.__gt__, a.__ge__):
        assert compare(str(b)) is NotImplemented


@given(partial_dates(), partial_dates())
def test_certainly_before_means_every_day_of_one_precedes_every_day_of_the_other(
    a: PartialDate, b: PartialDate
) -> None:
    assert a.certainly_before(b) == (a.last < b.first)
    assert not (a.certainly_before(b) and b.certainly_before(a))
    assert a.overlaps(b) == (not a.certainly_before(b) and not b.certainly_before(a))
    if a.certainly_before(b):
        assert a < b


@given(partial_dates(), days())
def test_as_of_counts_a_partial_date_only_once_its_whole_range_has_passed(
    date: PartialDate, day: dt.date
) -> None:
    assert date.reached_by(day) == (date.last <= day)


@given(partial_dates(), days(), days())
def test_as_of_is_monotonic_later_days_never_uncount_an_event(
    date: PartialDate, one: dt.date, other: dt.date
) -> None:
    early, late = sorted([one, other])
    if date.reached_by(early):
        assert date.reached_by(late)


@given(partial_dates())
def test_a_partial_as_of_means_its_last_day(date: PartialDate) -> None:
    assert as_of_day(date) == date.last
    assert as_of_day(str(date)) == date.last


def test_as_of_accepts_standard_library_dates_and_datetimes() -> None:
    assert as_of_day(dt.date(2025, 5, 12)) == pendulum.Date(2025, 5, 12)
    assert as_of_day(dt.datetime(2025, 5, 12, 23, 59)) == pendulum.Date(2025, 5, 12)
    with pytest.raises(InvalidDate):
        as_of_day(20250512)  # type: ignore[arg-type]


@given(windows())
def test_window_text_round_trips(window: Window) -> None:
    assert Window.parse(str(window), window.wording) == window


@given(windows(), days())
def test_a_window_has_ended_only_after_its_last_day(window: Window, day: dt.date) -> None:
    if window.ended_by(day):
        assert window.end is not None
        assert window.end.last < day
        assert not window.contains(day)
    if window.end is None:
        assert not window.ended_by(day)


@given(st.integers(2000, 2030), st.integers(0, 5))
def test_a_window_from_year_to_year_contains_every_day_between(start: int, span: int) -> None:
    window = Window.parse(f"{start}/{start + span}")
    assert window.contains(f"{start}-01-01")
    assert window.contains(f"{start + span}-12-31")
    assert not window.contains(f"{start + span + 1}-01-01")
    assert window.ended_by(f"{start + span + 1}-01-01")


def test_a_window_ends_after_its_last_day_not_on_it() -> None:
    window = Window.parse("2025/2027")
    assert not window.ended_by("2027-12-31")
    assert window.ended_by("2028-01-01")


def test_an_as_of_that_is_no_date_is_refused_with_what_it_was() -> None:
    with pytest.raises(InvalidDate) as caught:
        as_of_day(3.5)  # type: ignore[arg-type]
    assert (caught.value.text, caught.value.reason) == (
        "3.5",
        "expected a date, a partial date or an ISO string",
    )


def test_open_windows() -> None:
    assert Window.parse("../..").is_open
    assert Window.parse("2025-05/..").contains("2090-01-01")
    assert not Window.parse("2025-05/..").ended_by("2090-01-01")
    assert Window.parse("../2027").ended_by("2028")


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidDate) as caught:
        Window.parse("2027/2025")
    assert (caught.value.text, caught.value.reason) == (
        "2027/2025",
        "the window ends (2025) before it starts (2027)",
    )
    with pytest.raises(InvalidDate, match="START/END"):
        Window.parse("2025-2027")


def test_what_cannot_be_parsed_says_what_it_was_and_what_is_expected() -> None:
    with pytest.raises(InvalidDate) as caught:
        PartialDate.parse(2025)  # type: ignore[arg-type]
    assert (caught.value.text, caught.value.reason) == ("2025", "expected a string")
    with pytest.raises(InvalidDate) as caught:
        PartialDate.parse("May 2025")
    assert (caught.value.text, caught.value.reason) == (
        "May 2025",
        "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD..DD",
    )
    with pytest.raises(InvalidDate) as caught:
        Window.parse("2025")
    assert (caught.value.text, caught.value.reason) == (
        "2025",
        "expected a window START/END, with '..' for an open end",
    )


def test_a_window_end_may_be_left_empty_or_dotted() -> None:
    assert (
        Window.parse("/2027") == Window.parse("../2027") == Window(None, PartialDate.parse("2027"))
    )
    assert (
        Window.parse("2025/") == Window.parse("2025/..") == Window(PartialDate.parse("2025"), None)
    )


def test_a_day_before_a_window_is_outside_it() -> None:
    window = Window.parse("2025-05/2027")
    assert not window.contains("2025-04-30")
    assert window.contains("2025-05-01")
    assert window.contains("2027-12-31")
    assert not window.contains("2028-01-01")


def test_dates_compare_only_with_dates_and_show_their_text() -> None:
    assert PartialDate.parse("2025").__le__("2025") is NotImplemented
    assert PartialDate.parse("2025") <= PartialDate.parse("2025-05")
    assert not PartialDate.parse("2025-05") <= PartialDate.parse("2025")
    assert repr(PartialDate.parse("2014-11-26..27")) == "PartialDate('2014-11-26..27')"
