"""Tables and timelines for people: what a ledger says, rendered as text, CSV or JSON.

Build a :class:`Table` (:func:`status_table`, :func:`pledge_table`), then :func:`render` it in
any of tabulate's text formats, ``csv`` or ``json``. Text formats wrap long columns to a
width and strip control characters that came with the data; CSV neutralises cells a
spreadsheet would run as formulas; JSON has a stable shape with a ``pledges_json`` version key.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from tabulate import tabulate, tabulate_formats

from pledges.dates import DateLike, PartialDate, as_of_day
from pledges.diff import Change, Diff, DiffRow
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.model import LinkKind, Pledge, Update, UpdateKind
from pledges.scales import MAPPINGS, ScaleMapping, find

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "TEXT_FORMATS",
    "Document",
    "Table",
    "diff_document",
    "pledge_table",
    "render",
    "render_document",
    "select",
    "status_document",
    "status_table",
    "summary_document",
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


def _wrap(cell: str, width: int) -> str:
    """Wrap each line of a cell to ``width``, keeping the breaks it already has."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))
        or line
        for line in cell.split("\n")
    )


def _longest_line(cell: str) -> int:
    return max((len(line) for line in cell.split("\n")), default=0)


def _fit(rows: list[list[str]], table: Table, width: int) -> list[list[str]]:
    """Wrap the wrappable columns so that rows fit ``width``: each column gets what it needs,
    the widest ones share what is left (water-filling)."""
    if not table.wrap or not rows:
        return rows
    natural = [
        max(_longest_line(h), *(_longest_line(r[i]) for r in rows))
        for i, h in enumerate(table.headers)
    ]
    fixed = sum(natural[i] for i in range(len(natural)) if i not in table.wrap)
    left = max(12 * len(table.wrap), width - fixed - 3 * len(natural))
    # A column never gets less than its longest word: words are not broken.
    words = {
        i: max(len(w) for r in [table.headers, *rows] for w in r[i].split() or [""])
        for i in table.wrap
    }
    room: dict[int, int] = {}
    pending = sorted(table.wrap, key=lambda i: natural[i])
    while pending:
        share = left // len(pending)
        column = pending.pop(0)
        room[column] = max(words[column], min(natural[column], share))
        left -= room[column]
    # Where long words took more than was left, take it back from columns with slack.
    for column in sorted(room, key=lambda i: words[i] - room[i]):
        if left >= 0:
            break
        give = min(-left, room[column] - words[column])
        room[column] -= give
        left += give
    return [[_wrap(c, room[i]) if i in room else c for i, c in enumerate(r)] for r in rows]


_MARKDOWN = {"github", "pipe"}
_HTML = {"html", "unsafehtml"}


def _markdown_cell(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


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
    rows = [[_clean(c) for c in r] for r in table.rows]
    headers: Sequence[str] = table.headers
    if fmt in _MARKDOWN:
        rows = [[_markdown_cell(c) for c in r] for r in rows]
        headers = [_markdown_cell(h) for h in headers]
    elif fmt in _HTML:
        rows = [[html.escape(c).replace("\n", "<br>") for c in r] for r in rows]
        headers = [html.escape(h) for h in headers]
        fmt = "unsafehtml"  # cells escaped just above, line breaks kept as <br>
    elif fmt.startswith("latex") or fmt == "tsv":
        rows = [[c.replace("\n", "; ") for c in r] for r in rows]  # no line breaks in a cell
    elif width is not None:
        rows = _fit(rows, table, width)
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True) + "\n"


@attrs.frozen
class Document:
    """A report for people: a title, lines of context, and tables under headings.

    ``flat`` is the one table CSV output gives; ``data`` is the JSON body (its
    ``pledges_json`` version and ``kind`` are added); ``mermaid`` a diagram for markdown.
    """

    kind: str
    title: str
    lines: tuple[str, ...]
    sections: tuple[tuple[str, Table], ...]
    flat: Table
    data: dict[str, Any] = attrs.field(factory=dict, hash=False)
    mermaid: str = ""


def render_document(doc: Document, fmt: str = "simple", *, width: int | None = 80) -> str:
    """The document in ``fmt``: JSON, CSV (its flat table), a complete HTML page, markdown
    (with a Mermaid diagram) or plain text with tables."""
    if fmt == "json":
        body: dict[str, Any] = {"pledges_json": JSON_VERSION, "kind": doc.kind}
        body.update(doc.data)
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return render(doc.flat, "csv")
    if fmt in _HTML:
        parts = [f"<h1>{html.escape(doc.title)}</h1>"]
        parts += [f"<p>{html.escape(_clean(line))}</p>" for line in doc.lines]
        for heading, table in doc.sections:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
            parts.append(render(table, fmt))
        return _PAGE.format(title=html.escape(doc.title), body="\n".join(parts))
    out: list[str] = []
    if fmt in _MARKDOWN:
        out += [f"# {_markdown_cell(doc.title)}", ""]
        out += [f"{_markdown_cell(_clean(line))}  " for line in doc.lines]
        for heading, table in doc.sections:
            out += ["", f"## {_markdown_cell(heading)}", "", render(table, fmt)]
        if doc.mermaid:
            out += ["", "```mermaid", doc.mermaid, "```", ""]
        return "\n".join(out)
    out.append(_clean(doc.title))
    for line in doc.lines:
        out += textwrap.wrap(_clean(line), width or 10**6, subsequent_indent="  ") or [""]
    for heading, table in doc.sections:
        out += ["", heading, render(table, fmt, width=width)]
    return "\n".join(out)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
table {{ border-collapse: collapse; margin-bottom: 2rem; }}
th, td {{ border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""


def _evidence_lines(ledger: Ledger, row: DiffRow) -> str:
    lifecycle = ledger.lifecycle_of(row.pledge)
    lines = []
    for update in row.updates:
        sources = ", ".join(dict.fromkeys(e.source for e in update.evidence))
        step = "" if update.kind is UpdateKind.PROGRESS else f" ({update.kind.value})"
        lines.append(f"{update.date} {lifecycle.label_of(update.status)}{step}: {sources}")
    if row.renewed_by:
        lines.append(f"renewed by {', '.join(p.id for p in row.renewed_by)}")
    return "\n".join(lines) or "nothing reported"


def _update_data(ledger: Ledger, update: Update) -> dict[str, Any]:
    evidence = []
    for item in update.evidence:
        source = ledger.source(item.source)
        record = {"source": item.source, "url": source.url, "quote": item.quote,
                  "summary": item.summary}  # fmt: skip
        evidence.append({k: v for k, v in record.items() if v is not None})
    data = {"date": str(update.date), "status": update.status, "kind": update.kind.value,
            "note": update.note, "evidence": evidence}  # fmt: skip
    return {k: v for k, v in data.items() if v is not None}


def diff_document(ledger: Ledger, diff: Diff) -> Document:
    """The round-to-round diff as a document: one table of the pledges made by the baseline,
    with class and evidence, and one of the new pledges."""
    lines = (
        f"Baseline: {diff.baseline.label}, {diff.baseline.day}",
        f"Outcome:  {diff.outcome.label}, {diff.outcome.day}",
        "Counts: " + ", ".join(f"{c.value} {n}" for c, n in diff.counts().items() if n),
    )
    label = ledger.lifecycle_of
    earlier = [
        (f"{r.pledge.id}\n{r.pledge.title}",
         f"{r.change.value}\n{label(r.pledge).label_of(r.before or '')} -> "
         f"{label(r.pledge).label_of(r.after)}",
         _evidence_lines(ledger, r))
        for r in diff.rows if r.change is not Change.NEW
    ]  # fmt: skip
    new = [
        (f"{r.pledge.id}\n{r.pledge.title}", r.pledge.kind.value, str(r.pledge.made_on),
         "\n".join(r.pledge.linked(LinkKind.RENEWS)))
        for r in diff.of(Change.NEW)
    ]  # fmt: skip
    flat = Table(
        "diff",
        ("id", "title", "change", "before", "after", "reason", "evidence", "renewed_by"),
        tuple(
            (r.pledge.id, r.pledge.title, r.change.value, r.before or "", r.after, r.reason,
             _evidence_lines(ledger, r).replace("\n", "; ") if r.updates else "",
             "; ".join(p.id for p in r.renewed_by))
            for r in diff.rows
        ),
    )  # fmt: skip
    data = {
        "baseline": {"label": diff.baseline.label, "date": str(diff.baseline.day)},
        "outcome": {"label": diff.outcome.label, "date": str(diff.outcome.day)},
        "counts": {c.value: n for c, n in diff.counts().items()},
        "rows": [
            {"id": r.pledge.id, "title": r.pledge.title, "change": r.change.value,
             "before": r.before, "after": r.after, "reason": r.reason,
             "updates": [_update_data(ledger, u) for u in r.updates],
             "renewed_by": [p.id for p in r.renewed_by],
             "renews": list(r.pledge.linked(LinkKind.RENEWS))}
            for r in diff.rows
        ],
    }  # fmt: skip
    return Document(
        kind="diff",
        title=f"What became of the pledges of {diff.baseline.label}",
        lines=lines,
        sections=(
            (f"Pledges made by {diff.baseline.day}",
             Table("diff", ("pledge", "change", "evidence"), tuple(earlier), wrap=(0, 1, 2))),
            (f"New pledges, made after {diff.baseline.day} ({len(new)})",
             Table("new", ("pledge", "kind", "made", "renews"), tuple(new), wrap=(0,))),
        ),
        flat=flat,
        data=data,
        mermaid=_mermaid(ledger, diff),
    )  # fmt: skip


_MERMAID_UNSAFE = re.compile(r"[^\w .,'()/-]+")


def _mermaid(ledger: Ledger, diff: Diff) -> str:
    """A Mermaid timeline of the updates between baseline and outcome, one period a date."""
    events: dict[str, list[str]] = {}
    for row in diff.rows:
        lifecycle = ledger.lifecycle_of(row.pledge)
        for update in row.pledge.history:
            if not update.date.reached_by(diff.outcome.day):
                continue
            text = f"{row.pledge.id} {lifecycle.label_of(update.status)}"
            events.setdefault(str(update.date), []).append(_MERMAID_UNSAFE.sub(" ", text))
    title = _MERMAID_UNSAFE.sub(" ", diff.baseline.label)
    lines = ["timeline", f"    title {title} to {diff.outcome.day}"]
    for date in sorted(events, key=PartialDate.parse):
        lines.append(f"    {date} : " + " : ".join(events[date]))
    return "\n".join(lines)


def status_document(ledger: Ledger, table: Table) -> Document:
    """A status table as a document."""
    as_of = dict(table.meta)["as_of"]
    rows = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
    return Document(
        kind="status",
        title=f"{ledger.title}: status as of {as_of}",
        lines=(f"{len(table.rows)} pledges",),
        sections=(("Pledges", table),),
        flat=table,
        data={"as_of": as_of, "rows": rows},
    )


def summary_document(
    ledger: Ledger,
    as_of: DateLike,
    scale: Lifecycle | None = None,
    mappings: Iterable[ScaleMapping] = MAPPINGS,
) -> Document:
    """Counts by status, topic and actor, the compliance score, and the overdue pledges.

    With ``scale``, every pledge's status is first mapped onto that lifecycle (see
    :mod:`pledges.scales`), so that pledges on different scales are counted and scored alike.
    """
    day = as_of_day(as_of)
    statuses = ledger.statuses_at(day)
    by_status: Counter[str] = Counter()
    scores: list[int] = []
    known = tuple(mappings)
    for pledge_id, status in statuses.items():
        lifecycle = ledger.lifecycle_of(pledge_id)
        if scale is not None and lifecycle.id != scale.id:
            status, lifecycle = find(lifecycle.id, scale.id, known)(status), scale
        by_status[f"{lifecycle.label}: {lifecycle.label_of(status)}"] += 1
        score = lifecycle.status(status).score
        if score is not None:
            scores.append(score)
    made = [ledger.pledge(pid) for pid in statuses]
    by_topic = Counter(t for p in made for t in p.topics)
    by_actor = Counter(ledger.actor(a).name for p in made for a in p.made_by)
    overdue = ledger.overdue(day)
    compliance = round(sum(scores) / len(scores), 3) if scores else None

    def counts(title: str, counter: Counter[str]) -> Table:
        rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return Table("counts", (title, "pledges"), tuple((k, str(v)) for k, v in rows))

    score_line = (
        f"Compliance score: {compliance:+.2f} on the -1 / 0 / +1 scale, over {len(scores)} "
        f"scored pledges (unscored statuses such as 'made' are left out)"
        if compliance is not None
        else "Compliance score: none (no pledge has a scored status)"
    )
    overdue_table = Table(
        "overdue", ("pledge", "window", "status"),
        tuple((f"{p.id}\n{p.title}", str(p.window),
               ledger.lifecycle_of(p).label_of(statuses[p.id])) for p in overdue),
        wrap=(0,),
    )  # fmt: skip
    return Document(
        kind="summary",
        title=f"{ledger.title}: summary as of {day}",
        lines=(f"{len(statuses)} pledges made by {day}", score_line),
        sections=(("By status", counts("status", by_status)),
                  ("By topic", counts("topic", by_topic)),
                  ("By actor (made by)", counts("actor", by_actor)),
                  (f"Overdue ({len(overdue)})", overdue_table)),
        flat=counts("status", by_status),
        data={"as_of": str(day), "pledges": len(statuses),
              "by_status": dict(by_status), "by_topic": dict(by_topic),
              "by_actor": dict(by_actor),
              "scale": None if scale is None else scale.id,
              "compliance": {"score": compliance, "scored": len(scores)},
              "overdue": [p.id for p in overdue]},
    )  # fmt: skip
