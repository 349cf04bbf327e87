"""Import TrumpTracker, a real third-party promise tracker, and print where it stood.

Run it from the project folder: ``python examples/import_trumptracker.py [FOLDER]``
(FOLDER defaults to ../shared/datasets/trumptracker). Needs ``pip install 'pledges[import]'``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pledges import DEFAULT, summarize
from pledges.importers import import_trumptracker
from pledges.present.render import render_document
from pledges.present.summary import summary_document

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent.parent / "shared/datasets/trumptracker"


def main(folder: Path = DEFAULT_FOLDER) -> int:
    """Import the tracker on its own scale, summarise it, then import it onto the default
    lifecycle (through the mapping TrumpTracker's lifecycle declares) and list the moves
    that lifecycle forbids."""
    result = import_trumptracker(folder)
    print(f"imported {len(result.ledger.pledges)} promises; {len(result.notes)} notes")
    summary = summarize(result.ledger, "2018-08-28")
    print(render_document(summary_document(result.ledger, summary), "simple"))
    strict = import_trumptracker(folder, lifecycle=DEFAULT, lenient=True)
    print(f"Under the default lifecycle, {len(strict.problems)} moves are forbidden:")
    for problem in strict.problems:
        print(" -", problem)
    print(f"so {len(strict.ledger.pledges)} promises go in; those 3 are left out, not kept at")
    print("a status the tracker did not give them.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER))
