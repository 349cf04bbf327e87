"""Status scales and their rules.

A :class:`Lifecycle` is data: its statuses, the one a pledge starts in, where each status may
move (``to``), which statuses are final, and where a final status may be reopened to
(``reopen_to``, only by a ``reopened`` update). It is checked when built, and
:meth:`Lifecycle.violations` checks a pledge's history against it.

Four presets ship: :data:`DEFAULT`, :data:`POLITIFACT`, :data:`COMPLIANCE` (the G7/G20
Research Group's -1 / 0 / +1 scale) and :data:`TREATY`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

import attrs

from pledges._checks import as_tuple, id_text, non_empty
from pledges.errors import DefinitionError, HistoryError, NotFound, Rule, TransitionNotAllowed
from pledges.model import Update, UpdateKind

__all__ = [
    "COMPLIANCE",
    "DEFAULT",
    "POLITIFACT",
    "PRESETS",
    "TREATY",
    "Lifecycle",
    "Status",
    "StatusKind",
]


class StatusKind(StrEnum):
    """What a status means for reports, whatever its name."""

    OPEN = "open"
    """Not settled: made, in progress, stalled, negotiating."""
    FULFILLED = "fulfilled"
    """Kept in full."""
    PARTIAL = "partial"
    """Kept in part."""
    FAILED = "failed"
    """Broken."""
    CLOSED = "closed"
    """Ended without being kept or broken: withdrawn, superseded, terminated."""


@attrs.frozen
class Status:
    """One status of a lifecycle.

    ``score`` feeds the compliance score (``None``: not scored); ``rank`` orders statuses by
    progress, higher is further along; ``to`` lists the statuses it may move to;
    ``reopen_to`` (final statuses only) those it may be reopened to.
    """

    id: str = attrs.field(validator=id_text)
    label: str = attrs.field(validator=non_empty)
    kind: StatusKind = StatusKind.OPEN
    score: int | None = None
    rank: int = 0
    final: bool = False
    to: tuple[str, ...] = attrs.field(default=(), converter=as_tuple)
    reopen_to: tuple[str, ...] = attrs.field(default=(), converter=as_tuple)


@attrs.frozen
class Lifecycle:
    """A status scale with its rules, checked when built (:class:`DefinitionError` lists every
    problem: unknown or duplicate statuses, no initial status, moves out of a final status,
    statuses that cannot be reached)."""

    id: str = attrs.field(validator=id_text)
    label: str = attrs.field(validator=non_empty)
    statuses: tuple[Status, ...] = attrs.field(converter=as_tuple)
    initial: str
    description: str | None = None
    _by_id: dict[str, Status] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _moves: frozenset[tuple[str, str]] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _reopens: frozenset[tuple[str, str]] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Status] = {}
        problems: list[str] = []
        for status in self.statuses:
            if status.id in by_id:
                problems.append(f"status {status.id!r} is defined twice")
            by_id[status.id] = status
        if not self.statuses:
            problems.append("it has no statuses")
        elif self.initial not in by_id:
            problems.append(f"initial status {self.initial!r} is not one of its statuses")
        for status in self.statuses:
            for target in (*status.to, *status.reopen_to):
                if target not in by_id:
                    problems.append(f"status {status.id!r} moves to unknown status {target!r}")
            if status.final and status.to:
                problems.append(
                    f"final status {status.id!r} has moves out of it ({', '.join(status.to)}); "
                    "a final status may only be reopened (reopen_to)"
                )
            if not status.final and status.reopen_to:
                problems.append(f"status {status.id!r} is not final but has reopen_to")
        if self.initial in by_id:
            reached = _reachable(self.initial, by_id)
            for status in self.statuses:
                if status.id not in reached:
                    problems.append(f"status {status.id!r} cannot be reached from {self.initial!r}")
        if problems:
            raise DefinitionError(self.id, problems)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(
            self, "_moves", frozenset((s.id, t) for s in self.statuses for t in s.to)
        )
        object.__setattr__(
            self, "_reopens", frozenset((s.id, t) for s in self.statuses for t in s.reopen_to)
        )

    @property
    def ids(self) -> tuple[str, ...]:
        """The status ids, in the order defined."""
        return tuple(s.id for s in self.statuses)

    @property
    def finals(self) -> frozenset[str]:
        """The ids of the final statuses."""
        return frozenset(s.id for s in self.statuses if s.final)

    def __contains__(self, status_id: object) -> bool:
        return status_id in self._by_id

    def status(self, status_id: str) -> Status:
        """The status with this id; :class:`NotFound` if there is none."""
        try:
            return self._by_id[status_id]
        except KeyError:
            raise NotFound(f"status in lifecycle {self.id!r}", status_id, self.ids) from None

    def label_of(self, status_id: str) -> str:
        """The label of a status (the id itself when the lifecycle does not know it)."""
        found = self._by_id.get(status_id)
        return status_id if found is None else found.label

    def can_move(self, from_status: str, to_status: str, *, reopen: bool = False) -> bool:
        """True when the move is allowed (``reopen=True`` for a move out of a final status)."""
        if from_status == to_status:
            return from_status in self._by_id
        return (from_status, to_status) in (self._reopens if reopen else self._moves)

    def violations(
        self, history: Sequence[Update], pledge_id: str | None = None
    ) -> tuple[HistoryError, ...]:
        """Every rule a history breaks, in order (empty when it keeps them all).

        The rules: the first update is the initial status and of kind ``made``, and no other
        update is; every status is known; every move is allowed; a move out of a final status
        is a ``reopened`` update to a status in ``reopen_to``, and a ``reopened`` update is such
        a move; dates never go backwards (a partial date may overlap the one before it, but
        cannot lie wholly before any earlier one). Evidence on every update is enforced when an
        :class:`~pledges.model.Update` is built.
        """
        errors: list[HistoryError] = []

        def fail(rule: Rule, index: int, detail: str, **statuses: str) -> None:
            cls = TransitionNotAllowed if "from_status" in statuses else HistoryError
            errors.append(cls(rule, index, detail, pledge_id=pledge_id, **statuses))

        by_id = self._by_id
        latest_start = 0
        previous: Update | None = None
        for index, update in enumerate(history):
            known = update.status in by_id
            if not known:
                fail(
                    Rule.UNKNOWN_STATUS,
                    index,
                    f"status {update.status!r} is not in lifecycle {self.id!r} "
                    f"(known: {', '.join(self.ids)})",
                )
            if previous is None:
                if update.status != self.initial:
                    fail(
                        Rule.INITIAL,
                        index,
                        f"the first update must be the initial status {self.initial!r} "
                        f"(got {update.status!r})",
                    )
                if update.kind is not UpdateKind.MADE:
                    fail(
                        Rule.INITIAL,
                        index,
                        f"the first update must be of kind 'made' (got {update.kind.value!r})",
                    )
            else:
                if update.kind is UpdateKind.MADE:
                    fail(Rule.MADE_ONCE, index, "only the first update may be of kind 'made'")
                if update.date.last_ordinal < latest_start:
                    fail(
                        Rule.DATE_ORDER,
                        index,
                        f"date {update.date} goes back before an earlier update's date",
                    )
                self._check_move(previous, update, index, fail)
            latest_start = max(latest_start, update.date.first_ordinal)
            previous = update
        return tuple(errors)

    def _check_move(self, previous: Update, update: Update, index: int, fail: Any) -> None:
        before, after = previous.status, update.status
        reopening = update.kind is UpdateKind.REOPENED
        if before not in self._by_id or after not in self._by_id:
            return
        moves = {"from_status": before, "to_status": after}
        if before == after:
            if reopening:
                fail(Rule.REOPEN, index, f"a 'reopened' update must leave its status ({after!r})")
            return
        if self._by_id[before].final:
            if (before, after) not in self._reopens:
                fail(
                    Rule.MOVE,
                    index,
                    f"final status {before!r} cannot be reopened to {after!r}",
                    **moves,
                )
            elif not reopening:
                fail(
                    Rule.REOPEN,
                    index,
                    f"moving out of final status {before!r} needs a 'reopened' update "
                    f"(got {update.kind.value!r})",
                    **moves,
                )
            return
        if (before, after) not in self._moves:
            fail(Rule.MOVE, index, f"move {before!r} -> {after!r} is not allowed", **moves)
        elif reopening:
            fail(
                Rule.REOPEN, index, f"{before!r} is not final: there is nothing to reopen", **moves
            )

    def check(self, history: Sequence[Update], pledge_id: str | None = None) -> None:
        """Raise the first :class:`~pledges.errors.HistoryError` the history has, if any."""
        errors = self.violations(history, pledge_id)
        if errors:
            raise errors[0]


def _reachable(initial: str, by_id: dict[str, Status]) -> set[str]:
    seen = {initial}
    queue = deque([initial])
    while queue:
        status = by_id[queue.popleft()]
        for target in (*status.to, *status.reopen_to):
            if target in by_id and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _scale(
    id: str,
    label: str,
    initial: str,
    rows: Iterable[tuple[str, str, StatusKind, int | None, int, bool, str, str]],
    description: str,
) -> Lifecycle:
    """Build a preset from compact rows: id, label, kind, score, rank, final, to, reopen_to."""
    return Lifecycle(
        id=id,
        label=label,
        initial=initial,
        description=description,
        statuses=tuple(
            Status(sid, slabel, kind, score, rank, final, tuple(to.split()), tuple(reopen.split()))
            for sid, slabel, kind, score, rank, final, to, reopen in rows
        ),
    )


_O, _F, _P, _X, _C = (
    StatusKind.OPEN,
    StatusKind.FULFILLED,
    StatusKind.PARTIAL,
    StatusKind.FAILED,
    StatusKind.CLOSED,
)
_SETTLE = "fulfilled partially-fulfilled broken withdrawn superseded"

DEFAULT = _scale(
    "default",
    "Default",
    "made",
    [
        ("made", "Made", _O, None, 2, False, f"in-progress stalled {_SETTLE}", ""),
        ("in-progress", "In progress", _O, 0, 3, False, f"stalled {_SETTLE}", ""),
        ("stalled", "Stalled", _O, 0, 1, False, f"in-progress {_SETTLE}", ""),
        ("partially-fulfilled", "Partially fulfilled", _P, 0, 4, True, "", "in-progress stalled"),
        ("fulfilled", "Fulfilled", _F, 1, 5, True, "", "in-progress"),
        ("broken", "Broken", _X, -1, 0, True, "", "in-progress"),
        ("withdrawn", "Withdrawn", _C, None, 0, True, "", "in-progress"),
        ("superseded", "Superseded", _C, None, 0, True, "", ""),
    ],
    "A general lifecycle: a pledge is made, moves through progress or a stall, and ends "
    "fulfilled (in full or in part), broken, withdrawn or superseded.",
)
"""The default lifecycle."""

POLITIFACT = _scale(
    "politifact",
    "PolitiFact",
    "not-yet-rated",
    [
        (
            "not-yet-rated",
            "Not Yet Rated",
            _O,
            None,
            1,
            False,
            "in-the-works stalled compromise promise-kept promise-broken",
            "",
        ),
        (
            "in-the-works",
            "In the Works",
            _O,
            0,
            2,
            False,
            "stalled compromise promise-kept promise-broken",
            "",
        ),
        (
            "stalled",
            "Stalled",
            _O,
            0,
            1,
            False,
            "in-the-works compromise promise-kept promise-broken",
            "",
        ),
        (
            "compromise",
            "Compromise",
            _P,
            0,
            3,
            True,
            "",
            "in-the-works stalled promise-kept promise-broken",
        ),
        (
            "promise-kept",
            "Promise Kept",
            _F,
            1,
            4,
            True,
            "",
            "in-the-works stalled compromise promise-broken",
        ),
        (
            "promise-broken",
            "Promise Broken",
            _X,
            -1,
            0,
            True,
            "",
            "in-the-works stalled compromise promise-kept",
        ),
    ],
    "PolitiFact's six ratings. Its final ratings are re-rated when events change, which "
    "here is a reopen with evidence.",
)
"""PolitiFact's promise meter."""

COMPLIANCE = _scale(
    "compliance",
    "Compliance (-1 / 0 / +1)",
    "not-assessed",
    [
        (
            "not-assessed",
            "Not assessed",
            _O,
            None,
            1,
            False,
            "non-compliance partial-compliance full-compliance",
            "",
        ),
        (
            "non-compliance",
            "Non-compliance (-1)",
            _X,
            -1,
            0,
            False,
            "partial-compliance full-compliance",
            "",
        ),
        (
            "partial-compliance",
            "Partial compliance (0)",
            _P,
            0,
            2,
            False,
            "non-compliance full-compliance",
            "",
        ),
        (
            "full-compliance",
            "Full compliance (+1)",
            _F,
            1,
            3,
            False,
            "non-compliance partial-compliance",
            "",
        ),
    ],
    "The G7/G20 Research Group's compliance scale; assessments may be revised.",
)
"""The -1 / 0 / +1 compliance scale."""

TREATY = _scale(
    "treaty",
    "Treaty",
    "negotiating",
    [
        ("negotiating", "Negotiating", _O, 0, 1, False, "signed terminated", ""),
        ("signed", "Signed", _O, 0, 2, False, "ratified in-force terminated", ""),
        ("ratified", "Ratified", _O, 0, 3, False, "in-force terminated", ""),
        ("in-force", "In force", _F, 1, 4, False, "terminated", ""),
        ("terminated", "Terminated", _C, None, 0, True, "", ""),
    ],
    "An agreement from talks (or a study) to signature, ratification and entry into force. "
    "'terminated' covers talks abandoned and agreements ended.",
)
"""The lifecycle of an agreement such as a free trade agreement or a visa exemption."""

PRESETS: dict[str, Lifecycle] = {lc.id: lc for lc in (DEFAULT, POLITIFACT, COMPLIANCE, TREATY)}
"""The preset lifecycles by id; every ledger knows them."""
