"""One pledge for people: what it is, who made it to whom, then each update with its
evidence and every source's address (``pledges show``), as a document in the neutral model
(:mod:`pledges.present.render`)."""

from __future__ import annotations

from typing import Any

from pledges.dates import DateLike
from pledges.ledger import Ledger
from pledges.model import Update
from pledges.present import phrases
from pledges.present.render import Document, Entry, Line, Section, Table, render_document

__all__ = ["timeline", "timeline_document"]


def _update_lines(ledger: Ledger, update: Update) -> tuple[Line, ...]:
    """An update's note, then each piece of evidence: where it is cited, its quote or
    summary, and its source's address unless the citation shows it."""
    lines = [Line(update.note)] if update.note else []
    for evidence in update.evidence:
        source = ledger.source(evidence.source)
        cited = phrases.cite(ledger, evidence)
        named = cited if cited.startswith(source.title) else f"{cited}: {source.title}"
        lines.append(Line(named))
        if evidence.quote:
            lines.append(Line(f"“{evidence.quote}”", 2))
        if evidence.summary:
            lines.append(Line(f"summary: {evidence.summary}", 2))
        if source.url and source.url not in named:
            lines.append(Line(source.url, 2, url=True))
    return tuple(lines)


def timeline_document(
    ledger: Ledger, pledge_id: str, *, known_at: DateLike | None = None
) -> Document:
    """One pledge as a document: its facts, its extra fields, each update (with its
    evidence, quotes and addresses) and each search. With ``known_at``, only the updates
    whose news had been published by then."""
    pledge = ledger.pledge(pledge_id)
    lifecycle = ledger.lifecycle_of(pledge)
    history = ledger.known_history(pledge, known_at)
    status_now = history[-1].status if history else pledge.status
    facts = [
        ("kind", pledge.kind.value),
        ("made by", ", ".join(ledger.actor(a).name for a in pledge.made_by)),
        ("made to", ", ".join(ledger.actor(a).name for a in pledge.made_to)),
        ("occasion", "" if pledge.occasion is None else ledger.occasion(pledge.occasion).title),
        ("topics", ", ".join(pledge.topics)),
        ("window", "" if pledge.window is None else phrases.human_window(pledge.window)),
        ("lifecycle", lifecycle.label),
        ("status", lifecycle.label_of(status_now)),
        ("links", "; ".join(f"{link.kind.value} {link.pledge}" for link in pledge.links)),
        ("linked from", "; ".join(p.id for p in ledger.linked_to(pledge))),
        ("note", pledge.note or ""),
        *((name, pledge.extra.text(name)) for name in pledge.extra),
    ]
    shown = tuple((name, value) for name, value in facts if value)
    entries = []
    previous = None
    for index, update in enumerate(history):
        moved = (
            phrases.move(lifecycle, previous, update.status)
            if previous
            else (phrases.step(lifecycle, update))
        )
        heading = f"[{index}] {update.date}  {update.kind.value}: {moved}"
        entries.append(Entry(heading, _update_lines(ledger, update)))
        previous = update.status
    searches = tuple(
        phrases.search_line(s)
        + f" (terms: {', '.join(s.terms)}"
        + (f"; period {s.period})" if s.period else ")")
        for s in pledge.searches
    )
    data: dict[str, Any] = {"id": pledge.id, "facts": dict(shown)}
    return Document(
        kind="pledge",
        title=f"{pledge.id}: {pledge.title}",
        lines=(pledge.text,),
        sections=(
            Section("Facts", lines=tuple(f"{name}: {value}" for name, value in shown)),
            Section("History", entries=tuple(entries), empty="No update known by then."),
            *((Section("Searches", lines=searches),) if searches else ()),
        ),
        flat=Table("facts", ("fact", "value"), shown),
        data=data,
    )


def timeline(
    ledger: Ledger, pledge_id: str, *, width: int = 80, known_at: DateLike | None = None
) -> str:
    """One pledge as text, lines no wider than ``width`` (but for a web address, which is
    given a line of its own and never broken). With ``known_at``, only the updates whose
    news had been published by then are shown."""
    document = timeline_document(ledger, pledge_id, known_at=known_at)
    return render_document(document, "plain", width=max(width, 40)).removesuffix("\n")
