"""Hostile data in every text field, through every command and every format: the output is
inert for its target, and no command prints a traceback."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown as python_markdown
import pytest

from pledges import dumps, save
from pledges.cli import main
from pledges.escape import BIDI_CONTROLS
from pledges.present.render import FORMATS, LATEX_FORMATS, MARKDOWN_FORMATS, TEXT_FORMATS
from pledges.testing import PAYLOADS, hostile_ledger

ALL = " ".join(PAYLOADS)
_RAW = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]|\r(?!\n)")


class Page(HTMLParser):
    """Scripts, event handlers and link targets in a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts = 0
        self.handlers: list[str] = []
        self.targets: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(name)
            if name in ("href", "src", "cite", "action") and value is not None:
                self.targets.append(value)


def check_inert(text: str, fmt: str) -> None:
    assert _RAW.search(text) is None, fmt
    assert "Traceback" not in text
    if fmt in MARKDOWN_FORMATS:
        page = Page(python_markdown.markdown(text, extensions=["tables"]))
        assert (page.scripts, page.handlers, page.targets) == (0, [], [])
    elif fmt in LATEX_FORMATS:
        assert "\\input{" not in text
        assert "\\write18{" not in text
    elif fmt == "html":
        page = Page(text)
        assert page.scripts == 0
        assert page.handlers == []
        assert all(
            t.startswith(("https://", "http://", "#", "../")) or "://" not in t
            for t in page.targets
        )
        assert not any(t.lower().startswith("javascript:") for t in page.targets)
    elif fmt in ("csv", "tsv"):
        delimiter = "," if fmt == "csv" else "\t"
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "ledger.toml"
    save(hostile_ledger(ALL), path)
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_in_every_format_is_inert(hostile_file: Path, fmt: str) -> None:
    ledger = str(hostile_file)
    for argv in (
        ["report", ledger, "--baseline", "o1", "--outcome", "2030"],
        ["status", ledger, "--as-of", "2030"],
        ["summary", ledger, "--as-of", "2030", "--by", "topic"],
    ):
        code, out, err = run(*argv, "--format", fmt)
        assert (code, err) == (0, ""), err
        check_inert(out, fmt)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_alone_is_inert_where_it_is_most_dangerous(
    tmp_path: Path, payload: str
) -> None:
    path = tmp_path / "ledger.json"
    save(hostile_ledger(payload), path)
    for fmt in ("simple", "github", "html", "latex", "csv"):
        code, out, err = run(
            "report", str(path), "--baseline", "o1", "--outcome", "2030", "-f", fmt
        )
        assert (code, err) == (0, "")
        check_inert(out, fmt)
    code, out, _ = run("show", "p1", str(path))
    assert code == 0
    check_inert(out, "simple")


def test_show_export_validate_and_verify_are_inert(hostile_file: Path, tmp_path: Path) -> None:
    ledger = str(hostile_file)
    for argv, fmt in (
        (["show", "p1", ledger], "simple"),
        (["show", "p2", ledger], "simple"),
        (["export", ledger, "--format", "csv"], "csv"),
        (["export", ledger, "--format", "json"], "json"),
        (["export", ledger, "--format", "toml"], "toml"),
        (["validate", ledger], "simple"),
        (["verify", ledger, "--texts", str(tmp_path)], "simple"),
    ):
        code, out, err = run(*argv)
        assert code == 0, err
        check_inert(out + err, fmt)


def test_a_lifecycle_file_with_hostile_labels_is_inert(tmp_path: Path) -> None:
    lifecycle = hostile_ledger(ALL).lifecycles[0]
    path = tmp_path / "mine.toml"
    path.write_text(dumps(lifecycle), encoding="utf-8")
    for fmt in (*TEXT_FORMATS, "csv", "json", "toml"):
        code, out, err = run("lifecycle", str(path), "--format", fmt)
        assert (code, err) == (0, "")
        check_inert(out, fmt)


def test_hostile_file_names_are_shown_inert(tmp_path: Path) -> None:
    name = tmp_path / "bad\x1b[2J\u202ename.toml"
    name.write_text("not toml at all", encoding="utf-8")
    code, _, err = run("validate", str(name))
    assert code == 1
    check_inert(err, "simple")
    assert "[U+202E]" in err
