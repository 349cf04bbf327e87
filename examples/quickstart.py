"""Quickstart: load the bundled ledger, ask where a pledge stood, print a status table.

Run it: ``python examples/quickstart.py``.
"""

from __future__ import annotations

import pledges
from pledges.present.render import render
from pledges.present.report import status_table


def main() -> int:
    """Print one pledge's status at three dates, then the trade pledges at the end of 2025."""
    ledger = pledges.load_bundled()
    for day in ("2015-01-01", "2015-06-01", "2016-12-31"):
        print(f"2014-fta as of {day}: {ledger.status_at('2014-fta', day)}")
    print()
    trade = ledger.select(topic="trade")
    print(render(status_table(ledger, "2025-12-31", trade), "simple"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
