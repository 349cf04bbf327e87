"""The ``pledges`` command line.

Exit codes: 0 on success; 1 when the data is invalid or a check fails (every problem listed,
each with where it is); 2 on a usage error (a bad option, date or name).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import pendulum

from pledges import report
from pledges.bundled import load_bundled
from pledges.dates import PartialDate
from pledges.diff import compare
from pledges.errors import InvalidDate, LoadError, NotFound, PledgesError
from pledges.ledger import Ledger
from pledges.lifecycle import DEFAULT, Lifecycle
from pledges.serialization import (
    SHIPPED_LIFECYCLES,
    dumps,
    load,
    load_lifecycle,
    load_lifecycle_preset,
    save,
)
from pledges.verify import verify

__all__ = ["main"]

OK, FAILED, USAGE = 0, 1, 2


class _Usage(PledgesError):
    """A bad argument found after parsing: exit 2."""


def _date(text: str) -> PartialDate:
    try:
        return PartialDate.parse(text)
    except InvalidDate as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _ledger(path: str | None) -> Ledger:
    return load_bundled() if path is None else load(path)


def _format_choice(parser: argparse.ArgumentParser, choices: Sequence[str]) -> None:
    parser.add_argument(
        "--format",
        "-f",
        default="simple",
        choices=choices,
        metavar="F",
        help=f"output format: {', '.join(choices)} (default: simple)",
    )


def _width(out: TextIO) -> int | None:
    return shutil.get_terminal_size((80, 24)).columns if out.isatty() else 80


def _write(document: report.Document, args: argparse.Namespace, out: TextIO) -> int:
    out.write(report.render_document(document, args.format, width=_width(out)))
    return OK


def _today() -> PartialDate:
    return PartialDate.of(pendulum.today().date())


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    ledger = load(args.ledger)
    out.write(
        f"{args.ledger}: valid ({len(ledger.pledges)} pledges, {len(ledger.actors)} actors, "
        f"{len(ledger.sources)} sources, {len(ledger.occasions)} occasions)\n"
    )
    return OK


def _status(args: argparse.Namespace, out: TextIO) -> int:
    ledger = _ledger(args.ledger)
    as_of = args.as_of if args.as_of is not None else _today()
    table = report.status_table(
        ledger,
        as_of,
        topic=args.topic,
        actor=args.actor,
        occasion=args.occasion,
        status=args.status,
    )
    return _write(report.status_document(ledger, table), args, out)


def _report(args: argparse.Namespace, out: TextIO) -> int:
    ledger = _ledger(args.ledger)
    diff = compare(ledger, args.baseline, args.outcome)
    return _write(report.diff_document(ledger, diff), args, out)


def _summary(args: argparse.Namespace, out: TextIO) -> int:
    ledger = _ledger(args.ledger)
    as_of = args.as_of if args.as_of is not None else _today()
    scale = None if args.scale is None else ledger.lifecycle(args.scale)
    return _write(report.summary_document(ledger, as_of, scale), args, out)


def _lifecycle_of(name: str) -> Lifecycle:
    if name in SHIPPED_LIFECYCLES:
        return load_lifecycle_preset(name)
    if not Path(name).is_file():
        raise _Usage(
            f"{name!r} is neither a shipped lifecycle ({', '.join(SHIPPED_LIFECYCLES)}) nor a file"
        )
    return load_lifecycle(name)


def _lifecycle(args: argparse.Namespace, out: TextIO) -> int:
    lifecycle = _lifecycle_of(args.lifecycle)
    if args.format in ("toml", "json"):
        out.write(dumps(lifecycle, args.format))
        return OK
    rows = tuple(
        (
            s.id,
            s.label,
            s.kind.value,
            "" if s.score is None else f"{s.score:+d}",
            str(s.rank),
            "final" if s.final else "",
            " ".join(s.to or s.reopen_to),
            "reopen" if s.reopen_to else "",
        )
        for s in lifecycle.statuses
    )
    table = report.Table(
        "lifecycle",
        ("id", "label", "kind", "score", "rank", "final", "moves to", ""),
        rows,
        wrap=(6,),
    )
    out.write(f"{lifecycle.label} ({lifecycle.id}), starting at {lifecycle.initial!r}: valid\n")
    out.write(report.render(table, args.format, width=_width(out)))
    return OK


def _mapping(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        name, sep, status = pair.rpartition("=")
        if not sep or not name or not status:
            raise _Usage(f"--status takes NAME=STATUS (got {pair!r})")
        mapping[name] = status
    return mapping


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from pledges.importers import (
        TRUMPTRACKER_TO_DEFAULT,
        Columns,
        import_csv,
        import_trumptracker,
    )

    if args.source == "trumptracker":
        lifecycle = None if args.lifecycle is None else _lifecycle_of(args.lifecycle)
        statuses = _mapping(args.status) if args.status else None
        if statuses is None and lifecycle is not None and lifecycle.id == "default":
            statuses = TRUMPTRACKER_TO_DEFAULT
        result = import_trumptracker(
            args.path, lifecycle=lifecycle, statuses=statuses, lenient=args.lenient
        )
    else:
        if not args.status:
            raise _Usage("import csv needs --status NAME=STATUS for each status in the file")
        columns = Columns(**_mapping(args.column)) if args.column else None
        lifecycle = DEFAULT if args.lifecycle is None else _lifecycle_of(args.lifecycle)
        result = import_csv(
            args.path,
            _mapping(args.status),
            columns=columns,
            lifecycle=lifecycle,
            lenient=args.lenient,
        )
    save(result.ledger, args.output)
    out.write(f"{args.output}: {len(result.ledger.pledges)} pledges imported\n")
    for problem in result.problems:
        out.write(f"  left out: {problem}\n")
    for note in result.notes:
        out.write(f"  note: {note}\n")
    return OK


def _show(args: argparse.Namespace, out: TextIO) -> int:
    out.write(report.timeline(_ledger(args.ledger), args.pledge_id) + "\n")
    return OK


def _export(args: argparse.Namespace, out: TextIO) -> int:
    ledger = _ledger(args.ledger)
    if args.format == "csv":
        out.write(report.render(report.pledge_table(ledger), "csv"))
    else:
        out.write(dumps(ledger, args.format))
    return OK


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    ledger = _ledger(args.ledger)
    texts = Path(args.texts)
    if not texts.is_dir():
        raise _Usage(f"--texts {args.texts!r} is not a directory")
    problems = verify(ledger, texts)
    if problems:
        out.write(f"{len(problems)} problem{'s' * (len(problems) != 1)}:\n")
        out.writelines(f"  {p}\n" for p in problems)
        return FAILED
    local = {s.id for s in ledger.sources if s.path is not None}
    quotes = sum(
        1
        for p in ledger.pledges
        for u in p.history
        for e in u.evidence
        if e.quote is not None and e.source in local
    )
    out.write(
        f"verified: {len(local)} local sources match their sha256; {quotes} quotes found verbatim\n"
    )
    return OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pledges",
        description="Track the commitments governments make to each other. "
        "LEDGER defaults to the bundled Vietnam–Belarus dataset.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = commands.add_parser(
        "report", help="the main job: one round's pledges against a later round or date"
    )
    rep.add_argument("ledger", nargs="?", metavar="LEDGER")
    rep.add_argument(
        "--baseline",
        metavar="OCCASION|DATE",
        help="an occasion id, a date, or a year with one round in it (default: the first round)",
    )
    rep.add_argument(
        "--outcome",
        metavar="OCCASION|DATE",
        help="an occasion id or a date; a year means its last day (default: the last round)",
    )
    _format_choice(rep, report.FORMATS)
    rep.set_defaults(run=_report)

    validate = commands.add_parser("validate", help="check a ledger file; list every problem")
    validate.add_argument("ledger", metavar="LEDGER")
    validate.set_defaults(run=_validate)

    status = commands.add_parser("status", help="every pledge's status at a date")
    status.add_argument("ledger", nargs="?", metavar="LEDGER")
    status.add_argument(
        "--as-of", type=_date, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (default: today)"
    )
    status.add_argument("--topic", help="only pledges with this topic")
    status.add_argument("--actor", help="only pledges made by or to this actor (any alias)")
    status.add_argument("--occasion", help="only pledges made on this occasion (its id)")
    status.add_argument("--status", help="only pledges in this status (its id)")
    _format_choice(status, report.FORMATS)
    status.set_defaults(run=_status)

    summary = commands.add_parser(
        "summary", help="counts by status, topic and actor; compliance score; overdue pledges"
    )
    summary.add_argument("ledger", nargs="?", metavar="LEDGER")
    summary.add_argument("--as-of", type=_date, metavar="DATE", help="(default: today)")
    summary.add_argument(
        "--scale",
        metavar="LIFECYCLE",
        help="count and score every pledge on this lifecycle's scale, e.g. compliance",
    )
    _format_choice(summary, report.FORMATS)
    summary.set_defaults(run=_summary)

    life = commands.add_parser(
        "lifecycle", help="show a shipped lifecycle, or check one defined in a TOML file"
    )
    life.add_argument("lifecycle", metavar="NAME|FILE")
    _format_choice(life, (*report.TEXT_FORMATS, "toml", "json"))
    life.set_defaults(run=_lifecycle)

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
        help="CSV only: which column holds id, title, status, date, text, actors, "
        "topics, sources or quote (repeat)",
    )
    imp.add_argument(
        "--lenient", action="store_true", help="import what can be imported and list the rest"
    )
    imp.set_defaults(run=_import)

    show = commands.add_parser("show", help="one pledge: its text, history and evidence")
    show.add_argument("pledge_id", metavar="PLEDGE_ID")
    show.add_argument("--ledger", metavar="LEDGER")
    show.set_defaults(run=_show)

    check = commands.add_parser(
        "verify", help="check every quote against its local source text, and the texts' sha256"
    )
    check.add_argument("ledger", nargs="?", metavar="LEDGER")
    check.add_argument(
        "--texts",
        required=True,
        metavar="DIR",
        help="the directory holding the sources' local texts",
    )
    check.set_defaults(run=_verify)

    export = commands.add_parser("export", help="the whole ledger as json, toml or csv")
    export.add_argument("ledger", nargs="?", metavar="LEDGER")
    export.add_argument("--format", "-f", required=True, choices=("json", "toml", "csv"))
    export.set_defaults(run=_export)
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; return the exit code (0 ok, 1 invalid data, 2 usage error)."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code) if isinstance(exc.code, int) else USAGE
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    try:
        return run(args, out)
    except LoadError as exc:
        err.write(f"pledges: {exc}\n")
        return FAILED
    except (NotFound, _Usage) as exc:
        err.write(f"pledges: error: {exc}\n")
        return USAGE
    except PledgesError as exc:
        err.write(f"pledges: {exc}\n")
        return FAILED
    except BrokenPipeError:  # output piped into head, say
        return OK
