"""Importing TrumpTracker (trumptracker.github.io, 2017–2018), a real third-party tracker.

The tracker publishes one file, ``data.yaml``: each promise with its status now, its sources
and no dates. Its category becomes the pledge's topic; its tags (phrases such as "Contract
with the American Voter - 100 Day Plan") are kept as an extra field, ``tags``, a list. That
file alone is enough: each promise is made on the earliest date its sources were archived
(web.archive.org captures; a "known at" date) unless ``made_on`` is given, and moved to its
status on ``assessed_on``, the day the copy was taken. A ``status_history.csv`` beside it
(rebuilt from the tracker's git history) adds dated histories: one update per recorded
status, dated by its commit.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pledges._files import read_bytes
from pledges.dates import PartialDate
from pledges.errors import InvalidQuery, LoadError, PledgesError, Problem, shown
from pledges.importers._common import (
    Collector,
    IdPolicy,
    Ids,
    ImportResult,
    Step,
    replay,
    slug,
    status_mapping,
)
from pledges.importers._sheet import read_sheet
from pledges.lifecycle import Lifecycle
from pledges.model import Actor, ActorKind, Evidence, Pledge, Source
from pledges.presets import shipped
from pledges.scales import find

__all__ = ["TRUMPTRACKER_STATUSES", "TRUMPTRACKER_TO_DEFAULT", "import_trumptracker"]

TRUMPTRACKER_STATUSES: dict[str, str] = {
    "Not started": "not-started",
    "In progress": "in-progress",
    "Achieved": "achieved",
    "Broken": "broken",
    "Compromised": "compromised",
}
"""TrumpTracker's status names, mapped onto its own lifecycle (``trumptracker.toml``)."""


def tracker_statuses(lifecycle: Lifecycle) -> dict[str, str]:
    """TrumpTracker's status names mapped onto ``lifecycle``, through the mapping the
    tracker's lifecycle declares onto it (:mod:`pledges.scales`)."""
    if lifecycle.id == "trumptracker":
        return dict(TRUMPTRACKER_STATUSES)
    onto = find("trumptracker", lifecycle.id)
    return {name: onto(status) for name, status in TRUMPTRACKER_STATUSES.items()}


TRUMPTRACKER_TO_DEFAULT: dict[str, str] = tracker_statuses(shipped("default"))
"""TrumpTracker's status names, mapped onto the default lifecycle."""

_REPOSITORY = "https://github.com/TrumpTracker/trumptracker.github.io"
_ARCHIVED = re.compile(r"web\.archive\.org/web/([0-9]{4})([0-9]{2})([0-9]{2})[0-9]*", re.ASCII)
_HISTORY_COLUMNS = (
    *("lineage_id", "final_url", "title_last_seen", "in_final_file"),
    *("from_status", "to_status", "commit_date", "commit"),
)
_TRUMP = Actor("donald-trump", "Donald Trump", ("Trump", "Donald J. Trump"), ActorKind.PERSON)
_VOTERS = Actor("american-voters", "American voters", kind=ActorKind.BODY)


_MAX_YAML = 64 << 20  # data.yaml is 155 kB
_MAX_DEPTH = 64


def _bounded_loader(yaml: Any) -> Any:
    """PyYAML's safe loader, refusing anchors and aliases (data.yaml has none; an alias
    bomb of half a kilobyte would otherwise grow past gigabytes) and nesting deeper than
    :data:`_MAX_DEPTH` (which would otherwise exhaust the stack), each with its line."""

    class Bounded(yaml.SafeLoader):  # type: ignore[misc]
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            mark = self.peek_event().start_mark
            if self.check_event(yaml.AliasEvent):
                raise yaml.composer.ComposerError(
                    None, None, "anchors and aliases are not read", mark
                )
            self.depth += 1
            try:
                if self.depth > _MAX_DEPTH:
                    raise yaml.composer.ComposerError(
                        None, None, f"nested more than {_MAX_DEPTH} levels deep", mark
                    )
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Bounded


def _read_yaml(path: Path) -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - the import extra installs it
        raise PledgesError(
            "importing TrumpTracker needs PyYAML: pip install 'pledges[import]'"
        ) from None
    raw = read_bytes(path, _MAX_YAML)
    try:
        return yaml.load(raw.decode("utf-8-sig"), Loader=_bounded_loader(yaml))
    except UnicodeDecodeError as exc:
        raise LoadError(path.name, [Problem(f"byte {exc.start}", "not UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or type(exc).__name__
        raise LoadError(
            path.name, [Problem(where, f"not YAML that can be read: {reason}")]
        ) from None


def _texts(value: object, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidQuery(f"{field!r} must be a list of texts (got a {type(value).__name__})")
    return [v.strip() for v in value if v.strip()]


def _text(promise: dict[Any, Any], field: str, required: bool = False) -> str:
    value = promise.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidQuery(f"{field!r} must be a text (got {type(value).__name__})")
    return value.strip()


def _history(path: Path, run: Collector) -> dict[str, list[dict[str, str]]]:
    """The rows of ``status_history.csv`` by final URL, oldest first; lineages the tracker
    later removed are noted."""
    sheet = read_sheet(path)
    missing = [c for c in _HISTORY_COLUMNS if c not in sheet.header]
    if missing:
        raise LoadError(sheet.name, [Problem("row 1", f"no column {c!r}") for c in missing])
    lineages: dict[str, list[dict[str, str]]] = {}
    for number, cells in sheet.rows:
        row = dict(zip(sheet.header, cells, strict=False))
        if row.get("in_final_file") == "True":
            row["row"] = str(number)
            lineages.setdefault(row.get("final_url", ""), []).append(row)
        elif not row.get("from_status"):
            title = textwrap.shorten(row.get("title_last_seen", ""), 70, placeholder="...")
            run.notes.append(
                f"lineage {row.get('lineage_id', '?')} ({title!r}) was later removed or merged "
                "by the tracker: not imported"
            )
    for rows in lineages.values():
        rows.sort(key=lambda r: r.get("commit_date", ""))
    return lineages


def import_trumptracker(
    path: str | os.PathLike[str],
    *,
    lifecycle: Lifecycle | None = None,
    statuses: Mapping[str, str] | None = None,
    made_on: PartialDate | str | None = None,
    assessed_on: PartialDate | str | None = None,
    lenient: bool = False,
) -> ImportResult:
    """Import TrumpTracker from its folder or its ``data.yaml`` (see the module's notes).

    By default the import uses TrumpTracker's own lifecycle; with another, the tracker's
    statuses are mapped through the scale mapping its lifecycle declares, or through
    ``statuses``. A promise whose history that lifecycle forbids is left out and listed,
    never kept at a status the tracker did not give. Without a history, ``assessed_on`` is
    required. Malformed data is reported by promise; nothing raises but
    :class:`~pledges.errors.PledgesError`.
    """
    path = Path(path)
    data_file = path / "data.yaml" if path.is_dir() else path
    read_bytes(data_file, _MAX_YAML)  # missing, a folder, a FIFO: says it cannot be read
    history_file = data_file.with_name("status_history.csv")
    lifecycle = lifecycle or shipped("trumptracker")
    mapping = status_mapping(statuses or tracker_statuses(lifecycle), lifecycle)
    made = None if made_on is None else PartialDate.parse(str(made_on))
    assessed = None if assessed_on is None else PartialDate.parse(str(assessed_on))
    run = Collector(data_file.name, lenient)
    lineages = _history(history_file, run) if history_file.is_file() else None
    if lineages is None and assessed is None:
        raise InvalidQuery(
            f"{data_file.name} holds no dates: give the day this copy was taken "
            "(--assessed-on DATE), or put the tracker's status_history.csv beside it"
        )
    data = _read_yaml(data_file)
    promises = data.get("promises") if isinstance(data, dict) else None
    if not isinstance(promises, list):
        raise LoadError(data_file.name, [Problem("$", "expected a mapping with a 'promises' list")])
    run.actors = {a.name: a for a in (_TRUMP, _VOTERS)}
    ids = Ids(IdPolicy.CLEAN)
    for number, promise in enumerate(promises, start=1):
        where = f"promise {number}"
        try:
            if not isinstance(promise, dict):
                raise InvalidQuery(f"expected a mapping (got a {type(promise).__name__})")
            title = _text(promise, "title", required=True)
            where = f"promise {number} ({textwrap.shorten(title, 60, placeholder='...')!r})"
            url = _text(promise, "url", required=True)
            cited = [url, *_texts(promise.get("sources"), "sources")]
            if lineages is None:
                dates = (made, assessed)
                steps = _steps_from_file(promise, cited, mapping, lifecycle, dates, run)
            else:
                steps = _steps_from_history(lineages.get(url), cited, mapping, run)
            pid = ids.take(slug(url.rstrip("/").rsplit("/", 1)[-1]), title, where, run.notes)
            history, problems = replay(pid, steps, lifecycle, where)
            if problems:
                run.problems += problems
                continue
            category = _text(promise, "category")
            tags = tuple(dict.fromkeys(_texts(promise.get("tags"), "tags")))
            run.pledges.append(
                Pledge(
                    pid,
                    title,
                    _text(promise, "description") or title,
                    (_TRUMP.id,),
                    tuple(history),
                    (_VOTERS.id,),
                    topics=(category,) if category else (),
                    extra={"tags": tags} if tags else {},
                    lifecycle=lifecycle.id,
                    note=_note(promise),
                )
            )
        except PledgesError as exc:
            run.problem(where, exc.message)
    title = "TrumpTracker (2017–2018)"
    return run.result(title, lifecycle)


def _status(name: object, mapping: Mapping[str, str]) -> str:
    if not isinstance(name, str) or name.strip() not in mapping:
        raise InvalidQuery(f"status {shown(name)} is not mapped (mapped: {', '.join(mapping)})")
    return mapping[name.strip()]


def _cited(cited: list[str], run: Collector) -> list[Evidence]:
    return [Evidence(run.url_source(u).id, summary="Cited by TrumpTracker.") for u in cited]


def _steps_from_file(
    promise: dict[Any, Any],
    cited: list[str],
    mapping: Mapping[str, str],
    lifecycle: Lifecycle,
    dates: tuple[PartialDate | None, PartialDate | None],
    run: Collector,
) -> list[Step]:
    """The making (on the first of ``dates``, or the earliest archive capture of a source)
    and the status ``data.yaml`` gives, on the second."""
    made, assessed = dates
    status = _status(promise.get("status"), mapping)
    evidence = _cited(cited, run)
    if made is None:
        captures = [
            (PartialDate(int(y), int(m), int(d)), i)
            for i, c in enumerate(cited)
            if (found := _ARCHIVED.search(c))
            for y, m, d in [found.groups()]
        ]
        if not captures:
            raise InvalidQuery("no source was archived on a known day: give --made-on DATE")
        made, first = min(captures)
        evidence[first] = Evidence(
            evidence[first].source,
            summary="Cited by TrumpTracker; its earliest archived copy dates the promise "
            "(a 'known at' date: it may be earlier).",
            published=made,
        )
    assert assessed is not None
    note = "Its status as the tracker's data.yaml gave it on this day."
    making = (made, lifecycle.initial, tuple(evidence), None)
    return [making, (assessed, status, tuple(evidence), note)]


def _steps_from_history(
    rows: list[dict[str, str]] | None,
    cited: list[str],
    mapping: Mapping[str, str],
    run: Collector,
) -> list[Step]:
    """One step per recorded status, dated by its commit (a "known at" date)."""
    if not rows:
        raise InvalidQuery("no status history for its url")
    steps: list[Step] = []
    for row in rows:
        where = f"status_history.csv row {row['row']}"
        commit = row.get("commit", "")
        if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
            raise InvalidQuery(f"{where}: {commit!r} is not a commit")
        date = PartialDate.parse(row.get("commit_date", "")[:10])
        source = run.sources.setdefault(
            commit,
            Source(
                f"commit-{commit[:10]}",
                f"TrumpTracker commit {commit[:10]}",
                "TrumpTracker",
                f"{_REPOSITORY}/commit/{commit}",
                date,
            ),
        )
        first = not row.get("from_status")
        summary = (
            f"First recorded as {row.get('to_status')!r}."
            if first
            else f"Marked {row.get('from_status')!r} -> {row.get('to_status')!r}."
        )
        evidence = [Evidence(source.id, summary=summary, published=date)]
        note = None
        if first:  # the making also cites what the tracker cites for the promise
            evidence += _cited(cited, run)
            note = "Dated by the commit that recorded it (a 'known at' date); it may be earlier."
        steps.append((date, _status(row.get("to_status"), mapping), tuple(evidence), note))
    return steps


def _note(promise: dict[Any, Any]) -> str | None:
    """The promise's status explanation and discussion links, kept rather than dropped."""
    parts = []
    if info := _text(promise, "status_info"):
        parts.append(info)
    if comments := _texts(promise.get("comments"), "comments"):
        parts.append("Discussion: " + " ".join(comments))
    return " ".join(parts) or None
