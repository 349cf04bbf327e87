"""Synthetic ledgers for the benchmarks: many pledges, or a few with long histories."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from pledges import DEFAULT

__all__ = ["MOVES", "STATUSES", "deep", "generate"]

STATUSES = DEFAULT.ids
MOVES = {s.id: s.to or s.reopen_to for s in DEFAULT.statuses}


def generate(size: int, seed: int = 2025) -> dict[str, Any]:
    """A schema-1 ledger document of ``size`` pledges, as plain data."""
    rng = random.Random(seed)
    actors = [{"id": f"actor-{i}", "name": f"Actor {i}", "aliases": [f"A{i}"]} for i in range(50)]
    sources = [
        {
            "id": f"source-{i}",
            "title": f"Report {i}",
            "url": f"https://example.org/{i}",
            "published": f"{2000 + i % 25}-{1 + i % 12:02d}",
        }
        for i in range(200)
    ]
    occasions = [
        {"id": f"summit-{y}", "title": f"Summit {y}", "start": f"{y}-06-01"}
        for y in range(2000, 2025)
    ]
    documents = []
    for n in range(size):
        day = rng.randrange(730_120, 735_000)  # 2000 to 2013, as ordinals
        status = DEFAULT.initial
        history = []
        for step in range(rng.randint(3, 6)):
            previous = status
            if step:
                status = rng.choice([status, *MOVES[status]])
                day += rng.randrange(30, 400)
            if not step:
                kind = "made"
            elif status == previous:
                kind = "reaffirmed"
            else:
                kind = "reopened" if previous in DEFAULT.finals else "progress"
            evidence = [
                {"source": f"source-{rng.randrange(200)}", "quote": f"We will do {n}.{step}."}
                for _ in range(rng.randint(1, 2))
            ]
            date = _iso(day, rng.choice((3, 3, 3, 2, 1)) if step else 3)
            history.append({"date": date, "status": status, "kind": kind, "evidence": evidence})
        documents.append(
            {
                "id": f"pledge-{n}",
                "title": f"Pledge number {n}",
                "text": f"The parties will do thing {n} within the agreed time.",
                "made_by": [f"actor-{rng.randrange(50)}"],
                "made_to": [f"actor-{rng.randrange(50)}"],
                "occasion": f"summit-{2000 + n % 25}",
                "topics": [rng.choice(("trade", "defence"))],
                "history": history,
            }
        )
    return {
        "schema_version": 1,
        "title": f"Synthetic ({size} pledges)",
        "actors": actors,
        "sources": sources,
        "occasions": occasions,
        "pledges": documents,
    }


def _iso(ordinal: int, precision: int) -> str:
    """A day as text at a precision; a later day's range never lies before an earlier one's."""
    day = dt.date.fromordinal(ordinal)
    return (f"{day.year:04d}", f"{day:%Y-%m}", day.isoformat())[precision - 1]


def deep(pledges: int, updates: int) -> dict[str, Any]:
    """A ledger document of a few pledges with ``updates`` updates each, one every ten days
    from 1 January 2000 (day precision: made, then in progress and stalled by turns), so that
    any window of ten days holds one update of each pledge."""
    base = dt.date(2000, 1, 1).toordinal()
    document = generate(0)
    document["title"] = f"Synthetic ({pledges} pledges of {updates} updates)"
    for n in range(pledges):
        history = [
            {
                "date": dt.date.fromordinal(base + 10 * step).isoformat(),
                "status": "made" if step == 0 else ("stalled", "in-progress")[step % 2],
                "kind": "made" if step == 0 else "progress",
                "evidence": [{"source": "source-0", "summary": f"step {step}"}],
            }
            for step in range(updates)
        ]
        document["pledges"].append(
            {
                "id": f"pledge-{n}",
                "title": f"Pledge {n}",
                "text": "The parties will do a thing.",
                "made_by": ["actor-0"],
                "history": history,
            }
        )
    return document
