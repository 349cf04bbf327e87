"""The coder's workbench: ``pledges extract`` (candidate commitments from a text) and
``pledges agreement`` (two codings of one round compared)."""

from __future__ import annotations

import argparse
import json
import re
import tomllib
import unicodedata
from typing import Any

import tomli_w

from pledges import escape
from pledges._files import read_bytes
from pledges.cli._common import OK, Out, date_argument
from pledges.dates import PartialDate
from pledges.errors import NotFound, UsageError
from pledges.extract import MAX_TEXT, Candidate, Cues, cues, extract
from pledges.ledger import Ledger
from pledges.model import Evidence, Pledge, Update, UpdateKind
from pledges.present.render import (
    JSON_VERSION,
    Document,
    Entry,
    Line,
    Section,
    Table,
    render_document,
    to_json,
)

__all__ = ["add_agreement", "add_extract", "candidate_pledge"]

EXTRACT_FORMATS = ("table", "json", "toml")


def _read_text(path: str) -> str:
    raw = read_bytes(path, MAX_TEXT * 4)  # UTF-8: at most four bytes a character
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: not UTF-8 text (byte {exc.start}): extract reads UTF-8"
        ) from None


def _slug(words: str, taken: set[str]) -> str:
    """An id from the first six words, in ASCII (``Việt Nam`` gives ``viet-nam``)."""
    plain = unicodedata.normalize("NFKD", words.casefold().replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    base = "-".join(re.findall(r"[a-z0-9]+", plain)[:6])[:48].strip("-") or "candidate"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    taken.add(found)
    return found


def _title(quote: str) -> str:
    words = quote.strip("\"“”' ").split()
    return " ".join(words[:10]) + ("…" if len(words) > 10 else "")


def _actor(ledger: Ledger | None, speaker: str | None) -> str | None:
    """The ledger's actor the speaker names, tried whole and word by word."""
    if ledger is None or not speaker:
        return None
    tries = [speaker, re.sub(r"^the\s+|\s+side$", "", speaker, flags=re.IGNORECASE)]
    for part in re.split(r"\s+and\s+", speaker):
        words = part.split()
        tries += [" ".join(words[-n:]) for n in (3, 2, 1) if len(words) >= n]
    for name in tries:
        try:
            return ledger.actor(name).id
        except NotFound:
            continue
    return None


def candidate_pledge(
    candidate: Candidate,
    source: str,
    made_on: PartialDate,
    initial: str,
    made_by: tuple[str, ...],
    taken: set[str],
) -> Pledge:
    """A pledge from a candidate: its quote as the text and the evidence of its making, an
    id and a title from its first words (a person edits both)."""
    making = Update(made_on, initial, UpdateKind.MADE, (Evidence(source, quote=candidate.quote),))
    return Pledge(
        _slug(candidate.quote, taken),
        _title(candidate.quote),
        candidate.quote,
        made_by,
        (making,),
        kind=candidate.kind,
    )


def _listing(path: str, found: tuple[Candidate, ...], width: int) -> str:
    """Each candidate as a block: its number, kind, who, specificity and place, the cues
    that matched, and the quote."""
    entries = tuple(
        Entry(
            f"{c.number}. {c.kind.value}; who: {c.speaker or 'not said'}; specificity "
            f"{c.specificity:.1f}; characters {c.start}-{c.end}",
            (Line(f"cues: {', '.join(c.cues)}"), Line(f"“{c.quote}”")),
        )
        for c in found
    )
    section = Section("Candidates", entries=entries, empty="None: no sentence has a cue.")
    count = f"{len(found)} candidate{'s' * (len(found) != 1)}"
    document = Document(
        "candidates",
        f"{path}: {count}",
        (
            "Accept one with --accept N --ledger FILE --source ID, or write them as TOML "
            "(--format toml) to edit and paste.",
        ),
        (section,),
        Table("candidates", (), ()),
    )
    return render_document(document, "simple", width=width)


def _snippet(found: tuple[Candidate, ...], source: str, ledger: Ledger | None, made: str) -> str:
    taken = {p.id for p in ledger.pledges} if ledger is not None else set()
    parts = [
        "# Candidates from `pledges extract`: edit each id, title and made_by, delete those that\n"
        "# are not commitments, and paste the rest into the ledger (pledges validate checks).\n"
    ]
    for c in found:
        actor = _actor(ledger, c.speaker)
        record: dict[str, Any] = {
            "id": _slug(c.quote, taken),
            "title": _title(c.quote),
            "text": c.quote,
            "kind": c.kind.value,
            "made_by": [actor] if actor else [],
            "history": [
                {
                    "date": made,
                    "status": "made",
                    "kind": "made",
                    "evidence": [{"source": source, "quote": c.quote}],
                }
            ],
        }
        who = f"who: {c.speaker}" if c.speaker else "who: not said"
        cues_said = ", ".join(c.cues)
        parts.append(
            f"\n# candidate {c.number} (characters {c.start}–{c.end}); {who}; cues: "
            f"{cues_said}; specificity {c.specificity}\n"
        )
        parts.append(escape.unicode_escapes(tomli_w.dumps({"pledges": [record]})))
    return "".join(parts)


def _extract(args: argparse.Namespace, out: Out) -> int:
    text = _read_text(args.text)
    rules: Cues = cues(args.cues or args.language)
    found = extract(text, rules)
    ledger = None
    if args.ledger is not None:
        from pledges.serialization import load

        ledger = load(args.ledger)
    if args.accept:
        return _accept(args, out, found, ledger)
    source = args.source or "SOURCE"
    if args.format == "json":
        body = {
            "pledges_json": JSON_VERSION,
            "kind": "candidates",
            "text": args.text,
            "source": args.source,
            "candidates": [
                {
                    "number": c.number,
                    "quote": c.quote,
                    "start": c.start,
                    "end": c.end,
                    "speaker": c.speaker,
                    "cues": list(c.cues),
                    "specificity": c.specificity,
                    "kind": c.kind.value,
                }
                for c in found
            ],
        }
        out.write(to_json(body))
    elif args.format == "toml":
        made = str(args.made_on) if args.made_on else "YYYY-MM-DD"
        if ledger is not None and args.source and args.made_on is None:
            published = ledger.source(args.source).published
            made = str(published) if published else made
        out.write(_snippet(found, source, ledger, made))
    else:
        out.write(_listing(args.text, found, out.width))
    return OK


def _accept(
    args: argparse.Namespace, out: Out, found: tuple[Candidate, ...], ledger: Ledger | None
) -> int:
    from pledges import curate

    if ledger is None or args.source is None:
        raise UsageError("--accept adds to a ledger: give --ledger FILE and --source ID")
    source = ledger.source(args.source)
    made_on = args.made_on or source.published
    if made_on is None:
        raise UsageError(f"source {source.id!r} has no date: give --made DATE")
    by_number = {c.number: c for c in found}
    taken = {p.id for p in ledger.pledges}
    for number in args.accept:
        candidate = by_number.get(number)
        if candidate is None:
            raise UsageError(f"no candidate {number}: the text has {len(found)}")
        made_by = tuple(ledger.actor(a).id for a in args.by or ())
        if not made_by:
            actor = _actor(ledger, candidate.speaker)
            if actor is None:
                said = candidate.speaker or "nobody named"
                raise UsageError(
                    f"candidate {number} names no actor of the ledger (who: {said}); "
                    "give --by ACTOR"
                )
            made_by = (actor,)
        lifecycle = ledger.lifecycle("default")
        pledge = candidate_pledge(candidate, source.id, made_on, lifecycle.initial, made_by, taken)
        curate.add_pledge(args.ledger, pledge).write()
        ledger = ledger.evolve(pledges=(*ledger.pledges, pledge))
        out.line(f"{args.ledger}: added {pledge.id!r} from candidate {number}")
    return OK


def add_extract(parser: argparse.ArgumentParser) -> None:
    """``pledges extract``."""
    parser.add_argument("text", metavar="TEXT", help="a UTF-8 text file (a news report)")
    parser.add_argument(
        "--format",
        "-f",
        default="table",
        choices=EXTRACT_FORMATS,
        help="table, json, or toml (pledges to edit and paste into a ledger); default table",
    )
    parser.add_argument("--source", metavar="ID", help="the ledger's source id of the text")
    parser.add_argument(
        "--ledger", metavar="LEDGER", help="the ledger: to name actors, and to add to (--accept)"
    )
    parser.add_argument(
        "--accept",
        type=int,
        action="append",
        metavar="N",
        help="add candidate N to --ledger as a pledge (repeat for more), its quote as the "
        "evidence of its making from --source",
    )
    parser.add_argument(
        "--by", action="append", metavar="ACTOR", help="who made the accepted pledges"
    )
    parser.add_argument(
        "--made",
        dest="made_on",
        type=date_argument,
        metavar="DATE",
        help="when they were made (default: the source's publication date)",
    )
    parser.add_argument("--language", default="en", help="the cues of this language (shipped: en)")
    parser.add_argument(
        "--cues", metavar="FILE", help="a cue file of your own (see pledges/cues/en.toml)"
    )
    parser.set_defaults(run=_extract)


# -- agreement ------------------------------------------------------------------------


def _mapping(path: str) -> dict[str, str | None]:
    raw = read_bytes(path, 1 << 20)
    try:
        data = json.loads(raw) if path.endswith(".json") else tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a mapping file ({exc})") from None
    pairs = data.get("map") if isinstance(data, dict) else None
    if not isinstance(pairs, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()
    ):
        raise UsageError(
            f'{path}: expected a table [map] of A\'s ids to B\'s ("a-id" = "b-id", or '
            '"a-id" = "" for none)'
        )
    return {k: (v or None) for k, v in pairs.items()}


def _agreement(args: argparse.Namespace, out: Out) -> int:
    from pledges.agreement import agreement
    from pledges.cli._git import version
    from pledges.present.agreement import render_agreement
    from pledges.serialization import format_of, loads

    raw_a, label_a = version(args.a, args.b, "A")  # a file, or a git revision of the other
    raw_b, label_b = version(args.b, args.a, "B")
    fmt = format_of(args.a if label_a == args.a else args.b)
    first = loads(raw_a, fmt, source=label_a)
    second = loads(raw_b, fmt, source=label_b)
    mapping = _mapping(args.map) if args.map else None
    result = agreement(first, second, args.baseline, args.outcome, mapping=mapping)
    out.write(render_agreement(result, args.format, (label_a, label_b), width=out.width))
    return OK


def add_agreement(parser: argparse.ArgumentParser) -> None:
    """``pledges agreement``."""
    parser.add_argument(
        "a", metavar="A", help="the first coding: a ledger file, or a git revision of B"
    )
    parser.add_argument(
        "b", metavar="B", help="the second coding: a ledger file, or a git revision of A"
    )
    parser.add_argument(
        "--baseline", metavar="OCCASION|DATE", help="the round (default: A's first round)"
    )
    parser.add_argument(
        "--outcome", metavar="OCCASION|DATE", help="judged when (default: A's last round)"
    )
    parser.add_argument(
        "--map",
        metavar="FILE",
        help='a TOML file: [map] "a-id" = "b-id" for pledges whose ids differ ("" for none)',
    )
    parser.add_argument(
        "--format",
        "-f",
        default="text",
        choices=("text", "markdown", "json"),
        help="text, markdown (for a review) or json (default: text)",
    )
    parser.set_defaults(run=_agreement)
