"""Hypothesis strategies and a stateful machine for testing lifecycles and ledgers.

Needs Hypothesis (``pip install 'pledges[testing]'``). pledges' own tests use this kit, so it
cannot drift from the checker. Point :class:`LifecycleMachine` at your own lifecycle::

    from pledges.testing import LifecycleMachine

    class MyRules(LifecycleMachine):
        lifecycle = MY_LIFECYCLE

    TestMyRules = MyRules.TestCase
"""

from __future__ import annotations

import datetime as _dt
import string
from collections.abc import Sequence
from itertools import pairwise
from typing import ClassVar

import attrs
from hypothesis import assume, note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pledges.dates import PartialDate, Window
from pledges.errors import HistoryError, Rule
from pledges.ledger import Ledger
from pledges.lifecycle import DEFAULT, PRESETS, Lifecycle
from pledges.model import (
    Actor,
    Evidence,
    Link,
    LinkKind,
    Occasion,
    Pledge,
    PledgeKind,
    Source,
    Update,
    UpdateKind,
)

__all__ = [
    "BREAKABLE_RULES",
    "LifecycleMachine",
    "broken_histories",
    "days",
    "evidence",
    "histories",
    "ids",
    "ledgers",
    "partial_dates",
    "pledge_records",
    "statuses",
    "texts",
    "windows",
]

BREAKABLE_RULES: tuple[Rule, ...] = (
    Rule.UNKNOWN_STATUS,
    Rule.INITIAL,
    Rule.MADE_ONCE,
    Rule.MOVE,
    Rule.REOPEN,
    Rule.DATE_ORDER,
)
"""The rules :func:`broken_histories` can break (evidence is enforced when an update is built)."""

_MIN_YEAR, _MAX_YEAR = 1990, 2040


def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Short ids such as ``p-a1``."""
    body = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=8)
    return body.filter(lambda s: s[0] != "-").map(lambda s: prefix + s)


def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-empty text with something besides white space (any Unicode but surrogates)."""
    return st.text(min_size=1, max_size=max_size).filter(lambda s: s.strip() != "")


def days(min_year: int = _MIN_YEAR, max_year: int = _MAX_YEAR) -> st.SearchStrategy[_dt.date]:
    """Exact days."""
    return st.dates(_dt.date(min_year, 1, 1), _dt.date(max_year, 12, 31))


def _coarsen(day: _dt.date, precision: int) -> PartialDate:
    if precision == 1:
        return PartialDate(day.year)
    if precision == 2:
        return PartialDate(day.year, day.month)
    return PartialDate.of(day)


@st.composite
def partial_dates(
    draw: st.DrawFn, min_year: int = _MIN_YEAR, max_year: int = _MAX_YEAR
) -> PartialDate:
    """Partial dates of every precision; they shrink towards an exact day, 1 January 2000."""
    day = draw(days(min_year, max_year))
    return _coarsen(day, draw(st.sampled_from((3, 2, 1))))


@st.composite
def windows(draw: st.DrawFn) -> Window:
    """Windows, open at either end or both, with or without wording."""
    start = draw(st.none() | partial_dates())
    end = draw(st.none() | partial_dates())
    if start is not None and end is not None and end.certainly_before(start):
        start, end = end, start
    wording = draw(st.none() | texts(20))
    return Window(start, end, wording)


def evidence(sources: Sequence[str] = ("src",)) -> st.SearchStrategy[Evidence]:
    """Evidence from one of ``sources``: a quote, a summary or both."""
    return st.builds(
        Evidence,
        source=st.sampled_from(tuple(sources)),
        quote=texts(),
        summary=st.none() | texts(),
    ) | st.builds(Evidence, source=st.sampled_from(tuple(sources)), summary=texts())


def statuses(lifecycle: Lifecycle) -> st.SearchStrategy[str]:
    """Status ids of a lifecycle."""
    return st.sampled_from(lifecycle.ids)


def _next_day(draw: st.DrawFn, after: _dt.date) -> _dt.date:
    gap = draw(st.integers(0, 900))
    return min(after + _dt.timedelta(days=gap), _dt.date(_MAX_YEAR, 12, 31))


@st.composite
def histories(
    draw: st.DrawFn,
    lifecycle: Lifecycle = DEFAULT,
    sources: Sequence[str] = ("src",),
    max_updates: int = 6,
) -> tuple[Update, ...]:
    """Histories that keep every rule of ``lifecycle``: a random walk over its allowed moves,
    reaffirmations and reopens, with dates that never go backwards (at mixed precision)."""
    day = draw(days(_MIN_YEAR, 2030))
    items = evidence(sources)

    def update(status: str, kind: UpdateKind) -> Update:
        date = _coarsen(day, draw(st.sampled_from((3, 2, 1))))
        return Update(date, status, kind, draw(st.lists(items, min_size=1, max_size=2)))

    history = [update(lifecycle.initial, UpdateKind.MADE)]
    for _ in range(draw(st.integers(0, max_updates - 1))):
        day = _next_day(draw, day)
        current = lifecycle.status(history[-1].status)
        choices: list[tuple[str, UpdateKind]] = [(current.id, UpdateKind.REAFFIRMED)]
        choices += [(t, UpdateKind.PROGRESS) for t in current.to]
        choices += [(t, UpdateKind.REOPENED) for t in current.reopen_to]
        status, kind = draw(st.sampled_from(choices))
        history.append(update(status, kind))
    return tuple(history)


@st.composite
def broken_histories(
    draw: st.DrawFn,
    lifecycle: Lifecycle = DEFAULT,
    rule: Rule | None = None,
    sources: Sequence[str] = ("src",),
) -> tuple[tuple[Update, ...], Rule]:
    """A history that breaks exactly one rule, and that rule: the first error the checker
    finds in it is that rule's. ``rule`` picks one of :data:`BREAKABLE_RULES`."""
    rule = draw(st.sampled_from(BREAKABLE_RULES)) if rule is None else rule
    history = list(draw(histories(lifecycle, sources)))
    last = history[-1]
    proof = (draw(evidence(sources)),)
    later = attrs.evolve(last, evidence=proof, note=None)
    if rule is Rule.INITIAL:
        others = [s for s in lifecycle.ids if s != lifecycle.initial]
        change_status: bool = draw(st.booleans())
        if others and change_status:
            history[0] = attrs.evolve(history[0], status=draw(st.sampled_from(others)))
        else:
            history[0] = attrs.evolve(history[0], kind=UpdateKind.PROGRESS)
    elif rule is Rule.UNKNOWN_STATUS:
        unknown = draw(ids("unknown-").filter(lambda s: s not in lifecycle))
        history.append(attrs.evolve(later, status=unknown, kind=UpdateKind.PROGRESS))
    elif rule is Rule.MADE_ONCE:
        history.append(attrs.evolve(later, kind=UpdateKind.MADE))
    elif rule is Rule.REOPEN:
        history.append(attrs.evolve(later, kind=UpdateKind.REOPENED))
    elif rule is Rule.DATE_ORDER:
        earliest = max(u.date.first_ordinal for u in history)
        assume(_dt.date.fromordinal(earliest).year > _MIN_YEAR)
        before = _dt.date.fromordinal(draw(st.integers(1, earliest - 1)))
        date = PartialDate.of(before)
        if draw(st.booleans()) and before.year < _dt.date.fromordinal(earliest).year:
            date = PartialDate(before.year)
        history.append(attrs.evolve(later, date=date, kind=UpdateKind.REAFFIRMED))
    else:  # Rule.MOVE
        current = lifecycle.status(last.status)
        allowed = current.reopen_to if current.final else current.to
        forbidden = [s for s in lifecycle.ids if s != current.id and s not in allowed]
        assume(forbidden)
        kind = UpdateKind.REOPENED if current.final else UpdateKind.PROGRESS
        history.append(attrs.evolve(later, status=draw(st.sampled_from(forbidden)), kind=kind))
    note(f"broken rule: {rule}")
    return tuple(history), rule


@st.composite
def pledge_records(
    draw: st.DrawFn,
    pledge_id: str | None = None,
    lifecycles: Sequence[Lifecycle] = (DEFAULT,),
    actors: Sequence[str] = ("a",),
    sources: Sequence[str] = ("src",),
    occasions: Sequence[str] = (),
    earlier: Sequence[tuple[str, PartialDate]] = (),
) -> Pledge:
    """A pledge with a valid history under one of ``lifecycles``, made by ``actors``, citing
    ``sources``; it may link to the ``earlier`` pledges (id, date made) made no later."""
    lifecycle = draw(st.sampled_from(tuple(lifecycles)))
    history = draw(histories(lifecycle, sources, max_updates=5))
    targets = [pid for pid, made in earlier if not history[0].date.certainly_before(made)]
    links: list[Link] = []
    if targets:
        link = st.builds(Link, st.sampled_from(tuple(LinkKind)), st.sampled_from(targets))
        links = draw(st.lists(link, max_size=2))
    return Pledge(
        id=pledge_id if pledge_id is not None else draw(ids("p-")),
        title=draw(texts()),
        text=draw(texts(120)),
        made_by=draw(st.lists(st.sampled_from(tuple(actors)), min_size=1, max_size=2)),
        made_to=draw(st.lists(st.sampled_from(tuple(actors)), max_size=2)),
        kind=draw(st.sampled_from(tuple(PledgeKind))),
        occasion=draw(st.none() | st.sampled_from(tuple(occasions))) if occasions else None,
        topics=draw(st.lists(texts(12).map(str.strip), max_size=3)),
        window=draw(st.none() | windows()),
        links=links,
        lifecycle=lifecycle.id,
        history=history,
    )


@st.composite
def ledgers(
    draw: st.DrawFn,
    lifecycles: Sequence[Lifecycle] = tuple(PRESETS.values()),
    max_pledges: int = 6,
) -> Ledger:
    """Valid ledgers: a few actors, sources and occasions, and pledges under the given
    lifecycles with valid histories, topics, windows and links to earlier pledges."""
    actor_ids = draw(st.lists(ids("a-"), min_size=1, max_size=3, unique=True))
    # Names carry the id, so that no two actors answer to the same folded name.
    actors = [
        Actor(aid, f"{draw(texts(20)).strip()} ({aid})", aliases=(f"alias of {aid}",))
        for aid in actor_ids
    ]
    source_ids = draw(st.lists(ids("s-"), min_size=1, max_size=3, unique=True))
    sources = [
        Source(
            sid,
            draw(texts()),
            url=f"https://example.org/{sid}",
            published=draw(st.none() | partial_dates()),
        )
        for sid in source_ids
    ]
    occasion_ids = draw(st.lists(ids("o-"), max_size=2, unique=True))
    occasions = [Occasion(oid, draw(texts()), draw(partial_dates())) for oid in occasion_ids]
    declared = [lc for lc in lifecycles if PRESETS.get(lc.id) != lc]
    pledges: list[Pledge] = []
    for pid in draw(st.lists(ids("p-"), max_size=max_pledges, unique=True)):
        pledges.append(
            draw(
                pledge_records(
                    pid,
                    lifecycles,
                    actor_ids,
                    source_ids,
                    occasion_ids,
                    earlier=[(p.id, p.made_on) for p in pledges],
                )
            )
        )
    title = draw(texts())
    return Ledger(title, actors, sources, occasions, pledges, declared)


class LifecycleMachine(RuleBasedStateMachine):
    """A stateful test of a lifecycle: drives one pledge through random moves, reaffirmations,
    reopens and forbidden moves, and holds the lifecycle's invariants after every step.

    Subclass it, set :attr:`lifecycle`, and add your own ``@invariant`` methods; run it
    through ``YourMachine.TestCase``.
    """

    lifecycle: ClassVar[Lifecycle] = DEFAULT
    """The lifecycle under test."""

    def __init__(self) -> None:
        super().__init__()
        self.history: list[Update] = []
        self.day = _dt.date(2000, 1, 1)
        self.refused = 0

    def _update(self, status: str, kind: UpdateKind, source: str = "src") -> Update:
        self.day += _dt.timedelta(days=30)
        return Update(PartialDate.of(self.day), status, kind, (Evidence(source, quote="q"),))

    def _try(self, update: Update) -> None:
        """Append ``update`` if the lifecycle allows it; otherwise it must be refused with a
        :class:`~pledges.errors.HistoryError`, and the history stays as it was."""
        candidate = [*self.history, update]
        errors = self.lifecycle.violations(candidate)
        if errors:
            assert all(e.index == len(self.history) for e in errors), errors
            assert isinstance(errors[0], HistoryError)
            self.refused += 1
        else:
            self.history = candidate

    @precondition(lambda self: not self.history)
    @rule()
    def make(self) -> None:
        """Make the pledge in the initial status."""
        self._try(self._update(self.lifecycle.initial, UpdateKind.MADE))

    @precondition(lambda self: bool(self.history))
    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        """Move to any status (allowed or not) as a progress, setback or closing step."""
        status = data.draw(statuses(self.lifecycle))
        kind = data.draw(
            st.sampled_from((UpdateKind.PROGRESS, UpdateKind.SETBACK, UpdateKind.CLOSED))
        )
        self._try(self._update(status, kind))

    @precondition(lambda self: bool(self.history))
    @rule()
    def reaffirm(self) -> None:
        """Restate the pledge: the status stays."""
        self._try(self._update(self.history[-1].status, UpdateKind.REAFFIRMED))

    @precondition(lambda self: bool(self.history))
    @rule(data=st.data())
    def reopen(self, data: st.DataObject) -> None:
        """Try to reopen to any status (allowed only out of a final status, to reopen_to)."""
        self._try(self._update(data.draw(statuses(self.lifecycle)), UpdateKind.REOPENED))

    @invariant()
    def status_is_known(self) -> None:
        """Every status in the history belongs to the lifecycle."""
        assert all(u.status in self.lifecycle for u in self.history)

    @invariant()
    def history_keeps_the_rules(self) -> None:
        """The checker finds nothing wrong with the history built so far."""
        assert self.lifecycle.violations(self.history) == ()

    @invariant()
    def final_stays_final_unless_reopened(self) -> None:
        """A final status is left only by a reopen update, with evidence, to reopen_to."""
        for before, after in pairwise(self.history):
            status = self.lifecycle.status(before.status)
            if status.final and after.status != before.status:
                assert after.kind is UpdateKind.REOPENED
                assert after.status in status.reopen_to
                assert after.evidence

    @invariant()
    def dates_never_go_backwards(self) -> None:
        """Each update's date is on or after the one before it."""
        ordinals = [u.date.first_ordinal for u in self.history]
        assert ordinals == sorted(ordinals)

    @invariant()
    def every_update_has_evidence(self) -> None:
        """No update lacks evidence."""
        assert all(u.evidence for u in self.history)

    @invariant()
    def ledger_agrees(self) -> None:
        """A ledger holding the pledge accepts it and reports its last status as current."""
        if not self.history:
            return
        ledger = _single_pledge_ledger(self.lifecycle, self.history)
        assert ledger.status_at("p", self.history[-1].date) == self.history[-1].status


def _single_pledge_ledger(lifecycle: Lifecycle, history: Sequence[Update]) -> Ledger:
    pledge = Pledge("p", "A pledge", "Text.", ("a",), tuple(history), lifecycle=lifecycle.id)
    return Ledger(
        "machine",
        (Actor("a", "Actor"),),
        (Source("src", "Source", url="https://example.org"),),
        (),
        (pledge,),
        (lifecycle,),
    )
