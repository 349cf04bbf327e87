"""The record classes: every field checked or converted when built, errors that carry their
data, frozen records changed by evolve."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given

from pledges import (
    Actor,
    ActorKind,
    Evidence,
    FieldTypeError,
    HistoryError,
    InvalidField,
    Link,
    LinkKind,
    Occasion,
    PartialDate,
    Pledge,
    PledgeKind,
    Rule,
    Search,
    Source,
    Update,
    UpdateKind,
)
from pledges.model import fold
from pledges.testing import hostile_texts

D = PartialDate.parse
EV = (Evidence("src", quote="q"),)


def made(date: str = "2025") -> Update:
    return Update(D(date), "made", UpdateKind.MADE, EV)


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


def test_text_values_are_converted_to_dates_and_kinds() -> None:
    update = Update("2025-05-12", "made", "made", [Evidence("src", quote="q")])
    assert update.date == PartialDate(2025, 5, 12)
    assert update.kind is UpdateKind.MADE
    assert update.evidence == EV
    assert Link("renews", "p").kind is LinkKind.RENEWS
    assert Actor("a", "A", kind="person").kind is ActorKind.PERSON


# Each case: a record built with one bad field, and the (record, field, value) the error names.
BAD_FIELDS: dict[str, tuple[Any, tuple[str, str, object], type[Exception]]] = {
    "an update's date as a number": (
        lambda: Update(20250101, "made", UpdateKind.MADE, EV),  # type: ignore[arg-type]
        ("Update", "date", 20250101),
        FieldTypeError,
    ),
    "an update's kind that is no kind": (
        lambda: Update(D("2025"), "made", "kept", EV),
        ("Update", "kind", "kept"),
        InvalidField,
    ),
    "evidence that is not evidence": (
        lambda: Update(D("2025"), "made", UpdateKind.MADE, ("a quote",)),
        ("Update", "evidence", "a quote"),
        FieldTypeError,
    ),
    "a status that is no id": (
        lambda: Update(D("2025"), "in progress", UpdateKind.MADE, EV),
        ("Update", "status", "in progress"),
        InvalidField,
    ),
    "a pledge's title of None": (
        lambda: Pledge("p", None, "X", ("a",), (made(),)),  # type: ignore[arg-type]
        ("Pledge", "title", None),
        FieldTypeError,
    ),
    "a title that is only invisible characters": (
        lambda: Pledge("p", "\u200b\u2060 ", "X", ("a",), (made(),)),
        ("Pledge", "title", "\u200b\u2060 "),
        InvalidField,
    ),
    "a title with a lone surrogate": (
        lambda: Pledge("p", "bad \ud800", "X", ("a",), (made(),)),
        ("Pledge", "title", "bad \ud800"),
        InvalidField,
    ),
    "a history that is not updates": (
        lambda: Pledge("p", "T", "X", ("a",), ("made",)),
        ("Pledge", "history", "made"),
        FieldTypeError,
    ),
    "a blank alias": (
        lambda: Actor("a", "A", aliases=(" ",)),
        ("Actor", "aliases", " "),
        InvalidField,
    ),
    "an alias with spaces around it": (
        lambda: Actor("a", "A", aliases=(" Viet Nam",)),
        ("Actor", "aliases", " Viet Nam"),
        InvalidField,
    ),
    "a javascript: address": (
        lambda: Source("s", "T", url="javascript:alert(1)"),
        ("Source", "url", "javascript:alert(1)"),
        InvalidField,
    ),
    "a path with a NUL byte": (
        lambda: Source("s", "T", path="a\x00b", sha256="0" * 64),
        ("Source", "path", "a\x00b"),
        InvalidField,
    ),
    "a path out of its folder": (
        lambda: Source("s", "T", path="../secret", sha256="0" * 64),
        ("Source", "path", "../secret"),
        InvalidField,
    ),
    "a hash in capitals": (
        lambda: Source("s", "T", url="https://x.org", sha256="AB" * 32),
        ("Source", "sha256", "AB" * 32),
        InvalidField,
    ),
    "a language that is no tag": (
        lambda: Source("s", "T", url="https://x.org", language="English"),
        ("Source", "language", "English"),
        InvalidField,
    ),
    "an occasion's start as a float": (
        lambda: Occasion("o", "T", 2025.5),  # type: ignore[arg-type]
        ("Occasion", "start", 2025.5),
        FieldTypeError,
    ),
    "a topic with spaces around it": (
        lambda: Pledge("p", "T", "X", ("a",), (made(),), topics=(" trade",)),
        ("Pledge", "topics", " trade"),
        InvalidField,
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FIELDS))
def test_a_bad_field_raises_an_error_naming_the_record_the_field_and_the_value(case: str) -> None:
    build, (record, field, value), error = BAD_FIELDS[case]
    with pytest.raises(error) as caught:
        build()
    found = caught.value
    assert isinstance(found, InvalidField)
    assert (found.record, found.field, found.value) == (record, field, value)
    assert str(found).startswith(f"{record}.{field} must be ")
    assert isinstance(found, ValueError)
    assert isinstance(found, TypeError) == (error is FieldTypeError)


def test_a_ledger_of_bad_values_fails_when_built_not_later() -> None:
    from pledges import Ledger

    with pytest.raises(FieldTypeError) as caught:
        Ledger(None)  # type: ignore[arg-type]
    assert (caught.value.record, caught.value.field) == ("Ledger", "title")
    with pytest.raises(FieldTypeError, match=r"Ledger\.pledges must be a tuple of Pledge"):
        Ledger("T", pledges=("p",))


@pytest.mark.parametrize("bad", ["", "has space", "-lead", "é", "ａ"])
def test_ids_must_be_simple(bad: str) -> None:
    with pytest.raises(InvalidField, match=r"Actor\.id must be an id") as caught:
        Actor(bad, "Name")
    assert caught.value.value == bad


def test_a_lone_string_is_not_taken_for_a_list_of_letters() -> None:
    with pytest.raises(FieldTypeError, match="a sequence"):
        Actor("vn", "Vietnam", aliases="Việt Nam")


def test_an_update_without_evidence_is_refused_naming_the_evidence_rule() -> None:
    with pytest.raises(HistoryError) as caught:
        Update(D("2025"), "made", UpdateKind.MADE, ())
    assert caught.value.rule is Rule.EVIDENCE


def test_evidence_needs_a_quote_or_a_summary() -> None:
    with pytest.raises(InvalidField, match=r"Evidence\.summary must be given when there is no"):
        Evidence("src")
    assert Evidence("src", summary="The page reports it.").quote is None


def test_a_local_source_must_be_pinned_by_its_hash() -> None:
    with pytest.raises(InvalidField, match="'path'"):
        Source("s", "Title", path="000.txt")
    with pytest.raises(InvalidField, match=r"Source\.url must be given"):
        Source("s", "Title")
    assert Source("s", "Title", path="texts/000.txt", sha256="0" * 64).url is None


def test_a_pledge_needs_its_making_and_a_maker() -> None:
    with pytest.raises(InvalidField, match="at least one update"):
        Pledge("p", "T", "X", ("a",), ())
    with pytest.raises(InvalidField, match="at least one actor"):
        Pledge("p", "T", "X", (), (made(),))


def test_extra_fields_are_name_text_pairs_in_order() -> None:
    pledge = Pledge("p", "T", "X", ("a",), (made(),), extra={"Ministry": "Trade", "Page": "12"})
    assert pledge.extra == {"Ministry": "Trade", "Page": "12"}
    assert list(pledge.extra) == ["Ministry", "Page"]
    with pytest.raises(InvalidField, match="a name given once"):
        Pledge("p", "T", "X", ("a",), (made(),), extra=[("a", "1"), ("a", "2")])


def test_a_search_names_where_it_looked() -> None:
    search = Search("2025-11", ["Viet Nam News"], ["Viettel Belarus"], found=None)
    assert search.on == PartialDate(2025, 11)
    with pytest.raises(InvalidField, match=r"Search\.where must be at least one"):
        Search("2025-11", [], ["x"])


def test_an_occasion_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidField, match="on or after its start"):
        Occasion("o", "T", D("2025-05-12"), D("2025-05-11"))
    assert Occasion("o", "T", D("2025-05-11"), D("2025-05-12")).last == D("2025-05-12")


def test_pledge_kinds_are_the_research_group_s() -> None:
    assert [k.value for k in PledgeKind] == [
        "commitment",
        "offer",
        "request",
        "invitation",
        "agreement",
    ]


@given(hostile_texts())
def test_any_visible_text_is_accepted_as_it_is(text: str) -> None:
    """Hostile text is data like any other: it is kept exactly, and made inert on output."""
    actor = Actor("a", text + "·")
    assert actor.name == text + "·"
