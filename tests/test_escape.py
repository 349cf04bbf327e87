"""Each output's one cleaning step makes any text inert there: checked with a real Markdown
engine (Python-Markdown, as MkDocs uses it), a LaTeX reading, a CSV reader and the terminal's
own rules."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import markdown as python_markdown
import pytest
from hypothesis import given, strategies as st

from pledges import escape
from pledges.present.render import Table, render
from pledges.testing import PAYLOADS, hostile_texts

ANY_TEXT = hostile_texts() | st.text()
_UNSAFE_TERMINAL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{escape.BIDI_CONTROLS}]")


class Parsed(HTMLParser):
    """The tags, attributes and text of an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.cells: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        if tag == "tr":
            self.cells.append(0)
        if tag in ("td", "th"):
            self.cells[-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@given(ANY_TEXT)
def test_terminal_text_has_no_escape_control_or_bidi_character(text: str) -> None:
    cleaned = escape.terminal(text)
    assert _UNSAFE_TERMINAL.search(cleaned.replace("\r\n", "\n")) is None
    assert "\r" not in cleaned.replace("\r\n", "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_is_shown_not_run_on_a_terminal(payload: str) -> None:
    assert "\x1b" not in escape.terminal(payload)
    assert "\u202e" not in escape.terminal(payload)


def markdown_html(text: str) -> str:
    html: str = python_markdown.markdown(text, extensions=["tables"])
    return html


@given(ANY_TEXT)
def test_markdown_text_renders_as_the_text_and_nothing_else(text: str) -> None:
    parsed = Parsed(markdown_html(escape.markdown(text)))
    assert set(parsed.tags) <= {"p", "br"}
    assert parsed.attributes == []
    shown = " ".join("".join(parsed.text).split())
    assert shown == " ".join(escape.terminal(text).split())


@pytest.mark.parametrize(
    "text", ["1. item", "1.", "2) x", "12) x\n3. y", "- x", "+ x", "    code", "# heading"]
)
def test_what_would_start_a_list_heading_or_code_block_reads_as_text(text: str) -> None:
    parsed = Parsed(markdown_html(escape.markdown(text)))
    assert set(parsed.tags) <= {"p", "br"}
    assert " ".join("".join(parsed.text).split()) == " ".join(text.split())


@pytest.mark.parametrize("text", ["50.00%", "17.6% of 2014", "2014-11-26", "3.5 (of 7)", "1.x"])
def test_numbers_that_start_no_list_are_left_as_written(text: str) -> None:
    assert escape.markdown(text) == text


@given(st.lists(ANY_TEXT, min_size=2, max_size=3))
def test_markdown_table_cells_stay_in_their_columns(cells: list[str]) -> None:
    table = Table("t", tuple(f"h{i}" for i in range(len(cells))), (tuple(cells), tuple(cells)))
    parsed = Parsed(markdown_html(render(table, "github")))
    assert set(parsed.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "br"}
    assert {a for a, _ in parsed.attributes} <= {"align"}
    assert parsed.cells == [len(cells)] * 3


def test_a_backslash_before_a_pipe_cannot_shift_a_column() -> None:
    table = Table("t", ("pledge", "status"), (("x\\|Fulfilled", "Made"),))
    parsed = Parsed(markdown_html(render(table, "github")))
    assert parsed.cells == [2, 2]
    assert "x\\|Fulfilled" in "".join(parsed.text)


_LATEX_ESCAPES = re.compile(
    r"\\textbackslash\{\}|\\textasciicircum\{\}|\\textasciitilde\{\}|\\[{}$&#_%]"
)


@given(ANY_TEXT)
def test_latex_text_has_no_live_special_character(text: str) -> None:
    left = _LATEX_ESCAPES.sub("", escape.latex(text))
    assert not set(left) & set("\\{}$&#^_%~")


@given(st.lists(ANY_TEXT, min_size=1, max_size=3))
def test_csv_cells_read_back_and_start_no_formula(cells: list[str]) -> None:
    table = Table("t", tuple(f"h{i}" for i in range(len(cells))), (tuple(cells),))
    (_, row) = list(csv.reader(io.StringIO(render(table, "csv"), newline="")))
    assert row == [escape.spreadsheet_cell(c) for c in cells]
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@given(ANY_TEXT)
def test_json_and_toml_escapes_lose_nothing(text: str) -> None:
    import json

    encoded = escape.unicode_escapes(json.dumps(text, ensure_ascii=False))
    assert json.loads(encoded) == text
    assert not set(encoded) & set("\x85\u2028\u2029" + escape.BIDI_CONTROLS)


def test_a_csv_cell_is_text_a_number_or_nothing() -> None:
    from pledges.present.render import csv_cell

    assert [csv_cell(c) for c in (None, 3, -0.5, 0.1, 1e16, "=1")] == [
        "",
        "3",
        "-0.5",
        "0.1",
        "1e+16",
        "'=1",
    ]
    for wrong in (True, [1], b"x"):
        name = type(wrong).__name__
        with pytest.raises(TypeError, match=f"^a table cell is text or a number, not {name}$"):
            csv_cell(wrong)  # type: ignore[arg-type]
