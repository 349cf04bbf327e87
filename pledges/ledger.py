"""The ledger: every record of a tracker, its integrity rules and its queries.

A :class:`Ledger` checks itself when built and raises :class:`~pledges.errors.LedgerInvalid`
listing every problem, each located by a path such as ``$.pledges[3].history[1]``: ids are
unique, every reference resolves, every history keeps its lifecycle's rules. A ledger that
exists is valid; change one with :meth:`Ledger.evolve` or :meth:`Ledger.with_update`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, TypeVar

import attrs

from pledges._checks import as_tuple
from pledges.dates import DateLike, PartialDate, as_of_day
from pledges.errors import LedgerInvalid, NotFound, Problem
from pledges.lifecycle import PRESETS, Lifecycle, Status, StatusKind
from pledges.model import Actor, LinkKind, Occasion, Pledge, Source, Update, fold

__all__ = ["Ledger", "Role"]

_T = TypeVar("_T")
_R = TypeVar("_R", Actor, Source, Occasion, Pledge)

Role = Literal["made_by", "made_to", "any"]
"""Which side of a pledge an actor look-up matches."""


@attrs.frozen
class Ledger:
    """Actors, sources, occasions, pledges and the lifecycles they use.

    The preset lifecycles (:data:`~pledges.lifecycle.PRESETS`) are always known; a ledger may
    declare more in ``lifecycles`` (declaring a preset as it is changes nothing; another
    lifecycle with a preset's id is refused), and each pledge names the one it follows.
    """

    title: str
    actors: tuple[Actor, ...] = attrs.field(default=(), converter=as_tuple)
    sources: tuple[Source, ...] = attrs.field(default=(), converter=as_tuple)
    occasions: tuple[Occasion, ...] = attrs.field(default=(), converter=as_tuple)
    pledges: tuple[Pledge, ...] = attrs.field(default=(), converter=as_tuple)
    lifecycles: tuple[Lifecycle, ...] = attrs.field(default=(), converter=as_tuple)
    description: str | None = None
    _index: _Index = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index = _Index(self)
        if index.problems:
            raise LedgerInvalid(index.problems)
        object.__setattr__(self, "_index", index)

    # -- look-ups ---------------------------------------------------------------------------

    def pledge(self, pledge_id: str) -> Pledge:
        """The pledge with this id; :class:`~pledges.errors.NotFound` if there is none."""
        return _get(self._index.pledges, "pledge", pledge_id)

    def actor(self, name: str) -> Actor:
        """The actor with this id, name or alias, ignoring case and diacritics."""
        found = self._index.actor_names.get(fold(name))
        if found is None:
            raise NotFound("actor", name, [a.name for a in self.actors])
        return found

    def source(self, source_id: str) -> Source:
        """The source with this id."""
        return _get(self._index.sources, "source", source_id)

    def occasion(self, occasion_id: str) -> Occasion:
        """The occasion with this id."""
        return _get(self._index.occasions, "occasion", occasion_id)

    def lifecycle(self, lifecycle_id: str) -> Lifecycle:
        """The lifecycle with this id (a preset or one the ledger declares)."""
        return _get(self._index.lifecycles, "lifecycle", lifecycle_id)

    def lifecycle_of(self, pledge: Pledge | str) -> Lifecycle:
        """The lifecycle a pledge follows."""
        return self.lifecycle(self._resolve(pledge).lifecycle)

    def status_info(self, pledge: Pledge | str, status_id: str) -> Status:
        """The :class:`~pledges.lifecycle.Status` record of a status id in a pledge's lifecycle."""
        return self.lifecycle_of(pledge).status(status_id)

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic used, sorted."""
        return tuple(sorted({t for p in self.pledges for t in p.topics}))

    def __iter__(self) -> Iterator[Pledge]:
        return iter(self.pledges)

    def __len__(self) -> int:
        return len(self.pledges)

    def __contains__(self, pledge_id: object) -> bool:
        return pledge_id in self._index.pledges

    # -- queries ----------------------------------------------------------------------------

    def status_at(
        self, pledge: Pledge | str, as_of: DateLike, *, known_at: DateLike | None = None
    ) -> str | None:
        """The status of a pledge as of a day, or ``None`` if it had not been made by then.

        An update counts once its whole date range lies on or before ``as_of`` (the "as of"
        rule of :mod:`pledges.dates`); a later update that counts implies the ones before it.
        With ``known_at``, only updates whose news had been published by that day count.
        Costs O(log updates) without ``known_at``.
        """
        pledge = self._resolve(pledge)
        if known_at is None:
            history: Sequence[Update] = pledge.history
            count = self._counted(pledge, as_of)
        else:
            known = as_of_day(known_at).toordinal()
            history = [u for u in pledge.history if self.known_from(u).last_ordinal <= known]
            count = bisect_right(_effect_keys(history), as_of_day(as_of).toordinal())
        return history[count - 1].status if count else None

    def _counted(self, pledge: Pledge, as_of: DateLike) -> int:
        """How many of a pledge's updates are in effect as of a day (a bisection)."""
        return bisect_right(self._index.keys(pledge), as_of_day(as_of).toordinal())

    def known_from(self, update: Update) -> PartialDate:
        """When the news of an update was first published: the earliest publication date of
        its evidence (the evidence's own, else its source's), or the update's date where none
        is known."""
        dates = []
        for evidence in update.evidence:
            published = evidence.published or self.source(evidence.source).published
            if published is not None:
                dates.append(published)
        return min(dates, key=lambda d: d.last_ordinal) if dates else update.date

    def status_since(self, pledge: Pledge | str, as_of: DateLike) -> PartialDate | None:
        """The date of the update that put a pledge in the status it had as of ``as_of``
        (reaffirmations of that status do not move it), or ``None`` if not yet made."""
        pledge = self._resolve(pledge)
        count = self._counted(pledge, as_of)
        if not count:
            return None
        first = count - 1
        while first > 0 and pledge.history[first - 1].status == pledge.history[first].status:
            first -= 1
        return pledge.history[first].date

    def statuses_at(self, as_of: DateLike, *, known_at: DateLike | None = None) -> dict[str, str]:
        """Every pledge made by ``as_of``, mapped to its status then (in ledger order)."""
        result: dict[str, str] = {}
        for pledge in self.pledges:
            status = self.status_at(pledge, as_of, known_at=known_at)
            if status is not None:
                result[pledge.id] = status
        return result

    def overdue(self, as_of: DateLike) -> tuple[Pledge, ...]:
        """Pledges whose window ended before ``as_of`` and that were still open then (their
        status of kind ``open``: neither kept, broken nor closed)."""
        found = []
        for pledge in self.pledges:
            if pledge.window is None or not pledge.window.ended_by(as_of):
                continue
            status = self.status_at(pledge, as_of)
            if status is not None and self.status_info(pledge, status).kind is StatusKind.OPEN:
                found.append(pledge)
        return tuple(found)

    def by_actor(self, name: str, role: Role = "any") -> tuple[Pledge, ...]:
        """Pledges an actor (found by any alias) made (``made_by``), received (``made_to``) or
        either (``any``)."""
        actor_id = self.actor(name).id
        return tuple(
            p
            for p in self.pledges
            if (role != "made_to" and actor_id in p.made_by)
            or (role != "made_by" and actor_id in p.made_to)
        )

    def by_topic(self, topic: str) -> tuple[Pledge, ...]:
        """Pledges with this topic (case and diacritics do not count)."""
        wanted = fold(topic)
        return tuple(p for p in self.pledges if any(fold(t) == wanted for t in p.topics))

    def by_occasion(self, occasion_id: str) -> tuple[Pledge, ...]:
        """Pledges made on an occasion."""
        self.occasion(occasion_id)
        return tuple(p for p in self.pledges if p.occasion == occasion_id)

    def linked_to(self, pledge: Pledge | str, *kinds: LinkKind) -> tuple[Pledge, ...]:
        """Pledges that link to this one with one of ``kinds`` (any kind when none is given):
        its renewals, its successors, its parts."""
        incoming = self._index.incoming.get(self._resolve(pledge).id, ())
        return tuple(self.pledge(pid) for kind, pid in incoming if not kinds or kind in kinds)

    def lineage(self, pledge: Pledge | str) -> tuple[Pledge, ...]:
        """Every pledge joined to this one by ``renews`` or ``supersedes`` links, either way,
        itself included, ordered by the date each was made."""
        family = (LinkKind.RENEWS, LinkKind.SUPERSEDES)
        start = self._resolve(pledge)
        seen = {start.id: start}
        stack = [start]
        while stack:
            current = stack.pop()
            outgoing = [self.pledge(link.pledge) for link in current.links if link.kind in family]
            for other in (*outgoing, *self.linked_to(current, *family)):
                if other.id not in seen:
                    seen[other.id] = other
                    stack.append(other)
        return tuple(sorted(seen.values(), key=lambda p: (p.made_on, p.id)))

    # -- changes ----------------------------------------------------------------------------

    def evolve(self, **changes: Any) -> Ledger:
        """A new ledger with some fields replaced (checked like any ledger)."""
        return attrs.evolve(self, **changes)

    def with_pledge(self, pledge: Pledge) -> Ledger:
        """A new ledger with ``pledge`` added, or replacing the pledge with its id."""
        if pledge.id in self._index.pledges:
            pledges = tuple(pledge if p.id == pledge.id else p for p in self.pledges)
        else:
            pledges = (*self.pledges, pledge)
        return self.evolve(pledges=pledges)

    def with_update(self, pledge_id: str, update: Update) -> Ledger:
        """A new ledger with ``update`` appended to a pledge's history; raises
        :class:`~pledges.errors.LedgerInvalid` if the update breaks a rule."""
        pledge = self.pledge(pledge_id)
        return self.with_pledge(attrs.evolve(pledge, history=(*pledge.history, update)))

    def _resolve(self, pledge: Pledge | str) -> Pledge:
        return self.pledge(pledge) if isinstance(pledge, str) else pledge


def _get(table: dict[str, _T], kind: str, key: str) -> _T:
    try:
        return table[key]
    except KeyError:
        raise NotFound(kind, key, table) from None


def _effect_keys(history: Sequence[Update]) -> list[int]:
    """For each update, the first day from which it counts: the smallest last day of it and
    every later update (a later update that counts implies the earlier ones). Never
    decreasing, so a bisection finds how many updates count as of a day."""
    keys = [0] * len(history)
    running = None
    for i in range(len(history) - 1, -1, -1):
        last = history[i].date.last_ordinal
        running = last if running is None or last < running else running
        keys[i] = running
    return keys


class _Index:
    """Look-up tables of a ledger, and the problems found while building them."""

    def __init__(self, ledger: Ledger) -> None:
        self.problems: list[Problem] = []
        self.actors = self._unique("actor", "actors", ledger.actors)
        self.sources = self._unique("source", "sources", ledger.sources)
        self.occasions = self._unique("occasion", "occasions", ledger.occasions)
        self.pledges = self._unique("pledge", "pledges", ledger.pledges)
        self.lifecycles: dict[str, Lifecycle] = dict(PRESETS)
        for i, lifecycle in enumerate(ledger.lifecycles):
            if PRESETS.get(lifecycle.id) == lifecycle:
                continue  # a preset declared as it is: nothing to add
            if lifecycle.id in self.lifecycles:
                self._problem(
                    f"$.lifecycles[{i}].id",
                    f"duplicate lifecycle id {lifecycle.id!r}"
                    " (the presets default, politifact, compliance and treaty are taken)",
                )
            self.lifecycles[lifecycle.id] = lifecycle
        self.actor_names = self._names(ledger.actors)
        self.incoming: dict[str, list[tuple[LinkKind, str]]] = {}
        self._keys: dict[str, list[int]] = {}
        self._check_occasions(ledger.occasions)
        self._check_pledges(ledger.pledges)

    def keys(self, pledge: Pledge) -> list[int]:
        if self.pledges.get(pledge.id) is not pledge:  # not this ledger's: nothing to cache
            return _effect_keys(pledge.history)
        found = self._keys.get(pledge.id)
        if found is None:
            found = self._keys[pledge.id] = _effect_keys(pledge.history)
        return found

    def _problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def _unique(self, kind: str, field: str, records: Iterable[_R]) -> dict[str, _R]:
        table: dict[str, _R] = {}
        first: dict[str, int] = {}
        for i, record in enumerate(records):
            if record.id in table:
                self._problem(
                    f"$.{field}[{i}].id",
                    f"duplicate {kind} id {record.id!r} (first at $.{field}[{first[record.id]}])",
                )
                continue
            table[record.id] = record
            first[record.id] = i
        return table

    def _names(self, actors: Iterable[Actor]) -> dict[str, Actor]:
        names: dict[str, Actor] = {}
        for i, actor in enumerate(actors):
            for name in {fold(n) for n in (actor.id, *actor.names)}:
                other = names.setdefault(name, actor)
                if other.id != actor.id:
                    self._problem(
                        f"$.actors[{i}]",
                        f"actor {actor.id!r} answers to {name!r}, as actor {other.id!r} does",
                    )
        return names

    def _refs(self, where: str, kind: str, table: dict[str, Any], refs: Iterable[str]) -> None:
        for ref in refs:
            if ref not in table:
                self._problem(where, f"unknown {kind} {ref!r}")

    def _check_occasions(self, occasions: Iterable[Occasion]) -> None:
        for i, occasion in enumerate(occasions):
            self._refs(
                f"$.occasions[{i}].participants", "actor", self.actors, occasion.participants
            )

    def _check_pledges(self, pledges: Iterable[Pledge]) -> None:
        for i, pledge in enumerate(pledges):
            at = f"$.pledges[{i}]"
            self._refs(f"{at}.made_by", "actor", self.actors, pledge.made_by)
            self._refs(f"{at}.made_to", "actor", self.actors, pledge.made_to)
            if pledge.occasion is not None:
                self._refs(f"{at}.occasion", "occasion", self.occasions, [pledge.occasion])
            for j, link in enumerate(pledge.links):
                self._check_link(f"{at}.links[{j}]", pledge, link.pledge)
                self.incoming.setdefault(link.pledge, []).append((link.kind, pledge.id))
            for j, update in enumerate(pledge.history):
                if update.occasion is not None:
                    where = f"{at}.history[{j}].occasion"
                    self._refs(where, "occasion", self.occasions, [update.occasion])
                for k, evidence in enumerate(update.evidence):
                    self._refs(
                        f"{at}.history[{j}].evidence[{k}].source",
                        "source",
                        self.sources,
                        [evidence.source],
                    )
            lifecycle = self.lifecycles.get(pledge.lifecycle)
            if lifecycle is None:
                self._problem(f"{at}.lifecycle", f"unknown lifecycle {pledge.lifecycle!r}")
                continue
            for error in lifecycle.violations(pledge.history, pledge.id):
                self._problem(f"{at}.history[{error.index}]", error.message)

    def _check_link(self, where: str, pledge: Pledge, target_id: str) -> None:
        target = self.pledges.get(target_id)
        if target is None:
            self._problem(where, f"unknown pledge {target_id!r}")
        elif target.id == pledge.id:
            self._problem(where, f"pledge {pledge.id!r} links to itself")
        elif pledge.made_on.certainly_before(target.made_on):
            self._problem(
                where,
                f"pledge {pledge.id!r} (made {pledge.made_on}) links to {target.id!r}, "
                f"which was made later ({target.made_on})",
            )
