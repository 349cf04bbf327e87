"""What changed between two ledgers: nothing for equal ledgers, exactly the change made
otherwise, and regressions marked."""

from __future__ import annotations

import attrs
from hypothesis import given, strategies as st

from pledges import Evidence, Ledger, Link, PartialDate, Update, UpdateKind, load_bundled
from pledges.edits import EditKind, changes
from pledges.testing import ledgers

BUNDLED = load_bundled()
EV = (Evidence("moscowtimes-2015-fta", summary="Still in force."),)


@given(ledgers())
def test_a_ledger_has_no_change_from_itself(ledger: Ledger) -> None:
    assert changes(ledger, ledger) == ()


@given(ledgers(), st.data())
def test_a_reaffirmation_is_the_one_change(ledger: Ledger, data: st.DataObject) -> None:
    if not ledger.pledges:
        return
    pledge = data.draw(st.sampled_from(ledger.pledges))
    last = pledge.history[-1]
    step = Update(PartialDate(2040, 12, 31), last.status, UpdateKind.REAFFIRMED, last.evidence)
    (edit,) = changes(ledger, ledger.with_update(pledge.id, step))
    assert (edit.kind, edit.subject, edit.update) == (EditKind.REAFFIRMED, pledge.id, step)
    assert not edit.regression


@given(ledgers())
def test_every_pledge_removed_and_added_is_named(ledger: Ledger) -> None:
    empty = ledger.evolve(pledges=())
    assert [e.subject for e in changes(ledger, empty)] == [p.id for p in ledger.pledges]
    assert {e.kind for e in changes(empty, ledger)} <= {EditKind.PLEDGE_ADDED}
    assert len(changes(empty, ledger)) == len(ledger.pledges)


def test_a_move_down_the_scale_is_a_regression_and_one_up_is_not() -> None:
    down = Update(PartialDate(2026), "stalled", UpdateKind.PROGRESS, EV)
    (edit,) = changes(BUNDLED, BUNDLED.with_update("2014-leader-visits", down))
    assert (edit.kind, edit.regression) == (EditKind.STATUS_MOVED, True)
    assert edit.detail == "2026: In progress → Stalled"
    up = Update(PartialDate(2026), "fulfilled", UpdateKind.PROGRESS, EV)
    (edit,) = changes(BUNDLED, BUNDLED.with_update("2014-leader-visits", up))
    assert (edit.kind, edit.regression) == (EditKind.STATUS_MOVED, False)


def test_edited_quotes_dates_links_and_records_are_named() -> None:
    pledge = BUNDLED.pledge("2014-fta")
    first = pledge.history[0]
    quote = attrs.evolve(first.evidence[0], quote="Changed.")
    edited = attrs.evolve(first, evidence=(quote, *first.evidence[1:]))
    new = BUNDLED.with_pledge(attrs.evolve(pledge, history=(edited, *pledge.history[1:])))
    (edit,) = changes(BUNDLED, new)
    assert edit.kind is EditKind.EVIDENCE_EDITED
    assert edit.detail.startswith("[0] quote: 'As a member")
    assert edit.detail.endswith("→ 'Changed.'")
    linked = BUNDLED.with_link("2025-digital", Link("renews", "2014-viettel"))
    (edit,) = changes(BUNDLED, linked)
    assert (edit.kind, edit.detail) == (EditKind.LINK_ADDED, "renews 2014-viettel")
    renamed = BUNDLED.with_source(attrs.evolve(BUNDLED.sources[0], title="Another title"))
    (edit,) = changes(BUNDLED, renamed)
    assert edit.kind is EditKind.RECORD_EDITED
    assert edit.subject == f"source {BUNDLED.sources[0].id}"
