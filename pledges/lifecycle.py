"""Status scales and their rules.

A :class:`Lifecycle` is data: its statuses, the one a pledge starts in, where each status may
move (``to``), which statuses are final, and where a final status may be reopened to
(``reopen_to``, only by a ``reopened`` update). It is checked when built, and
:meth:`Lifecycle.violations` checks a pledge's history against it. :meth:`Lifecycle.refusal`
is the one place that decides whether a step from one status to another is allowed.

The lifecycles that ship with pledges are in :mod:`pledges.presets`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from pledges import _fields as f
from pledges.errors import (
    DefinitionError,
    HistoryError,
    InvalidField,
    NotFound,
    Problem,
    Rule,
    TransitionNotAllowed,
    shown,
)
from pledges.model import Update, UpdateKind

__all__ = ["Lifecycle", "Status", "StatusKind"]


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


def _status_kind(value: object) -> Any:
    return f.member(StatusKind, value)


def _pairs(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple):
        raise InvalidField(type(instance).__name__, attribute.name, value, "a table of pairs")
    for pair in value:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(map(f.is_id, pair))):
            raise InvalidField(
                type(instance).__name__, attribute.name, pair, "(lifecycle id, status id) pairs"
            )


@attrs.frozen
class Status:
    """One status of a lifecycle.

    ``score`` feeds the compliance score (``None``: not scored); ``rank`` orders statuses by
    progress, higher is further along; ``to`` lists the statuses it may move to;
    ``reopen_to`` (final statuses only) those it may be reopened to; ``onto`` says which
    status of another lifecycle it stands for (``(("compliance", "full-compliance"),)``), so
    that trackers on different scales can be counted alike; ``description`` says what it
    means, in a reader's words.
    """

    id: str = attrs.field(validator=f.identifier)
    label: str = attrs.field(validator=f.text)
    kind: StatusKind = attrs.field(
        default=StatusKind.OPEN,
        converter=_status_kind,
        validator=f.member_of(StatusKind),
    )
    score: int | None = attrs.field(default=None, validator=f.optional_integer)
    rank: int = attrs.field(default=0, validator=f.integer)
    final: bool = attrs.field(default=False, validator=f.boolean)
    to: tuple[str, ...] = attrs.field(default=(), converter=f.to_tuple, validator=f.identifiers)
    reopen_to: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.identifiers
    )
    onto: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=f.to_pairs, validator=_pairs
    )
    description: str | None = attrs.field(default=None, validator=f.optional_text)
    """What the status means, for readers (the methodology page shows it)."""


@attrs.frozen(repr=False)
class Lifecycle:
    """A status scale with its rules, checked when built: :class:`DefinitionError` lists
    every problem, each located (``$.statuses[2].to[0]``): unknown or duplicate statuses, no
    initial status, moves out of a final status, statuses that cannot be reached."""

    id: str = attrs.field(validator=f.identifier)
    label: str = attrs.field(validator=f.text)
    statuses: tuple[Status, ...] = attrs.field(converter=f.to_tuple, validator=f.tuple_of(Status))
    initial: str = attrs.field(validator=f.identifier)
    description: str | None = attrs.field(default=None, validator=f.optional_text)
    _by_id: dict[str, Status] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Status] = {}
        problems: list[Problem] = []

        def problem(where: str, message: str) -> None:
            problems.append(Problem(where, message))

        for i, status in enumerate(self.statuses):
            if status.id in by_id:
                problem(f"$.statuses[{i}].id", f"status {status.id!r} is defined twice")
            by_id.setdefault(status.id, status)
        if not self.statuses:
            problem("$.statuses", "it has no statuses")
        elif self.initial not in by_id:
            problem("$.initial", f"initial status {self.initial!r} is not one of its statuses")
        for i, status in enumerate(self.statuses):
            for field in ("to", "reopen_to"):
                for j, target in enumerate(getattr(status, field)):
                    if target not in by_id:
                        where = f"$.statuses[{i}].{field}[{j}]"
                        problem(where, f"status {status.id!r} moves to unknown status {target!r}")
            if status.final and status.to:
                problem(
                    f"$.statuses[{i}].to",
                    f"final status {status.id!r} has moves out of it ({', '.join(status.to)}); "
                    "a final status may only be reopened (reopen_to)",
                )
            if not status.final and status.reopen_to:
                problem(
                    f"$.statuses[{i}].reopen_to",
                    f"status {status.id!r} is not final but has reopen_to",
                )
        if self.initial in by_id:
            reached = _reachable(self.initial, by_id)
            for i, status in enumerate(self.statuses):
                if status.id not in reached:
                    problem(
                        f"$.statuses[{i}]",
                        f"status {status.id!r} cannot be reached from {self.initial!r}",
                    )
        if problems:
            raise DefinitionError("lifecycle", self.id, problems)
        object.__setattr__(self, "_by_id", by_id)

    def __repr__(self) -> str:
        return f"Lifecycle({self.id!r}, {shown(self.label)}, statuses {', '.join(self.ids)})"[:300]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Lifecycle:
        """A lifecycle from plain data (a file's table, ``schema_version`` aside): the one
        way every lifecycle is read, the shipped ones included. Unknown or missing keys and
        values a field cannot hold are refused with :class:`DefinitionError`, every problem
        located (``$.statuses[2].score``)."""
        problems: list[Problem] = []
        statuses: list[Status] = []
        top = _fields_of(data, cls, "$", problems, ignore=("schema_version",))
        raw = top.pop("statuses", None) if top is not None else None
        if top is not None and raw is not None and not isinstance(raw, list | tuple):
            problems.append(Problem("$.statuses", f"expected a list of tables, got {shown(raw)}"))
        for i, item in enumerate(raw if isinstance(raw, list | tuple) else ()):
            known = len(problems)
            fields = _fields_of(item, Status, f"$.statuses[{i}]", problems)
            if fields is not None and len(problems) == known:
                status = _built(Status, fields, f"$.statuses[{i}]", problems)
                if status is not None:
                    statuses.append(status)
        name = str(top.get("id", "?")) if top is not None else "?"
        if not problems and top is not None:
            built = _built(cls, {**top, "statuses": tuple(statuses)}, "$", problems)
            if built is not None:
                return built
        raise DefinitionError("lifecycle", name, problems)

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
        except (KeyError, TypeError):
            raise NotFound(f"status in lifecycle {self.id!r}", status_id, self.ids) from None

    def progress(self, before: str, after: str) -> int:
        """Whether a move from ``before`` to ``after`` goes up the scale (1), down it (-1) or
        neither (0): by rank, then, between statuses of equal rank, by score (``None``
        counting as 0). Both statuses must be known."""
        old, new = self._by_id[before], self._by_id[after]
        up, down = (new.rank, new.score or 0), (old.rank, old.score or 0)
        return (up > down) - (up < down)

    def level_moves(self) -> tuple[tuple[str, str], ...]:
        """The moves allowed between two statuses that neither go up nor down the scale
        (equal rank and score) and end in a status a diff judges by rank (one neither kept
        nor closed): a round-to-round diff can only call such a change "sideways". A
        lifecycle without ranks has many; :attr:`rank_advice` says what to add."""
        judged_by_kind = (StatusKind.FULFILLED, StatusKind.CLOSED)
        return tuple(
            (status.id, target)
            for status in self.statuses
            for target in (*status.to, *status.reopen_to)
            if self._by_id[target].kind not in judged_by_kind
            and self.progress(status.id, target) == 0
        )

    @property
    def rank_advice(self) -> str | None:
        """What to add so that a diff can tell forward from back, or ``None`` when every
        move that a diff judges by rank goes up or down."""
        level = self.level_moves()
        if not level:
            return None
        shown_moves = ", ".join(f"{a} -> {b}" for a, b in level[:6])
        more = f" and {len(level) - 6} more" if len(level) > 6 else ""
        return (
            f"lifecycle {self.id!r} has moves that go neither up nor down ({shown_moves}{more}):"
            " a diff can only call them sideways. Give each status a rank (higher is further"
            " along; a stall below the first status), or a score to tell equal ranks apart"
        )

    def label_of(self, status_id: str) -> str:
        """The label of a status (the id itself when the lifecycle does not know it)."""
        found = self._by_id.get(status_id)
        return status_id if found is None else found.label

    def refusal(self, before: str, after: str, kind: UpdateKind) -> tuple[Rule, str] | None:
        """Why a step of ``kind`` from status ``before`` to ``after`` is not allowed (the
        rule and a sentence), or ``None`` when it is. Both statuses must be known.

        >>> from pledges.presets import DEFAULT
        >>> DEFAULT.refusal("fulfilled", "in-progress", UpdateKind.PROGRESS)[1]
        "final status 'fulfilled' cannot be reopened to 'in-progress' without kind = reopened"
        """
        reopening = kind is UpdateKind.REOPENED
        if before == after:
            if reopening:
                return Rule.REOPEN, f"a 'reopened' update must leave its status ({after!r})"
            return None
        origin = self._by_id[before]
        if origin.final:
            if after not in origin.reopen_to:
                allowed = ", ".join(origin.reopen_to) or "nothing: it is final for good"
                return (
                    Rule.MOVE,
                    f"final status {before!r} cannot be reopened to {after!r} "
                    f"(it may be reopened to {allowed})",
                )
            if not reopening:
                return (
                    Rule.REOPEN,
                    f"final status {before!r} cannot be reopened to {after!r} "
                    "without kind = reopened",
                )
            return None
        if after not in origin.to:
            allowed = ", ".join(origin.to) or "nothing"
            return (
                Rule.MOVE,
                f"move {before!r} -> {after!r} is not allowed (from {before!r}: {allowed})",
            )
        if reopening:
            return Rule.REOPEN, f"{before!r} is not final: there is nothing to reopen"
        return None

    def can_move(self, from_status: str, to_status: str, *, reopen: bool = False) -> bool:
        """True when the move is allowed (``reopen=True`` for a move out of a final status).
        Staying in a known status is always allowed."""
        if from_status not in self._by_id or to_status not in self._by_id:
            return False
        if from_status == to_status:
            return True
        kind = UpdateKind.REOPENED if reopen else UpdateKind.PROGRESS
        return self.refusal(from_status, to_status, kind) is None

    def violations(
        self, history: Sequence[Update], pledge_id: str | None = None
    ) -> tuple[HistoryError, ...]:
        """Every rule a history breaks, in order (empty when it keeps them all).

        The rules: the first update is the initial status and of kind ``made``, and no other
        update is; every status is known; every step is one :meth:`refusal` allows; dates
        never go backwards (a partial date may overlap the one before it, but cannot lie
        wholly before any earlier one). Evidence on every update is enforced when an
        :class:`~pledges.model.Update` is built.
        """
        errors: list[HistoryError] = []

        def fail(rule: Rule, index: int, detail: str, moved: tuple[str, str] | None = None) -> None:
            if moved is None:
                errors.append(HistoryError(rule, index, detail, pledge_id=pledge_id))
            else:
                errors.append(
                    TransitionNotAllowed(
                        rule,
                        index,
                        detail,
                        pledge_id=pledge_id,
                        from_status=moved[0],
                        to_status=moved[1],
                    )
                )

        by_id = self._by_id
        latest_start = 0
        previous: Update | None = None
        for index, update in enumerate(history):
            if update.status not in by_id:
                known = ", ".join(self.ids)
                detail = (
                    f"status {update.status!r} is not in lifecycle {self.id!r} (known: {known})"
                )
                fail(Rule.UNKNOWN_STATUS, index, detail)
            if previous is None:
                if update.status != self.initial:
                    detail = (
                        f"the first update must be the initial status {self.initial!r} "
                        f"(got {update.status!r})"
                    )
                    fail(Rule.INITIAL, index, detail)
                if update.kind is not UpdateKind.MADE:
                    detail = f"the first update must be of kind 'made' (got {update.kind.value!r})"
                    fail(Rule.INITIAL, index, detail)
            else:
                if update.kind is UpdateKind.MADE:
                    fail(Rule.MADE_ONCE, index, "only the first update may be of kind 'made'")
                if update.date.last_ordinal < latest_start:
                    detail = f"date {update.date} goes back before an earlier update's date"
                    fail(Rule.DATE_ORDER, index, detail)
                before, after = previous.status, update.status
                if before in by_id and after in by_id:
                    refused = self.refusal(before, after, update.kind)
                    if refused is not None:
                        rule, detail = refused
                        fail(rule, index, detail, (before, after) if before != after else None)
            latest_start = max(latest_start, update.date.first_ordinal)
            previous = update
        return tuple(errors)

    def check(self, history: Sequence[Update], pledge_id: str | None = None) -> None:
        """Raise the first :class:`~pledges.errors.HistoryError` the history has, if any."""
        errors = self.violations(history, pledge_id)
        if errors:
            raise errors[0]


_T = TypeVar("_T", Lifecycle, Status)


def _fields_of(
    data: object, cls: type, where: str, problems: list[Problem], ignore: tuple[str, ...] = ()
) -> dict[str, Any] | None:
    """The known keys of a table meant for ``cls`` (its unknown and missing keys noted as
    problems), or ``None`` when it is no table at all."""
    if not isinstance(data, Mapping):
        problems.append(Problem(where, f"expected a table, got {shown(data)}"))
        return None
    fields = {a.name: a for a in attrs.fields(cls) if a.init}
    unknown = sorted(k for k in data if k not in fields and k not in ignore)
    if unknown:
        listed = ", ".join(shown(k) for k in unknown)
        problems.append(Problem(where, f"unknown key{'s' * (len(unknown) != 1)} {listed}"))
    for name, field in fields.items():
        if name not in data and field.default is attrs.NOTHING:
            problems.append(Problem(f"{where}.{name}", "missing required key"))
    return {k: v for k, v in data.items() if k in fields}


def _built(cls: type[_T], fields: dict[str, Any], where: str, problems: list[Problem]) -> _T | None:
    """``cls`` built from ``fields``, or ``None`` with the problem its checks found, located."""
    try:
        return cls(**fields)
    except InvalidField as exc:
        problems.append(Problem(f"{where}.{exc.field}", exc.message))
    except DefinitionError as exc:
        problems.extend(p.within(where) for p in exc.problems)
    return None


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
