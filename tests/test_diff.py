"""The round-to-round diff: classes, rules, and how baselines are named."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, strategies as st

from pledges import (
    Actor,
    Evidence,
    InvalidQuery,
    Ledger,
    Lifecycle,
    Link,
    LinkKind,
    NotFound,
    Occasion,
    PartialDate,
    Pledge,
    Source,
    Status,
    StatusKind,
    Update,
    UpdateKind,
    load_bundled,
)
from pledges.diff import Change, DiffRow, compare, resolve_point, rounds
from pledges.testing import days_near, ledgers

D = PartialDate.parse

BUNDLED = load_bundled()


def test_the_main_job_compares_the_2014_talks_with_the_2025_visit() -> None:
    diff = compare(BUNDLED)
    assert (str(diff.baseline.day), str(diff.outcome.day)) == ("2014-11-27", "2025-05-12")
    assert {c.value: n for c, n in diff.counts().items() if n} == {
        "fulfilled": 3,
        "progressed": 11,
        "reaffirmed": 5,
        "no evidence": 2,
        "new": 23,
    }
    classes = {row.pledge.id: row.change for row in diff.rows}
    assert classes["2014-fta"] is Change.FULFILLED
    assert classes["2014-visa-exemption"] is Change.FULFILLED
    assert classes["2014-viettel"] is Change.NO_EVIDENCE
    assert classes["2014-defence-training"] is Change.PROGRESSED
    assert classes["2014-market-access"] is Change.PROGRESSED  # the latest figure decides
    assert classes["2024-roadmap"] is Change.NEW


def test_a_renewal_shows_on_the_row_of_the_pledge_it_renews() -> None:
    row = next(r for r in compare(BUNDLED).rows if r.pledge.id == "2014-community")
    assert [p.id for p in row.renewed_by] == ["2025-community"]
    assert len(row.updates) == 2
    assert row.reason == "restated, no new step: still Made (2 updates; renewed by 2025-community)"
    assert row.judgements[-1].startswith("2025-community: The same request")
    assert repr(compare(BUNDLED)).startswith(
        "Diff('Trong–Lukashenko talks and joint statement, Minsk (talks-2014)' ->"
    )


def test_a_later_outcome_sees_the_late_2025_reports() -> None:
    diff = compare(BUNDLED, "talks-2014", "2025-12-31")
    row = next(r for r in diff.rows if r.pledge.id == "2014-direct-flights")
    assert (row.change, row.after) == (Change.PROGRESSED, "in-progress")


def test_a_baseline_year_with_one_round_means_that_round() -> None:
    point = resolve_point(BUNDLED, "2014", year_means_round=True)
    assert point.occasion == BUNDLED.occasion("talks-2014")
    diff = compare(BUNDLED, "2014", "2025")
    assert diff.baseline.occasion == BUNDLED.occasion("talks-2014")
    assert (diff.outcome.occasion, str(diff.outcome.day)) == (None, "2025-12-31")


def test_a_baseline_year_with_several_rounds_asks_which() -> None:
    moved = attrs.evolve(BUNDLED.pledge("2025-invitation-hanoi"), occasion="ambassador-2025")
    with pytest.raises(NotFound, match=r"no single round held in '2025'.*ambassador-2025"):
        compare(BUNDLED.with_pledge(moved), "2025")


def test_the_brief_s_2013_is_refused_naming_the_rounds() -> None:
    with pytest.raises(NotFound) as caught:
        compare(BUNDLED, "2013")
    message = str(caught.value)
    assert message.startswith("no round held in '2013'; name an occasion id")
    assert "talks-2014 (2014-11-26 to 2014-11-27: Trong–Lukashenko talks and joint" in message


def test_unknown_names_and_reversed_points_are_refused() -> None:
    with pytest.raises(NotFound, match="no occasion or date 'summit'"):
        compare(BUNDLED, "summit")
    with pytest.raises(InvalidQuery) as caught:
        compare(BUNDLED, "visit-2025", "talks-2014")
    assert not isinstance(caught.value, KeyError)
    assert str(caught.value) == (
        "the outcome, Trong–Lukashenko talks and joint statement, Minsk (talks-2014) (2014-11-27), "
        "comes before the baseline, To Lam's state visit to Belarus (visit-2025) (2025-05-12): "
        "swap them"
    )


def test_a_ledger_without_rounds_says_to_name_both_points(small_ledger: Ledger) -> None:
    bare = small_ledger.evolve(
        pledges=tuple(attrs.evolve(p, occasion=None) for p in small_ledger.pledges)
    )
    with pytest.raises(InvalidQuery, match=r"no rounds .* made from 2014-11-26 to 2025-05-12"):
        compare(bare)
    assert compare(bare, "2015", "2025").counts()[Change.FULFILLED] == 1


def one_pledge_ledger(lifecycle: Lifecycle, *moves: str) -> Ledger:
    """One pledge on ``lifecycle``, made in 2014 (a round) at its initial status and moved to
    each of ``moves`` in turn, a year apart from 2015."""
    ev = (Evidence("s", quote="q"),)
    history = [Update(PartialDate(2014), lifecycle.initial, UpdateKind.MADE, ev)]
    history += [
        Update(PartialDate(2015 + i), move, UpdateKind.PROGRESS, ev) for i, move in enumerate(moves)
    ]
    pledge = Pledge("p", "T", "X", ("a",), tuple(history), lifecycle=lifecycle.id, occasion="o")
    return Ledger(
        "L",
        (Actor("a", "A"),),
        (Source("s", "S", url="https://x.org"),),
        (Occasion("o", "O", PartialDate(2014)),),
        (pledge,),
        lifecycles=(lifecycle,),
    )


def test_a_sideways_move_is_a_reaffirmation_not_progress() -> None:
    # Partly and Level share a rank and a score.
    level = Lifecycle(
        "level",
        "Level",
        (
            Status("open", "Open", to=("partly",)),
            Status("partly", "Partly", score=0, rank=1, to=("level",)),
            Status("level", "Level", score=0, rank=1, to=("partly",)),
        ),
        "open",
    )
    (row,) = compare(one_pledge_ledger(level, "partly", "level"), "2015-12-31", "2020").rows
    assert (row.before, row.after) == ("partly", "level")
    assert row.change is Change.REAFFIRMED
    assert row.reason == "moved sideways, from Partly to Level (neither forward nor back)"


def test_known_at_counts_only_the_news_published_by_then() -> None:
    early = compare(BUNDLED, "talks-2014", "2016-12-31", known_at="2016-06-30")
    row = next(r for r in early.rows if r.pledge.id == "2014-fta")
    assert row.after == "signed"  # the ratification and entry into force are dated 2016
    late = compare(BUNDLED, "talks-2014", "2016-12-31", known_at="2016-12-31")
    assert next(r for r in late.rows if r.pledge.id == "2014-fta").after == "in-force"


def test_rounds_are_the_occasions_with_pledges() -> None:
    assert [o.id for o in rounds(BUNDLED)] == ["talks-2014", "brics-kazan-2024", "visit-2025"]


def points(ledger: Ledger, data: st.DataObject) -> list[dt.date]:
    return sorted([data.draw(days_near(ledger)), data.draw(days_near(ledger))])


@given(ledgers(), st.data())
def test_every_pledge_appears_once_and_later_ones_are_new(
    ledger: Ledger, data: st.DataObject
) -> None:
    start, end = points(ledger, data)
    diff = compare(ledger, start, end)
    ids = [row.pledge.id for row in diff.rows]
    assert len(ids) == len(set(ids))
    for pledge in ledger.pledges:
        # Made by a day: an update counts then (a later update implies the making).
        made_by_start = ledger.status_at(pledge, start) is not None
        made_by_end = ledger.status_at(pledge, end) is not None
        assert (pledge.id in ids) == made_by_end
        if made_by_end:
            row = diff.rows[ids.index(pledge.id)]
            assert (row.change is Change.NEW) == (not made_by_start)


@given(ledgers(), st.data())
def test_each_class_agrees_with_the_statuses_and_updates(
    ledger: Ledger, data: st.DataObject
) -> None:
    start, end = points(ledger, data)
    for row in compare(ledger, start, end).rows:
        lifecycle = ledger.lifecycle_of(row.pledge)
        after = lifecycle.status(row.after)
        assert row.after == ledger.status_at(row.pledge, end)
        assert row.before == ledger.status_at(row.pledge, start)
        assert row.updates == ledger.updates_between(row.pledge, start, end)
        if row.change is Change.NEW:
            continue
        assert row.before is not None
        before = lifecycle.status(row.before)
        for kind, change in (
            (StatusKind.CLOSED, Change.CLOSED),
            (StatusKind.FULFILLED, Change.FULFILLED),
        ):
            if after.kind is kind and before.kind is not kind:
                assert row.change is change
        if row.change is Change.FULFILLED:
            assert after.kind is StatusKind.FULFILLED
            assert before.kind is not StatusKind.FULFILLED
            assert row.reason == f"kept: now {after.label}, was {before.label}"
        elif row.change is Change.CLOSED:
            assert after.kind is StatusKind.CLOSED
            assert before.kind is not StatusKind.CLOSED
            assert row.reason == "closed without being kept"
        elif row.change is Change.PROGRESSED:
            assert (after.rank, after.score or 0) > (before.rank, before.score or 0)
            assert row.reason == f"moved forward, from {before.label} to {after.label}"
        elif row.change is Change.REGRESSED:
            assert (after.rank, after.score or 0) < (before.rank, before.score or 0)
            assert row.reason == f"moved back, from {before.label} to {after.label}"
        elif row.change is Change.REAFFIRMED:
            assert row.updates or row.renewed_by or row.before != row.after
            assert (after.rank, after.score or 0) == (before.rank, before.score or 0)
            assert row.reason == _reaffirmed(
                row.before != row.after, before.label, after.label, row
            )
        else:
            assert row.change is Change.NO_EVIDENCE
            assert row.before == row.after
            assert row.updates == ()
            assert row.renewed_by == ()
            assert row.reason == f"no news found: still {after.label}, nothing reported in between"


def _reaffirmed(sideways: bool, old: str, label: str, row: DiffRow) -> str:
    """The reason a reaffirmation gives, written out for the test."""
    if sideways:
        return f"moved sideways, from {old} to {label} (neither forward nor back)"
    count = len(row.updates)
    parts = [f"{count} update" + ("s" if count != 1 else "")] if count else []
    if row.renewed_by:
        parts.append("renewed by " + ", ".join(p.id for p in row.renewed_by))
    return f"restated, no new step: still {label} (" + "; ".join(parts) + ")"


@given(ledgers(), st.data())
def test_no_evidence_is_never_a_change_of_status(ledger: Ledger, data: st.DataObject) -> None:
    for row in compare(ledger, *points(ledger, data)).rows:
        if row.before != row.after:
            assert row.change not in (Change.NO_EVIDENCE, Change.NEW) or row.before is None


def test_points_are_labelled_by_what_names_them() -> None:
    assert resolve_point(BUNDLED, "2020").label == "2020-12-31"
    assert resolve_point(BUNDLED, dt.date(2020, 1, 2)).label == "2020-01-02"
    assert resolve_point(BUNDLED, "2014", year_means_round=True).occasion is BUNDLED.occasion(
        "talks-2014"
    )
    with pytest.raises(NotFound) as caught:
        resolve_point(BUNDLED, "summit")
    assert caught.value.known == tuple(
        f"{o.id} ({o.start}{'' if o.end is None else f' to {o.end}'}: {o.title})"
        for o in rounds(BUNDLED)
    )
    assert any(" to 2025-05-12: " in k for k in caught.value.known)


def test_without_rounds_the_message_says_what_to_name(small_ledger: Ledger) -> None:
    advice = (
        "this ledger has no rounds (occasions at which pledges were made) to compare by "
        "default{}: name both points, as dates or occasion ids (--baseline DATE --outcome DATE)"
    )
    bare = small_ledger.evolve(
        pledges=tuple(attrs.evolve(p, occasion=None) for p in small_ledger.pledges)
    )
    with pytest.raises(InvalidQuery) as caught:
        compare(bare)
    assert str(caught.value) == advice.format(" (pledges were made from 2014-11-26 to 2025-05-12)")
    with pytest.raises(InvalidQuery) as caught:
        compare(small_ledger.evolve(pledges=()))
    assert str(caught.value) == advice.format("")


def test_a_diff_reads_as_one_line() -> None:
    assert repr(compare(BUNDLED)) == (
        "Diff('Trong–Lukashenko talks and joint statement, Minsk (talks-2014)' -> "
        '"To Lam\'s state visit to Belarus (visit-2025)": fulfilled 3, progressed 11, '
        "reaffirmed 5, no evidence 2, new 23)"
    )
    empty = compare(BUNDLED, "2000-01-01", "2001")
    assert repr(empty) == "Diff('2000-01-01' -> '2001-12-31': no rows)"


@given(ledgers(), st.data())
def test_known_at_reaches_every_part_of_a_row(ledger: Ledger, data: st.DataObject) -> None:
    start, end = points(ledger, data)
    known = data.draw(days_near(ledger))
    rows = compare(ledger, start, end, known_at=known).rows
    assert [r.pledge.id for r in rows if r.change is not Change.NEW] == [
        p.id
        for p in ledger.pledges
        if ledger.status_at(p, start, known_at=known) is not None
        and ledger.status_at(p, end, known_at=known) is not None
    ]
    for row in rows:
        pledge = row.pledge
        assert row.before == ledger.status_at(pledge, start, known_at=known)
        assert row.after == ledger.status_at(pledge, end, known_at=known)
        assert row.updates == ledger.updates_between(pledge, start, end, known_at=known)
        renewals = [
            p
            for p in ledger.pledges
            if any(link.kind is LinkKind.RENEWS and link.pledge == pledge.id for link in p.links)
            and ledger.status_at(p, end, known_at=known) is not None
            and ledger.status_at(p, start, known_at=known) is None
        ]
        assert [p.id for p in row.renewed_by] == [p.id for p in renewals]
        if row.change is Change.NEW:
            reason = f"made {pledge.made_on}, after the baseline"
            renews = pledge.linked(LinkKind.RENEWS)
            assert row.reason == reason + (f"; renews {', '.join(renews)}" if renews else "")


def test_a_pledge_renewed_twice_names_both() -> None:
    # The business pledge as it stood before its 2017 step was found: restated, renewed twice.
    pledge = BUNDLED.pledge("2014-business-cooperation")
    before = BUNDLED.with_pledge(attrs.evolve(pledge, history=pledge.history[:1]))
    row = next(r for r in compare(before).rows if r.pledge.id == pledge.id)
    assert (
        row.reason == "restated, no new step: still Made (renewed by 2025-digital, 2025-new-areas)"
    )


def renewals_ledger(small_ledger: Ledger) -> Ledger:
    """The small ledger with renewals of the FTA pledge around a 2014-to-2020 window: one on
    the baseline's day, one in the window whose news came out later, one after the outcome,
    a new pledge that renews two pledges, with notes on its links and its update, and one
    whose making was reported only after its first progress."""

    def renewal(
        pledge_id: str,
        made: str,
        *links: Link,
        published: str | None = None,
        then: tuple[Update, ...] = (),
    ) -> Pledge:
        ev = (Evidence("src", quote="q", published=None if published is None else D(published)),)
        history = (Update(D(made), "made", UpdateKind.MADE, ev, note=f"{pledge_id} noted"), *then)
        return Pledge(pledge_id, pledge_id, "Words.", ("vn",), links=links, history=history)

    progress = Update(
        D("2016-05"), "in-progress", UpdateKind.PROGRESS, (Evidence("src", quote="q"),)
    )

    return small_ledger.evolve(
        pledges=(
            *small_ledger.pledges,
            renewal("same-day", "2014-11-26", Link(LinkKind.RENEWS, "fta")),
            renewal("late-news", "2016-01-10", Link(LinkKind.RENEWS, "fta"), published="2016-06"),
            renewal("after", "2021-01-01", Link(LinkKind.RENEWS, "fta")),
            renewal(
                "both",
                "2018-03-01",
                Link(LinkKind.RENEWS, "fta", note="the FTA again"),
                Link(LinkKind.SUPERSEDES, "fta"),
                Link(LinkKind.RENEWS, "viettel", note="Viettel again"),
            ),
            renewal(
                "quiet-start",
                "2015-06",
                Link(LinkKind.RENEWS, "fta"),
                published="2017",
                then=(progress,),
            ),
        ),
    )


def test_renewals_count_when_made_in_the_window_and_known(small_ledger: Ledger) -> None:
    ledger = renewals_ledger(small_ledger)
    rows = {r.pledge.id: r for r in compare(ledger, "talks-2014", "2020").rows}
    assert [p.id for p in rows["fta"].renewed_by] == ["late-news", "both", "quiet-start"]
    assert rows["fta"].judgements == ("both: the FTA again",)
    assert rows["viettel"].judgements == ("both: Viettel again",)
    assert [p.id for p in rows["viettel"].renewed_by] == ["both"]
    known = {r.pledge.id: r for r in compare(ledger, "talks-2014", "2020", known_at="2016-03").rows}
    assert [p.id for p in known["fta"].renewed_by] == []
    # Known at the end of 2016: the quiet start's making was not yet reported, its progress
    # in 2016 was, so as told then it appeared after the baseline.
    told = compare(ledger, "2015-12-31", "2020", known_at="2016-12-31").rows
    fta_row = next(r for r in told if r.pledge.id == "fta")
    assert [p.id for p in fta_row.renewed_by] == ["late-news", "quiet-start"]


def test_a_new_row_names_what_it_renews_and_carries_its_notes(small_ledger: Ledger) -> None:
    rows = {
        r.pledge.id: r for r in compare(renewals_ledger(small_ledger), "2015-12-31", "2020").rows
    }
    both = rows["both"]
    assert both.change is Change.NEW
    assert both.reason == "made 2018-03-01, after the baseline; renews fta, viettel"
    assert both.judgements == ("both noted",)
    assert rows["late-news"].reason == "made 2016-01-10, after the baseline; renews fta"


def test_of_keeps_the_rows_of_the_classes_named_in_order() -> None:
    diff = compare(BUNDLED)
    chosen = diff.of(Change.FULFILLED, Change.NO_EVIDENCE)
    assert chosen == tuple(
        r for r in diff.rows if r.change in (Change.FULFILLED, Change.NO_EVIDENCE)
    )
    assert len(chosen) == 5
    assert diff.of() == ()


def test_one_point_named_without_rounds_is_not_enough(small_ledger: Ledger) -> None:
    bare = small_ledger.evolve(
        pledges=tuple(attrs.evolve(p, occasion=None) for p in small_ledger.pledges)
    )
    for named in ({"baseline": "2015"}, {"outcome": "2025"}):
        with pytest.raises(InvalidQuery, match="name both points"):
            compare(bare, **named)


def test_the_no_rounds_message_spans_the_first_to_the_last_pledge(small_ledger: Ledger) -> None:
    viettel = small_ledger.pledge("viettel")
    later = attrs.evolve(viettel, history=(attrs.evolve(viettel.history[0], date=D("2016")),))
    bare = small_ledger.with_pledge(later).evolve(
        pledges=tuple(
            attrs.evolve(p, occasion=None)
            for p in (small_ledger.pledge("fta-2025"), later, small_ledger.pledge("fta"))
        )
    )
    with pytest.raises(InvalidQuery, match=r"made from 2014-11-26 to 2025-05-12\)"):
        compare(bare)


RANKED = Lifecycle(
    "ranked",
    "Ranked",
    (
        Status("open", "Open", to=("partly", "mostly", "dropped")),
        Status("partly", "Partly", score=0, rank=1, to=("mostly", "dropped")),
        Status("mostly", "Mostly", score=1, rank=1, to=("partly", "dropped")),
        Status("dropped", "Dropped", kind="closed", final=True),
    ),
    "open",
)
"""A scale whose 'partly' and 'mostly' share a rank but not a score."""


@pytest.mark.parametrize(
    ("moves", "change", "reason"),
    [
        (("partly", "mostly"), Change.PROGRESSED, "moved forward, from Partly to Mostly"),
        (("mostly", "partly"), Change.REGRESSED, "moved back, from Mostly to Partly"),
        (("partly", "dropped"), Change.CLOSED, "closed without being kept"),
    ],
)
def test_a_higher_score_at_the_same_rank_is_progress(
    moves: tuple[str, ...], change: Change, reason: str
) -> None:
    (row,) = compare(one_pledge_ledger(RANKED, *moves), "2015-12-31", "2020").rows
    assert (row.change, row.reason) == (change, reason)
