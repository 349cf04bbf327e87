"""The ledger's invariants, each problem with its exact place and words.

A reader of ``pledges validate`` acts on the path and the sentence, so both are behaviour:
these tests pin them for every kind of problem the ledger reports.
"""

from __future__ import annotations

import attrs
import pytest

from pledges import (
    DEFAULT,
    Evidence,
    Ledger,
    LedgerInvalid,
    Lifecycle,
    Link,
    LinkKind,
    PartialDate,
    Pledge,
    Status,
    Update,
    UpdateKind,
)
from pledges._integrity import effect_keys

D = PartialDate.parse
EV = (Evidence("src", quote="q"),)


def problems(ledger: Ledger, **changes: object) -> list[tuple[str, str]]:
    """The (where, message) of every problem the changed ledger has, in order."""
    with pytest.raises(LedgerInvalid) as caught:
        ledger.evolve(**changes)
    return [(p.where, p.message) for p in caught.value.problems]


def plain(pledge_id: str, *links: Link, made: str = "2014-11-26") -> Pledge:
    """A pledge made on a day, with the given links."""
    history = (Update(D(made), "made", UpdateKind.MADE, EV),)
    return Pledge(pledge_id, pledge_id, "Words.", ("by",), links=links, history=history)


def renews(target: str) -> Link:
    return Link(LinkKind.RENEWS, target)


def test_duplicate_ids_of_every_kind_are_located_with_the_first(small_ledger: Ledger) -> None:
    actor, source = small_ledger.actors[1], small_ledger.sources[0]
    occasion = small_ledger.occasions[0]
    found = problems(
        small_ledger,
        actors=(*small_ledger.actors, actor, attrs.evolve(actor, id="other")),
        sources=(source, source, attrs.evolve(source, id="src2")),
        occasions=(*small_ledger.occasions, occasion),
    )
    assert found == [
        ("$.actors[3].id", "duplicate actor id 'by' (first at $.actors[1])"),
        ("$.sources[1].id", "duplicate source id 'src' (first at $.sources[0])"),
        ("$.occasions[2].id", "duplicate occasion id 'talks-2014' (first at $.occasions[0])"),
        ("$.actors[4]", "actor 'other' answers to 'belarus', as actor 'by' does"),
    ]


def test_a_record_after_a_duplicate_is_still_known(small_ledger: Ledger) -> None:
    """Reading goes on past a duplicate: the pledge after it resolves its references."""
    fta, fta_2025, viettel = small_ledger.pledges
    found = problems(small_ledger, pledges=(fta, fta, fta_2025, viettel))
    assert found == [("$.pledges[1].id", "duplicate pledge id 'fta' (first at $.pledges[0])")]


def test_every_reference_is_located_and_named_by_kind(small_ledger: Ledger) -> None:
    fta, fta_2025, viettel = small_ledger.pledges
    talks = attrs.evolve(small_ledger.occasions[0], participants=("vn", "ghost"))
    late = attrs.evolve(fta.history[1], occasion="nowhere")
    broken = attrs.evolve(fta, made_to=("vn", "phantom"), history=(fta.history[0], late))
    found = problems(
        small_ledger,
        occasions=(talks, small_ledger.occasions[1]),
        pledges=(broken, fta_2025, attrs.evolve(viettel, lifecycle="mine")),
    )
    assert found == [
        ("$.occasions[0].participants", "unknown actor 'ghost'"),
        ("$.pledges[0].made_to", "unknown actor 'phantom'"),
        ("$.pledges[0].history[1].occasion", "unknown occasion 'nowhere'"),
        ("$.pledges[2].lifecycle", "unknown lifecycle 'mine'"),
    ]


def test_checking_goes_on_after_a_pledge_with_an_unknown_lifecycle(
    small_ledger: Ledger,
) -> None:
    fta, _, viettel = small_ledger.pledges
    backwards = attrs.evolve(viettel, history=(*viettel.history, viettel.history[0]))
    found = problems(
        small_ledger, pledges=(attrs.evolve(fta, lifecycle="mine", links=()), backwards)
    )
    assert found == [
        ("$.pledges[0].lifecycle", "unknown lifecycle 'mine'"),
        (
            "$.pledges[1].history[1]",
            "pledge 'viettel', update 1: only the first update may be of kind 'made' [made-once]",
        ),
    ]


def test_links_to_itself_or_to_a_later_pledge_are_located(small_ledger: Ledger) -> None:
    fta, fta_2025, viettel = small_ledger.pledges
    found = problems(
        small_ledger,
        pledges=(
            attrs.evolve(fta, links=(renews("fta-2025"),)),
            attrs.evolve(fta_2025, links=()),
            attrs.evolve(viettel, links=(renews("viettel"),)),
        ),
    )
    assert found == [
        (
            "$.pledges[0].links[0]",
            "pledge 'fta' (made 2014-11-26) links to 'fta-2025', which was made later (2025-05-12)",
        ),
        ("$.pledges[2].links[0]", "pledge 'viettel' links to itself"),
    ]


def test_a_duplicate_lifecycle_is_located_and_presets_declared_as_they_are_pass(
    small_ledger: Ledger,
) -> None:
    mine = attrs.evolve(DEFAULT, id="mine")
    uses_mine = attrs.evolve(small_ledger.pledges[2], lifecycle="mine")
    ledger = small_ledger.evolve(lifecycles=(DEFAULT, mine)).with_pledge(uses_mine)
    assert ledger.lifecycle_of(uses_mine) == mine
    assert problems(small_ledger, lifecycles=(DEFAULT, attrs.evolve(DEFAULT, label="Mine"))) == [
        (
            "$.lifecycles[1].id",
            "duplicate lifecycle id 'default' (the presets default, politifact, compliance and "
            "treaty are taken)",
        )
    ]


def _mapped(lifecycle_id: str, *onto: tuple[tuple[str, str], ...]) -> Lifecycle:
    """A two-status lifecycle whose statuses map as ``onto`` says."""
    return Lifecycle(
        lifecycle_id,
        lifecycle_id.title(),
        (
            Status("open", "Open", to=("done",), onto=onto[0]),
            Status("done", "Done", kind="fulfilled", final=True, onto=onto[1]),
        ),
        "open",
    )


def test_every_mapping_problem_is_located_in_its_lifecycle(small_ledger: Ledger) -> None:
    both = (("nowhere", "x"), ("compliance", "full-compliance"))
    nowhere = _mapped("mine", both, (("nowhere", "y"),))
    partial = _mapped("yours", (("compliance", "full-compliance"),), ())
    assert problems(small_ledger, lifecycles=(nowhere, partial)) == [
        ("$.lifecycles[0]", "lifecycle 'mine' maps onto unknown lifecycle 'nowhere'"),
        ("$.lifecycles[0].statuses[1].onto", "status 'done' has no status on 'compliance'"),
        ("$.lifecycles[1].statuses[1].onto", "status 'done' has no status on 'compliance'"),
    ]


def test_a_cycle_is_found_through_any_link_and_reported_once(small_ledger: Ledger) -> None:
    """The pledge visited first (through another's link) is not walked again, the cycle
    closes through a second link, and is reported once, where it closes."""
    chain = (
        plain("b", renews("a")),
        plain("a"),
        plain("c", renews("a"), renews("d")),
        plain("d", renews("c")),
    )
    assert problems(small_ledger, pledges=chain) == [
        ("$.pledges[3].links[0]", "links form a cycle: c -> d -> c"),
    ]


def test_two_paths_to_one_pledge_are_no_cycle(small_ledger: Ledger) -> None:
    diamond = (
        plain("a", renews("b"), renews("c")),
        plain("b", renews("d")),
        plain("c", renews("d")),
        plain("d"),
    )
    assert len(small_ledger.evolve(pledges=diamond).pledges) == 4


def test_effect_keys_are_the_running_minimum_of_last_days() -> None:
    history = (
        Update(D("2014-11-26"), "made", UpdateKind.MADE, EV),
        Update(D("2016"), "in-progress", UpdateKind.PROGRESS, EV),
        Update(D("2016-03"), "in-progress", UpdateKind.REAFFIRMED, EV),
        Update(D("2016-03-01"), "fulfilled", UpdateKind.PROGRESS, EV),
    )
    march_1 = D("2016-03-01").last_ordinal
    assert effect_keys(history) == [D("2014-11-26").last_ordinal, march_1, march_1, march_1]
    assert effect_keys(()) == []


def test_a_year_update_counts_once_a_later_day_update_does(small_ledger: Ledger) -> None:
    viettel = small_ledger.pledges[2]
    history = (
        viettel.history[0],
        Update(D("2016"), "in-progress", UpdateKind.PROGRESS, EV),
        Update(D("2016-03-01"), "fulfilled", UpdateKind.PROGRESS, EV),
    )
    ledger = small_ledger.with_pledge(attrs.evolve(viettel, history=history))
    assert ledger.status_at("viettel", "2016-02-29") == "made"
    assert ledger.status_at("viettel", "2016-03-01") == "fulfilled"
    assert ledger.status_at("viettel", "2016-06-30") == "fulfilled"


def test_keys_are_built_once_for_own_pledges_and_never_kept_for_others(
    small_ledger: Ledger,
) -> None:
    index = small_ledger._index
    own = small_ledger.pledge("fta")
    assert index.keys(own) is index.keys(own)
    first = attrs.evolve(own, history=own.history[:1])
    second = attrs.evolve(own, history=own.history[:2])
    assert index.keys(first) == effect_keys(first.history)
    assert index.keys(second) == effect_keys(second.history)
    assert small_ledger.status_at(second, "2016-12-31") == "signed"
    assert small_ledger.status_at(own, "2016-12-31") == "in-force"
