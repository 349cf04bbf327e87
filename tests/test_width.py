"""80 columns, as the docs promise: every command that prints text, in every text format, on
the bundled ledger and on an imported tracker, fits the width it is given (issue 25). A line
that is only an address, or only a command a reader copies, may be longer: breaking it would
break it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from pledges import save
from pledges.cli import main
from pledges.importers import import_csv
from pledges.present.render import LATEX_FORMATS, TERMINAL_FORMATS

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> str:
    ledger = import_csv(
        DATA / "government-promises.csv", lifecycle="from-file", made_on="2024", assessed_on="2024"
    ).ledger
    path = tmp_path_factory.mktemp("imported") / "promises.toml"
    save(ledger, path)
    return str(path)


def _commands(ledger: list[str], pledge: str, fmt: str) -> list[list[str]]:
    f = ["--format", fmt]
    rounds = ["--baseline", "2024", "--outcome", "2025"] if ledger else []
    return [
        ["status", *ledger, *f],
        ["summary", *ledger, *f],
        ["summary", *ledger, "--by", "topic", *f],
        ["report", *ledger, *rounds, *f],
        ["report", *ledger, *rounds, "--compact", *f],
        *([["show", pledge, *ledger]] if fmt == "simple" else []),
    ]


def _too_wide(text: str, width: int) -> list[str]:
    return [
        line
        for line in text.splitlines()
        if len(line) > width and not line.strip().startswith(("http://", "https://", "pledges "))
    ]


def _run(argv: list[str], width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    assert code == 0, (argv, err.getvalue())
    return out.getvalue() + err.getvalue()


# Text formats a terminal shows: every one tabulate draws, and the plain text of each.
SHOWN = ("simple", "plain", "grid", "fancy_grid", "psql", "rounded_outline", "presto")


@pytest.mark.parametrize("fmt", SHOWN)
@pytest.mark.parametrize("which", ["bundled", "imported"])
def test_every_command_fits_80_columns(
    fmt: str, which: str, imported: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, pledge = ([], "2014-fta") if which == "bundled" else ([imported], "")
    if not pledge:
        from pledges import load

        pledge = load(imported).pledges[0].id
    for argv in _commands(ledger, pledge, fmt):
        text = _run(argv, 80, monkeypatch)
        assert not _too_wide(text, 80), (argv, _too_wide(text, 80)[:3])
        assert text.endswith("\n"), argv
        assert not text.endswith("\n\n\n"), argv


def test_the_width_of_a_wider_terminal_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    narrow = _run(["status"], 80, monkeypatch)
    wide = _run(["status"], 160, monkeypatch)
    assert max(map(len, wide.splitlines())) > 80
    assert len(wide.splitlines()) < len(narrow.splitlines())


@pytest.mark.parametrize(
    "argv",
    [
        ["lifecycle", "default"],
        ["lifecycle", "politifact"],
        ["--help"],
        ["report", "--help"],
        ["import", "--help"],
        ["schema", "--help"],
        ["changes", "--help"],
    ],
)
def test_help_and_lifecycles_fit_80_columns(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _run(argv, 80, monkeypatch)
    assert not _too_wide(text, 80), _too_wide(text, 80)[:3]


def test_an_error_is_wrapped_between_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    err = io.StringIO()
    assert main(["lifecycle", "no-such-lifecycle-at-all"], io.StringIO(), err) != 0
    lines = err.getvalue().splitlines()
    assert len(lines) > 1
    assert all(len(line) <= 80 for line in lines)
    assert "no-such-lifecycle-at-all" in err.getvalue()  # the name whole, never broken


def test_ids_are_never_broken_mid_word(imported: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from pledges import load

    ids = [p.id for p in load(imported).pledges]
    text = _run(["status", imported], 80, monkeypatch)
    for pledge_id in ids:
        assert pledge_id in text or f"{pledge_id[:20]}" in text
    for line in text.splitlines():
        assert not line.rstrip().endswith("-") or line.strip().startswith("-")


def test_no_empty_tables_and_plurals_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _run(["summary"], 80, monkeypatch)
    assert "(0)" not in text
    assert " 1 more pledges" not in text
    assert " 1 pledges" not in text


@pytest.mark.parametrize("fmt", [*LATEX_FORMATS[:1], "github"])
def test_documents_other_than_terminal_text_end_in_one_line_break(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for argv in (["report", "--format", fmt], ["changes", "--help"]):
        text = _run(argv, 80, monkeypatch)
        assert text.endswith("\n")
        assert not text.endswith("\n\n")


assert set(SHOWN) <= set(TERMINAL_FORMATS)


@given(
    st.lists(st.text("abc-", min_size=1, max_size=6), min_size=1, max_size=8),
    st.lists(st.sampled_from([" ", "  ", "   "]), min_size=8, max_size=8),
    st.integers(6, 20),
)
def test_a_cell_wraps_between_its_words_however_they_are_spaced(
    words: list[str], spaces: list[str], width: int
) -> None:
    """Each line fits, no line starts or ends with a space, and the words come back in
    order: for single spaces (the quick way) as for runs of them (textwrap's way)."""
    from pledges.present.render import _wrap

    cell = "".join(w + s for w, s in zip(words, spaces, strict=False)).strip()
    lines = _wrap(cell, width).split("\n")
    assert all(len(line) <= width for line in lines)
    assert all(line == line.strip() for line in lines)
    assert " ".join(lines).split() == words


def test_a_document_s_corner_cases_read_right() -> None:
    """A blank line stays blank, a long heading wraps under its indent, a text that ends
    in an X keeps it, and a table alone as JSON has its name, its context and its rows."""
    from pledges.present.render import (
        MAX_CELL,
        TEXT_FORMATS,
        Document,
        Section,
        Table,
        render,
        render_document,
    )

    table = Table(
        "t", ("a", "b"), (("x", 0.5),), meta=(("as_of", "2020"),), numbers=((1, "percent"),)
    )
    doc = Document(
        "d",
        "Title",
        ("", "ends in X"),
        (Section("A heading long enough to wrap at twenty columns", table=table),),
        table,
    )
    assert render_document(doc, "plain", width=20).split("\n")[:6] == [
        "Title",
        "",
        "ends in X",
        "",
        "A heading long",
        "  enough to wrap at",
    ]
    assert render_document(doc, "github", precision=2).count("50.00%") == 1
    assert render_document(doc, "latex", precision=2).count("50.00\\%") == 1
    last = Document("d", "T", ("ends in X",), (), table)
    for fmt in ("plain", "github", "latex"):
        assert render_document(last, fmt).rstrip(" \\\n").endswith("ends in X"), fmt
    assert json.loads(render(table, "json")) == {
        "pledges_json": 1,
        "kind": "t",
        "as_of": "2020",
        "rows": [{"a": "x", "b": 0.5}],
    }
    assert render(table) == render(table, "simple", width=80, precision=1)
    assert "50.0%" in render(table)
    assert "50.0%" in render_document(doc, "plain")
    assert "<td>50.0%</td>" in table._repr_html_()  # a notebook shows the text's numbers
    section = Section("H " * 60, lines=("s " * 60,), empty="e")
    long = Document("d", "T " * 60, ("w " * 60,), (section,), table)
    assert render_document(long, "plain", width=None).split("\n")[:5] == [
        ("T " * 60).strip(),
        ("w " * 60).strip(),
        "",
        ("H " * 60).strip(),
        ("s " * 60).strip(),
    ]  # no width: nothing wrapped
    lines = Table("t", ("a",), (("one\ntwo",),))
    assert "one<br>two" in render(lines, "github")
    assert "one; two" in render(lines, "latex")
    whole = Table("t", ("a",), (("x" * MAX_CELL,), ("y" * (MAX_CELL + 1),)))
    text = render(whole, "plain", width=None)
    assert "x" * MAX_CELL + "\n" in text
    assert "y" * MAX_CELL + "… [1 more characters]" in text
    refused = f"unknown format 'yaml'; choose one of {', '.join(TEXT_FORMATS)}, csv, json"
    with pytest.raises(ValueError, match=f"^{re.escape(refused)}$"):
        render_document(doc, "yaml")
    with pytest.raises(ValueError, match=f"^{re.escape(refused)}$"):
        render(table, "yaml")
    html = (
        "HTML documents come from the site's templates: use pledges.site.document_page "
        "(or diff_page, status_page), or `--format html` on the command line"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(html)}$"):
        render_document(doc, "html")


def test_the_quick_layout_steps_aside_when_tabulate_measures_wide_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With wcwidth installed and tabulate's wide-character mode on (as in many notebook
    environments), tabulate lays tables out itself: a CJK character takes two columns."""
    import types

    import tabulate

    from pledges.present.render import _columns

    assert _columns(("a",), [["越南"]], "plain") is not None
    fake = types.SimpleNamespace(wcswidth=lambda s: 2 * len(s))
    monkeypatch.setattr(tabulate, "wcwidth", fake, raising=False)
    monkeypatch.setattr(tabulate, "WIDE_CHARS_MODE", True)
    assert _columns(("a",), [["越南"]], "plain") is None
    monkeypatch.setattr(tabulate, "WIDE_CHARS_MODE", False)
    assert _columns(("a",), [["越南"]], "plain") is not None


def test_a_header_wraps_between_words_and_never_inside_one() -> None:
    """A hyphenated word stays whole on a header's line, as ids stay whole in cells."""
    from pledges.present.render import _header_lines

    assert _header_lines("a b-ccc", ["xxxxxx"]) == "a\nb-ccc"
    assert _header_lines("aa bb-cc", ["x" * 8]) == "aa\nbb-cc"  # not "aa bb-" / "cc"
    assert _header_lines("what became of it", ["2014-leader-visits"]) == "what became of\nit"
    assert _header_lines("last news", []) == "last\nnews"


def test_a_document_ends_in_its_last_word_and_one_line_break() -> None:
    """Whatever ends a document (an entry, a section with nothing in it, a table), its last
    character is kept and one line break added."""
    from pledges.present.render import (
        Document,
        Entry,
        Line,
        Section,
        Table,
        render_document,
    )

    table = Table("t", ("a", "b"), (("x", "a longer cell"), ("y", "ends in X")))
    entry = Section("E", entries=(Entry("h", (Line("ends in X"),)),))
    none = Section("N", empty="nothing X")
    last_table = Section("T", table=table)
    for sections, fmt, ending in (
        ((entry,), "github", "- ends in X\n"),
        ((none,), "latex", "nothing X\n"),
        ((last_table,), "plain", "ends in X\n"),
    ):
        text = render_document(Document("d", "T", (), sections, table), fmt)
        assert text.endswith(ending), (fmt, text[-40:])


def test_the_layout_s_rules_for_ids_and_long_words_hold_for_any_table() -> None:
    """The longest word is broken first; an id column need not come first, nor a table with
    ids have a column to wrap; an id keeps what the other columns spare, at least 16
    characters and a third of the width."""
    from pledges.present.render import Table, render

    words = Table("t", ("a", "b"), (("aaaa-bbbb-cccc-dddd", "eeee-ffff-gggg"),), wrap=(0, 1))
    assert render(words, "plain", width=30) == (
        "a           b\naaaa-bbbb-  eeee-ffff-gggg\ncccc-dddd\n"
    )
    second = Table(
        "t",
        ("title", "id", "n"),
        (("a title of some length here", "the-identifier-of-it", "1"), ("short", "id-2", "2")),
        wrap=(0,),
        ids=(1,),
    )
    assert render(second, "plain", width=30) == (
        "id / title              n\nthe-identifier-of-it    1\na title of some length\nhere\n"
        "id-2                    2\nshort\n"
    )
    alone = Table("t", ("id",), (("x" * 40,),), ids=(0,))
    assert render(alone, "plain", width=20) == "id\n" + "x" * 19 + "…\n"
    beside = Table("t", ("id", "note"), (("x" * 40, "n" * 40),), ids=(0,))
    for width, kept in ((30, 15), (60, 19)):
        shown = render(beside, "plain", width=width).split("\n")[1]
        assert shown.startswith("x" * kept + "…  n"), width
