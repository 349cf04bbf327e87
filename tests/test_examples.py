"""Every example runs, as a user would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))
TRACKER = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "trumptracker"


SHOWS = {
    "property_test_lifecycle.py": [
        "stateful test of the lifecycle: passed",
        "smallest counterexample: ['promised', 'kept']",
    ],
    "import_trumptracker.py": ["imported 174 promises", "3 moves are forbidden"],
    "quickstart.py": ["2014-fta as of 2015-06-01: signed"],
    "diff_rounds.py": ["2014-fta", "classes that change by 2025-12-31: 2014-direct-flights"],
    "own_tracker.py": ["saved 2 pledges", "ferry"],
    "custom_lifecycle.py": ["valid history: True", "cannot be reached"],
}


SLOW = {"property_test_lifecycle.py"}  # a thousand drawn histories and a shrink: CI's deeper step


@pytest.mark.parametrize(
    "example",
    [pytest.param(p, marks=pytest.mark.slow) if p.name in SLOW else p for p in EXAMPLES],
    ids=lambda p: p.name,
)
def test_the_example_runs_and_shows_what_it_says(example: Path, tmp_path: Path) -> None:
    if "trumptracker" in example.name and not TRACKER.is_dir():
        pytest.skip(f"the TrumpTracker data is not at {TRACKER}")
    result = subprocess.run(
        [sys.executable, str(example)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for expected in SHOWS[example.name]:
        assert expected in result.stdout


@pytest.mark.slow
def test_the_benchmark_script_runs_at_a_tiny_size(tmp_path: Path) -> None:
    """Not a timing test: it only keeps benchmarks/run.py from rotting."""
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
    tiny = ("--sizes", "100,200", "--repeat", "1", "--depths", "4,8", "--cli-size", "0")
    result = subprocess.run(
        [sys.executable, str(script), *tiny],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for shown in ("pledges load, GC on", "json.loads", "scaling in n", "scaling in k", "held MB"):
        assert shown in result.stdout
