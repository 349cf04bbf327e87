"""The import command: a spreadsheet, a scorecard or TrumpTracker's data, as a ledger."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from typing import Any

from pledges._files import check_folder
from pledges.cli._common import OK, Out, date_argument
from pledges.errors import Problem, UsageError
from pledges.importers import DELIMITERS, FIELDS, Columns, IdPolicy, ImportResult
from pledges.lifecycle import Lifecycle
from pledges.serialization import save

__all__ = ["add_import"]

_DELIMITER_NAMES = {name: char for char, name in DELIMITERS.items()} | {"\\t": "\t"}


def _pairs(pairs: Sequence[str] | None, option: str, left: str, right: str) -> dict[str, str]:
    """``NAME=VALUE`` arguments as a mapping; the name may be empty (``=made``: blank cells)
    and may hold ``=`` (split at the last one)."""
    mapping: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.rpartition("=")
        if not sep or not value.strip():
            raise UsageError(f"{option} takes {left}={right} (got {pair!r})")
        if name in mapping and mapping[name] != value:
            raise UsageError(f"{option} maps {name!r} twice ({mapping[name]!r}, {value!r})")
        mapping[name] = value.strip()
    return mapping


def _delimiter(text: str) -> str:
    if text in DELIMITERS:
        return text
    if text in _DELIMITER_NAMES:
        return _DELIMITER_NAMES[text]
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a delimiter (one of: , ; | tab, or their names)"
    )


def _columns(args: argparse.Namespace) -> Columns:
    """``--column FIELD=COLUMN`` (repeated: several columns for topics, notes, addresses)
    and ``--split COLUMN``."""
    named: dict[str, list[str]] = {}
    for pair in args.column or ():
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise UsageError(f"--column takes FIELD=COLUMN (got {pair!r})")
        named.setdefault(field.strip(), []).append(column.strip())
    return Columns(named, split=tuple(args.split or ()))


def _sheet_options(args: argparse.Namespace, lifecycle: Lifecycle | str | None) -> dict[str, Any]:
    """The options the spreadsheet and scorecard imports share."""
    chosen: dict[str, Any] = {"lifecycle": lifecycle} if lifecycle else {}
    if args.title:
        chosen["title"] = args.title
    return chosen | {
        "columns": _columns(args),
        "made_on": args.made_on,
        "assessed_on": args.assessed_on,
        "ids": args.ids,
        "drop": tuple(args.drop or ()),
        "delimiter": args.delimiter,
        "lenient": args.lenient,
    }


def _import(args: argparse.Namespace, out: Out) -> int:
    from pledges.cli.read import lifecycle_named
    from pledges.importers import (
        FROM_FILE,
        UnmappedStatuses,
        import_csv,
        import_scorecard,
        import_trumptracker,
    )

    check_folder(args.output)
    lifecycle: Lifecycle | str | None = args.lifecycle
    if args.lifecycle is not None and not (args.source == "csv" and args.lifecycle == FROM_FILE):
        lifecycle = lifecycle_named(args.lifecycle)
    statuses = _pairs(args.status, "--status", "NAME", "STATUS") or None
    result: ImportResult
    if args.source == "trumptracker":
        assert not isinstance(lifecycle, str)
        result = import_trumptracker(
            args.path,
            lifecycle=lifecycle,
            statuses=statuses,
            made_on=args.made_on,
            assessed_on=args.assessed_on,
            lenient=args.lenient,
        )
    elif args.source == "scorecard":
        assert not isinstance(lifecycle, str)
        options = _sheet_options(args, lifecycle)
        result = import_scorecard(args.path, statuses, group=args.group, **options)
    else:
        options = _sheet_options(args, lifecycle)
        try:
            result = import_csv(args.path, statuses, made_by=args.made_by, **options)
        except UnmappedStatuses as exc:
            mapped = [f"{name}=STATUS" for name, _ in exc.names]
            command = shlex.join(
                ["pledges", *args.argv, *(x for m in mapped for x in ("--status", m))]
            )
            raise UnmappedStatuses(
                exc.source,
                [*exc.problems, Problem("", f"a command to edit and run: {command}")],
                exc.names,
            ) from None
    save(result.ledger, args.output)
    count = len(result.ledger.pledges)
    out.line(f"{args.output}: {count} pledge{'s' * (count != 1)} imported")
    for problem in result.problems:
        out.line(f"  left out: {problem}")
    for note in result.notes:
        out.line(f"  note: {note}")
    return OK


def _common(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("path", metavar="PATH", help=what)
    parser.add_argument("--output", "-o", required=True, metavar="LEDGER", help="where to save it")
    parser.add_argument(
        "--lifecycle",
        metavar="NAME|FILE",
        help="the lifecycle to import into: a shipped one's name or a file (for csv also "
        "'from-file': one derived from the file's status names, each guess noted)",
    )
    parser.add_argument(
        "--made-on",
        type=date_argument,
        metavar="DATE",
        help="the day the pledges were made, for rows (or promises) that give none",
    )
    parser.add_argument(
        "--assessed-on",
        type=date_argument,
        metavar="DATE",
        help="the day the statuses were assessed, for rows that give none",
    )
    parser.add_argument(
        "--lenient", action="store_true", help="import what can be imported and list the rest"
    )


def _sheet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--column",
        action="append",
        metavar="FIELD=COLUMN",
        help=f"the column that holds a field (repeat; several columns may hold topic, note "
        f"and source_url); fields: {', '.join(FIELDS)} (found by their usual names otherwise)",
    )
    parser.add_argument(
        "--split",
        action="append",
        metavar="COLUMN",
        help="keep this column of the tracker's own as a list, split on | and ; (repeat)",
    )
    parser.add_argument(
        "--drop", action="append", metavar="COLUMN", help="leave this column out (repeat)"
    )
    parser.add_argument(
        "--ids",
        choices=[p.value for p in IdPolicy],
        help="keep the file's ids, clean them (fix and de-duplicate), or derive them from "
        "titles (default: keep if there is an id column, else derive)",
    )
    parser.add_argument(
        "--delimiter",
        type=_delimiter,
        metavar="D",
        help="the delimiter: , ; | or tab (default: detected from the header)",
    )
    parser.add_argument("--title", help="the ledger's title (default: from the file's name)")


def add_import(imp: argparse.ArgumentParser) -> None:
    """``pledges import``."""
    sources = imp.add_subparsers(dest="source", required=True, metavar="SOURCE")
    csv = sources.add_parser("csv", help="a spreadsheet with one promise a row")
    _common(csv, "the CSV file (comma, semicolon, tab or pipe separated)")
    csv.add_argument(
        "--status",
        action="append",
        metavar="NAME=STATUS",
        help="map a status name of the file onto the lifecycle (repeat; '=STATUS' for blanks); "
        "names that are the lifecycle's own ids or labels need none",
    )
    _sheet(csv)
    csv.add_argument("--made-by", metavar="NAME", help="who made the pledges of rows with none")
    score = sources.add_parser(
        "scorecard", help="one row per commitment, one column per member, each cell a score"
    )
    _common(score, "the CSV file")
    score.add_argument(
        "--status",
        action="append",
        metavar="CELL=STATUS",
        help="map a cell onto the lifecycle (repeat; default: -1, 0, +1 onto compliance)",
    )
    _sheet(score)
    score.add_argument(
        "--group",
        default="All members",
        help="who made the commitments as a whole (default: All members)",
    )
    tracker = sources.add_parser("trumptracker", help="TrumpTracker's data.yaml (and history)")
    _common(tracker, "TrumpTracker's folder, or its data.yaml")
    tracker.add_argument(
        "--status",
        action="append",
        metavar="NAME=STATUS",
        help="map a TrumpTracker status onto the lifecycle (default: its declared mapping)",
    )
    for parser in (csv, score, tracker):
        parser.set_defaults(run=_import)
