"""Reading a spreadsheet saved as delimited text (private): the encoding, the delimiter, the
header, rows numbered as a spreadsheet shows them, and which column holds which field."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import attrs

from pledges._fields import is_relative_path
from pledges._files import read_bytes
from pledges.dates import PartialDate
from pledges.errors import InvalidQuery, LoadError, PledgesError, Problem
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
from pledges.lifecycle import Lifecycle
from pledges.model import Evidence, Source, Update

__all__ = [
    "DELIMITERS",
    "FIELDS",
    "Columns",
    "Common",
    "Layout",
    "RowProblem",
    "RowReader",
    "Sheet",
    "locate",
    "open_sheet",
    "read_sheet",
]

DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
"""The delimiters a file may use, with their names."""

FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title", "commitment"),
    "text": ("text", "description"),
    "status": ("status",),
    "made": ("made", "date"),
    "assessed": ("assessed",),
    "actor": ("actor",),
    "topic": ("topic", "area", "category", "theme"),
    "source_url": ("source_url", "url"),
    "quote": ("quote",),
    "note": ("note",),
}
"""Every field a column may hold, with the column names looked for when none is given
(matched case-insensitively)."""


def _names(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


def _known_fields(instance: Columns, attribute: Any, value: Mapping[str, str]) -> None:
    for field, column in value.items():
        if field not in FIELDS:
            raise InvalidQuery(
                f"no field {field!r} to name a column for (the fields: {', '.join(FIELDS)})"
            )
        if not isinstance(column, str) or not column.strip():
            raise InvalidQuery(f"the column for {field!r} must be a name (got {column!r})")


@attrs.frozen
class Columns:
    """Which column holds which field, by the column's name in the header row: a field
    named here must be found; any other is looked for under its usual names (:data:`FIELDS`).
    Several values in one cell (actors, topics, URLs) are split on ``separator``.

    >>> Columns({"actor": "Minister", "made": "Date of promise"}).names["actor"]
    'Minister'
    """

    names: Mapping[str, str] = attrs.field(factory=dict, converter=_names, validator=_known_fields)
    separator: str = ";"


@attrs.frozen
class Sheet:
    """A delimited file read whole: its header and its non-blank rows, each with the number a
    spreadsheet shows (the header is row 1; a quoted cell over several lines stays one row).
    Every row has a cell for each column, trimmed; a column with a value but no name is
    named by its place (``column 7``)."""

    name: str
    sha256: str
    delimiter: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    @property
    def delimiter_name(self) -> str:
        """``comma``, ``semicolon``, ``tab`` or ``pipe``."""
        return DELIMITERS[self.delimiter]


def _detect(text: str) -> str:
    """The delimiter the header line uses most, outside quotes (a comma when none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_sheet(source: str | os.PathLike[str] | bytes, delimiter: str | None = None) -> Sheet:
    """Read a delimited file (UTF-8, with or without a byte order mark); the delimiter is
    detected from the header line unless given. :class:`~pledges.errors.LoadError` says what
    and where when the file cannot be read as a table."""
    if isinstance(source, bytes):
        raw, name = source, "<csv>"
    else:
        raw, name = read_bytes(source), Path(source).name
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            name, [Problem(f"byte {exc.start}", "the file is not UTF-8 (save it as CSV UTF-8)")]
        ) from None
    if delimiter is None:
        delimiter = _detect(text)
    elif delimiter not in DELIMITERS:
        raise InvalidQuery(f"the delimiter must be one of , ; tab | (got {delimiter!r})")
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, record))
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = f"a cell longer than {csv.field_size_limit():,} characters"
        raise LoadError(name, [Problem(f"row {number + 1}", message)]) from None
    if not records:
        raise LoadError(name, [Problem("row 1", "the file is empty")])
    width = max(len(record) for _, record in records)
    cells = [
        (n, [c.strip() for c in record] + [""] * (width - len(record))) for n, record in records
    ]
    # A column with neither a name nor a value (a trailing delimiter) is nothing: left out.
    kept = [i for i in range(width) if any(record[i] for _, record in cells)]
    header = tuple(cells[0][1][i] or f"column {i + 1}" for i in kept)
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise LoadError(
            name, [Problem("row 1", f"column {c!r} appears more than once") for c in repeated]
        )
    rows = tuple((n, tuple(record[i] for i in kept)) for n, record in cells[1:] if any(record))
    return Sheet(name, hashlib.sha256(raw).hexdigest(), delimiter, header, rows)


@attrs.frozen
class Layout:
    """Where each field is in a sheet (column positions), and the columns no field took."""

    at: Mapping[str, int]
    others: tuple[tuple[int, str], ...]

    def cell(self, cells: tuple[str, ...], field: str) -> str:
        """The trimmed cell of ``field`` in a row ("" when the sheet has no such column)."""
        index = self.at.get(field)
        return "" if index is None else cells[index]

    def described(self, header: tuple[str, ...]) -> str:
        """``id <- 'ID', title <- 'Promise', ...`` for the import's notes."""
        return ", ".join(f"{field} <- {header[i]!r}" for field, i in self.at.items())


def locate(
    sheet: Sheet,
    columns: Columns,
    fields: Collection[str],
    required: Mapping[str, str],
    drop: Collection[str] = (),
) -> Layout:
    """Find each of ``fields`` in the header. A column named in ``columns`` (or ``drop``)
    that the header lacks is a usage error; a ``required`` field not found is a
    :class:`~pledges.errors.LoadError` whose message (``required[field]``) says what to do."""
    header = sheet.header
    folded = {c.casefold(): i for i, c in reversed(list(enumerate(header)))}
    for field in columns.names:
        if field not in fields:
            raise InvalidQuery(
                f"this import reads no field {field!r} (it reads: {', '.join(fields)})"
            )
    for column in [*columns.names.values(), *drop]:
        if column not in header:
            raise InvalidQuery(
                f"the file has no column {column!r} (it has: {', '.join(map(repr, header))})"
            )
    at: dict[str, int] = {}
    for field in fields:
        if field in columns.names:
            at[field] = header.index(columns.names[field])
            continue
        for candidate in FIELDS[field]:
            index = folded.get(candidate)
            if index is not None and index not in at.values() and header[index] not in drop:
                at[field] = index
                break
    missing = [field for field in required if field not in at]
    if missing:
        found = f" (the file has: {', '.join(map(repr, header))})"
        raise LoadError(
            sheet.name,
            [Problem("row 1", required[f] + found * (f == missing[0])) for f in missing],
        )
    others = tuple((i, c) for i, c in enumerate(header) if i not in at.values() and c not in drop)
    return Layout(at, others)


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
