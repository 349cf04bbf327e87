"""Turning a sheet's rows into pledges (private): the file as a source, the status names
mapped (by the user, by matching the lifecycle's own names, or onto a lifecycle derived from
the file), the parts every pledge of a row shares, and the reader that checks each row and
gathers its problems."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Collection, Mapping
from pathlib import Path

import attrs

from pledges._fields import is_relative_path
from pledges.dates import PartialDate
from pledges.errors import InvalidQuery, PledgesError, Problem
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
from pledges.importers.derive import derive_lifecycle, matching_statuses
from pledges.lifecycle import Lifecycle
from pledges.model import Evidence, Source, Update

__all__ = ["FILE_SOURCE", "FROM_FILE", "Common", "Opened", "RowProblem", "RowReader", "open_sheet"]


FILE_SOURCE = "import-file"
"""The id of the source that stands for the imported file itself."""

FROM_FILE = "from-file"
"""The lifecycle option that derives a lifecycle from the file's status names."""

_URL_SPLIT = re.compile(r"[|;\s]+")
_LIST_SPLIT = re.compile(r"\s*[|;]\s*")


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


@attrs.frozen
class Opened:
    """Everything an import of a sheet starts with: the sheet, where its fields are, the
    row reader, the collector (holding the file as a source and notes on how it was read),
    the id policy and the lifecycle the pledges follow (given, or derived from the file)."""

    sheet: Sheet
    layout: Layout
    reader: RowReader
    run: Collector
    ids: IdPolicy
    lifecycle: Lifecycle


def _title_of(name: str) -> str:
    """A ledger title from a file's name: ``uk-promises_2024.csv`` -> ``Uk promises 2024``."""
    words = re.sub(r"[_\W]+", " ", Path(name).stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Imported tracker"


def open_sheet(
    source: str | os.PathLike[str] | bytes,
    statuses: Mapping[str, str],
    *,
    columns: Columns | None,
    lifecycle: Lifecycle | str,
    made_on: PartialDate | str | None,
    assessed_on: PartialDate | str | None,
    ids: IdPolicy | str | None,
    drop: Collection[str],
    delimiter: str | None,
    lenient: bool,
    fields: Collection[str],
    required: Mapping[str, str],
    cells_of_status: str = "status",
) -> Opened:
    """Open a sheet for import, each option checked before a row is read (see
    :class:`Opened`). ``lifecycle`` may be :data:`FROM_FILE`: one is derived from the
    distinct values of the status cells (``cells_of_status`` says where they are: the
    ``status`` column, or every member column of a scorecard). Status names that are a
    status's id or label map themselves; ``statuses`` adds or overrides. By default ids
    are kept when the file has an id column, else derived from titles."""
    made = None if made_on is None else PartialDate.parse(str(made_on))
    assessed = None if assessed_on is None else PartialDate.parse(str(assessed_on))
    columns = columns or Columns()
    policy = None if ids is None else IdPolicy(ids)
    if isinstance(lifecycle, Lifecycle):
        status_mapping(statuses, lifecycle)  # every target checked before the file is read
    elif lifecycle != FROM_FILE:
        raise InvalidQuery(f"lifecycle {lifecycle!r} is neither a lifecycle nor {FROM_FILE!r}")
    sheet = read_sheet(source, delimiter)
    wanted = [f for f in fields if not (f == "id" and policy is IdPolicy.DERIVE)]
    layout = locate(sheet, columns, wanted, _needed(required, policy, made), drop)
    run = Collector(sheet.name, lenient)
    run.notes.append(f"read as {sheet.delimiter_name}-separated; {layout.described(sheet.header)}")
    if policy is None:
        policy = IdPolicy.KEEP if "id" in layout.at else IdPolicy.DERIVE
        if policy is IdPolicy.DERIVE:
            run.notes.append("no id column: ids derived from titles")
    if drop:
        run.notes.append(f"columns left out as asked: {', '.join(map(repr, drop))}")
    names = _status_names(sheet, layout, cells_of_status)
    lifecycle, mapping = _statuses_read(names, statuses, lifecycle, sheet.name, run)
    if assessed is None and "assessed" not in layout.at and _moved(names, mapping, lifecycle):
        raise InvalidQuery(
            "the file gives no date for its statuses: give the day they were assessed "
            "(--assessed-on DATE, the day this copy was taken), or name the column that "
            "holds it (--column assessed=COLUMN); a status is never dated on the day its "
            "pledge was made"
        )
    _cite_file(sheet, assessed, run)
    reader = RowReader(sheet, layout, columns, lifecycle, mapping, made, assessed)
    return Opened(sheet, layout, reader, run, policy, lifecycle)


def _needed(
    required: Mapping[str, str], policy: IdPolicy | None, made: PartialDate | None
) -> dict[str, str]:
    """The fields a sheet must have a column for, each with what to do when it has none."""
    needed = {"title": "no title column: name it with --column title=COLUMN", **required}
    if policy in (IdPolicy.KEEP, IdPolicy.CLEAN):
        needed["id"] = "no id column: name it with --column id=COLUMN, or use --ids derive"
    if made is None:
        needed["made"] = (
            "no column for the made date: name it with --column made=COLUMN, or give every "
            "pledge one date with --made-on DATE"
        )
    return needed


def _statuses_read(
    names: list[str],
    statuses: Mapping[str, str],
    lifecycle: Lifecycle | str,
    file_name: str,
    run: Collector,
) -> tuple[Lifecycle, dict[str, str]]:
    """The lifecycle the sheet's status names follow (derived from them when asked) and the
    mapping of those names onto it: the given ``statuses`` over the names that are a
    status's id or label, each reading noted."""
    derived = lifecycle == FROM_FILE
    if lifecycle == FROM_FILE:
        label = f"{_title_of(file_name)} statuses"
        lifecycle, guessed = derive_lifecycle(
            names, slug(Path(file_name).stem) or "imported", label
        )
        run.notes.append(
            "lifecycle derived from the file's status names (check each guess; "
            "`pledges lifecycle new --from FILE` writes it out to correct): " + "; ".join(guessed)
        )
    assert isinstance(lifecycle, Lifecycle)
    found = {k: v for k, v in matching_statuses(names, lifecycle).items() if k not in statuses}
    if found and not derived:
        run.notes.append(
            "status names read as the lifecycle's own: "
            + ", ".join(f"{k!r} -> {v}" for k, v in found.items() if k != v)
            if any(k != v for k, v in found.items())
            else "status names are the lifecycle's own ids"
        )
    return lifecycle, status_mapping({**found, **statuses}, lifecycle)


def _cite_file(sheet: Sheet, assessed: PartialDate | None, run: Collector) -> None:
    """The imported file as the run's source (under a plain path), and the ledger's title
    and description made from it."""
    path = sheet.name
    if not is_relative_path(path) or "/" in path or "\\" in path:
        path = slug(path) or "imported-file"
        run.notes.append(f"the file's name is no plain path: it is cited as {path!r}")
    run.sources[""] = Source(
        FILE_SOURCE, f"The imported file {path}", path=path, sha256=sheet.sha256
    )
    run.title = _title_of(sheet.name)
    dated = f"as assessed on {assessed}" if assessed else "as the file dates them"
    run.description = (
        f"Imported from {path} (sha256 {sheet.sha256[:12]}…) with pledges import; statuses {dated}."
    )


def _status_names(sheet: Sheet, layout: Layout, where: str) -> list[str]:
    """The distinct status names of the sheet, in the order met."""
    if where == "status":
        found = (layout.cell(cells, "status") for _, cells in sheet.rows)
    else:  # every column no field took: a scorecard's members
        found = (cells[i] for _, cells in sheet.rows for i, _ in layout.others)
    return list(dict.fromkeys(name for name in found if cell_key(name)))


def _moved(names: list[str], mapping: Mapping[str, str], lifecycle: Lifecycle) -> bool:
    """True when some status name maps onto a status other than the first."""
    return any(mapping.get(cell_key(n), lifecycle.initial) != lifecycle.initial for n in names)


@attrs.define
class RowReader:
    """Reads the fields of a sheet's rows, and gathers what it meets across rows (status
    names with no mapping, look-alike signs) so that each is reported once, with the rows
    it was met in."""

    sheet: Sheet
    layout: Layout
    columns: Columns
    lifecycle: Lifecycle
    mapping: dict[str, str]
    made_on: PartialDate | None
    assessed_on: PartialDate | None
    unmapped: dict[str, list[str]] = attrs.field(factory=dict)
    signs: dict[str, list[str]] = attrs.field(factory=dict)

    def cell(self, cells: tuple[str, ...], field: str) -> str:
        """The trimmed cell of ``field`` ("" when the sheet has no such column)."""
        return self.layout.cell(cells, field)

    def split(self, cells: tuple[str, ...], field: str) -> list[str]:
        """The values of the cells that may hold several (actors, topics), once each."""
        parts = [
            p.strip()
            for cell in self.layout.cells(cells, field)
            for p in cell.split(self.columns.separator)
        ]
        return list(dict.fromkeys(p for p in parts if p))

    def urls(self, cells: tuple[str, ...]) -> list[str]:
        """The web addresses of a row, split on ``|``, ``;`` and white space, once each."""
        parts = [
            p for cell in self.layout.cells(cells, "source_url") for p in _URL_SPLIT.split(cell)
        ]
        return list(dict.fromkeys(p.strip(",") for p in parts if p.strip(",")))

    def extra(self, cells: tuple[str, ...]) -> list[tuple[str, str | tuple[str, ...]]]:
        """The row's other columns, as extra fields: a text, or a list for the columns
        named to be split."""
        found: list[tuple[str, str | tuple[str, ...]]] = []
        for i, column in self.layout.others:
            if not cells[i]:
                continue
            if column in self.columns.split:
                parts = tuple(dict.fromkeys(p for p in _LIST_SPLIT.split(cells[i]) if p))
                found.append((column, parts))
            else:
                found.append((column, cells[i]))
        return found

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
        """The date of a row's status; a status moved from the first without one is a
        :class:`RowProblem` (never dated on the day its pledge was made)."""
        day = self.date(cells, "assessed", place)
        if day is None and status != self.lifecycle.initial:
            raise RowProblem("no date for its status: a blank assessed cell")
        return day

    def common(self, cells: tuple[str, ...], number: int, ids: Ids, run: Collector) -> Common:
        """What every pledge of a row shares: id, title, text, made date, evidence (the web
        pages its row cites, one source each, or the file itself), topics and note (the
        narrative columns: what happened, and why)."""
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
            for url in self.urls(cells)
        ] or [Evidence(FILE_SOURCE, summary=f"{name}, {where}.")]
        if quote := self.cell(cells, "quote"):
            evidence[0] = attrs.evolve(evidence[0], quote=quote)
        notes = self.layout.cells(cells, "note")
        return Common(
            ids.take(self.cell(cells, "id"), title, where, run.notes),
            title,
            self.cell(cells, "text") or title,
            made,
            tuple(evidence),
            tuple(self.split(cells, "topic")),
            " ".join(notes) or None,
        )

    def history(
        self, common: Common, status: str, assessed: PartialDate | None
    ) -> tuple[Update, ...]:
        """The making, then the move to ``status`` on its assessment date, with the row's
        note (what happened, and why) on the step it explains; :class:`RowProblem` when the
        lifecycle forbids the move: a pledge is never kept at a status its row did not
        give."""
        moved = status != self.lifecycle.initial and assessed is not None
        steps = [
            (common.made, self.lifecycle.initial, common.evidence, None if moved else common.note)
        ]
        if moved:
            assert assessed is not None
            steps.append((assessed, status, common.evidence, common.note))
        history, problems = replay(common.id, steps, self.lifecycle, "")
        if problems:
            raise RowProblem(f"{problems[-1].message}; left out")
        return tuple(history)

    def report(self, run: Collector, noun: str = "status") -> None:
        """Add what was met across rows to the import's problems and notes: every status
        name no mapping takes, in one problem, each with how often it was met."""
        if self.unmapped:
            counts = Counter({name: len(places) for name, places in self.unmapped.items()})
            shown = ", ".join(
                f"{name!r} ({listed(self.unmapped[name])})" if name else f"blank ({n})"
                for name, n in counts.most_common()
            )
            where = listed([p for places in self.unmapped.values() for p in places])
            run.unmapped = tuple(counts.most_common())
            run.problems.append(
                Problem(
                    where,
                    f"{noun} names not mapped onto lifecycle {self.lifecycle.id!r}: {shown}; map "
                    f"each with --status NAME=STATUS (statuses: {', '.join(self.lifecycle.ids)}), "
                    "or derive a lifecycle from the file with --lifecycle from-file",
                )
            )
        for name, places in self.signs.items():
            run.notes.append(f"{listed(places)}: {name} read as an ASCII sign")
