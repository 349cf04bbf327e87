"""The record classes: values checked when built, frozen, changed by evolve."""

from __future__ import annotations

import attrs
import pytest

from pledges import (
    Actor,
    Evidence,
    HistoryError,
    Occasion,
    PartialDate,
    Pledge,
    Rule,
    Source,
    Update,
    UpdateKind,
)
from pledges.model import fold

D = PartialDate.parse
EV = (Evidence("src", quote="q"),)


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("Tô Lâm", "To Lam"),
        ("VIỆT NAM", "viet nam"),
        ("Nguyễn  Phú Trọng", "nguyen phu trong"),
        ("Đà Nẵng", "da nang"),
        ("Aleksandr", "ALEKSANDR"),
    ],
)
def test_folding_ignores_case_diacritics_and_spacing(name: str, wanted: str) -> None:
    assert fold(name) == fold(wanted)


def test_an_actor_answers_to_its_id_name_and_every_alias() -> None:
    lam = Actor("to-lam", "To Lam", aliases=("Tô Lâm", "General Secretary Lâm"))
    assert lam.answers_to("tô lâm")
    assert lam.answers_to("TO-LAM")
    assert lam.answers_to("general secretary lam")
    assert not lam.answers_to("Lukashenko")


def test_records_are_frozen_and_change_by_evolve() -> None:
    actor = Actor("by", "Belarus")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        actor.name = "Belarus!"  # type: ignore[misc]
    assert attrs.evolve(actor, aliases=["Republic of Belarus"]).aliases == ("Republic of Belarus",)


@pytest.mark.parametrize("bad", ["", "has space", "-lead", "é"])
def test_ids_must_be_simple(bad: str) -> None:
    with pytest.raises(ValueError, match="'id' must be an id"):
        Actor(bad, "Name")


def test_a_lone_string_is_not_taken_for_a_list_of_letters() -> None:
    with pytest.raises(TypeError, match="got the string"):
        Actor("vn", "Vietnam", aliases="Việt Nam")


def test_an_update_without_evidence_is_refused_naming_the_evidence_rule() -> None:
    with pytest.raises(HistoryError) as caught:
        Update(D("2025"), "made", UpdateKind.MADE, ())
    assert caught.value.rule is Rule.EVIDENCE


def test_evidence_needs_a_quote_or_a_summary() -> None:
    with pytest.raises(ValueError, match="needs a 'quote' or a 'summary'"):
        Evidence("src")
    assert Evidence("src", summary="The page reports it.").quote is None


def test_a_local_source_must_be_pinned_by_its_hash() -> None:
    with pytest.raises(ValueError, match="no 'sha256'"):
        Source("s", "Title", path="000.txt")
    with pytest.raises(ValueError, match="needs a 'url' or a local 'path'"):
        Source("s", "Title")
    with pytest.raises(ValueError, match="64 lower-case hex"):
        Source("s", "Title", url="https://x", sha256="ABC")


def test_a_pledge_needs_its_making_and_a_maker() -> None:
    with pytest.raises(ValueError, match="at least one update"):
        Pledge("p", "T", "X", ("a",), ())
    with pytest.raises(ValueError, match="names no actor"):
        Pledge("p", "T", "X", (), (Update(D("2025"), "made", UpdateKind.MADE, EV),))


def test_a_pledge_knows_when_it_was_made_and_where_it_stands() -> None:
    pledge = Pledge(
        "p",
        "T",
        "X",
        ("a",),
        (
            Update(D("2014-11-26"), "made", UpdateKind.MADE, EV),
            Update(D("2016"), "fulfilled", UpdateKind.PROGRESS, EV),
        ),
    )
    assert pledge.made_on == D("2014-11-26")
    assert pledge.status == "fulfilled"
    assert pledge.updates_between("2015-01-01", "2016-12-31") == pledge.history[1:]
    assert pledge.updates_between("2015-01-01", "2016-06-30") == ()


def test_an_occasion_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends"):
        Occasion("o", "T", D("2025-05-12"), D("2025-05-11"))
    assert Occasion("o", "T", D("2025-05-11"), D("2025-05-12")).last == D("2025-05-12")
