"""One pledge as text for a terminal: what it is, who made it to whom, then each update with
its evidence, wrapped to a width (``pledges show``)."""

from __future__ import annotations

import textwrap

from pledges import escape
from pledges.dates import DateLike
from pledges.ledger import Ledger
from pledges.model import Pledge
from pledges.present.report import ARROW, cite

__all__ = ["timeline"]


def _window_text(pledge: Pledge) -> str:
    if pledge.window is None:
        return ""
    if pledge.window.wording:
        return f"{pledge.window} ({pledge.window.wording})"
    return str(pledge.window)


def timeline(
    ledger: Ledger, pledge_id: str, *, width: int = 80, known_at: DateLike | None = None
) -> str:
    """One pledge as text, lines no wider than ``width`` (but for a web address, which is
    never broken). With ``known_at``, only the updates whose news had been published by then
    are shown."""
    width = max(width, 40)
    pledge = ledger.pledge(pledge_id)
    lifecycle = ledger.lifecycle_of(pledge)

    def wrap(text: str, indent: str, hanging: str | None = None) -> list[str]:
        # Cleaned before it is wrapped: a cleaned character may be wider than it was.
        return textwrap.wrap(
            escape.terminal(text), width, initial_indent=indent, subsequent_indent=hanging or indent
        ) or [indent.rstrip()]

    lines = [*wrap(f"{pledge.id}: {pledge.title}", ""), "", *wrap(pledge.text, ""), ""]
    status_now = pledge.status
    history = pledge.history
    if known_at is not None:
        known = ledger.status_at(pledge, "9999-12-31", known_at=known_at)
        history = tuple(u for u in history if ledger.known_from(u).reached_by(known_at))
        status_now = known or status_now
    facts = [
        ("kind", pledge.kind.value),
        ("made by", ", ".join(ledger.actor(a).name for a in pledge.made_by)),
        ("made to", ", ".join(ledger.actor(a).name for a in pledge.made_to)),
        ("occasion", "" if pledge.occasion is None else ledger.occasion(pledge.occasion).title),
        ("topics", ", ".join(pledge.topics)),
        ("window", _window_text(pledge)),
        ("lifecycle", lifecycle.label),
        ("status", lifecycle.label_of(status_now)),
        ("links", "; ".join(f"{link.kind.value} {link.pledge}" for link in pledge.links)),
        ("linked from", "; ".join(p.id for p in ledger.linked_to(pledge))),
        ("note", pledge.note or ""),
    ]
    for name, value in facts:
        if value:
            lines += wrap(f"{name:<12}{value}", "  ", " " * 14)
    for name in pledge.extra:  # fields an import kept, under the file's own names
        lines += wrap(f"{name}: {pledge.extra.text(name)}", "  ", "    ")
    lines.append("")
    previous = None
    for index, update in enumerate(history):
        label = lifecycle.label_of(update.status)
        step = (
            f"{lifecycle.label_of(previous)} {ARROW} {label}"
            if previous and previous != update.status
            else label
        )
        lines += wrap(f"[{index}] {update.date}  {update.kind.value}  {step}", "")
        previous = update.status
        if update.note:
            lines += wrap(update.note, "    ")
        for evidence in update.evidence:
            source = ledger.source(evidence.source)
            cited = cite(ledger, evidence)
            named = cited if cited.startswith(source.title) else f"{cited}: {source.title}"
            lines += wrap(named, "    ", "      ")
            if evidence.quote:
                lines += wrap(f"“{evidence.quote}”", "      ", "       ")
            if evidence.summary:
                lines += wrap(f"summary: {evidence.summary}", "      ")
            if source.url and source.url not in named:
                lines.append(f"      {escape.terminal(source.url)}")
            elif source.path:
                lines += wrap(source.path, "      ")
                if source.sha256:
                    lines.append(f"      sha256 {source.sha256}")
    for search in pledge.searches:
        lines += wrap(
            f"searched {search.on}: {', '.join(search.where)}; terms: {', '.join(search.terms)}"
            + (f"; period {search.period}" if search.period else "")
            + f"; {search.found or 'nothing found'}",
            "",
            "    ",
        )
    return "\n".join(lines)
