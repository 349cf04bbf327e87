"""The ledger as a SQLite database, for analysts: one table per record type, with primary and
foreign keys and an index on every foreign key, so that it opens in Datasette, DB Browser or
any SQL tool (``pledges export --format sqlite --output FILE``).

Lists become child tables with a ``position`` column (makers, topics, links, updates,
evidence, ...). A partial date is stored three ways: as written (``2014-11-26..27``), and as
the first and last days it may stand for (``_first`` and ``_last`` columns, ISO days), with
its precision. The view ``pledge_status`` gives each pledge's latest status with its label,
kind and score. Text is stored as given; escaping is the reading tool's job.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pledges._files import FileError, write_atomic
from pledges._version import __version__
from pledges.dates import PartialDate, Window
from pledges.ledger import Ledger
from pledges.serialization import SCHEMA_VERSION

__all__ = ["SCHEMA", "to_sqlite", "write_sqlite"]


def _date_columns(name: str, required: bool = False) -> str:
    null = " NOT NULL" if required else ""
    return (
        f"{name} TEXT{null}, {name}_first TEXT{null}, {name}_last TEXT{null}, "
        f"{name}_precision TEXT{null}"
    )


SCHEMA = f"""
CREATE TABLE ledger (
    title TEXT NOT NULL, schema_version INTEGER NOT NULL, exported_by TEXT NOT NULL
);
CREATE TABLE lifecycles (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, initial TEXT NOT NULL, description TEXT
);
CREATE TABLE statuses (
    lifecycle_id TEXT NOT NULL REFERENCES lifecycles(id), id TEXT NOT NULL,
    label TEXT NOT NULL, kind TEXT NOT NULL, score INTEGER, rank INTEGER NOT NULL,
    final INTEGER NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (lifecycle_id, id)
);
CREATE TABLE moves (
    lifecycle_id TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL,
    reopen INTEGER NOT NULL,
    FOREIGN KEY (lifecycle_id, from_status) REFERENCES statuses(lifecycle_id, id),
    FOREIGN KEY (lifecycle_id, to_status) REFERENCES statuses(lifecycle_id, id)
);
CREATE TABLE actors (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, role TEXT
);
CREATE TABLE actor_aliases (
    actor_id TEXT NOT NULL REFERENCES actors(id), position INTEGER NOT NULL,
    alias TEXT NOT NULL, PRIMARY KEY (actor_id, position)
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, outlet TEXT, url TEXT,
    {_date_columns("published")}, language TEXT NOT NULL, path TEXT, sha256 TEXT, note TEXT
);
CREATE TABLE occasions (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, {_date_columns("start", True)},
    {_date_columns("end")}, place TEXT, note TEXT
);
CREATE TABLE occasion_participants (
    occasion_id TEXT NOT NULL REFERENCES occasions(id), position INTEGER NOT NULL,
    actor_id TEXT NOT NULL REFERENCES actors(id), PRIMARY KEY (occasion_id, position)
);
CREATE TABLE pledges (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
    occasion_id TEXT REFERENCES occasions(id),
    lifecycle_id TEXT NOT NULL REFERENCES lifecycles(id),
    {_date_columns("made", True)},
    window_start TEXT, window_end TEXT, window_wording TEXT, note TEXT, position INTEGER NOT NULL
);
CREATE TABLE pledge_makers (
    pledge_id TEXT NOT NULL REFERENCES pledges(id), position INTEGER NOT NULL,
    actor_id TEXT NOT NULL REFERENCES actors(id), PRIMARY KEY (pledge_id, position)
);
CREATE TABLE pledge_recipients (
    pledge_id TEXT NOT NULL REFERENCES pledges(id), position INTEGER NOT NULL,
    actor_id TEXT NOT NULL REFERENCES actors(id), PRIMARY KEY (pledge_id, position)
);
CREATE TABLE pledge_topics (
    pledge_id TEXT NOT NULL REFERENCES pledges(id), position INTEGER NOT NULL,
    topic TEXT NOT NULL, PRIMARY KEY (pledge_id, position)
);
CREATE TABLE pledge_extra (
    pledge_id TEXT NOT NULL REFERENCES pledges(id), position INTEGER NOT NULL,
    name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (pledge_id, position)
);
CREATE TABLE links (
    pledge_id TEXT NOT NULL REFERENCES pledges(id), position INTEGER NOT NULL,
    kind TEXT NOT NULL, target_id TEXT NOT NULL REFERENCES pledges(id), note TEXT,
    PRIMARY KEY (pledge_id, position)
);
CREATE TABLE updates (
    pledge_id TEXT NOT NULL REFERENCES pledges(id), position INTEGER NOT NULL,
    {_date_columns("date", True)}, lifecycle_id TEXT NOT NULL, status TEXT NOT NULL,
    kind TEXT NOT NULL, note TEXT, occasion_id TEXT REFERENCES occasions(id),
    PRIMARY KEY (pledge_id, position),
    FOREIGN KEY (lifecycle_id, status) REFERENCES statuses(lifecycle_id, id)
);
CREATE TABLE evidence (
    pledge_id TEXT NOT NULL, update_position INTEGER NOT NULL, position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id), quote TEXT, summary TEXT,
    {_date_columns("published")}, locator TEXT,
    PRIMARY KEY (pledge_id, update_position, position),
    FOREIGN KEY (pledge_id, update_position) REFERENCES updates(pledge_id, position)
);
CREATE TABLE searches (
    pledge_id TEXT NOT NULL REFERENCES pledges(id), position INTEGER NOT NULL,
    {_date_columns("searched_on", True)}, places TEXT NOT NULL, terms TEXT NOT NULL,
    period_start TEXT, period_end TEXT, found TEXT, sources TEXT NOT NULL,
    PRIMARY KEY (pledge_id, position)
);
CREATE INDEX statuses_lifecycle ON statuses(lifecycle_id);
CREATE INDEX moves_lifecycle ON moves(lifecycle_id, from_status);
CREATE INDEX occasion_participants_actor ON occasion_participants(actor_id);
CREATE INDEX pledges_occasion ON pledges(occasion_id);
CREATE INDEX pledges_lifecycle ON pledges(lifecycle_id);
CREATE INDEX pledge_makers_actor ON pledge_makers(actor_id);
CREATE INDEX pledge_recipients_actor ON pledge_recipients(actor_id);
CREATE INDEX pledge_topics_topic ON pledge_topics(topic);
CREATE INDEX links_target ON links(target_id);
CREATE INDEX updates_status ON updates(lifecycle_id, status);
CREATE INDEX updates_occasion ON updates(occasion_id);
CREATE INDEX evidence_source ON evidence(source_id);
CREATE VIEW pledge_status AS
    SELECT u.pledge_id, u.lifecycle_id, u.status, s.label, s.kind, s.score, u.date AS since
    FROM updates AS u
    JOIN statuses AS s ON s.lifecycle_id = u.lifecycle_id AND s.id = u.status
    WHERE u.position = (SELECT MAX(position) FROM updates WHERE pledge_id = u.pledge_id);
"""
"""The database's tables, indexes and view (SQLite's dialect)."""


_OWN = set(re.findall(r"CREATE (?:TABLE|INDEX|VIEW) (\w+)", SCHEMA))
"""The tables, indexes and views of an export (SQLite's own aside)."""


def _day(date: PartialDate | None) -> tuple[str | None, str | None, str | None, str | None]:
    if date is None:
        return (None, None, None, None)
    return (str(date), str(date.first), str(date.last), date.precision.name.lower())


def _window(window: Window | None) -> tuple[str | None, str | None, str | None]:
    if window is None:
        return (None, None, None)
    start = None if window.start is None else str(window.start)
    end = None if window.end is None else str(window.end)
    return (start, end, window.wording)


def _insert(db: sqlite3.Connection, table: str, rows: Iterable[Sequence[Any]]) -> None:
    rows = list(rows)
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def to_sqlite(ledger: Ledger) -> bytes:
    """The ledger as the bytes of a SQLite database file (built in memory)."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(SCHEMA)
        _fill(db, ledger)
        db.commit()
        return db.serialize()
    finally:
        db.close()


def _fill(db: sqlite3.Connection, ledger: Ledger) -> None:
    _insert(db, "ledger", [(ledger.title, SCHEMA_VERSION, f"pledges {__version__}")])
    lifecycles = ledger.known_lifecycles
    _insert(db, "lifecycles", [(c.id, c.label, c.initial, c.description) for c in lifecycles])
    _insert(
        db,
        "statuses",
        (
            (c.id, s.id, s.label, s.kind.value, s.score, s.rank, int(s.final), i)
            for c in lifecycles
            for i, s in enumerate(c.statuses)
        ),
    )
    _insert(
        db,
        "moves",
        (
            (c.id, s.id, target, int(reopen))
            for c in lifecycles
            for s in c.statuses
            for reopen, targets in ((False, s.to), (True, s.reopen_to))
            for target in targets
        ),
    )
    _insert(db, "actors", ((a.id, a.name, a.kind.value, a.role) for a in ledger.actors))
    _insert(
        db,
        "actor_aliases",
        ((a.id, i, alias) for a in ledger.actors for i, alias in enumerate(a.aliases)),
    )
    _insert(
        db,
        "sources",
        (
            (
                s.id,
                s.title,
                s.outlet,
                s.url,
                *_day(s.published),
                s.language,
                s.path,
                s.sha256,
                s.note,
            )
            for s in ledger.sources
        ),
    )
    _insert(
        db,
        "occasions",
        ((o.id, o.title, *_day(o.start), *_day(o.end), o.place, o.note) for o in ledger.occasions),
    )
    _insert(
        db,
        "occasion_participants",
        ((o.id, i, a) for o in ledger.occasions for i, a in enumerate(o.participants)),
    )
    pledges = ledger.pledges
    _insert(
        db,
        "pledges",
        (
            (
                p.id,
                p.title,
                p.text,
                p.kind.value,
                p.occasion,
                p.lifecycle,
                *_day(p.made_on),
                *_window(p.window),
                p.note,
                i,
            )
            for i, p in enumerate(pledges)
        ),
    )
    for table, field in (("pledge_makers", "made_by"), ("pledge_recipients", "made_to")):
        _insert(db, table, ((p.id, i, a) for p in pledges for i, a in enumerate(getattr(p, field))))
    _insert(db, "pledge_topics", ((p.id, i, t) for p in pledges for i, t in enumerate(p.topics)))
    _insert(
        db,
        "pledge_extra",
        ((p.id, i, name, p.extra.text(name)) for p in pledges for i, name in enumerate(p.extra)),
    )
    _insert(
        db,
        "links",
        (
            (p.id, i, link.kind.value, link.pledge, link.note)
            for p in pledges
            for i, link in enumerate(p.links)
        ),
    )
    _insert(
        db,
        "updates",
        (
            (p.id, i, *_day(u.date), p.lifecycle, u.status, u.kind.value, u.note, u.occasion)
            for p in pledges
            for i, u in enumerate(p.history)
        ),
    )
    _insert(
        db,
        "evidence",
        (
            (p.id, i, j, e.source, e.quote, e.summary, *_day(e.published), e.locator)
            for p in pledges
            for i, u in enumerate(p.history)
            for j, e in enumerate(u.evidence)
        ),
    )
    _insert(
        db,
        "searches",
        (
            (
                p.id,
                i,
                *_day(s.on),
                json.dumps(s.where, ensure_ascii=False),
                json.dumps(s.terms, ensure_ascii=False),
                *_window(s.period)[:2],
                s.found,
                json.dumps(s.sources),
            )
            for p in pledges
            for i, s in enumerate(p.searches)
        ),
    )


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
