"""The SQLite export: keys hold, every record is there, and SQL agrees with summary."""

from __future__ import annotations

import io
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given

from pledges import Ledger, load_bundled, summarize
from pledges.cli import main
from pledges.database import to_sqlite
from pledges.testing import hostile_ledger, ledgers

BUNDLED = load_bundled()


def connect(ledger: Ledger) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.deserialize(to_sqlite(ledger))
    return db


def test_sql_agrees_with_summary_on_counts_and_scores() -> None:
    db = connect(BUNDLED)
    summary = summarize(BUNDLED, "2100-01-01")
    counted = Counter({f"{c.lifecycle.id}:{c.status.id}": c.count for c in summary.total.statuses})
    rows = db.execute(
        "SELECT lifecycle_id || ':' || status, COUNT(*) FROM pledge_status GROUP BY 1"
    )
    assert Counter(dict(rows.fetchall())) == counted
    (score,) = db.execute("SELECT AVG(score) FROM pledge_status WHERE score IS NOT NULL").fetchone()
    assert score == pytest.approx(summary.total.score)


def test_sql_agrees_with_summary_by_actor() -> None:
    db = connect(BUNDLED)
    by_actor = summarize(BUNDLED, "2100-01-01", by="actor")
    rows = db.execute(
        "SELECT a.name, COUNT(*) FROM pledge_makers AS m JOIN actors AS a ON a.id = m.actor_id "
        "GROUP BY a.name"
    )
    assert dict(rows.fetchall()) == {g.group: len(g.pledges) for g in by_actor.groups}


def test_every_record_is_there_and_the_keys_hold() -> None:
    db = connect(BUNDLED)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    tables = ("pledges", "updates", "evidence", "sources", "actors", "occasions", "links")
    count = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    assert count == {
        "pledges": len(BUNDLED.pledges),
        "updates": sum(len(p.history) for p in BUNDLED.pledges),
        "evidence": sum(len(u.evidence) for p in BUNDLED.pledges for u in p.history),
        "sources": len(BUNDLED.sources),
        "actors": len(BUNDLED.actors),
        "occasions": len(BUNDLED.occasions),
        "links": sum(len(p.links) for p in BUNDLED.pledges),
    }
    visa = db.execute(
        "SELECT made, made_first, made_last, made_precision FROM pledges WHERE id = ?",
        ("2014-visa-exemption",),
    ).fetchone()
    assert visa == ("2014-11-26..27", "2014-11-26", "2014-11-27", "days")


def test_foreign_keys_and_indexes_are_declared() -> None:
    db = connect(BUNDLED)
    keys = db.execute("SELECT * FROM pragma_foreign_key_list('updates')").fetchall()
    assert {(k[2], k[3]) for k in keys} >= {("pledges", "pledge_id"), ("statuses", "lifecycle_id")}
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"evidence_source", "pledge_makers_actor", "links_target"} <= indexes


@given(ledgers())
def test_any_ledger_exports_with_its_keys_holding(ledger: Ledger) -> None:
    db = connect(ledger)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT COUNT(*) FROM pledge_status").fetchone()[0] == len(ledger.pledges)
    titles = [r[0] for r in db.execute("SELECT title FROM pledges ORDER BY position")]
    assert titles == [p.title for p in ledger.pledges]


def test_hostile_text_is_stored_as_given() -> None:
    payload = "'); DROP TABLE pledges; --\x1b[31m\u202e"
    db = connect(hostile_ledger(payload))
    assert any(payload in r[0] for r in db.execute("SELECT title FROM pledges"))


def test_the_command_writes_a_file_and_needs_an_output(tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["export", "--format", "sqlite"], io.StringIO(), err) == 2
    assert "give --output FILE" in err.getvalue()
    target = tmp_path / "pledges.db"
    assert main(["export", "--format", "sqlite", "--output", str(target)]) == 0
    db = sqlite3.connect(target)
    assert db.execute("SELECT COUNT(*) FROM pledges").fetchone()[0] == len(BUNDLED.pledges)
    assert main(["export", "-f", "toml", "-o", str(tmp_path / "l.toml")]) == 0
    assert (tmp_path / "l.toml").read_text(encoding="utf-8").startswith("schema_version = 2")


def test_the_schema_is_the_tables_specification_written_out() -> None:
    """Each table's columns, types, NOT NULL, keys and indexes as the specification in
    pledges.tables gives them (tests/golden/schema.sql; regenerate with
    PLEDGES_UPDATE_GOLDEN=1)."""
    import os

    from pledges.database import SCHEMA, _create, _indexes
    from pledges.tables import TABLES

    text = "".join(map(_create, TABLES)) + "".join(map(_indexes, TABLES))
    golden = Path(__file__).resolve().parent / "golden" / "schema.sql"
    if os.environ.get("PLEDGES_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert text in SCHEMA


def test_only_a_database_pledges_exported_is_replaced(tmp_path: Path) -> None:
    from pledges._files import FileError
    from pledges.database import write_sqlite

    ledger = load_bundled()
    foreign = tmp_path / "foreign.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE ledger (exported_by TEXT)")
    db.execute("INSERT INTO ledger VALUES ('another tool 1.0')")
    db.commit()
    db.close()
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.close()
    for path in (foreign, other):
        before = path.read_bytes()
        with pytest.raises(FileError) as caught:
            write_sqlite(ledger, path)
        assert (caught.value.path, caught.value.reason) == (
            str(path),
            "is a database that pledges did not export; nothing was replaced "
            "(give another --output, or remove it first)",
        )
        assert path.read_bytes() == before
    ours = tmp_path / "ours.db"
    write_sqlite(ledger, ours)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{ours}{suffix}").write_bytes(b"the old database's")
    write_sqlite(ledger, ours)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign.db", "other.db", "ours.db"]


def test_a_tracker_s_field_names_become_distinct_quoted_columns() -> None:
    from pledges.database import _columns_of, _identifier, _literal

    names = ["Era", "era", "pledge_id", "a\0b", "ERA (2)"]
    assert _columns_of(names) == ["Era", "era (2)", "pledge_id (2)", "a\\0b", "ERA (2) (2)"]
    assert _identifier('say "hi"') == '"say ""hi"""'
    assert _literal("it's\0") == "'it''s' || char(0) || ''"


def test_the_metadata_carries_the_ledger_s_licence() -> None:
    from pledges.database import datasette_metadata

    licensed = load_bundled().evolve(license="CC BY 4.0")
    assert datasette_metadata(licensed, "promises")["license"] == "CC BY 4.0"
    assert "license" not in datasette_metadata(load_bundled(), "promises")
