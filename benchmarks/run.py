"""Benchmarks of pledges on synthetic ledgers, with ratios to floors measured in the same run.

    python benchmarks/run.py                      # 1,000 / 10,000 / 100,000 pledges
    python benchmarks/run.py --sizes 1000,10000 --repeat 5

Each ledger has 3–6 updates a pledge (a random walk over the default lifecycle's moves) and
1–2 pieces of evidence an update. Every operation is timed ``--repeat`` times in this process
and its median printed beside its ratio to the floor: ``json.loads`` of the same file's bytes
(``json.dumps`` of the same data for saving). Peers, when installed (``pip install
'pledges[bench]'``): pydantic v2 ``model_validate_json`` on equivalent models, and replaying
every history through python-statemachine and through transitions (one machine per pledge),
measured on at most ``--peer-limit`` pledges and compared with pledges' checker on the same
pledges.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import itertools
import json
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pledges
from pledges import DEFAULT, Ledger, loads
from pledges.diff import compare
from pledges.render import render
from pledges.report import status_table
from pledges.serialization import dumps

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


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def plain_check(document: dict[str, Any]) -> int:
    """The floor for lifecycle checking: a dict-of-sets walk over every history."""
    allowed = {s.id: set(s.to) | set(s.reopen_to) | {s.id} for s in DEFAULT.statuses}
    bad = 0
    for pledge in document["pledges"]:
        statuses = [u["status"] for u in pledge["history"]]
        bad += sum(b not in allowed[a] for a, b in itertools.pairwise(statuses))
    return bad


def peers(document: dict[str, Any], raw: bytes, repeat: int) -> dict[str, float]:
    """Times of the optional peers, where installed."""
    found: dict[str, float] = {}
    with contextlib.suppress(ImportError):
        model = _pydantic_model()
        found["pydantic model_validate_json"] = timed(
            lambda: model.model_validate_json(raw), repeat
        )[0]
    histories = [[u["status"] for u in p["history"]] for p in document["pledges"]]
    with contextlib.suppress(ImportError):
        machine = _statemachine()

        def replay_statemachine() -> None:
            for history in histories:
                _replay_statemachine(machine, history)

        found["python-statemachine replay"] = timed(replay_statemachine, 1)[0]
    try:
        from transitions import Machine

        def replay_transitions() -> None:
            for history in histories:
                model = Machine(
                    states=list(STATUSES),
                    initial=history[0],
                    transitions=_TRANSITIONS,
                    auto_transitions=False,
                )
                for before, after in itertools.pairwise(history):
                    if before != after:
                        model.trigger(f"{before}_to_{after}")

        found["transitions replay"] = timed(replay_transitions, 1)[0]
    except ImportError:
        pass
    return found


_TRANSITIONS = [
    {"trigger": f"{a}_to_{b}", "source": a, "dest": b}
    for a, targets in MOVES.items()
    for b in targets
]


def _statemachine() -> Any:
    from statemachine import State, StateMachine

    states = {
        s: State(s.replace("-", "_"), initial=s == DEFAULT.initial, value=s, final=not MOVES[s])
        for s in STATUSES
    }
    namespace: dict[str, Any] = {s.replace("-", "_"): state for s, state in states.items()}
    for a, targets in MOVES.items():
        for b in targets:
            namespace[f"{a}_to_{b}".replace("-", "_")] = states[a].to(states[b])
    return type("PledgeMachine", (StateMachine,), namespace)


def _replay_statemachine(machine: Any, history: list[str]) -> None:
    instance = machine()
    for before, after in itertools.pairwise(history):
        if before != after:
            instance.send(f"{before}_to_{after}".replace("-", "_"))


def _pydantic_model() -> Any:
    from pydantic import BaseModel, ConfigDict

    class Strict(BaseModel):  # type: ignore[misc,unused-ignore]  # Any without pydantic
        model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    class Evidence(Strict):
        source: str
        quote: str | None = None
        summary: str | None = None

    class Update(Strict):
        date: str
        status: str
        kind: str
        evidence: tuple[Evidence, ...]
        note: str | None = None

    class Pledge(Strict):
        id: str
        title: str
        text: str
        made_by: tuple[str, ...]
        made_to: tuple[str, ...] = ()
        occasion: str | None = None
        topics: tuple[str, ...] = ()
        history: tuple[Update, ...]

    class Actor(Strict):
        id: str
        name: str
        aliases: tuple[str, ...] = ()

    class Source(Strict):
        id: str
        title: str
        url: str
        published: str | None = None

    class Occasion(Strict):
        id: str
        title: str
        start: str

    class Document(Strict):
        schema_version: int
        title: str
        actors: tuple[Actor, ...]
        sources: tuple[Source, ...]
        occasions: tuple[Occasion, ...]
        pledges: tuple[Pledge, ...]

    return Document


def memory(call: Callable[[], Any]) -> int:
    """Bytes held by what ``call`` returns (traced allocations still alive after it)."""
    gc.collect()
    tracemalloc.start()
    result = call()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del result
    return held


Row = tuple[str, float, str, str, float]


def run(size: int, repeat: int, peer_limit: int) -> list[Row]:
    """Every measurement for one size: (operation, value, unit, floor name, ratio)."""
    document = generate(size)
    raw = json.dumps(document).encode()
    floor, _ = timed(lambda: json.loads(raw), repeat)
    rows: list[Row] = [("json.loads (floor)", floor, "s", "", 1.0)]
    load_time, ledger = timed(lambda: loads(raw, "json"), repeat)
    assert isinstance(ledger, Ledger)
    rows.append(("load + full validation", load_time, "s", "json.loads", load_time / floor))
    dumps_floor, _ = timed(lambda: json.dumps(document), repeat)
    save_time, _ = timed(lambda: dumps(ledger, "json"), repeat)
    rows.append(("save (dumps to JSON)", save_time, "s", "json.dumps", save_time / dumps_floor))
    check, _ = timed(lambda: [DEFAULT.violations(p.history) for p in ledger.pledges], repeat)
    rows.append(("lifecycle check, all histories", check, "s", "json.loads", check / floor))
    plain, _ = timed(lambda: plain_check(document), repeat)
    rows.append(("plain dict-of-sets check", plain, "s", "json.loads", plain / floor))
    status, _ = timed(lambda: ledger.statuses_at("2012-06-30"), repeat)
    rows.append(("status of every pledge at a date", status, "s", "json.loads", status / floor))
    diff, _ = timed(lambda: compare(ledger, "2005-12-31", "2012-12-31"), repeat)
    rows.append(("round-to-round diff", diff, "s", "json.loads", diff / floor))
    if size >= 10_000:
        small = Ledger(
            ledger.title, ledger.actors, ledger.sources, ledger.occasions, ledger.pledges[:10_000]
        )
        table, _ = timed(lambda: render(status_table(small, "2020"), "simple", width=None), repeat)
        rows.append(("status table, 10,000 rows", table / 10_000 * 1e6, "µs/row", "", 0.0))
    held_ledger = memory(lambda: loads(raw, "json"))
    held_dicts = memory(lambda: json.loads(raw))
    rows.append(
        (
            "memory held: ledger",
            held_ledger / 1e6,
            "MB",
            "json.loads dicts",
            held_ledger / held_dicts,
        )
    )
    rows.append(("memory held: json.loads dicts", held_dicts / 1e6, "MB", "", 0.0))
    sample = dict(document, pledges=document["pledges"][:peer_limit])
    sample_raw = json.dumps(sample).encode()
    sample_ledger = loads(sample_raw, "json")
    ours, _ = timed(lambda: [DEFAULT.violations(p.history) for p in sample_ledger.pledges], repeat)
    sample_floor, _ = timed(lambda: json.loads(sample_raw), repeat)
    count = len(sample["pledges"])
    for name, seconds in peers(sample, sample_raw, repeat).items():
        against = "pledges' checker" if "replay" in name else "json.loads"
        base = ours if "replay" in name else sample_floor
        rows.append((f"{name} ({count:,} pledges)", seconds, "s", against, seconds / base))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print a table a size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-limit", type=int, default=10_000)
    args = parser.parse_args(argv)
    print(
        f"pledges {pledges.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {platform.system()}; median of {args.repeat}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"\n{size:,} pledges")
        for name, value, unit, floor, ratio in run(size, args.repeat, args.peer_limit):
            against = f"{ratio:8.2f}x {floor}" if floor else ""
            print(f"  {name:46} {value:10.3f} {unit:6}  {against}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
