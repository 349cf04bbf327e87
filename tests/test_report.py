"""Reports: golden outputs of the main job, every format, bounded output, hostile data made
inert in every text format, and agreement with the queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from tabulate import tabulate

from pledges import Ledger, load_bundled, summarize
from pledges.cli import main
from pledges.diff import compare
from pledges.escape import BIDI_CONTROLS
from pledges.present.phrases import change_words
from pledges.present.render import (
    FORMATS,
    MAX_CELL,
    TEXT_FORMATS,
    Table,
    _columns,
    _HyphenWrapper,
    _longest_word,
    _wrap,
    render,
    render_document,
)
from pledges.present.report import diff_document, status_document, status_table
from pledges.present.summary import summary_document
from pledges.present.timeline import timeline
from pledges.testing import days_near, hostile_ledger, hostile_texts, ledgers

BUNDLED = load_bundled()
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("PLEDGES_UPDATE_GOLDEN") == "1"


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out, io.StringIO()) == 0
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [
        ("simple", "txt"),
        ("grid", "grid.txt"),
        ("github", "md"),
        ("html", "html"),
        ("latex", "tex"),
        ("csv", "csv"),
        ("json", "json"),
    ],
)
def test_the_main_job_matches_its_golden_output(fmt: str, suffix: str) -> None:
    text = run("report", "--format", fmt)
    golden = GOLDEN / f"report.{suffix}"
    if UPDATE:
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")  # bytes: CSV lines end in \r\n


def test_the_main_job_fits_an_80_column_terminal() -> None:
    text = run("report")
    wide = [line for line in text.splitlines() if len(line) > 80]
    assert all(line.strip().startswith(("http://", "https://")) for line in wide)  # addresses
    assert "Negotiating →" in text
    assert "VietNamNet, 2015-12" in text  # outlets and dates, not file names
    assert "(2025-05-12, To Lam's" in text  # a renewal says when and where


def test_the_counts_line_never_breaks_inside_an_item() -> None:
    diff = compare(BUNDLED)
    items = [f"{change_words(c)} {n}" for c, n in diff.counts().items() if n and c != "new"]
    for width in range(30, 100):
        lines = render_document(diff_document(BUNDLED, diff), width=width).splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Counts: "))
        end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
        for item in items:
            assert any(item in line for line in lines[start:end]), (width, item)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_report(fmt: str) -> None:
    for command in (["report"], ["status", "--as-of", "2025"], ["summary", "--as-of", "2025"]):
        assert run(*command, "--format", fmt)


def test_raw_formats_are_not_offered() -> None:
    for raw in ("latex_raw", "unsafehtml", "rst", "mediawiki", "textile", "orgtbl", "jira"):
        assert raw not in FORMATS
        with pytest.raises(ValueError, match="unknown format"):
            render(Table("t", ("a",), (("x",),)), raw)


def test_a_table_row_has_a_cell_for_each_header() -> None:
    table = Table("t", ("a", "b"), (("x", 1),))
    assert table.records() == [{"a": "x", "b": 1}]
    with pytest.raises(ValueError, match=r"^table 't': row 2 has 1 cell for 2 headers$"):
        Table("t", ("a", "b"), (("x", 1), ("y",)))
    with pytest.raises(ValueError, match=r"^table 't': row 1 has 3 cells for 2 headers$"):
        Table("t", ("a", "b"), (("x", 1, 2),))
    with pytest.raises(ValueError, match=r"^table 't': an id column is never wrapped$"):
        Table("t", ("a", "b"), (("x", 1),), wrap=(0, 1), ids=(0,))


def test_json_has_a_stable_versioned_shape() -> None:
    body = json.loads(run("report", "--format", "json"))
    assert list(body) == ["pledges_json", "kind", "baseline", "outcome", "counts", "rows"]
    assert body["pledges_json"] == 1
    fta = next(r for r in body["rows"] if r["id"] == "2014-fta")
    assert [u["status"] for u in fta["updates"]] == ["signed", "ratified", "in-force"]
    assert fta["renewed_by"] == ["2025-fta-leverage"]
    assert fta["updates"][0]["evidence"][0]["url"].startswith("https://themoscowtimes.com/")
    assert fta["updates"][0]["evidence"][0]["outlet"] == "The Moscow Times"


def test_csv_neutralises_formulas() -> None:
    table = Table("t", ("a",), (("=1+1",), ("-2",), ("@x",), ("\tx",), ("plain",), ("＝1",)))
    assert render(table, "csv").splitlines()[1:] == ["'=1+1", "'-2", "'@x", "'\tx", "plain", "'＝1"]


def test_one_huge_cell_cannot_swamp_a_table() -> None:
    huge = "x" * 1_000_000
    table = Table(
        "t",
        ("id", "title"),
        tuple((str(i), huge if i == 0 else "short") for i in range(40)),
        wrap=(1,),
    )
    for fmt in ("simple", "github", "grid"):
        text = render(table, fmt, width=80)
        assert len(text) < 100_000
        assert "998,000" in text


_PIECE = st.text("abc0123", min_size=1, max_size=12)
_ID = st.lists(_PIECE, min_size=1, max_size=5).map("-".join)


@given(st.lists(st.tuples(_ID, st.sampled_from(["offer", "commitment"]), _ID), max_size=8))
def test_hyphenated_ids_fit_the_width_and_break_only_at_hyphens(
    rows: list[tuple[str, str, str]],
) -> None:
    table = Table("t", ("pledge", "kind", "renews"), (("x", "offer", "y"), *rows), wrap=(0, 2))
    text = render(table, "simple", width=60)
    assert max(map(len, text.splitlines())) <= 60
    pieces = {p for row in rows for c in (row[0], row[2]) for p in c.split("-")}
    for line in text.splitlines()[2:]:
        for word in line.split():
            assert word in {"x", "y", "offer", "commitment"} or all(
                piece in pieces for piece in word.rstrip("-").split("-")
            )


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "html"])
@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", "\x1b[31mred", "a\u202eb", "\\input{x}"]
)
def test_hostile_data_is_inert_in_every_text_format(fmt: str, payload: str) -> None:
    ledger = hostile_ledger(payload)
    diff = compare(ledger, "o1", "2030")
    for document in (
        diff_document(ledger, diff),
        status_document(ledger, status_table(ledger, "2030")),
        summary_document(ledger, summarize(ledger, "2030", by="actor")),
    ):
        text = render_document(document, fmt)
        assert "\x1b" not in text
        assert not set(text) & set(BIDI_CONTROLS)
        if fmt in ("github", "pipe"):
            assert "<script>" not in text
        if fmt.startswith("latex"):
            assert "\\input{" not in text


@given(hostile_texts())
def test_a_timeline_fits_its_width_and_shows_no_control_character(text: str) -> None:
    ledger = hostile_ledger(text)
    for width in (40, 80):
        shown = timeline(ledger, "p1", width=width)
        assert "\x1b" not in shown
        for line in shown.splitlines():
            assert len(line) <= width or line.lstrip().startswith("https://")


def test_the_summary_counts_scores_and_kept_share() -> None:
    summary = summarize(BUNDLED, "2025-12-31")
    doc = summary_document(BUNDLED, summary)
    assert doc.data["pledges"] == len(BUNDLED.pledges)
    counted = {(r["lifecycle"], r["status"]): r["count"] for r in doc.data["by_status"]}
    assert counted["treaty", "in-force"] == 2
    assert summarize(BUNDLED, "2028-01-01").total.overdue == (BUNDLED.pledge("2024-roadmap"),)


@given(ledgers(), st.data())
def test_the_status_table_agrees_with_the_status_query(ledger: Ledger, data: st.DataObject) -> None:
    day: dt.date = data.draw(days_near(ledger))
    table = status_table(ledger, day)
    statuses = ledger.statuses_at(day)
    assert [row[0] for row in table.rows] == list(statuses)
    for pid, _, label, since, _ in table.text_rows():
        assert label == ledger.lifecycle_of(pid).label_of(statuses[pid])
        assert since == str(ledger.status_since(pid, day))


@given(ledgers(), st.sampled_from([40, 60, 80, 120]))
def test_wrapping_keeps_every_word_and_the_width(ledger: Ledger, width: int) -> None:
    table = status_table(ledger, "2040")
    text = render(table, "plain", width=width)
    flat = "".join(text.split())
    for row in table.text_rows():
        for cell in row:
            for word in cell.split():
                if word.isprintable():
                    assert word in flat


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_text_formats_end_with_a_line_break(fmt: str) -> None:
    assert render(Table("t", ("a",), (("x",),)), fmt).endswith("\n")


def test_bounded_cells_say_how_much_was_cut() -> None:
    text = render(Table("t", ("a",), (("y" * (MAX_CELL + 5),),)), "plain", width=None)
    assert "[5 more characters]" in text
    rows = list(
        csv.reader(io.StringIO(render(Table("t", ("a",), (("y" * (MAX_CELL + 5),),)), "csv")))
    )
    assert rows[1] == ["y" * (MAX_CELL + 5)]  # data formats keep everything


_CELLS = st.text(st.sampled_from([*"ab -\n\t\r\x0b\x1b\xa0\u2003\u2028é漢"]), max_size=8)


@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.text(st.sampled_from([*"ab -\xa0"]), max_size=5), min_size=n, max_size=n),
            st.lists(st.lists(_CELLS, min_size=n, max_size=n), max_size=4),
        )
    ),
    st.sampled_from(["simple", "plain"]),
)
def test_the_quick_layout_is_tabulates_wherever_it_is_taken(
    table: tuple[list[str], list[list[str]]], fmt: str
) -> None:
    headers, rows = table
    quick = _columns(headers, rows, fmt)
    if quick is not None:
        assert quick == tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def test_the_quick_layout_is_taken_for_plain_tables() -> None:
    assert _columns(["id", "title"], [["p-1", "A title\non two lines"], ["", ""]], "simple") == (
        "id    title\n----  ------------\np-1   A title\n      on two lines"
    )


def _textwrap(cell: str, width: int) -> str:
    """Wrapping as textwrap does it, line by line (the reference for the quick path)."""
    return "\n".join(
        "\n".join(_HyphenWrapper(width, break_on_hyphens=_longest_word(line) > width).wrap(line))
        or line
        for line in cell.split("\n")
    )


@given(st.text(st.sampled_from([*"ab- \n\t\xa0é"]), max_size=30), st.integers(1, 12))
def test_quick_wrapping_is_textwraps(cell: str, width: int) -> None:
    assert _wrap(cell, width) == _textwrap(cell, width)


def test_the_mermaid_timeline_orders_events_in_time_not_as_text() -> None:
    """A month comes before the whole year that holds it (``2015-01`` before ``2015``),
    whatever their order as text."""
    import attrs

    from pledges import PartialDate
    from pledges.present.report import _mermaid

    ledger = hostile_ledger("x")
    first = ledger.pledges[0]
    sooner = attrs.evolve(
        first,
        id="p3",
        history=(first.history[0], attrs.evolve(first.history[1], date=PartialDate(2015, 1))),
    )
    ledger = ledger.evolve(pledges=(*ledger.pledges, sooner))
    lines = _mermaid(ledger, compare(ledger, "o1", "2030")).splitlines()
    dates = [line.split(" : ")[0].strip() for line in lines[2:]]
    assert dates == ["2014-11-26", "2015-01", "2015", "2025-05-12"]
