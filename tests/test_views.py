"""Every reader's view word for word: a pledge's timeline, a lifecycle, a summary, what
changed between two versions, two codings compared, and the notebook views, each in its
formats, against golden files (tests/golden/views; regenerate with
``PLEDGES_UPDATE_GOLDEN=1 pytest tests/test_views.py`` and read the diff before you commit
it). The golden files are what a reader sees: a change of wording shows up here."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import attrs
import pytest

from pledges import load_bundled
from pledges.agreement import agreement
from pledges.diff import compare
from pledges.edits import changes, rewrites
from pledges.present.agreement import render_agreement
from pledges.present.changes import render_changes
from pledges.present.notebook import diff_html, ledger_html, pledge_html, summary_html
from pledges.present.render import render_document
from pledges.present.summary import lifecycle_document, summary_document
from pledges.present.timeline import timeline_document
from pledges.presets import PRESETS
from pledges.summary import summarize
from pledges.testing import hostile_ledger
from tests.test_changes import _every_kind_of_change
from tests.test_workbench import _second_coder

BUNDLED = load_bundled()
HOSTILE = hostile_ledger("<b>&amp; | *x* \\ ` $1")
VIEWS = Path(__file__).resolve().parent / "golden" / "views"
FORMATS = {"plain": "txt", "github": "md", "json": "json"}


def _timeline(ledger_name: str, pledge_id: str, fmt: str, known_at: str | None = None) -> str:
    ledger = HOSTILE if ledger_name == "hostile" else BUNDLED
    return render_document(timeline_document(ledger, pledge_id, known_at=known_at), fmt)


def _changes(fmt: str) -> str:
    old, new = _every_kind_of_change()
    silent = rewrites(old, new)
    return render_changes(changes(old, new), new, fmt, silent, "ledger.toml")


def _agreement(fmt: str) -> str:
    second = _second_coder()
    result = agreement(BUNDLED, second)
    return render_agreement(result, BUNDLED, second, fmt, ("first.toml", "second.toml"))


def _renamed_agreement(fmt: str) -> str:
    """The second coder's pledges under other ids: matched by their words, one call apart
    under two ids, a pledge only each side coded."""
    second = _second_coder()
    renamed = second.evolve(
        pledges=tuple(attrs.evolve(p, id=f"b-{p.id}", links=()) for p in second.pledges)
    )
    return render_agreement(agreement(BUNDLED, renamed), BUNDLED, renamed, fmt)


def _empty_agreement(fmt: str) -> str:
    nobody = BUNDLED.evolve(pledges=(), corrections=())
    return render_agreement(agreement(BUNDLED, nobody), BUNDLED, nobody, fmt)


def _ordinal_agreement(fmt: str) -> str:
    return render_agreement(agreement(HOSTILE, HOSTILE, "o1", "2030"), HOSTILE, HOSTILE, fmt)


def _lifecycle(name: str, fmt: str) -> str:
    return render_document(lifecycle_document(PRESETS[name]), fmt)


def _summary(fmt: str) -> str:
    summary = summarize(BUNDLED, "2025-12-31", by="topic")
    plain = summarize(BUNDLED, "2025-12-31")
    return render_document(summary_document(BUNDLED, plain, extra=(summary,)), fmt)


CASES: dict[str, Callable[[], str]] = {
    **{
        f"timeline-{pid}.{ext}": partial(_timeline, "bundled", pid, fmt)
        for pid in ("2014-market-access", "2014-fta", "2014-labour", "2025-defence-training")
        for fmt, ext in FORMATS.items()
    },
    "timeline-2014-market-access-known-2020.txt": lambda: _timeline(
        "bundled", "2014-market-access", "plain", "2020-01-01"
    ),
    **{
        f"timeline-hostile-{pid}.{ext}": partial(_timeline, "hostile", pid, fmt)
        for pid in ("p1", "p2")
        for fmt, ext in FORMATS.items()
    },
    **{
        f"lifecycle-{name}.{ext}": partial(_lifecycle, name, fmt)
        for name in PRESETS
        for fmt, ext in FORMATS.items()
    },
    **{f"summary.{ext}": partial(_summary, fmt) for fmt, ext in FORMATS.items()},
    "changes.txt": lambda: _changes("text"),
    "changes.md": lambda: _changes("markdown"),
    "agreement.txt": lambda: _agreement("text"),
    "agreement.md": lambda: _agreement("markdown"),
    "agreement.json": lambda: _agreement("json"),
    "agreement-ordinal.txt": lambda: _ordinal_agreement("text"),
    "agreement-renamed.txt": lambda: _renamed_agreement("text"),
    "agreement-renamed.json": lambda: _renamed_agreement("json"),
    "agreement-empty.txt": lambda: _empty_agreement("text"),
    "notebook-ledger.html": lambda: ledger_html(BUNDLED),
    "notebook-pledge.html": lambda: pledge_html(BUNDLED.pledge("2014-market-access")),
    "notebook-hostile-pledge.html": lambda: pledge_html(HOSTILE.pledges[1]),
    "notebook-diff.html": lambda: diff_html(compare(BUNDLED)),
    "notebook-summary.html": lambda: summary_html(summarize(BUNDLED, "2025-12-31", by="topic")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_view_reads_as_its_golden_file(name: str) -> None:
    text = CASES[name]()
    golden = VIEWS / name
    if os.environ.get("PLEDGES_UPDATE_GOLDEN") == "1":
        VIEWS.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_no_golden_file_is_left_without_its_view() -> None:
    assert sorted(p.name for p in VIEWS.iterdir()) == sorted(CASES)
