"""A ledger as tables for analysis: rows as plain records (a list of dicts, for polars,
DuckDB, the csv module or anything else), and as pandas DataFrames with real types.

- :func:`records` / :func:`to_frame`: one row a pledge: id, title, kind, makers and
  recipients (lists of names), topics (a list), occasion, when it was made, its status as of
  a day (id, label, kind, score), since when, and every extra field as a column of its own
  (a text, or a list; named ``extra.NAME`` if its name is a column's already).
- :func:`update_records` / :func:`updates_frame`: one row an update, with its evidence
  (sources, outlets, addresses, quotes) as lists.
- :func:`summary_records` / :func:`summary_frame`: the numbers of a summary, a row a group.
- :func:`diff_records` / :func:`diff_frame`: the round-to-round diff, a row a pledge.

Dates are ``datetime.date`` (a partial date gives its first day, and a ``_precision`` column
says how much of it is known: ``day``, ``days``, ``month`` or ``year``); scores and shares are
floats; lists are lists. pandas is optional (``pip install 'pledges[analysis]'``); without
it the ``*_frame`` functions say so, and the records serve every other tool.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

import attrs

from pledges.dates import DateLike, PartialDate, as_of_day
from pledges.diff import Diff
from pledges.errors import PledgesError
from pledges.ledger import Ledger
from pledges.summary import Summary, Tally
from pledges.tables import Column, table

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RECORD_COLUMNS",
    "diff_frame",
    "diff_records",
    "extra_columns",
    "records",
    "records_frame",
    "summary_frame",
    "summary_records",
    "to_frame",
    "update_records",
    "updates_frame",
]

Record = dict[str, Any]


def _day(date: PartialDate | None) -> _dt.date | None:
    return None if date is None else _dt.date.fromordinal(date.first_ordinal)


def _precision(date: PartialDate | None) -> str | None:
    return None if date is None else date.precision.name.lower()


_PRECISIONS = table("pledges").column("made_precision").enum

RECORD_COLUMNS: tuple[Column, ...] = (
    Column("id", "string", True, "the pledge's identifier"),
    Column("title", "string", True, "a short title"),
    Column("text", "string", True, "the commitment in its own words"),
    table("pledges").column("kind"),
    Column("made_by", "array", True, "the names of those who made it"),
    Column("made_to", "array", True, "the names of those it was made to"),
    Column("topics", "array", True, "its topics"),
    Column("occasion", "string", False, "the occasion it was made at"),
    Column("made", "date", True, "the first day of its making"),
    Column("made_precision", "string", True, "how much of that date is known", enum=_PRECISIONS),
    Column("lifecycle", "string", True, "the lifecycle its statuses follow"),
    Column("status", "string", True, "its status (the lifecycle's identifier)"),
    Column("status_label", "string", True, "its status, in words"),
    attrs.evolve(table("statuses").column("kind"), name="status_kind"),
    Column("score", "number", False, "the status's compliance score (-1 to +1), if scored"),
    Column("since", "date", True, "the first day of the update that began this status"),
    Column("since_precision", "string", True, "how much of that date is known", enum=_PRECISIONS),
)
"""The columns of :func:`records` before the extra fields (which follow, a column each)."""


def extra_columns(ledger: Ledger) -> dict[str, str]:
    """Each extra field of the ledger's pledges (in the order first met) and the column it
    takes in :func:`records`: its own name, or ``extra.NAME`` if a column has it already."""
    taken = {c.name for c in RECORD_COLUMNS}
    names = dict.fromkeys(n for p in ledger.pledges for n in p.extra)
    return {n: n if n not in taken else f"extra.{n}" for n in names}


def records(ledger: Ledger, as_of: DateLike | None = None) -> list[Record]:
    """One record a pledge made by ``as_of`` (by default the ledger's latest update), with
    its status then; every extra field a key of its own (see :func:`extra_columns`)."""
    day = as_of_day(as_of if as_of is not None else ledger.latest or "9999")
    extras = extra_columns(ledger)
    found = []
    for pledge in ledger.pledges:
        status_id = ledger.status_at(pledge, day)
        if status_id is None:
            continue
        lifecycle = ledger.lifecycle_of(pledge)
        status = lifecycle.status(status_id)
        since = ledger.status_since(pledge, day)
        row: Record = {
            "id": pledge.id,
            "title": pledge.title,
            "text": pledge.text,
            "kind": pledge.kind.value,
            "made_by": [ledger.actor(a).name for a in pledge.made_by],
            "made_to": [ledger.actor(a).name for a in pledge.made_to],
            "topics": list(pledge.topics),
            "occasion": ledger.occasion(pledge.occasion).title if pledge.occasion else None,
            "made": _day(pledge.made_on),
            "made_precision": _precision(pledge.made_on),
            "lifecycle": lifecycle.id,
            "status": status.id,
            "status_label": status.label,
            "status_kind": status.kind.value,
            "score": None if status.score is None else float(status.score),
            "since": _day(since),
            "since_precision": _precision(since),
        }
        for name, column in extras.items():
            value = pledge.extra.get(name)
            row[column] = list(value) if isinstance(value, tuple) else value
        found.append(row)
    return found


def update_records(ledger: Ledger) -> list[Record]:
    """One record an update of every pledge, in order, with its evidence as lists."""
    found = []
    for pledge in ledger.pledges:
        lifecycle = ledger.lifecycle_of(pledge)
        for position, update in enumerate(pledge.history):
            sources = [ledger.source(e.source) for e in update.evidence]
            found.append(
                {
                    "pledge": pledge.id,
                    "position": position,
                    "date": _day(update.date),
                    "date_precision": _precision(update.date),
                    "status": update.status,
                    "status_label": lifecycle.label_of(update.status),
                    "kind": update.kind.value,
                    "note": update.note,
                    "occasion": update.occasion,
                    "sources": [s.id for s in sources],
                    "outlets": [s.outlet for s in sources],
                    "urls": [s.url for s in sources],
                    "quotes": [e.quote for e in update.evidence],
                    "known_from": _day(ledger.known_from(update)),
                }
            )
    return found


def _tally(tally: Tally) -> Record:
    return {
        "group": tally.group,
        "pledges": len(tally.pledges),
        "score": tally.score,
        "scored": tally.scored,
        "kept": tally.kept,
        "counted": tally.counted,
        "kept_share": tally.kept_share,
        "overdue": len(tally.overdue),
    }


def summary_records(summary: Summary) -> list[Record]:
    """The numbers of a summary: its groups, a record each (the whole, when not grouped)."""
    return [_tally(t) for t in summary.groups] if summary.by else [_tally(summary.total)]


def diff_records(diff: Diff) -> list[Record]:
    """The round-to-round diff, a record a pledge: its class, statuses, reason, the number
    of updates in between and the pledges that renew it."""
    return [
        {
            "id": row.pledge.id,
            "title": row.pledge.title,
            "change": row.change.value,
            "before": row.before,
            "after": row.after,
            "reason": row.reason,
            "updates": len(row.updates),
            "renewed_by": [p.id for p in row.renewed_by],
        }
        for row in diff.rows
    ]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise PledgesError(
            "DataFrames need pandas: pip install 'pledges[analysis]' (or build one from "
            "pledges.frames.records(...), a list of dicts, with polars or any other tool)"
        ) from None
    return pandas


def records_frame(
    rows: list[Record], dates: tuple[str, ...] = (), columns: list[str] | None = None
) -> pd.DataFrame:
    """Records (dicts) as a pandas DataFrame, the ``dates`` columns as datetimes; ``columns``
    names them (and keeps them when there is no row)."""
    pandas = _pandas()
    frame = pandas.DataFrame.from_records(rows, columns=columns)
    for column in dates:
        if column in frame:
            frame[column] = pandas.to_datetime(frame[column])
    return frame


def to_frame(ledger: Ledger, as_of: DateLike | None = None) -> pd.DataFrame:
    """:func:`records` as a pandas DataFrame (dates as datetimes)."""
    columns = [c.name for c in RECORD_COLUMNS] + list(extra_columns(ledger).values())
    return records_frame(records(ledger, as_of), ("made", "since"), columns)


def updates_frame(ledger: Ledger) -> pd.DataFrame:
    """:func:`update_records` as a pandas DataFrame."""
    return records_frame(update_records(ledger), ("date", "known_from"))


def summary_frame(summary: Summary) -> pd.DataFrame:
    """:func:`summary_records` as a pandas DataFrame."""
    return records_frame(summary_records(summary))


def diff_frame(diff: Diff) -> pd.DataFrame:
    """:func:`diff_records` as a pandas DataFrame."""
    return records_frame(diff_records(diff))
