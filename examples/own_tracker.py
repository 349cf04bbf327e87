"""A small tracker of someone else's promises, built in code, saved, loaded and reported.

Run it: ``python examples/own_tracker.py [OUT.toml]`` (default: a temporary file).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pledges import (
    Actor,
    Evidence,
    Ledger,
    Occasion,
    PartialDate,
    Pledge,
    Source,
    Update,
    UpdateKind,
    Window,
    load,
    save,
)
from pledges.diff import compare
from pledges.present.render import render_document
from pledges.present.report import diff_document

D = PartialDate.parse


def build() -> Ledger:
    """Two pledges of a (fictional) 2022 summit and what became of them by 2024."""
    cited = [Evidence("communique", summary="The summit communiqué, section 4.")]
    later = [Evidence("review", summary="The 2024 review meeting's report.")]
    return Ledger(
        "Harbour summit pledges",
        actors=[Actor("north", "Northland"), Actor("south", "Southland")],
        sources=[
            Source("communique", "Harbour summit communiqué", url="https://example.org/c"),
            Source(
                "review",
                "Review meeting report",
                url="https://example.org/r",
                published=D("2024-03"),
            ),
        ],
        occasions=[Occasion("summit-2022", "Harbour summit", D("2022-06-14"))],
        pledges=[
            Pledge(
                "ferry",
                "Open a ferry line",
                "Both will open a ferry line by 2023.",
                ["north", "south"],
                occasion="summit-2022",
                window=Window.parse("2022-06/2023"),
                history=[
                    Update(D("2022-06-14"), "made", UpdateKind.MADE, cited),
                    Update(D("2023-11"), "fulfilled", UpdateKind.PROGRESS, later),
                ],
            ),
            Pledge(
                "tariffs",
                "Halve fish tariffs",
                "Southland will halve its fish tariffs.",
                ["south"],
                made_to=["north"],
                occasion="summit-2022",
                history=[Update(D("2022-06-14"), "made", UpdateKind.MADE, cited)],
            ),
        ],
    )


def main(path: Path | None = None) -> int:
    """Build, save, load back, and print the diff of the summit against 2024."""
    ledger = build()
    path = path or Path(tempfile.mkdtemp()) / "harbour.toml"
    save(ledger, path)
    assert load(path) == ledger
    print(f"saved {len(ledger.pledges)} pledges to {path}")
    print(render_document(diff_document(ledger, compare(ledger, "summit-2022", "2024")), "plain"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
