"""The third attack run's breaks (issue 28), each a test that failed before its fix:
nothing written outside its target, no update lost, no stale answer, no live formula, no
traceback or hang."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pledges import PledgesError, load, load_bundled, save
from pledges.cli import main
from pledges.database import write_sqlite
from pledges.importers import import_trumptracker
from pledges.present.render import Table, render

BUNDLED = load_bundled()


def pledges(*argv: str, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PLEDGES_CACHE_DIR": str(cache), **env}
    return subprocess.run(
        [sys.executable, "-m", "pledges", *argv],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=60,
    )


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_concurrent_curating_commands_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "l.toml"
    save(BUNDLED, path)
    source = BUNDLED.sources[0].id
    processes = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "pledges", "add", f"p{i}", str(path), "--title", f"P{i}"),
                *("--text", "T", "--made-on", "2020", "--made-by", "vietnam"),
                *("--source", source, "--summary", "s"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PLEDGES_NO_CACHE": "1"},
        )
        for i in range(4)
    ]
    codes = [p.wait(timeout=60) for p in processes]
    assert codes == [0, 0, 0, 0]
    assert {f"p{i}" for i in range(4)} <= {p.id for p in load(path).pledges}


def test_a_change_refuses_a_file_that_changed_since_it_was_read(tmp_path: Path) -> None:
    from pledges.curate import add_actor
    from pledges.model import Actor

    path = tmp_path / "l.toml"
    save(BUNDLED, path)
    change = add_actor(path, Actor("new", "New"))
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    with pytest.raises(PledgesError, match="changed since it was read"):
        change.write()


@pytest.mark.parametrize("name", ["L.TOML", pytest.param("l.JSON", marks=pytest.mark.slow)])
def test_an_upper_case_suffix_is_keyed_by_its_bytes(tmp_path: Path, name: str) -> None:
    cache, path = tmp_path / "cache", tmp_path / name
    save(BUNDLED, path, "json" if name.endswith("JSON") else "toml")
    first = pledges("status", str(path), "--as-of", "2020", cache=cache)
    path.write_text(path.read_text("utf-8").replace("Speed up and sign", "Speed, then sign"))
    again = pledges("status", str(path), "--as-of", "2020", cache=cache)
    assert first.returncode == again.returncode == 0
    assert "Speed, then sign" in again.stdout


def test_a_fifo_or_a_huge_sparse_file_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    sparse = tmp_path / "big.toml"
    with sparse.open("wb") as stream:
        stream.truncate(20 << 30)
    for path in (fifo, sparse):
        for env in ({}, {"PLEDGES_NO_CACHE": "1"}):
            started = time.monotonic()
            done = pledges("status", str(path), cache=tmp_path / "cache", **env)
            assert done.returncode == 1
            assert "not a regular file" in done.stderr or "over the limit" in done.stderr
            assert time.monotonic() - started < 20


def test_cache_entries_that_are_fifos_links_or_huge_are_not_used(tmp_path: Path) -> None:
    cache, path = tmp_path / "cache", tmp_path / "l.toml"
    save(BUNDLED, path)
    first = pledges("summary", str(path), "--as-of", "2020", cache=cache)
    (answer,) = (cache / "answers").iterdir()
    answer.unlink()
    os.mkfifo(answer)
    for kept in (cache / "ledgers").iterdir():
        kept.unlink()
        kept.symlink_to("/dev/zero")
    again = pledges("summary", str(path), "--as-of", "2020", cache=cache)
    assert again.stdout == first.stdout


def test_an_empty_key_file_is_made_again_not_a_silent_off(tmp_path: Path) -> None:
    cache, path = tmp_path / "cache", tmp_path / "l.toml"
    save(BUNDLED, path)
    pledges("status", str(path), cache=cache)
    (cache / "key").write_bytes(b"")
    os.chmod(cache / "key", 0o600)
    pledges("status", str(path), "--as-of", "2021", cache=cache)
    assert len((cache / "key").read_bytes()) == 32
    assert len(list((cache / "answers").iterdir())) == 2


def test_the_answer_key_covers_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from pledges.cli import _cache

    inputs = _cache.Inputs()
    before = inputs.key(["report"], 80, "utf-8")
    monkeypatch.setattr(_cache, "code_digest", lambda: "another build")
    assert inputs.key(["report"], 80, "utf-8") != before


@pytest.mark.parametrize("blank", [" ", "\n", "\u00a0", "\u2003", "\u3000", "\t", "\r\n"])
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_blank_before_a_formula_cannot_hide_it(blank: str, fmt: str) -> None:
    table = Table("t", ("title",), ((f"{blank}=HYPERLINK(1)",), (f"{blank}-1+1",), (-0.5,)))
    delimiter = "," if fmt == "csv" else "\t"
    cells = [row[0] for row in csv.reader(io.StringIO(render(table, fmt)), delimiter=delimiter)]
    for cell in cells[1:3]:
        assert cell.startswith("'")  # a spreadsheet skips the blanks; the quote stays first
    assert cells[3] == "-0.5"  # a number stays a number


def test_yaml_aliases_and_deep_nesting_are_refused_quickly(tmp_path: Path) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(8):
        before, name = chr(97 + i), chr(98 + i)
        rows.append(f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]")
    rows += ["promises:", "  - title: T", "    url: https://x.org/a", "    status: *i"]
    data = tmp_path / "data.yaml"
    data.write_text("\n".join(rows) + "\n")
    started = time.monotonic()
    with pytest.raises(PledgesError, match="anchors and aliases are not read"):
        import_trumptracker(data, assessed_on="2018")
    data.write_text("promises: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(PledgesError, match="nested more than 64 levels"):
        import_trumptracker(data, assessed_on="2018")
    assert time.monotonic() - started < 5


def test_a_sqlite_export_keeps_other_databases_and_drops_stale_journals(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.db"
    write_sqlite(BUNDLED, path)
    (tmp_path / "x.db-wal").write_bytes(b"an old database's log")
    write_sqlite(BUNDLED, path)
    assert not (tmp_path / "x.db-wal").exists()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(PledgesError, match="did not export"):
        write_sqlite(BUNDLED, path)
    assert path.read_bytes() == before


def test_a_removed_pledge_fails_a_ci_that_refuses_regressions(tmp_path: Path) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    save(BUNDLED, old)
    save(BUNDLED.evolve(pledges=BUNDLED.pledges[:-1]), new)
    code, out, _ = run("changes", str(old), str(new), "--fail-on", "regressions")
    assert code == 1
    assert "pledge removed" in out


def test_a_path_the_system_refuses_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    long = str(tmp_path / ("x" * 300 + ".toml"))
    for argv in (
        ["lifecycle", long],
        ["verify", "--texts", long],
        ["site", str(BUNDLED.title and long), "--output", long + "/sub"],
        ["changes", long, long],
    ):
        code, _, err = run(*argv)
        assert code in (1, 2), argv
        assert err.startswith("pledges:"), (argv, err)
        assert "Traceback" not in err


def test_a_temporary_is_never_wider_than_the_file_it_replaces(tmp_path: Path) -> None:
    from pledges import _files

    path = tmp_path / "l.toml"
    path.write_text("old")
    path.chmod(0o600)
    seen: list[int] = []
    real = os.write

    def spy(fd: int, data: bytes | memoryview) -> int:
        seen.append(os.fstat(fd).st_mode & 0o777)
        return real(fd, data)

    try:
        _files.os.write = spy  # type: ignore[attr-defined]
        _files.write_atomic(path, b"new")
    finally:
        _files.os.write = real  # type: ignore[attr-defined]
    assert seen
    assert all(mode & 0o077 == 0 for mode in seen)
    assert path.stat().st_mode & 0o777 == 0o600
