"""Reports for people: the round-to-round diff, status tables, summaries and timelines.

Each builder returns a :class:`~pledges.render.Table` or :class:`~pledges.render.Document`;
:func:`~pledges.render.render` and :func:`~pledges.render.render_document` (re-exported
here) turn them into any format.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pledges.dates import DateLike, PartialDate, as_of_day
from pledges.diff import Change, Diff, DiffRow
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.model import LinkKind, Pledge, Update, UpdateKind
from pledges.render import (
    FORMATS,
    JSON_VERSION,
    TEXT_FORMATS,
    Document,
    Table,
    clean_text,
    render,
    render_document,
)
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
        kept = {p.id for p in chosen}
        chosen = [p for p in ledger.by_occasion(occasion) if p.id in kept]
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
    headers = (
        "id",
        "title",
        "text",
        "kind",
        "made_by",
        "made_to",
        "occasion",
        "topics",
        "window",
        "lifecycle",
        "made_on",
        "status",
        "links",
    )
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
            lines += textwrap.wrap(
                f"source: {cited} ({source.id})",
                84,
                initial_indent="    ",
                subsequent_indent="      ",
            )
            if evidence.quote:
                lines += textwrap.wrap(
                    f"“{evidence.quote}”", 82, initial_indent="      ", subsequent_indent="       "
                )
            if evidence.summary:
                indent = " " * 6
                lines += textwrap.wrap(
                    f"summary: {evidence.summary}",
                    82,
                    initial_indent=indent,
                    subsequent_indent=indent,
                )
            if source.url:
                lines.append(f"      {source.url}")
    return clean_text("\n".join(lines))


def _window_text(pledge: Pledge) -> str:
    if pledge.window is None:
        return ""
    if pledge.window.wording:
        return f"{pledge.window} ({pledge.window.wording})"
    return str(pledge.window)


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
        record = {
            "source": item.source,
            "url": source.url,
            "quote": item.quote,
            "summary": item.summary,
        }
        evidence.append({k: v for k, v in record.items() if v is not None})
    data = {
        "date": str(update.date),
        "status": update.status,
        "kind": update.kind.value,
        "note": update.note,
        "evidence": evidence,
    }
    return {k: v for k, v in data.items() if v is not None}


def diff_document(ledger: Ledger, diff: Diff) -> Document:
    """The round-to-round diff as a document: one table of the pledges made by the baseline,
    with class and evidence, and one of the new pledges."""

    def point(label: str, day: object) -> str:
        return label if label == str(day) else f"{label}, {day}"

    lines = (
        f"Baseline: {point(diff.baseline.label, diff.baseline.day)}",
        f"Outcome:  {point(diff.outcome.label, diff.outcome.day)}",
        "Counts: " + ", ".join(f"{c.value} {n}" for c, n in diff.counts().items() if n),
    )
    label = ledger.lifecycle_of
    earlier = [
        (
            f"{r.pledge.id}\n{r.pledge.title}",
            f"{r.change.value}\n{label(r.pledge).label_of(r.before or '')} -> "
            f"{label(r.pledge).label_of(r.after)}",
            _evidence_lines(ledger, r),
        )
        for r in diff.rows
        if r.change is not Change.NEW
    ]
    new = [
        (
            f"{r.pledge.id}\n{r.pledge.title}",
            r.pledge.kind.value,
            str(r.pledge.made_on),
            "\n".join(r.pledge.linked(LinkKind.RENEWS)),
        )
        for r in diff.of(Change.NEW)
    ]
    flat = Table(
        "diff",
        ("id", "title", "change", "before", "after", "reason", "evidence", "renewed_by"),
        tuple(
            (
                r.pledge.id,
                r.pledge.title,
                r.change.value,
                r.before or "",
                r.after,
                r.reason,
                _evidence_lines(ledger, r).replace("\n", "; ") if r.updates else "",
                "; ".join(p.id for p in r.renewed_by),
            )
            for r in diff.rows
        ),
    )
    data = {
        "baseline": {"label": diff.baseline.label, "date": str(diff.baseline.day)},
        "outcome": {"label": diff.outcome.label, "date": str(diff.outcome.day)},
        "counts": {c.value: n for c, n in diff.counts().items()},
        "rows": [
            {
                "id": r.pledge.id,
                "title": r.pledge.title,
                "change": r.change.value,
                "before": r.before,
                "after": r.after,
                "reason": r.reason,
                "updates": [_update_data(ledger, u) for u in r.updates],
                "renewed_by": [p.id for p in r.renewed_by],
                "renews": list(r.pledge.linked(LinkKind.RENEWS)),
            }
            for r in diff.rows
        ],
    }
    return Document(
        kind="diff",
        title=f"What became of the pledges of {diff.baseline.label}",
        lines=lines,
        sections=(
            (
                f"Pledges made by {diff.baseline.day}",
                Table("diff", ("pledge", "change", "evidence"), tuple(earlier), wrap=(0, 1, 2)),
            ),
            (
                f"New pledges, made after {diff.baseline.day} ({len(new)})",
                Table("new", ("pledge", "kind", "made", "renews"), tuple(new), wrap=(0,)),
            ),
        ),
        flat=flat,
        data=data,
        mermaid=_mermaid(ledger, diff),
    )


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
        "overdue",
        ("pledge", "window", "status"),
        tuple(
            (f"{p.id}\n{p.title}", str(p.window), ledger.lifecycle_of(p).label_of(statuses[p.id]))
            for p in overdue
        ),
        wrap=(0,),
    )
    return Document(
        kind="summary",
        title=f"{ledger.title}: summary as of {day}",
        lines=(f"{len(statuses)} pledges made by {day}", score_line),
        sections=(
            ("By status", counts("status", by_status)),
            ("By topic", counts("topic", by_topic)),
            ("By actor (made by)", counts("actor", by_actor)),
            (f"Overdue ({len(overdue)})", overdue_table),
        ),
        flat=counts("status", by_status),
        data={
            "as_of": str(day),
            "pledges": len(statuses),
            "by_status": dict(by_status),
            "by_topic": dict(by_topic),
            "by_actor": dict(by_actor),
            "scale": None if scale is None else scale.id,
            "compliance": {"score": compliance, "scored": len(scores)},
            "overdue": [p.id for p in overdue],
        },
    )
