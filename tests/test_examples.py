"""Every example runs, as a user would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))
TRACKER = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "trumptracker"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_example_runs(example: Path, tmp_path: Path) -> None:
    if "trumptracker" in example.name and not TRACKER.is_dir():
        pytest.skip(f"the TrumpTracker data is not at {TRACKER}")
    result = subprocess.run(
        [sys.executable, str(example)], cwd=tmp_path, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_the_lifecycle_example_shows_a_shrunk_counterexample(tmp_path: Path) -> None:
    example = next(p for p in EXAMPLES if p.name == "property_test_lifecycle.py")
    out = subprocess.run([sys.executable, str(example)], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300, check=True).stdout  # fmt: skip
    assert "stateful test of the lifecycle: passed" in out
    assert "smallest counterexample: ['promised', 'kept']" in out
