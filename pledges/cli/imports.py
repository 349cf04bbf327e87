"""The import command: a CSV file or TrumpTracker's data, brought in as a ledger."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from pledges.cli._common import OK, Out, UsageError
from pledges.cli.read import lifecycle_named
from pledges.presets import DEFAULT
from pledges.serialization import save

__all__ = ["register"]


def _mapping(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        name, sep, status = pair.rpartition("=")
        if not sep or not status:
            raise UsageError(f"--status takes NAME=STATUS (got {pair!r})")
        mapping[name] = status
    return mapping


def _import(args: argparse.Namespace, out: Out) -> int:
    from pledges.importers import (
        TRUMPTRACKER_TO_DEFAULT,
        Columns,
        import_csv,
        import_trumptracker,
    )

    if args.source == "trumptracker":
        lifecycle = None if args.lifecycle is None else lifecycle_named(args.lifecycle)
        statuses = _mapping(args.status) if args.status else None
        if statuses is None and lifecycle is not None and lifecycle.id == "default":
            statuses = TRUMPTRACKER_TO_DEFAULT
        result = import_trumptracker(
            args.path, lifecycle=lifecycle, statuses=statuses, lenient=args.lenient
        )
    else:
        if not args.status:
            raise UsageError("import csv needs --status NAME=STATUS for each status in the file")
        columns = Columns(**_mapping(args.column)) if args.column else None
        lifecycle = DEFAULT if args.lifecycle is None else lifecycle_named(args.lifecycle)
        result = import_csv(
            args.path,
            _mapping(args.status),
            columns=columns,
            lifecycle=lifecycle,
            lenient=args.lenient,
        )
    save(result.ledger, args.output)
    out.line(f"{args.output}: {len(result.ledger.pledges)} pledges imported")
    for problem in result.problems:
        out.line(f"  left out: {problem}")
    for note in result.notes:
        out.line(f"  note: {note}")
    return OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the import command to the parser."""
    imp = commands.add_parser("import", help="bring a CSV file or TrumpTracker in as a ledger")
    imp.add_argument("source", choices=("csv", "trumptracker"))
    imp.add_argument("path", metavar="PATH", help="the CSV file, or TrumpTracker's folder")
    imp.add_argument("--output", "-o", required=True, metavar="LEDGER", help="where to save it")
    imp.add_argument("--lifecycle", metavar="NAME|FILE", help="the lifecycle to import into")
    imp.add_argument(
        "--status",
        action="append",
        metavar="NAME=STATUS",
        help="map a status name of the file onto the lifecycle (repeat)",
    )
    imp.add_argument(
        "--column",
        action="append",
        metavar="FIELD=COLUMN",
        help="CSV only: which column holds a field (repeat)",
    )
    imp.add_argument(
        "--lenient", action="store_true", help="import what can be imported and list the rest"
    )
    imp.set_defaults(run=_import)
