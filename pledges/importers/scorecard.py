"""Importing a compliance scorecard: one row per commitment, one column per member, each cell a
score (−1 / 0 / +1, or any scale mapped onto a lifecycle), as compliance studies publish.

Each row becomes two views: the commitment as a whole, made by the group, and one pledge per
member that is its ``share-of``, made by that member and moved to the status its cell gives.
Totals count member assessments, never the whole; ``pledges summary --by actor`` gives each
member's average score and ``--by commitment`` each commitment's (its members' mean). Dirty
cells are mapped or reported, never dropped without a word: signs that look alike (``−1``)
and spaces (``+ 1``) are read as ASCII and noted; blank cells mean "not assessed" and are
listed; any other cell no mapping takes is a problem.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence

import attrs

from pledges.dates import PartialDate
from pledges.errors import InvalidQuery, LoadError, PledgesError, Problem
from pledges.importers._common import Collector, IdPolicy, Ids, ImportResult, cell_key, listed
from pledges.importers._rows import Common, Opened, RowProblem, open_sheet
from pledges.importers._sheet import Columns, Sheet
from pledges.lifecycle import Lifecycle
from pledges.model import Link, LinkKind, Pledge
from pledges.presets import COMPLIANCE

__all__ = ["COMPLIANCE_SCORES", "import_scorecard"]

COMPLIANCE_SCORES: dict[str, str] = {
    "-1": "non-compliance",
    "0": "partial-compliance",
    "+1": "full-compliance",
    "1": "full-compliance",
}
"""The cells of a −1 / 0 / +1 scorecard, mapped onto the compliance lifecycle."""

_FIELDS = ("id", "title", "text", "topic", "made", "assessed", "source_url", "note")


def _member_columns(
    sheet: Sheet, others: Sequence[tuple[int, str]], mapping: Mapping[str, str], run: Collector
) -> list[tuple[int, str]]:
    """The columns that are members: those whose cells are mostly mapped scores. A column
    that is mostly not (a stray number column, an average) is one problem line with the
    hint that leaves it out, not a line a value."""
    kept = []
    for index, column in others:
        values = [cells[index] for _, cells in sheet.rows if cell_key(cells[index])]
        mapped = sum(cell_key(v) in mapping for v in values)
        if values and mapped * 2 < len(values):
            some = ", ".join(repr(v) for v in list(dict.fromkeys(values))[:3])
            run.problem(
                f"column {column!r}",
                f"{len(values) - mapped} of its {len(values)} cells are no mapped score "
                f"({some}, ...): not a member? --drop {column!r} leaves it out, "
                f"--column FIELD={column!r} reads it as a field",
            )
        else:
            kept.append((index, column))
    return kept


def _shares(
    opened: Opened,
    common: Common,
    number: int,
    cells: tuple[str, ...],
    members: Sequence[tuple[int, str, str]],
    unassessed: list[str],
) -> list[Pledge]:
    """Each member's share of a row's commitment, a pledge of its own
    (``COMMITMENT:MEMBER``, linked to the commitment) at the status its cell gives: a blank
    cell, unless blanks are mapped, is listed as not assessed; a cell that cannot be read is
    a problem of its own."""
    reader, run = opened.reader, opened.run
    parts = []
    for index, member, actor in members:
        place = f"{number} ({member})"
        cell = cells[index]
        if not cell_key(cell) and "" not in reader.mapping:
            unassessed.append(place)
            continue
        status = reader.status(cell, place)
        if status is None:
            continue
        try:
            history = reader.history(common, status, reader.assessed(cells, status, place))
        except RowProblem as exc:
            run.problem(f"row {number}, {member}", exc.message)
            continue
        parts.append(
            Pledge(
                f"{common.id}:{actor}",
                common.title,
                common.text,
                (actor,),
                history,
                topics=common.topics,
                links=(Link(LinkKind.SHARE_OF, common.id),),
                lifecycle=opened.lifecycle.id,
            )
        )
    return parts


def import_scorecard(
    source: str | os.PathLike[str] | bytes,
    statuses: Mapping[str, str] | None = None,
    *,
    columns: Columns | None = None,
    lifecycle: Lifecycle = COMPLIANCE,
    title: str | None = None,
    group: str = "All members",
    made_on: PartialDate | str | None = None,
    assessed_on: PartialDate | str | None = None,
    ids: IdPolicy | str | None = None,
    drop: Collection[str] = (),
    delimiter: str | None = None,
    lenient: bool = False,
) -> ImportResult:
    """Import a scorecard (see the module's notes).

    The commitment's own columns are found as :func:`~pledges.importers.import_csv` finds
    them (title, and optionally id, text, topic, made, assessed, source_url, note); every
    other column is a member, unless named in ``drop``. ``statuses`` maps cells onto
    ``lifecycle``; on the compliance lifecycle (the default) it adds to
    :data:`COMPLIANCE_SCORES`. A name ``""`` maps blank cells, which are otherwise left
    unassessed and listed. ``group``
    names who made the commitments as a whole. A member's pledge has the id
    ``COMMITMENT:MEMBER``. Problems are located by row and member; in strict mode (the
    default) any raises :class:`~pledges.errors.LoadError` listing them all, in lenient mode
    the cell is left out and listed.
    """
    if lifecycle.id == COMPLIANCE.id:
        statuses = {**COMPLIANCE_SCORES, **(statuses or {})}
    elif not statuses:
        raise InvalidQuery(
            f"a scorecard on lifecycle {lifecycle.id!r} needs a mapping of its cells "
            "(--status CELL=STATUS for each)"
        )
    opened = open_sheet(
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
        fields=_FIELDS,
        required={},
        cells_of_status="members",
    )
    sheet, layout, reader, run = opened.sheet, opened.layout, opened.reader, opened.run
    if not layout.others:
        raise LoadError(sheet.name, [Problem("row 1", "no member columns: nothing to score")])
    columns_kept = _member_columns(sheet, layout.others, reader.mapping, run)
    run.notes.append(f"members: {', '.join(c for _, c in columns_kept)}")
    whole = run.actor(group)
    members = [(index, column, run.actor(column)) for index, column in columns_kept]
    commitment_ids = Ids(opened.ids)
    unassessed: list[str] = []
    for number, cells in sheet.rows:
        try:
            common = reader.common(cells, number, commitment_ids, run)
            parts = _shares(opened, common, number, cells, members, unassessed)
            made = reader.history(attrs.evolve(common, note=None), opened.lifecycle.initial, None)
            commitment = Pledge(
                common.id,
                common.title,
                common.text,
                (whole,),
                made,
                topics=common.topics,
                lifecycle=opened.lifecycle.id,
                note=common.note,
            )
        except PledgesError as exc:
            run.problem(f"row {number}", exc.message)
            continue
        run.pledges += [commitment, *parts]
    reader.report(run, noun="cell")
    if unassessed:
        run.notes.append(f"blank cells, left not assessed: {listed(unassessed)}")
    return run.result(title, opened.lifecycle)
