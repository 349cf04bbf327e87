"""The reader's vocabulary, phrase by phrase (pledges.present.phrases): each shape a phrase
can take, word for word."""

from __future__ import annotations

import attrs
import pytest

from pledges import PartialDate, load_bundled
from pledges.model import Alternative, Confidence, Evidence, Update, UpdateKind
from pledges.present.phrases import cite, doubt, human_date, move
from pledges.presets import DEFAULT, PRESETS

BUNDLED = load_bundled()
TREATY = PRESETS["treaty"]
SOURCE = BUNDLED.sources[0]  # Nghe An newspaper (English edition), citing VOV; 2014-11


@pytest.mark.parametrize(
    ("lifecycle", "before", "after", "words"),
    [
        (DEFAULT, None, "made", "made"),
        (TREATY, None, "negotiating", "made (Negotiating)"),
        (DEFAULT, "made", "made", "still Made"),
        (DEFAULT, "made", "in-progress", "Made → In progress"),
    ],
)
def test_a_move_in_words(lifecycle: object, before: str | None, after: str, words: str) -> None:
    assert move(lifecycle, before, after) == words  # type: ignore[arg-type]


def test_a_making_in_a_status_labelled_made_in_another_case_reads_made() -> None:
    shouting = attrs.evolve(
        DEFAULT,
        statuses=tuple(
            attrs.evolve(s, label="MADE") if s.id == "made" else s for s in DEFAULT.statuses
        ),
    )
    assert move(shouting, None, "made") == "made"


def _update(**fields: object) -> Update:
    evidence = (Evidence(SOURCE.id, summary="s"),)
    return Update(PartialDate.parse("2015"), "in-progress", UpdateKind.PROGRESS, evidence, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("update", "words"),
    [
        (None, None),
        (_update(), None),
        (_update(confidence=Confidence.MEDIUM), "medium confidence"),
        (
            _update(alternative=Alternative("made", "forums only")),
            "could also be Made: forums only",
        ),
        (
            _update(confidence=Confidence.LOW, alternative=Alternative("made", "forums only")),
            "low confidence; could also be Made: forums only",
        ),
    ],
)
def test_how_contestable_a_call_is(update: Update | None, words: str | None) -> None:
    assert doubt(DEFAULT, update) == words


def test_a_citation_names_the_outlet_and_the_most_precise_date() -> None:
    outlet = "Nghe An newspaper (English edition), citing VOV"
    assert cite(BUNDLED, SOURCE.id) == f"{outlet}, 2014-11"  # the source's own date
    assert cite(BUNDLED, Evidence(SOURCE.id, summary="s")) == f"{outlet}, 2014-11"
    dated = Evidence(SOURCE.id, summary="s", published=PartialDate.parse("2014-11-27"))
    assert cite(BUNDLED, dated) == f"{outlet}, 2014-11-27"  # the evidence's, when it has one
    undated = BUNDLED.evolve(
        sources=tuple(
            attrs.evolve(s, published=None, outlet=None) if s.id == SOURCE.id else s
            for s in BUNDLED.sources
        )
    )
    assert cite(undated, SOURCE.id) == SOURCE.title  # no outlet: the headline; no date
    assert cite(undated, dated) == f"{SOURCE.title}, 2014-11-27"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2025", "2025 (year only)"),
        ("2024-10", "October 2024 (month only)"),
        ("2025-05-12", "12 May 2025"),
        ("2014-11-26..27", "26 or 27 November 2014"),
        ("2023-12-06..09", "6–9 December 2023"),
    ],
)
def test_a_date_in_words(text: str, words: str) -> None:
    assert human_date(PartialDate.parse(text)) == words
    assert human_date(None) == ""
