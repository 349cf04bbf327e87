"""Tests for the mutants of the edges that survived the whole suite in the code review (issue
21), one each: the module's behaviour at the point each mutant changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import attrs
import pytest

from pledges import LoadError, PledgesError, Search, load_bundled
from pledges.database import to_sqlite
from pledges.diff import compare
from pledges.edits import EditKind, changes
from pledges.importers._common import IdPolicy, Ids, slug
from pledges.lifecycle import Lifecycle, Status
from pledges.present.report import calls_table, diff_document
from pledges.serialization import MAX_KEY_PARTS, loads
from pledges.site.pages import Pages

BUNDLED = load_bundled()


def test_a_toml_key_of_the_most_parts_is_read_and_one_more_is_refused() -> None:
    def text(parts: int) -> str:
        return f'schema_version = 1\ntitle = "T"\n{".".join(["a"] * parts)} = 1\n'

    with pytest.raises(LoadError, match=r"unknown key 'a'"):
        loads(text(MAX_KEY_PARTS))  # read, then refused as an unknown key
    with pytest.raises(LoadError, match=rf"a key of {MAX_KEY_PARTS + 1} dotted parts"):
        loads(text(MAX_KEY_PARTS + 1))


def test_the_latest_search_is_the_one_cited() -> None:
    row = next(r for r in compare(BUNDLED).rows if r.pledge.searches and not r.updates)
    pledge = row.pledge
    first = Search("2019", ["An old archive"], ["x"], found="an older finding")
    moved = attrs.evolve(pledge, searches=(first, *pledge.searches))
    ledger = BUNDLED.with_pledge(moved)
    calls = calls_table(ledger, compare(ledger))
    (cited,) = [r[2] for r in calls.rows if r[0] == pledge.id]
    assert "An old archive" not in str(cited)
    assert str(pledge.searches[-1].on) in str(cited)
    shown = "".join(
        line.text
        for e in diff_document(ledger, compare(ledger)).sections[0].entries
        for line in e.lines
    )
    assert "An old archive" not in shown


def test_three_equal_titles_get_three_ids() -> None:
    ids = Ids(IdPolicy.DERIVE)
    notes: list[str] = []
    made = [ids.take("", "Cut taxes", f"row {n}", notes) for n in (2, 3, 4)]
    assert made == ["cut-taxes", "cut-taxes-2", "cut-taxes-3"]
    assert len(notes) == 2


def test_a_slug_keeps_whole_words_up_to_its_limit() -> None:
    assert slug("Build a new bridge over the river", limit=20) == "build-a-new-bridge"
    assert slug("Build a new bridge over the river", limit=18) == "build-a-new-bridge"
    assert slug("Build a new bridge over the river", limit=17) == "build-a-new"
    assert slug("Đường mới, Tô Lâm") == "duong-moi-to-lam"


def test_a_change_is_written_only_when_it_reads_back_as_the_api_made_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pledges import curate
    from pledges.model import Actor

    hand = Path(__file__).resolve().parent / "data" / "hand-kept.toml"
    path = tmp_path / "hand-kept.toml"
    path.write_bytes(hand.read_bytes())
    before = path.read_bytes()
    real = curate._snippet

    def wrong(data: dict[str, object], *keys: str | int) -> object:
        item = real(data, *keys)
        item["name"] = "Someone else"  # placed wrongly: the read-back must catch it
        return item

    monkeypatch.setattr(curate, "_snippet", wrong)
    with pytest.raises(PledgesError, match="cannot be laid into the file's own layout"):
        curate.add_actor(path, Actor("new-actor", "New actor"))
    assert path.read_bytes() == before


def test_a_move_sideways_is_no_regression() -> None:
    level = Lifecycle(
        "level",
        "Level",
        (
            Status("open", "Open", to=("a",)),
            Status("a", "A", score=0, rank=1, to=("b",)),
            Status("b", "B", score=0, rank=1, to=("a",)),
        ),
        "open",
    )
    from tests.test_diff import one_pledge_ledger

    old = one_pledge_ledger(level, "a")
    new = one_pledge_ledger(level, "a", "b")
    (moved,) = [e for e in changes(old, new) if e.kind is EditKind.STATUS_MOVED]
    assert not moved.regression
    back = one_pledge_ledger(Lifecycle("level", "Level", level.statuses, "open"), "a", "b")
    assert not any(e.regression for e in changes(new, back))


def test_the_database_keeps_each_source_field_in_its_column() -> None:
    db = sqlite3.connect(":memory:")
    db.deserialize(to_sqlite(BUNDLED))
    for source in BUNDLED.sources:
        row = db.execute(
            "SELECT title, outlet, url, language, path FROM sources WHERE id = ?", (source.id,)
        ).fetchone()
        assert row == (source.title, source.outlet, source.url, source.language, source.path)


def test_the_chart_ends_with_the_year_of_its_day() -> None:
    points = Pages(BUNDLED).shares()
    assert points[-1].label.startswith(str(BUNDLED.latest.year))  # type: ignore[union-attr]
    assert points[0].label == str(min(p.made_on.year for p in BUNDLED.pledges))
