"""How quickly ``pledges.testing.histories()`` covers a lifecycle: for each shipped lifecycle
and a seven-status tracker's own, the number of examples Hypothesis draws before every
allowed move, and every pair of consecutive moves, has been drawn at least once (median and
worst over seeds), and how often a planted violation (a forbidden step, a forbidden pair of
steps) is found within a number of examples.

    python benchmarks/lifecycle_coverage.py                  # 20 seeds, up to 4,000 examples each
    python benchmarks/lifecycle_coverage.py --seeds 5 --cap 1000 --found-at 200

Not a timed test: figures for docs/testing.md.
"""

from __future__ import annotations

import argparse
import statistics
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

from pledges import Lifecycle, Update
from pledges.presets import SHIPPED, shipped
from pledges.serialization import load_lifecycle
from pledges.testing import histories
from pledges.testing.paths import move_pairs, moves

HERE = Path(__file__).resolve().parent

TRACKER = load_lifecycle(HERE.parent / "tests" / "data" / "tracker-lifecycle.toml")
"""A seven-status tracker's own lifecycle (and its first status), as in issue 29."""


class Covered(Exception):
    """Every target has been drawn."""


def examples_to_cover(lifecycle: Lifecycle, seed_value: int, cap: int, pairs: bool) -> int:
    """How many examples until every move (or move pair) was drawn; ``cap`` if never."""
    targets = set(move_pairs(lifecycle)) if pairs else set(moves(lifecycle))
    seen: set[tuple[str, ...]] = set()
    drawn = [0]

    @seed(seed_value)
    @settings(
        max_examples=cap,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(histories(lifecycle))
    def draw(history: tuple[Update, ...]) -> None:
        drawn[0] += 1
        statuses = [u.status for u in history]
        if pairs:
            seen.update(zip(statuses, statuses[1:], statuses[2:], strict=False))
        else:
            seen.update(pairwise(statuses))
        if targets <= seen:
            raise Covered

    try:
        draw()
    except Covered:
        return drawn[0]
    return cap


def found_within(lifecycle: Lifecycle, forbidden: tuple[str, ...], seed_value: int, n: int) -> bool:
    """Whether a rule forbidding ``forbidden`` (a step or two in a row) fails within ``n``
    examples."""

    @seed(seed_value)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(histories(lifecycle))
    def rule(history: tuple[Update, ...]) -> None:
        statuses = tuple(u.status for u in history)
        width = len(forbidden)
        assert forbidden not in {statuses[i : i + width] for i in range(len(statuses))}

    try:
        rule()
    except AssertionError:
        return True
    return False


def main() -> int:
    """Print the figures."""
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--seeds", type=int, default=20)
    options.add_argument("--cap", type=int, default=4000)
    options.add_argument("--found-at", type=int, default=0, help="also count planted finds")
    args = options.parse_args()
    lifecycles = [shipped(name) for name in SHIPPED] + [TRACKER]
    print(f"{'lifecycle':<14}{'moves':>6}{'pairs':>7}  examples to cover every move / pair")
    for lifecycle in lifecycles:
        single = [examples_to_cover(lifecycle, s, args.cap, False) for s in range(args.seeds)]
        double = [examples_to_cover(lifecycle, s, args.cap, True) for s in range(args.seeds)]
        print(
            f"{lifecycle.id:<14}{len(moves(lifecycle)):>6}{len(move_pairs(lifecycle)):>7}  "
            f"moves: median {statistics.median(single):.0f}, worst {max(single)}; "
            f"pairs: median {statistics.median(double):.0f}, worst {max(double)}"
            + (f" (cap {args.cap} reached)" if max(double) >= args.cap else "")
        )
        if args.found_at:
            step = ("in-progress", "abandoned") if lifecycle is TRACKER else moves(lifecycle)[-1]
            pair = (
                ("made", "in-progress", "abandoned")
                if lifecycle is TRACKER
                else (move_pairs(lifecycle)[-1])
            )
            found = [
                sum(found_within(lifecycle, target, s, args.found_at) for s in range(args.seeds))
                for target in (step, pair)
            ]
            print(
                f"{'':<27}planted at {args.found_at} examples: a step found in {found[0]} of "
                f"{args.seeds} seeds, a pair of steps in {found[1]} of {args.seeds}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
