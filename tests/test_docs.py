"""Documentation that runs: README.md, docs/*.md and every module's docstrings."""

from __future__ import annotations

import doctest
import importlib
import io
import os
import pkgutil
import re
import shlex
import subprocess
from pathlib import Path

import pytest

import pledges
from pledges.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_examples_of_each_page_run(page: Path) -> None:
    result = doctest.testfile(str(page), module_relative=False, optionflags=FLAGS)
    assert result.failed == 0


MODULES = [m.name for m in pkgutil.iter_modules(pledges.__path__, "pledges.")]


@pytest.mark.parametrize("name", ["pledges", *MODULES])
def test_the_examples_in_docstrings_run(name: str) -> None:
    if name == "pledges.__main__":
        return
    result = doctest.testmod(importlib.import_module(name), optionflags=FLAGS)
    assert result.failed == 0


UPDATE = os.environ.get("PLEDGES_UPDATE_DOCS") == "1"
EXCERPT_LINES = 30


def test_the_readme_shows_the_real_output_of_the_main_job() -> None:
    out = io.StringIO()
    assert main(["report"], out) == 0
    path = ROOT / "README.md"
    readme = path.read_text(encoding="utf-8")
    head, rest = readme.split("```text\n", 1)
    excerpt, tail = rest.split("\n...\n", 1)
    if UPDATE:
        excerpt = "\n".join(out.getvalue().splitlines()[:EXCERPT_LINES])
        path.write_text(f"{head}```text\n{excerpt}\n...\n{tail}", encoding="utf-8")
    assert out.getvalue().startswith(excerpt + "\n")


def test_the_public_names_are_one_list_each_taken_from_its_home() -> None:
    namespace: dict[str, object] = {}
    exec("from pledges import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(pledges.__all__)
    homes = pledges._homes()
    assert set(pledges.__all__) == {*homes, "__version__"}
    for name, home in homes.items():
        found = getattr(importlib.import_module(home), name)
        assert getattr(pledges, name) is found
        if callable(found):
            assert found.__doc__, f"{home}.{name} has no docstring"


CONSOLE = re.compile(
    r"```console\n\$ (?P<program>pledges|git) (?P<command>[^\n]*)\n"
    r"(?:(?P<output>(?:(?!```).)*?)\n)?```",
    re.S,
)
GIT = {
    "GIT_AUTHOR_NAME": "Coder",
    "GIT_AUTHOR_EMAIL": "coder@example.org",
    "GIT_COMMITTER_NAME": "Coder",
    "GIT_COMMITTER_EMAIL": "coder@example.org",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_SYSTEM": "/dev/null",
}


def _run_block(block: re.Match[str]) -> str:
    """What a ``$ pledges`` or ``$ git`` block prints, run in the current folder."""
    if block["program"] == "git":
        done = subprocess.run(
            ["git", *shlex.split(block["command"])],
            capture_output=True,
            text=True,
            env={**os.environ, **GIT},
            check=False,
        )
        return (done.stdout + done.stderr).rstrip("\n")
    out, err = io.StringIO(), io.StringIO()
    main(shlex.split(block["command"]), out, err)
    return (out.getvalue() + err.getvalue()).rstrip("\n")


CONSOLE_PAGES = ["getting-started.md", "own-tracker.md", "coding.md"]
DATA = ROOT / "tests" / "data"


def test_the_example_files_a_page_shows_are_the_files_it_imports() -> None:
    page = (ROOT / "docs" / "own-tracker.md").read_text(encoding="utf-8")
    for name in ("promises-semicolon.csv", "scorecard.csv"):
        head = "\n".join((DATA / name).read_text(encoding="utf-8-sig").splitlines()[:3])
        assert f"```text\n{head}\n...\n```" in page


@pytest.mark.parametrize("name", CONSOLE_PAGES)
def test_the_console_blocks_print_what_the_page_shows(name: str, tmp_path: Path) -> None:
    """Each ``$ pledges ...`` block is run (in a scratch folder holding the files the page
    makes) and must print exactly what the page shows."""
    path = ROOT / "docs" / name
    page = path.read_text(encoding="utf-8")
    blocks = list(CONSOLE.finditer(page))
    assert blocks
    for example in DATA.iterdir():  # the files the pages import
        (tmp_path / example.name).write_bytes(example.read_bytes())
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        printed = [_run_block(block) for block in blocks]
    finally:
        os.chdir(here)
    if UPDATE:
        pieces = iter(printed)
        page = CONSOLE.sub(
            lambda m: (
                f"```console\n$ {m['program']} {m['command']}\n"
                + "".join(f"{piece}\n" for piece in [next(pieces)] if piece)
                + "```"
            ),
            page,
        )
        path.write_text(page, encoding="utf-8")
        return
    for block, shown in zip(blocks, printed, strict=True):
        assert shown == (block["output"] or ""), block["command"]


def test_the_cli_page_opens_with_the_parsers_own_synopsis() -> None:
    from pledges.cli.synopsis import synopsis

    path = ROOT / "docs" / "cli.md"
    page = path.read_text(encoding="utf-8")
    start, end = "<!-- synopsis:start -->\n```text\n", "```\n<!-- synopsis:end -->"
    before, rest = page.split(start)
    shown, after = rest.split(end)
    if UPDATE:
        path.write_text(f"{before}{start}{synopsis()}{end}{after}", encoding="utf-8")
        return
    assert shown == synopsis()
