"""One round of commitments against a later date: what became of each pledge.

:func:`compare` takes a baseline and an outcome, each an occasion (by id) or a date, and gives
one :class:`DiffRow` per pledge: its status at both, the updates and renewals in between, and a
:class:`Change` class with the reason for it, so that a reader can disagree with the call.

The classes, tried in this order for a pledge made by the baseline:

- **closed** -- its status at the outcome is of kind ``closed`` (withdrawn, superseded,
  terminated) and was not at the baseline;
- **fulfilled** -- its status at the outcome is of kind ``fulfilled`` and was not at the
  baseline;
- **progressed** / **regressed** -- its status moved up / down its lifecycle's progress rank
  (between statuses of equal rank, by their score);
- **reaffirmed** -- its status is the same (or moved sideways, to one of equal rank and score),
  and there is at least one update in between or a later pledge that renews it;
- **no evidence** -- nothing in between: the sources are silent, which is not "broken".

A pledge made after the baseline (and by the outcome) is **new**.

Rounds are the occasions at which pledges were made. A bare year as baseline means the round
held that year; a year with no round, such as the brief's "2013" for the 2014 talks, is refused
with a message naming the rounds, never silently moved to another year. A bare year as outcome
is a date: the last day of that year.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from enum import StrEnum

import attrs
import pendulum

from pledges.dates import PartialDate, as_of_day
from pledges.errors import NotFound
from pledges.ledger import Ledger
from pledges.lifecycle import StatusKind
from pledges.model import LinkKind, Occasion, Pledge, Update

__all__ = ["Change", "Diff", "DiffRow", "Point", "compare", "resolve_point", "rounds"]

_YEAR = re.compile(r"\d{4}")


class Change(StrEnum):
    """What became of a pledge between two points."""

    FULFILLED = "fulfilled"
    PROGRESSED = "progressed"
    REAFFIRMED = "reaffirmed"
    REGRESSED = "regressed"
    CLOSED = "closed"
    NO_EVIDENCE = "no evidence"
    NEW = "new"


@attrs.frozen
class Point:
    """A baseline or outcome: the day it stands for and how to call it."""

    day: pendulum.Date
    label: str
    occasion: Occasion | None = None


@attrs.frozen
class DiffRow:
    """One pledge in a diff: its class, statuses, the updates and renewals in between, and the
    reason for the class in words."""

    pledge: Pledge
    change: Change
    before: str | None
    after: str
    updates: tuple[Update, ...]
    renewed_by: tuple[Pledge, ...]
    reason: str


@attrs.frozen
class Diff:
    """The rows of a comparison, pledges made by the baseline first, then the new ones."""

    baseline: Point
    outcome: Point
    rows: tuple[DiffRow, ...]

    def counts(self) -> dict[Change, int]:
        """How many rows fall in each class, every class listed in :class:`Change`'s order."""
        found = Counter(row.change for row in self.rows)
        return {change: found[change] for change in Change}

    def of(self, *changes: Change) -> tuple[DiffRow, ...]:
        """The rows in the given classes."""
        return tuple(row for row in self.rows if row.change in changes)


def rounds(ledger: Ledger) -> tuple[Occasion, ...]:
    """The occasions at which pledges were made, in date order."""
    used = {p.occasion for p in ledger.pledges}
    return tuple(sorted((o for o in ledger.occasions if o.id in used), key=lambda o: o.start))


def _describe(occasions: tuple[Occasion, ...]) -> list[str]:
    return [
        f"{o.id} ({o.start}{'' if o.end is None else f' to {o.end}'}: {o.title})" for o in occasions
    ]


def resolve_point(
    ledger: Ledger,
    value: str | PartialDate | _dt.date | Occasion,
    *,
    year_means_round: bool = False,
) -> Point:
    """An occasion id, an :class:`~pledges.model.Occasion` or a date as a :class:`Point`.

    With ``year_means_round`` (as for a baseline), a bare year means the round held that year;
    otherwise it is a date, the year's last day. Raises :class:`~pledges.errors.NotFound`
    naming the rounds when the value matches nothing."""
    if isinstance(value, Occasion):
        return Point(value.last.last, f"{value.title} ({value.id})", value)
    if isinstance(value, str):
        text = value.strip()
        if text in {o.id for o in ledger.occasions}:
            return resolve_point(ledger, ledger.occasion(text))
        if year_means_round and _YEAR.fullmatch(text):
            held = tuple(o for o in rounds(ledger) if o.start.year == int(text))
            if len(held) == 1:
                return resolve_point(ledger, held[0])
            kind = "round held in" if not held else "single round held in"
            advice = "name an occasion id, or a full date such as 2014-11-26"
            raise NotFound(kind, text, _describe(held or rounds(ledger)), advice)
        try:
            day = as_of_day(text)
        except ValueError:
            raise NotFound("occasion or date", text, _describe(rounds(ledger))) from None
        return Point(day, str(day))
    day = as_of_day(value)
    return Point(day, str(day))


def compare(
    ledger: Ledger,
    baseline: str | PartialDate | _dt.date | Occasion | None = None,
    outcome: str | PartialDate | _dt.date | Occasion | None = None,
) -> Diff:
    """Compare the pledges made by ``baseline`` with where they stood at ``outcome``.

    Defaults: the first round as baseline, the last round as outcome (see :func:`rounds`).
    """
    known = rounds(ledger)
    if (baseline is None or outcome is None) and not known:
        raise NotFound("round (an occasion with pledges)", "", [])
    start = resolve_point(ledger, known[0] if baseline is None else baseline, year_means_round=True)
    end = resolve_point(ledger, known[-1] if outcome is None else outcome)
    if end.day < start.day:
        raise NotFound("outcome on or after the baseline", end.label, [start.label])
    earlier: list[DiffRow] = []
    new: list[DiffRow] = []
    for pledge in ledger.pledges:
        after = ledger.status_at(pledge, end.day)
        if after is None:
            continue
        before = ledger.status_at(pledge, start.day)
        updates = pledge.updates_between(start.day, end.day)
        renewed = tuple(
            p
            for p in ledger.linked_to(pledge, LinkKind.RENEWS)
            if ledger.status_at(p, end.day) is not None and ledger.status_at(p, start.day) is None
        )
        if before is None:
            renews = pledge.linked(LinkKind.RENEWS)
            reason = f"made {pledge.made_on}, after the baseline"
            if renews:
                reason += f"; renews {', '.join(renews)}"
            new.append(DiffRow(pledge, Change.NEW, None, after, updates, renewed, reason))
        else:
            change, reason = _classify(ledger, pledge, before, after, updates, renewed)
            earlier.append(DiffRow(pledge, change, before, after, updates, renewed, reason))
    return Diff(start, end, (*earlier, *new))


def _classify(
    ledger: Ledger,
    pledge: Pledge,
    before: str,
    after: str,
    updates: tuple[Update, ...],
    renewed: tuple[Pledge, ...],
) -> tuple[Change, str]:
    lifecycle = ledger.lifecycle_of(pledge)
    old, new = lifecycle.status(before), lifecycle.status(after)
    move = f"{old.label} -> {new.label}"
    if new.kind is StatusKind.CLOSED and old.kind is not StatusKind.CLOSED:
        return Change.CLOSED, f"{move}: closed without being kept"
    if new.kind is StatusKind.FULFILLED and old.kind is not StatusKind.FULFILLED:
        return Change.FULFILLED, f"{move}: now {new.kind.value}"
    if before != after:
        up, down = (new.rank, new.score or 0), (old.rank, old.score or 0)
        if up > down:
            return Change.PROGRESSED, f"{move}: up the {lifecycle.label} scale"
        if up < down:
            return Change.REGRESSED, f"{move}: down the {lifecycle.label} scale"
        return Change.REAFFIRMED, f"{move}: a move sideways, neither up nor down"
    if updates or renewed:
        parts = []
        if updates:
            parts.append(f"{len(updates)} update{'s' * (len(updates) != 1)}")
        if renewed:
            parts.append(f"renewed by {', '.join(p.id for p in renewed)}")
        return Change.REAFFIRMED, f"still {new.label}: {'; '.join(parts)}"
    return Change.NO_EVIDENCE, f"still {new.label}: nothing reported in between"
