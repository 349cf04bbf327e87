"""Lifecycles: definition checks, history checks, presets, and a stateful test."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledges import (
    COMPLIANCE,
    DEFAULT,
    POLITIFACT,
    PRESETS,
    TREATY,
    DefinitionError,
    Evidence,
    HistoryError,
    Lifecycle,
    PartialDate,
    Rule,
    Status,
    StatusKind,
    TransitionNotAllowed,
    Update,
    UpdateKind,
)
from pledges.testing import BREAKABLE_RULES, LifecycleMachine, broken_histories, histories

D = PartialDate.parse
EV = (Evidence("src", quote="q"),)
LIFECYCLES = st.sampled_from(tuple(PRESETS.values()))


def up(date: str, status: str, kind: UpdateKind = UpdateKind.PROGRESS) -> Update:
    return Update(D(date), status, kind, EV)


def test_the_presets_are_the_documented_scales() -> None:
    assert DEFAULT.ids == (
        "made",
        "in-progress",
        "stalled",
        "partially-fulfilled",
        "fulfilled",
        "broken",
        "withdrawn",
        "superseded",
    )
    assert [POLITIFACT.label_of(s) for s in POLITIFACT.ids] == [
        "Not Yet Rated",
        "In the Works",
        "Stalled",
        "Compromise",
        "Promise Kept",
        "Promise Broken",
    ]
    assert {COMPLIANCE.status(s).score for s in COMPLIANCE.ids} == {None, -1, 0, 1}
    assert TREATY.ids == ("negotiating", "signed", "ratified", "in-force", "terminated")
    assert TREATY.status("in-force").kind is StatusKind.FULFILLED


def test_a_lifecycle_definition_lists_every_problem() -> None:
    with pytest.raises(DefinitionError) as caught:
        Lifecycle(
            "bad",
            "Bad",
            (
                Status("a", "A", to=("b", "ghost")),
                Status("b", "B", final=True, to=("a",)),
                Status("c", "C"),
                Status("a", "Again"),
            ),
            initial="a",
        )
    problems = "\n".join(caught.value.problems)
    assert "status 'a' is defined twice" in problems
    assert "unknown status 'ghost'" in problems
    assert "final status 'b' has moves out of it" in problems
    assert "'c' cannot be reached" in problems
    assert isinstance(caught.value, ValueError)


def test_a_lifecycle_needs_a_known_initial_status() -> None:
    with pytest.raises(DefinitionError, match="initial status 'zero' is not one of"):
        Lifecycle("x", "X", (Status("a", "A"),), initial="zero")
    with pytest.raises(DefinitionError, match="no statuses"):
        Lifecycle("x", "X", (), initial="a")
    with pytest.raises(DefinitionError, match="not final but has reopen_to"):
        Lifecycle("x", "X", (Status("a", "A", reopen_to=("a",)),), initial="a")


@given(LIFECYCLES.flatmap(lambda lc: st.tuples(st.just(lc), histories(lc))))
def test_generated_valid_histories_always_pass(case: tuple[Lifecycle, tuple[Update, ...]]) -> None:
    lifecycle, history = case
    assert lifecycle.violations(history) == ()
    lifecycle.check(history)


@given(
    LIFECYCLES.flatmap(
        lambda lc: st.tuples(
            st.just(lc), st.sampled_from(BREAKABLE_RULES).flatmap(lambda r: broken_histories(lc, r))
        )
    )
)
def test_histories_that_break_one_rule_fail_with_that_rules_error(
    case: tuple[Lifecycle, tuple[tuple[Update, ...], Rule]],
) -> None:
    lifecycle, (history, rule) = case
    with pytest.raises(HistoryError) as caught:
        lifecycle.check(history, pledge_id="p")
    assert caught.value.rule is rule
    assert caught.value.pledge_id == "p"
    assert lifecycle.violations(history)[0].rule is rule


def test_a_forbidden_move_names_both_statuses() -> None:
    history = [up("2014", "made", UpdateKind.MADE), up("2015", "in-progress"), up("2016", "made")]
    with pytest.raises(TransitionNotAllowed) as caught:
        DEFAULT.check(history, "fta")
    error = caught.value
    assert (error.from_status, error.to_status, error.index) == ("in-progress", "made", 2)
    assert error.rule is Rule.MOVE
    assert (
        str(error) == "pledge 'fta', update 2: move 'in-progress' -> 'made' is not allowed [move]"
    )


def test_a_final_status_stays_final_unless_reopened() -> None:
    kept = [up("2014", "made", UpdateKind.MADE), up("2015", "fulfilled")]
    sneaky = [*kept, up("2016", "in-progress")]
    assert [e.rule for e in DEFAULT.violations(sneaky)] == [Rule.REOPEN]
    reopened = [*kept, up("2016", "in-progress", UpdateKind.REOPENED)]
    assert DEFAULT.violations(reopened) == ()
    nowhere = [*kept, up("2016", "broken", UpdateKind.REOPENED)]
    assert [e.rule for e in DEFAULT.violations(nowhere)] == [Rule.MOVE]


def test_a_reaffirmation_of_a_final_status_is_not_a_move() -> None:
    history = [
        up("2014", "made", UpdateKind.MADE),
        up("2015", "fulfilled"),
        up("2025", "fulfilled", UpdateKind.REAFFIRMED),
    ]
    assert DEFAULT.violations(history) == ()


def test_partial_dates_may_overlap_but_not_go_back() -> None:
    fine = [
        up("2025-05-12", "made", UpdateKind.MADE),
        up("2025", "in-progress"),
        up("2025-05-20", "stalled"),
    ]
    assert DEFAULT.violations(fine) == ()
    back = [*fine, up("2025-05-19", "in-progress")]
    assert [e.rule for e in DEFAULT.violations(back)] == [Rule.DATE_ORDER]


def test_every_violation_is_listed_not_only_the_first() -> None:
    history = [up("2015", "stalled", UpdateKind.PROGRESS), up("2014", "ghost", UpdateKind.MADE)]
    rules = [e.rule for e in DEFAULT.violations(history)]
    assert rules == [
        Rule.INITIAL,
        Rule.INITIAL,
        Rule.UNKNOWN_STATUS,
        Rule.MADE_ONCE,
        Rule.DATE_ORDER,
    ]


def test_can_move_follows_the_table() -> None:
    assert TREATY.can_move("signed", "in-force")
    assert not TREATY.can_move("negotiating", "in-force")
    assert not TREATY.can_move("terminated", "negotiating", reopen=True)
    assert DEFAULT.can_move("broken", "in-progress", reopen=True)
    assert DEFAULT.can_move("made", "made")


class DefaultRules(LifecycleMachine):
    lifecycle = DEFAULT


class PolitifactRules(LifecycleMachine):
    lifecycle = POLITIFACT


class TreatyRules(LifecycleMachine):
    lifecycle = TREATY


class OwnRules(LifecycleMachine):
    """A user's own lifecycle, with a rule of their own: nothing is ever 'lost' twice."""

    lifecycle = Lifecycle(
        "mine",
        "Mine",
        (
            Status("open", "Open", to=("won", "lost")),
            Status("won", "Won", StatusKind.FULFILLED, 1, 2, final=True, reopen_to=("open",)),
            Status("lost", "Lost", StatusKind.FAILED, -1, 0, final=True, reopen_to=("open",)),
        ),
        initial="open",
    )


TestDefaultRules = DefaultRules.TestCase
TestPolitifactRules = PolitifactRules.TestCase
TestTreatyRules = TreatyRules.TestCase
TestOwnRules = OwnRules.TestCase


def test_the_machine_refuses_forbidden_moves_and_keeps_the_history() -> None:
    machine = DefaultRules()
    machine.make()
    machine._try(machine._update("fulfilled", UpdateKind.PROGRESS))
    before = list(machine.history)
    machine._try(machine._update("made", UpdateKind.PROGRESS))
    assert machine.history == before
    assert machine.refused == 1
    machine.history_keeps_the_rules()
    machine.final_stays_final_unless_reopened()


def test_presets_compare_by_value() -> None:
    assert attrs.evolve(DEFAULT, id="copy") != DEFAULT
    assert attrs.evolve(DEFAULT) == DEFAULT
