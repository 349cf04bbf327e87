"""Every reader's view word for word: a pledge's timeline, a lifecycle, a summary, what
changed between two versions, two codings compared, and the notebook views, each in its
formats, against golden files (tests/golden/views; regenerate with
``PLEDGES_UPDATE_GOLDEN=1 pytest tests/test_views.py`` and read the diff before you commit
it). The golden files are what a reader sees: a change of wording shows up here."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import attrs
import pytest

from pledges import PartialDate, load_bundled
from pledges.agreement import agreement
from pledges.cli import main
from pledges.diff import compare
from pledges.edits import changes, rewrites
from pledges.lifecycle import Lifecycle
from pledges.present.agreement import render_agreement
from pledges.present.changes import render_changes
from pledges.present.notebook import diff_html, ledger_html, pledge_html, summary_html
from pledges.present.render import Document, Table, render, render_document
from pledges.present.report import calls_table, diff_document
from pledges.present.summary import lifecycle_document, summary_document
from pledges.present.timeline import timeline, timeline_document
from pledges.presets import DEFAULT, PRESETS
from pledges.summary import KeptRule, summarize
from pledges.testing import hostile_ledger
from tests.test_changes import _every_kind_of_change
from tests.test_corrections import restatused
from tests.test_workbench import _second_coder

BUNDLED = load_bundled()
HOSTILE = hostile_ledger("<b>&amp; | *x* \\ ` $1")
VIEWS = Path(__file__).resolve().parent / "golden" / "views"
FORMATS = {"plain": "txt", "github": "md", "json": "json"}


def _timeline(ledger_name: str, pledge_id: str, fmt: str, known_at: str | None = None) -> str:
    ledger = HOSTILE if ledger_name == "hostile" else BUNDLED
    if fmt == "plain":  # as `pledges show` prints it
        return timeline(ledger, pledge_id, known_at=known_at)
    return render_document(timeline_document(ledger, pledge_id, known_at=known_at), fmt)


FLAT = Lifecycle.from_data(
    {
        "id": "flat",
        "label": "Flat",
        "initial": "open",
        "statuses": [
            {"id": "open", "label": "Open", "kind": "open", "to": ["waiting", "done"]},
            {"id": "waiting", "label": "Waiting", "kind": "open", "to": ["done"]},
            {"id": "done", "label": "Done", "kind": "fulfilled", "final": True, "score": 100},
        ],
    }
)
"""A lifecycle whose ranks cannot tell forward from back (its view carries a warning)."""


def _rewritten(fmt: str) -> str:
    """Published calls changed silently: a status on the same day, and a step moved to
    another day (the call of its old day taken out)."""
    visits = BUNDLED.pledge("2014-leader-visits")
    moved = list(visits.history)
    moved[1] = attrs.evolve(moved[1], date=PartialDate(2015, 12, 31))
    new = restatused(BUNDLED, "2014-market-access", 2, "in-progress")
    new = new.with_pledge(attrs.evolve(visits, history=tuple(moved)))
    return render_changes(changes(BUNDLED, new), new, fmt, rewrites(BUNDLED, new), "vb.toml")


def _plain_facts() -> str:
    """A pledge with no occasion, a window without wording, and its making cited from a
    local text with no web address."""
    fta = BUNDLED.pledge("2014-fta")
    source = fta.history[0].evidence[0].source
    local = BUNDLED.evolve(
        sources=tuple(
            attrs.evolve(s, url=None, path="texts/joint-statement.txt") if s.id == source else s
            for s in BUNDLED.sources
        )
    )
    assert fta.window is not None
    window = attrs.evolve(fta.window, wording=None)
    plain = local.with_pledge(attrs.evolve(fta, occasion=None, window=window))
    return timeline(plain, "2014-fta")


def _rewritten_defaults() -> str:
    new = restatused(BUNDLED, "2014-market-access", 2, "in-progress")
    return render_changes(changes(BUNDLED, new), new, silent=rewrites(BUNDLED, new))


def _searched_report(fmt: str) -> str:
    """The main report where a pledge was searched twice (the last search, with nothing
    found, is the one shown), its making cited from an undated source, and a renewal made
    on no named occasion; a pledge with neither news nor a search; the FTA's signing cited
    from a source without a date."""
    viettel = BUNDLED.pledge("2014-viettel")
    (search,) = viettel.searches
    earlier = attrs.evolve(search, on=PartialDate(2026, 1), found="an earlier search")
    source = viettel.history[0].evidence[0].source
    training = BUNDLED.pledge("2025-defence-training")
    ledger = BUNDLED.evolve(
        sources=tuple(
            attrs.evolve(s, published=None) if s.id == source else s for s in BUNDLED.sources
        )
    )
    ledger = ledger.with_pledge(
        attrs.evolve(viettel, searches=(earlier, attrs.evolve(search, found=None)))
    )
    ledger = ledger.with_pledge(attrs.evolve(training, occasion=None))
    quiet = BUNDLED.pledge("2014-governance-experience")
    ledger = ledger.with_pledge(attrs.evolve(quiet, searches=()))
    signed = BUNDLED.pledge("2014-fta").history[1].evidence[0].source
    ledger = ledger.evolve(
        sources=tuple(
            attrs.evolve(s, published=None) if s.id == signed else s for s in ledger.sources
        )
    )
    return render_document(diff_document(ledger, compare(ledger)), fmt)


def _calls(width: int) -> str:
    """The calls table of a round whose first pledge is a new one, and one with no news
    and no search recorded."""
    pledges = sorted(BUNDLED.pledges, key=lambda p: p.id != "2025-defence-training")
    quiet = [attrs.evolve(p, searches=()) if p.id == "2014-viettel" else p for p in pledges]
    ledger = BUNDLED.evolve(pledges=tuple(quiet))
    return render(calls_table(ledger, compare(ledger)), "plain", width=width)


def _changes(fmt: str) -> str:
    old, new = _every_kind_of_change()
    silent = rewrites(old, new)
    return render_changes(changes(old, new), new, fmt, silent, "ledger.toml")


def _agreement(fmt: str) -> str:
    second = _second_coder()
    result = agreement(BUNDLED, second)
    return render_agreement(result, fmt, ("first.toml", "second.toml"))


def _renamed_agreement(fmt: str) -> str:
    """The second coder's pledges under other ids: matched by their words, one call apart
    under two ids, a pledge only each side coded."""
    second = _second_coder()
    renamed = second.evolve(
        pledges=tuple(attrs.evolve(p, id=f"b-{p.id}", links=()) for p in second.pledges)
    )
    return render_agreement(agreement(BUNDLED, renamed), fmt)


def _small_agreement(fmt: str) -> str:
    """One pledge both coded (matched by a mapping), one each side alone."""
    a = BUNDLED.evolve(pledges=(BUNDLED.pledge("2014-fta"), BUNDLED.pledge("2014-labour")))
    b = BUNDLED.evolve(pledges=(BUNDLED.pledge("2014-fta"), BUNDLED.pledge("2014-students")))
    b = b.evolve(pledges=tuple(attrs.evolve(p, id=f"b-{p.id}") for p in b.pledges))
    result = agreement(a, b, "talks-2014", "visit-2025", mapping={"2014-fta": "b-2014-fta"})
    return render_agreement(result, fmt)


def _narrow_agreement() -> str:
    """At 50 columns, with pledges only one side coded under ids too long to show whole."""
    long = "-as-agreed-at-the-talks-in-minsk-on-26-november-2014"
    a = BUNDLED.evolve(pledges=(BUNDLED.pledge("2014-fta"), BUNDLED.pledge("2014-labour")))
    a = a.evolve(pledges=tuple(attrs.evolve(p, id=p.id + long, links=()) for p in a.pledges))
    b = BUNDLED.evolve(pledges=(BUNDLED.pledge("2014-fta"),))
    return render_agreement(agreement(a, b, "talks-2014", "visit-2025"), "text", width=50)


def _unranked_agreement(fmt: str) -> str:
    """A coding on a ranked scale against one on a scale without ranks."""
    (lifecycle,) = HOSTILE.lifecycles
    flat = attrs.evolve(
        lifecycle, statuses=tuple(attrs.evolve(s, rank=1) for s in lifecycle.statuses)
    )
    unranked = HOSTILE.evolve(lifecycles=(flat,))
    return render_agreement(agreement(HOSTILE, unranked, "o1", "2030"), fmt)


def _empty_agreement(fmt: str) -> str:
    nobody = BUNDLED.evolve(pledges=(), corrections=())
    return render_agreement(agreement(BUNDLED, nobody), fmt)


def _ordinal_agreement(fmt: str) -> str:
    return render_agreement(agreement(HOSTILE, HOSTILE, "o1", "2030"), fmt)


def _lifecycle(name: str, fmt: str) -> str:
    return render_document(lifecycle_document(PRESETS[name]), fmt)


def _summary(fmt: str) -> str:
    summary = summarize(BUNDLED, "2025-12-31", by="topic")
    plain = summarize(BUNDLED, "2025-12-31")
    return render_document(summary_document(BUNDLED, plain, extra=(summary,)), fmt)


def _tables() -> str:
    """Each document's tables, by the name each gives in JSON (``kind``) and its headers:
    the CSV table first, then each section's."""
    from pledges.present.agreement import agreement_document
    from pledges.present.report import status_document, status_table

    diff = compare(BUNDLED)
    documents = [
        diff_document(BUNDLED, diff),
        diff_document(BUNDLED, diff, compact=True),
        status_document(BUNDLED, status_table(BUNDLED, "2020")),
        summary_document(
            BUNDLED, summarize(BUNDLED, "2030"), extra=(summarize(BUNDLED, "2030", by="topic"),)
        ),
        summary_document(BUNDLED, summarize(BUNDLED, "2030", scale=PRESETS["compliance"])),
        lifecycle_document(DEFAULT),
        timeline_document(BUNDLED, "2014-fta"),
        agreement_document(agreement(BUNDLED, _second_coder())),
    ]
    out = []
    for doc in documents:
        out.append(f"{doc.kind}: {doc.flat.kind} {doc.flat.headers}")
        out += [
            f"  {s.heading}: {s.table.kind} {s.table.headers}"
            for s in doc.sections
            if s.table is not None
        ]
    calls = calls_table(BUNDLED, diff)
    out.append(f"calls: {calls.kind} {calls.headers}")
    out += [json.loads(render(calls, "json"))["kind"], ""]
    return "\n".join(out)


def _summary_on_a_rule() -> str:
    """Pledges all scored, a kept rule of two kinds leaving nothing out, and a whole
    summary among the extras (which adds no table)."""
    moved = tuple(p for p in BUNDLED.pledges if p.status != "made")
    rule = KeptRule(("fulfilled", "partial"), ())
    summary = summarize(BUNDLED, "2025-12-31", pledges=moved, rule=rule)
    extra = (summarize(BUNDLED, "2025-12-31"), summarize(BUNDLED, "2025-12-31", by="topic"))
    return render_document(summary_document(BUNDLED, summary, extra=extra), "plain")


def _summary_unscored() -> str:
    """Two statuses without a score, on two scales, beside a scored one; two kinds of status
    left out of the kept share."""
    first = HOSTILE.pledges[0]
    ledger = HOSTILE.evolve(
        pledges=(
            attrs.evolve(first, history=first.history[:1]),
            HOSTILE.pledges[1],
            attrs.evolve(first, id="p3"),
        )
    )
    rule = KeptRule(("fulfilled",), ("closed", "in-progress"))
    return render_document(summary_document(ledger, summarize(ledger, "2030", rule=rule)), "plain")


def _overdue_narrow() -> str:
    """The overdue table at 50 columns, its pledge id too long to show whole."""
    pledges = tuple(
        attrs.evolve(p, id=p.id + "-for-2025-2027-signed-at-the-state-visit")
        if p.id == "2024-roadmap"
        else p
        for p in BUNDLED.pledges
    )
    ledger = BUNDLED.evolve(pledges=pledges)
    return render_document(summary_document(ledger, summarize(ledger, "2030")), "plain", width=50)


def _layout_tables() -> dict[str, Table]:
    """Tables of every shape: ids, wrapped titles, several wrapped columns, numbers."""

    def table(document: Document, section: int) -> Table:
        found = document.sections[section].table
        assert found is not None
        return found

    diff = compare(BUNDLED)
    hostile = summary_document(HOSTILE, summarize(HOSTILE, "2030"))
    return {
        "calls": calls_table(BUNDLED, diff),
        "compact": table(diff_document(BUNDLED, diff, compact=True), 0),
        "new": table(diff_document(BUNDLED, diff), 1),
        "overdue": table(summary_document(BUNDLED, summarize(BUNDLED, "2030")), -1),
        "statuses": table(hostile, 0),
        "one-scale": table(
            summary_document(BUNDLED, summarize(BUNDLED, "2030", scale=PRESETS["compliance"])), 0
        ),
        "groups": summary_document(BUNDLED, summarize(BUNDLED, "2030", by="topic")).flat,
    }


def _layouts() -> str:
    """The tables of :func:`_layout_tables` fitted to widths from 20 to 60 columns, then one
    table and one document in every text format: the layout's thresholds, each pinned."""
    from pledges.present.render import TEXT_FORMATS

    tables = _layout_tables()
    hostile = summary_document(HOSTILE, summarize(HOSTILE, "2030"))
    out = []
    for name, whole in tables.items():
        first = attrs.evolve(whole, rows=whole.rows[:3])
        for width in (20, 24, 28, 32, 40, 50, 60):
            out += [f"== {name} at {width}", render(first, "plain", width=width)]
    out += [
        "== calls with the defaults",
        render(attrs.evolve(tables["calls"], rows=tables["calls"].rows[:3])),
    ]
    for fmt in TEXT_FORMATS:
        first = attrs.evolve(tables["statuses"], rows=tables["statuses"].rows[:2])
        out += [f"== statuses as {fmt}", render(first, fmt, width=40)]
    for fmt in ("latex", "pipe", "grid"):
        out += [f"== summary as {fmt}", render_document(hostile, fmt, width=40)]
    return "\n".join(out)


def _layout_digests() -> str:
    """Each table of :func:`_layout_tables` (three rows) at every width from 16 to 90
    columns, plain and in presto's frame: a digest a rendering, so that every threshold of
    the layout is pinned at every width (layouts.txt shows the text of a few)."""
    import hashlib

    out = []
    for name, whole in _layout_tables().items():
        first = attrs.evolve(whole, rows=whole.rows[:3])
        for fmt in ("plain", "presto"):
            digests = [
                hashlib.sha256(render(first, fmt, width=width).encode()).hexdigest()[:6]
                for width in range(16, 91)
            ]
            out.append(f"{name} {fmt}: {' '.join(digests)}")
    return "\n".join(out) + "\n"


def _command(*argv: str) -> str:
    """What a command prints, as a reader at 80 columns sees it."""
    out = io.StringIO()
    assert main(list(argv), out, io.StringIO()) == 0
    return out.getvalue()


CASES: dict[str, Callable[[], str]] = {
    "status-2020.txt": partial(_command, "status", "--as-of", "2020"),
    "status-2020.md": partial(_command, "status", "--as-of", "2020", "-f", "github"),
    "status-2020.json": partial(_command, "status", "--as-of", "2020", "-f", "json"),
    "status-known-2016.txt": partial(_command, "status", "--as-of", "2020", "--known-at", "2016"),
    "status-2013.txt": partial(_command, "status", "--as-of", "2013"),
    "summary-2030.txt": partial(_command, "summary", "--as-of", "2030"),
    "summary-2030.md": partial(_command, "summary", "--as-of", "2030", "-f", "github"),
    "summary-2013.txt": partial(_command, "summary", "--as-of", "2013"),
    "summary-rule.txt": _summary_on_a_rule,
    "summary-by-topic-compliance.json": lambda: render_document(
        summary_document(
            BUNDLED,
            summarize(BUNDLED, "2025-12-31", by="topic", scale=PRESETS["compliance"]),
        ),
        "json",
    ),
    "summary-overdue-narrow.txt": _overdue_narrow,
    "summary-unscored.txt": _summary_unscored,
    "summary-hostile-narrow.txt": lambda: render_document(
        summary_document(
            HOSTILE,
            summarize(HOSTILE, "2030"),
            extra=(summarize(HOSTILE, "2030", by="topic"), summarize(HOSTILE, "2030", by="actor")),
        ),
        "plain",
        width=28,
    ),
    "summary-by-actor.txt": partial(
        _command, "summary", "--as-of", "2025-12-31", "--by", "actor", "--precision", "2"
    ),
    "summary-scale-compliance.txt": partial(
        _command, "summary", "--as-of", "2025-12-31", "--scale", "compliance"
    ),
    **{
        f"timeline-{pid}.{ext}": partial(_timeline, "bundled", pid, fmt)
        for pid in ("2014-market-access", "2014-fta", "2014-labour", "2025-defence-training")
        for fmt, ext in FORMATS.items()
    },
    "timeline-2014-market-access-known-2020.txt": lambda: _timeline(
        "bundled", "2014-market-access", "plain", "2020-01-01"
    ),
    "timeline-2014-fta-narrowest.txt": lambda: timeline(BUNDLED, "2014-fta", width=20),
    "timeline-2014-fta.csv": partial(_timeline, "bundled", "2014-fta", "csv"),
    "timeline-2014-fta-known-2013.txt": partial(_timeline, "bundled", "2014-fta", "plain", "2013"),
    "timeline-plain-facts.txt": lambda: _plain_facts(),
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
    "lifecycle-default.csv": partial(_lifecycle, "default", "csv"),
    "lifecycle-default-narrow.txt": lambda: render_document(
        lifecycle_document(PRESETS["default"]), "plain", width=50
    ),
    "lifecycle-flat.txt": lambda: render_document(lifecycle_document(FLAT), "plain"),
    "calls.txt": partial(_calls, 100),
    "tables.txt": _tables,
    "layouts.txt": _layouts,
    "layout-digests.txt": _layout_digests,
    "report-searched.txt": partial(_searched_report, "plain"),
    "report-searched.json": partial(_searched_report, "json"),
    "report-searched.csv": partial(_searched_report, "csv"),
    "report-compact.txt": partial(_command, "report", "--compact"),
    "report-compact-narrow.txt": lambda: render_document(
        diff_document(BUNDLED, compare(BUNDLED), compact=True), "plain", width=40
    ),
    "report-new-narrow.txt": lambda: render(
        diff_document(BUNDLED, compare(BUNDLED)).sections[1].table,  # type: ignore[arg-type]
        "plain",
        width=40,
    ),
    "report-hostile.md": lambda: render_document(
        diff_document(HOSTILE, compare(HOSTILE, "o1", "2030")), "github"
    ),
    "report-nothing-compact.txt": lambda: render_document(
        diff_document(
            BUNDLED,
            compare(BUNDLED.evolve(pledges=(), corrections=()), "talks-2014", "2025"),
            compact=True,
        ),
        "plain",
    ),
    "report-nothing.txt": lambda: render_document(
        diff_document(
            BUNDLED, compare(BUNDLED.evolve(pledges=(), corrections=()), "2014-11", "2025")
        ),
        "plain",
    ),
    "rewrites.txt": partial(_rewritten, "text"),
    "rewrites.json": partial(_rewritten, "json"),
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
    "agreement-small.txt": partial(_small_agreement, "text"),
    "agreement-narrow.txt": _narrow_agreement,
    "agreement-unranked.txt": partial(_unranked_agreement, "text"),
    "notebook-ledger.html": lambda: ledger_html(BUNDLED),
    "notebook-hostile-ledger.html": lambda: ledger_html(HOSTILE),
    "notebook-empty-ledger.html": lambda: ledger_html(BUNDLED.evolve(pledges=(), corrections=())),
    "notebook-summary-whole.html": lambda: summary_html(summarize(BUNDLED, "2025-12-31")),
    "notebook-summary-2013.html": lambda: summary_html(summarize(BUNDLED, "2013")),
    "timeline-hostile-lines-p2.md": lambda: render_document(
        timeline_document(hostile_ledger("one\ntwo\r\nthree"), "p2"), "github"
    ),
    "status-2020.tsv": partial(_command, "status", "--as-of", "2020", "-f", "tsv"),
    "agreement-defaults.txt": lambda: render_agreement(agreement(BUNDLED, _second_coder())),
    "changes-one.md": lambda: render_changes(
        changes(BUNDLED, BUNDLED.evolve(title="Renamed")), BUNDLED, "markdown"
    ),
    "rewrites-defaults.txt": lambda: _rewritten_defaults(),
    "notebook-pledge.html": lambda: pledge_html(BUNDLED.pledge("2014-market-access")),
    "notebook-hostile-pledge.html": lambda: pledge_html(HOSTILE.pledges[1]),
    "notebook-diff.html": lambda: diff_html(compare(BUNDLED)),
    "notebook-hostile-diff.html": lambda: diff_html(compare(HOSTILE, "o1", "2030")),
    "notebook-twenty.html": lambda: ledger_html(
        HOSTILE.evolve(
            pledges=tuple(attrs.evolve(HOSTILE.pledges[0], id=f"p{i}") for i in range(1, 21))
        )
    ),
    "notebook-summary.html": lambda: summary_html(summarize(BUNDLED, "2025-12-31", by="topic")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_view_reads_as_its_golden_file(name: str) -> None:
    text = CASES[name]()
    golden = VIEWS / name
    if os.environ.get("PLEDGES_UPDATE_GOLDEN") == "1":
        VIEWS.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")  # bytes: CSV lines end in \r\n


def test_no_golden_file_is_left_without_its_view() -> None:
    assert sorted(p.name for p in VIEWS.iterdir()) == sorted(CASES)


def test_a_view_of_nothing_is_empty_and_an_unknown_format_is_named() -> None:
    assert render_changes((), BUNDLED) == ""
    assert render_changes((), BUNDLED, "markdown") == ""
    refused = "^unknown format 'yaml'; choose one of text, markdown, json$"
    with pytest.raises(ValueError, match=refused):
        render_agreement(agreement(BUNDLED, BUNDLED), "yaml")
    with pytest.raises(ValueError, match=refused):
        render_changes(changes(BUNDLED, HOSTILE), HOSTILE, "yaml")


def test_each_status_falls_in_the_category_its_kind_and_direction_give() -> None:
    from pledges.present.phrases import category

    keys = {s.id: category(DEFAULT, s.id).key for s in DEFAULT.statuses}
    assert keys == {
        "made": "open",
        "in-progress": "progress",
        "stalled": "stalled",
        "partially-fulfilled": "partial",
        "fulfilled": "fulfilled",
        "broken": "failed",
        "withdrawn": "closed",
        "superseded": "closed",
    }
