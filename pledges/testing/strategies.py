"""Hypothesis strategies for everything in a ledger.

Dates shrink towards 1 January 2000; histories are random walks over a lifecycle's allowed
moves; :func:`days_near` draws "as of" days on, just before and just after the dates a
ledger holds, where rules about dates are decided.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import random
import string
from collections.abc import Sequence
from itertools import pairwise
from typing import TypeVar

import attrs
from hypothesis import assume, note, strategies as st

from pledges._fields import is_visible
from pledges.dates import PartialDate, Window
from pledges.errors import Rule
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.model import (
    Actor,
    ActorKind,
    Alternative,
    Confidence,
    Correction,
    Evidence,
    Link,
    LinkKind,
    Occasion,
    Pledge,
    PledgeKind,
    Search,
    Source,
    Update,
    UpdateKind,
)
from pledges.presets import DEFAULT, PRESETS
from pledges.testing.paths import kind_of, move_pairs, shortest_paths

__all__ = [
    "BREAKABLE_RULES",
    "broken_histories",
    "corrections_of",
    "days",
    "days_near",
    "evidence",
    "histories",
    "ids",
    "ledgers",
    "partial_dates",
    "pledge_records",
    "searches",
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

MIN_YEAR, MAX_YEAR = 1990, 2040
_T = TypeVar("_T")


_PRECISIONS = st.sampled_from((4, 3, 2, 1))
_SPANS = st.integers(1, 3)

# Strategies are immutable, and building one that filters costs Hypothesis a look at the
# filter's source: the constructors below are cached, so that composites can call them
# on every draw for free.


@functools.cache
def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Short ids such as ``p-a1``."""
    first = st.sampled_from(string.ascii_lowercase + string.digits)
    rest = st.text(string.ascii_lowercase + string.digits + "-", max_size=7)
    return st.builds(lambda a, b: prefix + a + b, first, rest)


@functools.cache
def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text with something visible in it (any Unicode but surrogates): one draw of text,
    kept when it has something visible (almost always: a shrunk text is ``0``)."""
    return st.text(min_size=1, max_size=max_size).filter(is_visible)


@functools.cache
def _maybe(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    """``None`` or a value of ``strategy``: built once for each strategy (a union built on
    every draw costs Hypothesis a validation each time)."""
    return st.none() | strategy


@functools.cache
def _below(n: int) -> st.SearchStrategy[int]:
    return st.integers(0, n - 1)


@functools.cache
def _some_below(n: int, min_size: int, max_size: int, unique: bool) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, n - 1), min_size=min_size, max_size=max_size, unique=unique)


_BOOLEANS = st.booleans()

# Items of a sequence known only at draw time (a ledger's ids) are drawn by their place in
# it, from strategies built once for each length: a strategy built on every draw would be
# validated on every draw, which costs more than the drawing.


def _pick(draw: st.DrawFn, items: Sequence[_T]) -> _T:
    return items[draw(_below(len(items)))]


def _picks(
    draw: st.DrawFn,
    items: Sequence[_T],
    min_size: int = 0,
    max_size: int = 2,
    *,
    unique: bool = False,
) -> list[_T]:
    if not items:
        return []
    most = min(max_size, len(items)) if unique else max_size
    return [items[i] for i in draw(_some_below(len(items), min_size, most, unique))]


def _maybe_pick(draw: st.DrawFn, items: Sequence[_T]) -> _T | None:
    if not items or not draw(_BOOLEANS):
        return None
    return _pick(draw, items)


@functools.cache
def days(min_year: int = MIN_YEAR, max_year: int = MAX_YEAR) -> st.SearchStrategy[_dt.date]:
    """Exact days."""
    return st.dates(_dt.date(min_year, 1, 1), _dt.date(max_year, 12, 31))


def coarsen(day: _dt.date, precision: int, span: int = 1) -> PartialDate:
    """The day as a partial date of precision 1 (year), 2 (month), 3 (the day and up to
    ``span`` days after it, in its month) or 4 (the day)."""
    if precision == 1:
        return PartialDate(day.year)
    if precision == 2:
        return PartialDate(day.year, day.month)
    last = calendar.monthrange(day.year, day.month)[1]
    if precision == 3 and day.day < last:
        return PartialDate(day.year, day.month, day.day, min(day.day + span, last))
    return PartialDate.of(day)


@functools.cache
def partial_dates(
    min_year: int = MIN_YEAR, max_year: int = MAX_YEAR
) -> st.SearchStrategy[PartialDate]:
    """Partial dates of every precision (ranges of days included); they shrink towards an
    exact day, 1 January 2000."""
    return st.builds(coarsen, days(min_year, max_year), _PRECISIONS, _SPANS)


def days_near(ledger: Ledger) -> st.SearchStrategy[_dt.date]:
    """Days on which rules about dates are decided: the first and last day of every update
    date, window end and occasion of the ledger, the days either side, and any day."""
    edges: set[int] = set()
    for pledge in ledger.pledges:
        for update in pledge.history:
            edges.update((update.date.first_ordinal, update.date.last_ordinal))
        if pledge.window is not None:
            for end in (pledge.window.start, pledge.window.end):
                if end is not None:
                    edges.update((end.first_ordinal, end.last_ordinal))
    for occasion in ledger.occasions:
        edges.update((occasion.start.first_ordinal, occasion.last.last_ordinal))
    last = _dt.date.max.toordinal()
    near = sorted({o + d for o in edges for d in (-1, 0, 1) if 1 <= o + d <= last})
    if not near:
        return days()
    return st.sampled_from([_dt.date.fromordinal(o) for o in near]) | days()


def _window(start: PartialDate | None, end: PartialDate | None, wording: str | None) -> Window:
    if start is not None and end is not None and end.certainly_before(start):
        start, end = end, start
    return Window(start, end, wording)


@functools.cache
def windows() -> st.SearchStrategy[Window]:
    """Windows, open at either end or both, with or without wording."""
    return st.builds(_window, _maybe(partial_dates()), _maybe(partial_dates()), _maybe(texts(20)))


def _draw_evidence(draw: st.DrawFn, sources: Sequence[str]) -> Evidence:
    quoted = draw(_BOOLEANS)
    return Evidence(
        _pick(draw, sources),
        quote=draw(texts()) if quoted else None,
        summary=draw(_maybe(texts())) if quoted else draw(texts()),
        published=draw(_maybe(partial_dates())),
        locator=draw(_maybe(texts(20))),
    )


def evidence(sources: Sequence[str] = ("src",)) -> st.SearchStrategy[Evidence]:
    """Evidence from one of ``sources``: a quote, a summary or both, with or without its
    own publication date and a locator."""
    return _evidence(tuple(sources))


@functools.cache
def _evidence(sources: tuple[str, ...]) -> st.SearchStrategy[Evidence]:
    return st.composite(lambda draw: _draw_evidence(draw, sources))()


def statuses(lifecycle: Lifecycle) -> st.SearchStrategy[str]:
    """Status ids of a lifecycle."""
    return st.sampled_from(lifecycle.ids)


_GAPS = st.integers(0, 900)
_TARGETS = 10  # pairs of steps a history walks to, at most


def histories(
    lifecycle: Lifecycle = DEFAULT,
    sources: Sequence[str] = ("src",),
    max_updates: int = 6,
    occasions: Sequence[str] = (),
) -> st.SearchStrategy[tuple[Update, ...]]:
    """Histories that keep every rule of ``lifecycle``, drawn so that every allowed step (a
    move, a reaffirmation, a reopen) and every two steps in a row turn up within few
    examples: each walks by the shortest way to up to four pairs of steps in turn, each
    chosen among all the lifecycle allows, then on at random.
    Dates never go backwards (at mixed precision: a year-precision date may be followed by
    a day inside that year); each update may carry a note and one of ``occasions``. A
    failing history shrinks to the shortest walk that still fails.

    For a proof within bounds rather than a sample, check every path:
    :func:`pledges.testing.paths` and :func:`pledges.testing.check_rule`."""
    return _histories(lifecycle, tuple(sources), max_updates, tuple(occasions))


@attrs.frozen
class _Plan:
    """What a history of one lifecycle is drawn with, made once a lifecycle."""

    lifecycle: Lifecycle
    steps: dict[str, st.SearchStrategy[tuple[str, UpdateKind]]]
    alternatives: dict[str, st.SearchStrategy[Alternative | None]]
    routes: dict[str, dict[str, tuple[str, ...]]]
    order: Sequence[tuple[str, ...]]
    dead: frozenset[str]
    how_many: st.SearchStrategy[int]
    first: st.SearchStrategy[int]


@functools.cache
def _plan(lifecycle: Lifecycle) -> _Plan:
    steps = {
        status.id: st.sampled_from(
            [
                (status.id, UpdateKind.REAFFIRMED),
                *((t, UpdateKind.PROGRESS) for t in status.to),
                *((t, UpdateKind.REOPENED) for t in status.reopen_to),
            ]
        )
        for status in lifecycle.statuses
    }
    alternatives = {
        status: _maybe(st.builds(Alternative, st.sampled_from(others), texts(20)))
        if (others := [s for s in lifecycle.ids if s != status])
        else st.none()
        for status in lifecycle.ids
    }
    pairs = move_pairs(lifecycle)
    # The pairs in a fixed shuffled order; a history walks to a run of them, from a drawn
    # place in that order (so that pairs far apart in the lifecycle's own order meet), with
    # the pairs that end behind a final status that cannot be reopened last in each run.
    order = random.Random(lifecycle.id).sample(pairs, len(pairs))
    return _Plan(
        lifecycle,
        steps,
        alternatives,
        {s: shortest_paths(lifecycle, s) for s in lifecycle.ids},
        order,
        frozenset(s.id for s in lifecycle.statuses if s.final and not s.reopen_to),
        st.integers(0, _TARGETS),
        st.integers(0, max(len(order) - 1, 0)),
    )


_START = days(MIN_YEAR, 2030)
_CONFIDENCE = _maybe(st.sampled_from(tuple(Confidence)))
_POOL_SIZE = st.integers(1, 3)
_NOTES = st.lists(texts(30), max_size=2)
_LAST_DAY = _dt.date(MAX_YEAR, 12, 31)


def _draw_history(
    draw: st.DrawFn,
    lifecycle: Lifecycle,
    sources: Sequence[str],
    max_updates: int,
    occasions: Sequence[str],
) -> tuple[Update, ...]:
    plan = _plan(lifecycle)
    day = draw(_START)
    # Evidence and notes are drawn once a history, as small pools its updates pick from:
    # text is the costliest thing to draw, and a rule about moves is what histories test.
    cited = [_draw_evidence(draw, sources) for _ in range(draw(_POOL_SIZE))]
    said = draw(_NOTES)

    def update(status: str, kind: UpdateKind) -> Update:
        date = coarsen(day, draw(_PRECISIONS), draw(_SPANS))
        return Update(
            date,
            status,
            kind,
            _picks(draw, cited, 1, 2),
            _maybe_pick(draw, said),
            _maybe_pick(draw, occasions),
            draw(_CONFIDENCE),
            draw(plan.alternatives[status]),
        )

    path = [lifecycle.initial]
    taken = draw(plan.how_many) if plan.order else 0  # shrinks to none: a walk at random
    offset = draw(plan.first) if taken else 0
    # The last of the run is walked to first: taking fewer drops what is walked first, so a
    # failing history shrinks to the shortest way to the pair it fails on.
    run = [plan.order[(offset + i) % len(plan.order)] for i in reversed(range(taken))]
    for goal, *then in sorted(run, key=lambda pair: pair[-1] in plan.dead):
        route = plan.routes[path[-1]].get(goal)
        if route is not None:  # else behind a final status that cannot be reopened
            path += [*route[1:], *then]
    history = [update(lifecycle.initial, UpdateKind.MADE)]
    for before, after in pairwise(path):
        day = min(day + _dt.timedelta(days=draw(_GAPS)), _LAST_DAY)
        history.append(update(after, kind_of(lifecycle, before, after)))
    for _ in range(draw(_below(max_updates)) - len(path) + 1):
        day = min(day + _dt.timedelta(days=draw(_GAPS)), _LAST_DAY)
        status, kind = draw(plan.steps[history[-1].status])
        history.append(update(status, kind))
    return tuple(history)


@functools.cache
def _histories(
    lifecycle: Lifecycle, sources: tuple[str, ...], max_updates: int, occasions: tuple[str, ...]
) -> st.SearchStrategy[tuple[Update, ...]]:
    return st.composite(
        lambda draw: _draw_history(draw, lifecycle, sources, max_updates, occasions)
    )()


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
        assume(_dt.date.fromordinal(earliest).year > MIN_YEAR)
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


_TOPICS = texts(12).map(str.strip)  # still visible: strip takes only white space


def _draw_search(draw: st.DrawFn, sources: Sequence[str]) -> Search:
    return Search(
        draw(partial_dates()),
        draw(_WHERE),
        draw(_TERMS),
        draw(_maybe(windows())),
        draw(_maybe(texts(30))),
        _picks(draw, sources),
    )


_WHERE = st.lists(_TOPICS, min_size=1, max_size=2)
_TERMS = st.lists(_TOPICS, max_size=2)


def searches(sources: Sequence[str] = ()) -> st.SearchStrategy[Search]:
    """Searches for news of a pledge: where, with which terms, over which period, what was
    found and the ``sources`` behind it."""
    return _searches(tuple(sources))


@functools.cache
def _searches(sources: tuple[str, ...]) -> st.SearchStrategy[Search]:
    return st.composite(lambda draw: _draw_search(draw, sources))()


_EXTRA = st.dictionaries(
    texts(12).map(str.strip),
    texts(20) | st.lists(texts(12), min_size=1, max_size=3).map(tuple),
    max_size=3,
)
_LINK_KINDS = tuple(LinkKind)
_PLEDGE_KINDS = st.sampled_from(tuple(PledgeKind))
_TOPIC_LISTS = st.lists(_TOPICS, max_size=3)
_SEARCH_COUNT = st.integers(0, 2)


@functools.cache
def _link_choices(targets: int) -> st.SearchStrategy[list[tuple[int, int]]]:
    pairs = st.tuples(_below(len(_LINK_KINDS)), _below(targets))
    return st.lists(pairs, max_size=2, unique=True)


def _draw_pledge(
    draw: st.DrawFn,
    pledge_id: str | None,
    lifecycles: Sequence[Lifecycle],
    actors: Sequence[str],
    sources: Sequence[str],
    occasions: Sequence[str],
    earlier: Sequence[tuple[str, PartialDate]],
) -> Pledge:
    lifecycle = _pick(draw, lifecycles)
    history = _draw_history(draw, lifecycle, sources, 4, occasions)
    targets = [pid for pid, made in earlier if not history[0].date.certainly_before(made)]
    links = [
        Link(_LINK_KINDS[kind], targets[target], draw(_maybe(texts(20))))
        for kind, target in (draw(_link_choices(len(targets))) if targets else [])
    ]
    return Pledge(
        id=pledge_id if pledge_id is not None else draw(ids("p-")),
        title=draw(texts()),
        text=draw(texts(120)),
        made_by=_picks(draw, actors, 1, 2),
        made_to=_picks(draw, actors),
        kind=draw(_PLEDGE_KINDS),
        occasion=_maybe_pick(draw, occasions),
        topics=draw(_TOPIC_LISTS),
        window=draw(_maybe(windows())),
        links=links,
        lifecycle=lifecycle.id,
        history=history,
        note=draw(_maybe(texts(30))),
        searches=[_draw_search(draw, sources) for _ in range(draw(_SEARCH_COUNT))],
        extra=draw(_EXTRA),
    )


def pledge_records(
    pledge_id: str | None = None,
    lifecycles: Sequence[Lifecycle] = (DEFAULT,),
    actors: Sequence[str] = ("a",),
    sources: Sequence[str] = ("src",),
    occasions: Sequence[str] = (),
    earlier: Sequence[tuple[str, PartialDate]] = (),
) -> st.SearchStrategy[Pledge]:
    """A pledge with a valid history under one of ``lifecycles``, made by ``actors``, citing
    ``sources``, with every field drawn (notes, searches, extra fields, links with their
    notes); it may link to the ``earlier`` pledges (id, date made) made no later."""
    return st.composite(
        lambda draw: _draw_pledge(
            draw, pledge_id, tuple(lifecycles), actors, sources, occasions, earlier
        )
    )()


_HEX = st.text("0123456789abcdef", min_size=64, max_size=64)
_LANGUAGES = st.sampled_from(("en", "vi", "ru", "be", "fr", "pt-BR"))
_ACTOR_IDS = st.lists(ids("a-"), min_size=1, max_size=3, unique=True)
_SOURCE_IDS = st.lists(ids("s-"), min_size=1, max_size=3, unique=True)
_OCCASION_IDS = st.lists(ids("o-"), max_size=2, unique=True)
_ACTOR_KINDS = st.sampled_from(tuple(ActorKind))
_LICENSES = st.sampled_from(("CC-BY-4.0", "CC0-1.0", "ODbL-1.0")) | texts(20)


@functools.cache
def _pledge_ids(most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(ids("p-"), max_size=most, unique=True)


def _draw_source(draw: st.DrawFn, sid: str) -> Source:
    local = draw(_BOOLEANS)
    return Source(
        sid,
        draw(texts()),
        outlet=draw(_maybe(texts(20))),
        url=None if local and draw(_BOOLEANS) else f"https://example.org/{sid}",
        published=draw(_maybe(partial_dates())),
        language=draw(_LANGUAGES),
        path=f"texts/{sid}.txt" if local else None,
        sha256=draw(_HEX) if local else None,
        note=draw(_maybe(texts(30))),
    )


def _draw_occasion(draw: st.DrawFn, oid: str, actor_ids: Sequence[str]) -> Occasion:
    start = draw(partial_dates())
    end = draw(_maybe(partial_dates(start.year, MAX_YEAR)))
    if end is not None and end.certainly_before(start):
        end = None
    return Occasion(
        oid,
        draw(texts()),
        start,
        end,
        place=draw(_maybe(texts(20))),
        participants=_picks(draw, actor_ids, unique=True),
        note=draw(_maybe(texts(30))),
    )


@st.composite
def ledgers(
    draw: st.DrawFn,
    lifecycles: Sequence[Lifecycle] = tuple(PRESETS.values()),
    max_pledges: int = 4,
) -> Ledger:
    """Valid ledgers with every field of every record drawn: a few actors (of every kind,
    with roles), sources (web pages and local texts pinned by their sha256, with outlets,
    languages and notes), occasions (with ends, places, participants and notes), and pledges
    under the given lifecycles with valid histories, topics, windows, notes, searches, extra
    fields and links to pledges listed before them (so that links never close a cycle) and
    made no later; corrections of some of them; a publication day, a licence and a
    version."""
    actor_ids = draw(_ACTOR_IDS)
    # Names carry the id, so that no two actors answer to the same folded name.
    actors = [
        Actor(
            aid,
            f"{draw(texts(20)).strip() or 'x'} ({aid})",
            aliases=(f"alias of {aid}",),
            kind=draw(_ACTOR_KINDS),
            role=draw(_maybe(texts(20))),
        )
        for aid in actor_ids
    ]
    source_ids = draw(_SOURCE_IDS)
    sources = [_draw_source(draw, sid) for sid in source_ids]
    occasion_ids = draw(_OCCASION_IDS)
    occasions = [_draw_occasion(draw, oid, actor_ids) for oid in occasion_ids]
    lifecycles = tuple(lifecycles)
    declared = [lc for lc in lifecycles if PRESETS.get(lc.id) != lc]
    pledges: list[Pledge] = []
    for pid in draw(_pledge_ids(max_pledges)):
        earlier = [(p.id, p.made_on) for p in pledges]
        pledges.append(
            _draw_pledge(draw, pid, lifecycles, actor_ids, source_ids, occasion_ids, earlier)
        )
    title = draw(texts())
    description = draw(_maybe(texts(40)))
    known = [*declared, *PRESETS.values()]
    corrections = [
        _draw_correction(draw, pledge, known, source_ids) for pledge in _picks(draw, pledges)
    ]
    return Ledger(
        title,
        actors,
        sources,
        occasions,
        pledges,
        declared,
        description,
        corrections,
        draw(_maybe(partial_dates())),
        draw(_maybe(_LICENSES)),
        draw(_maybe(texts(12))),
    )


def _draw_correction(
    draw: st.DrawFn, pledge: Pledge, lifecycles: Sequence[Lifecycle], sources: Sequence[str]
) -> Correction:
    lifecycle = next(lc for lc in lifecycles if lc.id == pledge.lifecycle)
    update = _maybe_pick(draw, pledge.history)
    return Correction(
        draw(partial_dates()),
        pledge.id,
        draw(texts(30)),
        draw(texts(30)),
        draw(texts(30)),
        None if update is None else update.date,
        _maybe_pick(draw, lifecycle.ids),
        _picks(draw, sources),
    )


def corrections_of(
    pledge: Pledge,
    lifecycles: Sequence[Lifecycle] = tuple(PRESETS.values()),
    sources: Sequence[str] = (),
) -> st.SearchStrategy[Correction]:
    """A correction of one of ``pledge``'s updates (or of the pledge as a whole): the day
    it was made, the update's date and former status, what was wrong, what changed, why,
    and the ``sources`` behind it."""
    return st.composite(lambda draw: _draw_correction(draw, pledge, lifecycles, sources))()
