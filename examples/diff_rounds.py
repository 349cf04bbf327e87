"""The main job from Python: the 2014 round against the 2025 visit, then against a later date.

Run it: ``python examples/diff_rounds.py``.
"""

from __future__ import annotations

import pledges
from pledges.diff import Change, compare


def main() -> int:
    """Print each 2014 pledge's class and reason, then what changes by the end of 2025."""
    ledger = pledges.load_bundled()
    diff = compare(ledger)  # the first round against the last: talks-2014 against visit-2025
    print(f"{diff.baseline.label} -> {diff.outcome.label}")
    for row in diff.rows:
        if row.change is not Change.NEW:
            print(f"  {row.pledge.id:28} {row.change.value:12} {row.reason}")
    print("new pledges:", len(diff.of(Change.NEW)))
    at_visit = {row.pledge.id: row.change for row in diff.rows}
    changed = [
        f"{row.pledge.id} ({at_visit[row.pledge.id].value} -> {row.change.value})"
        for row in compare(ledger, "talks-2014", "2025-12-31").rows
        if at_visit.get(row.pledge.id, row.change) is not row.change
    ]
    print("classes that change by 2025-12-31:", ", ".join(changed) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
