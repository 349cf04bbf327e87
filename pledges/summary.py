"""What a summary of a ledger is: counts by status, the compliance score, the kept share and
the overdue pledges, for all pledges and by group, as records (no presentation here).

- The **compliance score** is the mean score of the pledges whose status is scored (on the
  shipped scales, +1 kept, 0 under way or in part, -1 broken); unscored statuses such as
  "made" are left out of it.
- The **kept share** is the share of pledges counted as kept among those it counts: by
  :class:`KeptRule`, statuses of kind ``fulfilled`` are kept and statuses of kind ``closed``
  (withdrawn, superseded, terminated) are left out of the denominator, as trackers publish it;
  both lists take status ids or kinds.
- **Groups**: by any field: actor (each actor who made a pledge), topic (each topic),
  occasion, kind, lifecycle, commitment (named by the pledge's id: a pledge and its parts
  or shares, as a scorecard's commitment and its members' compliance with it), or any
  extra field (a tracker's own column, such as ``era``).
- **Shares**: a commitment made by a group and assessed member by member (a scorecard) is
  counted through its members' shares (``share-of`` links), never as a pledge of its own:
  totals count member assessments, and its row ``by commitment`` is their mean.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs
import pendulum

from pledges import _fields as f
from pledges.dates import DateLike, as_of_day
from pledges.errors import NotFound, shown

if TYPE_CHECKING:
    import pandas as pd
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle, Status, StatusKind
from pledges.model import LinkKind, Pledge
from pledges.scales import MAPPINGS, declared, find

__all__ = ["KeptRule", "StatusCount", "Summary", "Tally", "summarize"]


@attrs.frozen
class KeptRule:
    """Which statuses count as kept, and which are left out of the kept share's denominator;
    each entry is a status id or a status kind (``fulfilled``, ``partial``, ``closed``, ...)."""

    kept: tuple[str, ...] = attrs.field(
        default=("fulfilled",), converter=f.to_tuple, validator=f.identifiers
    )
    left_out: tuple[str, ...] = attrs.field(
        default=("closed",), converter=f.to_tuple, validator=f.identifiers
    )

    def is_kept(self, status: Status) -> bool:
        """True when the status counts as kept."""
        return status.id in self.kept or status.kind.value in self.kept

    def is_left_out(self, status: Status) -> bool:
        """True when pledges in this status are not counted at all."""
        return status.id in self.left_out or status.kind.value in self.left_out


@attrs.frozen
class StatusCount:
    """How many pledges were in one status of one lifecycle."""

    lifecycle: Lifecycle
    status: Status
    count: int


@attrs.frozen(repr=False)
class Tally:
    """The numbers of one group of pledges (or of all of them) at a date."""

    group: str
    pledges: tuple[Pledge, ...]
    statuses: tuple[StatusCount, ...]
    score: float | None
    scored: int
    kept: int
    counted: int
    overdue: tuple[Pledge, ...]

    def __repr__(self) -> str:
        score = "no score" if self.score is None else f"score {self.score:+.2f}"
        share = "" if self.kept_share is None else f", kept {self.kept_share:.1%}"
        return f"Tally({shown(self.group)}, {len(self.pledges)} pledges, {score}{share})"

    @property
    def kept_share(self) -> float | None:
        """Kept pledges over counted ones (``None`` when none is counted)."""
        return self.kept / self.counted if self.counted else None


@attrs.frozen(repr=False)
class Summary:
    """A ledger's numbers at a date: the whole, and each group when grouped."""

    as_of: pendulum.Date
    scale: Lifecycle | None
    rule: KeptRule
    total: Tally
    by: str | None = None
    """The field the groups are of (a built-in one or an extra field)."""
    groups: tuple[Tally, ...] = ()

    def __repr__(self) -> str:
        grouped = "" if self.by is None else f", by {self.by}: {len(self.groups)} groups"
        return f"Summary(as of {self.as_of}, {self.total!r}{grouped})"

    @property
    def by_name(self) -> str:
        """The field grouped by, as a table's heading names it (``""`` when not grouped)."""
        return self.by or ""

    def to_frame(self) -> pd.DataFrame:
        """The summary's numbers as a pandas DataFrame, a row a group (the whole when not
        grouped): see :func:`pledges.frames.summary_frame`."""
        from pledges.frames import summary_frame

        return summary_frame(self)

    def _repr_html_(self) -> str:
        """A notebook's view: the numbers, a row a group."""
        from pledges.present.notebook import summary_html

        return summary_html(self)


def summarize(
    ledger: Ledger,
    as_of: DateLike,
    *,
    pledges: Iterable[Pledge] | None = None,
    by: str | None = None,
    scale: Lifecycle | None = None,
    rule: KeptRule | None = None,
) -> Summary:
    """The numbers of ``pledges`` (default: all) made by ``as_of``, in total and ``by`` a
    field: a built-in one (:data:`~pledges.ledger.BUILT_IN_FIELDS`) or any extra field of
    the ledger's pledges (a tracker's own columns), each value a group (a pledge with
    several values is in each of their groups). A group's commitment made by its members is
    counted through their shares, never on its own (see
    :meth:`~pledges.ledger.Ledger.counted`). With ``scale``, every status is first mapped
    onto that lifecycle (through the mappings the lifecycles declare), so that pledges on
    different scales count alike;
    :class:`~pledges.errors.NotFound` when one cannot be, or when the kept rule names a
    status or kind no lifecycle of the ledger has."""
    day = as_of_day(as_of)
    rule = rule or KeptRule()
    known = {s for lc in ledger.known_lifecycles for s in lc.ids} | {k.value for k in StatusKind}
    for entry in (*rule.kept, *rule.left_out):
        if entry not in known:
            raise NotFound("status or status kind", entry, sorted(known))
    mappings = (*MAPPINGS, *declared(ledger.lifecycles))
    placed: dict[str, tuple[Lifecycle, Status]] = {}
    counted = {p.id for p in ledger.counted()}
    chosen = ledger.pledges if pledges is None else pledges
    for pledge in (p for p in chosen if p.id in counted):
        status_id = ledger.status_at(pledge, day)
        if status_id is None:
            continue
        lifecycle = ledger.lifecycle_of(pledge)
        if scale is not None and lifecycle.id != scale.id:
            status_id, lifecycle = find(lifecycle.id, scale.id, mappings)(status_id), scale
        placed[pledge.id] = (lifecycle, lifecycle.status(status_id))
    made = [ledger.pledge(pid) for pid in placed]
    overdue = {p.id for p in ledger.overdue(day)}

    def tally(group: str, members: Sequence[Pledge]) -> Tally:
        return _tally(group, members, placed, overdue, rule)

    field = None if by is None else ledger.field(by)
    groups = (
        ()
        if field is None
        else tuple(tally(name, members) for name, members in _grouped(ledger, made, field))
    )
    return Summary(day, scale, rule, tally("all", made), field, groups)


def _tally(
    group: str,
    members: Sequence[Pledge],
    placed: dict[str, tuple[Lifecycle, Status]],
    overdue: set[str],
    rule: KeptRule,
) -> Tally:
    counts: Counter[tuple[str, str]] = Counter()
    lifecycles: dict[str, Lifecycle] = {}
    scores: list[int] = []
    kept = counted = 0
    for pledge in members:
        lifecycle, status = placed[pledge.id]
        lifecycles[lifecycle.id] = lifecycle
        counts[lifecycle.id, status.id] += 1
        if status.score is not None:
            scores.append(status.score)
        if not rule.is_left_out(status):
            counted += 1
            kept += rule.is_kept(status)
    statuses = tuple(
        StatusCount(lifecycle, status, counts[lifecycle.id, status.id])
        for lifecycle in lifecycles.values()
        for status in lifecycle.statuses
        if counts[lifecycle.id, status.id]
    )
    score = sum(scores) / len(scores) if scores else None
    late = tuple(p for p in members if p.id in overdue)
    return Tally(group, tuple(members), statuses, score, len(scores), kept, counted, late)


def _grouped(ledger: Ledger, made: Sequence[Pledge], by: str) -> list[tuple[str, list[Pledge]]]:
    """The groups, each with its pledges, largest first (then by name)."""
    groups: defaultdict[str, list[Pledge]] = defaultdict(list)
    for pledge in made:
        if by == "commitment" and ledger.linked_to(pledge, LinkKind.PART_OF):
            continue  # a whole with parts: its parts stand for it
        for name in ledger.values_of(pledge, by):
            groups[name].append(pledge)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
