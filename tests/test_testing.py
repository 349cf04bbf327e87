"""The testing kit itself: its strategies agree with the checker and shrink to small examples."""

from __future__ import annotations

from hypothesis import find, given

from pledges import DEFAULT, Ledger, Pledge, Update
from pledges.testing import histories, ledgers, partial_dates, pledge_records


def test_ledgers_shrink_to_a_small_readable_example() -> None:
    smallest = find(ledgers(), lambda ledger: len(ledger.pledges) >= 1)
    (pledge,) = smallest.pledges
    assert len(pledge.id) <= 4
    assert len(pledge.history) == 1
    assert len(smallest.actors) == 1


def test_histories_shrink_to_the_making_alone() -> None:
    smallest = find(histories(DEFAULT), lambda history: True)
    assert [u.status for u in smallest] == ["made"]


def test_partial_dates_shrink_to_an_exact_day() -> None:
    assert str(find(partial_dates(), lambda d: True)) == "2000-01-01"


@given(ledgers())
def test_generated_ledgers_are_valid(ledger: Ledger) -> None:
    for pledge in ledger.pledges:
        assert ledger.lifecycle_of(pledge).violations(pledge.history) == ()


@given(pledge_records())
def test_generated_pledges_keep_the_default_rules(pledge: Pledge) -> None:
    assert DEFAULT.violations(pledge.history) == ()
    assert all(isinstance(u, Update) for u in pledge.history)
