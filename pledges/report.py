"""Tables and timelines for people: what a ledger says, rendered as text, CSV or JSON.

Build a :class:`Table` (:func:`status_table`, :func:`pledge_table`), then :func:`render` it in
any of tabulate's text formats, ``csv`` or ``json``. Text formats wrap long columns to a
width and strip control characters that came with the data; CSV neutralises cells a
spreadsheet would run as formulas; JSON has a stable shape with a ``pledges_json`` version key.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from tabulate import tabulate, tabulate_formats

from pledges.dates import DateLike, as_of_day
from pledges.ledger import Ledger
from pledges.model import Pledge

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "TEXT_FORMATS",
    "Table",
    "pledge_table",
    "render",
    "select",
    "status_table",
    "timeline",
]

TEXT_FORMATS: tuple[str, ...] = tuple(sorted(tabulate_formats))
"""The text formats tabulate offers (plain, simple, github, grid, html, latex, ...)."""

FORMATS: tuple[str, ...] = (*TEXT_FORMATS, "csv", "json")
"""Every format :func:`render` accepts."""

JSON_VERSION = 1
"""The version of the JSON output's shape; it changes only when the shape does."""

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@attrs.frozen
class Table:
    """Rows of text under headers. ``kind`` names the table in JSON output; ``wrap`` lists
    the columns that may be wrapped to fit a width; ``meta`` is extra JSON context."""

    kind: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    wrap: tuple[int, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()


def select(
    ledger: Ledger,
    *,
    topic: str | None = None,
    actor: str | None = None,
    occasion: str | None = None,
) -> tuple[Pledge, ...]:
    """The ledger's pledges, narrowed by topic, actor (any alias, either side) and occasion."""
    chosen: Iterable[Pledge] = ledger.pledges
    if topic is not None:
        by_topic = {p.id for p in ledger.by_topic(topic)}
        chosen = [p for p in chosen if p.id in by_topic]
    if actor is not None:
        by_actor = {p.id for p in ledger.by_actor(actor)}
        chosen = [p for p in chosen if p.id in by_actor]
    if occasion is not None:
        chosen = [p for p in ledger.by_occasion(occasion) if p in set(chosen)]
    return tuple(chosen)


def status_table(
    ledger: Ledger,
    as_of: DateLike,
    *,
    topic: str | None = None,
    actor: str | None = None,
    occasion: str | None = None,
    status: str | None = None,
) -> Table:
    """Every pledge made by ``as_of`` (narrowed as :func:`select` does, and by status id),
    with its status then and the date it reached that status."""
    day = as_of_day(as_of)
    rows = []
    for pledge in select(ledger, topic=topic, actor=actor, occasion=occasion):
        current = ledger.status_at(pledge, day)
        if current is None or (status is not None and current != status):
            continue
        rows.append(
            (
                pledge.id,
                pledge.title,
                ledger.lifecycle_of(pledge).label_of(current),
                str(ledger.status_since(pledge, day)),
                str(pledge.made_on),
            )
        )
    return Table(
        kind="status",
        headers=("id", "pledge", "status", "since", "made"),
        rows=tuple(rows),
        wrap=(1,),
        meta=(("as_of", str(day)),),
    )


def pledge_table(ledger: Ledger) -> Table:
    """One flat row per pledge, every field as text (for CSV export)."""
    rows = []
    for p in ledger.pledges:
        rows.append(
            (
                p.id,
                p.title,
                p.text,
                p.kind.value,
                "; ".join(p.made_by),
                "; ".join(p.made_to),
                p.occasion or "",
                "; ".join(p.topics),
                "" if p.window is None else str(p.window),
                p.lifecycle,
                str(p.made_on),
                p.status,
                "; ".join(f"{link.kind.value} {link.pledge}" for link in p.links),
            )
        )
    headers = ("id", "title", "text", "kind", "made_by", "made_to", "occasion", "topics",
               "window", "lifecycle", "made_on", "status", "links")  # fmt: skip
    return Table(kind="pledges", headers=headers, rows=tuple(rows), wrap=(1, 2))


def timeline(ledger: Ledger, pledge_id: str) -> str:
    """One pledge as text: what it is, then each update with its evidence."""
    pledge = ledger.pledge(pledge_id)
    lifecycle = ledger.lifecycle_of(pledge)
    lines = [f"{pledge.id}: {pledge.title}", "", *textwrap.wrap(pledge.text, 88), ""]
    facts = [
        ("kind", pledge.kind.value),
        ("made by", ", ".join(ledger.actor(a).name for a in pledge.made_by)),
        ("made to", ", ".join(ledger.actor(a).name for a in pledge.made_to)),
        ("occasion", "" if pledge.occasion is None else ledger.occasion(pledge.occasion).title),
        ("topics", ", ".join(pledge.topics)),
        ("window", _window_text(pledge)),
        ("lifecycle", lifecycle.label),
        ("status", lifecycle.label_of(pledge.status)),
        ("links", "; ".join(f"{link.kind.value} {link.pledge}" for link in pledge.links)),
        ("linked from", "; ".join(p.id for p in ledger.linked_to(pledge))),
    ]
    lines += [f"  {name:<12}{value}" for name, value in facts if value]
    lines.append("")
    for index, update in enumerate(pledge.history):
        label = lifecycle.label_of(update.status)
        lines.append(f"[{index}] {update.date}  {update.kind.value}  -> {label}")
        if update.note:
            lines += textwrap.wrap(update.note, 84, initial_indent="    ", subsequent_indent="    ")
        for evidence in update.evidence:
            source = ledger.source(evidence.source)
            cited = f"{source.outlet}, {source.title}" if source.outlet else source.title
            lines += textwrap.wrap(f"source: {cited} ({source.id})", 84,
                                   initial_indent="    ", subsequent_indent="      ")  # fmt: skip
            if evidence.quote:
                lines += textwrap.wrap(f"“{evidence.quote}”", 82, initial_indent="      ",
                                       subsequent_indent="       ")  # fmt: skip
            if evidence.summary:
                indent = " " * 6
                lines += textwrap.wrap(f"summary: {evidence.summary}", 82,
                                       initial_indent=indent, subsequent_indent=indent)  # fmt: skip
            if source.url:
                lines.append(f"      {source.url}")
    return _clean("\n".join(lines))


def _window_text(pledge: Pledge) -> str:
    if pledge.window is None:
        return ""
    if pledge.window.wording:
        return f"{pledge.window} ({pledge.window.wording})"
    return str(pledge.window)


def _clean(text: str) -> str:
    """Strip ANSI escape sequences and control characters (but newlines and tabs)."""
    return _CONTROL.sub("", text)


def _neutralise(cell: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _fit(table: Table, width: int) -> list[list[str]]:
    rows = [[_clean(cell) for cell in row] for row in table.rows]
    if not table.wrap or not rows:
        return rows
    fixed = sum(
        max(len(h), *(len(r[i]) for r in rows)) + 2
        for i, h in enumerate(table.headers)
        if i not in table.wrap
    )
    room = max(16, (width - fixed - 2 * len(table.wrap)) // len(table.wrap))
    for row in rows:
        for i in table.wrap:
            row[i] = "\n".join(textwrap.wrap(row[i], room)) or row[i]
    return rows


def render(table: Table, fmt: str = "simple", *, width: int | None = 80) -> str:
    """The table as text in ``fmt``: a tabulate format, ``csv`` or ``json``. In text formats,
    wrappable columns are wrapped so that rows fit ``width`` (``None``: no wrapping)."""
    if fmt == "json":
        body: dict[str, Any] = {"pledges_json": JSON_VERSION, "kind": table.kind}
        body.update(dict(table.meta))
        body["rows"] = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.headers)
        writer.writerows([_neutralise(c) for c in row] for row in table.rows)
        return out.getvalue()
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows: Sequence[Sequence[str]] = (
        _fit(table, width) if width is not None else [[_clean(c) for c in r] for r in table.rows]
    )
    return tabulate(rows, headers=table.headers, tablefmt=fmt, disable_numparse=True) + "\n"
