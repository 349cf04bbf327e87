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
from typing import TYPE_CHECKING

import attrs
import pendulum

from pledges.dates import DateLike, PartialDate, as_of_day
from pledges.errors import InvalidQuery, NotFound
from pledges.ledger import Ledger, run_start
from pledges.lifecycle import StatusKind

if TYPE_CHECKING:
    import pandas as pd
from pledges.model import LinkKind, Occasion, Pledge, Update

__all__ = ["Change", "Diff", "DiffRow", "Point", "compare", "resolve_point", "rounds"]

_YEAR = re.compile(r"[0-9]{4}", re.ASCII)

PointLike = str | PartialDate | _dt.date | Occasion
"""What names a baseline or outcome: an occasion (or its id), a date or ISO text."""


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


@attrs.frozen(repr=False)
class DiffRow:
    """One pledge in a diff: its class, statuses, the updates and renewals in between, the
    reason for the class in words, and the judgements it rests on (the notes of the updates
    in between and of the renewing links)."""

    pledge: Pledge
    change: Change
    before: str | None
    after: str
    updates: tuple[Update, ...]
    renewed_by: tuple[Pledge, ...]
    reason: str
    judgements: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"DiffRow({self.pledge.id!r}, {self.change.value}, {self.before!r} -> "
            f"{self.after!r}, {len(self.updates)} updates between)"
        )

    @property
    def deciding(self) -> Update | None:
        """The update in between that the call rests on: the one that put the pledge in its
        status at the outcome (the first of the last run of that status), or the last one
        where the status did not change; ``None`` when nothing happened in between."""
        if not self.updates:
            return None
        if self.before == self.after:
            return self.updates[-1]
        return self.updates[run_start(self.updates)]


@attrs.frozen(repr=False)
class Diff:
    """The rows of a comparison, pledges made by the baseline first, then the new ones."""

    baseline: Point
    outcome: Point
    rows: tuple[DiffRow, ...]

    def __repr__(self) -> str:
        counts = ", ".join(f"{c.value} {n}" for c, n in self.counts().items() if n)
        return f"Diff({self.baseline.label!r} -> {self.outcome.label!r}: {counts or 'no rows'})"

    def counts(self) -> dict[Change, int]:
        """How many rows fall in each class, every class listed in :class:`Change`'s order."""
        found = Counter(row.change for row in self.rows)
        return {change: found[change] for change in Change}

    def of(self, *changes: Change) -> tuple[DiffRow, ...]:
        """The rows in the given classes."""
        return tuple(row for row in self.rows if row.change in changes)

    def to_frame(self) -> pd.DataFrame:
        """The diff as a pandas DataFrame, a row a pledge: see
        :func:`pledges.frames.diff_frame`."""
        from pledges.frames import diff_frame

        return diff_frame(self)

    def _repr_html_(self) -> str:
        """A notebook's view: the counts in words and each pledge's call."""
        from pledges.present.notebook import diff_html

        return diff_html(self)


def rounds(ledger: Ledger) -> tuple[Occasion, ...]:
    """The occasions at which pledges were made, in date order."""
    used = {p.occasion for p in ledger.pledges}
    return tuple(sorted((o for o in ledger.occasions if o.id in used), key=lambda o: o.start))


def _describe(occasions: tuple[Occasion, ...]) -> list[str]:
    return [
        f"{o.id} ({o.start}{'' if o.end is None else f' to {o.end}'}: {o.title})" for o in occasions
    ]


def resolve_point(ledger: Ledger, value: PointLike, *, year_means_round: bool = False) -> Point:
    """An occasion id, an :class:`~pledges.model.Occasion` or a date as a :class:`Point`.

    With ``year_means_round`` (as for a baseline), a bare year means the round held that year
    (in a ledger that has rounds); otherwise it is a date, the year's last day. Raises
    :class:`~pledges.errors.NotFound` naming the rounds when the value matches nothing."""
    if isinstance(value, Occasion):
        return _point_of(value)
    if isinstance(value, str):
        text = value.strip()
        if text in {o.id for o in ledger.occasions}:
            return _point_of(ledger.occasion(text))
        if year_means_round and _YEAR.fullmatch(text) and rounds(ledger):
            held = tuple(o for o in rounds(ledger) if o.start.year == int(text))
            if len(held) == 1:
                return _point_of(held[0])
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


def _point_of(occasion: Occasion) -> Point:
    """An occasion as a point: its last day, labelled with its title and id."""
    return Point(occasion.last.last, f"{occasion.title} ({occasion.id})", occasion)


def _no_rounds(ledger: Ledger) -> InvalidQuery:
    made = sorted(p.made_on for p in ledger.pledges)
    span = f" (pledges were made from {made[0]} to {made[-1]})" if made else ""
    return InvalidQuery(
        "this ledger has no rounds (occasions at which pledges were made) to compare by "
        f"default{span}: name both points, as dates or occasion ids "
        "(--baseline DATE --outcome DATE)"
    )


def compare(
    ledger: Ledger,
    baseline: PointLike | None = None,
    outcome: PointLike | None = None,
    *,
    known_at: DateLike | None = None,
) -> Diff:
    """Compare the pledges made by ``baseline`` with where they stood at ``outcome``; with
    ``known_at``, as could have been told on that day (only updates whose news had been
    published by then count).

    Defaults: the first round as baseline, the last round as outcome (see :func:`rounds`).
    Raises :class:`~pledges.errors.InvalidQuery` when a default is needed and there are no
    rounds, or when the outcome lies before the baseline.
    """
    known = rounds(ledger)
    if (baseline is None or outcome is None) and not known:
        raise _no_rounds(ledger)
    start = resolve_point(ledger, known[0] if baseline is None else baseline, year_means_round=True)
    end = resolve_point(ledger, known[-1] if outcome is None else outcome)
    if end.day < start.day:
        raise InvalidQuery(
            f"the outcome, {end.label} ({end.day}), comes before the baseline, "
            f"{start.label} ({start.day}): swap them"
        )
    earlier: list[DiffRow] = []
    new: list[DiffRow] = []
    for pledge in ledger.pledges:
        after = ledger.status_at(pledge, end.day, known_at=known_at)
        if after is None:
            continue
        before = ledger.status_at(pledge, start.day, known_at=known_at)
        updates = ledger.updates_between(pledge, start.day, end.day, known_at=known_at)
        renewing = [
            (p, link)
            for p in ledger.linked_to(pledge, LinkKind.RENEWS)
            if ledger.status_at(p, end.day, known_at=known_at) is not None
            and ledger.status_at(p, start.day, known_at=known_at) is None
            for link in p.links
            if link.kind is LinkKind.RENEWS and link.pledge == pledge.id
        ]
        renewed = tuple(dict.fromkeys(p for p, _ in renewing))
        judgements = (
            *(u.note for u in updates if u.note),
            *(f"{p.id}: {link.note}" for p, link in renewing if link.note),
        )
        if before is None:
            renews = pledge.linked(LinkKind.RENEWS)
            reason = f"made {pledge.made_on}, after the baseline"
            if renews:
                reason += f"; renews {', '.join(renews)}"
            row = DiffRow(pledge, Change.NEW, None, after, updates, renewed, reason, judgements)
            new.append(row)
        else:
            change, reason = _classify(ledger, pledge, before, after, updates, renewed)
            earlier.append(
                DiffRow(pledge, change, before, after, updates, renewed, reason, judgements)
            )
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
    if new.kind is StatusKind.CLOSED and old.kind is not StatusKind.CLOSED:
        return Change.CLOSED, "closed without being kept"
    if new.kind is StatusKind.FULFILLED and old.kind is not StatusKind.FULFILLED:
        return Change.FULFILLED, f"kept: now {new.label}, was {old.label}"
    if before != after:
        direction = lifecycle.progress(before, after)
        if direction > 0:
            return Change.PROGRESSED, f"moved forward, from {old.label} to {new.label}"
        if direction < 0:
            return Change.REGRESSED, f"moved back, from {old.label} to {new.label}"
        return Change.REAFFIRMED, (
            f"moved sideways, from {old.label} to {new.label} (neither forward nor back)"
        )
    if updates or renewed:
        parts = []
        if updates:
            parts.append(f"{len(updates)} update{'s' * (len(updates) != 1)}")
        if renewed:
            parts.append(f"renewed by {', '.join(p.id for p in renewed)}")
        return Change.REAFFIRMED, f"restated, no new step: still {new.label} ({'; '.join(parts)})"
    return Change.NO_EVIDENCE, f"no news found: still {new.label}, nothing reported in between"
