"""The ledger as a SQLite database, for analysts: the tables of :mod:`pledges.tables`, with
primary and foreign keys and an index on every foreign key, so that it opens in Datasette, DB
Browser or any SQL tool (``pledges export --format sqlite --output FILE``), and a Datasette
``metadata.json`` describing it (``--metadata``).

Views answer the usual questions: ``pledge_status`` (each pledge's status now, and since
when), ``status_changes`` (each change of status, with its evidence count) and
``pledge_fields`` (a tracker's own fields, a column each); the query :data:`STATUS_AS_OF`
gives every status as of a day. Text is stored as given; escaping is the reading tool's job.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

from pledges import escape
from pledges._files import FileError, write_atomic
from pledges._version import __version__
from pledges.ledger import Ledger
from pledges.tables import TABLES, TableSpec

__all__ = [
    "SCHEMA",
    "STATUS_AS_OF",
    "datasette_metadata",
    "to_sqlite",
    "write_metadata",
    "write_sqlite",
]


_SQL_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "date": "TEXT",
    "array": "TEXT",
}


def _create(spec: TableSpec) -> str:
    lines = [
        f"{c.name} {_SQL_TYPES[c.type]}{' NOT NULL' if c.required else ''}" for c in spec.columns
    ]
    if spec.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(spec.primary_key)})")
    lines.extend(
        f"FOREIGN KEY ({', '.join(k.columns)}) REFERENCES {k.table}({', '.join(k.target)})"
        for k in spec.foreign_keys
    )
    return f"CREATE TABLE {spec.name} (\n    " + ",\n    ".join(lines) + "\n);\n"


def _indexes(spec: TableSpec) -> str:
    """An index on every foreign key and listed column that the primary key does not lead."""
    wanted = dict.fromkeys([*(k.columns for k in spec.foreign_keys), *spec.indexes])
    return "".join(
        f"CREATE INDEX {spec.name}_{'_'.join(c.removesuffix('_id') for c in columns)} "
        f"ON {spec.name}({', '.join(columns)});\n"
        for columns in wanted
        if spec.primary_key[: len(columns)] != columns
    )


_VIEWS = """
CREATE VIEW pledge_status AS
    SELECT u.pledge_id, u.lifecycle_id, u.status, s.label, s.kind, s.score,
        (SELECT v.date FROM updates AS v
         WHERE v.pledge_id = u.pledge_id AND v.position = (
            SELECT MIN(w.position) FROM updates AS w
            WHERE w.pledge_id = u.pledge_id AND w.position > COALESCE(
                (SELECT MAX(x.position) FROM updates AS x
                 WHERE x.pledge_id = u.pledge_id AND x.status != u.status), -1))) AS since,
        u.date AS last_update
    FROM updates AS u
    JOIN statuses AS s ON s.lifecycle_id = u.lifecycle_id AND s.id = u.status
    WHERE u.position = (SELECT MAX(position) FROM updates WHERE pledge_id = u.pledge_id);
CREATE VIEW status_changes AS
    SELECT pledge_id, position, date, date_first, date_last, from_status, to_status, evidence
    FROM (
        SELECT u.pledge_id, u.position, u.date, u.date_first, u.date_last,
            LAG(u.status) OVER (PARTITION BY u.pledge_id ORDER BY u.position) AS from_status,
            u.status AS to_status,
            (SELECT COUNT(*) FROM evidence AS e
             WHERE e.pledge_id = u.pledge_id AND e.update_position = u.position) AS evidence
        FROM updates AS u
    )
    WHERE from_status IS NULL OR from_status != to_status;
"""

SCHEMA = (
    "".join(_create(spec) for spec in TABLES)
    + "".join(_indexes(spec) for spec in TABLES)
    + _VIEWS.lstrip("\n")
)
"""The database's tables, indexes and views (SQLite's dialect), built from
:data:`pledges.tables.TABLES`. The view ``pledge_status`` gives each pledge's latest status
and since when it has held it (its reaffirmations do not move that day, as in the command
line's reports); ``status_changes`` each change of status with the number of its evidence
items; ``pledge_fields`` (written per ledger) a pledge's extra fields, a column each."""

STATUS_AS_OF = """SELECT u.pledge_id, u.status, s.label, s.kind, s.score, u.date
FROM updates AS u
JOIN statuses AS s ON s.lifecycle_id = u.lifecycle_id AND s.id = u.status
WHERE u.position = (
    SELECT MAX(v.position) FROM updates AS v
    WHERE v.pledge_id = u.pledge_id AND v.date_last <= :as_of
)
ORDER BY u.pledge_id"""
"""Each pledge's status as of a day (``:as_of``, an ISO day): an update counts once its
whole date range lies on or before that day, as in :meth:`pledges.Ledger.status_at`."""


def _literal(text: str) -> str:
    """Text as an SQL string literal (a NUL, which SQL text cannot hold, as ``char(0)``)."""
    return "'" + text.replace("'", "''").replace("\0", "' || char(0) || '") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns_of(names: list[str]) -> list[str]:
    """A column name for each field: its own, with a NUL written ``\\0`` (an identifier
    cannot hold one), made unique (``era (2)``) and never ``pledge_id``."""
    taken = {"pledge_id"}
    columns = []
    for name in names:
        base = name.replace("\0", "\\0")
        column, n = base, 1
        while column.lower() in taken:  # SQLite's names ignore ASCII case
            n += 1
            column = f"{base} ({n})"
        taken.add(column.lower())
        columns.append(column)
    return columns


def _fields_view(ledger: Ledger) -> str:
    """The view of extra fields, a column each (a list's texts as a JSON array)."""
    names = list(dict.fromkeys(n for p in ledger.pledges for n in p.extra))
    columns = "".join(
        f", MAX(CASE WHEN e.name = {_literal(name)} THEN e.value END) AS {_identifier(column)}"
        for name, column in zip(names, _columns_of(names), strict=True)
    )
    return (
        f"CREATE VIEW pledge_fields AS SELECT p.id AS pledge_id{columns} FROM pledges AS p "
        "LEFT JOIN pledge_extra AS e ON e.pledge_id = p.id GROUP BY p.id ORDER BY p.position;"
    )


def to_sqlite(ledger: Ledger) -> bytes:
    """The ledger as the bytes of a SQLite database file (built in memory)."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(SCHEMA)
        db.execute(_fields_view(ledger))
        for spec in TABLES:
            rows = list(spec.rows(ledger))
            if rows:
                marks = ", ".join("?" * len(spec.columns))
                db.executemany(f"INSERT INTO {spec.name} VALUES ({marks})", rows)
        db.commit()
        return db.serialize()
    finally:
        db.close()


_OWN = {*re.findall(r"CREATE (?:TABLE|INDEX|VIEW) (\w+)", SCHEMA), "pledge_fields"}
"""The tables, indexes and views of an export (SQLite's own aside)."""

_SQLITE_HEADER = b"SQLite format 3\0"


def _ours(path: Path) -> bool | None:
    """Whether the file at ``path`` is a database pledges exported (``None``: no database
    at all, or no file)."""
    try:
        with path.open("rb") as stream:
            if stream.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                return None
    except OSError:
        return None
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        db = sqlite3.connect(uri, uri=True)
        try:
            names = [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
            tables = {n for n in names if not n.startswith("sqlite_")}
            exported = db.execute("SELECT exported_by FROM ledger").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return bool(exported and str(exported[0]).startswith("pledges ")) and tables <= _OWN


def write_sqlite(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write the ledger's database to ``path`` atomically (see :func:`to_sqlite`).

    A database already there is replaced only if pledges exported it (any other database
    is refused, with nothing changed: its tables are not ours to drop), and the journal
    files beside it that belonged to the old database (``-wal``, ``-shm``, ``-journal``)
    are removed, so that no reader sees the old rows through them."""
    target = Path(path)
    if _ours(target) is False:
        raise FileError(
            target,
            "is a database that pledges did not export; nothing was replaced (give another "
            "--output, or remove it first)",
        )
    write_atomic(target, to_sqlite(ledger))
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{target}{suffix}")


def datasette_metadata(ledger: Ledger, database: str) -> dict[str, Any]:
    """Datasette's ``metadata.json`` for the export of ``ledger`` named ``database`` (the
    file's name without ``.db``): the ledger's title and description, each table's and
    column's meaning, and canned queries (the latest changes of status, statuses as of a
    day)."""
    tables: dict[str, Any] = {
        spec.name: {
            "description": spec.description,
            "columns": {c.name: c.description for c in spec.columns if c.description},
        }
        for spec in TABLES
    }
    tables["pledge_status"] = {"description": "Each pledge's status now, and since when."}
    tables["status_changes"] = {"description": "Each change of a pledge's status."}
    tables["pledge_fields"] = {"description": "A tracker's own fields, a column each."}
    tables["corrections"]["description"] += " Corrections are kept, never silently applied."
    about: dict[str, Any] = {"title": ledger.title}
    if ledger.description:
        about["description"] = ledger.description
    if ledger.license:
        about["license"] = ledger.license
    return {
        **about,
        "source": f"pledges {__version__}",
        "source_url": "https://github.com/pledges-dev/pledges",
        "databases": {
            database: {
                **about,
                "tables": tables,
                "queries": {
                    "latest_changes": {
                        "title": "The latest changes of status",
                        "sql": "SELECT c.date, c.pledge_id, p.title, c.from_status, "
                        "c.to_status, c.evidence FROM status_changes AS c JOIN pledges AS p "
                        "ON p.id = c.pledge_id WHERE c.from_status IS NOT NULL "
                        "ORDER BY c.date_last DESC, c.pledge_id LIMIT 50",
                    },
                    "status_as_of": {
                        "title": "Every pledge's status as of a day (YYYY-MM-DD)",
                        "sql": STATUS_AS_OF,
                    },
                },
            }
        },
    }


def write_metadata(ledger: Ledger, database: str | os.PathLike[str]) -> Path:
    """Write Datasette's ``metadata.json`` beside the database file (see
    :func:`datasette_metadata`), atomically; returns its path. Serve them with
    ``datasette DATABASE --metadata metadata.json``."""
    target = Path(database)
    data = datasette_metadata(ledger, target.stem)
    path = target.with_name("metadata.json")
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, escape.unicode_escapes(text).encode("utf-8"))
    return path
