"""Importers: TrumpTracker (a real tracker) and a hostile CSV file; nothing silently dropped."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from pledges import DEFAULT, Evidence, LoadError, PartialDate, load, save
from pledges.cli import main
from pledges.importers import (
    TRUMPTRACKER_STATUSES,
    TRUMPTRACKER_TO_DEFAULT,
    Columns,
    import_csv,
    import_trumptracker,
    replay,
)

TRACKER = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "trumptracker"
needs_tracker = pytest.mark.skipif(
    not TRACKER.is_dir(), reason=f"the TrumpTracker data is not at {TRACKER}"
)


@needs_tracker
def test_trumptracker_imports_174_promises_with_its_counts(tmp_path: Path) -> None:
    result = import_trumptracker(TRACKER)
    assert len(result.ledger.pledges) == 174
    assert result.problems == ()
    assert len(result.notes) == 27  # lineages the tracker removed or merged, listed
    path = tmp_path / "tt.toml"
    save(result.ledger, path)
    out = io.StringIO()
    assert main(["summary", str(path), "--as-of", "2018-08-28", "--format", "json"], out) == 0
    import json

    counts = json.loads(out.getvalue())["by_status"]
    assert counts == {
        "TrumpTracker: Not started": 84,
        "TrumpTracker: Broken": 43,
        "TrumpTracker: Achieved": 21,
        "TrumpTracker: In progress": 18,
        "TrumpTracker: Compromised": 8,
    }
    assert load(path) == result.ledger


@needs_tracker
def test_every_history_is_rebuilt_from_the_tracker_s_git_history() -> None:
    ledger = import_trumptracker(TRACKER).ledger
    data = yaml.safe_load((TRACKER / "data.yaml").read_text(encoding="utf-8"))
    final = {p["url"]: TRUMPTRACKER_STATUSES[p["status"]] for p in data["promises"]}
    rows: dict[str, list[dict[str, str]]] = {}
    with (TRACKER / "status_history.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["in_final_file"] == "True":
                rows.setdefault(row["final_url"], []).append(row)
    by_url = {p.history[0].evidence[1].source: p for p in ledger.pledges}
    assert len(by_url) == 174
    for pledge in ledger.pledges:
        url = ledger.source(pledge.history[0].evidence[1].source).url
        assert url is not None
        steps = sorted(rows[url], key=lambda r: r["commit_date"])
        statuses = [TRUMPTRACKER_STATUSES[r["to_status"]] for r in steps]
        rebuilt = [u.status for u in pledge.history]
        if rebuilt[0] != statuses[0]:  # first seen in a status other than the initial one
            rebuilt = rebuilt[1:]
        assert rebuilt == statuses
        assert pledge.status == final[url]
        for update, row in zip(pledge.history[-len(steps) :], steps, strict=True):
            day = PartialDate.parse(row["commit_date"][:10])
            assert update.date == day
            assert ledger.known_from(update) == day  # the commit date is a "known at" date
            assert row["commit"][:10] in update.evidence[0].source


@needs_tracker
def test_forbidden_moves_under_the_default_lifecycle_are_listed_not_lost() -> None:
    with pytest.raises(LoadError) as caught:
        import_trumptracker(TRACKER, lifecycle=DEFAULT, statuses=TRUMPTRACKER_TO_DEFAULT)
    listed = [str(p) for p in caught.value.problems]
    assert len(listed) == 3
    assert all("cannot be reopened to" in p for p in listed)
    assert 'promise 7 ("Donald Trump will refuse the $400,000' in listed[1]
    lenient = import_trumptracker(
        TRACKER, lifecycle=DEFAULT, statuses=TRUMPTRACKER_TO_DEFAULT, lenient=True
    )
    assert len(lenient.ledger.pledges) == 174
    assert [str(p) for p in lenient.problems] == listed
    reopened = [u for p in lenient.ledger.pledges for u in p.history if u.kind == "reopened"]
    assert reopened  # moves out of final statuses that reopen_to allows were kept


HOSTILE_CSV = (
    "\ufeffid,title,status,date,actor,topic,source_url,quote\n"
    'p1,"Cut taxes, for all",Kept,2017-03-01,Trump;Pence,economy,'
    '"https://a.example/1; https://a.example/2","We will cut, ""big league"""\n'
    'p2,"A title\nover two lines",Broken,2017-04-01,Trump,,,\n'
    "p3,Minus sign date,Kept,2017\u221205\u221201,Trump,,,\n"
    "p4,,Kept,2017-05-01,Trump,,,\n"
    "p1,Duplicate,Kept,2017-06-01,Trump,,,\n"
    "p5,Unknown status,Maybe,2017-06-01,Trump,,,\n"
    "p6,Blank optional cells,Pending,2017-07,,,,\n"
)
STATUSES = {"Kept": "fulfilled", "Broken": "broken", "Pending": "made"}


def test_a_hostile_csv_reports_every_problem_by_row() -> None:
    with pytest.raises(LoadError) as caught:
        import_csv(HOSTILE_CSV.encode(), STATUSES)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "invalid date '2017−05−01': it uses MINUS SIGN (U+2212) where '-' belongs @ row 4",
        "blank 'title' @ row 5",
        "duplicate id 'p1' (first at row 2) @ row 6",
        "status 'Maybe' is not mapped (mapped: 'Kept', 'Broken', 'Pending') @ row 7",
    ]  # rows as a spreadsheet shows them: p2's two-line title is one row


def test_lenient_csv_import_keeps_every_good_row_whole() -> None:
    result = import_csv(HOSTILE_CSV.encode(), STATUSES, lenient=True)
    ledger = result.ledger
    assert [p.id for p in ledger.pledges] == ["p1", "p2", "p6"]
    assert len(result.problems) == 4  # 7 rows = 3 imported + 4 reported
    p1 = ledger.pledge("p1")
    assert p1.title == "Cut taxes, for all"
    assert [ledger.actor(a).name for a in p1.made_by] == ["Trump", "Pence"]
    assert [u.status for u in p1.history] == ["made", "fulfilled"]
    evidence = p1.history[0].evidence
    assert [ledger.source(e.source).url for e in evidence] == [
        "https://a.example/1",
        "https://a.example/2",
    ]
    assert evidence[0].quote == 'We will cut, "big league"'
    assert ledger.pledge("p2").title == "A title\nover two lines"
    p6 = ledger.pledge("p6")
    assert (p6.made_on, p6.status) == (PartialDate(2017, 7), "made")
    assert ledger.source(p6.history[0].evidence[0].source).sha256 is not None  # the file itself


def test_csv_columns_can_be_renamed_and_missing_ones_are_named() -> None:
    text = "key,name,state,when\nk1,A promise,Kept,2020\n"
    columns = Columns(
        id="key",
        title="name",
        status="state",
        date="when",
        text=None,
        actors=None,
        topics=None,
        sources=None,
        quote=None,
    )
    assert import_csv(text.encode(), STATUSES, columns=columns).ledger.pledge("k1").status == (
        "fulfilled"
    )
    with pytest.raises(LoadError, match="missing column 'id' \\(the file has: key, name"):
        import_csv(text.encode(), STATUSES)


def test_the_import_command(tmp_path: Path) -> None:
    source = tmp_path / "tracker.csv"
    source.write_bytes(HOSTILE_CSV.encode())
    out, err = io.StringIO(), io.StringIO()
    args = [
        "import",
        "csv",
        str(source),
        "-o",
        str(tmp_path / "t.toml"),
        "--status",
        "Kept=fulfilled",
        "--status",
        "Broken=broken",
        "--status",
        "Pending=made",
    ]
    assert main(args, out, err) == 1
    assert "duplicate id 'p1'" in err.getvalue()
    assert main([*args, "--lenient"], out, err) == 0
    assert "3 pledges imported" in out.getvalue()
    assert out.getvalue().count("left out:") == 4
    assert len(load(tmp_path / "t.toml").pledges) == 3


def test_replay_turns_steps_into_a_valid_history() -> None:
    ev = (Evidence("src", summary="s"),)
    moves = ("in-progress", "in-progress", "fulfilled", "in-progress", "made")
    steps = [(PartialDate(2017, 1), status, ev, None) for status in moves]
    history, problems = replay("p", steps, DEFAULT, "promise 1")
    assert [(u.status, u.kind.value) for u in history] == [
        ("made", "made"),
        ("in-progress", "progress"),
        ("in-progress", "reaffirmed"),
        ("fulfilled", "progress"),
        ("in-progress", "reopened"),
    ]
    assert [str(p) for p in problems] == [
        "pledge 'p', update 5: move 'in-progress' -> 'made' is not allowed (from 'in-progress': "
        "stalled, fulfilled, partially-fulfilled, broken, withdrawn, superseded) [move] "
        "@ promise 1, step 4"
    ]


def test_yaml_that_would_build_objects_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data.yaml").write_text(
        "promises: !!python/object/apply:os.system ['echo owned > owned.txt']\n", encoding="utf-8"
    )
    (tmp_path / "status_history.csv").write_text("lineage_id\n", encoding="utf-8")
    with pytest.raises(LoadError, match="cannot read the tracker"):
        import_trumptracker(tmp_path)
    assert not (tmp_path / "owned.txt").exists()
