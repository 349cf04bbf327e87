"""Partial dates and time windows.

Dates in this field are rarely exact: "October 2024", "2025-2027", "January 30" with the year
left to the reader, a joint statement "issued during the visit of 26-27 November". A
:class:`PartialDate` carries its precision (year, month, a few days of one month, or day) and
stands for the range of days it covers: ``2024-10`` is 1 to 31 October 2024, ``2014-11-26..27``
is 26 or 27 November 2014.

The "as of" rule
----------------
A dated event counts as having happened *as of* a day only when its whole range lies on or
before that day: an update dated ``2025-05`` counts as of 31 May 2025, not as of 12 May 2025.
So a status "as of" a day never rests on a guess, and moving the day later can only add
events, never remove them. When the "as of" value is itself partial (``"2025"``), it means the
last day of its range (31 December 2025).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from enum import IntEnum
from typing import Any, TypeAlias

import attrs
import pendulum

from pledges._fields import instance_of, optional, optional_text
from pledges.errors import FieldTypeError, InvalidDate

__all__ = ["DateLike", "PartialDate", "Precision", "Window", "as_of_day", "to_date"]

# ASCII digits only: "２０２０" is not a date here, whatever str.isdigit says.
_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:\.\.([0-9]{2}))?)?)?", re.ASCII)


class Precision(IntEnum):
    """How much of a date is known, from least to most."""

    YEAR = 1
    MONTH = 2
    DAYS = 3
    """One of a few days of one month (``2014-11-26..27``): a visit's days, say."""
    DAY = 4


def _check_parts(instance: PartialDate, attribute: Any, value: Any) -> None:
    year, month, day, until = instance.year, instance.month, instance.day, instance.until
    for name, part in (("year", year), ("month", month), ("day", day), ("until", until)):
        if part.__class__ is not int and (name == "year" or part is not None):
            raise FieldTypeError("PartialDate", name, part, "an integer")

    def fail(reason: str) -> InvalidDate:
        return InvalidDate(_format(year, month, day, until), reason)

    if until is not None and (day is None or not day < until):
        raise fail("a range of days needs a first day before its last")

    if not 1 <= year <= 9999:
        raise fail(f"year {year} is not 1-9999")
    if month is None:
        if day is not None:
            raise fail("a day needs a month")
        return
    if not 1 <= month <= 12:
        raise fail(f"month {month} is not 1-12")
    if day is None:
        return
    last = calendar.monthrange(year, month)[1]
    for part in (day, until):
        if part is not None and not 1 <= part <= last:
            raise fail(f"day {part} is not 1-{last} for {year}-{month:02d}")


def _day(ordinal: int) -> pendulum.Date:
    day = _dt.date.fromordinal(ordinal)
    return pendulum.Date(day.year, day.month, day.day)


def _format(year: int, month: int | None, day: int | None, until: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    if until is None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}..{until:02d}"


@attrs.frozen(order=False, eq=True, hash=True)
class PartialDate:
    """A date known to the year, the month, a few days of one month, or the day.

    Written ``2025``, ``2024-10``, ``2014-11-26..27`` (26 or 27 November) or ``2025-05-12``.
    Ordering sorts by the first day of the range, then the last; :meth:`certainly_before` and
    :meth:`overlaps` compare ranges.

    >>> PartialDate.parse("2024-10")
    PartialDate('2024-10')
    >>> PartialDate.parse("2024-10").last
    Date(2024, 10, 31)
    """

    year: int = attrs.field(validator=_check_parts)
    month: int | None = None
    day: int | None = None
    until: int | None = None
    """The last day of a range of days (``27`` in ``2014-11-26..27``); ``None`` otherwise."""
    # Both ends as ordinals, computed once: comparisons and "as of" checks use them constantly.
    first_ordinal: int = attrs.field(init=False, eq=False, repr=False)
    """Proleptic Gregorian ordinal of :attr:`first` (cheap to compare)."""
    last_ordinal: int = attrs.field(init=False, eq=False, repr=False)
    """Proleptic Gregorian ordinal of :attr:`last`."""

    def __attrs_post_init__(self) -> None:
        month = 12 if self.month is None else self.month
        if self.day is None:
            last_day = calendar.monthrange(self.year, month)[1]
        else:
            last_day = self.day if self.until is None else self.until
        first = _dt.date(self.year, self.month or 1, self.day or 1).toordinal()
        object.__setattr__(self, "first_ordinal", first)
        object.__setattr__(self, "last_ordinal", _dt.date(self.year, month, last_day).toordinal())

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD..DD`` or ``YYYY-MM-DD``; raise
        :class:`InvalidDate` otherwise."""
        if not isinstance(text, str):
            raise InvalidDate(repr(text), "expected a string")
        match = _PARTIAL.fullmatch(text)
        if match is None:
            raise InvalidDate(text, "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD..DD")
        year, *parts = match.groups()
        month, day, until = (None if part is None else int(part) for part in parts)
        return cls(int(year), month, day, until)

    @classmethod
    def of(cls, day: _dt.date) -> PartialDate:
        """The exact day of a ``date`` (pendulum's or the standard library's)."""
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> Precision:
        """How much of the date is known."""
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY if self.until is None else Precision.DAYS

    @property
    def first(self) -> pendulum.Date:
        """The first day of the range."""
        return _day(self.first_ordinal)

    @property
    def last(self) -> pendulum.Date:
        """The last day of the range."""
        return _day(self.last_ordinal)

    def certainly_before(self, other: PartialDate) -> bool:
        """True when every day of this range comes before every day of ``other``."""
        return self.last_ordinal < other.first_ordinal

    def overlaps(self, other: PartialDate) -> bool:
        """True when the two ranges share at least one day."""
        return not (self.certainly_before(other) or other.certainly_before(self))

    def contains(self, day: DateLike) -> bool:
        """True when the day (see :func:`as_of_day`) falls inside this range."""
        ordinal = as_of_day(day).toordinal()
        return self.first_ordinal <= ordinal <= self.last_ordinal

    def reached_by(self, as_of: DateLike) -> bool:
        """The "as of" rule: True when the whole range lies on or before ``as_of``."""
        return self.last_ordinal <= as_of_day(as_of).toordinal()

    def _key(self) -> tuple[int, int]:
        return (self.first_ordinal, self.last_ordinal)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() >= other._key()

    def __str__(self) -> str:
        return _format(self.year, self.month, self.day, self.until)

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"


DateLike: TypeAlias = "_dt.date | PartialDate | str"
"""What "as of" arguments accept: a date, a partial date, or its ISO text."""


def as_of_day(value: DateLike) -> pendulum.Date:
    """The day an "as of" argument stands for: a date itself, or the last day of a partial
    date (``"2025"`` means 31 December 2025).

    >>> as_of_day("2025-02")
    Date(2025, 2, 28)
    """
    if value.__class__ is pendulum.Date:
        return value
    if isinstance(value, PartialDate):
        return value.last
    if isinstance(value, str):
        return PartialDate.parse(value).last
    if isinstance(value, _dt.datetime):
        return pendulum.Date(value.year, value.month, value.day)
    if isinstance(value, _dt.date):
        if isinstance(value, pendulum.Date):
            return value
        return pendulum.Date(value.year, value.month, value.day)
    raise InvalidDate(repr(value), "expected a date, a partial date or an ISO string")


def to_date(value: DateLike | None) -> Any:
    """Converter of every date field of the records: ISO text is parsed (raising
    :class:`~pledges.errors.InvalidDate` when malformed), a ``date`` becomes its exact day; a
    :class:`PartialDate`, ``None`` and anything else pass through, for the field's validator
    to take or refuse."""
    if isinstance(value, str):
        return PartialDate.parse(value)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return PartialDate.of(value)
    return value


_optional_date = optional(instance_of(PartialDate))


def _check_window(instance: Window, attribute: Any, value: Any) -> None:
    start, end = instance.start, instance.end
    if start is not None and end is not None and end.certainly_before(start):
        raise InvalidDate(str(instance), f"the window ends ({end}) before it starts ({start})")


@attrs.frozen
class Window:
    """The time a pledge is meant to be kept in; either end may be open.

    ``wording`` keeps the words of the source ("in the near future", "early signing")
    when the window is vague. Written ``2025/2027``, ``2025-05/..`` or ``../2027``
    (ISO 8601-2 intervals, ``..`` for an open end).

    >>> w = Window.parse("2025/2027")
    >>> w.contains("2026-06-01"), w.ended_by("2028-01-01")
    (True, True)
    """

    start: PartialDate | None = attrs.field(
        default=None, converter=to_date, validator=[_optional_date, _check_window]
    )
    end: PartialDate | None = attrs.field(default=None, converter=to_date, validator=_optional_date)
    wording: str | None = attrs.field(default=None, validator=optional_text)

    @classmethod
    def parse(cls, text: str, wording: str | None = None) -> Window:
        """Parse ``START/END`` where either side may be ``..`` (open)."""
        if not isinstance(text, str) or text.count("/") != 1:
            raise InvalidDate(str(text), "expected a window START/END, with '..' for an open end")
        left, right = (part.strip() for part in text.split("/"))
        start = None if left in ("", "..") else PartialDate.parse(left)
        end = None if right in ("", "..") else PartialDate.parse(right)
        return cls(start, end, wording)

    @property
    def is_open(self) -> bool:
        """True when neither end is known."""
        return self.start is None and self.end is None

    def contains(self, day: DateLike) -> bool:
        """True when the day may fall inside the window (partial ends count in full)."""
        ordinal = as_of_day(day).toordinal()
        if self.start is not None and ordinal < self.start.first_ordinal:
            return False
        return self.end is None or ordinal <= self.end.last_ordinal

    def ended_by(self, as_of: DateLike) -> bool:
        """True when the window has a known end and the whole of it lies before ``as_of``."""
        return self.end is not None and self.end.last_ordinal < as_of_day(as_of).toordinal()

    def __str__(self) -> str:
        left = ".." if self.start is None else str(self.start)
        right = ".." if self.end is None else str(self.end)
        return f"{left}/{right}"
