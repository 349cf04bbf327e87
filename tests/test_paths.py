"""Property tests of lifecycle rules that find the bug every time (issue 29): every path up to
a length, a one-call check of a rule on all of them, and a random strategy that covers every
step and every two steps in a row, so that a planted violation is found by each seed."""

from __future__ import annotations

import functools
import os
import random
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, find, given, seed, settings

from pledges import DEFAULT, Lifecycle, Update
from pledges.presets import SHIPPED, shipped
from pledges.serialization import load_lifecycle
from pledges.testing import check_rule, histories, history_of, move_pairs, moves, paths
from pledges.testing.paths import count, shortest_paths

TRACKER = load_lifecycle(Path(__file__).resolve().parent / "data" / "tracker-lifecycle.toml")
"""A tracker's own lifecycle of seven statuses and its first, as in the issue."""
LIFECYCLES = [shipped(name) for name in SHIPPED] + [TRACKER]
RECOMMENDED = 1000
"""The examples docs/testing.md recommends for a rule on a lifecycle's histories."""
SEEDS = int(os.environ.get("PLEDGES_PLANTED_SEEDS", "1"))
"""Seeds each planted violation is tried with: 1 in a developer's run, 20 in CI."""


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lc: lc.id)
def test_every_path_is_a_valid_history_and_each_is_listed_once(lifecycle: Lifecycle) -> None:
    found = paths(lifecycle, 3)
    assert len(found) == len(set(found)) == count(lifecycle, 3)
    assert [len(p) for p in found] == sorted(len(p) for p in found)  # shortest first
    for path in found:
        assert path[0] == lifecycle.initial
        assert lifecycle.violations(history_of(lifecycle, path)) == ()
    steps = {pair for path in found for pair in pairwise(path)}
    assert set(moves(lifecycle)) <= steps  # every step is on some path of 3
    assert count(lifecycle, 0) == 1


def test_a_rule_is_checked_on_every_path_and_its_shortest_breach_is_named() -> None:
    def never_broken_after_progress(history: tuple[Update, ...]) -> bool:
        return not any(
            (a.status, b.status) == ("in-progress", "broken") for a, b in pairwise(history)
        )

    found = check_rule(DEFAULT, never_broken_after_progress, max_steps=3)
    assert found.counterexample == ("made", "in-progress", "broken")
    assert "Made → In progress → Broken" in str(found)
    assert not found.holds
    held = check_rule(DEFAULT, lambda h: h[0].status == "made", max_steps=3)
    assert held.holds
    assert held.checked == count(DEFAULT, 3)
    assert "holds on all 166 paths of at most 3 steps through General" in str(held)


def _keeps(history: tuple[Update, ...], forbidden: tuple[str, ...]) -> bool:
    """The planted rule: the statuses ``forbidden`` never follow each other in a history."""
    statuses = tuple(u.status for u in history)
    return forbidden not in {statuses[i : i + len(forbidden)] for i in range(len(statuses))}


def _planted(lifecycle: Lifecycle) -> list[tuple[str, ...]]:
    """A forbidden step and a forbidden two steps in a row: for the tracker's lifecycle the
    issue's own; for the others the rarest a walk takes, a reopen out of a final status and a
    reopen followed by another move (the last of each the lifecycle allows)."""
    if lifecycle is TRACKER:
        return [("in-progress", "abandoned"), ("made", "in-progress", "abandoned")]
    finals = lifecycle.finals
    reopens = [m for m in moves(lifecycle) if m[0] in finals and m[0] != m[1]]
    then = [p for p in move_pairs(lifecycle) if p[0] in finals and len(set(p)) == 3]
    return [(reopens or list(moves(lifecycle)))[-1], (then or list(move_pairs(lifecycle)))[-1]]


def _found(lifecycle: Lifecycle, forbidden: tuple[str, ...], number: int) -> bool:
    """Whether ``histories()``, with seed ``number``, breaks the planted rule within the
    recommended number of examples."""

    @seed(number)
    @settings(
        max_examples=RECOMMENDED,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(histories(lifecycle))
    def rule(history: tuple[Update, ...]) -> None:
        assert _keeps(history, forbidden)

    try:
        rule()
    except AssertionError:
        return True
    return False


# The default lifecycle and a tracker's own in every run; the other shipped ones (the
# larger, slower to search) in CI's deeper run, with 20 seeds each.
PLANTED = [
    pytest.param(lc, id=lc.id, marks=() if lc.id in ("default", "tracker") else pytest.mark.slow)
    for lc in LIFECYCLES
]


@pytest.mark.parametrize("lifecycle", PLANTED)
def test_a_planted_violation_is_found_by_every_seed(lifecycle: Lifecycle) -> None:
    for forbidden in _planted(lifecycle):
        missed = [n for n in range(SEEDS) if not _found(lifecycle, forbidden, n)]
        assert missed == [], f"{forbidden} missed by seeds {missed}"
        assert not check_rule(
            lifecycle,
            functools.partial(_keeps, forbidden=forbidden),
            max_steps=len(shortest_paths(lifecycle)[forbidden[0]]) + len(forbidden) - 2,
        ).holds  # and always by every path as long


@pytest.mark.slow  # shrinking a whole ledger takes seconds: CI's deeper step
def test_a_history_that_breaks_a_rule_shrinks_to_the_shortest_walk() -> None:
    def breaks(history: tuple[Update, ...]) -> bool:
        statuses = [u.status for u in history]
        return ("in-progress", "abandoned") in set(pairwise(statuses))

    for number in range(2):
        smallest = find(
            histories(TRACKER),
            breaks,
            settings=settings(
                database=None, phases=[Phase.generate, Phase.shrink], max_examples=2000
            ),
            random=random.Random(number),
        )
        statuses = [u.status for u in smallest]
        assert ("in-progress", "abandoned") in set(pairwise(statuses))
        assert len(statuses) <= 5  # the pair, the way to it, at most one step more


@given(histories(TRACKER))
def test_targeted_histories_keep_every_rule(history: tuple[Update, ...]) -> None:
    assert TRACKER.violations(history) == ()


def test_the_stateful_machine_takes_every_step_of_a_lifecycle() -> None:
    from hypothesis.stateful import run_state_machine_as_test

    from pledges import TREATY
    from pledges.testing import LifecycleMachine

    taken: set[tuple[str, str]] = set()

    class Recording(LifecycleMachine):
        lifecycle = TREATY

        def offer(self, update: Update) -> bool:
            before = self.history[-1].status if self.history else None
            accepted = super().offer(update)
            if accepted and before is not None:
                taken.add((before, update.status))
            return accepted

    run_state_machine_as_test(
        Recording,
        settings=settings(
            max_examples=100, stateful_step_count=20, database=None, deadline=None, derandomize=True
        ),
    )
    assert set(moves(TREATY)) <= taken
