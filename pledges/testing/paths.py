"""Every way through a lifecycle, and a rule checked on each of them.

Lifecycles are small (the shipped ones have 4 to 9 statuses), so every sequence of statuses
a lifecycle allows up to a modest length can be listed (:func:`paths`) and a rule checked on
every one of them (:func:`check_rule`), which finds the shortest counterexample whenever
there is one: a proof within its bounds, where a random test only samples. :func:`moves`
and :func:`move_pairs` list what a path is made of; :func:`history_of` turns a path into a
dated, evidenced history the checker takes.

A step of a path is a move the lifecycle allows (``to``), a reopen of a final status
(``reopen_to``, when ``reopen`` is true) or a reaffirmation (the same status again, when
``reaffirm`` is true).
"""

from __future__ import annotations

import datetime as _dt
from collections import deque
from collections.abc import Callable, Iterator, Sequence

import attrs

from pledges.dates import PartialDate
from pledges.lifecycle import Lifecycle
from pledges.model import Evidence, Update, UpdateKind

__all__ = [
    "Path",
    "RuleCheck",
    "check_rule",
    "count",
    "history_of",
    "move_pairs",
    "moves",
    "paths",
    "shortest_paths",
]

Path = tuple[str, ...]
"""A sequence of status ids, the lifecycle's initial status first."""


def moves(
    lifecycle: Lifecycle, *, reaffirm: bool = True, reopen: bool = True
) -> tuple[tuple[str, str], ...]:
    """Every step the lifecycle allows, as ``(from, to)`` status ids, in its order."""
    found: list[tuple[str, str]] = []
    for status in lifecycle.statuses:
        if reaffirm:
            found.append((status.id, status.id))
        found += [(status.id, target) for target in status.to]
        if reopen:
            found += [(status.id, target) for target in status.reopen_to]
    return tuple(dict.fromkeys(found))


def _next(lifecycle: Lifecycle, reaffirm: bool, reopen: bool) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {s.id: [] for s in lifecycle.statuses}
    for before, after in moves(lifecycle, reaffirm=reaffirm, reopen=reopen):
        table[before].append(after)
    return {k: tuple(v) for k, v in table.items()}


def move_pairs(
    lifecycle: Lifecycle, *, reaffirm: bool = True, reopen: bool = True
) -> tuple[tuple[str, str, str], ...]:
    """Every two steps in a row the lifecycle allows, as ``(a, b, c)``: a move ``a -> b``
    then ``b -> c``, where ``a`` can be reached from the initial status."""
    table = _next(lifecycle, reaffirm, reopen)
    reached = shortest_paths(lifecycle, reaffirm=reaffirm, reopen=reopen)
    return tuple((a, b, c) for a in table if a in reached for b in table[a] for c in table[b])


def shortest_paths(
    lifecycle: Lifecycle,
    start: str | None = None,
    *,
    reaffirm: bool = True,
    reopen: bool = True,
) -> dict[str, Path]:
    """For each status that can be reached from ``start`` (the initial status by default),
    the shortest path to it (``start`` first)."""
    table = _next(lifecycle, reaffirm, reopen)
    first = lifecycle.initial if start is None else start
    found: dict[str, Path] = {first: (first,)}
    queue = deque([first])
    while queue:
        here = queue.popleft()
        for there in table[here]:
            if there not in found:
                found[there] = (*found[here], there)
                queue.append(there)
    return found


def paths(
    lifecycle: Lifecycle, max_steps: int = 3, *, reaffirm: bool = True, reopen: bool = True
) -> tuple[Path, ...]:
    """Every path through ``lifecycle`` of at most ``max_steps`` steps (the initial status
    alone among them), shortest first, as plain data to loop over or parametrize a test
    with. Their number grows as the number of steps a status allows to the power of
    ``max_steps``: the default lifecycle has 1, 9, 41, 166 and 642 paths of at most 0 to 4
    steps (:func:`count` says how many before listing them)."""
    table = _next(lifecycle, reaffirm, reopen)
    found: list[Path] = []
    level: list[Path] = [(lifecycle.initial,)]
    for _ in range(max_steps + 1):
        found += level
        level = [(*path, after) for path in level for after in table[path[-1]]]
    return tuple(found)


def count(
    lifecycle: Lifecycle, max_steps: int = 3, *, reaffirm: bool = True, reopen: bool = True
) -> int:
    """How many paths :func:`paths` would list, counted without listing them."""
    table = _next(lifecycle, reaffirm, reopen)
    ways = {lifecycle.initial: 1}
    total = 1
    for _ in range(max_steps):
        step: dict[str, int] = {}
        for status, n in ways.items():
            for after in table[status]:
                step[after] = step.get(after, 0) + n
        ways = step
        total += sum(ways.values())
    return total


def kind_of(lifecycle: Lifecycle, before: str, after: str) -> UpdateKind:
    """The kind of update a step is: a reaffirmation, a reopen, or progress."""
    if before == after:
        return UpdateKind.REAFFIRMED
    if lifecycle.status(before).final:
        return UpdateKind.REOPENED
    return UpdateKind.PROGRESS


def history_of(
    lifecycle: Lifecycle,
    path: Sequence[str],
    *,
    start: _dt.date = _dt.date(2020, 1, 1),
    days: int = 30,
    source: str = "src",
) -> tuple[Update, ...]:
    """A path as a history the checker takes: the making on ``start``, then each step
    ``days`` later than the one before, each with one piece of evidence from ``source``."""
    evidence = (Evidence(source, summary="A step of a generated path."),)
    history = []
    for index, status in enumerate(path):
        day = PartialDate.of(start + _dt.timedelta(days=days * index))
        kind = UpdateKind.MADE if index == 0 else kind_of(lifecycle, path[index - 1], status)
        history.append(Update(day, status, kind, evidence))
    return tuple(history)


@attrs.frozen
class RuleCheck:
    """What :func:`check_rule` found: how many paths it checked, up to how many steps, and
    the shortest path that breaks the rule (``None``: the rule held on every one)."""

    lifecycle: Lifecycle
    checked: int
    max_steps: int
    counterexample: Path | None

    @property
    def holds(self) -> bool:
        """True when no path of at most :attr:`max_steps` steps breaks the rule."""
        return self.counterexample is None

    def __str__(self) -> str:
        if self.counterexample is None:
            return (
                f"the rule holds on all {self.checked:,} paths of at most {self.max_steps} "
                f"steps through {self.lifecycle.label}"
            )
        labels = " → ".join(self.lifecycle.label_of(s) for s in self.counterexample)
        return (
            f"the rule breaks on {labels} ({' -> '.join(self.counterexample)}): the shortest "
            f"path through {self.lifecycle.label} that breaks it, found after {self.checked:,} "
            f"paths"
        )


def _walk(table: dict[str, tuple[str, ...]], first: str, max_steps: int) -> Iterator[Path]:
    level: list[Path] = [(first,)]
    for _ in range(max_steps + 1):
        yield from level
        level = [(*path, after) for path in level for after in table[path[-1]]]


def check_rule(
    lifecycle: Lifecycle,
    rule: Callable[[tuple[Update, ...]], bool],
    max_steps: int = 4,
    *,
    reaffirm: bool = True,
    reopen: bool = True,
) -> RuleCheck:
    """Check ``rule`` (a history -> whether it keeps the rule) on every path of at most
    ``max_steps`` steps, shortest first, and return the first (so the shortest) that breaks
    it, in the lifecycle's words when printed.

    >>> from pledges.presets import TREATY
    >>> found = check_rule(TREATY, lambda h: h[-1].status != "terminated", max_steps=3)
    >>> found.counterexample
    ('negotiating', 'terminated')
    >>> print(found)  # doctest: +NORMALIZE_WHITESPACE
    the rule breaks on Negotiating → Terminated (negotiating -> terminated): the shortest
    path through Treaty that breaks it, found after 4 paths
    """
    table = _next(lifecycle, reaffirm, reopen)
    checked = 0
    for path in _walk(table, lifecycle.initial, max_steps):
        checked += 1
        if not rule(history_of(lifecycle, path)):
            return RuleCheck(lifecycle, checked, max_steps, path)
    return RuleCheck(lifecycle, checked, max_steps, None)
