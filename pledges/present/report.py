"""Reports for people: the round-to-round diff and status tables as documents.

Each builder takes records (a :class:`~pledges.diff.Diff`, a ledger and a day, ...) and
returns a :class:`~pledges.present.render.Document`, which
:func:`~pledges.present.render.render_document` writes in any text format; the HTML pages
come from :mod:`pledges.site`. Every phrase comes from :mod:`pledges.present.phrases`, and
nothing is computed here that a reader could not see in the records: the numbers live in
the core (:mod:`pledges.diff`, :mod:`pledges.summary`).
"""

from __future__ import annotations

import re
from typing import Any

from pledges.dates import DateLike, PartialDate, as_of_day
from pledges.diff import Change, Diff, DiffRow, Point
from pledges.ledger import Ledger
from pledges.model import LinkKind, Pledge, Update
from pledges.present import phrases
from pledges.present.render import KEEP, Document, Entry, Line, Section, Table

__all__ = [
    "calls_table",
    "diff_document",
    "status_document",
    "status_table",
]


def _sources(ledger: Ledger, update: Update) -> str:
    return "; ".join(dict.fromkeys(phrases.cite(ledger, e) for e in update.evidence))


def _step_lines(ledger: Ledger, pledge: Pledge, update: Update) -> list[Line]:
    """An update as lines: its date, step and sources, then each source's address."""
    label = phrases.step(ledger.lifecycle_of(pledge), update)
    lines = [Line(f"{update.date}  {label}: {_sources(ledger, update)}")]
    urls = dict.fromkeys(ledger.source(e.source).url for e in update.evidence)
    lines += [Line(url, 2, url=True) for url in urls if url]
    return lines


def _evidence_words(ledger: Ledger, row: DiffRow) -> list[str]:
    """The evidence behind a row in words: each update, each renewal, or the last search."""
    lifecycle = ledger.lifecycle_of(row.pledge)
    lines = [f"{u.date} {phrases.step(lifecycle, u)}: {_sources(ledger, u)}" for u in row.updates]
    lines += [phrases.renewal(ledger, p) for p in row.renewed_by]
    if not lines and row.pledge.searches:
        lines.append(phrases.search_line(row.pledge.searches[-1]))
    return lines


def _why(row: DiffRow) -> str:
    return " ".join((f"{row.reason}.", *row.judgements))


def _entry(ledger: Ledger, row: DiffRow) -> Entry:
    lifecycle = ledger.lifecycle_of(row.pledge)
    move = phrases.move(lifecycle, row.before, row.after)
    lines = [Line(f"{phrases.change_words(row.change)}: {move}")]
    for update in row.updates:
        lines += _step_lines(ledger, row.pledge, update)
    lines += [Line(phrases.renewal(ledger, p)) for p in row.renewed_by]
    if not row.updates and not row.renewed_by:
        searched = [phrases.search_line(s) for s in row.pledge.searches[-1:]]
        lines += [Line(text) for text in searched or ["nothing reported in between"]]
    lines.append(Line(f"Why: {_why(row)}"))
    doubt = phrases.doubt(lifecycle, row.deciding)
    if doubt:
        lines.append(Line(f"How sure: {doubt}"))
    return Entry(f"{row.pledge.id}: {row.pledge.title}", tuple(lines))


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
    counts = diff.counts()
    items = [
        f"{phrases.change_words(c)} {n}".replace(" ", KEEP)
        for c, n in counts.items()
        if n and c is not Change.NEW
    ]
    new = phrases.plural(counts[Change.NEW], "new pledge").replace(" ", KEEP)
    return "Counts: " + (", ".join(items) or "none") + (f"; {new}" if counts[Change.NEW] else "")


def _point(point: Point) -> str:
    """A baseline or outcome as readers know it: the occasion and its day, or the day."""
    day = phrases.human_date(PartialDate.of(point.day))
    return f"{point.occasion.title}, {day}" if point.occasion is not None else day


def diff_document(ledger: Ledger, diff: Diff, *, compact: bool = False) -> Document:
    """The round-to-round diff as a document: each pledge made by the baseline with what
    became of it, the evidence behind the call (with its sources' addresses) and why; then
    the new pledges. ``compact``: one line a pledge instead."""
    earlier = [r for r in diff.rows if r.change is not Change.NEW]
    new = diff.of(Change.NEW)
    baseline_day = phrases.human_date(PartialDate.of(diff.baseline.day))
    made_by = f"Pledges made by {baseline_day} ({len(earlier)})"
    if compact:
        calls = Table(
            "calls",
            ("pledge", "what became of it", "now", "last news"),
            tuple(
                (
                    r.pledge.id,
                    phrases.change_words(r.change),
                    ledger.lifecycle_of(r.pledge).label_of(r.after),
                    str(r.updates[-1].date) if r.updates else "",
                )
                for r in earlier
            ),
            wrap=(1, 2),
            ids=(0,),
        )
        first = Section(made_by, table=calls, empty="None were made by then.")
    else:
        entries = tuple(_entry(ledger, r) for r in earlier)
        first = Section(made_by, entries=entries, empty="None were made by then.")
    later = Table(
        "new",
        ("pledge", "made", "title"),
        tuple((r.pledge.id, str(r.pledge.made_on), r.pledge.title) for r in new),
        wrap=(2,),
        ids=(0,),
    )
    sections = (
        first,
        Section(f"New pledges, made after {baseline_day} ({len(new)})", table=later),
    )
    return Document(
        kind="diff",
        title=f"What became of the pledges of {phrases.point_name(diff.baseline)}",
        lines=(
            f"Baseline: {_point(diff.baseline)}",
            f"Outcome:  {_point(diff.outcome)}",
            _counts_line(diff),
        ),
        sections=sections,
        flat=_flat(ledger, diff),
        data=_diff_data(ledger, diff),
        mermaid=_mermaid(ledger, diff),
    )


def _flat(ledger: Ledger, diff: Diff) -> Table:
    return Table(
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
                "; ".join(_evidence_words(ledger, r)),
                "; ".join(p.id for p in r.renewed_by),
            )
            for r in diff.rows
        ),
    )


def _diff_data(ledger: Ledger, diff: Diff) -> dict[str, Any]:
    return {
        "baseline": {"label": diff.baseline.label, "date": str(diff.baseline.day)},
        "outcome": {"label": diff.outcome.label, "date": str(diff.outcome.day)},
        "counts": {c.value: n for c, n in diff.counts().items()},
        "rows": [
            {
                "id": r.pledge.id,
                "title": r.pledge.title,
                "change": r.change.value,
                "change_words": phrases.change_words(r.change),
                "before": r.before,
                "after": r.after,
                "reason": r.reason,
                "judgements": list(r.judgements),
                "confidence": _confidence(r),
                "alternative": _alternative(r),
                "updates": [_update_data(ledger, u) for u in r.updates],
                "renewed_by": [p.id for p in r.renewed_by],
                "renews": list(r.pledge.linked(LinkKind.RENEWS)),
            }
            for r in diff.rows
        ],
    }


def _confidence(row: DiffRow) -> str | None:
    deciding = row.deciding
    return None if deciding is None or deciding.confidence is None else deciding.confidence.value


def _alternative(row: DiffRow) -> dict[str, str] | None:
    deciding = row.deciding
    if deciding is None or deciding.alternative is None:
        return None
    return {"status": deciding.alternative.status, "why": deciding.alternative.why}


_MERMAID_UNSAFE = re.compile(r"[^\w.,'()/-]+")  # and runs of spaces: one space


def _mermaid_text(text: str) -> str:
    """Text Mermaid takes as it is: what it might read as syntax becomes a space."""
    return _MERMAID_UNSAFE.sub(" ", text).strip()


def _mermaid(ledger: Ledger, diff: Diff) -> str:
    """A Mermaid timeline of the updates up to the outcome, one period a date."""
    events: dict[str, list[str]] = {}
    for row in diff.rows:
        lifecycle = ledger.lifecycle_of(row.pledge)
        for update in ledger.updates_between(row.pledge, None, diff.outcome.day):
            text = f"{row.pledge.id} {lifecycle.label_of(update.status)}"
            events.setdefault(str(update.date), []).append(_mermaid_text(text))
    title = _mermaid_text(diff.baseline.label)
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
        ids=(0,),
    )


def status_document(ledger: Ledger, table: Table) -> Document:
    """A status table as a document."""
    meta = dict(table.meta)
    known = f", as known at {meta['known_at']}" if "known_at" in meta else ""
    return Document(
        kind="status",
        title=f"{ledger.title}: status as of {meta['as_of']}{known}",
        lines=(f"{phrases.plural(len(table.rows), 'pledge')} made by then",),
        sections=(Section("Pledges", table=table, empty="No pledge had been made by then."),),
        flat=table,
        data={**meta, "rows": table.records()},
    )


def calls_table(ledger: Ledger, diff: Diff) -> Table:
    """The calls of a diff, one row per pledge made by the baseline: what became of it, the
    evidence behind the call (the update that set its status at the outcome, its renewals,
    or the search that found nothing), why (the reason, and the judgements the call rests
    on: that update's note, the renewing links' notes), and how sure the call is (its
    confidence, and the other call the evidence would allow, where the ledger says)."""
    rows = []
    for row in (r for r in diff.rows if r.change is not Change.NEW):
        lifecycle = ledger.lifecycle_of(row.pledge)
        deciding = [] if row.deciding is None else [row.deciding]
        behind = [f"{u.date} {phrases.step(lifecycle, u)}: {_sources(ledger, u)}" for u in deciding]
        behind += [phrases.renewal(ledger, p) for p in row.renewed_by]
        if not behind and row.pledge.searches:
            behind.append(phrases.search_line(row.pledge.searches[-1]))
        why = [f"{row.reason}.", *(u.note for u in deciding if u.note)]
        why += [
            f"{later.id}: {note}"
            for later in row.renewed_by
            for note in phrases.renewal_notes(later, row.pledge)
        ]
        rows.append(
            (
                row.pledge.id,
                f"{phrases.change_words(row.change)}: "
                f"{phrases.move(lifecycle, row.before, row.after)}",
                "; ".join(behind) or "nothing reported",
                " ".join(why),
                phrases.doubt(lifecycle, row.deciding) or "",
            )
        )
    return Table(
        "calls",
        ("pledge", "call", "evidence behind it", "why", "how sure"),
        tuple(rows),
        wrap=(1, 2, 3, 4),
    )
