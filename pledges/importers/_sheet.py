"""Reading a spreadsheet saved as delimited text (private): the encoding, the delimiter, the
header, rows numbered as a spreadsheet shows them, and which column holds which field."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from pledges._files import read_bytes
from pledges.errors import InvalidQuery, LoadError, Problem

__all__ = [
    "DELIMITERS",
    "FIELDS",
    "MANY",
    "Columns",
    "Layout",
    "Sheet",
    "column_key",
    "locate",
    "read_sheet",
]

DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
"""The delimiters a file may use, with their names."""

FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference"),
    "title": ("title", "commitment", "promise", "pledge"),
    "text": ("text", "description", "wording", "details"),
    "status": ("status", "rating", "verdict"),
    "made": ("made", "date", "made_on", "promised_on"),
    "assessed": ("assessed", "assessed_on", "updated", "last_updated"),
    "actor": ("actor", "made_by", "minister"),
    "topic": ("topic", "area", "category", "theme", "policy_area"),
    "source_url": ("source_url", "url", "source", "sources", "evidence_urls", "evidence", "links"),
    "quote": ("quote",),
    "note": ("note", "comments", "what_happened", "status_reason", "reason", "explanation"),
}
"""Every field a column may hold, with the column names looked for when none is given
(compared case-, space- and punctuation-insensitively: ``whatHappened`` and ``What
happened`` both match ``what_happened``). Several columns may hold ``topic``, ``note`` and
``source_url`` (each column's values are kept, in order)."""

MANY = frozenset({"topic", "note", "source_url", "actor"})
"""The fields more than one column may feed."""


def column_key(name: str) -> str:
    """How a column's name is compared with :data:`FIELDS`: ``whatHappened``,
    ``What happened`` and ``what-happened`` are all ``what_happened``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return re.sub(r"[^a-z0-9]+", "_", spaced.casefold()).strip("_")


def _names(value: Mapping[str, str | Sequence[str]]) -> dict[str, tuple[str, ...]]:
    return {f: (c,) if isinstance(c, str) else tuple(c) for f, c in value.items()}


def _texts(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(value)


def _known_fields(instance: Columns, attribute: Any, value: Mapping[str, tuple[str, ...]]) -> None:
    for field, columns in value.items():
        if field not in FIELDS:
            raise InvalidQuery(
                f"no field {field!r} to name a column for (the fields: {', '.join(FIELDS)})"
            )
        if len(columns) > 1 and field not in MANY:
            raise InvalidQuery(
                f"one column holds {field!r} (several may hold: {', '.join(sorted(MANY))}; "
                f"got {', '.join(map(repr, columns))})"
            )
        for column in columns:
            if not isinstance(column, str) or not column.strip():
                raise InvalidQuery(f"the column for {field!r} must be a name (got {column!r})")


@attrs.frozen
class Columns:
    """Which column holds which field, by the column's name in the header row: a field
    named here must be found; any other is looked for under its usual names
    (:data:`FIELDS`). Several columns may hold one of :data:`MANY`. Several values in one
    cell (actors, topics) are split on ``separator``; web addresses on ``|``, ``;``, commas
    and white space; and the columns named in ``split`` (a tracker's own columns, kept as
    extra fields) become lists, split on ``|`` and ``;``.

    >>> Columns({"actor": "Minister", "made": "Date of promise"}).names["actor"]
    ('Minister',)
    """

    names: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, converter=_names, validator=_known_fields
    )
    separator: str = ";"
    split: tuple[str, ...] = attrs.field(default=(), converter=_texts)


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


MAX_CELL = 131_072
"""The longest cell a sheet may hold, in characters (the csv module's default limit)."""


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
    too_long = f"a cell longer than {MAX_CELL:,} characters"
    try:
        for number, record in enumerate(reader, start=1):
            # The csv module's own limit is global and other libraries raise it: ours holds
            # whatever it is set to.
            if any(len(cell) > MAX_CELL for cell in record):
                raise LoadError(name, [Problem(f"row {number}", too_long)])
            records.append((number, record))
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = too_long
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
    repeated = sorted(c for c, n in Counter(header).items() if n > 1)
    if repeated:
        raise LoadError(
            name, [Problem("row 1", f"column {c!r} appears more than once") for c in repeated]
        )
    rows = tuple((n, tuple(record[i] for i in kept)) for n, record in cells[1:] if any(record))
    return Sheet(name, hashlib.sha256(raw).hexdigest(), delimiter, header, rows)


@attrs.frozen
class Layout:
    """Where each field is in a sheet (column positions, several for :data:`MANY`), and
    the columns no field took."""

    at: Mapping[str, tuple[int, ...]]
    others: tuple[tuple[int, str], ...]

    def cell(self, cells: tuple[str, ...], field: str) -> str:
        """The trimmed cell of ``field`` in a row ("" when the sheet has no such column); of
        several columns, their non-blank cells joined by a space."""
        return " ".join(cells[i] for i in self.at.get(field, ()) if cells[i])

    def cells(self, cells: tuple[str, ...], field: str) -> list[str]:
        """The non-blank cells of every column that holds ``field``, in order."""
        return [cells[i] for i in self.at.get(field, ()) if cells[i]]

    def described(self, header: tuple[str, ...]) -> str:
        """``id <- 'ID', title <- 'Promise', ...`` for the import's notes."""
        return ", ".join(
            f"{field} <- {', '.join(repr(header[i]) for i in at)}" for field, at in self.at.items()
        )


def locate(
    sheet: Sheet,
    columns: Columns,
    fields: Collection[str],
    required: Mapping[str, str],
    drop: Collection[str] = (),
) -> Layout:
    """Find each of ``fields`` in the header: the columns ``columns`` names, else the first
    column under one of its usual names (every one of them for ``note`` and
    ``source_url``). A column named in ``columns``, ``drop`` or ``columns.split`` that the
    header lacks is a usage error; a ``required`` field not found is a
    :class:`~pledges.errors.LoadError` whose message (``required[field]``) says what to do."""
    header = sheet.header
    for field in columns.names:
        if field not in fields:
            raise InvalidQuery(
                f"this import reads no field {field!r} (it reads: {', '.join(fields)})"
            )
    named = [c for cs in columns.names.values() for c in cs]
    for column in [*named, *drop, *columns.split]:
        if column not in header:
            raise InvalidQuery(
                f"the file has no column {column!r} (it has: {', '.join(map(repr, header))})"
            )
    keys = [column_key(c) for c in header]
    taken: set[int] = set()
    at: dict[str, tuple[int, ...]] = {}
    for field in fields:
        if field in columns.names:
            found = tuple(header.index(c) for c in columns.names[field])
        else:
            usual = {column_key(n) for n in FIELDS[field]}
            found = tuple(
                i
                for i, key in enumerate(keys)
                if key in usual
                and i not in taken
                and header[i] not in drop
                and header[i] not in named
                and header[i] not in columns.split
            )
            if field not in ("note", "source_url"):
                found = found[:1]
        if found:
            at[field] = found
            taken.update(found)
    missing = [field for field in required if field not in at]
    if missing:
        listed = f" (the file has: {', '.join(map(repr, header))})"
        raise LoadError(
            sheet.name,
            [Problem("row 1", required[f] + listed * (f == missing[0])) for f in missing],
        )
    others = tuple((i, c) for i, c in enumerate(header) if i not in taken and c not in drop)
    return Layout(at, others)
