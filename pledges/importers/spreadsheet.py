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
    statuses: Mapping[str, str],
    *,
    columns: Columns | None = None,
    lifecycle: Lifecycle = DEFAULT,
    title: str = "Imported tracker",
    made_on: PartialDate | str | None = None,
    assessed_on: PartialDate | str | None = None,
    made_by: str | None = None,
    ids: IdPolicy | str | None = None,
    drop: Collection[str] = (),
    delimiter: str | None = None,
    lenient: bool = False,
) -> ImportResult:
    """Import a spreadsheet with one promise a row.

    ``statuses`` maps the file's status names onto ``lifecycle``'s ids (every target is
    checked before a row is read; a name ``""`` maps blank cells; ``−1`` and ``-1`` are one
    name). ``columns`` names the columns that hold the fields (:data:`FIELDS` lists them and
    the names looked for by default). ``made_on`` dates the making of every pledge whose row
    has no made date; ``assessed_on`` dates the status of every row with no assessment date
    (with neither, a status is dated on the day its pledge was made, and the notes say so).
    ``made_by`` names who made the pledges of rows with no actor. ``ids`` keeps the file's
    ids, cleans them or derives them from titles (:class:`IdPolicy`; by default, kept when
    the file has an id column and derived otherwise); ``drop`` names columns to leave out.
    The delimiter is detected unless given.

    Rows that cannot be taken whole are reported by row number (a spreadsheet's: the header
    is row 1) and left out; in strict mode (the default) any problem raises
    :class:`~pledges.errors.LoadError` listing them all.
    """
    sheet, layout, reader, run, policy = open_sheet(
        source,
        statuses,
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
    if layout.others:
        names = ", ".join(repr(c) for _, c in layout.others)
        run.notes.append(f"columns kept as extra fields: {names} (--drop COLUMN leaves one out)")
    pledge_ids = Ids(policy)
    nobody: list[int] = []
    for number, cells in sheet.rows:
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
            history = reader.history(common, status, assessed)
            extra = [(c, cells[i]) for i, c in layout.others if cells[i]]
            pledge = Pledge(
                common.id,
                common.title,
                common.text,
                tuple(run.actor(name) for name in makers),
                history,
                topics=common.topics,
                lifecycle=lifecycle.id,
                note=common.note,
                extra=extra,
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
    return run.result(title, lifecycle)
