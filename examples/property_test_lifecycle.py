"""Property-test your own lifecycle and rules with pledges.testing.

A tracker of election promises uses its own scale, and a house rule: a promise is never
marked "kept" straight after it was made, without being "in progress" first. The lifecycle
allows that move, so the rule does not hold: ``check_rule`` tries every path of up to four
steps and names the shortest that breaks it, and Hypothesis, drawing histories, finds one
too. Run it: ``python examples/property_test_lifecycle.py``.
"""

from __future__ import annotations

import unittest
from collections.abc import Sequence
from itertools import pairwise

from hypothesis import Phase, given, settings
from hypothesis.stateful import invariant

from pledges import Lifecycle, Status, StatusKind, Update
from pledges.testing import LifecycleMachine, check_rule, histories

MY_SCALE = Lifecycle(
    id="election",
    label="Election promises",
    initial="promised",
    statuses=(
        Status("promised", "Promised", to=("in-progress", "kept", "broken")),
        Status("in-progress", "In progress", score=0, rank=1, to=("kept", "broken")),
        Status("kept", "Kept", StatusKind.FULFILLED, 1, 2, final=True, reopen_to=("in-progress",)),
        Status(
            "broken", "Broken", StatusKind.FAILED, -1, 0, final=True, reopen_to=("in-progress",)
        ),
    ),
)


def kept_only_after_progress(history: Sequence[Update]) -> bool:
    """The house rule: every move to 'kept' comes from 'in-progress'."""
    return all(
        after.status != "kept" or before.status in ("in-progress", "kept")
        for before, after in pairwise(history)
    )


class ElectionRules(LifecycleMachine):
    """The kit's stateful test, pointed at this scale, with one invariant of our own."""

    lifecycle = MY_SCALE

    @invariant()
    def scores_stay_on_the_scale(self) -> None:
        if self.history:
            assert self.lifecycle.status(self.history[-1].status).score in (None, -1, 0, 1)


TestElectionRules = ElectionRules.TestCase
TestElectionRules.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)


# The explain phase, which says which parts of a failing case matter, is skipped: the point
# here is the smallest counterexample, and explaining it takes far longer than finding it.
@settings(max_examples=1000, database=None, phases=[Phase.generate, Phase.shrink])
@given(histories(MY_SCALE))
def test_kept_only_after_progress(history: tuple[Update, ...]) -> None:
    assert kept_only_after_progress(history), [u.status for u in history]


def main() -> int:
    """Run the stateful test, then show the house rule failing with a shrunk counterexample."""
    result = unittest.TextTestRunner(verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(TestElectionRules)
    )
    print("stateful test of the lifecycle:", "passed" if result.wasSuccessful() else "FAILED")
    found = check_rule(MY_SCALE, kept_only_after_progress, max_steps=4)
    print(found)
    print("smallest counterexample:", list(found.counterexample or ()))
    try:
        test_kept_only_after_progress()
    except AssertionError as error:
        print("Hypothesis finds it too:", error)
        return 0 if result.wasSuccessful() and not found.holds else 1
    print("the house rule held (unexpected: the lifecycle allows promised -> kept)")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
