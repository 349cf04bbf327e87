"""The command line: exit codes, every problem listed and located, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pledges import Ledger, dumps, save
from pledges.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def ledger_file(small_ledger: Ledger, tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    save(small_ledger, path)
    return path


def test_validate_a_good_ledger(ledger_file: Path) -> None:
    code, out, err = run("validate", str(ledger_file))
    assert (code, err) == (0, "")
    assert out == f"{ledger_file}: valid (3 pledges, 3 actors, 1 source, 2 occasions)\n"


BAD_EDITS = {
    "a typo'd key": (
        'status = "signed"',
        'staus = "signed"',
        "unknown key 'staus' @ $.pledges[0].history[1]",
    ),
    "a wrong type": (
        'title = "Sign the FTA"',
        "title = 1",
        "expected text, got an integer (1) @ $.pledges[0].title",
    ),
    "an unknown status": (
        'status = "signed"',
        'status = "kept"',
        "status 'kept' is not in lifecycle 'treaty'",
    ),
    "a dangling reference": (
        'occasion = "visit-2025"',
        'occasion = "visit-2035"',
        "unknown occasion 'visit-2035' @ $.pledges[1].occasion",
    ),
    "a duplicate id": (
        'id = "viettel"',
        'id = "fta"',
        "duplicate pledge id 'fta' (first at $.pledges[0]) @ $.pledges[2].id",
    ),
    "a forbidden move": (
        'status = "in-force"',
        'status = "negotiating"',
        "move 'signed' -> 'negotiating' is not allowed (from 'signed': ratified, in-force, "
        "terminated) [move]",
    ),
    "a date going backwards": (
        '"2015-05-29"',
        '"2013-05-29"',
        "date 2013-05-29 goes back before an earlier update's date",
    ),
    "a malformed date": (
        '"2015-05-29"',
        '"2025-13-01"',
        "invalid date '2025-13-01': month 13 is not 1-12",
    ),
    "a date in words": ('"2015-05-29"', '"May 2025"', "invalid date 'May 2025'"),
}


@pytest.mark.parametrize("case", sorted(BAD_EDITS))
def test_validate_lists_each_kind_of_bad_input_with_where_it_is(
    small_ledger: Ledger, tmp_path: Path, case: str
) -> None:
    old, new, expected = BAD_EDITS[case]
    text = dumps(small_ledger)
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run("validate", str(path))
    assert code == 1
    assert out == ""
    assert err.startswith(f"pledges: {path}: ")
    assert expected in err
    assert "Traceback" not in err


def test_an_update_without_evidence_is_located(small_ledger: Ledger, tmp_path: Path) -> None:
    data = json.loads(dumps(small_ledger, "json"))
    data["pledges"][2]["history"][0]["evidence"] = []
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run("validate", str(path))
    assert code == 1
    assert "has no evidence [evidence] @ $.pledges[2].history[0]" in err


def test_every_problem_is_listed_not_only_the_first(small_ledger: Ledger, tmp_path: Path) -> None:
    text = dumps(small_ledger).replace('id = "viettel"', 'id = "fta"')
    text = text.replace('occasion = "visit-2025"', 'occasion = "visit-2035"')
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("validate", str(path))
    assert code == 1
    assert "2 problems" in err
    assert "duplicate pledge id" in err
    assert "unknown occasion" in err


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.toml", "", "missing required key"),
        ("empty.json", "", "not valid JSON"),
        ("prose.toml", "This is not a ledger.\n", "not valid TOML"),
        ("prose.json", "{'single': quotes}", "not valid JSON"),
        ("binary.toml", "\udcff", "not UTF-8"),
    ],
)
def test_files_that_are_not_ledgers_exit_1(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    code, _, err = run("validate", str(path))
    assert code == 1
    assert expected in err


def test_usage_errors_exit_2(ledger_file: Path) -> None:
    assert run()[0] == 2
    assert run("frobnicate")[0] == 2
    code, _, err = run("status", str(ledger_file), "--as-of", "May 2025")
    assert code == 2
    assert "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD..DD" in err
    assert run("status", str(ledger_file), "--format", "docx")[0] == 2
    code, _, err = run("status", str(ledger_file), "--actor", "Atlantis")
    assert (code, err.startswith("pledges: error: no actor 'Atlantis'")) == (2, True)
    code, _, err = run("show", "nope", "--ledger", str(ledger_file))
    assert (code, err.startswith("pledges: error: no pledge 'nope'")) == (2, True)


def test_status_at_a_date_with_filters(ledger_file: Path) -> None:
    code, out, _ = run("status", str(ledger_file), "--as-of", "2016-12-31", "-f", "plain")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["Small: status as of 2016-12-31", "2 pledges made by then"]  # not fta-2025
    assert lines[4].split() == ["id", "pledge", "status", "since", "made"]
    assert lines[5].split()[:2] == ["fta", "Sign"]
    assert "In force" in lines[5]
    assert "2016-10" in lines[5]
    assert len(lines) == 7
    code, out, _ = run(
        "status",
        str(ledger_file),
        "--as-of",
        "2025",
        "--topic",
        "trade",
        "--actor",
        "Việt Nam",
        "-f",
        "csv",
    )
    assert out.splitlines() == [
        "id,pledge,status,since,made",
        "fta,Sign the FTA,In force,2016-10,2014-11-26",
        "fta-2025,Leverage the FTA,Made,2025-05-12,2025-05-12",
    ]


def test_status_as_json_has_a_versioned_shape(ledger_file: Path) -> None:
    code, out, _ = run("status", str(ledger_file), "--as-of", "2015", "-f", "json")
    body = json.loads(out)
    assert code == 0
    assert (body["pledges_json"], body["kind"], body["as_of"]) == (1, "status", "2015-12-31")
    assert body["rows"][0] == {
        "id": "fta",
        "pledge": "Sign the FTA",
        "status": "Signed",
        "since": "2015-05-29",
        "made": "2014-11-26",
    }


def test_show_prints_the_timeline_with_evidence(ledger_file: Path) -> None:
    code, out, _ = run("show", "fta", "--ledger", str(ledger_file))
    assert code == 0
    assert out.startswith("fta: Sign the FTA\n")
    assert "[1] 2015-05-29  progress: Negotiating → Signed" in out
    assert "“We will do it.”" in out
    assert "linked from: fta-2025" in out


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_export_round_trips(ledger_file: Path, small_ledger: Ledger, fmt: str) -> None:
    code, out, _ = run("export", str(ledger_file), "--format", fmt)
    assert code == 0
    assert out == dumps(small_ledger, fmt)  # type: ignore[arg-type]


def test_export_csv_has_a_row_per_pledge(ledger_file: Path) -> None:
    code, out, _ = run("export", str(ledger_file), "--format", "csv")
    rows = out.splitlines()
    assert code == 0
    assert rows[0].startswith("id,title,text,kind,made_by,made_to,topics,occasion")
    assert len(rows) == 4


def test_the_module_runs_from_any_directory_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\ntitle = 'x'\n[[pledges]]\nid = 'p'\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pledges", "validate", str(bad)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "missing required key @ $.pledges[0].title" in result.stderr
    assert "Traceback" not in result.stderr


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import pledges

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"pledges {pledges.__version__}\n"
    result = subprocess.run(
        [sys.executable, "-m", "pledges", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"pledges {pledges.__version__}\n"


def test_show_takes_the_ledger_like_every_other_command(ledger_file: Path) -> None:
    code, out, _ = run("show", "fta", str(ledger_file))
    assert code == 0
    assert out.startswith("fta: Sign the FTA")
    assert run("show", "fta", "--ledger", str(ledger_file))[1] == out


def test_known_at_on_status_report_and_show(ledger_file: Path) -> None:
    code, out, _ = run(
        "status", str(ledger_file), "--as-of", "2016", "--known-at", "2014-12", "-f", "csv"
    )
    assert code == 0
    assert "fta,Sign the FTA,Negotiating" in out
    code, out, _ = run("show", "fta", str(ledger_file), "--known-at", "2015-06")
    assert "[1] 2015-05-29" in out
    assert "[2]" not in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["status", "--status", "kept"], "no status 'kept' (known: "),
        (["status", "--topic", "nonsense"], "no topic 'nonsense' (known: "),
        (["status", "--actor", "Nobody"], "no actor 'Nobody' (known: "),
        (["status", "--occasion", "summit"], "no occasion 'summit' (known: "),
        (["summary", "--kept", "kept"], "no status or status kind 'kept'"),
        (["summary", "--scale", "nope"], "no lifecycle 'nope'"),
        (
            ["report", "--baseline", "visit-2025", "--outcome", "talks-2014"],
            "comes before the baseline",
        ),
    ],
)
def test_filters_that_name_nothing_known_are_usage_errors(
    ledger_file: Path, argv: list[str], expected: str
) -> None:
    code, out, err = (
        run(*argv[:1], str(ledger_file), *argv[1:]) if argv[0] != "report" else run(*argv)
    )
    assert (code, out) == (2, "")
    assert expected in err


def test_what_argparse_echoes_is_cleaned(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--bogus\x1b[31m\u202e"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "\u202e" not in err
    assert "[U+202E]" in err
