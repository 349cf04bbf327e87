"""Benchmarks of pledges on synthetic ledgers, each figure beside its peers and floors.

    pip install -e '.[bench]'                     # the peers: pydantic, cattrs, orjson, ...
    python benchmarks/run.py                      # 10,000 and 100,000 pledges, 5 repeats
    python benchmarks/run.py --sizes 10000,100000,1000000 --repeat 5 --json figures.json

Each ledger has 3–6 updates a pledge (a random walk over the default lifecycle's moves) and
1–2 pieces of evidence an update. The method, so that the ratios measure pledges and not
the garbage collector:

- every group of measurements runs in a fresh process, and every timed call starts on a
  clean heap (the previous result freed and collected; the file held as bytes only);
- loads are timed twice, with the collector on (as users call them) and paused for
  everyone, beside ``json.loads``, orjson, pydantic v2 and naive cattrs on the same bytes;
- every figure is the median of ``--repeat`` calls;
- queries are timed cold (a ledger just loaded: per-pledge keys not yet built, as in every
  command) and warm; tables as the CLI prints them, wrapped to 80 columns;
- memory (held, and the peak while loading) is traced in a process of its own;
- scaling exponents: in n, between the sizes; in k, a pledge's number of updates;
- commands are timed as whole processes on a TOML ledger, with and without the cache.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import itertools
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
Figures = dict[str, float]


def timed(call: Callable[[], Any], repeat: int, *, paused: bool = False) -> float:
    """The median seconds of ``repeat`` calls, each on a clean heap; with ``paused``, the
    collector is off during each call."""
    times = []
    for _ in range(repeat):
        gc.collect()
        if paused:
            gc.disable()
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        gc.enable()
        del result
        times.append(elapsed)
    return statistics.median(times)


@contextlib.contextmanager
def ledger_file(size: int, suffix: str = ".json") -> Iterator[Path]:
    """A synthetic ledger of ``size`` pledges, saved canonically, its plain data freed."""
    from synthetic import generate

    from pledges import save
    from pledges.serialization import from_data

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"ledger{suffix}"
        save(from_data(generate(size)), path)
        gc.collect()
        yield path


# -- groups, each run in a fresh process ---------------------------------------------------


def group_load(size: int, repeat: int) -> Figures:
    """Load and full validation beside the floors and peers, GC on and paused."""
    import peers

    from pledges import loads

    with ledger_file(size) as path:
        raw = path.read_bytes()
    contenders: dict[str, Callable[[bytes], Any] | None] = {
        "json.loads": json.loads,
        "orjson.loads": fast[0] if (fast := peers.orjson()) else None,
        "pledges load": lambda b: loads(b, "json"),
        "pydantic model_validate_json": peers.pydantic_load(),
        "msgspec Structs (types only)": peers.msgspec_structs(),
        "naive cattrs": peers.naive_cattrs(),
    }
    figures: Figures = {}
    for paused in (False, True):
        for name, call in contenders.items():
            if call is not None:
                figures[f"{name}, GC {'paused' if paused else 'on'}"] = timed(
                    functools.partial(call, raw), repeat, paused=paused
                )
    return figures


def group_toml(size: int, repeat: int) -> Figures:
    """Loading the TOML file: pledges (its layout reader and builders) beside the standard
    parser and a compiled one, parsing only."""
    import peers

    from pledges import loads

    with ledger_file(size, ".toml") as path:
        text = path.read_text(encoding="utf-8")
    figures: Figures = {"pledges load TOML": timed(lambda: loads(text, "toml"), repeat)}
    for name, parse in peers.toml_parsers().items():
        figures[f"{name} (parse only)"] = timed(functools.partial(parse, text), repeat)
    return figures


def _peak(name: str, path: Path) -> tuple[float, float]:
    """The peak resident memory (MB) one load of ``path`` adds, in a process that did
    nothing else (so that memory a compiled parser allocates outside Python's allocator
    counts too)."""
    import peers

    from pledges import load

    def high_water() -> int:  # kB; getrusage's ru_maxrss survives exec (the parent's counts)
        status = Path("/proc/self/status").read_text(encoding="ascii")
        return int(
            next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]
        )

    raw = path.read_bytes()
    calls: dict[str, Callable[[], Any]] = {
        "pledges load(path), JSON": lambda: load(path),
        "pledges load(path), TOML": lambda: load(path),
        "json.loads": lambda: json.loads(raw),
        "pydantic model_validate_json": lambda: pydantic(raw),  # type: ignore[misc]
        "msgspec Structs (types only)": lambda: structs(raw),  # type: ignore[misc]
        "tomllib.loads": lambda: parsers["tomllib.loads"](raw.decode()),
        "rtoml.load": lambda: parsers["rtoml.load"](raw.decode()),
    }
    pydantic, structs, parsers = (
        peers.pydantic_load(),
        peers.msgspec_structs(),
        peers.toml_parsers(),
    )
    gc.collect()
    before = high_water()
    start = time.process_time()
    result = calls[name]()
    elapsed = time.process_time() - start
    after = high_water()
    del result
    return elapsed, (after - before) / 1024


PEAKS = (
    "pledges load(path), JSON",
    "json.loads",
    "pydantic model_validate_json",
    "msgspec Structs (types only)",
    "pledges load(path), TOML",
    "tomllib.loads",
    "rtoml.load",
)


def group_peaks(size: int, repeat: int) -> Figures:
    """The memory peak of each way in, a process each (``repeat`` is not used)."""
    figures: Figures = {}
    with ledger_file(size, ".json") as as_json, ledger_file(size, ".toml") as as_toml:
        for name in PEAKS:
            path = as_toml if "TOML" in name or "toml" in name else as_json
            argv = [sys.executable, __file__, "--peak", name, str(path)]
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            if done.returncode == 0:
                figures[f"{name} peak MB"] = float(done.stdout.split()[1])
    return figures


def group_once(size: int, repeat: int) -> Figures:
    """The largest size, once: pledges' loads (JSON and TOML) beside json.loads and msgspec,
    and their memory peaks, each load in a process of its own."""
    figures: Figures = {}
    with ledger_file(size, ".json") as as_json, ledger_file(size, ".toml") as as_toml:
        for name, path in (
            ("pledges load(path), JSON", as_json),
            ("pledges load(path), TOML", as_toml),
            ("json.loads", as_json),
            ("msgspec Structs (types only)", as_json),
        ):
            argv = [sys.executable, __file__, "--peak", name, str(path), "--timed"]
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            if done.returncode == 0:
                seconds, peak = (float(x) for x in done.stdout.split())
                figures[f"{name} s"] = seconds
                figures[f"{name} peak MB"] = peak
    return figures


def group_startup(size: int, repeat: int) -> Figures:
    """Whole processes on the bundled ledger: --version, and the main job."""
    pledges = Path(sys.executable).with_name("pledges")
    figures: Figures = {}
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, PLEDGES_CACHE_DIR=cache, COLUMNS="80")

        def run(*argv: str) -> float:
            start = time.perf_counter()
            subprocess.run([str(pledges), *argv], env=env, stdout=subprocess.DEVNULL, check=True)
            return time.perf_counter() - start

        figures["pledges --version"] = statistics.median(run("--version") for _ in range(repeat))
        run("report")
        figures["pledges report (answer kept)"] = statistics.median(
            run("report") for _ in range(repeat)
        )
        env["PLEDGES_NO_CACHE"] = "1"
        figures["pledges report (cache off)"] = statistics.median(
            run("report") for _ in range(repeat)
        )
    return figures


def group_save(size: int, repeat: int) -> Figures:
    """Saving beside ``json.dumps`` and orjson of the same data."""
    import peers
    import tomli_w

    from pledges import load
    from pledges.serialization import dumps, to_data

    with ledger_file(size) as path:
        ledger = load(path)
    data = to_data(ledger)
    figures = {
        "pledges dumps JSON": timed(lambda: dumps(ledger, "json"), repeat),
        "json.dumps": timed(lambda: json.dumps(data, ensure_ascii=False), repeat),
        "pledges dumps TOML": timed(lambda: dumps(ledger, "toml"), repeat),
        "tomli_w.dumps": timed(lambda: tomli_w.dumps(data), repeat),
    }
    fast = peers.orjson()
    if fast is not None:
        figures["orjson.dumps"] = timed(lambda: fast[1](data), repeat)
    return figures


def group_query(size: int, repeat: int) -> Figures:
    """Status, diff and lifecycle checks, cold and warm; the status table as printed."""
    import peers

    from pledges import DEFAULT, load
    from pledges.diff import compare
    from pledges.present.render import render_document
    from pledges.present.report import status_document, status_table
    from pledges.summary import summarize

    with ledger_file(size) as path:
        ledger = load(path)

        def cold(query: Callable[[Any], Any]) -> float:
            times = []
            for _ in range(repeat):
                fresh = load(path)  # keys not yet built, as in every command
                gc.collect()
                start = time.perf_counter()
                query(fresh)
                times.append(time.perf_counter() - start)
            return statistics.median(times)

        def status(led: Any) -> Any:
            return led.statuses_at("2012-06-30")

        def diff(led: Any) -> Any:
            return compare(led, "2005-12-31", "2012-12-31")

        figures = {
            "status of every pledge, cold": cold(status),
            "status of every pledge, warm": timed(lambda: status(ledger), repeat),
            "diff, cold": cold(diff),
            "diff, warm": timed(lambda: diff(ledger), repeat),
            "summary": timed(lambda: summarize(ledger, "2012-06-30"), repeat),
        }
    figures["lifecycle check of every history"] = timed(
        lambda: [DEFAULT.violations(p.history) for p in ledger.pledges], repeat
    )
    rows = ledger.pledges[:10_000]

    def table() -> str:
        document = status_document(ledger, status_table(ledger, "2012-06-30", rows))
        return render_document(document, "simple", width=80)

    figures["status table µs a row, 80 columns"] = timed(table, repeat) / len(rows) * 1e6
    histories = [[u.status for u in p.history] for p in ledger.pledges]
    for name, replay in peers.replays(histories).items():
        figures[name] = timed(replay, 1)
    return figures


def group_memory(size: int, repeat: int) -> Figures:
    """Bytes held by the loaded ledger and the peak while loading, traced."""
    from pledges import load

    with ledger_file(size) as path:
        gc.collect()
        tracemalloc.start()
        ledger = load(path)
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        raw = path.read_bytes()
        del ledger
        gc.collect()
        tracemalloc.start()
        dicts = json.loads(raw)
        dicts_held = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del dicts
    return {"held MB": held / 1e6, "peak MB": peak / 1e6, "json.loads dicts MB": dicts_held / 1e6}


def group_depth(updates: int, repeat: int) -> Figures:
    """Per-pledge costs of a long history: the updates in a ten-day window and the diff
    across it, warm and cold, in µs a pledge."""
    from synthetic import deep

    from pledges.dates import as_of_day
    from pledges.diff import compare
    from pledges.serialization import from_data

    document = deep(50, updates)
    middle = 10 * (updates // 2)
    after, until = as_of_day(_day(middle)), as_of_day(_day(middle + 10))
    ledger = from_data(document)
    count = len(ledger.pledges)

    def between(led: Any) -> None:
        for pledge in led.pledges:
            led.updates_between(pledge, after, until)

    def cold(query: Callable[[Any], Any]) -> float:
        times = []
        for _ in range(repeat):
            fresh = from_data(document)
            start = time.perf_counter()
            query(fresh)
            times.append(time.perf_counter() - start)
        return statistics.median(times) / count * 1e6

    between(ledger)
    return {
        "updates_between, warm": timed(lambda: between(ledger), repeat) / count * 1e6,
        "updates_between, cold": cold(between),
        "diff, warm": timed(lambda: compare(ledger, after, until), repeat) / count * 1e6,
        "diff, cold": cold(lambda led: compare(led, after, until)),
    }


def _day(offset: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(dt.date(2000, 1, 1).toordinal() + offset).isoformat()


def group_cli(size: int, repeat: int) -> Figures:
    """Whole commands on a TOML ledger: the file changed since the last command (no cache),
    the same command again, and another command on the same file; and the first commands
    on the same ledger as JSON."""
    figures = _cli(size, repeat, ".toml")
    figures.update(
        {f"{k} (JSON)": v for k, v in _cli(size, repeat, ".json").items() if "changed" in k}
    )
    return figures


def _cli(size: int, repeat: int, suffix: str) -> Figures:
    pledges = Path(sys.executable).with_name("pledges")
    figures: Figures = {}
    with ledger_file(size, suffix) as path, tempfile.TemporaryDirectory() as scratch:

        def run(command: str, cache: str) -> float:
            env = dict(os.environ, PLEDGES_CACHE_DIR=cache, COLUMNS="80")
            argv = [str(pledges), command, str(path)]
            if command == "site":
                argv += ["--output", str(Path(scratch) / "site")]
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
            return time.perf_counter() - start

        def median(call: Callable[[int], float]) -> float:
            return statistics.median(call(i) for i in range(repeat))

        def fresh(command: str, i: int) -> float:
            return run(command, f"{scratch}/new-{command}-{i}")

        def again(command: str, _: int) -> float:
            return run(command, f"{scratch}/warm-{command}")

        for command in ("status", "summary", "report"):
            figures[f"{command}, file changed"] = median(functools.partial(fresh, command))
            again(command, 0)
            figures[f"{command}, same command again"] = median(functools.partial(again, command))

        def after_status(i: int) -> float:
            run("status", f"{scratch}/other-{i}")
            return run("summary", f"{scratch}/other-{i}")

        figures["summary after status (ledger cached)"] = median(after_status)
        if suffix == ".toml":  # once: a site of every pledge is minutes at this size
            figures["site, file changed (once)"] = run("site", f"{scratch}/site")
    return figures


GROUPS: dict[str, Callable[[int, int], Figures]] = {
    "load": group_load,
    "toml": group_toml,
    "peaks": group_peaks,
    "once": group_once,
    "startup": group_startup,
    "save": group_save,
    "query": group_query,
    "memory": group_memory,
    "depth": group_depth,
    "cli": group_cli,
}


def in_fresh_process(group: str, size: int, repeat: int) -> Figures:
    """One group's figures, measured by a new Python process."""
    argv = [sys.executable, __file__, "--child", group, str(size), str(repeat)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {group} group failed at {size}:\n{done.stderr}")
    figures: Figures = json.loads(done.stdout)
    return figures


# -- the report -----------------------------------------------------------------------------


def exponent(small: float, large: float, n_small: int, n_large: int) -> float:
    """The power of n that takes ``small`` to ``large``."""
    return math.log(large / small) / math.log(n_large / n_small)


def report(results: dict[str, Any]) -> Iterator[str]:
    """The figures as lines of text, each beside its floor or peer."""
    yield results["machine"]
    for name, value in results.get("startup", {}).items():
        yield f"  {name:46} {value:10.3f} s"
    for size, groups in results["sizes"].items():
        yield f"\n{int(size):,} pledges"
        for group, figures in groups.items():
            yield f"  [{group}]"
            floor = _floor(group, figures)
            for name, value in figures.items():
                unit = "MB" if "MB" in name else "µs" if "µs" in name else "s"
                name = name.removesuffix(" s")
                ratio = f"{value / floor[1]:6.2f}x {floor[0]}" if floor and unit == "s" else ""
                yield f"    {name:44} {value:10.3f} {unit:3} {ratio}"
    sizes = sorted(results["sizes"], key=int)
    for a, b in itertools.pairwise(sizes):
        yield f"\nscaling in n, {int(a):,} -> {int(b):,} (1.0 is linear)"
        for group in ("load", "save", "query"):
            for name, value in results["sizes"][b].get(group, {}).items():
                before = results["sizes"][a].get(group, {}).get(name)
                if before and value and "µs" not in name and "replay" not in name:
                    yield f"    {name:44} n^{exponent(before, value, int(a), int(b)):.2f}"
    depths = sorted(results["depths"], key=int)
    if depths:
        yield "\nscaling in k, a pledge's updates (µs a pledge; 0.0 is flat, 1.0 linear)"
        for name in results["depths"][depths[0]]:
            values = "  ".join(f"k={k}: {results['depths'][k][name]:8.2f}" for k in depths)
            first, last = results["depths"][depths[0]][name], results["depths"][depths[-1]][name]
            slope = ""  # one depth (or a time too short to read) gives no exponent
            if len(depths) > 1 and first > 0 and last > 0:
                slope = f"   k^{exponent(first, last, int(depths[0]), int(depths[-1])):.2f}"
            yield f"    {name:24} {values}{slope}"


def _floor(group: str, figures: Figures) -> tuple[str, float] | None:
    for name in (
        "json.loads, GC on",
        "json.dumps",
        "json.loads dicts MB",
        "tomllib.loads (parse only)",
    ):
        if name in figures and group != "memory":
            return name, figures[name]
    return None


def main(argv: list[str] | None = None) -> int:
    """Run every group in fresh processes and print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--depths", default="64,256,1024,4096", help="updates a pledge")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cli-size", type=int, default=10_000)
    parser.add_argument("--json", metavar="FILE", help="also write the figures here")
    parser.add_argument(
        "--once",
        type=int,
        metavar="N",
        help="also load a ledger of N pledges once (load, TOML and memory groups, one repeat)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 2,000 pledges, one repeat, one depth, commands on 1,000",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--peak", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--timed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        group, size, repeat = args.child
        print(json.dumps(GROUPS[group](int(size), int(repeat))))
        return 0
    if args.peak:
        seconds, peak = _peak(args.peak[0], Path(args.peak[1]))
        print(seconds, peak)
        return 0
    if args.quick:
        args.sizes, args.depths, args.repeat, args.cli_size = "2000", "64", 1, 1000
    from pledges import __version__

    results: dict[str, Any] = {
        "machine": f"pledges {__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores; medians of {args.repeat}",
        "sizes": {},
        "depths": {},
    }
    for size in (int(s) for s in args.sizes.split(",")):
        results["sizes"][str(size)] = {
            group: in_fresh_process(group, size, args.repeat)
            for group in ("load", "toml", "save", "query", "memory", "peaks")
        }
    if args.once:
        results["sizes"][str(args.once)] = {"once": in_fresh_process("once", args.once, 1)}
    results["startup"] = in_fresh_process("startup", 0, max(args.repeat, 3))
    if args.cli_size:
        cli = in_fresh_process("cli", args.cli_size, args.repeat)
        results["sizes"].setdefault(str(args.cli_size), {})["cli (TOML, whole process)"] = cli
    for depth in (int(d) for d in args.depths.split(",") if d):
        results["depths"][str(depth)] = in_fresh_process("depth", depth, args.repeat)
    for line in report(results):
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
