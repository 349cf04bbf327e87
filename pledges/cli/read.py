"""The commands that read a ledger: report, status, summary, show, validate, verify, export,
lifecycle."""

from __future__ import annotations

import argparse
from pathlib import Path

from pledges._files import check_folder, write_atomic
from pledges.cli._common import (
    FAILED,
    OK,
    Out,
    UsageError,
    add_dates,
    add_format,
    add_ledger,
    ledger_of,
    today,
)
from pledges.diff import compare
from pledges.lifecycle import Lifecycle
from pledges.present import report
from pledges.present.render import FORMATS, TEXT_FORMATS, Document, render, render_document
from pledges.present.summary import lifecycle_document, summary_document
from pledges.present.timeline import timeline
from pledges.presets import SHIPPED, shipped
from pledges.serialization import dumps, load, load_lifecycle
from pledges.summary import GroupBy, KeptRule, summarize
from pledges.verify import verify

__all__ = ["register"]


def _write(document: Document, args: argparse.Namespace, out: Out, html: str | None = None) -> int:
    if args.format == "html":
        assert html is not None
        out.write(html)
    else:
        out.write(render_document(document, args.format, width=out.width))
    return OK


def _report(args: argparse.Namespace, out: Out) -> int:
    from pledges.site import diff_page

    ledger = ledger_of(args)
    diff = compare(ledger, args.baseline, args.outcome, known_at=args.known_at)
    html = diff_page(ledger, diff) if args.format == "html" else None
    return _write(report.diff_document(ledger, diff), args, out, html)


def _status(args: argparse.Namespace, out: Out) -> int:
    ledger = ledger_of(args)
    as_of = args.as_of if args.as_of is not None else today()
    chosen = ledger.select(
        topic=args.topic,
        actor=args.actor,
        occasion=args.occasion,
        status=args.status,
        as_of=as_of,
        known_at=args.known_at,
    )
    table = report.status_table(ledger, as_of, chosen, known_at=args.known_at)
    document = report.status_document(ledger, table)
    html = None
    if args.format == "html":
        from pledges.site import status_page

        html = status_page(ledger, chosen, as_of, document.title)
    return _write(document, args, out, html)


def _summary(args: argparse.Namespace, out: Out) -> int:
    ledger = ledger_of(args)
    as_of = args.as_of if args.as_of is not None else today()
    scale = None if args.scale is None else ledger.lifecycle(args.scale)
    chosen = ledger.select(topic=args.topic, actor=args.actor, occasion=args.occasion)
    rule = KeptRule(
        kept=args.kept.split(",") if args.kept else ("fulfilled",),
        left_out=args.left_out.split(",") if args.left_out is not None else ("closed",),
    )
    summary = summarize(ledger, as_of, pledges=chosen, by=args.by, scale=scale, rule=rule)
    extra = (
        ()
        if args.by
        else tuple(
            summarize(ledger, as_of, pledges=chosen, by=by, scale=scale, rule=rule)
            for by in (GroupBy.TOPIC, GroupBy.ACTOR)
        )
    )
    document = summary_document(ledger, summary, extra=extra)
    html = None
    if args.format == "html":
        from pledges.site import document_page

        html = document_page(ledger, document, as_of)
    return _write(document, args, out, html)


def _show(args: argparse.Namespace, out: Out) -> int:
    ledger = ledger_of(args)
    out.line(timeline(ledger, args.pledge_id, width=out.width, known_at=args.known_at))
    return OK


def _validate(args: argparse.Namespace, out: Out) -> int:
    ledger = load(args.ledger)
    out.line(
        f"{args.ledger}: valid ({len(ledger.pledges)} pledges, {len(ledger.actors)} actors, "
        f"{len(ledger.sources)} sources, {len(ledger.occasions)} occasions)"
    )
    return OK


def _verify(args: argparse.Namespace, out: Out) -> int:
    ledger = ledger_of(args)
    if not Path(args.texts).is_dir():
        raise UsageError(f"--texts {args.texts!r} is not a directory")
    result = verify(ledger, args.texts)
    for problem in result.problems:
        out.line(f"  {problem}")
    count = len(result.problems)
    verdict = f"{count} problem{'s' * (count != 1)}" if count else "verified"
    out.line(
        f"{verdict}: {result.pinned} of {result.texts} local texts match their sha256; "
        f"{result.found} of {result.quotes} quotes found verbatim"
    )
    out.line(
        f"not checked: {result.summaries} summaries and {result.unchecked_quotes} quotes of web "
        "pages, which have no local text (check them against their URLs)"
    )
    return OK if result.ok else FAILED


def _export(args: argparse.Namespace, out: Out) -> int:
    if args.format == "sqlite" and args.output is None:
        raise UsageError("--format sqlite writes a database file: give --output FILE")
    if args.output is not None:
        check_folder(args.output)
    ledger = ledger_of(args)
    if args.format == "sqlite":
        from pledges.database import write_sqlite

        write_sqlite(ledger, args.output)
        return OK
    text = render(report.pledge_table(ledger), "csv") if args.format == "csv" else None
    text = text if text is not None else dumps(ledger, args.format)
    if args.output is None:
        out.write(text)
    else:
        write_atomic(args.output, text.encode("utf-8"))
    return OK


def lifecycle_named(name: str) -> Lifecycle:
    """A shipped lifecycle by name, or one read from a file."""
    if name in SHIPPED:
        return shipped(name)
    if not Path(name).is_file():
        raise UsageError(
            f"{name!r} is neither a shipped lifecycle ({', '.join(SHIPPED)}) nor a file"
        )
    return load_lifecycle(name)


def _lifecycle(args: argparse.Namespace, out: Out) -> int:
    lifecycle = lifecycle_named(args.lifecycle)
    if args.format in ("toml", "json"):
        out.write(dumps(lifecycle, args.format))
        return OK
    out.write(render_document(lifecycle_document(lifecycle), args.format, width=out.width))
    return OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the reading commands to the parser."""
    rep = commands.add_parser(
        "report", help="the main job: one round's pledges against a later round or date"
    )
    add_ledger(rep)
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
    add_dates(rep, as_of=False)
    add_format(rep, FORMATS)
    rep.set_defaults(run=_report)

    status = commands.add_parser("status", help="every pledge's status at a date")
    add_ledger(status)
    add_dates(status)
    _filters(status)
    status.add_argument("--status", help="only pledges in this status (its id)")
    add_format(status, FORMATS)
    status.set_defaults(run=_status)

    summary = commands.add_parser(
        "summary", help="counts by status, compliance score, kept share, overdue; by group"
    )
    add_ledger(summary)
    add_dates(summary, as_of=True)
    _filters(summary)
    summary.add_argument(
        "--by", choices=[g.value for g in GroupBy], help="a row of numbers for each group"
    )
    summary.add_argument(
        "--scale",
        metavar="LIFECYCLE",
        help="count and score every pledge on this lifecycle's scale, e.g. compliance",
    )
    summary.add_argument(
        "--kept",
        metavar="S,S",
        help="statuses or kinds that count as kept (default: fulfilled)",
    )
    summary.add_argument(
        "--left-out",
        metavar="S,S",
        help="statuses or kinds left out of the kept share (default: closed; '' for none)",
    )
    add_format(summary, FORMATS)
    summary.set_defaults(run=_summary)

    show = commands.add_parser("show", help="one pledge: its text, history and evidence")
    show.add_argument("pledge_id", metavar="PLEDGE_ID")
    add_ledger(show)
    show.add_argument("--ledger", dest="ledger", metavar="LEDGER", help=argparse.SUPPRESS)
    add_dates(show, as_of=False)
    show.set_defaults(run=_show)

    validate = commands.add_parser("validate", help="check a ledger file; list every problem")
    add_ledger(validate, required=True)
    validate.set_defaults(run=_validate)

    check = commands.add_parser(
        "verify", help="check every quote against its local source text, and the texts' sha256"
    )
    add_ledger(check)
    check.add_argument(
        "--texts", required=True, metavar="DIR", help="the directory holding the sources' texts"
    )
    check.set_defaults(run=_verify)

    export = commands.add_parser("export", help="the whole ledger as json, toml, csv or sqlite")
    add_ledger(export)
    export.add_argument("--format", "-f", required=True, choices=("json", "toml", "csv", "sqlite"))
    export.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write to this file, atomically (required for sqlite; default: standard output)",
    )
    export.set_defaults(run=_export)

    life = commands.add_parser(
        "lifecycle", help="show a shipped lifecycle, or check one defined in a TOML file"
    )
    life.add_argument("lifecycle", metavar="NAME|FILE")
    add_format(life, (*TEXT_FORMATS, "csv", "json", "toml"))
    life.set_defaults(run=_lifecycle)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", help="only pledges with this topic")
    parser.add_argument("--actor", help="only pledges made by or to this actor (any alias)")
    parser.add_argument("--occasion", help="only pledges made on this occasion (its id)")
