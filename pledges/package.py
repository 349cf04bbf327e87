"""Tabular exports that keep everything: the overview table (a row a pledge, every extra field
a column) as CSV, every table of :mod:`pledges.tables` as CSV files in a folder, and a
Frictionless Data Package (v2) describing them (``datapackage.json``).

Cells are written for both spreadsheets and programs: numbers as numbers (``-0.5``, never
guarded), dates as ISO days, booleans as ``true``/``false``, lists as JSON arrays, nothing as
an empty cell, and text through the formula guard (:func:`pledges.escape.spreadsheet_cell`:
a text a spreadsheet would run as a formula starts with ``'``).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pledges import escape
from pledges._files import write_tree
from pledges._version import __version__
from pledges.dates import DateLike
from pledges.frames import RECORD_COLUMNS, extra_columns, records
from pledges.ledger import Ledger
from pledges.tables import TABLES, Column, TableSpec

__all__ = [
    "OVERVIEW",
    "PROFILE",
    "cell",
    "datapackage",
    "overview_columns",
    "overview_csv",
    "table_files",
    "write_tables",
]

OVERVIEW = "pledge_status"
"""The overview table's name (as the SQLite view of each pledge's status)."""

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
"""The Data Package profile the descriptor follows (v2)."""


def cell(value: object) -> str:
    """One CSV cell of a value: text guarded against formulas, numbers as numbers, dates
    as ISO days, booleans as ``true``/``false``, lists as JSON arrays, ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape.spreadsheet_cell(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a number cell holds a finite number, not {value}")
        return repr(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return escape.unicode_escapes(json.dumps(list(value), ensure_ascii=False))
    raise TypeError(f"a cell holds text, a number, a date or a list, not {type(value).__name__}")


def _csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow([escape.spreadsheet_cell(h) for h in headers])
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def overview_columns(ledger: Ledger) -> tuple[Column, ...]:
    """The overview's columns: :data:`~pledges.frames.RECORD_COLUMNS`, then each extra
    field (a JSON array where every value is a list of texts, else a text)."""
    extras = []
    for name, column in extra_columns(ledger).items():
        values = [p.extra[name] for p in ledger.pledges if name in p.extra]
        listed = all(isinstance(v, tuple) for v in values)
        kind = "a list of texts" if listed else "a text"
        extras.append(
            Column(column, "array" if listed else "string", False, f"the field {name!r}: {kind}")
        )
    return (*RECORD_COLUMNS, *extras)


def overview_csv(ledger: Ledger, as_of: DateLike | None = None) -> str:
    """The overview as CSV: a row a pledge made by ``as_of`` (see
    :func:`pledges.frames.records`), every extra field a column."""
    names = [c.name for c in overview_columns(ledger)]
    return _csv(names, ([r.get(n) for n in names] for r in records(ledger, as_of)))


def table_files(ledger: Ledger) -> dict[str, bytes]:
    """Every table as a CSV file (``pledges.csv``, ``updates.csv``, ...), and the overview
    (``pledge_status.csv``), by file name."""
    files = {f"{OVERVIEW}.csv": overview_csv(ledger).encode("utf-8")}
    for spec in TABLES:
        files[f"{spec.name}.csv"] = _csv(spec.column_names, spec.rows(ledger)).encode("utf-8")
    return files


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.description:
        field["description"] = column.description
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.pattern:
        constraints["pattern"] = column.pattern
    if constraints:
        field["constraints"] = constraints
    return field


def _resource(name: str, description: str, columns: Sequence[Column]) -> dict[str, Any]:
    return {
        "name": name,
        "type": "table",
        "path": f"{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": {"fields": [_field(c) for c in columns]},
    }


def _spec_resource(spec: TableSpec) -> dict[str, Any]:
    resource = _resource(spec.name, spec.description, spec.columns)
    schema = resource["schema"]
    if spec.primary_key:
        schema["primaryKey"] = list(spec.primary_key)
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(k.columns),
                "reference": {"resource": k.table, "fields": list(k.target)},
            }
            for k in spec.foreign_keys
        ]
    return resource


def _overview_resource(ledger: Ledger) -> dict[str, Any]:
    """The overview's resource: its status a category of the statuses in use, in the
    lifecycle's order (ordered when one lifecycle holds them all)."""
    resource = _resource(
        OVERVIEW,
        "Each pledge as of the ledger's latest update: its status then, since when, and "
        "every extra field of a tracker a column of its own.",
        overview_columns(ledger),
    )
    lifecycles = list(dict.fromkeys(ledger.lifecycle_of(p) for p in ledger.pledges))
    status = next(f for f in resource["schema"]["fields"] if f["name"] == "status")
    status["categories"] = list(dict.fromkeys(s.id for c in lifecycles for s in c.statuses))
    status["categoriesOrdered"] = len(lifecycles) == 1
    schema = resource["schema"]
    schema["primaryKey"] = ["id"]
    schema["foreignKeys"] = [
        {"fields": ["id"], "reference": {"resource": "pledges", "fields": ["id"]}},
        {"fields": ["lifecycle"], "reference": {"resource": "lifecycles", "fields": ["id"]}},
    ]
    return resource


def _name(title: str) -> str:
    """A package name (lower-case letters, digits, ``.``, ``_`` and ``-``) from a title."""
    return re.sub(r"[^a-z0-9._-]+", "-", title.lower()).strip("-._") or "pledges"


def datapackage(ledger: Ledger) -> dict[str, Any]:
    """The ``datapackage.json`` of the folder :func:`table_files` gives (Data Package v2):
    a resource a table, each with its Table Schema (types, constraints, primary and
    foreign keys; partial dates with their pattern; the overview's status as categories),
    and the ledger's own licence and version."""
    package: dict[str, Any] = {
        "$schema": PROFILE,
        "name": _name(ledger.title),
        "title": ledger.title,
    }
    if ledger.description:
        package["description"] = ledger.description
    if ledger.version:
        package["version"] = ledger.version
    if ledger.license:
        package["licenses"] = [{"name": _name(ledger.license), "title": ledger.license}]
    package["sources"] = [{"title": f"exported by pledges {__version__}"}]
    package["resources"] = [
        _overview_resource(ledger),
        *(_spec_resource(spec) for spec in TABLES),
    ]
    return package


def write_tables(ledger: Ledger, folder: str | os.PathLike[str], *, described: bool = False) -> int:
    """Write every table as CSV into ``folder`` (made if missing; see
    :func:`pledges._files.write_tree` for how), with ``datapackage.json`` if ``described``.
    Returns how many files were written."""
    files = table_files(ledger)
    if described:
        text = json.dumps(datapackage(ledger), ensure_ascii=False, indent=2) + "\n"
        files["datapackage.json"] = escape.unicode_escapes(text).encode("utf-8")
    return write_tree(folder, files)
