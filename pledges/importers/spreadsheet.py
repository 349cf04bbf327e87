"""Importing a spreadsheet with one promise a row (saved as CSV, semicolon- or tab-separated).

Each row becomes a pledge made on its made date and moved to the status its status cell maps
onto, on its assessment date. Nothing goes silently: columns no field reads are listed and
kept as the pledge's extra fields (unless dropped by name), changed ids and folded signs are
noted, and a row that cannot be taken whole is left out and listed.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping

from pledges.dates import PartialDate
from pledges.errors import PledgesError
from pledges.importers._common import IdPolicy, Ids, ImportResult, listed
from pledges.importers._rows import open_sheet
from pledges.importers._sheet import FIELDS, Columns
from pledges.lifecycle import Lifecycle
from pledges.model import Pledge
from pledges.presets import DEFAULT

__all__ = ["import_csv"]


def import_csv(
    source: str | os.PathLike[str] | bytes,
    statuses: Mapping[str, str] | None = None,
    *,
    columns: Columns | None = None,
    lifecycle: Lifecycle | str = DEFAULT,
    title: str | None = None,
    made_on: PartialDate | str | None = None,
    assessed_on: PartialDate | str | None = None,
    made_by: str | None = None,
    ids: IdPolicy | str | None = None,
    drop: Collection[str] = (),
    delimiter: str | None = None,
    lenient: bool = False,
) -> ImportResult:
    """Import a spreadsheet with one promise a row.

    Status names that are a status's id or label (case and spacing aside) map themselves;
    ``statuses`` maps the others onto ``lifecycle``'s ids (every target is checked before a
    row is read; a name ``""`` maps blank cells; ``−1`` and ``-1`` are one name). With
    ``lifecycle="from-file"`` a lifecycle is derived from the file's status names
    (:func:`~pledges.importers.derive.derive_lifecycle`, every guess noted). ``columns``
    names the columns that hold the fields (:data:`FIELDS` lists them and the names looked
    for by default; topics, notes and web addresses may come from several columns, and
    ``columns.split`` names the tracker's own columns to keep as lists). ``made_on`` dates
    the making of every pledge whose row has no made date; ``assessed_on`` dates the status
    of every row with no assessment date (a status is never dated on its making day: a file
    with no dates for its statuses needs it). ``made_by`` names who made the pledges of rows
    with no actor. ``ids`` keeps the file's ids, cleans them or derives them from titles
    (:class:`IdPolicy`); ``drop`` names columns to leave out. The delimiter is detected
    unless given; the title, when not given, comes from the file's name.

    Rows that cannot be taken whole are reported by row number (a spreadsheet's: the header
    is row 1) and left out; in strict mode (the default) any problem raises
    :class:`~pledges.errors.LoadError` listing them all.
    """
    opened = open_sheet(
        source,
        statuses or {},
        columns=columns,
        lifecycle=lifecycle,
        made_on=made_on,
        assessed_on=assessed_on,
        ids=ids,
        drop=drop,
        delimiter=delimiter,
        lenient=lenient,
        fields=FIELDS,
        required={"status": "no status column: name it with --column status=COLUMN"},
    )
    reader, run = opened.reader, opened.run
    if opened.layout.others:
        names = ", ".join(repr(c) for _, c in opened.layout.others)
        run.notes.append(f"columns kept as extra fields: {names} (--drop COLUMN leaves one out)")
    pledge_ids = Ids(opened.ids)
    nobody: list[int] = []
    for number, cells in opened.sheet.rows:
        where = f"row {number}"
        try:
            status = reader.status(reader.cell(cells, "status"), str(number))
            if status is None:
                continue
            common = reader.common(cells, number, pledge_ids, run)
            assessed = reader.assessed(cells, status, str(number))
            makers = reader.split(cells, "actor") or ([made_by] if made_by else [])
            if not makers:
                nobody.append(number)
                makers = ["Unknown"]
            pledge = Pledge(
                common.id,
                common.title,
                common.text,
                tuple(run.actor(name) for name in makers),
                reader.history(common, status, assessed),
                topics=common.topics,
                lifecycle=opened.lifecycle.id,
                extra=reader.extra(cells),
            )
        except PledgesError as exc:
            run.problem(where, exc.message)
            continue
        run.pledges.append(pledge)
    reader.report(run)
    if nobody:
        run.notes.append(
            f"{listed(nobody)}: no actor, so made by 'Unknown' (--made-by NAME names one)"
        )
    return run.result(title, opened.lifecycle)
