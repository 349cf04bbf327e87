"""What every importer shares: ids made from titles, ids kept or cleaned, the web sources
a tracker cites, a history replayed under a lifecycle, and the problems located by row."""

from __future__ import annotations

import hashlib

import pytest

from pledges import Evidence, InvalidField, LoadError, PartialDate, Problem, UpdateKind
from pledges.errors import InvalidQuery, NotFound
from pledges.importers._common import (
    Collector,
    IdPolicy,
    Ids,
    UnmappedStatuses,
    listed,
    replay,
    slug,
    status_mapping,
    url_source,
)
from pledges.lifecycle import Lifecycle
from pledges.presets import DEFAULT, TREATY

EV = (Evidence("src", summary="s"),)


def test_a_slug_is_ascii_words_cut_at_a_boundary_past_the_limit() -> None:
    assert slug("  — Đường sắt: 2 tuyến! —  ") == "duong-sat-2-tuyen"
    assert slug("!!!") == ""
    words = "-".join(["abcd"] * 12)  # 59 characters
    assert slug(words + "e") == words + "e"  # 60: kept whole
    assert slug(words + "ef") == "-".join(["abcd"] * 11)  # 61: cut at the last boundary
    assert slug("x" * 61) == "x" * 61  # no boundary to cut at


def test_ids_kept_cleaned_or_derived_each_once_with_what_changed_noted() -> None:
    keep = Ids(IdPolicy.KEEP)
    assert keep.take("a-1", "T", "row 2", []) == "a-1"
    with pytest.raises(InvalidQuery, match=r"^blank id \(--ids derive makes ids from titles\)$"):
        keep.take("", "T", "row 3", [])
    with pytest.raises(InvalidQuery, match=r"^'a b' is not an id"):
        keep.take("a b", "T", "row 4", [])
    with pytest.raises(InvalidQuery, match=r"^duplicate id 'a-1', first at row 2 "):
        keep.take("a-1", "T", "row 5", [])
    notes: list[str] = []
    clean = Ids(IdPolicy.CLEAN)
    assert [clean.take(g, "T", f"row {i}", notes) for i, g in enumerate(["a b", "a-b", "ok"])] == [
        "a-b",
        "a-b-2",
        "ok",
    ]
    assert notes == ["row 0: id 'a b' became 'a-b'", "row 1: id 'a-b' became 'a-b-2'"]
    notes.clear()
    derive = Ids(IdPolicy.DERIVE, "promise")
    made = [
        derive.take("", t, f"row {i}", notes) for i, t in enumerate(["Build it", "Build it", "!"])
    ]
    assert made == ["build-it", "build-it-2", "promise"]
    assert notes == ["row 1: id 'build-it' was taken; this one is 'build-it-2'"]


def test_actors_are_made_once_a_name_and_sources_once_an_address() -> None:
    collector = Collector("t.csv", lenient=False)
    assert collector.actor("The Mayor") == collector.actor("The Mayor") == "the-mayor"
    assert collector.actor("The Mayor!") == "the-mayor-2"
    sources: dict[str, object] = {}
    source = url_source(sources, "https://www.example.org/a?b=1")  # type: ignore[arg-type]
    assert source.id == "url-" + hashlib.sha1(b"https://www.example.org/a?b=1").hexdigest()[:10]
    assert (source.title, source.outlet, source.url) == (
        "https://www.example.org/a?b=1",
        "example.org",
        "https://www.example.org/a?b=1",
    )
    assert url_source(sources, "https://www.example.org/a?b=1") is source  # type: ignore[arg-type]
    with pytest.raises(InvalidField):
        url_source({}, "not an address")
    with pytest.raises(InvalidField):
        url_source({}, "https://example.org/\ud800")  # hashed, then refused as an address


def test_a_collector_in_strict_mode_raises_every_problem_under_its_file_name() -> None:
    collector = Collector("t.csv", lenient=False)
    collector.problem("row 2", "no title")
    with pytest.raises(LoadError) as caught:
        collector.result(None, DEFAULT)
    assert (caught.value.source, caught.value.problems) == (
        "t.csv",
        (Problem("row 2", "no title"),),
    )
    collector.unmapped = (("Done!", 3),)
    with pytest.raises(UnmappedStatuses) as unmapped:
        collector.result(None, DEFAULT)
    assert (unmapped.value.source, unmapped.value.names) == ("t.csv", (("Done!", 3),))


def _day(n: int) -> PartialDate:
    return PartialDate(2020, 1, n)


def test_a_replayed_history_names_each_kind_of_step_and_locates_each_refused_one() -> None:
    steps = [
        (_day(1), "in-progress", EV, "made and begun"),
        (_day(2), "in-progress", EV, None),
        (_day(3), "fulfilled", EV, None),
        (_day(4), "made", EV, None),  # out of a final status: refused
        (_day(5), "broken", EV, None),  # refused too: the replay goes on after a refusal
    ]
    history, problems = replay("p", steps, DEFAULT, "row 7")
    assert [(u.date, u.status, u.kind, u.note) for u in history] == [
        (_day(1), "made", UpdateKind.MADE, "made and begun"),
        (_day(1), "in-progress", UpdateKind.PROGRESS, "made and begun"),
        (_day(2), "in-progress", UpdateKind.REAFFIRMED, None),
        (_day(3), "fulfilled", UpdateKind.PROGRESS, None),
    ]
    refused = (
        "pledge 'p', update 4: final status 'fulfilled' cannot be reopened to '{}' "
        "(it may be reopened to in-progress) [move]"
    )
    assert problems == [
        Problem("row 7, step 3", refused.format("made")),
        Problem("row 7, step 4", refused.format("broken")),
    ]
    treaty, _ = replay("t", [(_day(1), "negotiating", EV, None)], TREATY, "row 1")
    assert [u.kind for u in treaty] == [UpdateKind.MADE]


def test_a_move_out_of_a_final_status_it_may_reopen_is_a_reopening() -> None:
    lifecycle = Lifecycle.from_data(
        {
            "id": "x",
            "label": "X",
            "initial": "open",
            "statuses": [
                {"id": "open", "label": "Open", "kind": "open", "to": ["done"]},
                {"id": "done", "label": "Done", "kind": "fulfilled", "final": True,
                 "reopen_to": ["open"]},
            ],
        }
    )  # fmt: skip
    steps = [(_day(1), "open", EV, None), (_day(2), "done", EV, None), (_day(3), "open", EV, None)]
    history, problems = replay("p", steps, lifecycle, "row 1")
    assert problems == []
    assert [u.kind for u in history] == [UpdateKind.MADE, UpdateKind.PROGRESS, UpdateKind.REOPENED]


def test_places_are_listed_up_to_eight_then_counted() -> None:
    assert listed([2]) == "row 2"
    assert listed([2, 5, 9]) == "rows 2, 5 and 9"
    assert listed(list(range(1, 9))) == "rows 1, 2, 3, 4, 5, 6, 7 and 8"
    assert listed(list(range(1, 10)), "line") == "lines 1, 2, 3, 4, 5, 6, 7, 8 and 1 more"


def test_a_status_mapping_is_keyed_as_cells_are_read_and_each_target_checked() -> None:
    assert status_mapping({" Done ": "in-progress", "": "made"}, DEFAULT) == {
        "Done": "in-progress",
        "": "made",
    }
    with pytest.raises(NotFound) as missing:
        status_mapping({"Done": "done"}, DEFAULT)
    assert str(missing.value).startswith(
        "no status of lifecycle 'default' (in statuses, for 'Done') 'done'"
    )
    with pytest.raises(InvalidQuery) as clash:
        status_mapping({"+1": "made", "+ 1": "in-progress"}, DEFAULT)
    assert str(clash.value) == (
        "statuses: '+ 1' and another name read alike ('+1') but map onto 'made' and 'in-progress'"
    )
