"""Importing spreadsheets: a messy real-world layout (BOM, semicolons, U+2212, blanks,
duplicate ids, unmapped columns), every option, and random files that never reach a
traceback or a pledge with a status its row did not give."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from pledges import (
    DEFAULT,
    InvalidQuery,
    LoadError,
    NotFound,
    PartialDate,
    PledgesError,
    load,
    save,
)
from pledges.cli import main
from pledges.importers import Columns, fold_signs, import_csv
from pledges.importers.derive import matching_statuses
from pledges.serialization import loads_lifecycle

DATA = Path(__file__).resolve().parent / "data"
MESSY = DATA / "promises-semicolon.csv"
MESSY_COLUMNS = Columns({"id": "Ref", "title": "Promise", "made": "Promised on"})
MESSY_STATUSES = {
    "Delivered": "fulfilled",
    "In progress": "in-progress",
    "Broken": "broken",
    "Not yet assessed": "made",
    "": "made",
    "Dropped": "withdrawn",
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_a_messy_file_lists_every_problem_by_row() -> None:
    statuses = {"Delivered": "fulfilled", "In progress": "in-progress", "Broken": "broken"}
    with pytest.raises(LoadError) as caught:
        import_csv(MESSY, statuses, columns=MESSY_COLUMNS)
    problems = [str(p) for p in caught.value.problems]
    assert problems[0] == (
        "duplicate id 'P-03', first at row 4 (--ids clean suffixes repeats) @ row 5"
    )
    assert problems[1].startswith(
        "status names not mapped onto lifecycle 'default': 'Not yet assessed' (row 6), "
        "blank (1), 'Dropped' (row 9); map each with --status NAME=STATUS"
    )
    assert "--lifecycle from-file" in problems[1]
    assert problems[1].endswith("@ rows 6, 8 and 9")
    assert len(problems) == 2
    assert caught.value.names == (("Not yet assessed", 1), ("", 1), ("Dropped", 1))  # type: ignore[attr-defined]


def test_a_messy_file_goes_in_whole_once_mapped() -> None:
    result = import_csv(MESSY, MESSY_STATUSES, columns=MESSY_COLUMNS, ids="clean")
    ledger = result.ledger
    assert [p.id for p in ledger.pledges] == [
        "P-01",
        "P-02",
        "P-03",
        "P-03-2",
        "p-04",
        "P-05",
        "P-06",
        "P-07",
    ]
    assert result.problems == ()
    notes = "\n".join(result.notes)
    assert "read as semicolon-separated" in notes
    assert "row 5: id 'P-03' became 'P-03-2'" in notes
    assert "row 6: id 'P 04' became 'p-04'" in notes
    assert "row 7: MINUS SIGN (U+2212) read as an ASCII sign" in notes
    assert "actor <- 'Minister'" in notes  # found by its usual name
    assert "topic <- 'Policy area'" in notes
    assert "columns kept as extra fields: 'Page'" in notes
    p2 = ledger.pledge("P-02")
    assert dict(p2.extra) == {"Page": "33"}
    assert p2.history[-1].note == "Figure disputed:\ncounts refurbishments"
    assert ledger.source(p2.history[0].evidence[0].source).url == "https://example.org/manifesto"
    assert [ledger.actor(a).name for a in p2.made_by] == ["Health"]
    assert [(str(u.date), u.status) for u in p2.history] == [
        ("2022-09", "made"),
        ("2023-06-30", "in-progress"),
    ]
    assert ledger.pledge("P-05").history[-1].date == PartialDate(2023, 12, 31)  # U+2212 read
    assert ledger.pledge("P-06").status == "made"  # a blank status cell, mapped
    # the trailing delimiter on every line is no column at all
    assert all(name != "column 11" for p in ledger.pledges for name in p.extra)


def test_extra_fields_survive_a_save(tmp_path: Path) -> None:
    ledger = import_csv(MESSY, MESSY_STATUSES, columns=MESSY_COLUMNS, ids="clean").ledger
    save(ledger, tmp_path / "l.toml")
    assert load(tmp_path / "l.toml") == ledger


def test_the_documented_column_names_are_accepted() -> None:
    columns = Columns(
        {
            "id": "Ref",
            "title": "Promise",
            "made": "Promised on",
            "actor": "Minister",
            "topic": "Policy area",
            "source_url": "Source",
            "note": "Comments",
        }
    )
    result = import_csv(MESSY, MESSY_STATUSES, columns=columns, ids="clean", drop=["Page"])
    ledger = result.ledger
    p2 = ledger.pledge("P-02")
    assert [ledger.actor(a).name for a in p2.made_by] == ["Health"]
    assert p2.topics == ("Health",)
    assert ledger.source(p2.history[0].evidence[0].source).url == "https://example.org/manifesto"
    assert p2.history[-1].note == "Figure disputed:\ncounts refurbishments"  # on its step
    assert p2.extra == {}
    assert "columns left out as asked: 'Page'" in result.notes


def test_an_unknown_field_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidQuery, match=r"no field 'date' to name a column for .*made"):
        Columns({"date": "When"})
    code, _, err = run("import", "csv", str(MESSY), "-o", "x.toml", "--status", "a=made",
                       "--column", "actors=Minister")  # fmt: skip
    assert code == 2
    assert "no field 'actors'" in err
    assert "id, title, text, status, made, assessed, actor, topic, source_url" in " ".join(
        err.split()
    )


def test_a_column_named_but_absent_says_what_the_file_has() -> None:
    with pytest.raises(InvalidQuery, match=r"no column 'Minster' .*'Minister'"):
        import_csv(MESSY, MESSY_STATUSES, columns=Columns({"actor": "Minster"}))


def test_with_no_date_column_the_error_names_both_ways_out() -> None:
    with pytest.raises(LoadError) as caught:
        import_csv(b"id,title,status\na,A,Kept\n", {"Kept": "fulfilled"})
    (problem,) = caught.value.problems
    assert "--column made=COLUMN" in str(problem)
    assert "--made-on DATE" in str(problem)


def test_a_constant_made_date_and_an_assessment_date() -> None:
    text = b"id,title,status,assessed\na,A,Kept,2024-06\nb,B,Open,\n"
    result = import_csv(text, {"Kept": "fulfilled", "Open": "made"}, made_on="2023-01-15")
    a, b = result.ledger.pledges
    assert [(str(u.date), u.status) for u in a.history] == [
        ("2023-01-15", "made"),
        ("2024-06", "fulfilled"),
    ]
    assert b.made_on == PartialDate(2023, 1, 15)
    constant = import_csv(
        b"id,title,status\na,A,Kept\n", {"Kept": "fulfilled"}, made_on="2023", assessed_on="2025"
    )
    assert [str(u.date) for u in constant.ledger.pledges[0].history] == ["2023", "2025"]


def test_a_status_is_never_dated_on_its_making_day() -> None:
    with pytest.raises(InvalidQuery, match=r"no date for its statuses.*--assessed-on DATE"):
        import_csv(b"id,title,status,date\na,A,Kept,2024\n", {"Kept": "fulfilled"})
    made = import_csv(b"id,title,status,date\na,A,made,2024\n")  # none moved: no date needed
    assert made.ledger.pledges[0].status == "made"
    text = b"id,title,status,date,assessed\na,A,Kept,2024,2025\nb,B,Kept,2024,\n"
    with pytest.raises(LoadError, match="no date for its status: a blank assessed cell @ row 3"):
        import_csv(text, {"Kept": "fulfilled"})


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_the_delimiter_is_detected_and_named(delimiter: str, name: str) -> None:
    text = delimiter.join(["id", "title", "status", "date"]) + "\n"
    text += delimiter.join(["a", "Cut, then grow", "Kept", "2024"]) + "\n"
    result = import_csv(text.encode(), {"Kept": "fulfilled"}, assessed_on="2025")
    assert result.ledger.pledges[0].title == "Cut, then grow"
    assert f"read as {name}-separated" in result.notes[0]


def test_a_delimiter_may_be_given() -> None:
    text = b"id;title;status;date\na;A, B, C and D;Kept;2024\n"
    result = import_csv(text, {"Kept": "fulfilled"}, delimiter=";", assessed_on="2025")
    assert result.ledger.pledges[0].title == "A, B, C and D"
    with pytest.raises(LoadError, match="no title column"):
        import_csv(text, {"Kept": "fulfilled"}, delimiter=",")
    with pytest.raises(InvalidQuery, match="delimiter must be one of"):
        import_csv(text, {"Kept": "fulfilled"}, delimiter=":")


def test_a_tab_separated_file_without_ids_or_dates() -> None:
    result = import_csv(
        DATA / "promises-tab.tsv",
        {"kept": "fulfilled", "broken": "broken", "stalled": "stalled"},
        made_on="2021-09",
        assessed_on="2024-09",
    )
    ledger = result.ledger
    assert [p.id for p in ledger.pledges] == ["more-teachers", "free-school-meals", "new-rail-line"]
    assert "no id column: ids derived from titles" in result.notes
    assert ledger.pledge("free-school-meals").extra == {"notes": "late"}
    assert {ledger.actor(a).name for p in ledger.pledges for a in p.made_by} == {
        "Ministry of Education",
        "Ministry of Transport",
    }


def test_ids_kept_cleaned_or_derived() -> None:
    text = b"id,title,status,date\nA 1,First,Kept,2024\nx,Second,Kept,2024\nx,Second,Kept,2024\n"
    mapping = {"Kept": "fulfilled"}
    with pytest.raises(LoadError) as caught:
        import_csv(text, mapping, ids="keep", assessed_on="2025")
    assert [str(p) for p in caught.value.problems] == [
        "'A 1' is not an id: letters, digits and . _ : - only (--ids clean makes one from it) "
        "@ row 2",
        "duplicate id 'x', first at row 3 (--ids clean suffixes repeats) @ row 4",
    ]
    cleaned = import_csv(text, mapping, ids="clean", assessed_on="2025")
    assert [p.id for p in cleaned.ledger.pledges] == ["a-1", "x", "x-2"]
    assert "row 4: id 'x' became 'x-2'" in cleaned.notes
    derived = import_csv(text, mapping, ids="derive", assessed_on="2025")
    assert [p.id for p in derived.ledger.pledges] == ["first", "second", "second-2"]
    assert "row 4: id 'second' was taken; this one is 'second-2'" in derived.notes


def test_every_mapping_target_is_checked_before_a_row_is_read() -> None:
    with pytest.raises(NotFound, match=r"no status of lifecycle 'default' .*'kept'.*fulfilled"):
        import_csv("/no/such/file.csv", {"Delivered": "kept"}, lenient=True)


def test_lenient_never_keeps_a_pledge_at_a_status_its_row_did_not_give() -> None:
    strict = loads_lifecycle(
        'schema_version = 1\nid = "gate"\nlabel = "Gate"\ninitial = "open"\n'
        '[[statuses]]\nid = "open"\nlabel = "Open"\nto = ["kept"]\n'
        '[[statuses]]\nid = "kept"\nlabel = "Kept"\nkind = "fulfilled"\nto = ["dropped"]\n'
        '[[statuses]]\nid = "dropped"\nlabel = "Dropped"\nkind = "closed"\n'
    )
    text = b"id,title,status,date\na,A,Done,2024\nb,B,Gone,2024\n"
    result = import_csv(
        text,
        {"Done": "kept", "Gone": "dropped"},
        lifecycle=strict,
        lenient=True,
        assessed_on="2025",
    )
    assert [(p.id, p.status) for p in result.ledger.pledges] == [("a", "kept")]
    assert len(result.problems) == 1
    assert "row 3" in str(result.problems[0])
    assert "left out" in str(result.problems[0])


def test_look_alike_signs_are_one_name() -> None:
    text = "id,title,status,date\na,A,\u22121,2024\nb,B,-1,2024\nc,C,+ 1,2024\n".encode()
    result = import_csv(
        text, {"-1": "broken", "\u2212 1": "broken", "+1": "fulfilled"}, assessed_on="2025"
    )
    assert [p.status for p in result.ledger.pledges] == ["broken", "broken", "fulfilled"]
    assert "row 2: MINUS SIGN (U+2212) read as an ASCII sign" in result.notes
    assert fold_signs("\uff0b1 \u2013 \ufe632") == "+1 - -2"


def test_names_that_read_alike_but_map_apart_are_refused() -> None:
    with pytest.raises(InvalidQuery, match="read alike"):
        import_csv(b"", {"-1": "broken", "\u22121": "fulfilled"})


def test_a_cell_over_the_csv_limit_is_located() -> None:
    text = b"id,title,status,date\na,A,Kept,2024\nb," + b"x" * 200_000 + b",Kept,2024\n"
    with pytest.raises(LoadError, match=r"a cell longer than 131,072 characters @ row 3"):
        import_csv(text, {"Kept": "fulfilled"})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfeid,title\n", "not UTF-8"),
        (b"", "the file is empty"),
        (b"id,id,title,status,date\n", "column 'id' appears more than once"),
    ],
)
def test_files_that_are_not_tables(raw: bytes, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        import_csv(raw, {"Kept": "fulfilled"})


def test_the_command_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "tracker.toml"
    args = ["import", "csv", str(MESSY), "-o", str(out), "--column", "id=Ref",
            "--column", "title=Promise", "--column", "made=Promised on", "--ids", "clean",
            "--status", "Delivered=fulfilled", "--status", "In progress=in-progress",
            "--status", "Broken=broken", "--status", "Not yet assessed=made",
            "--status", "=made", "--status", "Dropped=withdrawn"]  # fmt: skip
    code, text, err = run(*args)
    assert (code, err) == (0, "")
    assert text.startswith(f"{out}: 8 pledges imported\n")
    assert "note: read as semicolon-separated" in text
    assert len(load(out).pledges) == 8
    code, text, err = run("report", str(out))
    assert code == 2
    assert "--baseline DATE --outcome DATE" in err
    code, text, _ = run("report", str(out), "--baseline", "2022-12", "--outcome", "2024")
    assert code == 0
    assert "kept 3" in text


def test_a_status_name_may_start_with_a_minus(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("id,title,status,date\na,A,-1,2024\nb,B,\u22121,2024\n", encoding="utf-8")
    code, _text, err = run("import", "csv", str(source), "-o", str(tmp_path / "s.toml"),
                          "--status", "-1=broken", "--assessed-on", "2025")  # fmt: skip
    assert (code, err) == (0, "")
    assert [p.status for p in load(tmp_path / "s.toml").pledges] == ["broken", "broken"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["/no/such.csv", "-o", "{tmp}/x.toml", "--status", "a=made"], 1, "cannot be read"),
        (["{tmp}", "-o", "{tmp}/x.toml", "--status", "a=made"], 1, "is a directory"),
        (["{src}", "-o", "{tmp}/no/x.toml", "--status", "a=made"], 1, "does not exist"),
        (["{src}", "-o", "{tmp}/x.toml", "--status", "a=kept"], 2, "no status of lifecycle"),
        (["{src}", "-o", "{tmp}/x.toml", "--status", "a"], 2, "NAME=STATUS"),
        (["{src}", "-o", "{tmp}/x.toml"], 1, "not mapped onto lifecycle"),
        (["{src}", "-o", "{tmp}/x.toml", "--status", "a=made", "--delimiter", ":"], 2, "not a"),
        (["{src}", "-o", "{tmp}/x.toml", "--status", "a=made", "--drop", "Nope"], 2, "no column"),
    ],
)
def test_command_errors_are_clean(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    source = tmp_path / "s.csv"
    source.write_text("id,title,status,date\na,A,a,2024\n", encoding="utf-8")
    filled = [a.format(tmp=tmp_path, src=source) for a in args]
    got, _, err = run("import", "csv", *filled)
    assert got == code
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.toml").exists()


_CELLS = st.text(st.sampled_from('ab,;"\n\t |-−+1 \x00\u202e'), max_size=6)
_STATUS_NAMES = ["Kept", "Broken", "", "-1", "−1", "+ 1"]
_MAPPING = {"Kept": "fulfilled", "-1": "broken", "+1": "in-progress"}


@given(
    rows=st.lists(
        st.tuples(
            st.text("abc", min_size=1, max_size=3),
            _CELLS,
            st.sampled_from([*_STATUS_NAMES, "Maybe"]) | _CELLS,
            st.sampled_from(["2024", "2024-02-30", "", "２０２４", "2024\u221201"]),
            _CELLS,
        ),
        max_size=8,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    lenient=st.booleans(),
)
def test_random_tables_give_a_clean_error_or_only_the_statuses_their_rows_gave(
    rows: list[tuple[str, str, str, str, str]], delimiter: str, lenient: bool
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["id", "title", "status", "date", "other"])
    writer.writerows(rows)
    try:
        result = import_csv(out.getvalue().encode(), _MAPPING, lenient=lenient, assessed_on="2025")
    except PledgesError:
        return

    def key(cell: str) -> str:  # signs folded, no space after a sign
        return re.sub(r"(?<=[+-])\s+", "", fold_signs(cell.strip()))

    given_statuses: dict[tuple[str, str], set[str]] = {}
    for row in rows:  # the statuses the rows with an id and a title gave
        given_statuses.setdefault((row[0].strip(), row[1].strip()), set()).add(key(row[2]))
    for pledge in result.ledger.pledges:
        cells = given_statuses[pledge.id, pledge.title]
        own = matching_statuses(cells, DEFAULT)  # names that are the lifecycle's own
        assert pledge.status in {_MAPPING.get(c) or own.get(c) for c in cells}


@given(st.binary(max_size=300))
def test_random_bytes_give_a_clean_error_or_a_ledger(raw: bytes) -> None:
    with contextlib.suppress(PledgesError):
        import_csv(raw, {"Kept": "fulfilled"}, made_on="2024", lenient=True)


def test_the_default_lifecycle_is_not_declared_in_the_ledger() -> None:
    text = b"id,title,status,date\na,A,Kept,2024\n"
    ledger = import_csv(text, {"Kept": "fulfilled"}, assessed_on="2025").ledger
    assert ledger.lifecycles == ()
    assert ledger.lifecycle_of(ledger.pledges[0]) == DEFAULT


def test_what_the_command_echoes_of_a_file_is_inert(tmp_path: Path) -> None:
    source = tmp_path / "evil\x1b[2J.csv"
    source.write_text(
        "id,title,status,date,\x1b]8;;https://x.example\x07Evil\u202e\na,A,\x1b[31mKept,2024,x\n",
        encoding="utf-8",
    )
    code, text, err = run("import", "csv", str(source), "-o", str(tmp_path / "x.toml"),
                          "--status", "\x1b[31mKept=fulfilled", "--lenient",
                          "--assessed-on", "2025")  # fmt: skip
    assert code == 0
    for shown in (text, err):
        assert "\x1b" not in shown
        assert "\u202e" not in shown
        assert "\x07" not in shown
    assert "Evil\\u202e" in text  # shown, not obeyed
