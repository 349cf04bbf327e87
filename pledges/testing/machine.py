"""A stateful test of a lifecycle, for your own lifecycles as for pledges' presets.

:class:`LifecycleMachine` drives one pledge through random moves, reaffirmations, reopens,
steps back in time, second makings and unknown statuses, at every date precision. Each step
is offered to the checker (:meth:`~pledges.lifecycle.Lifecycle.violations`), and the
checker's verdict must agree with an oracle that reads the lifecycle's table directly (its
statuses, ``to``, ``reopen_to``, ``final`` and ``initial``): a checker that lets a forbidden
move through, or refuses an allowed one, fails the test. A ledger holding the pledge must
agree on its status.
"""

from __future__ import annotations

import datetime as _dt
from typing import ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.model import Actor, Evidence, Pledge, Source, Update, UpdateKind
from pledges.presets import DEFAULT
from pledges.testing.paths import kind_of, moves, shortest_paths
from pledges.testing.strategies import coarsen, statuses

__all__ = ["LifecycleMachine"]

_KINDS = st.sampled_from(tuple(UpdateKind))
_PRECISION = st.sampled_from((4, 4, 3, 2, 1))


class LifecycleMachine(RuleBasedStateMachine):
    """Drives one pledge through random steps; every verdict of the checker must match the
    lifecycle's own table.

    Subclass it, set :attr:`lifecycle`, and add ``@invariant`` methods for rules of your own;
    run it through ``YourMachine.TestCase``.
    """

    lifecycle: ClassVar[Lifecycle] = DEFAULT
    """The lifecycle under test."""

    def __init__(self) -> None:
        super().__init__()
        self.history: list[Update] = []
        self.day = _dt.date(2000, 1, 1)
        self.refused = 0
        self.taken: dict[tuple[str, str], int] = {}  # how often each step was taken
        self._agreed = 0  # how long the history was when a ledger last agreed with it

    def expected(self, update: Update) -> bool:
        """Whether the lifecycle's table, read directly, lets ``update`` follow the history:
        known status; the first update the initial status, of kind ``made``, and no other;
        no date wholly before an earlier one; the same status unless reopening; a move in
        ``to`` (not a reopen) from an open status, in ``reopen_to`` (a reopen) from a final
        one."""
        table = {s.id: s for s in self.lifecycle.statuses}
        if update.status not in table:
            return False
        if not self.history:
            return update.status == self.lifecycle.initial and update.kind is UpdateKind.MADE
        if update.kind is UpdateKind.MADE:
            return False
        if update.date.last_ordinal < max(u.date.first_ordinal for u in self.history):
            return False
        before = table[self.history[-1].status]
        reopening = update.kind is UpdateKind.REOPENED
        if update.status == before.id:
            return not reopening
        if before.final:
            return reopening and update.status in before.reopen_to
        return not reopening and update.status in before.to

    def _update(self, status: str, kind: UpdateKind, days: int, precision: int) -> Update:
        day = self.day + _dt.timedelta(days=days)
        if days > 0:
            self.day = day
        date = coarsen(day, precision)
        return Update(date, status, kind, (Evidence("src", quote="q"),))

    def offer(self, update: Update) -> bool:
        """Offer ``update`` to the checker: it must accept it exactly when
        :meth:`expected` does (and then it is appended), and when it refuses, every error
        must be about the new update."""
        candidate = [*self.history, update]
        errors = self.lifecycle.violations(candidate)
        assert (not errors) == self.expected(update), (update, errors, self.history)
        if errors:
            assert all(e.index == len(self.history) for e in errors), errors
            self.refused += 1
            return False
        if self.history:
            step = (self.history[-1].status, update.status)
            self.taken[step] = self.taken.get(step, 0) + 1
        self.history = candidate
        return True

    @precondition(lambda self: not self.history)
    @rule(precision=_PRECISION)
    def make(self, precision: int) -> None:
        """Make the pledge in the initial status."""
        self.offer(self._update(self.lifecycle.initial, UpdateKind.MADE, 30, precision))

    @precondition(lambda self: not self.history)
    @rule(data=st.data())
    def make_wrongly(self, data: st.DataObject) -> None:
        """Start with any status and kind: only the initial status made is accepted."""
        status = data.draw(statuses(self.lifecycle))
        self.offer(self._update(status, data.draw(_KINDS), 30, data.draw(_PRECISION)))

    @precondition(lambda self: bool(self.history))
    @rule(data=st.data(), days=st.integers(0, 800), precision=_PRECISION)
    def step(self, data: st.DataObject, days: int, precision: int) -> None:
        """Any status, any kind of step, some days later (or on the same day)."""
        status = data.draw(statuses(self.lifecycle))
        self.offer(self._update(status, data.draw(_KINDS), days, precision))

    @precondition(lambda self: bool(self.history))
    @rule(days=st.integers(1, 800), precision=_PRECISION)
    def reaffirm(self, days: int, precision: int) -> None:
        """Restate the pledge: the status stays."""
        self.offer(self._update(self.history[-1].status, UpdateKind.REAFFIRMED, days, precision))

    @precondition(lambda self: bool(self.history))
    @rule(data=st.data())
    def allowed_move(self, data: st.DataObject) -> None:
        """A move the table allows, so that long walks happen."""
        current = self.lifecycle.status(self.history[-1].status)
        targets = current.reopen_to if current.final else current.to
        if targets:
            kind = UpdateKind.REOPENED if current.final else UpdateKind.PROGRESS
            status = data.draw(st.sampled_from(targets))
            assert self.offer(self._update(status, kind, data.draw(st.integers(1, 400)), 3))

    @precondition(lambda self: bool(self.history))
    @rule(data=st.data())
    def target_move(self, data: st.DataObject) -> None:
        """Choose a step among those of the lifecycle this run has taken least, walk there
        by the shortest way and take it: a run covers every step the lifecycle allows as
        soon as it can."""
        taken = self.taken
        least = min(taken.get(m, 0) for m in moves(self.lifecycle))
        candidates = [m for m in moves(self.lifecycle) if taken.get(m, 0) == least]
        before, after = candidates[data.draw(st.integers(0, len(candidates) - 1))]
        route = shortest_paths(self.lifecycle, self.history[-1].status).get(before)
        if route is None:
            return  # not reachable from here (a final status that cannot be reopened)
        for here, there in zip((*route, after), (*route, after)[1:], strict=False):
            step = self._update(there, kind_of(self.lifecycle, here, there), 30, 4)
            assert self.offer(step), (here, there)

    @precondition(lambda self: bool(self.history))
    @rule(days=st.integers(-800, -1), precision=_PRECISION)
    def step_back(self, days: int, precision: int) -> None:
        """A step dated before an earlier one (refused unless its range overlaps)."""
        self.offer(self._update(self.history[-1].status, UpdateKind.REAFFIRMED, days, precision))

    @precondition(lambda self: bool(self.history))
    @rule(status=st.text("xyz-", min_size=1, max_size=5).map(lambda s: f"unknown{s}"))
    def unknown_status(self, status: str) -> None:
        """A status the lifecycle does not have."""
        self.offer(self._update(status, UpdateKind.PROGRESS, 1, 3))

    @invariant()
    def ledger_agrees(self) -> None:
        """A ledger holding the pledge accepts it and reports its last status once every
        update has counted (checked whenever the history has grown)."""
        if len(self.history) == self._agreed:
            return
        self._agreed = len(self.history)
        ledger = _single_pledge_ledger(self.lifecycle, self.history)
        last = max(u.date.last_ordinal for u in self.history)
        assert ledger.status_at("p", _dt.date.fromordinal(last)) == self.history[-1].status


def _single_pledge_ledger(lifecycle: Lifecycle, history: list[Update]) -> Ledger:
    pledge = Pledge("p", "A pledge", "Text.", ("a",), tuple(history), lifecycle=lifecycle.id)
    return Ledger(
        "machine",
        (Actor("a", "Actor"),),
        (Source("src", "Source", url="https://example.org"),),
        (),
        (pledge,),
        (lifecycle,),
    )
