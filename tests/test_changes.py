"""What changed between two ledgers: nothing for equal ledgers, exactly the change made
otherwise, and regressions marked."""

from __future__ import annotations

import json
import os
from pathlib import Path

import attrs
from hypothesis import given, strategies as st

from pledges import Evidence, Ledger, Link, PartialDate, Update, UpdateKind, load_bundled
from pledges.edits import EditKind, changes
from pledges.present.changes import render_changes
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


def test_long_values_are_cut_after_80_characters_and_others_shown_as_written() -> None:
    from pledges.edits import _short

    assert _short("x" * 78) == repr("x" * 78)  # 80 characters with its quotes: whole
    assert _short("x" * 79) == repr("x" * 79)[:77] + "..."
    assert _short(PartialDate(2026, 12)) == "2026-12"
    assert _short(None) == "None"


def test_a_move_is_down_only_on_the_scales_that_know_both_statuses() -> None:
    from pledges.edits import _down
    from pledges.presets import DEFAULT, TREATY

    only = next(s.id for s in TREATY.statuses if s.id not in DEFAULT)
    assert not _down((DEFAULT, TREATY), "in-progress", only)
    assert _down((DEFAULT,), "fulfilled", "in-progress")


def _every_kind_of_change() -> tuple[Ledger, Ledger]:
    """The bundled ledger, and a later version of it with one change of every kind."""
    from pledges.model import LinkKind

    old = load_bundled()
    pledges = {p.id: p for p in old.pledges}
    fta, viettel, labour = pledges["2014-fta"], pledges["2014-viettel"], pledges["2014-labour"]
    step = Update(
        PartialDate(2025, 1, 15),
        "in-progress",
        UpdateKind.PROGRESS,
        (Evidence("vietnamplus-2014-visit", summary="s"),),
    )
    restated = Update(
        PartialDate(2025, 2, 1),
        "made",
        UpdateKind.REAFFIRMED,
        (Evidence("vietnamplus-2014-visit", summary="r"),),
    )
    first = fta.history[0]
    edited_first = attrs.evolve(
        first,
        evidence=(
            attrs.evolve(first.evidence[0], locator="para 9"),
            Evidence("chinagate-2015-fta", summary="new"),
        ),
        note="a note",
    )
    changed = {
        "2014-fta": attrs.evolve(fta, title="The FTA", history=(edited_first, *fta.history[1:-1])),
        "2014-viettel": attrs.evolve(viettel, history=(*viettel.history, step)),
        "2014-labour": attrs.evolve(
            labour,
            history=(*labour.history, restated),
            links=(Link(LinkKind.PART_OF, "2014-education-culture", "labour is education"),),
        ),
    }
    added = attrs.evolve(pledges["2014-community"], id="2015-new", links=())
    visits = pledges["2014-leader-visits"]
    second = visits.history[1]
    changed["2014-leader-visits"] = attrs.evolve(
        visits,
        history=(
            visits.history[0],
            attrs.evolve(second, evidence=second.evidence[:1]),  # one piece taken out
            *visits.history[2:],
        ),
    )
    viettel_made = changed["2014-viettel"].history
    changed["2014-viettel"] = attrs.evolve(
        changed["2014-viettel"],
        history=(
            attrs.evolve(
                viettel_made[0],
                evidence=(
                    attrs.evolve(
                        viettel_made[0].evidence[0], quote=viettel_made[0].evidence[0].quote
                    ),
                    Evidence("new-source", summary="added later"),
                ),
            ),
            *viettel_made[1:],
        ),
    )
    kept = [changed.get(p.id, p) for p in old.pledges if p.id != "2014-governance-experience"]
    sources = tuple(
        attrs.evolve(s, title="Renamed") if s.id == "euroradio-2017-trade" else s
        for s in old.sources
    )
    from pledges.model import Actor, Correction, Source

    security = pledges["2014-security"]
    note = Update(
        PartialDate(2026, 1, 1),
        "in-progress",
        UpdateKind.PROGRESS,
        (Evidence("mps-2025-12-security", summary="a progress note"),),
    )
    kept = [
        attrs.evolve(security, history=(*security.history, note))
        if p.id == "2014-security"
        else attrs.evolve(p, links=())
        if p.id == "2025-defence-training"
        else p
        for p in kept
    ]
    occasions = tuple(
        attrs.evolve(o, place="Hà Nội") if o.id == "golovchenko-2023" else o for o in old.occasions
    )
    corrections = (
        Correction(PartialDate(2026, 12, 4), "2014-fta", "w", "c", "y", PartialDate(2016, 10, 5)),
        Correction(PartialDate(2026, 12, 5), "2014-viettel", "w2", "c2", "y2"),
    )
    from pledges.presets import PRESETS

    house = attrs.evolve(next(iter(PRESETS.values())), id="house-scale", label="House scale")
    old = old.evolve(
        sources=(*old.sources, Source("gone-source", "Gone", url="https://example.org/g"))
    )
    new = old.evolve(
        lifecycles=(house,),
        published=PartialDate(2026, 12),
        method="Another method.",
        occasions=occasions,
        corrections=(*old.corrections, *corrections),
        pledges=(*kept, added),
        sources=(*sources, Source("new-source", "A new report", url="https://example.org/n")),
        actors=(*old.actors, Actor("new-actor", "A new actor")),
        title="Renamed tracker",
    )
    return old, new


def test_every_kind_of_change_is_named_exactly() -> None:
    """A golden list: each change's kind, subject, detail and regression flag, as JSON."""
    old, new = _every_kind_of_change()
    text = render_changes(changes(old, new), new, "json", (), "l.toml")
    golden = Path(__file__).resolve().parent / "golden" / "changes.json"
    if os.environ.get("PLEDGES_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    kinds = {e["kind"] for e in json.loads(text)["changes"]}
    assert len(kinds) >= 10
