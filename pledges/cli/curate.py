"""The curating commands: add, update, link, source add, actor add (one change each, checked,
written atomically, keeping the file's text), and changes (what changed, for a review)."""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path

from pledges import curate as curating
from pledges._files import read_bytes
from pledges.cli._common import FAILED, OK, Command, Out, date_argument, warn_ranks
from pledges.cli._git import revision, version
from pledges.dates import Window
from pledges.edits import changes, rewrites
from pledges.errors import UsageError
from pledges.ledger import Ledger
from pledges.model import (
    Actor,
    ActorKind,
    Correction,
    Evidence,
    Link,
    LinkKind,
    Occasion,
    Pledge,
    PledgeKind,
    Source,
    Update,
    UpdateKind,
)
from pledges.present.changes import CHANGE_FORMATS, render_changes
from pledges.serialization import format_of, load, loads

__all__ = [
    "add_actor",
    "add_add",
    "add_changes",
    "add_correct",
    "add_init",
    "add_link",
    "add_occasion",
    "add_source",
    "add_update",
]


def _evidence(args: argparse.Namespace) -> Evidence:
    if (args.quote is None) == (args.summary is None):
        raise UsageError("give the evidence as --quote (verbatim) or --summary, one of them")
    return Evidence(
        args.source,
        quote=args.quote,
        summary=args.summary,
        published=args.published,
        locator=args.locator,
    )


def _locked(command: Command) -> Command:
    """The command run while it holds the ledger's lock, from its first read to its write,
    so that two commands on one file at once both land (the second waits)."""

    def run(args: argparse.Namespace, out: Out) -> int:
        with curating.locked(args.ledger):
            return command(args, out)

    return run


def _finish(change: curating.FileChange, args: argparse.Namespace, out: Out, what: str) -> int:
    if args.dry_run:
        out.write(change.diff())
        return OK
    change.write()
    out.line(f"{args.ledger}: {what}")
    return OK


def _actor_ids(ledger: Ledger, names: list[str] | None) -> tuple[str, ...]:
    return tuple(ledger.actor(name).id for name in names or ())


def _add(args: argparse.Namespace, out: Out) -> int:
    ledger = load(args.ledger)
    evidence = _evidence(args)
    text = args.text or args.quote
    if text is None:
        raise UsageError("give the commitment in plain words (--text), or a --quote to use")
    initial = ledger.lifecycle(args.lifecycle).initial
    making = Update(args.made_on, initial, UpdateKind.MADE, (evidence,), occasion=args.occasion)
    pledge = Pledge(
        args.pledge_id,
        args.title,
        text,
        _actor_ids(ledger, args.made_by),
        (making,),
        _actor_ids(ledger, args.made_to),
        kind=args.kind,
        occasion=args.occasion,
        topics=tuple(args.topic or ()),
        window=None if args.window is None else Window.parse(args.window),
        lifecycle=args.lifecycle,
        note=args.note,
    )
    return _finish(curating.add_pledge(args.ledger, pledge), args, out, f"added {pledge.id!r}")


def _update(args: argparse.Namespace, out: Out) -> int:
    ledger = load(args.ledger)
    pledge = ledger.pledge(args.pledge_id)
    kind = (
        UpdateKind.REAFFIRMED
        if args.reaffirm
        else UpdateKind.REOPENED
        if args.reopen
        else UpdateKind.PROGRESS
    )
    status = args.status or (pledge.status if args.reaffirm else None)
    if status is None:
        raise UsageError("give the new status (--status S), or --reaffirm the one it has")
    update = Update(
        args.date, status, kind, (_evidence(args),), note=args.note, occasion=args.occasion
    )
    change = curating.add_update(args.ledger, pledge.id, update)
    label = ledger.lifecycle_of(pledge).label_of(status)
    return _finish(change, args, out, f"{pledge.id!r} {kind.value}: {label} on {args.date}")


def _link(args: argparse.Namespace, out: Out) -> int:
    link = Link(args.kind, args.target, note=args.note)
    change = curating.add_link(args.ledger, args.pledge_id, link)
    return _finish(change, args, out, f"{args.pledge_id!r} {args.kind} {args.target!r}")


def _source(args: argparse.Namespace, out: Out) -> int:
    if (args.url is None) == (args.file is None):
        raise UsageError("a source is a web page (--url) or a local text (--file), one of them")
    path = sha256 = None
    if args.file is not None:
        sha256 = hashlib.sha256(read_bytes(args.file)).hexdigest()
        folder = args.texts or os.path.dirname(args.file) or "."
        path = Path(os.path.relpath(args.file, folder)).as_posix()
    source = Source(
        args.source_id,
        args.title,
        args.outlet,
        args.url,
        args.published,
        language=args.language,
        path=path,
        sha256=sha256,
        note=args.note,
    )
    change = curating.add_source(args.ledger, source)
    pinned = f", sha256 {sha256[:12]}… pinned" if sha256 else ""
    return _finish(change, args, out, f"added source {source.id!r}{pinned}")


def _actor(args: argparse.Namespace, out: Out) -> int:
    actor = Actor(args.actor_id, args.name, tuple(args.alias or ()), args.kind, role=args.role)
    return _finish(curating.add_actor(args.ledger, actor), args, out, f"added actor {actor.id!r}")


def _occasion(args: argparse.Namespace, out: Out) -> int:
    ledger = load(args.ledger)
    occasion = Occasion(
        args.occasion_id,
        args.title,
        args.start,
        args.end,
        place=args.place,
        participants=_actor_ids(ledger, args.participant),
        note=args.note,
    )
    change = curating.add_occasion(args.ledger, occasion)
    return _finish(change, args, out, f"added occasion {occasion.id!r}")


def _correct(args: argparse.Namespace, out: Out) -> int:
    if args.status is not None and args.update is None:
        raise UsageError("--status changes one update: name it by its date (--update DATE)")
    correction = Correction(
        args.on,
        args.pledge_id,
        args.wrong,
        args.change,
        args.why,
        args.update,
        args.was,
        tuple(args.source or ()),
    )
    change = curating.add_correction(args.ledger, correction, args.status)
    what = f"now {args.status}, " if args.status else ""
    dated = f"the update of {args.update}" if args.update else "the pledge"
    return _finish(
        change, args, out, f"corrected {args.pledge_id!r}, {dated}: {what}recorded on {args.on}"
    )


def _init(args: argparse.Namespace, out: Out) -> int:
    curating.init(args.ledger, args.title, args.description)
    out.line(f"{args.ledger}: a new ledger, {args.title!r}; add actors, sources and pledges to it")
    return OK


def _changes(args: argparse.Namespace, out: Out) -> int:
    if args.file is not None:  # two revisions of one file
        raw_old, old_label = revision(args.old, args.file, "OLD")
        raw_new, new_label = version(args.new, args.file, "NEW")
        fmt = format_of(args.file)
    else:
        raw_new, new_label = read_bytes(args.new), args.new
        raw_old, old_label = version(args.old, args.new, "OLD")
        fmt = format_of(args.new)
    new = loads(raw_new, fmt, source=new_label)
    old = loads(raw_old, fmt, source=old_label)
    warn_ranks(args, new)
    found = changes(old, new)
    silent = [r for r in rewrites(old, new) if r.silent]
    ledger_file = args.file or args.new
    out.write(render_changes(found, new, args.format, silent, ledger_file))
    if args.fail_on == "regressions" and any(e.regression for e in found):
        return FAILED
    if args.fail_on == "rewrites" and silent:
        return FAILED
    return OK


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ledger", metavar="LEDGER", help="the .toml or .json ledger to change")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the diff it would make; write nothing"
    )


def _evidence_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", required=True, metavar="SOURCE", help="the source's id")
    parser.add_argument("--quote", help="the source's words, verbatim (checked by verify)")
    parser.add_argument("--summary", help="what the source says, in your words")
    parser.add_argument(
        "--published",
        type=date_argument,
        metavar="DATE",
        help="when the source said it, if not its own date",
    )
    parser.add_argument("--locator", help="where in the source (page, paragraph)")


def add_add(add: argparse.ArgumentParser) -> None:
    """``pledges add``."""
    add.add_argument("pledge_id", metavar="PLEDGE_ID", help="the new pledge's id")
    _common(add)
    add.add_argument("--title", required=True, help="a short title, as a reader scans a list")
    add.add_argument("--text", help="the commitment in plain words (default: the quote)")
    add.add_argument(
        "--made-on", required=True, type=date_argument, metavar="DATE", help="when it was made"
    )
    add.add_argument(
        "--made-by",
        action="append",
        required=True,
        metavar="ACTOR",
        help="who made it, by id, name or alias (repeat for several)",
    )
    add.add_argument(
        "--made-to", action="append", metavar="ACTOR", help="to whom (repeat for several)"
    )
    add.add_argument("--occasion", metavar="OCCASION", help="the occasion it was made on (id)")
    add.add_argument(
        "--kind",
        default="commitment",
        choices=[k.value for k in PledgeKind],
        help="what sort of statement it is (default: commitment)",
    )
    add.add_argument("--topic", action="append", metavar="TOPIC", help="a topic (repeat)")
    add.add_argument(
        "--window", metavar="START/END", help="when it is to be kept: 2025/2027, ../2026-06"
    )
    add.add_argument(
        "--lifecycle",
        default="default",
        metavar="LIFECYCLE",
        help="the status scale it follows (default: default)",
    )
    add.add_argument("--note", help="the coder's note: the reading the pledge rests on")
    _evidence_options(add)
    add.set_defaults(run=_locked(_add))


def add_update(update: argparse.ArgumentParser) -> None:
    """``pledges update``."""
    update.add_argument("pledge_id", metavar="PLEDGE_ID", help="the pledge's id")
    _common(update)
    update.add_argument("--status", metavar="STATUS", help="its status after this step")
    update.add_argument(
        "--date", required=True, type=date_argument, metavar="DATE", help="when the step was"
    )
    moves = update.add_mutually_exclusive_group()
    moves.add_argument("--reaffirm", action="store_true", help="a reaffirmation, status kept")
    moves.add_argument("--reopen", action="store_true", help="out of a final status")
    update.add_argument("--occasion", metavar="OCCASION", help="the occasion of the step (id)")
    update.add_argument("--note", help="the coder's note: why the evidence means this step")
    _evidence_options(update)
    update.set_defaults(run=_locked(_update))


def add_link(link: argparse.ArgumentParser) -> None:
    """``pledges link``."""
    link.add_argument("pledge_id", metavar="PLEDGE_ID", help="the later pledge")
    link.add_argument(
        "kind", choices=[k.value for k in LinkKind], help="how it relates to the earlier one"
    )
    link.add_argument("target", metavar="TARGET", help="the earlier pledge")
    _common(link)
    link.add_argument("--note", help="the judgement behind the link")
    link.set_defaults(run=_locked(_link))


def add_source(parser: argparse.ArgumentParser) -> None:
    """``pledges source add``."""
    source = parser.add_subparsers(dest="what", required=True, metavar="add")
    source_add = source.add_parser("add", help="a web page or a local text (sha256 pinned)")
    source_add.add_argument("source_id", metavar="SOURCE_ID", help="the new source's id")
    _common(source_add)
    source_add.add_argument("--title", required=True, help="its headline, as printed")
    source_add.add_argument("--outlet", help="who published it")
    source_add.add_argument("--url", help="its address (http or https)")
    source_add.add_argument("--file", metavar="PATH", help="a local text; its sha256 is pinned")
    source_add.add_argument(
        "--texts", metavar="DIR", help="the folder verify --texts reads (default: the file's)"
    )
    source_add.add_argument(
        "--published", type=date_argument, metavar="DATE", help="when it was published"
    )
    source_add.add_argument("--language", default="en", help="its language tag (default: en)")
    source_add.add_argument("--note", help="what a reader should know of it")
    source_add.set_defaults(run=_locked(_source))


def add_actor(parser: argparse.ArgumentParser) -> None:
    """``pledges actor add``."""
    actor = parser.add_subparsers(dest="what", required=True, metavar="add")
    actor_add = actor.add_parser("add", help="a state, person or body, with aliases")
    actor_add.add_argument("actor_id", metavar="ACTOR_ID", help="the new actor's id")
    _common(actor_add)
    actor_add.add_argument("--name", required=True, help="the name readers know")
    actor_add.add_argument("--alias", action="append", help="another name (repeat)")
    actor_add.add_argument(
        "--kind",
        default="state",
        choices=[k.value for k in ActorKind],
        help="state, person or body (default: state)",
    )
    actor_add.add_argument("--role", help="for a person: the office held")
    actor_add.set_defaults(run=_locked(_actor))


def add_occasion(parser: argparse.ArgumentParser) -> None:
    """``pledges occasion add``."""
    occasion = parser.add_subparsers(dest="what", required=True, metavar="add")
    add = occasion.add_parser("add", help="a visit, talks, a summit: where pledges are made")
    add.add_argument("occasion_id", metavar="OCCASION_ID", help="the new occasion's id")
    _common(add)
    add.add_argument("--title", required=True, help="what readers call it")
    add.add_argument(
        "--start", required=True, type=date_argument, metavar="DATE", help="its (first) day"
    )
    add.add_argument("--end", type=date_argument, metavar="DATE", help="its last day, if later")
    add.add_argument("--place", help="where it was held")
    add.add_argument(
        "--participant", action="append", metavar="ACTOR", help="who took part (repeat)"
    )
    add.add_argument("--note", help="what a reader should know of it")
    add.set_defaults(run=_locked(_occasion))


def add_correct(parser: argparse.ArgumentParser) -> None:
    """``pledges correct``."""
    parser.add_argument("pledge_id", metavar="PLEDGE_ID", help="the pledge whose call changes")
    _common(parser)
    parser.add_argument(
        "--update",
        type=date_argument,
        metavar="DATE",
        help="the date of the update corrected (as the ledger writes it)",
    )
    parser.add_argument(
        "--status",
        metavar="STATUS",
        help="give that update this status now, in the same change (needs --update)",
    )
    parser.add_argument(
        "--was", metavar="STATUS", help="the status it had (set for you with --status)"
    )
    parser.add_argument("--wrong", required=True, help="what was wrong, in a reader's words")
    parser.add_argument("--change", required=True, help="what changed")
    parser.add_argument("--why", required=True, help="why: the evidence or the rule behind it")
    parser.add_argument(
        "--on", required=True, type=date_argument, metavar="DATE", help="the day of the correction"
    )
    parser.add_argument(
        "--source", action="append", metavar="SOURCE", help="a source that prompted it (repeat)"
    )
    parser.set_defaults(run=_locked(_correct))


def add_init(parser: argparse.ArgumentParser) -> None:
    """``pledges init``."""
    parser.add_argument("ledger", metavar="LEDGER", help="the .toml or .json file to make")
    parser.add_argument("--title", required=True, help="the tracker's title")
    parser.add_argument("--description", help="what the tracker follows, in a sentence")
    parser.set_defaults(run=_init)


def add_changes(review: argparse.ArgumentParser) -> None:
    """``pledges changes``."""
    review.add_argument(
        "old", metavar="OLD", help="a ledger file, or a git revision (of NEW, or of FILE)"
    )
    review.add_argument("new", metavar="NEW", help="the ledger file now, or a git revision of FILE")
    review.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="compare two git revisions of this ledger file (changes HEAD~2 HEAD~1 FILE)",
    )
    review.add_argument(
        "--format",
        "-f",
        default="text",
        choices=CHANGE_FORMATS,
        help="text, markdown (for a review) or json (default: text)",
    )
    review.add_argument(
        "--fail-on",
        choices=("regressions", "rewrites"),
        help="exit 1 (for a CI) on a change that moves a pledge down its scale or removes one "
        "(regressions), or on a published call changed without a correction (rewrites)",
    )
    review.set_defaults(run=_changes)
