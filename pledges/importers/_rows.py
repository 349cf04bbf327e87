"""Turning a sheet's rows into pledges (private): the file as a source, the parts every
pledge of a row shares, and the reader that checks each row and gathers its problems."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping

import attrs

from pledges._fields import is_relative_path
from pledges.dates import PartialDate
from pledges.errors import PledgesError, Problem
from pledges.importers._common import (
    Collector,
    IdPolicy,
    Ids,
    cell_key,
    fold_signs,
    listed,
    replay,
    sign_names,
    slug,
    status_mapping,
)
from pledges.importers._sheet import Columns, Layout, Sheet, locate, read_sheet
from pledges.lifecycle import Lifecycle
from pledges.model import Evidence, Source, Update

__all__ = ["FILE_SOURCE", "Common", "RowProblem", "RowReader", "open_sheet"]


FILE_SOURCE = "import-file"
"""The id of the source that stands for the imported file itself."""


class RowProblem(PledgesError):
    """A row (or a cell) that cannot be imported whole."""


@attrs.frozen
class Common:
    """What every pledge made from one row shares."""

    id: str
    title: str
    text: str
    made: PartialDate
    evidence: tuple[Evidence, ...]
    topics: tuple[str, ...]
    note: str | None


def open_sheet(
    source: str | os.PathLike[str] | bytes,
    statuses: Mapping[str, str],
    *,
    columns: Columns | None,
    lifecycle: Lifecycle,
    made_on: PartialDate | str | None,
    assessed_on: PartialDate | str | None,
    ids: IdPolicy | str | None,
    drop: Collection[str],
    delimiter: str | None,
    lenient: bool,
    fields: Collection[str],
    required: Mapping[str, str],
) -> tuple[Sheet, Layout, RowReader, Collector, IdPolicy]:
    """Everything an import of a sheet starts with, each option checked before a row is
    read: the sheet, where its fields are, a row reader, a collector holding the file as a
    source and notes on how the file was read, and the id policy (by default: keep the
    file's ids when it has an id column, else derive them from titles)."""
    made = None if made_on is None else PartialDate.parse(str(made_on))
    assessed = None if assessed_on is None else PartialDate.parse(str(assessed_on))
    mapping = status_mapping(statuses, lifecycle)
    columns = columns or Columns()
    policy = None if ids is None else IdPolicy(ids)
    sheet = read_sheet(source, delimiter)
    needed = {"title": "no title column: name it with --column title=COLUMN", **required}
    if policy in (IdPolicy.KEEP, IdPolicy.CLEAN):
        needed["id"] = "no id column: name it with --column id=COLUMN, or use --ids derive"
    if made is None:
        needed["made"] = (
            "no column for the made date: name it with --column made=COLUMN, or give every "
            "pledge one date with --made-on DATE"
        )
    wanted = [f for f in fields if not (f == "id" and policy is IdPolicy.DERIVE)]
    layout = locate(sheet, columns, wanted, needed, drop)
    run = Collector(sheet.name, lenient)
    run.notes.append(f"read as {sheet.delimiter_name}-separated; {layout.described(sheet.header)}")
    if policy is None:
        policy = IdPolicy.KEEP if "id" in layout.at else IdPolicy.DERIVE
        if policy is IdPolicy.DERIVE:
            run.notes.append("no id column: ids derived from titles")
    if drop:
        run.notes.append(f"columns left out as asked: {', '.join(map(repr, drop))}")
    path = sheet.name
    if not is_relative_path(path) or "/" in path or "\\" in path:
        path = slug(path) or "imported-file"
        run.notes.append(f"the file's name is no plain path: it is cited as {path!r}")
    run.sources[""] = Source(
        FILE_SOURCE, f"The imported file {path}", path=path, sha256=sheet.sha256
    )
    reader = RowReader(sheet, layout, columns.separator, lifecycle, mapping, made, assessed)
    return sheet, layout, reader, run, policy


@attrs.define
class RowReader:
    """Reads the fields of a sheet's rows, and gathers what it meets across rows (status
    names with no mapping, look-alike signs, statuses dated on their making day) so that
    each is reported once, with the rows it was met in."""

    sheet: Sheet
    layout: Layout
    separator: str
    lifecycle: Lifecycle
    mapping: dict[str, str]
    made_on: PartialDate | None
    assessed_on: PartialDate | None
    unmapped: dict[str, list[str]] = attrs.field(factory=dict)
    signs: dict[str, list[str]] = attrs.field(factory=dict)
    same_day: list[str] = attrs.field(factory=list)

    def cell(self, cells: tuple[str, ...], field: str) -> str:
        """The trimmed cell of ``field`` ("" when the sheet has no such column)."""
        return self.layout.cell(cells, field)

    def split(self, cells: tuple[str, ...], field: str) -> list[str]:
        """The values of a cell that may hold several (actors, topics, URLs), once each."""
        parts = self.cell(cells, field).split(self.separator)
        return list(dict.fromkeys(p.strip() for p in parts if p.strip()))

    def _signs(self, text: str, place: str) -> None:
        for name in sign_names(text):
            self.signs.setdefault(name, []).append(place)

    def date(self, cells: tuple[str, ...], field: str, place: str) -> PartialDate | None:
        """The date in ``field`` (``made`` or ``assessed``), or the constant one given for
        every row when the cell is blank."""
        text = self.cell(cells, field)
        if not text:
            return self.made_on if field == "made" else self.assessed_on
        self._signs(text, place)
        return PartialDate.parse(fold_signs(text))

    def status(self, text: str, place: str) -> str | None:
        """The lifecycle status a status cell maps onto; ``None`` (and remembered, to report)
        when it maps onto none."""
        status = self.mapping.get(cell_key(text))
        if status is None:
            self.unmapped.setdefault(text, []).append(place)
        else:
            self._signs(text, place)
        return status

    def assessed(self, cells: tuple[str, ...], status: str, place: str) -> PartialDate | None:
        """The date of a row's status (``None``: none given, to be dated on the making day,
        which is remembered to report)."""
        day = self.date(cells, "assessed", place)
        if day is None and status != self.lifecycle.initial:
            self.same_day.append(place)
        return day

    def common(self, cells: tuple[str, ...], number: int, ids: Ids, run: Collector) -> Common:
        """What every pledge of a row shares: id, title, text, made date, evidence (the URLs
        its row cites, or the file itself), topics and note."""
        where = f"row {number}"
        title = self.cell(cells, "title")
        if not title:
            raise RowProblem("blank title")
        made = self.date(cells, "made", str(number))
        if made is None:
            raise RowProblem("blank made date (--made-on DATE gives one to every row)")
        name = self.sheet.name
        evidence = [
            Evidence(run.url_source(url).id, summary=f"Cited by {name}, {where}.")
            for url in self.split(cells, "source_url")
        ] or [Evidence(FILE_SOURCE, summary=f"{name}, {where}.")]
        if quote := self.cell(cells, "quote"):
            evidence[0] = attrs.evolve(evidence[0], quote=quote)
        return Common(
            ids.take(self.cell(cells, "id"), title, where, run.notes),
            title,
            self.cell(cells, "text") or title,
            made,
            tuple(evidence),
            tuple(self.split(cells, "topic")),
            self.cell(cells, "note") or None,
        )

    def history(
        self, common: Common, status: str, assessed: PartialDate | None
    ) -> tuple[Update, ...]:
        """The making, then the move to ``status`` on its assessment date (or the making
        day); :class:`RowProblem` when the lifecycle forbids it: a pledge is never kept at a
        status its row did not give."""
        steps = [(common.made, self.lifecycle.initial, common.evidence, None)]
        if status != self.lifecycle.initial:
            steps.append((assessed or common.made, status, common.evidence, None))
        history, problems = replay(common.id, steps, self.lifecycle, "")
        if problems:
            raise RowProblem(f"{problems[-1].message}; left out")
        return tuple(history)

    def report(self, run: Collector, noun: str = "status") -> None:
        """Add what was met across rows to the import's problems and notes."""
        known = ", ".join(repr(name) for name in self.mapping) or "none"
        for name, places in self.unmapped.items():
            shown = f"{noun} {name!r}" if name else f"a blank {noun} cell"
            run.problems.append(
                Problem(
                    listed(places),
                    f"{shown} is not mapped (mapped: {known}); map it with --status "
                    f"'{name}=STATUS' (statuses: {', '.join(self.lifecycle.ids)})",
                )
            )
        for name, places in self.signs.items():
            run.notes.append(f"{listed(places)}: {name} read as an ASCII sign")
        if self.same_day:
            run.notes.append(
                f"{listed(self.same_day)}: the status is dated on the day the pledge was made, "
                "so a diff cannot see it change; give an assessed column or --assessed-on DATE"
            )
