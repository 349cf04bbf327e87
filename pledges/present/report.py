"""Reports for people: the round-to-round diff and status tables as documents.

Each builder takes records (a :class:`~pledges.diff.Diff`, a
:class:`~pledges.summary.Summary`, ...) and returns a :class:`~pledges.present.render.Document`,
which :func:`~pledges.present.render.render_document` writes in any text format; the HTML pages come
from :mod:`pledges.site`. Nothing is computed here that a reader could not see in the records:
the numbers live in the core (:mod:`pledges.diff`, :mod:`pledges.summary`).
"""

from __future__ import annotations

import re
from typing import Any

from pledges.dates import DateLike, PartialDate, as_of_day
from pledges.diff import Change, Diff, DiffRow
from pledges.ledger import Ledger
from pledges.model import Evidence, LinkKind, Pledge, Update, UpdateKind
from pledges.present.render import KEEP, Document, Table

__all__ = [
    "ARROW",
    "calls_table",
    "cite",
    "diff_document",
    "move",
    "pledge_table",
    "status_document",
    "status_table",
]

ARROW = "→"
"""The arrow of a status move; a terminal that cannot show it gets ``->``."""


def cite(ledger: Ledger, evidence: Evidence | str) -> str:
    """A source as readers know it: its outlet and publication date (``VietNamNet,
    2015-12``), the headline where there is no outlet."""
    source = ledger.source(evidence if isinstance(evidence, str) else evidence.source)
    published = None if isinstance(evidence, str) else evidence.published
    published = published or source.published
    name = source.outlet or source.title
    return f"{name}, {published}" if published else name


def move(ledger: Ledger, pledge: Pledge, before: str | None, after: str) -> str:
    """``Made → In force``, in the pledge's lifecycle's labels."""
    lifecycle = ledger.lifecycle_of(pledge)
    start = "—" if before is None else lifecycle.label_of(before)
    return f"{start} {ARROW} {lifecycle.label_of(after)}"


def _step(ledger: Ledger, pledge: Pledge, update: Update) -> str:
    label = ledger.lifecycle_of(pledge).label_of(update.status)
    step = (
        "" if update.kind in (UpdateKind.PROGRESS, UpdateKind.MADE) else f" ({update.kind.value})"
    )
    sources = "; ".join(dict.fromkeys(cite(ledger, e) for e in update.evidence))
    return f"{update.date} {label}{step}: {sources}"


def _renewal(ledger: Ledger, pledge: Pledge) -> str:
    occasion = ledger.occasion(pledge.occasion).title if pledge.occasion else None
    where = f", {occasion}" if occasion else ""
    return f"renewed by {pledge.id} ({pledge.made_on}{where})"


def _evidence_lines(ledger: Ledger, row: DiffRow) -> str:
    lines = [_step(ledger, row.pledge, u) for u in row.updates]
    lines += [_renewal(ledger, p) for p in row.renewed_by]
    if not lines and row.pledge.searches:
        last = row.pledge.searches[-1]
        lines.append(f"searched {last.on}: {', '.join(last.where)}; nothing found")
    return "\n".join(lines) or "nothing reported"


def _update_data(ledger: Ledger, update: Update) -> dict[str, Any]:
    evidence = []
    for item in update.evidence:
        source = ledger.source(item.source)
        record = {
            "source": item.source,
            "outlet": source.outlet,
            "title": source.title,
            "published": None if source.published is None else str(source.published),
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


def _counts_line(diff: Diff) -> str:
    items = [f"{c.value} {n}".replace(" ", KEEP) for c, n in diff.counts().items() if n]
    return "Counts: " + ", ".join(items)


def _point(label: str, day: object) -> str:
    return label if label == str(day) else f"{label}, {day}"


def diff_document(ledger: Ledger, diff: Diff) -> Document:
    """The round-to-round diff as a document: the pledges made by the baseline with their
    class, move and evidence; why each call was made; then the new pledges."""
    earlier = diff.rows[: len(diff.rows) - len(diff.of(Change.NEW))]
    calls = [
        (
            f"{r.pledge.id}\n{r.pledge.title}",
            f"{r.change.value}\n{move(ledger, r.pledge, r.before, r.after)}",
            _evidence_lines(ledger, r),
        )
        for r in earlier
    ]
    why = [
        (r.pledge.id, "\n".join((r.reason, *r.judgements)))
        for r in earlier
        if r.judgements or r.change is not Change.NO_EVIDENCE
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
                "; ".join((r.reason, *r.judgements)),
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
                "judgements": list(r.judgements),
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
        lines=(
            f"Baseline: {_point(diff.baseline.label, diff.baseline.day)}",
            f"Outcome:  {_point(diff.outcome.label, diff.outcome.day)}",
            _counts_line(diff),
        ),
        sections=(
            (
                f"Pledges made by {diff.baseline.day}",
                Table("diff", ("pledge", "change", "evidence"), tuple(calls), wrap=(0, 1, 2)),
            ),
            (
                "Why each call",
                Table("calls", ("pledge", "reason and judgement"), tuple(why), wrap=(1,)),
            ),
            (
                f"New pledges, made after {diff.baseline.day} ({len(new)})",
                Table("new", ("pledge", "kind", "made", "renews"), tuple(new), wrap=(0, 3)),
            ),
        ),
        flat=flat,
        data=data,
        mermaid=_mermaid(ledger, diff),
    )


_MERMAID_UNSAFE = re.compile(r"[^\w .,'()/-]+")


def _mermaid(ledger: Ledger, diff: Diff) -> str:
    """A Mermaid timeline of the updates up to the outcome, one period a date."""
    events: dict[str, list[str]] = {}
    for row in diff.rows:
        lifecycle = ledger.lifecycle_of(row.pledge)
        for update in ledger.updates_between(row.pledge, None, diff.outcome.day):
            text = f"{row.pledge.id} {lifecycle.label_of(update.status)}"
            events.setdefault(str(update.date), []).append(_MERMAID_UNSAFE.sub(" ", text))
    title = _MERMAID_UNSAFE.sub(" ", diff.baseline.label)
    lines = ["timeline", f"    title {title} to {diff.outcome.day}"]
    for date in sorted(events, key=PartialDate.parse):
        lines.append(f"    {date} : " + " : ".join(events[date]))
    return "\n".join(lines)


def status_table(
    ledger: Ledger,
    as_of: DateLike,
    pledges: tuple[Pledge, ...] | None = None,
    *,
    known_at: DateLike | None = None,
) -> Table:
    """Every pledge (of ``pledges``, default all) made by ``as_of``, with its status then
    and the date it reached that status."""
    day = as_of_day(as_of)
    rows = []
    for pledge in ledger.pledges if pledges is None else pledges:
        current = ledger.status_at(pledge, day, known_at=known_at)
        if current is None:
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
    meta = [("as_of", str(day))]
    if known_at is not None:
        meta.append(("known_at", str(as_of_day(known_at))))
    return Table(
        kind="status",
        headers=("id", "pledge", "status", "since", "made"),
        rows=tuple(rows),
        wrap=(1,),
        meta=tuple(meta),
    )


def status_document(ledger: Ledger, table: Table) -> Document:
    """A status table as a document."""
    meta = dict(table.meta)
    rows = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
    known = f", as known at {meta['known_at']}" if "known_at" in meta else ""
    return Document(
        kind="status",
        title=f"{ledger.title}: status as of {meta['as_of']}{known}",
        lines=(f"{len(table.rows)} pledges",),
        sections=(("Pledges", table),),
        flat=table,
        data={**meta, "rows": rows},
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


def _deciding(row: DiffRow) -> list[Update]:
    """The update in between that put the pledge in its status at the outcome (the first of
    the last run of that status), or, where the status did not change, the last update."""
    if not row.updates:
        return []
    if row.before == row.after:
        return [row.updates[-1]]
    first = len(row.updates) - 1
    while first > 0 and row.updates[first - 1].status == row.after:
        first -= 1
    return [row.updates[first]]


def calls_table(ledger: Ledger, diff: Diff) -> Table:
    """The calls of a diff, one row per pledge made by the baseline: its class and move, the
    evidence behind the call (the update that set its status at the outcome, its renewals, or
    the search that found nothing), and why: the reason, and the judgements the call rests on
    (that update's note, the renewing links' notes)."""
    rows = []
    for row in diff.rows:
        if row.change is Change.NEW:
            continue
        deciding = _deciding(row)
        behind = [_step(ledger, row.pledge, u) for u in deciding]
        behind += [_renewal(ledger, p) for p in row.renewed_by]
        if not behind and row.pledge.searches:
            last = row.pledge.searches[-1]
            behind.append(f"searched {last.on}: {last.found or 'nothing found'}")
        why = [f"{row.reason}.", *(u.note for u in deciding if u.note)]
        why += [
            f"{later.id}: {link.note}"
            for later in row.renewed_by
            for link in later.links
            if link.pledge == row.pledge.id and link.note
        ]
        rows.append(
            (
                row.pledge.id,
                f"{row.change.value}: {move(ledger, row.pledge, row.before, row.after)}",
                "; ".join(behind) or "nothing reported",
                " ".join(why),
            )
        )
    return Table("calls", ("pledge", "call", "evidence behind it", "why"), tuple(rows), wrap=(2, 3))
