"""Importing TrumpTracker, a real third-party tracker: from data.yaml alone or with its
rebuilt history; malformed folders give clean errors, never a traceback."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pledges import DEFAULT, Evidence, LoadError, PartialDate, PledgesError, load, save
from pledges.cli import main
from pledges.importers import (
    TRUMPTRACKER_STATUSES,
    TRUMPTRACKER_TO_DEFAULT,
    import_trumptracker,
    replay,
)

TRACKER = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "trumptracker"
needs_tracker = pytest.mark.skipif(
    not TRACKER.is_dir(), reason=f"the TrumpTracker data is not at {TRACKER}"
)
COUNTS = {
    "trumptracker: Not started": 84,
    "trumptracker: Broken": 43,
    "trumptracker: Achieved": 21,
    "trumptracker: In progress": 18,
    "trumptracker: Compromised": 8,
}


@functools.cache
def imported() -> Any:
    """The tracker as imported with the defaults (read once: the YAML takes a second)."""
    return import_trumptracker(TRACKER)


@needs_tracker  # a mark on a helper skips nothing: it belongs on the test
def test_trumptracker_imports_174_promises_with_its_counts(tmp_path: Path) -> None:
    result = imported()
    assert len(result.ledger.pledges) == 174
    assert result.problems == ()
    assert len(result.notes) == 27  # lineages the tracker removed or merged, listed
    path = tmp_path / "tt.toml"
    save(result.ledger, path)
    assert _counts(path) == COUNTS
    assert load(path) == result.ledger


def _counts(path: Path) -> dict[str, int]:
    out = io.StringIO()
    assert main(["summary", str(path), "--as-of", "2018-08-28", "--format", "json"], out) == 0
    rows = json.loads(out.getvalue())["by_status"]
    return {f"{row['lifecycle']}: {row['label']}": row["count"] for row in rows}


@pytest.mark.slow
@needs_tracker
def test_data_yaml_alone_is_enough(tmp_path: Path) -> None:
    (tmp_path / "data.yaml").write_bytes((TRACKER / "data.yaml").read_bytes())
    with pytest.raises(PledgesError, match="holds no dates: give the day this copy was taken"):
        import_trumptracker(tmp_path)
    result = import_trumptracker(tmp_path / "data.yaml", assessed_on="2018-08-28")
    ledger = result.ledger
    assert (len(ledger.pledges), result.problems) == (174, ())
    save(ledger, tmp_path / "tt.toml")
    assert _counts(tmp_path / "tt.toml") == COUNTS  # the tracker's published figures
    term_limits = ledger.pledge("propose-a-constitutional-amendment-to-impose-term-limits-on")
    assert term_limits.made_on == PartialDate(2016, 11, 1)  # its source's archived copy
    assert ledger.known_from(term_limits.history[0]) == PartialDate(2016, 11, 1)
    assert [(str(u.date), u.status) for u in term_limits.history] == [
        ("2016-11-01", "not-started"),
        ("2018-08-28", "broken"),
    ]
    fixed = import_trumptracker(tmp_path, made_on="2016-10-22", assessed_on="2018-08-28")
    assert {p.made_on for p in fixed.ledger.pledges} == {PartialDate(2016, 10, 22)}


@needs_tracker
def test_the_command_takes_the_folder_or_the_file(tmp_path: Path) -> None:
    out = io.StringIO()
    args = ["import", "trumptracker", str(TRACKER / "data.yaml"), "-o", str(tmp_path / "a.toml")]
    assert main(args, out) == 0
    assert out.getvalue().startswith(f"{tmp_path / 'a.toml'}: 174 pledges imported")
    err = io.StringIO()
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "data.yaml").write_bytes((TRACKER / "data.yaml").read_bytes())
    args = ["import", "trumptracker", str(tmp_path / "only"), "-o", str(tmp_path / "b.toml")]
    assert main(args, io.StringIO(), err) == 2
    assert "--assessed-on DATE" in err.getvalue()


@needs_tracker
def test_every_history_is_rebuilt_from_the_tracker_s_git_history() -> None:
    ledger = imported().ledger
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
    lenient = import_trumptracker(TRACKER, lifecycle=DEFAULT, lenient=True)
    assert len(lenient.ledger.pledges) == 171  # left out, never kept at a wrong status
    assert [str(p) for p in lenient.problems] == listed
    data = yaml.safe_load((TRACKER / "data.yaml").read_text(encoding="utf-8"))
    final = {p["title"]: TRUMPTRACKER_TO_DEFAULT[p["status"]] for p in data["promises"]}
    assert all(p.status == final[p.title] for p in lenient.ledger.pledges)
    reopened = [u for p in lenient.ledger.pledges for u in p.history if u.kind == "reopened"]
    assert reopened  # moves out of final statuses that reopen_to allows were kept


def test_the_mapping_onto_default_is_the_one_the_lifecycle_declares() -> None:
    assert TRUMPTRACKER_TO_DEFAULT == {
        "Not started": "made",
        "In progress": "in-progress",
        "Achieved": "fulfilled",
        "Broken": "broken",
        "Compromised": "partially-fulfilled",
    }


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
    with pytest.raises(LoadError, match="not YAML that can be read"):
        import_trumptracker(tmp_path, assessed_on="2018")
    assert not (tmp_path / "owned.txt").exists()


_PROMISE = (
    "promises:\n  - title: 'A promise'\n    url: 'https://t.example/a/'\n"
    "    status: Broken\n    sources: ['https://web.archive.org/web/20161101000000/x']\n"
)


@pytest.mark.parametrize(
    ("data", "history", "message"),
    [
        ("", None, "expected a mapping with a 'promises' list"),
        ("- a\n- b\n", None, "expected a mapping with a 'promises' list"),
        ("promises: 3\n", None, "expected a mapping with a 'promises' list"),
        ("promises: [3]\n", None, "expected a mapping (got a int) @ promise 1"),
        ("promises:\n  - url: x\n", None, "'title' must be a text"),
        ("promises:\n  - title: 4\n    url: x\n", None, "'title' must be a text"),
        (_PROMISE.replace("Broken", "Maybe"), None, "status 'Maybe' is not mapped"),
        (_PROMISE.replace("sources: [", "sources: {a: ["), None, "not YAML that can be read"),
        (_PROMISE.replace("sources: ['", "sources: [3, '"), None, "must be a list of texts"),
        (_PROMISE.replace("web.archive.org/web/20161101000000/", ""), None, "--made-on"),
        ("promises: [\n", None, "not YAML that can be read"),
        ("\xff\xfe", None, "not UTF-8"),
        (_PROMISE, "a,b\n1,2\n", "no column 'lineage_id'"),
        (_PROMISE, "", "the file is empty"),
        (
            _PROMISE,
            "lineage_id,final_url,title_last_seen,in_final_file,from_status,to_status,"
            "commit_date,commit\n0,https://t.example/a/,A,True,,Broken,yesterday,abcdef1\n",
            "invalid date 'yesterday'",
        ),
        (
            _PROMISE,
            "lineage_id,final_url,title_last_seen,in_final_file,from_status,to_status,"
            "commit_date,commit\n0,https://t.example/b/,A,True,,Broken,2017-01-01,abcdef1\n",
            "no status history for its url",
        ),
        (
            _PROMISE,
            "lineage_id,final_url,title_last_seen,in_final_file,from_status,to_status,"
            "commit_date,commit\n0,https://t.example/a/,A,True,,Broken,2017-01-01,zz\n",
            "'zz' is not a commit",
        ),
    ],
)
def test_malformed_trackers_give_located_errors(
    tmp_path: Path, data: str, history: str | None, message: str
) -> None:
    (tmp_path / "data.yaml").write_bytes(
        data.encode("latin-1") if "\xff" in data else data.encode()
    )
    if history is not None:
        (tmp_path / "status_history.csv").write_text(history, encoding="utf-8")
    with pytest.raises(PledgesError, match=re.escape(message)):
        import_trumptracker(tmp_path, assessed_on="2018-08-28")
    err = io.StringIO()
    args = ["import", "trumptracker", str(tmp_path), "-o", str(tmp_path / "x.toml"),
            "--assessed-on", "2018-08-28"]  # fmt: skip
    assert main(args, io.StringIO(), err) in (1, 2)
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "x.toml").exists()


@pytest.mark.parametrize("make", ["missing", "folder-without-data", "data-is-a-folder"])
def test_a_missing_or_misplaced_tracker_is_a_clean_error(tmp_path: Path, make: str) -> None:
    target = tmp_path / "tracker"
    if make != "missing":
        target.mkdir()
    if make == "data-is-a-folder":
        (target / "data.yaml").mkdir()
    with pytest.raises(PledgesError, match=r"cannot be read|is a directory"):
        import_trumptracker(target, assessed_on="2018")
