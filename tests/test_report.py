"""Reports: golden outputs of the main job, every format, escaping, and agreement with queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledges import Ledger, load_bundled
from pledges.cli import main
from pledges.diff import compare
from pledges.report import (
    FORMATS,
    Document,
    Table,
    diff_document,
    render,
    render_document,
    status_table,
    summary_document,
    timeline,
)
from pledges.testing import days, ledgers

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
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "2014-fta" in text
    assert "New pledges, made after 2014-11-26 (23)" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_report(fmt: str) -> None:
    for command in (["report"], ["status", "--as-of", "2025"], ["summary", "--as-of", "2025"]):
        assert run(*command, "--format", fmt)


def test_json_has_a_stable_versioned_shape() -> None:
    body = json.loads(run("report", "--format", "json"))
    assert list(body) == ["pledges_json", "kind", "baseline", "outcome", "counts", "rows"]
    assert body["pledges_json"] == 1
    fta = next(r for r in body["rows"] if r["id"] == "2014-fta")
    assert [u["status"] for u in fta["updates"]] == ["signed", "ratified", "in-force"]
    assert fta["renewed_by"] == ["2025-fta-leverage"]
    assert fta["updates"][0]["evidence"][0]["url"].startswith("https://themoscowtimes.com/")


def test_html_is_a_complete_page() -> None:
    page = run("report", "--format", "html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert page.count("<table>") == 2


HOSTILE = '<script>alert(1)</script> | =HYPERLINK("x") \x1b[31mred\x1b[0m\x07'


@pytest.fixture
def hostile(small_ledger: Ledger) -> Ledger:
    fta = small_ledger.pledge("fta")
    return small_ledger.with_pledge(attrs.evolve(fta, title=HOSTILE))


def test_html_escapes_every_piece_of_data(hostile: Ledger) -> None:
    page = render_document(diff_document(hostile, compare(hostile)), "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markdown_escapes_pipes_and_line_breaks(hostile: Ledger) -> None:
    text = render_document(diff_document(hostile, compare(hostile)), "github")
    row = next(line for line in text.splitlines() if "alert(1)" in line)
    assert "</script> \\| =HYPERLINK" in row
    assert "fta<br><script>" in row
    unescaped = re.findall(r"(?<!\\)\|", row)
    assert len(unescaped) == 4  # three cells, as in the header row


def test_csv_neutralises_formulas(small_ledger: Ledger) -> None:
    fta = small_ledger.pledge("fta")
    formula = '=HYPERLINK("https://evil.example","click")'
    ledger = small_ledger.with_pledge(attrs.evolve(fta, title=formula))
    rows = list(csv.reader(io.StringIO(render(status_table(ledger, "2030"), "csv"))))
    assert rows[1][1] == "'" + formula
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    table = Table("t", ("a",), (("=1+1",), ("-2",), ("@x",), ("\tx",), ("plain",)))
    assert render(table, "csv").splitlines()[1:] == ["'=1+1", "'-2", "'@x", "'\tx", "plain"]


def test_terminal_output_strips_escape_sequences_and_control_characters(
    hostile: Ledger,
) -> None:
    for text in (render(status_table(hostile, "2030"), "simple"), timeline(hostile, "fta")):
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "red" in text


def test_the_summary_counts_and_scores() -> None:
    doc = summary_document(BUNDLED, "2025-12-31")
    assert doc.data["pledges"] == 39
    assert doc.data["by_status"]["Treaty: In force"] == 2
    assert doc.data["compliance"] == {"score": 0.5, "scored": 6}
    assert doc.data["overdue"] == []
    assert summary_document(BUNDLED, "2028-01-01").data["overdue"] == ["2024-roadmap"]


@given(ledgers(), days())
def test_the_status_table_agrees_with_the_status_query(ledger: Ledger, day: dt.date) -> None:
    table = status_table(ledger, day)
    statuses = ledger.statuses_at(day)
    assert [row[0] for row in table.rows] == list(statuses)
    for row in table.rows:
        assert row[2] == ledger.lifecycle_of(row[0]).label_of(statuses[row[0]])


@given(ledgers(), days())
def test_wrapping_keeps_every_word(ledger: Ledger, day: dt.date) -> None:
    table = status_table(ledger, day)
    text = render(table, "plain", width=60)
    words = [w for row in table.rows for cell in row for w in cell.split()]
    flat = " ".join(text.split())
    assert all(word.strip() in flat for word in words if word.isprintable())


FORMULA = ("=", "+", "-", "@", "\t", "\r")


@given(st.text(st.characters(blacklist_characters="\x00")))
def test_no_csv_cell_can_start_a_formula(text: str) -> None:
    rows = list(csv.reader(io.StringIO(render(Table("t", ("a",), ((text,),)), "csv"))))
    assert rows[1] == ["'" + text if text.startswith(FORMULA) else text]


class Tags(HTMLParser):
    """The sequence of tags in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.seen.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.seen.append("/" + tag)


def tags_of(text: str) -> list[str]:
    table = Table("t", ("a",), ((text,),))
    parser = Tags()
    parser.feed(render_document(Document("t", text, (text,), (("h", table),), table), "html"))
    return parser.seen


MARKUP = st.text(st.sampled_from("<>/=\"'&; abipr"), min_size=3) | st.text(
    st.characters(blacklist_characters="\r\n")
)


@given(MARKUP)
def test_no_data_adds_markup_to_an_html_page(text: str) -> None:
    assert tags_of(text) == tags_of("x")
