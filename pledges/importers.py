"""Bring existing trackers in: a generic CSV importer and one for TrumpTracker.

Importers never crash on bad rows and never drop data silently. Every row or step they cannot
take is reported as a :class:`~pledges.errors.Problem` located by row or promise. Moves that
the chosen lifecycle forbids are listed too. In strict mode (the default) any problem raises
:class:`~pledges.errors.LoadError` with all of them. With ``lenient=True`` the importer
imports what it can and returns the problems beside the ledger.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from pledges.dates import PartialDate
from pledges.errors import InvalidDate, LoadError, PledgesError, Problem
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.model import Actor, ActorKind, Evidence, Pledge, Source, Update, UpdateKind
from pledges.presets import DEFAULT, shipped

__all__ = [
    "TRUMPTRACKER_STATUSES",
    "TRUMPTRACKER_TO_DEFAULT",
    "Columns",
    "ImportResult",
    "import_csv",
    "import_trumptracker",
    "replay",
]

_SLUG = re.compile(r"[^a-z0-9]+")
_LOOKALIKE_DASHES = {
    "\u2212": "MINUS SIGN",
    "\u2013": "EN DASH",
    "\u2014": "EM DASH",
    "\u2010": "HYPHEN",
    "\u2011": "NON-BREAKING HYPHEN",
}


@attrs.frozen
class ImportResult:
    """What an import built, and every problem met on the way (empty when all went in)."""

    ledger: Ledger
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


@attrs.frozen
class Columns:
    """Which CSV column holds what. ``None`` means the file has no such column.

    ``sources`` may hold several URLs in one cell, split on ``separator``; so may ``actors``
    and ``topics``.
    """

    id: str = "id"
    title: str = "title"
    status: str = "status"
    date: str = "date"
    text: str | None = "text"
    actors: str | None = "actor"
    topics: str | None = "topic"
    sources: str | None = "source_url"
    quote: str | None = "quote"
    separator: str = ";"


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = _SLUG.sub("-", folded).strip("-")
    if len(slug) > 60:  # cut at a word boundary
        slug = slug[:61].rsplit("-", 1)[0]
    return slug or "x"


def _split(cell: str, separator: str) -> list[str]:
    return [part.strip() for part in cell.split(separator) if part.strip()]


def _url_source(sources: dict[str, Source], url: str) -> Source:
    """The source for a web page, made once per URL (its id from the URL's hash)."""
    digest = hashlib.sha1(url.encode()).hexdigest()[:10]
    return sources.setdefault(url, Source(f"url-{digest}", url, url=url))


def _date(text: str) -> PartialDate:
    for char, name in _LOOKALIKE_DASHES.items():
        if char in text:
            raise InvalidDate(text, f"it uses {name} (U+{ord(char):04X}) where '-' belongs")
    return PartialDate.parse(text)


def replay(
    pledge_id: str,
    steps: Sequence[tuple[PartialDate, str, tuple[Evidence, ...], str | None]],
    lifecycle: Lifecycle,
    where: str,
) -> tuple[list[Update], list[Problem]]:
    """Build a history from ``(date, status, evidence, note)`` steps under ``lifecycle``.

    The first step is the making (in the initial status; a first status other than the
    initial one becomes a second update on the same date). A move out of a final status that
    ``reopen_to`` allows becomes a ``reopened`` update. A step the lifecycle forbids is left
    out and reported with the promise, the move and its date.
    """
    history: list[Update] = []
    problems: list[Problem] = []
    for index, (date, status, evidence, note) in enumerate(steps):
        if not history:
            history.append(Update(date, lifecycle.initial, UpdateKind.MADE, evidence, note))
            if status == lifecycle.initial:
                continue
        previous = history[-1].status
        if status == previous:
            kind = UpdateKind.REAFFIRMED
        elif lifecycle.status(previous).final if previous in lifecycle else False:
            kind = UpdateKind.REOPENED
        else:
            kind = UpdateKind.PROGRESS
        candidate = Update(date, status, kind, evidence, note)
        errors = lifecycle.violations([*history, candidate], pledge_id)
        if errors:
            problems.append(Problem(f"{where}, step {index}", errors[-1].message))
            continue
        history.append(candidate)
    return history, problems


def import_csv(
    source: str | os.PathLike[str] | bytes,
    statuses: Mapping[str, str],
    *,
    columns: Columns | None = None,
    lifecycle: Lifecycle = DEFAULT,
    title: str = "Imported tracker",
    lenient: bool = False,
) -> ImportResult:
    """Import a spreadsheet with one promise a row.

    ``statuses`` maps the file's status names onto ``lifecycle``'s ids. Each row gives a
    pledge made on its date, moved to its status; its evidence cites each URL in the sources
    cell (or, with none, the file itself, pinned by its sha256). Rows with problems (a blank
    required cell, an unknown status, a malformed date, a duplicate id) are reported by row
    number and left out. Rows are numbered as a spreadsheet shows them: the header is row 1,
    and a quoted cell running over several lines stays in one row.
    """
    columns = columns or Columns()
    if isinstance(source, bytes):
        raw, name = source, "<csv>"
    else:
        raw, name = Path(source).read_bytes(), Path(source).name
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(name, [Problem(f"byte {exc.start}", "the file is not UTF-8")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    wanted = [c for c in attrs.astuple(columns)[:-1] if c is not None]
    missing = [
        c
        for c in (columns.id, columns.title, columns.status, columns.date)
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        found = ", ".join(reader.fieldnames or [])
        raise LoadError(
            name,
            [Problem("row 1", f"missing column {c!r} (the file has: {found})") for c in missing],
        )
    file_source = Source(
        "import-file",
        f"The imported file {name}",
        path=name,
        sha256=hashlib.sha256(raw).hexdigest(),
    )
    actors: dict[str, Actor] = {}
    sources: dict[str, Source] = {}
    pledges: list[Pledge] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for row_number, row in enumerate(reader, start=2):
        where = f"row {row_number}"
        if None in row:
            problems.append(Problem(where, "more cells than the header has columns"))
            continue
        cell = {c: (row.get(c) or "").strip() for c in wanted}

        def get(column: str | None, cell: dict[str, str] = cell) -> str:
            return "" if column is None else cell.get(column, "")

        blank = [c for c in (columns.id, columns.title, columns.status, columns.date) if not get(c)]
        if blank:
            problems.append(Problem(where, f"blank {', '.join(repr(c) for c in blank)}"))
            continue
        pid = get(columns.id)
        if pid in seen:
            problems.append(Problem(where, f"duplicate id {pid!r} (first at row {seen[pid]})"))
            continue
        status = statuses.get(get(columns.status))
        if status is None:
            known = ", ".join(repr(s) for s in statuses)
            problems.append(
                Problem(where, f"status {get(columns.status)!r} is not mapped (mapped: {known})")
            )
            continue
        try:
            date = _date(get(columns.date))
            evidence = []
            for url in _split(get(columns.sources), columns.separator):
                cited = _url_source(sources, url)
                evidence.append(Evidence(cited.id, summary=f"Cited by {name}, {where}."))
            if not evidence:
                evidence.append(Evidence(file_source.id, summary=f"{name}, {where}."))
            quote = get(columns.quote)
            if quote:
                evidence[0] = attrs.evolve(evidence[0], quote=quote)
            makers = []
            for actor_name in _split(get(columns.actors), columns.separator) or ["Unknown"]:
                actor = actors.setdefault(actor_name, Actor(_slug(actor_name), actor_name))
                makers.append(actor.id)
            history, steps_problems = replay(
                pid, [(date, status, tuple(evidence), None)], lifecycle, where
            )
            problems += steps_problems
            pledge = Pledge(
                pid,
                get(columns.title),
                get(columns.text) or get(columns.title),
                tuple(makers),
                tuple(history),
                topics=tuple(_split(get(columns.topics), columns.separator)),
                lifecycle=lifecycle.id,
            )
        except (PledgesError, ValueError, TypeError) as exc:
            problems.append(Problem(where, str(exc)))
            continue
        seen[pid] = row_number
        pledges.append(pledge)
    return _finish(
        name,
        title,
        actors.values(),
        [file_source, *sources.values()],
        pledges,
        lifecycle,
        problems,
        lenient,
    )


def _finish(
    name: str,
    title: str,
    actors: Iterable[Actor],
    sources: Sequence[Source],
    pledges: Sequence[Pledge],
    lifecycle: Lifecycle,
    problems: Sequence[Problem],
    lenient: bool,
    notes: Sequence[str] = (),
) -> ImportResult:
    if problems and not lenient:
        raise LoadError(name, problems)
    used = {e.source for p in pledges for u in p.history for e in u.evidence}
    ledger = Ledger(
        title,
        tuple(actors),
        tuple(s for s in sources if s.id in used),
        (),
        tuple(pledges),
        (lifecycle,),
    )
    return ImportResult(ledger, tuple(problems), tuple(notes))


TRUMPTRACKER_STATUSES: dict[str, str] = {
    "Not started": "not-started",
    "In progress": "in-progress",
    "Achieved": "achieved",
    "Broken": "broken",
    "Compromised": "compromised",
}
"""TrumpTracker's status names, mapped onto its own lifecycle (``trumptracker.toml``)."""

TRUMPTRACKER_TO_DEFAULT: dict[str, str] = {
    "Not started": "made",
    "In progress": "in-progress",
    "Achieved": "fulfilled",
    "Broken": "broken",
    "Compromised": "partially-fulfilled",
}
"""TrumpTracker's status names, mapped onto the default lifecycle."""

_REPOSITORY = "https://github.com/TrumpTracker/trumptracker.github.io"


def import_trumptracker(
    folder: str | os.PathLike[str],
    *,
    lifecycle: Lifecycle | None = None,
    statuses: Mapping[str, str] | None = None,
    lenient: bool = False,
) -> ImportResult:
    """Import TrumpTracker's ``data.yaml`` and rebuild each promise's history from
    ``status_history.csv`` (the tracker's git history).

    The commit dates say when volunteers edited the file, not when events happened: they are
    the updates' dates and their evidence's publication dates ("known at" dates), and each
    update cites its commit. By default the import uses TrumpTracker's own lifecycle; pass
    another with a status mapping (``statuses``) to see which of its moves that lifecycle
    forbids. Promises the tracker later removed or merged are listed in the notes.
    """
    import yaml  # an optional dependency: pip install 'pledges[import]'

    folder = Path(folder)
    lifecycle = lifecycle or shipped("trumptracker")
    mapping = dict(statuses or TRUMPTRACKER_STATUSES)
    try:
        data = yaml.safe_load((folder / "data.yaml").read_text(encoding="utf-8"))
        history_text = (folder / "status_history.csv").read_text(encoding="utf-8-sig")
    except (OSError, yaml.YAMLError) as exc:
        raise LoadError(str(folder), [Problem("", f"cannot read the tracker: {exc}")]) from None
    lineages: dict[str, list[dict[str, str]]] = {}
    notes: list[str] = []
    for row in csv.DictReader(io.StringIO(history_text, newline="")):
        if row["in_final_file"] == "True":
            lineages.setdefault(row["final_url"], []).append(row)
        elif not row["from_status"]:
            title = textwrap.shorten(row["title_last_seen"], 70, placeholder="...")
            notes.append(
                f"lineage {row['lineage_id']} ({title!r}) was later "
                "removed or merged by the tracker: not imported"
            )
    trump = Actor("donald-trump", "Donald Trump", ("Trump", "Donald J. Trump"), ActorKind.PERSON)
    voters = Actor("american-voters", "American voters", kind=ActorKind.BODY)
    sources: dict[str, Source] = {}
    pledges: list[Pledge] = []
    problems: list[Problem] = []
    for number, promise in enumerate(data.get("promises") or [], start=1):
        where = f"promise {number} ({promise.get('title', '')!r})"
        url = promise.get("url", "")
        rows = lineages.get(url)
        if not rows:
            problems.append(Problem(where, f"no status history for {url!r}; left out"))
            continue
        steps = []
        for row in sorted(rows, key=lambda r: r["commit_date"]):
            commit = row["commit"]
            date = PartialDate.parse(row["commit_date"][:10])
            source = sources.setdefault(
                commit,
                Source(
                    f"commit-{commit[:10]}",
                    f"TrumpTracker commit {commit[:10]}",
                    "TrumpTracker",
                    f"{_REPOSITORY}/commit/{commit}",
                    date,
                ),
            )
            status = mapping.get(row["to_status"])
            if status is None:
                problems.append(Problem(where, f"status {row['to_status']!r} is not mapped"))
                break
            first = not row["from_status"]
            summary = (
                f"First recorded as {row['to_status']!r}."
                if first
                else f"Marked {row['from_status']!r} -> {row['to_status']!r}."
            )
            note = (
                (
                    "Dated by the commit that recorded it (a 'known at' date); the event may "
                    "be earlier."
                )
                if first
                else None
            )
            evidence = [Evidence(source.id, summary=summary, published=date)]
            if first:  # the making also cites what the tracker cites for the promise
                for cited in [url, *(promise.get("sources") or [])]:
                    page = _url_source(sources, cited)
                    evidence.append(Evidence(page.id, summary="Cited by TrumpTracker."))
            steps.append((date, status, tuple(evidence), note))
        else:
            pid = _slug(url.rstrip("/").rsplit("/", 1)[-1])
            history, replay_problems = replay(pid, steps, lifecycle, where)
            problems += replay_problems
            topics = [promise.get("category") or "", *(promise.get("tags") or [])]
            text = (promise.get("description") or "").strip() or promise["title"]
            pledges.append(
                Pledge(
                    pid,
                    promise["title"],
                    text,
                    (trump.id,),
                    tuple(history),
                    (voters.id,),
                    topics=tuple(t.strip() for t in topics if t and t.strip()),
                    lifecycle=lifecycle.id,
                    note=_tracker_note(promise),
                )
            )
    title = "TrumpTracker (2017–2018)"
    found = list(sources.values())
    return _finish(
        str(folder), title, [trump, voters], found, pledges, lifecycle, problems, lenient, notes
    )


def _tracker_note(promise: dict[str, Any]) -> str | None:
    """The promise's status explanation and discussion links, kept rather than dropped."""
    parts = []
    if info := (promise.get("status_info") or "").strip():
        parts.append(info)
    if comments := [c for c in promise.get("comments") or [] if c]:
        parts.append("Discussion: " + " ".join(comments))
    return " ".join(parts) or None
