"""Lifecycles: definition checks, history checks, presets, and a stateful test."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import Phase, given, settings, strategies as st
from hypothesis.stateful import run_state_machine_as_test

from pledges import (
    COMPLIANCE,
    DEFAULT,
    POLITIFACT,
    PRESETS,
    TREATY,
    DefinitionError,
    Evidence,
    FieldTypeError,
    HistoryError,
    InvalidField,
    Lifecycle,
    NotFound,
    PartialDate,
    Rule,
    Status,
    StatusKind,
    TransitionNotAllowed,
    Update,
    UpdateKind,
)
from pledges.presets import SHIPPED, shipped
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
    found = {(p.where, p.message.split(" (")[0]) for p in caught.value.problems}
    assert found == {
        ("$.statuses[3].id", "status 'a' is defined twice"),
        ("$.statuses[0].to[1]", "status 'a' moves to unknown status 'ghost'"),
        ("$.statuses[1].to", "final status 'b' has moves out of it"),
        ("$.statuses[2]", "status 'c' cannot be reached from 'a'"),
    }
    assert (caught.value.kind, caught.value.name) == ("lifecycle", "bad")
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
    assert str(error).startswith("pledge 'fta', update 2: move 'in-progress' -> 'made' is not")
    assert str(error).endswith("[move]")


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
    found = [(type(e), e.rule, e.index, e.detail) for e in DEFAULT.violations(history)]
    known = ", ".join(DEFAULT.ids)
    assert found == [
        (
            HistoryError,
            Rule.INITIAL,
            0,
            "the first update must be the initial status 'made' (got 'stalled')",
        ),
        (HistoryError, Rule.INITIAL, 0, "the first update must be of kind 'made' (got 'progress')"),
        (
            HistoryError,
            Rule.UNKNOWN_STATUS,
            1,
            f"status 'ghost' is not in lifecycle 'default' (known: {known})",
        ),
        (HistoryError, Rule.MADE_ONCE, 1, "only the first update may be of kind 'made'"),
        (HistoryError, Rule.DATE_ORDER, 1, "date 2014 goes back before an earlier update's date"),
    ]


def test_a_reopening_that_stays_put_is_no_move_between_statuses() -> None:
    history = [up("2014", "made", UpdateKind.MADE), up("2015", "made", UpdateKind.REOPENED)]
    (error,) = DEFAULT.violations(history, "p")
    assert type(error) is HistoryError
    assert (error.rule, error.from_status, error.to_status) == (Rule.REOPEN, None, None)
    assert error.detail == "a 'reopened' update must leave its status ('made')"


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
    machine.make(3)
    assert machine.offer(machine._update("fulfilled", UpdateKind.PROGRESS, 30, 3))
    before = list(machine.history)
    assert not machine.offer(machine._update("made", UpdateKind.PROGRESS, 30, 3))
    assert machine.history == before
    assert machine.refused == 1


@attrs.frozen
class NoMoveTable(Lifecycle):
    """A broken checker: every move between open statuses is allowed."""

    def refusal(self, before: str, after: str, kind: UpdateKind) -> tuple[Rule, str] | None:
        return None if not self.status(before).final else super().refusal(before, after, kind)


@pytest.mark.parametrize("rule", [pytest.param("moves", marks=pytest.mark.slow), "dates"])
def test_the_machine_fails_a_checker_that_breaks_a_rule(rule: str) -> None:
    """The stateful test must notice a broken checker by itself, not through examples."""
    if rule == "moves":
        broken: Lifecycle = NoMoveTable("broken", DEFAULT.label, DEFAULT.statuses, DEFAULT.initial)
    else:

        @attrs.frozen
        class NoDateRule(Lifecycle):
            def violations(self, history: Any, pledge_id: str | None = None) -> Any:
                found = super().violations(history, pledge_id)
                return tuple(e for e in found if e.rule is not Rule.DATE_ORDER)

        broken = NoDateRule("broken", DEFAULT.label, DEFAULT.statuses, DEFAULT.initial)

    class Broken(LifecycleMachine):
        lifecycle = broken

    with pytest.raises(AssertionError):
        run_state_machine_as_test(
            Broken,
            settings=settings(
                max_examples=300, database=None, deadline=None, phases=[Phase.generate]
            ),
        )


@given(LIFECYCLES, st.data())
def test_can_move_and_the_history_check_share_one_rule(lifecycle: Lifecycle, data: Any) -> None:
    before = data.draw(st.sampled_from(lifecycle.ids))
    after = data.draw(st.sampled_from(lifecycle.ids))
    reopen = data.draw(st.booleans())
    kind = UpdateKind.REOPENED if reopen else UpdateKind.PROGRESS
    history = [up("2014", before, UpdateKind.MADE), up("2015", after, kind)]
    moves = [e for e in lifecycle.violations(history) if e.index == 1]
    if before == after:
        assert lifecycle.can_move(before, after)
    else:
        assert lifecycle.can_move(before, after, reopen=reopen) == (not moves)


def test_the_refusal_says_what_the_lifecycle_allows() -> None:
    assert DEFAULT.refusal("fulfilled", "in-progress", UpdateKind.PROGRESS) == (
        Rule.REOPEN,
        "final status 'fulfilled' cannot be reopened to 'in-progress' without kind = reopened",
    )
    rule, text = DEFAULT.refusal("fulfilled", "broken", UpdateKind.REOPENED) or (None, "")
    assert (rule, text) == (
        Rule.MOVE,
        "final status 'fulfilled' cannot be reopened to 'broken' (it may be reopened to "
        "in-progress)",
    )
    assert DEFAULT.refusal("made", "in-progress", UpdateKind.PROGRESS) is None


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_lifecycles_are_read_from_their_files(name: str) -> None:
    from pledges.presets import shipped_text
    from pledges.serialization import loads_lifecycle

    assert shipped(name) == loads_lifecycle(shipped_text(name))


def test_lifecycle_fields_are_checked() -> None:
    with pytest.raises(FieldTypeError) as caught:
        Status("a", "A", score="high")  # type: ignore[arg-type]
    assert (caught.value.record, caught.value.field, caught.value.value) == (
        "Status",
        "score",
        "high",
    )
    with pytest.raises(FieldTypeError, match=r"Status\.final must be true or false"):
        Status("a", "A", final=1)  # type: ignore[arg-type]


def test_presets_compare_by_value() -> None:
    assert attrs.evolve(DEFAULT, id="copy") != DEFAULT
    assert attrs.evolve(DEFAULT) == DEFAULT


def _problems(**lifecycle: Any) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionError) as caught:
        Lifecycle(**{"id": "bad", "label": "Bad", "initial": "a", **lifecycle})
    assert caught.value.kind == "lifecycle"
    assert caught.value.name == "bad"
    return [(p.where, p.message) for p in caught.value.problems]


def test_each_problem_of_a_definition_is_located_and_worded() -> None:
    assert _problems(statuses=()) == [("$.statuses", "it has no statuses")]
    a, b = Status("a", "A", to=("b",)), Status("b", "B", final=True)
    assert _problems(statuses=(a, b), initial="z") == [
        ("$.initial", "initial status 'z' is not one of its statuses")
    ]
    assert _problems(statuses=(a, b, Status("a", "A again"))) == [
        ("$.statuses[2].id", "status 'a' is defined twice")
    ]
    assert _problems(statuses=(Status("a", "A", to=("b", "x")), b)) == [
        ("$.statuses[0].to[1]", "status 'a' moves to unknown status 'x'")
    ]
    final_with_moves = Status("b", "B", final=True, to=("a", "c"), reopen_to=("a",))
    assert _problems(statuses=(a, final_with_moves, Status("c", "C", final=True))) == [
        (
            "$.statuses[1].to",
            "final status 'b' has moves out of it (a, c); a final status may only be"
            " reopened (reopen_to)",
        )
    ]
    assert _problems(statuses=(Status("a", "A", to=("b",), reopen_to=("b",)), b)) == [
        ("$.statuses[0].reopen_to", "status 'a' is not final but has reopen_to")
    ]
    assert _problems(statuses=(a, b, Status("c", "C"))) == [
        ("$.statuses[2]", "status 'c' cannot be reached from 'a'")
    ]


def test_unknown_statuses_can_never_be_moved_between() -> None:
    assert not DEFAULT.can_move("made", "nonexistent")
    assert not DEFAULT.can_move("nonexistent", "made")
    assert not DEFAULT.can_move("nonexistent", "nonexistent")
    assert DEFAULT.label_of("in-progress") == "In progress"
    assert DEFAULT.label_of("nonexistent") == "nonexistent"


def test_staying_in_a_final_status_is_allowed_moving_out_is_not() -> None:
    assert DEFAULT.can_move("fulfilled", "fulfilled")
    assert DEFAULT.can_move("fulfilled", "fulfilled", reopen=True)
    assert DEFAULT.can_move("made", "made", reopen=True)
    assert not DEFAULT.can_move("fulfilled", "in-progress")


@pytest.mark.parametrize(
    ("onto", "value", "shown"),
    [
        ("not pairs", "not pairs", "a table of pairs"),
        ((("compliance",),), ("compliance",), "(lifecycle id, status id) pairs"),
    ],
)
def test_a_status_mapping_must_be_pairs_of_ids(onto: Any, value: Any, shown: str) -> None:
    with pytest.raises(InvalidField) as caught:
        Status("a", "A", onto=onto)
    error = caught.value
    assert (error.record, error.field, error.value, error.expected) == (
        "Status",
        "onto",
        value,
        shown,
    )


def test_an_unknown_status_is_not_found_with_what_there_is() -> None:
    with pytest.raises(NotFound) as caught:
        TREATY.status("kept")
    error = caught.value
    assert (error.kind, error.key, error.known) == (
        "status in lifecycle 'treaty'",
        "kept",
        TREATY.ids,
    )


WIDE = Lifecycle(
    "wide",
    "Wide",
    (
        Status("open", "Open", to=("a", "b")),
        Status("a", "A", final=True, reopen_to=("open", "stuck")),
        Status("b", "B", final=True),
        Status("stuck", "Stuck"),
    ),
    "open",
)


@pytest.mark.parametrize(
    ("before", "after", "kind", "message"),
    [
        (
            "open",
            "stuck",
            UpdateKind.PROGRESS,
            "move 'open' -> 'stuck' is not allowed (from 'open': a, b)",
        ),
        (
            "stuck",
            "open",
            UpdateKind.PROGRESS,
            "move 'stuck' -> 'open' is not allowed (from 'stuck': nothing)",
        ),
        (
            "a",
            "b",
            UpdateKind.REOPENED,
            "final status 'a' cannot be reopened to 'b' (it may be reopened to open, stuck)",
        ),
        (
            "b",
            "open",
            UpdateKind.REOPENED,
            "final status 'b' cannot be reopened to 'open' (it may "
            "be reopened to nothing: it is final for good)",
        ),
    ],
)
def test_a_refused_move_lists_every_status_allowed_or_says_none(
    before: str, after: str, kind: UpdateKind, message: str
) -> None:
    assert WIDE.refusal(before, after, kind) == (Rule.MOVE, message)
