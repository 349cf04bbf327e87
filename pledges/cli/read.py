"""The commands that read a ledger: report, status, summary, show, validate, verify, export,
lifecycle. What each needs of the library it imports when it runs, so that building the
parser stays quick."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from pledges.cli._common import (
    FAILED,
    OK,
    Out,
    add_dates,
    add_format,
    add_ledger,
    date_argument,
    ledger_of,
    today,
    warn_ranks,
)
from pledges.errors import UsageError

if TYPE_CHECKING:
    from pledges.ledger import Ledger
    from pledges.lifecycle import Lifecycle
    from pledges.present.render import Document

__all__ = [
    "add_export",
    "add_lifecycle",
    "add_report",
    "add_show",
    "add_status",
    "add_summary",
    "add_validate",
    "add_verify",
    "lifecycle_named",
]

REPORT_FORMATS = (
    *("plain", "simple", "grid", "simple_grid", "rounded_grid", "heavy_grid", "mixed_grid"),
    *("double_grid", "fancy_grid", "outline", "simple_outline", "rounded_outline"),
    *("heavy_outline", "mixed_outline", "double_outline", "fancy_outline", "psql", "pretty"),
    *("presto", "github", "pipe", "latex", "latex_booktabs", "latex_longtable", "tsv"),
    *("html", "csv", "json"),
)
"""Every format a report can be written in (:data:`pledges.present.render.FORMATS`, named
here so that the parser is built without importing the renderer; a test holds them equal)."""


def _write(document: Document, args: argparse.Namespace, out: Out, html: str | None = None) -> int:
    from pledges.present.render import render_document

    if args.format == "html":
        assert html is not None
        out.write(html)
    else:
        precision = getattr(args, "precision", 1)
        out.write(render_document(document, args.format, width=out.width, precision=precision))
    return OK


def _report(args: argparse.Namespace, out: Out) -> int:
    from pledges.diff import compare
    from pledges.present.report import diff_document

    ledger = ledger_of(args)
    warn_ranks(args, ledger)
    diff = compare(ledger, args.baseline, args.outcome, known_at=args.known_at)
    html = None
    if args.format == "html":
        from pledges.site import diff_page

        html = diff_page(ledger, diff)
    return _write(diff_document(ledger, diff, compact=args.compact), args, out, html)


def _where(args: argparse.Namespace) -> dict[str, list[str]]:
    """``--where FIELD=VALUE`` (repeatable; the same field twice means either value)."""
    found: dict[str, list[str]] = {}
    for pair in args.where or ():
        field, sep, value = pair.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise UsageError(f"--where takes FIELD=VALUE (got {pair!r})")
        found.setdefault(field.strip(), []).append(value.strip())
    return found


def _status(args: argparse.Namespace, out: Out) -> int:
    from pledges.present.report import status_document, status_table

    ledger = ledger_of(args)
    as_of = args.as_of if args.as_of is not None else today()
    chosen = ledger.select(
        topic=args.topic,
        actor=args.actor,
        occasion=args.occasion,
        status=args.status,
        as_of=as_of,
        known_at=args.known_at,
        where=_where(args),
    )
    table = status_table(ledger, as_of, chosen, known_at=args.known_at)
    document = status_document(ledger, table)
    html = None
    if args.format == "html":
        from pledges.site import status_page

        html = status_page(ledger, chosen, as_of, document.title)
    return _write(document, args, out, html)


def _summary(args: argparse.Namespace, out: Out) -> int:
    from pledges.present.summary import summary_document
    from pledges.summary import KeptRule, summarize

    ledger = ledger_of(args)
    as_of = args.as_of if args.as_of is not None else today()
    scale = None if args.scale is None else ledger.lifecycle(args.scale)
    chosen = ledger.select(
        topic=args.topic, actor=args.actor, occasion=args.occasion, where=_where(args)
    )
    rule = KeptRule()
    if args.kept:
        rule = KeptRule(kept=args.kept.split(","), left_out=rule.left_out)
    if args.left_out is not None:
        rule = KeptRule(kept=rule.kept, left_out=[s for s in args.left_out.split(",") if s])
    summary = summarize(ledger, as_of, pledges=chosen, by=args.by, scale=scale, rule=rule)
    extra = (
        ()
        if args.by
        else tuple(
            summarize(ledger, as_of, pledges=chosen, by=by, scale=scale, rule=rule)
            for by in ("topic", "actor")
        )
    )
    document = summary_document(ledger, summary, extra=extra, precision=args.precision)
    html = None
    if args.format == "html":
        from pledges.site import document_page

        html = document_page(ledger, document, as_of)
    return _write(document, args, out, html)


def _show(args: argparse.Namespace, out: Out) -> int:
    from pledges.present.timeline import timeline

    ledger = ledger_of(args)
    out.line(timeline(ledger, args.pledge_id, width=out.width, known_at=args.known_at))
    return OK


def _validate(args: argparse.Namespace, out: Out) -> int:
    from pledges.present.phrases import plural
    from pledges.serialization import load

    ledger = load(args.ledger)
    counts = [
        plural(len(ledger.pledges), "pledge"),
        plural(len(ledger.actors), "actor"),
        plural(len(ledger.sources), "source"),
        plural(len(ledger.occasions), "occasion"),
    ]
    out.line(f"{args.ledger}: valid ({', '.join(counts)})")
    for lifecycle in ledger.lifecycles:
        if lifecycle.rank_advice:
            out.line(f"  warning: {lifecycle.rank_advice}")
    return _check_rewrites(args, ledger, out)


def _check_rewrites(args: argparse.Namespace, ledger: Ledger, out: Out) -> int:
    """With ``--since`` (or, for a ledger that declares itself published, against the last
    commit of its file), refuse a published call changed without a correction."""
    from pledges.cli._git import revision, version
    from pledges.edits import rewrites
    from pledges.present.changes import proposal
    from pledges.present.phrases import plural
    from pledges.serialization import format_of, loads

    if args.since is not None:
        raw, label = version(args.since, args.ledger, "--since")
    elif ledger.published is not None:
        try:
            raw, label = revision("HEAD", args.ledger, "HEAD")
        except UsageError:
            out.line(
                "  note: a published ledger outside git: give --since OLD (a file or a git "
                "revision) to check that no published call changed without a correction"
            )
            return OK
    else:
        return OK
    old = loads(raw, format_of(args.ledger), source=label)
    silent = [r for r in rewrites(old, ledger) if r.silent]
    for rewrite in silent:
        now = "taken out" if rewrite.now is None else f"now {rewrite.now.status}"
        out.line(
            f"  {rewrite.pledge}: the call of {rewrite.update.date} ({rewrite.update.status}) "
            f"is {now} with no correction; record one with"
        )
        out.line(f"    {proposal(rewrite, args.ledger)}")
    if silent:
        calls = plural(len(silent), "published call")
        out.line(f"{args.ledger}: {calls} changed without a correction")
        return FAILED
    out.line(f"  no published call changed without a correction since {label}")
    return OK


def _verify(args: argparse.Namespace, out: Out) -> int:
    from pledges.present.phrases import plural
    from pledges.verify import verify

    if not Path(args.texts).is_dir():
        raise UsageError(f"--texts {args.texts!r} is not a directory")
    ledger = ledger_of(args)
    result = verify(ledger, args.texts)
    for problem in result.problems:
        out.line(f"  {problem}")
    verdict = plural(len(result.problems), "problem") if result.problems else "verified"
    out.wrapped(
        f"{verdict}: local texts matching their sha256: {result.pinned} of {result.texts}; "
        f"quotes found verbatim: {result.found} of {result.quotes}"
    )
    out.wrapped(
        f"not checked: {plural(result.summaries, 'summary', 'summaries')} and "
        f"{plural(result.unchecked_quotes, 'quote')} of web pages, which have no local text "
        "(check them against their URLs)"
    )
    return OK if result.ok else FAILED


def _export(args: argparse.Namespace, out: Out) -> int:
    from pledges._files import check_folder, write_atomic

    folder = args.format == "datapackage" or args.tables
    if args.output is None and (args.format == "sqlite" or folder):
        what = (
            "a database file: give --output FILE"
            if args.format == "sqlite"
            else ("a folder of files: give --output FOLDER")
        )
        raise UsageError(f"--format {args.format}{' --tables' * args.tables} writes {what}")
    if args.tables and args.format != "csv":
        raise UsageError("--tables goes with --format csv (a data package has them anyway)")
    if args.metadata and args.format != "sqlite":
        raise UsageError("--metadata goes with --format sqlite (Datasette's metadata.json)")
    if args.output is not None:
        check_folder(args.output)
    ledger = ledger_of(args)
    if folder:
        from pledges.package import write_tables

        write_tables(ledger, args.output, described=args.format == "datapackage")
        return OK
    if args.format == "sqlite":
        from pledges.database import write_metadata, write_sqlite

        write_sqlite(ledger, args.output)
        if args.metadata:
            write_metadata(ledger, args.output)
        return OK
    if args.format == "csv":
        from pledges.package import overview_csv

        text = overview_csv(ledger, args.as_of)
    else:
        from pledges.serialization import dumps

        text = dumps(ledger, args.format)
    if args.output is None:
        out.write(text)
    else:
        write_atomic(args.output, text.encode("utf-8"))
    return OK


def _schema(args: argparse.Namespace, out: Out) -> int:
    from pledges._files import check_folder, write_atomic
    from pledges.present.render import to_json
    from pledges.schema import ledger_schema

    text = to_json(ledger_schema())
    if args.output is None:
        out.write(text)
    else:
        check_folder(args.output)
        write_atomic(args.output, text.encode("utf-8"))
    return OK


def lifecycle_named(name: str) -> Lifecycle:
    """A shipped lifecycle by name, or one read from a file."""
    from pledges.presets import SHIPPED, shipped
    from pledges.serialization import load_lifecycle

    if name in SHIPPED:
        return shipped(name)
    if not Path(name).is_file():
        raise UsageError(
            f"{name!r} is neither a shipped lifecycle ({', '.join(SHIPPED)}) nor a file"
        )
    return load_lifecycle(name)


def _new_lifecycle(args: argparse.Namespace, out: Out) -> int:
    """``pledges lifecycle new --from FILE``: a lifecycle derived from a file's status names,
    written as TOML with every guess as a comment, to edit."""
    from pledges._files import check_folder, write_atomic
    from pledges.importers._common import slug
    from pledges.importers._sheet import Columns, locate, read_sheet
    from pledges.importers.derive import derive_lifecycle
    from pledges.serialization import dumps

    sheet = read_sheet(args.source_file)
    columns = Columns({"status": args.column} if args.column else {})
    layout = locate(sheet, columns, ["status"], {"status": "no status column: --column COLUMN"})
    names = [layout.cell(cells, "status") for _, cells in sheet.rows]
    name = slug(Path(args.source_file).stem) or "imported"
    lifecycle, guesses = derive_lifecycle(names, name, f"{Path(args.source_file).stem} statuses")
    comments = [
        f"# A lifecycle derived from the status names of {Path(args.source_file).name}.",
        "# Each guess below rests on the words of a name: check them, correct kinds, ranks",
        "# (higher is further along) and moves, then import with --lifecycle THIS_FILE.",
        *(f"#   {g}" for g in guesses),
    ]
    text = "\n".join(comments) + "\n" + dumps(lifecycle, "toml")
    if args.output is None:
        out.write(text)
    else:
        check_folder(args.output)
        write_atomic(args.output, text.encode("utf-8"))
        out.line(f"{args.output}: a lifecycle of {len(lifecycle.statuses)} statuses to check")
    return OK


def _lifecycle(args: argparse.Namespace, out: Out) -> int:
    from pledges.present.summary import lifecycle_document
    from pledges.serialization import dumps

    if args.source_file is not None:
        if args.lifecycle != "new":
            raise UsageError("--from derives a new lifecycle: pledges lifecycle new --from FILE")
        return _new_lifecycle(args, out)
    lifecycle = lifecycle_named(args.lifecycle)
    if args.format in ("toml", "json"):
        out.write(dumps(lifecycle, args.format))
        return OK
    return _write(lifecycle_document(lifecycle), args, out)


def add_report(parser: argparse.ArgumentParser) -> None:
    """``pledges report``."""
    add_ledger(parser)
    parser.add_argument(
        "--baseline",
        metavar="OCCASION|DATE",
        help="an occasion id, a date, or a year with one round in it (default: the first round)",
    )
    parser.add_argument(
        "--outcome",
        metavar="OCCASION|DATE",
        help="an occasion id or a date; a year means its last day (default: the last round)",
    )
    parser.add_argument(
        "--compact",
        action="store_true",
        help="one line a pledge, instead of each call with its evidence and sources",
    )
    add_dates(parser, as_of=False)
    add_format(parser, REPORT_FORMATS)
    parser.set_defaults(run=_report)


def _add_where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", help="only pledges with this topic")
    parser.add_argument("--actor", help="only pledges made by or to this actor (any alias)")
    parser.add_argument("--occasion", help="only pledges made on this occasion (its id)")
    parser.add_argument(
        "--where",
        action="append",
        metavar="FIELD=VALUE",
        help="only pledges whose FIELD (built-in or one of the tracker's own columns, such as "
        "era=labour) has VALUE; repeat it (the same field twice: either value)",
    )


def add_status(parser: argparse.ArgumentParser) -> None:
    """``pledges status``."""
    add_ledger(parser)
    add_dates(parser)
    _add_where(parser)
    parser.add_argument("--status", help="only pledges in this status (its id)")
    add_format(parser, REPORT_FORMATS)
    parser.set_defaults(run=_status)


def add_summary(parser: argparse.ArgumentParser) -> None:
    """``pledges summary``."""
    add_ledger(parser)
    add_dates(parser, as_of=True)
    _add_where(parser)
    parser.add_argument(
        "--by",
        metavar="FIELD",
        help="a row of numbers for each value of FIELD: actor, made_to, topic, occasion, kind, "
        "lifecycle, commitment, or one of the tracker's own columns (such as era)",
    )
    parser.add_argument(
        "--scale",
        metavar="LIFECYCLE",
        help="count and score every pledge on this lifecycle's scale, e.g. compliance",
    )
    parser.add_argument(
        "--kept",
        metavar="S,S",
        help="statuses or kinds that count as kept (default: fulfilled)",
    )
    parser.add_argument(
        "--left-out",
        metavar="S,S",
        help="statuses or kinds left out of the kept share (default: closed; '' for none)",
    )
    parser.add_argument(
        "--precision",
        type=int,
        choices=range(4),
        default=1,
        metavar="N",
        help="decimals of the percentages in text tables, 0 to 3 (default: 1)",
    )
    add_format(parser, REPORT_FORMATS)
    parser.set_defaults(run=_summary)


def add_show(parser: argparse.ArgumentParser) -> None:
    """``pledges show``."""
    parser.add_argument("pledge_id", metavar="PLEDGE_ID", help="the pledge's id")
    add_ledger(parser)
    parser.add_argument("--ledger", dest="ledger", metavar="LEDGER", help=argparse.SUPPRESS)
    add_dates(parser, as_of=False)
    parser.set_defaults(run=_show)


def add_validate(parser: argparse.ArgumentParser) -> None:
    """``pledges validate``."""
    add_ledger(parser, required=True)
    parser.add_argument(
        "--since",
        metavar="OLD",
        help="an earlier version (a file, or a git revision of LEDGER): refuse a published "
        "call changed since without a correction (a ledger that declares itself published "
        "is checked against its last commit)",
    )
    parser.set_defaults(run=_validate)


def add_verify(parser: argparse.ArgumentParser) -> None:
    """``pledges verify``."""
    add_ledger(parser)
    parser.add_argument(
        "--texts", required=True, metavar="DIR", help="the directory holding the sources' texts"
    )
    parser.set_defaults(run=_verify)


def add_export(parser: argparse.ArgumentParser) -> None:
    """``pledges export``."""
    add_ledger(parser)
    parser.add_argument(
        "--format",
        "-f",
        required=True,
        choices=("json", "toml", "csv", "sqlite", "datapackage"),
        help="json or toml (the ledger file); csv (a row a pledge, every field a column); "
        "sqlite (a database); datapackage (every table as CSV in a folder, described by a "
        "Frictionless datapackage.json)",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write to this file (or folder, for datapackage and --tables), atomically "
        "(required for sqlite and folders; default: standard output)",
    )
    parser.add_argument(
        "--tables",
        action="store_true",
        help="with csv: write every table (pledges, updates, evidence, sources, actors, links, "
        "...) as a CSV file into the folder --output",
    )
    parser.add_argument(
        "--metadata",
        action="store_true",
        help="with sqlite: write Datasette's metadata.json beside the database",
    )
    parser.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="with csv: statuses as of this date (default: the ledger's latest update)",
    )
    parser.set_defaults(run=_export)


def add_schema(parser: argparse.ArgumentParser) -> None:
    """``pledges schema``."""
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to this file, atomically (default: stdout)"
    )
    parser.set_defaults(run=_schema)


def add_lifecycle(parser: argparse.ArgumentParser) -> None:
    """``pledges lifecycle``."""
    parser.add_argument(
        "lifecycle",
        metavar="NAME|FILE|new",
        help="a shipped lifecycle's name, a .toml file to check, or 'new' with --from",
    )
    add_format(parser, (*REPORT_FORMATS[:-3], "csv", "json", "toml"))
    parser.add_argument(
        "--from",
        dest="source_file",
        metavar="FILE",
        help="derive a lifecycle from the status names of this CSV file (with 'new')",
    )
    parser.add_argument(
        "--column", metavar="COLUMN", help="the column of status names (default: found by name)"
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the derived lifecycle here (atomically)"
    )
    parser.set_defaults(run=_lifecycle)
