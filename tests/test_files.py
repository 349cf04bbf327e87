"""Reading and writing files: regular files only, no hang, atomic saves that keep a link's
target and the file's mode, and no temporaries left behind."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pledges import Ledger, LoadError, dumps, load, save
from pledges._files import MANIFEST, FileError, read_bytes, write_atomic, write_tree


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_save_keeps_the_mode_of_the_file_it_replaces(
    small_ledger: Ledger, tmp_path: Path
) -> None:
    target = tmp_path / "ledger.toml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    save(small_ledger, target)
    assert mode(target) == 0o640
    assert load(target) == small_ledger


def test_a_new_file_follows_the_umask(small_ledger: Ledger, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        save(small_ledger, tmp_path / "a.toml")
        os.umask(0o077)
        save(small_ledger, tmp_path / "b.toml")
    finally:
        os.umask(old)
    assert mode(tmp_path / "a.toml") == 0o644
    assert mode(tmp_path / "b.toml") == 0o600


def test_a_symlinked_ledger_keeps_its_link(small_ledger: Ledger, tmp_path: Path) -> None:
    real = tmp_path / "data" / "ledger.toml"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "ledger.toml"
    link.symlink_to(real)
    save(small_ledger, link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == dumps(small_ledger)


def test_the_folder_is_synced_after_the_rename(
    small_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr("pledges._files.os.fsync", fsync)
    save(small_ledger, tmp_path / "ledger.toml")
    assert synced == ["file", "dir"]


def test_temporaries_of_killed_writers_are_swept(small_ledger: Ledger, tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    stale = tmp_path / f".ledger.toml.{pid}.0123456789ab.pledges-tmp"
    stale.write_bytes(b"x" * 1000)
    alive = tmp_path / f".ledger.toml.{os.getppid()}.0123456789ab.pledges-tmp"
    alive.write_bytes(b"y")
    other = tmp_path / ".notes.txt.pledges-tmp"
    other.write_bytes(b"z")
    save(small_ledger, tmp_path / "ledger.toml")
    assert not stale.exists()
    assert alive.exists()  # its writer may still be at work
    assert other.exists()  # not ours by its name


def test_a_killed_save_leaves_the_old_file_whole_and_the_next_save_cleans_up(
    small_ledger: Ledger, tmp_path: Path
) -> None:
    target = tmp_path / "ledger.toml"
    save(small_ledger, target)
    before = target.read_bytes()
    script = (
        "import os, sys\n"
        "from pledges import _files\n"
        "_files.os.replace = lambda *a: os.kill(os.getpid(), 9)\n"
        f"_files.write_atomic({str(target)!r}, b'new' * 100000)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert result.returncode == -9
    assert target.read_bytes() == before
    assert len(list(tmp_path.iterdir())) == 2  # the ledger and the killed writer's temporary
    save(small_ledger, target)
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.toml"]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "cannot be read: No such file or directory"),
        (lambda p: p.mkdir(), "is a directory, not a regular file"),
        (lambda p: os.mkfifo(p), "is a FIFO, not a regular file"),
    ],
)
def test_only_regular_files_are_read(tmp_path: Path, make: object, reason: str) -> None:
    path = tmp_path / "ledger.toml"
    make(path)  # type: ignore[operator]
    done = threading.Event()
    caught: list[BaseException] = []

    def read() -> None:
        try:
            read_bytes(path)
        except FileError as exc:
            caught.append(exc)
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(5), "reading hung"
    (error,) = caught
    assert reason in str(error)


def test_a_nul_byte_in_a_path_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="NUL byte"):
        read_bytes(tmp_path / "a\x00b")
    with pytest.raises(FileError, match="NUL byte"):
        write_atomic(str(tmp_path / "a\x00b"), b"x")
    with pytest.raises(LoadError, match="NUL byte"):
        load(str(tmp_path / "a\x00b.toml"))


def test_writing_into_a_missing_folder_or_over_a_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="does not exist"):
        write_atomic(tmp_path / "nowhere" / "ledger.toml", b"x")
    (tmp_path / "d.toml").mkdir()
    with pytest.raises(FileError, match="is a directory"):
        write_atomic(tmp_path / "d.toml", b"x")


def test_files_over_the_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(FileError, match="over the limit of 1,000"):
        read_bytes(path, limit=1000)


def test_many_files_are_written_whole_and_unchanged_ones_left_alone(tmp_path: Path) -> None:
    same, changed = tmp_path / "same.html", tmp_path / "changed.html"
    same.write_bytes(b"kept")
    changed.write_bytes(b"old text, longer than the new")
    stale = tmp_path / ".gone.html.999999999.abcdef.pledges-tmp"  # a writer long dead
    stale.write_bytes(b"half a page")
    before = same.stat().st_ino
    files = {"same.html": b"kept", "changed.html": b"new", "sub/new.html": b"made"}
    assert write_tree(tmp_path, files) == 2
    assert {n: (tmp_path / n).read_bytes() for n in files} == files
    assert same.stat().st_ino == before  # not replaced
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        MANIFEST,
        "changed.html",
        "same.html",
        "sub",
    ]


def test_nothing_is_written_through_a_link_or_removed_unless_recorded(tmp_path: Path) -> None:
    # Found by the attack run: pages written into a link's target, the user's files deleted.
    site, outside = tmp_path / "site", tmp_path / "outside"
    site.mkdir()
    outside.mkdir()
    notes = outside / "notes.txt"
    notes.write_text("mine")
    (outside / "mine.html").write_text("mine")
    (site / "index.html").symlink_to(notes)
    (site / "own.html").write_text("the user's own page")
    assert write_tree(site, {"index.html": b"page", "p/a.html": b"a", "p/b.html": b"b"}) == 3
    assert notes.read_text() == "mine"  # the link was replaced, not written through
    assert not (site / "index.html").is_symlink()
    assert (site / "index.html").read_bytes() == b"page"
    (site / "p" / "user.html").write_text("the user's own page in a folder of pages")
    assert write_tree(site, {"index.html": b"page", "p/a.html": b"a"}) == 0
    assert not (site / "p" / "b.html").exists()  # recorded, and gone now
    assert (site / "own.html").exists()
    assert (site / "p" / "user.html").exists()
    shutil.rmtree(site / "p")
    (site / "p").symlink_to(outside)  # a folder that is a link
    with pytest.raises(FileError, match="symbolic link"):
        write_tree(site, {"p/a.html": b"a"})
    assert sorted(p.name for p in outside.iterdir()) == ["mine.html", "notes.txt"]
    (site / "q").mkdir()
    (site / "q" / "x.html").mkdir()  # a folder where a page goes
    with pytest.raises(FileError, match=r"x\.html"):
        write_tree(site, {"q/x.html": b"x"})
    with pytest.raises(FileError, match="not a name beneath"):
        write_tree(site, {"../escape.html": b"x"})
