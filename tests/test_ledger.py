"""The ledger: invariants with every problem located, and queries."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, strategies as st

from pledges import (
    DEFAULT,
    Evidence,
    InvalidQuery,
    Ledger,
    LedgerInvalid,
    Link,
    LinkKind,
    NotFound,
    PartialDate,
    Pledge,
    Search,
    Source,
    Update,
    UpdateKind,
    load_bundled,
)
from pledges.testing import days, days_near, ledgers

D = PartialDate.parse
EV = (Evidence("src", quote="q"),)


def test_status_at_a_date_follows_the_as_of_rule(small_ledger: Ledger) -> None:
    assert small_ledger.status_at("fta", "2014-11-25") is None
    assert small_ledger.status_at("fta", "2014-11-26") == "negotiating"
    assert small_ledger.status_at("fta", "2015-05-29") == "signed"
    # "2016-10" counts only once October 2016 is over.
    assert small_ledger.status_at("fta", "2016-10-05") == "signed"
    assert small_ledger.status_at("fta", "2016-10-31") == "in-force"
    assert small_ledger.status_at("fta", "2016") == "in-force"


def late_news(ledger: Ledger) -> tuple[Ledger, Update]:
    """The ledger with the FTA's signing (29 May 2015) first reported in July 2015, and that
    update."""
    fta = ledger.pledge("fta")
    signing = attrs.evolve(
        fta.history[1], evidence=(Evidence("src", quote="q", published=D("2015-07")),)
    )
    history = (fta.history[0], signing, fta.history[2])
    return ledger.with_pledge(attrs.evolve(fta, history=history)), signing


def test_known_at_counts_only_what_had_been_published(small_ledger: Ledger) -> None:
    ledger, _ = late_news(small_ledger)
    assert ledger.status_at("fta", "2015-06-01") == "signed"
    assert ledger.status_at("fta", "2015-06-01", known_at="2015-06-01") == "negotiating"
    assert ledger.status_at("fta", "2015-06-01", known_at="2015-07-31") == "signed"


def test_news_dates_from_the_earliest_publication_of_its_evidence(small_ledger: Ledger) -> None:
    dated = small_ledger.evolve(
        sources=(
            *small_ledger.sources,
            Source("late", "Late report", url="https://example.org/late", published=D("2015-08")),
        )
    )
    update = Update(
        D("2015-05-29"),
        "signed",
        UpdateKind.PROGRESS,
        (Evidence("late", quote="q"), Evidence("late", quote="q", published=D("2015-06-30"))),
    )
    assert dated.known_from(update) == D("2015-06-30")
    assert dated.known_from(attrs.evolve(update, evidence=update.evidence[:1])) == D("2015-08")
    assert dated.known_from(attrs.evolve(update, evidence=EV)) == D("2015-05-29")


def test_statuses_at_lists_only_pledges_made_by_then(small_ledger: Ledger) -> None:
    assert small_ledger.statuses_at("2015-12-31") == {"fta": "signed", "viettel": "made"}
    assert small_ledger.statuses_at("2025-05-12")["fta-2025"] == "made"


def test_overdue_pledges_are_open_past_their_window(small_ledger: Ledger) -> None:
    assert [p.id for p in small_ledger.overdue("2017-01-01")] == ["viettel"]
    assert [p.id for p in small_ledger.overdue("2016-01-01")] == ["fta"]
    assert small_ledger.overdue("2015-06-01") == ()


def test_look_ups_by_actor_alias_topic_and_occasion(small_ledger: Ledger) -> None:
    assert small_ledger.actor("viet nam").id == "vn"
    assert small_ledger.actor("TÔ LÂM").id == "to-lam"
    assert [p.id for p in small_ledger.by_actor("Việt Nam", "made_by")] == ["fta-2025"]
    assert [p.id for p in small_ledger.by_actor("vietnam", "made_to")] == ["fta", "viettel"]
    assert len(small_ledger.by_actor("Vietnam")) == 3
    assert [p.id for p in small_ledger.by_topic("TRADE")] == ["fta", "fta-2025"]
    assert [p.id for p in small_ledger.by_occasion("talks-2014")] == ["fta", "viettel"]
    assert small_ledger.topics == ("investment", "telecoms", "trade")


def test_select_narrows_and_refuses_names_that_match_nothing(small_ledger: Ledger) -> None:
    assert [p.id for p in small_ledger.select(topic="trade", actor="Việt Nam")] == [
        "fta",
        "fta-2025",
    ]
    assert [p.id for p in small_ledger.select(status="in-force", as_of="2017")] == ["fta"]
    with pytest.raises(NotFound, match=r"no topic 'nonsense' \(known: 'investment'"):
        small_ledger.select(topic="nonsense")
    with pytest.raises(NotFound, match="no status 'kept'"):
        small_ledger.select(status="kept", as_of="2017")
    with pytest.raises(InvalidQuery, match="needs a date"):
        small_ledger.select(status="made")


def test_failed_look_ups_say_what_there_is(small_ledger: Ledger) -> None:
    with pytest.raises(NotFound, match=r"no actor 'Russia' \(known: .*'Vietnam'"):
        small_ledger.actor("Russia")
    with pytest.raises(KeyError):
        small_ledger.pledge("nope")
    with pytest.raises(NotFound, match="no occasion"):
        small_ledger.by_occasion("summit-2099")


def test_lineage_joins_renewals_both_ways(small_ledger: Ledger) -> None:
    assert [p.id for p in small_ledger.lineage("fta")] == ["fta", "fta-2025"]
    assert [p.id for p in small_ledger.lineage("fta-2025")] == ["fta", "fta-2025"]
    assert [p.id for p in small_ledger.linked_to("fta", LinkKind.RENEWS)] == ["fta-2025"]
    assert small_ledger.lineage("viettel") == (small_ledger.pledge("viettel"),)


def test_every_problem_is_reported_at_once_with_its_path(small_ledger: Ledger) -> None:
    fta = small_ledger.pledge("fta")
    broken = attrs.evolve(
        fta,
        made_by=("by", "ghost"),
        occasion="nowhere",
        links=(Link(LinkKind.RENEWS, "missing"),),
        history=(*fta.history, Update(D("2016-11"), "ratified", UpdateKind.SETBACK, EV)),
    )
    with pytest.raises(LedgerInvalid) as caught:
        small_ledger.evolve(pledges=(broken, broken, *small_ledger.pledges[1:]))
    found = {(p.where, p.message.split(" [")[0]) for p in caught.value.problems}
    assert ("$.pledges[1].id", "duplicate pledge id 'fta' (first at $.pledges[0])") in found
    assert ("$.pledges[0].made_by", "unknown actor 'ghost'") in found
    assert ("$.pledges[0].occasion", "unknown occasion 'nowhere'") in found
    assert ("$.pledges[0].links[0]", "unknown pledge 'missing'") in found
    assert (
        "$.pledges[0].history[3]",
        "pledge 'fta', update 3: move 'in-force' -> 'ratified' is not allowed (from 'in-force': "
        "terminated)",
    ) in found
    assert isinstance(caught.value, ValueError)


def test_references_and_names_must_resolve(small_ledger: Ledger) -> None:
    actors = (*small_ledger.actors, attrs.evolve(small_ledger.actors[0], id="vn2"))
    with pytest.raises(LedgerInvalid, match="answers to 'vietnam', as actor 'vn' does"):
        small_ledger.evolve(actors=actors)
    bad_source = attrs.evolve(
        small_ledger.pledges[2],
        history=(
            Update(D("2014-11-26"), "made", UpdateKind.MADE, (Evidence("elsewhere", quote="q"),)),
        ),
    )
    with pytest.raises(LedgerInvalid, match=r"unknown source 'elsewhere' @ \$.pledges\[2\]"):
        small_ledger.with_pledge(bad_source)
    search = Search("2025-11", ["Viet Nam News"], ["x"], sources=["nowhere"])
    with pytest.raises(
        LedgerInvalid, match=r"unknown source 'nowhere' @ \$.pledges\[2\].searches\[0\].sources"
    ):
        small_ledger.with_pledge(attrs.evolve(small_ledger.pledges[2], searches=(search,)))
    with pytest.raises(LedgerInvalid, match="unknown lifecycle 'mine'"):
        small_ledger.with_pledge(attrs.evolve(small_ledger.pledges[2], lifecycle="mine"))
    assert small_ledger.evolve(lifecycles=(DEFAULT,)).lifecycle("default") is DEFAULT
    with pytest.raises(LedgerInvalid, match="duplicate lifecycle id 'default'"):
        small_ledger.evolve(lifecycles=(attrs.evolve(DEFAULT, label="Mine"),))


def test_links_may_not_close_a_cycle(small_ledger: Ledger) -> None:
    viettel = small_ledger.pledge("viettel")
    other = attrs.evolve(
        viettel, id="viettel-2", links=(Link(LinkKind.RENEWS, "viettel"),), occasion=None
    )
    ledger = small_ledger.with_pledge(other)
    with pytest.raises(LedgerInvalid, match="links form a cycle: viettel -> viettel-2 -> viettel"):
        ledger.with_link("viettel", Link(LinkKind.SUPERSEDES, "viettel-2"))
    with pytest.raises(LedgerInvalid, match="already renews"):
        ledger.with_link("viettel-2", Link(LinkKind.RENEWS, "viettel"))


def test_with_methods_add_or_replace_records(small_ledger: Ledger) -> None:
    from pledges import Actor, Occasion

    ledger = small_ledger.with_actor(Actor("ru", "Russia")).with_source(
        Source("s2", "Another", url="https://example.org/2")
    )
    ledger = ledger.with_occasion(Occasion("o", "Talks", D("2030")))
    assert [a.id for a in ledger.actors][-1] == "ru"
    assert ledger.source("s2").title == "Another"
    renamed = ledger.with_actor(Actor("ru", "Russian Federation"))
    assert renamed.actor("ru").name == "Russian Federation"
    assert len(renamed.actors) == len(ledger.actors)
    with pytest.raises(LedgerInvalid, match="answers to 'vietnam'"):
        ledger.with_actor(Actor("vn2", "Vietnam"))


def test_the_repr_of_a_ledger_is_one_line(small_ledger: Ledger) -> None:
    assert repr(small_ledger) == "Ledger('Small', 3 pledges, 3 actors, 1 sources, 2 occasions)"


def test_a_link_cannot_point_forward_in_time_or_at_itself(small_ledger: Ledger) -> None:
    fta = small_ledger.pledge("fta")
    with pytest.raises(LedgerInvalid, match="which was made later"):
        small_ledger.with_pledge(attrs.evolve(fta, links=(Link(LinkKind.RENEWS, "fta-2025"),)))
    with pytest.raises(LedgerInvalid, match="links to itself"):
        small_ledger.with_pledge(attrs.evolve(fta, links=(Link(LinkKind.PART_OF, "fta"),)))


def test_with_update_checks_the_new_step(small_ledger: Ledger) -> None:
    step = Update(D("2030"), "terminated", UpdateKind.CLOSED, EV)
    assert small_ledger.with_update("fta", step).status_at("fta", "2031") == "terminated"
    assert small_ledger.status_at("fta", "2031") == "in-force"  # the original is unchanged
    with pytest.raises(LedgerInvalid, match="status 'signed' is not in lifecycle 'default'"):
        small_ledger.with_update("viettel", Update(D("2030"), "signed", UpdateKind.PROGRESS, EV))
    with pytest.raises(LedgerInvalid, match="move 'in-force' -> 'signed' is not allowed"):
        small_ledger.with_update("fta", Update(D("2030"), "signed", UpdateKind.SETBACK, EV))


def scan(pledge: Pledge, day: dt.date) -> str | None:
    """The status as of a day by the definition: the last update that counts, or that a
    later counting update implies."""
    counted = [i for i, u in enumerate(pledge.history) if u.date.reached_by(day)]
    return pledge.history[max(counted)].status if counted else None


def since_scan(pledge: Pledge, day: dt.date) -> PartialDate | None:
    """When the status as of a day began, by the definition: walk back from the last update
    in effect over the updates of the same status (reaffirmations)."""
    counted = [i for i, u in enumerate(pledge.history) if u.date.reached_by(day)]
    if not counted:
        return None
    first = max(counted)
    while first > 0 and pledge.history[first - 1].status == pledge.history[first].status:
        first -= 1
    return pledge.history[first].date


@given(ledgers(), st.data())
def test_status_at_and_since_agree_with_a_plain_scan(ledger: Ledger, data: st.DataObject) -> None:
    for _ in range(4):
        day = data.draw(days_near(ledger))
        for pledge in ledger.pledges:
            assert ledger.status_at(pledge, day) == scan(pledge, day)
            assert ledger.status_since(pledge, day) == since_scan(pledge, day)


def test_a_later_precise_update_implies_an_earlier_vague_one() -> None:
    """A year-precision update followed by a day inside that year: as of that day both
    count, though the year has not ended (the running minimum of the effect keys)."""
    history = (
        Update(D("2025"), "made", UpdateKind.MADE, EV),
        Update(D("2025-05-12"), "in-progress", UpdateKind.PROGRESS, EV),
    )
    pledge = Pledge("p", "T", "X", ("a",), history)
    assert scan(pledge, dt.date(2025, 5, 12)) == "in-progress"
    from pledges import Actor

    ledger = Ledger(
        "L", (Actor("a", "A"),), (Source("src", "S", url="https://x.org"),), (), (pledge,)
    )
    assert ledger.status_at("p", "2025-05-12") == "in-progress"
    assert ledger.status_at("p", "2025-05-11") is None
    assert ledger.updates_between("p", None, "2025-05-12") == history


def test_status_since_looks_through_reaffirmations(small_ledger: Ledger) -> None:
    fta = small_ledger.pledge("fta")
    again = Update(D("2025-05-12"), "in-force", UpdateKind.REAFFIRMED, EV)
    ledger = small_ledger.with_update("fta", again)
    assert ledger.status_since("fta", "2025-12-31") == fta.history[2].date


@given(ledgers(), st.data())
def test_updates_between_are_those_in_effect_at_the_end_but_not_the_start(
    ledger: Ledger, data: st.DataObject
) -> None:
    one, two = sorted([data.draw(days_near(ledger)), data.draw(days_near(ledger))])
    for pledge in ledger.pledges:
        then = sum(scan_count(pledge, two, i) for i in range(len(pledge.history)))
        before = sum(scan_count(pledge, one, i) for i in range(len(pledge.history)))
        assert ledger.updates_between(pledge, one, two) == pledge.history[before:then]


def scan_count(pledge: Pledge, day: dt.date, index: int) -> bool:
    """Whether update ``index`` is in effect as of ``day``: it or a later one has passed."""
    return any(u.date.reached_by(day) for u in pledge.history[index:])


@given(ledgers(), days(), days())
def test_a_later_as_of_never_unmakes_a_pledge(ledger: Ledger, one: dt.date, two: dt.date) -> None:
    early, late = sorted([one, two])
    assert set(ledger.statuses_at(early)) <= set(ledger.statuses_at(late))


@given(ledgers(), st.data())
def test_lineage_is_symmetric(ledger: Ledger, data: st.DataObject) -> None:
    if not ledger.pledges:
        return
    pledge = data.draw(st.sampled_from(ledger.pledges))
    for member in ledger.lineage(pledge):
        assert pledge in ledger.lineage(member)


@given(ledgers())
def test_cited_walks_every_piece_of_evidence_once_with_its_path(ledger: Ledger) -> None:
    walked = list(ledger.cited())
    assert len(walked) == sum(len(u.evidence) for p in ledger.pledges for u in p.history)
    for item in walked:
        i = ledger.pledges.index(item.pledge)
        assert item.where == f"$.pledges[{i}].history[{item.index}].evidence[{item.position}]"
        assert item.pledge.history[item.index].evidence[item.position] is item.evidence


def test_filters_together_give_what_each_gives_alone() -> None:
    ledger = load_bundled()
    occasions = [o.id for o in ledger.occasions if ledger.by_occasion(o.id)]
    for topic in ledger.topics:
        by_topic = set(ledger.select(topic=topic))
        for occasion in occasions:
            both = ledger.select(topic=topic, occasion=occasion)
            assert set(both) == by_topic & set(ledger.select(occasion=occasion))
        for actor in ("Belarus", "Vietnam"):
            both = ledger.select(topic=topic, actor=actor)
            assert set(both) == by_topic & set(ledger.select(actor=actor))
    assert ledger.by_actor("Belarus") == ledger.by_actor("Belarus", "any")


def test_known_at_reaches_every_status_query() -> None:
    ledger = load_bundled()
    as_of, known = "2025-05-12", "2016-01-01"
    expected = {p.id: ledger.status_at(p, as_of, known_at=known) for p in ledger.pledges}
    then = ledger.statuses_at(as_of, known_at=known)
    assert then == {k: v for k, v in expected.items() if v is not None}
    assert then != ledger.statuses_at(as_of)
    chosen = ledger.select(status="in-progress", as_of=as_of, known_at=known)
    assert [p.id for p in chosen] == [k for k, v in expected.items() if v == "in-progress"]
    assert chosen != ledger.select(status="in-progress", as_of=as_of)


def test_a_status_filter_names_the_statuses_and_needs_a_date() -> None:
    ledger = load_bundled()
    with pytest.raises(NotFound) as caught:
        ledger.select(status="kept", as_of="2025")
    assert "in-progress" in caught.value.known
    with pytest.raises(InvalidQuery, match=r"^a status filter needs a date \(as_of\)"):
        ledger.select(status="made")


def test_look_ups_that_match_nothing_say_what_they_looked_for(small_ledger: Ledger) -> None:
    with pytest.raises(NotFound) as caught:
        small_ledger.source("nope")
    assert (caught.value.kind, caught.value.key, caught.value.known) == ("source", "nope", ("src",))
    with pytest.raises(NotFound):
        small_ledger.actor(None)  # type: ignore[arg-type]


def test_each_cited_item_carries_its_update(small_ledger: Ledger) -> None:
    for cited in small_ledger.cited():
        assert cited.update is cited.pledge.history[cited.index]
        assert cited.evidence is cited.update.evidence[cited.position]


def test_news_is_known_from_the_earliest_last_day_of_its_dates(small_ledger: Ledger) -> None:
    update = small_ledger.pledges[0].history[0]
    year, month = PartialDate.parse("2025"), PartialDate.parse("2025-03")
    evidence = (
        attrs.evolve(update.evidence[0], published=year),
        attrs.evolve(update.evidence[0], published=month),
    )
    assert small_ledger.known_from(attrs.evolve(update, evidence=evidence)) == month
    assert small_ledger.known_from(attrs.evolve(update, evidence=evidence[::-1])) == month


def test_lineage_follows_renewals_and_successions_only(small_ledger: Ledger) -> None:
    part = small_ledger.pledges[2]
    linked = small_ledger.with_link(part.id, Link(LinkKind.PART_OF, small_ledger.pledges[0].id))
    assert part.id not in {p.id for p in linked.lineage(small_ledger.pledges[0].id)}


def test_a_ledger_iterates_over_and_contains_its_pledges(small_ledger: Ledger) -> None:
    assert list(small_ledger) == list(small_ledger.pledges)
    assert "fta" in small_ledger
    assert "nope" not in small_ledger


def test_look_ups_by_id_name_the_kind_they_looked_for(small_ledger: Ledger) -> None:
    for look_up, kind in ((small_ledger.pledge, "pledge"), (small_ledger.lifecycle, "lifecycle")):
        with pytest.raises(NotFound) as caught:
            look_up("nope")
        assert (caught.value.kind, caught.value.key) == (kind, "nope")


def test_updates_between_counts_only_news_known_by_then(small_ledger: Ledger) -> None:
    ledger, signing = late_news(small_ledger)
    assert ledger.updates_between("fta", "2014-12", "2015-06") == (signing,)
    assert ledger.updates_between("fta", "2014-12", "2015-06", known_at="2015-06-30") == ()


def test_an_actor_role_must_be_one_of_the_three(small_ledger: Ledger) -> None:
    assert [p.id for p in small_ledger.by_actor("Vietnam")] == ["fta", "fta-2025", "viettel"]
    assert [p.id for p in small_ledger.by_actor("Vietnam", "made_by")] == ["fta-2025"]
    with pytest.raises(InvalidQuery, match=r"^role 'maker' is not one of made_by, made_to, any$"):
        small_ledger.by_actor("Vietnam", "maker")  # type: ignore[arg-type]


def test_a_status_filter_narrows_the_other_filters(small_ledger: Ledger) -> None:
    chosen = small_ledger.select(topic="investment", status="made", as_of="2025-12-31")
    assert [p.id for p in chosen] == ["viettel"]
    both = small_ledger.select(actor="Vietnam", occasion="visit-2025", status="made", as_of="2026")
    assert [p.id for p in both] == ["fta-2025"]


def test_a_link_already_there_is_refused_without_a_place(small_ledger: Ledger) -> None:
    with pytest.raises(LedgerInvalid) as caught:
        small_ledger.with_link("fta-2025", Link(LinkKind.RENEWS, "fta"))
    assert [(p.where, p.message) for p in caught.value.problems] == [
        ("", "pledge 'fta-2025' already renews 'fta'")
    ]
