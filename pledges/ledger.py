"""The ledger: every record of a tracker, its integrity rules and its queries.

A :class:`Ledger` checks itself when built and raises :class:`~pledges.errors.LedgerInvalid`
listing every problem, each located by a path such as ``$.pledges[3].history[1]``: ids are
unique, every reference resolves, every history keeps its lifecycle's rules, links form no
cycle. A ledger that exists is valid; its ``with_*`` methods return a new, checked ledger.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

import attrs

from pledges import _fields as f
from pledges._integrity import Index, effect_keys
from pledges.dates import DateLike, PartialDate, as_of_day, to_date
from pledges.errors import InvalidQuery, LedgerInvalid, NotFound, Problem
from pledges.lifecycle import Lifecycle, Status, StatusKind
from pledges.model import (
    Actor,
    Correction,
    Evidence,
    Link,
    LinkKind,
    Occasion,
    Pledge,
    Source,
    Update,
    fold,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BUILT_IN_FIELDS", "NONE", "Cited", "Ledger", "Role", "run_start"]

BUILT_IN_FIELDS: tuple[str, ...] = (
    "actor",
    "made_to",
    "topic",
    "occasion",
    "kind",
    "lifecycle",
    "commitment",
)
"""The fields every pledge can be grouped and filtered by (a ledger's extra fields too)."""

NONE = "(none)"
"""The value of a field a pledge has nothing for."""

_T = TypeVar("_T")

Role = Literal["made_by", "made_to", "any"]
"""Which side of a pledge an actor look-up matches."""
_ROLES: tuple[Role, ...] = get_args(Role)


@attrs.frozen
class Cited:
    """One piece of evidence in its place: the pledge, the update's index and the update,
    the evidence's index and the evidence, and the path of it in the ledger's file."""

    pledge: Pledge
    index: int
    update: Update
    position: int
    evidence: Evidence
    where: str


@attrs.frozen(repr=False)
class Ledger:
    """Actors, sources, occasions, pledges and the lifecycles they use.

    The preset lifecycles (:data:`~pledges.presets.PRESETS`) are always known; a ledger may
    declare more in ``lifecycles`` (declaring a preset as it is changes nothing; another
    lifecycle with a preset's id is refused), and each pledge names the one it follows.
    ``corrections`` records each correction of a published call; ``published`` (the day the
    ledger was first published) declares that from then on history is corrected only in the
    open; ``license`` and ``version`` describe the data for those who reuse it; ``method``
    holds the coding rules behind the calls (paragraphs, for the methodology page).
    """

    title: str = attrs.field(validator=f.text)
    actors: tuple[Actor, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Actor)
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Source)
    )
    occasions: tuple[Occasion, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Occasion)
    )
    pledges: tuple[Pledge, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Pledge)
    )
    lifecycles: tuple[Lifecycle, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Lifecycle)
    )
    description: str | None = attrs.field(default=None, validator=f.optional_text)
    corrections: tuple[Correction, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Correction)
    )
    published: PartialDate | None = attrs.field(
        default=None, converter=to_date, validator=f.optional(f.instance_of(PartialDate))
    )
    license: str | None = attrs.field(default=None, validator=f.optional_text)
    version: str | None = attrs.field(default=None, validator=f.optional_text)
    method: str | None = attrs.field(default=None, validator=f.optional_text)
    _index: Index = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index = Index(
            self.actors,
            self.sources,
            self.occasions,
            self.pledges,
            self.lifecycles,
            self.corrections,
        )
        if index.problems:
            raise LedgerInvalid(index.problems)
        object.__setattr__(self, "_index", index)

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(getattr(self, name))} {name}"
            for name in ("pledges", "actors", "sources", "occasions")
        )
        return f"Ledger({self.title!r}, {counts})"

    def to_frame(self, as_of: DateLike | None = None) -> pd.DataFrame:
        """A pandas DataFrame of the pledges, a row each, with their status as of a day (see
        :func:`pledges.frames.to_frame`; pandas is an extra: ``pledges[analysis]``)."""
        from pledges.frames import to_frame

        return to_frame(self, as_of)

    def updates_frame(self) -> pd.DataFrame:
        """A pandas DataFrame of every update, with its evidence (see
        :func:`pledges.frames.updates_frame`)."""
        from pledges.frames import updates_frame

        return updates_frame(self)

    def _repr_html_(self) -> str:
        """A notebook's view: the title, counts and each pledge's status now."""
        from pledges.present.notebook import ledger_html

        return ledger_html(self)

    # -- look-ups ---------------------------------------------------------------------------

    def pledge(self, pledge_id: str) -> Pledge:
        """The pledge with this id; :class:`~pledges.errors.NotFound` if there is none."""
        return _get(self._index.pledges, "pledge", pledge_id)

    def actor(self, name: str) -> Actor:
        """The actor with this id, name or alias, ignoring case and diacritics."""
        found = self._index.actor_names.get(fold(name)) if isinstance(name, str) else None
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
    def known_lifecycles(self) -> tuple[Lifecycle, ...]:
        """Every lifecycle this ledger knows: the presets, then those it declares."""
        return tuple(self._index.lifecycles.values())

    @property
    def latest(self) -> PartialDate | None:
        """The last day any update of the ledger may have happened on (``None`` when it has
        no pledge): its "now", for reports that must not change with the day they are made."""
        last = max((u.date.last_ordinal for p in self.pledges for u in p.history), default=None)
        return None if last is None else PartialDate.of(_dt.date.fromordinal(last))

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

    def cited(self) -> Iterator[Cited]:
        """Every piece of evidence of every update, in file order, with its path."""
        for i, pledge in enumerate(self.pledges):
            for j, update in enumerate(pledge.history):
                for k, evidence in enumerate(update.evidence):
                    where = f"$.pledges[{i}].history[{j}].evidence[{k}]"
                    yield Cited(pledge, j, update, k, evidence, where)

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
        history, keys = self._counted_history(pledge, known_at)
        count = bisect_right(keys, as_of_day(as_of).toordinal())
        return history[count - 1].status if count else None

    def known_history(
        self, pledge: Pledge | str, known_at: DateLike | None = None
    ) -> tuple[Update, ...]:
        """A pledge's updates whose news had been published by ``known_at`` (see
        :meth:`known_from`), in order; all of them when ``known_at`` is ``None``."""
        pledge = self._resolve(pledge)
        if known_at is None:
            return pledge.history
        known = as_of_day(known_at).toordinal()
        return tuple(u for u in pledge.history if self.known_from(u).last_ordinal <= known)

    def _counted_history(
        self, pledge: Pledge, known_at: DateLike | None
    ) -> tuple[Sequence[Update], list[int]]:
        """The updates that may count (those known by ``known_at``) and their effect keys."""
        if known_at is None:
            return pledge.history, self._index.keys(pledge)
        history = self.known_history(pledge, known_at)
        return history, effect_keys(history)

    def _count(self, pledge: Pledge, as_of: DateLike) -> int:
        return bisect_right(self._index.keys(pledge), as_of_day(as_of).toordinal())

    def updates_between(
        self,
        pledge: Pledge | str,
        after: DateLike | None,
        until: DateLike,
        *,
        known_at: DateLike | None = None,
    ) -> tuple[Update, ...]:
        """The updates in effect as of ``until`` but not as of ``after`` (every one in effect
        by ``until`` when ``after`` is ``None``); with ``known_at``, of the updates known by
        then. Costs O(log updates + the updates given) without ``known_at``."""
        history, keys = self._counted_history(self._resolve(pledge), known_at)
        first = 0 if after is None else bisect_right(keys, as_of_day(after).toordinal())
        return tuple(history[first : bisect_right(keys, as_of_day(until).toordinal())])

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
        count = self._count(pledge, as_of)
        if not count:
            return None
        return pledge.history[run_start(pledge.history[:count])].date

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
        either (``any``); another role raises :class:`~pledges.errors.InvalidQuery`."""
        if role not in _ROLES:
            raise InvalidQuery(f"role {role!r} is not one of {', '.join(_ROLES)}")
        actor_id = self.actor(name).id
        return tuple(
            p
            for p in self.pledges
            if (role != "made_to" and actor_id in p.made_by)
            or (role != "made_by" and actor_id in p.made_to)
        )

    @property
    def fields(self) -> tuple[str, ...]:
        """The names a pledge can be grouped or filtered by: the built-in ones
        (:data:`BUILT_IN_FIELDS`), then every extra field the pledges hold, in order met."""
        extra = dict.fromkeys(name for p in self.pledges for name in p.extra)
        return (*BUILT_IN_FIELDS, *(n for n in extra if n not in BUILT_IN_FIELDS))

    def values_of(self, pledge: Pledge | str, field: str) -> tuple[str, ...]:
        """A pledge's values for a field (:attr:`fields`), as a reader names them: its
        makers' names for ``actor``, its topics, its occasion's title, its kind, its
        lifecycle's label, the whole it is part or a share of (else itself) for
        ``commitment``, or an extra field's texts; :data:`NONE` when it has none (see
        :meth:`field` to check a name first)."""
        pledge = self._resolve(pledge)
        if field == "actor":
            found: tuple[str, ...] = tuple(self.actor(a).name for a in pledge.made_by)
        elif field == "made_to":
            found = tuple(self.actor(a).name for a in pledge.made_to)
        elif field == "topic":
            found = pledge.topics
        elif field == "occasion":
            found = () if pledge.occasion is None else (self.occasion(pledge.occasion).title,)
        elif field == "kind":
            found = (pledge.kind.value,)
        elif field == "lifecycle":
            found = (self.lifecycle_of(pledge).label,)
        elif field == "commitment":
            wholes = (*pledge.linked(LinkKind.PART_OF), *pledge.linked(LinkKind.SHARE_OF))
            found = wholes or (pledge.id,)
        else:
            found = pledge.extra.values_of(field)
        return tuple(dict.fromkeys(found)) or (NONE,)

    def field(self, name: str) -> str:
        """``name`` if it is one of :attr:`fields`; :class:`~pledges.errors.NotFound`
        listing them otherwise."""
        if name not in BUILT_IN_FIELDS and name not in self.fields:
            raise NotFound("field", name, self.fields)
        return name

    def counted(self) -> tuple[Pledge, ...]:
        """The pledges counted in totals: all but the wholes that have shares (a group's
        commitment, counted through its members' shares)."""
        wholes = {
            pid
            for pid, links in self._index.incoming.items()
            for k, _ in links
            if k is LinkKind.SHARE_OF
        }
        return tuple(p for p in self.pledges if p.id not in wholes)

    def by_topic(self, topic: str) -> tuple[Pledge, ...]:
        """Pledges with this topic (case and diacritics do not count); a topic no pledge has
        raises :class:`~pledges.errors.NotFound` listing the topics there are."""
        wanted = fold(topic)
        found = tuple(p for p in self.pledges if any(fold(t) == wanted for t in p.topics))
        if not found:
            raise NotFound("topic", topic, self.topics)
        return found

    def by_occasion(self, occasion_id: str) -> tuple[Pledge, ...]:
        """Pledges made on an occasion."""
        self.occasion(occasion_id)
        return tuple(p for p in self.pledges if p.occasion == occasion_id)

    def select(
        self,
        *,
        topic: str | None = None,
        actor: str | None = None,
        occasion: str | None = None,
        status: str | None = None,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        where: Mapping[str, str | Sequence[str]] | None = None,
    ) -> tuple[Pledge, ...]:
        """The pledges, narrowed by topic, actor (any alias, either side), occasion,
        status as of a day (``status`` needs ``as_of``), and ``where``: for each field
        (built-in or extra, see :attr:`fields`), a value (or any of several values) the
        pledge must have, case and diacritics aside. A field or value that names nothing
        known raises :class:`~pledges.errors.NotFound` listing what there is.

        >>> from pledges import load_bundled
        >>> [p.id for p in load_bundled().select(where={"topic": "visas"})][:1]
        ['2014-visa-exemption']
        """
        wanted: list[set[str]] = []
        for field, value in (where or {}).items():
            wanted.append({p.id for p in self._where(field, value)})
        if topic is not None:
            wanted.append({p.id for p in self.by_topic(topic)})
        if actor is not None:
            wanted.append({p.id for p in self.by_actor(actor)})
        if occasion is not None:
            wanted.append({p.id for p in self.by_occasion(occasion)})
        if status is not None:
            used = sorted({s for p in self.pledges for s in self.lifecycle_of(p).ids})
            if status not in used:
                raise NotFound("status", status, used)
            if as_of is None:
                raise InvalidQuery("a status filter needs a date (as_of) to find statuses at")
            wanted.append(
                {
                    p.id
                    for p in self.pledges
                    if self.status_at(p, as_of, known_at=known_at) == status
                }
            )
        chosen = set(self._index.pledges).intersection(*wanted)
        return tuple(p for p in self.pledges if p.id in chosen)

    def _where(self, field: str, value: str | Sequence[str]) -> tuple[Pledge, ...]:
        """The pledges having (one of) ``value`` for ``field``."""
        values = (value,) if isinstance(value, str) else tuple(value)
        self.field(field)
        table = {p.id: {fold(v) for v in self.values_of(p, field)} for p in self.pledges}
        seen = sorted({v for p in self.pledges for v in self.values_of(p, field)})
        for one in values:
            if not any(fold(one) in held for held in table.values()):
                raise NotFound(f"{field} value", one, seen)
        folded = {fold(v) for v in values}
        return tuple(p for p in self.pledges if table[p.id] & folded)

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

    # -- changes: each returns a new, checked ledger ----------------------------------------

    def evolve(self, **changes: Any) -> Ledger:
        """A new ledger with some fields replaced (checked like any ledger)."""
        return attrs.evolve(self, **changes)

    def with_pledge(self, pledge: Pledge) -> Ledger:
        """A new ledger with ``pledge`` added, or replacing the pledge with its id."""
        return self.evolve(pledges=_put(self.pledges, pledge, self._index.pledges))

    def with_update(self, pledge_id: str, update: Update) -> Ledger:
        """A new ledger with ``update`` appended to a pledge's history; raises
        :class:`~pledges.errors.LedgerInvalid` if the update breaks a rule."""
        pledge = self.pledge(pledge_id)
        return self.with_pledge(attrs.evolve(pledge, history=(*pledge.history, update)))

    def with_correction(self, correction: Correction, status: str | None = None) -> Ledger:
        """A new ledger that records ``correction``; with ``status``, the update it names
        (``correction.update``, the one update of the pledge on that date) is given that
        status too, in the same step, and ``correction.was`` is its former status: a call
        is never rewritten without the correction that says so."""
        if status is None:
            return self.evolve(corrections=(*self.corrections, correction))
        pledge = self.pledge(correction.pledge)
        index = pledge.update_on(correction.update)
        update = pledge.history[index]
        history = list(pledge.history)
        history[index] = update.with_status(status)
        correction = attrs.evolve(correction, was=update.status)
        changed = self.with_pledge(attrs.evolve(pledge, history=tuple(history)))
        return changed.evolve(corrections=(*self.corrections, correction))

    def with_link(self, pledge_id: str, link: Link) -> Ledger:
        """A new ledger in which a pledge also links to another (refused if the link is
        there already, points nowhere, forward in time, or closes a cycle)."""
        pledge = self.pledge(pledge_id)
        if link in pledge.links:
            message = f"pledge {pledge_id!r} already {link.kind.value} {link.pledge!r}"
            raise LedgerInvalid([Problem("", message)])
        return self.with_pledge(attrs.evolve(pledge, links=(*pledge.links, link)))

    def with_source(self, source: Source) -> Ledger:
        """A new ledger with ``source`` added, or replacing the source with its id."""
        return self.evolve(sources=_put(self.sources, source, self._index.sources))

    def with_actor(self, actor: Actor) -> Ledger:
        """A new ledger with ``actor`` added, or replacing the actor with its id."""
        return self.evolve(actors=_put(self.actors, actor, self._index.actors))

    def with_occasion(self, occasion: Occasion) -> Ledger:
        """A new ledger with ``occasion`` added, or replacing the occasion with its id."""
        return self.evolve(occasions=_put(self.occasions, occasion, self._index.occasions))

    def _resolve(self, pledge: Pledge | str) -> Pledge:
        return self.pledge(pledge) if isinstance(pledge, str) else pledge


def run_start(history: Sequence[Update]) -> int:
    """The index of the update that began the last run of one status in ``history`` (its
    reaffirmations and progress notes after it do not move it); ``history`` is not empty."""
    first = len(history) - 1
    while first > 0 and history[first - 1].status == history[first].status:
        first -= 1
    return first


def _put(records: tuple[Any, ...], record: Any, table: dict[str, Any]) -> tuple[Any, ...]:
    """The records with ``record`` replacing the one with its id, or added at the end."""
    if record.id in table:
        return tuple(record if r.id == record.id else r for r in records)
    return (*records, record)


def _get(table: dict[str, _T], kind: str, key: str) -> _T:
    try:
        return table[key]
    except (KeyError, TypeError):
        raise NotFound(kind, key, table) from None
