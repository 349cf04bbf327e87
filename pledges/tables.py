"""The ledger as related tables: one specification, read by every tabular export.

Each :class:`TableSpec` names its columns (a type, whether a value is required, what it
holds), its primary key and foreign keys, and gives its rows; the SQLite database
(:mod:`pledges.database`), the folder of CSV files and the Frictionless data package
(:mod:`pledges.package`) are all written from :data:`TABLES`, as sqlite-utils builds its
inserts from named columns. Lists of records become child tables with a ``position``
column (makers, topics, links, updates, evidence, ...); a partial date is four columns: as
written (``2014-11-26..27``), the first and last days it may stand for (``_first``,
``_last``) and its precision.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal

import attrs

from pledges._structure import SCHEMA_VERSION
from pledges._version import __version__
from pledges.dates import PartialDate, Precision, Window
from pledges.ledger import Ledger
from pledges.lifecycle import StatusKind
from pledges.model import ActorKind, Confidence, LinkKind, PledgeKind, UpdateKind

__all__ = ["TABLES", "Column", "ForeignKey", "TableSpec", "table"]

ColumnType = Literal["string", "integer", "number", "boolean", "date", "array"]
"""A column's type, in Table Schema's words; an ``array`` is a JSON array of texts."""

Row = tuple[Any, ...]


@attrs.frozen
class Column:
    """A column: its name, type, whether every row has a value, what it holds, and the
    values it may take (``enum``) or the pattern its text follows."""

    name: str
    type: ColumnType = "string"
    required: bool = False
    description: str = ""
    enum: tuple[str, ...] = ()
    pattern: str | None = None


@attrs.frozen
class ForeignKey:
    """Columns of a table that name a row of another (``table``'s ``columns``)."""

    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...] = ("id",)


@attrs.frozen
class TableSpec:
    """A table: its name, what a row stands for, its columns, keys and rows."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Ledger], Iterable[Row]] = attrs.field(repr=False)
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    """Columns looked up often enough to index (foreign keys are indexed anyway)."""

    @property
    def column_names(self) -> tuple[str, ...]:
        """The columns' names, in order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column of this name."""
        return next(c for c in self.columns if c.name == name)


PARTIAL_DATE = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}(\.\.[0-9]{2})?)?)?"
"""A partial date as written: a year, a month, a day, or a span of days of one month (a
pattern the whole value matches, as Table Schema reads patterns)."""

_PRECISIONS = tuple(p.name.lower() for p in Precision)


def _date(name: str, required: bool = False, what: str = "") -> tuple[Column, ...]:
    return (
        Column(
            name,
            "string",
            required,
            f"{what} as written (a day, days, month or year)",
            pattern=PARTIAL_DATE,
        ),
        Column(f"{name}_first", "date", required, f"the first day {what} may stand for"),
        Column(f"{name}_last", "date", required, f"the last day {what} may stand for"),
        Column(
            f"{name}_precision", "string", required, "how much of it is known", enum=_PRECISIONS
        ),
    )


def _day(date: PartialDate | None) -> Row:
    if date is None:
        return (None, None, None, None)
    return (str(date), str(date.first), str(date.last), date.precision.name.lower())


def _window(window: Window | None) -> Row:
    if window is None:
        return (None, None, None)
    start = None if window.start is None else str(window.start)
    end = None if window.end is None else str(window.end)
    return (start, end, window.wording)


def _json(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _id(what: str) -> Column:
    return Column("id", "string", True, f"the {what}'s identifier")


def _ref(name: str, what: str, required: bool = True) -> Column:
    return Column(name, "string", required, what)


_POSITION = Column("position", "integer", True, "its place in the list, from 0")


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _ledger_rows(ledger: Ledger) -> Iterator[Row]:
    published = None if ledger.published is None else str(ledger.published)
    yield (
        ledger.title,
        ledger.description,
        published,
        ledger.license,
        ledger.version,
        ledger.method,
        SCHEMA_VERSION,
        f"pledges {__version__}",
    )


def _lifecycle_rows(ledger: Ledger) -> Iterator[Row]:
    return ((c.id, c.label, c.initial, c.description) for c in ledger.known_lifecycles)


def _status_rows(ledger: Ledger) -> Iterator[Row]:
    return (
        (c.id, s.id, s.label, s.kind.value, s.score, s.rank, s.final, i, s.description)
        for c in ledger.known_lifecycles
        for i, s in enumerate(c.statuses)
    )


def _move_rows(ledger: Ledger) -> Iterator[Row]:
    return (
        (c.id, s.id, target, reopen)
        for c in ledger.known_lifecycles
        for s in c.statuses
        for reopen, targets in ((False, s.to), (True, s.reopen_to))
        for target in targets
    )


def _source_rows(ledger: Ledger) -> Iterator[Row]:
    return (
        (s.id, s.title, s.outlet, s.url, *_day(s.published), s.language, s.path, s.sha256, s.note)
        for s in ledger.sources
    )


def _pledge_rows(ledger: Ledger) -> Iterator[Row]:
    return (
        (
            p.id,
            p.title,
            p.text,
            p.kind.value,
            p.occasion,
            p.lifecycle,
            *_day(p.made_on),
            *_window(p.window),
            p.note,
            i,
        )
        for i, p in enumerate(ledger.pledges)
    )


def _extra_rows(ledger: Ledger) -> Iterator[Row]:
    for p in ledger.pledges:
        for i, (name, value) in enumerate(p.extra.items()):
            listed = not isinstance(value, str)
            yield (p.id, i, name, _json(value) if listed else value, listed)


def _update_rows(ledger: Ledger) -> Iterator[Row]:
    return (
        (
            p.id,
            i,
            *_day(u.date),
            p.lifecycle,
            u.status,
            u.kind.value,
            u.note,
            u.occasion,
            None if u.confidence is None else u.confidence.value,
            None if u.alternative is None else u.alternative.status,
            None if u.alternative is None else u.alternative.why,
        )
        for p in ledger.pledges
        for i, u in enumerate(p.history)
    )


def _evidence_rows(ledger: Ledger) -> Iterator[Row]:
    return (
        (p.id, i, j, e.source, e.quote, e.summary, *_day(e.published), e.locator)
        for p in ledger.pledges
        for i, u in enumerate(p.history)
        for j, e in enumerate(u.evidence)
    )


def _search_rows(ledger: Ledger) -> Iterator[Row]:
    return (
        (
            p.id,
            i,
            *_day(s.on),
            _json(s.where),
            _json(s.terms),
            *_window(s.period)[:2],
            s.found,
            _json(s.sources),
        )
        for p in ledger.pledges
        for i, s in enumerate(p.searches)
    )


def _listed(attribute: str) -> Callable[[Ledger], Iterator[Row]]:
    """Rows of a pledge's list of texts or actors (``made_by``, ``made_to``, ``topics``)."""

    def rows(ledger: Ledger) -> Iterator[Row]:
        return (
            (p.id, i, item) for p in ledger.pledges for i, item in enumerate(getattr(p, attribute))
        )

    return rows


def _child(
    name: str,
    description: str,
    column: Column,
    rows: Callable[[Ledger], Iterable[Row]],
    target: str | None = None,
) -> TableSpec:
    """A pledge's list as a table: ``pledge_id``, ``position`` and one column (indexed)."""
    keys = [ForeignKey(("pledge_id",), "pledges")]
    if target is not None:
        keys.append(ForeignKey((column.name,), target))
    return TableSpec(
        name,
        description,
        (_ref("pledge_id", "the pledge"), _POSITION, column),
        rows,
        ("pledge_id", "position"),
        tuple(keys),
        ((column.name,),),
    )


_STATUS = ForeignKey(("lifecycle_id", "status"), "statuses", ("lifecycle_id", "id"))

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "ledger",
        "The ledger itself: its title and the format and program that wrote this export.",
        (
            Column("title", "string", True, "the ledger's title"),
            Column("description", "string", False, "what it follows"),
            Column(
                "published", "string", False, "the day it was first published", pattern=PARTIAL_DATE
            ),
            Column("license", "string", False, "the licence of its data"),
            Column("version", "string", False, "the data's own version"),
            Column("method", "string", False, "the coding rules behind its calls"),
            Column("schema_version", "integer", True, "the version of the ledger format"),
            Column("exported_by", "string", True, "the program that wrote this export"),
        ),
        _ledger_rows,
        (),
    ),
    TableSpec(
        "lifecycles",
        "The status lifecycles the pledges follow.",
        (
            _id("lifecycle"),
            Column("label", "string", True, "its name for readers"),
            Column("initial", "string", True, "the status a pledge starts in"),
            Column("description", "string", False, "what it is for"),
        ),
        _lifecycle_rows,
    ),
    TableSpec(
        "statuses",
        "Each status of each lifecycle, in the lifecycle's order.",
        (
            _ref("lifecycle_id", "the lifecycle"),
            _id("status"),
            Column("label", "string", True, "its name for readers"),
            Column("kind", "string", True, "what kind of standing it is", enum=_values(StatusKind)),
            Column("score", "integer", False, "its compliance score (-1, 0 or +1), if scored"),
            Column("rank", "integer", True, "how far along it is (higher is further)"),
            Column("final", "boolean", True, "whether a pledge's story ends there"),
            _POSITION,
            Column("description", "string", False, "what it means, for readers"),
        ),
        _status_rows,
        ("lifecycle_id", "id"),
        (ForeignKey(("lifecycle_id",), "lifecycles"),),
    ),
    TableSpec(
        "moves",
        "The moves each lifecycle allows between its statuses.",
        (
            _ref("lifecycle_id", "the lifecycle"),
            _ref("from_status", "the status moved from"),
            _ref("to_status", "the status moved to"),
            Column("reopen", "boolean", True, "whether the move reopens a final status"),
        ),
        _move_rows,
        ("lifecycle_id", "from_status", "to_status", "reopen"),
        (
            ForeignKey(("lifecycle_id", "from_status"), "statuses", ("lifecycle_id", "id")),
            ForeignKey(("lifecycle_id", "to_status"), "statuses", ("lifecycle_id", "id")),
        ),
    ),
    TableSpec(
        "actors",
        "The governments, people and bodies that make or receive pledges.",
        (
            _id("actor"),
            Column("name", "string", True, "the actor's name"),
            Column("kind", "string", True, "what kind of actor", enum=_values(ActorKind)),
            Column("role", "string", False, "its role, if given"),
        ),
        lambda ledger: ((a.id, a.name, a.kind.value, a.role) for a in ledger.actors),
    ),
    TableSpec(
        "actor_aliases",
        "Other names of each actor.",
        (_ref("actor_id", "the actor"), _POSITION, Column("alias", "string", True, "a name")),
        lambda ledger: ((a.id, i, n) for a in ledger.actors for i, n in enumerate(a.aliases)),
        ("actor_id", "position"),
        (ForeignKey(("actor_id",), "actors"),),
    ),
    TableSpec(
        "sources",
        "The documents cited as evidence.",
        (
            _id("source"),
            Column("title", "string", True, "its title"),
            Column("outlet", "string", False, "who published it"),
            Column("url", "string", False, "its web address"),
            *_date("published", what="its publication"),
            Column("language", "string", True, "its language (a BCP 47 tag)"),
            Column("path", "string", False, "a local copy, relative to the ledger"),
            Column("sha256", "string", False, "the local copy's SHA-256", pattern="[0-9a-f]{64}"),
            Column("note", "string", False, "a note on the source"),
        ),
        _source_rows,
    ),
    TableSpec(
        "occasions",
        "The meetings, visits and talks at which pledges were made or reviewed.",
        (
            _id("occasion"),
            Column("title", "string", True, "its name"),
            *_date("start", True, "its start"),
            *_date("end", what="its end"),
            Column("place", "string", False, "where it was held"),
            Column("note", "string", False, "a note on it"),
        ),
        lambda ledger: (
            (o.id, o.title, *_day(o.start), *_day(o.end), o.place, o.note) for o in ledger.occasions
        ),
    ),
    TableSpec(
        "occasion_participants",
        "Who took part in each occasion.",
        (_ref("occasion_id", "the occasion"), _POSITION, _ref("actor_id", "the actor")),
        lambda ledger: (
            (o.id, i, a) for o in ledger.occasions for i, a in enumerate(o.participants)
        ),
        ("occasion_id", "position"),
        (ForeignKey(("occasion_id",), "occasions"), ForeignKey(("actor_id",), "actors")),
    ),
    TableSpec(
        "pledges",
        "The commitments: who made them, when and in which words.",
        (
            _id("pledge"),
            Column("title", "string", True, "a short title"),
            Column("text", "string", True, "the commitment in its own words"),
            Column("kind", "string", True, "what kind of commitment", enum=_values(PledgeKind)),
            _ref("occasion_id", "the occasion it was made at", required=False),
            _ref("lifecycle_id", "the lifecycle its statuses follow"),
            *_date("made", True, "its making"),
            Column("window_start", "string", False, "when it was to start", pattern=PARTIAL_DATE),
            Column("window_end", "string", False, "when it was to be done", pattern=PARTIAL_DATE),
            Column("window_wording", "string", False, "its time frame in the source's words"),
            Column("note", "string", False, "a note on the pledge"),
            _POSITION,
        ),
        _pledge_rows,
        foreign_keys=(
            ForeignKey(("occasion_id",), "occasions"),
            ForeignKey(("lifecycle_id",), "lifecycles"),
        ),
    ),
    _child(
        "pledge_makers",
        "Who made each pledge.",
        _ref("actor_id", "an actor"),
        _listed("made_by"),
        "actors",
    ),
    _child(
        "pledge_recipients",
        "To whom each pledge was made.",
        _ref("actor_id", "an actor"),
        _listed("made_to"),
        "actors",
    ),
    _child(
        "pledge_topics",
        "The topics of each pledge.",
        Column("topic", "string", True, "a topic"),
        _listed("topics"),
    ),
    TableSpec(
        "pledge_extra",
        "A tracker's own fields of each pledge (a name and a text, or a JSON array of texts).",
        (
            _ref("pledge_id", "the pledge"),
            _POSITION,
            Column("name", "string", True, "the field's name"),
            Column("value", "string", True, "its text, or its texts as a JSON array"),
            Column("list", "boolean", True, "whether the value is a list of texts"),
        ),
        _extra_rows,
        ("pledge_id", "position"),
        (ForeignKey(("pledge_id",), "pledges"),),
    ),
    TableSpec(
        "links",
        "Links between pledges: one renews, replaces or is part of another.",
        (
            _ref("pledge_id", "the pledge"),
            _POSITION,
            Column("kind", "string", True, "how they are linked", enum=_values(LinkKind)),
            _ref("target_id", "the pledge linked to"),
            Column("note", "string", False, "a note on the link"),
        ),
        lambda ledger: (
            (p.id, i, k.kind.value, k.pledge, k.note)
            for p in ledger.pledges
            for i, k in enumerate(p.links)
        ),
        ("pledge_id", "position"),
        (ForeignKey(("pledge_id",), "pledges"), ForeignKey(("target_id",), "pledges")),
    ),
    TableSpec(
        "updates",
        "Each pledge's history: a status on a date, the first being its making.",
        (
            _ref("pledge_id", "the pledge"),
            _POSITION,
            *_date("date", True, "the update"),
            _ref("lifecycle_id", "the pledge's lifecycle"),
            Column("status", "string", True, "the status it reached"),
            Column("kind", "string", True, "what kind of step", enum=_values(UpdateKind)),
            Column("note", "string", False, "a note on the step"),
            _ref("occasion_id", "the occasion it was reported at", required=False),
            Column("confidence", "string", False, "how sure the call is", enum=_values(Confidence)),
            Column("alternative", "string", False, "another status the evidence could support"),
            Column("alternative_why", "string", False, "why that status was not chosen"),
        ),
        _update_rows,
        ("pledge_id", "position"),
        (ForeignKey(("pledge_id",), "pledges"), _STATUS, ForeignKey(("occasion_id",), "occasions")),
    ),
    TableSpec(
        "evidence",
        "The evidence of each update: a source, with a quote or summary.",
        (
            _ref("pledge_id", "the pledge"),
            Column("update_position", "integer", True, "the update's position"),
            _POSITION,
            _ref("source_id", "the source"),
            Column("quote", "string", False, "the source's words, verbatim"),
            Column("summary", "string", False, "what the source says, in other words"),
            *_date("published", what="the cited item's publication"),
            Column("locator", "string", False, "where in the source (a page, a paragraph)"),
        ),
        _evidence_rows,
        ("pledge_id", "update_position", "position"),
        (
            ForeignKey(("pledge_id", "update_position"), "updates", ("pledge_id", "position")),
            ForeignKey(("source_id",), "sources"),
        ),
    ),
    TableSpec(
        "searches",
        "Where news of each pledge was looked for, and what was found.",
        (
            _ref("pledge_id", "the pledge"),
            _POSITION,
            *_date("searched_on", True, "the search"),
            Column("places", "array", True, "where it searched (a JSON array)"),
            Column("terms", "array", True, "the terms searched for (a JSON array)"),
            Column(
                "period_start", "string", False, "the period searched, from", pattern=PARTIAL_DATE
            ),
            Column("period_end", "string", False, "the period searched, to", pattern=PARTIAL_DATE),
            Column("found", "string", False, "what was found"),
            Column("sources", "array", True, "the sources found (a JSON array of ids)"),
        ),
        _search_rows,
        ("pledge_id", "position"),
        (ForeignKey(("pledge_id",), "pledges"),),
    ),
    TableSpec(
        "corrections",
        "Each correction of a published call: when, which update, what was wrong and why.",
        (
            _POSITION,
            *_date("corrected_on", True, "the correction"),
            Column("pledge_id", "string", True, "the pledge corrected (it may since be gone)"),
            Column(
                "update_date",
                "string",
                False,
                "the date of the update corrected",
                pattern=PARTIAL_DATE,
            ),
            Column("was", "string", False, "the status that update had"),
            Column("wrong", "string", True, "what was wrong"),
            Column("change", "string", True, "what changed"),
            Column("why", "string", True, "why"),
            Column("sources", "array", True, "the sources that prompted it (a JSON array)"),
        ),
        lambda ledger: (
            (
                i,
                *_day(c.on),
                c.pledge,
                None if c.update is None else str(c.update),
                c.was,
                c.wrong,
                c.change,
                c.why,
                _json(c.sources),
            )
            for i, c in enumerate(ledger.corrections)
        ),
        ("position",),
    ),
)
"""Every table of an export, each after those it refers to."""


def table(name: str) -> TableSpec:
    """The table of :data:`TABLES` with this name."""
    for spec in TABLES:
        if spec.name == name:
            return spec
    raise KeyError(name)
