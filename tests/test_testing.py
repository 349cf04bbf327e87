"""The testing kit itself: its strategies agree with the checker and shrink to small examples."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings

from pledges import DEFAULT, Ledger, Pledge, Update
from pledges.testing import (
    days_near,
    histories,
    hostile_ledger,
    ledgers,
    partial_dates,
    pledge_records,
)

SHRINK = settings(database=None, phases=[Phase.generate, Phase.shrink])  # no explain phase


@pytest.mark.slow  # shrinking a whole ledger takes seconds: CI's deeper step
def test_ledgers_shrink_to_a_small_readable_example() -> None:
    smallest = find(ledgers(), lambda ledger: len(ledger.pledges) >= 1, settings=SHRINK)
    (pledge,) = smallest.pledges
    assert len(pledge.id) <= 4
    assert len(pledge.history) == 1
    assert len(smallest.actors) <= 2  # the maker, and at most one other (drawn with its index)
    assert len(smallest.sources) == 1


def test_histories_shrink_to_the_making_alone() -> None:
    smallest = find(histories(DEFAULT), lambda history: True, settings=SHRINK)
    assert [u.status for u in smallest] == ["made"]


def test_partial_dates_shrink_to_an_exact_day() -> None:
    assert str(find(partial_dates(), lambda d: True, settings=SHRINK)) == "2000-01-01"


@given(ledgers())
def test_generated_ledgers_are_valid(ledger: Ledger) -> None:
    for pledge in ledger.pledges:
        assert ledger.lifecycle_of(pledge).violations(pledge.history) == ()


@given(pledge_records())
def test_generated_pledges_keep_the_default_rules(pledge: Pledge) -> None:
    assert DEFAULT.violations(pledge.history) == ()
    assert all(isinstance(u, Update) for u in pledge.history)


def test_days_near_draws_on_and_beside_every_date_of_the_ledger(small_ledger: Ledger) -> None:
    update = small_ledger.pledge("fta").history[2]  # dated 2016-10: a month
    edges = {update.date.first_ordinal + d for d in (-1, 0, 1)}
    edges |= {update.date.last_ordinal + d for d in (-1, 0, 1)}
    seen: set[int] = set()

    @settings(max_examples=600, database=None)
    @given(days_near(small_ledger))
    def draw(day: dt.date) -> None:
        seen.add(day.toordinal())

    draw()
    assert edges <= seen


def _texts(record: Any) -> list[str]:
    """Every text field of a record and the records inside it (ids, addresses, hashes and
    language tags aside)."""
    skip = {
        "id",
        "url",
        "sha256",
        "language",
        "path",
        "status",
        "source",
        "pledge",
        "initial",
        "lifecycle",
        "occasion",
        "made_by",
        "made_to",
        "participants",
        "to",
        "reopen_to",
        "was",
    }
    found: list[str] = []
    for field in attrs.fields(type(record)):
        if not field.init or field.name in skip:
            continue
        value = getattr(record, field.name)
        values = value if isinstance(value, tuple) else (value,)
        if field.name == "sources" and all(isinstance(v, str) for v in values):
            continue  # a search's or a correction's sources: ids
        for item in values:
            if isinstance(item, Enum):
                continue
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, tuple):
                found += [x for x in item if isinstance(x, str)]
            elif attrs.has(type(item)):
                found += _texts(item)
    return found


def test_a_hostile_ledger_holds_its_payload_in_every_text_field() -> None:
    ledger = hostile_ledger("<PAYLOAD>")
    texts = _texts(ledger)
    assert len(texts) > 40
    assert all("<PAYLOAD>" in text for text in texts), [t for t in texts if "<PAYLOAD>" not in t]
