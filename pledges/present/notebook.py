"""Rich display in notebooks (Jupyter, IPython): small HTML views of a ledger, a pledge, a
diff, a summary and a rendered table, every value escaped, in the reader's vocabulary of
:mod:`pledges.present.phrases`.

:func:`register` hands them to IPython's HTML formatter by the classes' names, so that the
records themselves stay plain data; the package does it on import when IPython is running
(``import pledges`` in a notebook is enough). Each view is also a function of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape

from pledges.diff import Diff
from pledges.ledger import Ledger
from pledges.model import Pledge
from pledges.present import phrases
from pledges.present.render import Table
from pledges.summary import Summary

__all__ = ["diff_html", "ledger_html", "pledge_html", "summary_html", "table_html"]

_ROWS = 20  # rows a view shows before it says how many more there are


def _e(value: str | int) -> str:
    """Text (or a count) made inert in HTML, quotes too."""
    return escape(str(value))


def _table(headers: Sequence[str], rows: Iterable[Sequence[str | int]], caption: str = "") -> str:
    rows = list(rows)
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows[:_ROWS]
    )
    more = f"<p>… and {len(rows) - _ROWS} more</p>" if len(rows) > _ROWS else ""
    title = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def ledger_html(ledger: Ledger) -> str:
    """A ledger: its title, its counts and its pledges by where they stand now."""
    counts: Counter[str] = Counter()
    rows = []
    for pledge in ledger.pledges:  # its last status: the ledger's latest day is after it
        lifecycle = ledger.lifecycle_of(pledge)
        category = phrases.category(lifecycle, pledge.status)
        counts[category.key] += 1
        rows.append(
            (pledge.id, pledge.title, f"{category.symbol} {lifecycle.label_of(pledge.status)}")
        )
    standing = ", ".join(
        f"{c.symbol} {c.words} {counts[c.key]}" for c in phrases.CATEGORIES if counts[c.key]
    )
    as_of = f"; as of {ledger.latest}: {standing}" if ledger.pledges else ""
    return (
        f"<div><strong>{_e(ledger.title)}</strong>"
        f"<p>{len(ledger.pledges)} pledges, {len(ledger.actors)} actors, "
        f"{len(ledger.sources)} sources, {len(ledger.occasions)} occasions{_e(as_of)}</p>"
        f"{_table(('pledge', 'title', 'status'), rows)}</div>"
    )


def pledge_html(pledge: Pledge) -> str:
    """A pledge on its own: its words, and each update of its history."""
    rows = [(str(u.date), u.status, u.kind.value, u.note or "") for u in pledge.history]
    return (
        f"<div><strong>{_e(pledge.id)}</strong>: {_e(pledge.title)}"
        f"<p>{_e(pledge.text)}</p>{_table(('date', 'status', 'step', 'note'), rows)}</div>"
    )


def diff_html(diff: Diff) -> str:
    """A round-to-round diff: its counts in words, and each pledge's call."""
    counts = ", ".join(f"{phrases.change_words(c)} {n}" for c, n in diff.counts().items() if n)
    rows = [
        (r.pledge.id, phrases.change_words(r.change), f"{r.before or '—'} → {r.after}", r.reason)
        for r in diff.rows
    ]
    return (
        f"<div><strong>{_e(diff.baseline.label)}</strong> → {_e(diff.outcome.label)}"
        f"<p>{_e(counts)}</p>{_table(('pledge', 'what became of it', 'move', 'why'), rows)}"
        "</div>"
    )


def summary_html(summary: Summary) -> str:
    """A summary: its numbers, a row a group (or the whole)."""
    tallies = summary.groups if summary.by else (summary.total,)
    rows = [
        (
            t.group,
            len(t.pledges),
            "" if t.score is None else f"{t.score:+.2f}",
            "" if t.kept_share is None else f"{t.kept_share:.1%}",
        )
        for t in tallies
    ]
    by = summary.by_name or "group"
    return _table((by, "pledges", "score", "kept share"), rows, f"as of {summary.as_of}")


def table_html(table: Table) -> str:
    """A rendered table (a status table, say), its numbers written as in text."""
    return _table(table.headers, table.text_rows())
