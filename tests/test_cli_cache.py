"""The command line's cache: the same answer for the same bytes, a new one for new bytes, and
nothing used that is damaged, altered or in a folder others may write to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pledges import load_bundled, save


def pledges(*argv: str, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PLEDGES_CACHE_DIR": str(cache), **env}
    return subprocess.run(
        [sys.executable, "-m", "pledges", *argv],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "vb.toml"
    save(load_bundled(), path)
    return path


def test_an_answer_is_kept_for_the_same_bytes_and_remade_for_new_ones(
    ledger: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = pledges("status", str(ledger), "--as-of", "2020", cache=cache)
    assert first.returncode == 0
    answers = list((cache / "answers").iterdir())
    assert len(answers) == 1
    assert list((cache / "ledgers").iterdir())  # the TOML kept as canonical JSON
    again = pledges("status", str(ledger), "--as-of", "2020", cache=cache)
    assert again.stdout == first.stdout
    text = ledger.read_text(encoding="utf-8").replace(
        'title = "Speed up and sign', 'title = "Speed up, then sign', 1
    )
    ledger.write_text(text, encoding="utf-8")
    changed = pledges("status", str(ledger), "--as-of", "2020", cache=cache)
    assert "Speed up, then" in changed.stdout
    assert len(list((cache / "answers").iterdir())) == 2


def test_a_damaged_or_altered_entry_is_not_used(ledger: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = pledges("summary", str(ledger), "--as-of", "2020", cache=cache)
    (answer,) = (cache / "answers").iterdir()
    answer.write_bytes(answer.read_bytes().replace(b"Compliance", b"Complacency"))
    (kept,) = (cache / "ledgers").iterdir()
    seal = kept.read_bytes().split(b"\n", 1)[0]
    kept.write_bytes(seal + b'\n{"schema_version": 1, "title": "forged"}')
    again = pledges("summary", str(ledger), "--as-of", "2020", cache=cache)
    assert again.stdout == first.stdout
    other = pledges("report", str(ledger), cache=cache)
    assert "Vietnam" in other.stdout
    assert "forged" not in other.stdout


def test_a_folder_others_may_write_to_is_not_used(ledger: Path, tmp_path: Path) -> None:
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    os.chmod(cache, 0o777)
    assert pledges("status", str(ledger), cache=cache).returncode == 0
    assert list(cache.iterdir()) == []


def test_the_cache_can_be_turned_off_and_failures_are_never_kept(
    ledger: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert pledges("status", str(ledger), cache=cache, PLEDGES_NO_CACHE="1").returncode == 0
    assert not cache.exists()
    assert pledges("status", str(ledger), "--actor", "Nobody", cache=cache).returncode == 2
    assert not (cache / "answers").exists()
