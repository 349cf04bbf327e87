"""The records of a ledger: actors, sources, occasions, evidence, updates, searches, pledges.

Every class is a frozen, slotted attrs class holding tuples; change one with
:func:`attrs.evolve`, which returns a new object. Every field is checked (or converted: ISO
text to a :class:`~pledges.dates.PartialDate`, ``"made"`` to :class:`UpdateKind`, a list to a
tuple) when a record is built, and a bad value raises
:class:`~pledges.errors.InvalidField` naming the class, the field and the value. Rules that
span records (references, lifecycles, links) live in :mod:`pledges.ledger`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Any

import attrs

from pledges import _fields as f
from pledges.dates import PartialDate, Window, to_date
from pledges.errors import HistoryError, InvalidField, InvalidQuery, Rule, shown

__all__ = [
    "Actor",
    "ActorKind",
    "Alternative",
    "Confidence",
    "Correction",
    "Evidence",
    "Extra",
    "Link",
    "LinkKind",
    "Occasion",
    "Pledge",
    "PledgeKind",
    "Search",
    "Source",
    "Update",
    "UpdateKind",
    "fold",
]

_date = f.instance_of(PartialDate)
_optional_date = f.optional(_date)
_optional_window = f.optional(f.instance_of(Window))


def fold(name: str) -> str:
    """Fold a name for look-ups: case, diacritics and spacing do not count.

    >>> fold("  Tô   Lâm ") == fold("to lam")
    True
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Letters that do not decompose into a base letter plus a mark.
    stripped = stripped.translate(_EXTRA_FOLDS)
    return " ".join(stripped.casefold().split())


_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"})


class ActorKind(StrEnum):
    """What sort of actor makes or receives pledges."""

    STATE = "state"
    PERSON = "person"
    BODY = "body"


def _actor_kind(value: object) -> Any:
    return f.member(ActorKind, value)


@attrs.frozen
class Actor:
    """A state, person or body, found by its name or any alias.

    >>> lam = Actor("to-lam", "To Lam", aliases=("Tô Lâm",), kind=ActorKind.PERSON)
    >>> lam.answers_to("TÔ LÂM")
    True
    """

    id: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(validator=f.text)
    aliases: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.trimmed_texts
    )
    kind: ActorKind = attrs.field(
        default=ActorKind.STATE,
        converter=_actor_kind,
        validator=f.member_of(ActorKind),
    )
    role: str | None = attrs.field(default=None, validator=f.optional_text)

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias."""
        return (self.name, *self.aliases)

    def answers_to(self, name: str) -> bool:
        """True when ``name`` is this actor's id, name or an alias, folded (see :func:`fold`)."""
        wanted = fold(name)
        return wanted == fold(self.id) or any(fold(n) == wanted for n in self.names)


@attrs.frozen(repr=False)
class Source:
    """A document that evidence cites: a local text pinned by its sha256, or a web page.

    ``path`` names the local text, relative to the texts directory given to
    ``pledges verify``; a source with a path must carry its ``sha256``. ``url`` is an
    ``http`` or ``https`` address. ``title`` is the headline as the outlet printed it.
    """

    id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(validator=f.text)
    outlet: str | None = attrs.field(default=None, validator=f.optional_text)
    url: str | None = attrs.field(
        default=None, validator=f.optional(f.checked(f.is_web_address, "an http(s) address"))
    )
    published: PartialDate | None = attrs.field(
        default=None, converter=to_date, validator=_optional_date
    )
    language: str = attrs.field(
        default="en", validator=f.checked(f.is_language, "a language tag such as 'en'")
    )
    path: str | None = attrs.field(
        default=None,
        validator=f.optional(f.checked(f.is_relative_path, "a relative path inside the texts")),
    )
    sha256: str | None = attrs.field(
        default=None,
        validator=f.optional(f.checked(f.is_sha256, "64 lower-case hex digits")),
    )
    note: str | None = attrs.field(default=None, validator=f.optional_text)

    def __repr__(self) -> str:
        return f"Source({self.id!r}, {shown(self.title)}, {shown(self.outlet or self.url)})"

    @path.validator
    def _path_needs_hash(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and self.sha256 is None:
            raise InvalidField("Source", "sha256", None, "given with a local 'path' (to pin it)")
        if self.url is None and value is None:
            raise InvalidField("Source", "url", None, "given when there is no local 'path'")


@attrs.frozen(repr=False)
class Evidence:
    """One link to a source: a verbatim ``quote`` (checkable), a ``summary`` of a page we cite
    but do not hold, or both; ``locator`` says where in the source ("paragraph 7");
    ``published`` overrides the source's date for this piece (a live page updated later)."""

    source: str = attrs.field(validator=f.identifier)
    quote: str | None = attrs.field(default=None, validator=f.optional_text)
    summary: str | None = attrs.field(default=None, validator=f.optional_text)
    published: PartialDate | None = attrs.field(
        default=None, converter=to_date, validator=_optional_date
    )
    locator: str | None = attrs.field(default=None, validator=f.optional_text)

    def __repr__(self) -> str:
        said = f"quote={shown(self.quote)}" if self.quote else f"summary={shown(self.summary)}"
        return f"Evidence({self.source!r}, {said})"

    @summary.validator
    def _quote_or_summary(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if self.quote is None and value is None:
            raise InvalidField("Evidence", "summary", None, "given when there is no 'quote'")


class UpdateKind(StrEnum):
    """What kind of step an update records."""

    MADE = "made"
    """The making of the pledge: always the first update, and only the first."""
    PROGRESS = "progress"
    """A step forward (or a progress note, when the status stays)."""
    SETBACK = "setback"
    """A step back."""
    REAFFIRMED = "reaffirmed"
    """The pledge restated; the status usually stays."""
    CLOSED = "closed"
    """Withdrawn, superseded, terminated: the matter is closed."""
    REOPENED = "reopened"
    """A move out of a final status; needs evidence like every update."""


def _update_kind(value: object) -> Any:
    return f.member(UpdateKind, value)


def _some_evidence(
    instance: Update, attribute: attrs.Attribute[Any], value: tuple[Evidence, ...]
) -> None:
    if not value:
        raise HistoryError(Rule.EVIDENCE, None, f"the update of {instance.date} has no evidence")


_evidence: list[f.Validator] = [f.tuple_of(Evidence), _some_evidence]


class Confidence(StrEnum):
    """How sure the coder is of a call, given the evidence."""

    HIGH = "high"
    """The evidence settles it."""
    MEDIUM = "medium"
    """The evidence supports it, and a careful reader could still see it otherwise."""
    LOW = "low"
    """The evidence is thin or indirect; another call is nearly as defensible."""


def _confidence(value: object) -> Any:
    return f.member(Confidence, value)


@attrs.frozen
class Alternative:
    """Another status the evidence of an update could support, and why it was not chosen: a
    reader sees which calls are contestable, and on what."""

    status: str = attrs.field(validator=f.identifier)
    why: str = attrs.field(validator=f.text)


@attrs.frozen(repr=False)
class Update:
    """One dated entry in a pledge's history: the status after it, what kind of step it was,
    the evidence for it (at least one piece), a short note (the reading of the evidence, where
    the call rests on a judgement), and the occasion it happened at (a signing, a visit), if
    any. The same status again means a reaffirmation or a progress note. ``confidence`` and
    ``alternative`` say how contestable the call is."""

    date: PartialDate = attrs.field(converter=to_date, validator=_date)
    status: str = attrs.field(validator=f.identifier)
    kind: UpdateKind = attrs.field(converter=_update_kind, validator=f.member_of(UpdateKind))
    evidence: tuple[Evidence, ...] = attrs.field(converter=f.to_tuple, validator=_evidence)
    note: str | None = attrs.field(default=None, validator=f.optional_text)
    occasion: str | None = attrs.field(default=None, validator=f.optional_id)
    confidence: Confidence | None = attrs.field(
        default=None, converter=_confidence, validator=f.optional(f.member_of(Confidence))
    )
    alternative: Alternative | None = attrs.field(
        default=None, validator=f.optional(f.instance_of(Alternative))
    )

    def __repr__(self) -> str:
        cited = ", ".join(dict.fromkeys(e.source for e in self.evidence))
        return f"Update({self.date}, {self.status!r}, {self.kind.value}, cites {shown(cited)})"

    def with_status(self, status: str) -> Update:
        """The same update calling another status; an alternative that named that status
        is spent (it is the call now), and goes."""
        alternative = self.alternative
        if alternative is not None and alternative.status == status:
            alternative = None
        return attrs.evolve(self, status=status, alternative=alternative)


class LinkKind(StrEnum):
    """How one pledge relates to another."""

    RENEWS = "renews"
    """Restates an earlier pledge (a reaffirmation of it)."""
    SUPERSEDES = "supersedes"
    """Replaces an earlier pledge."""
    PART_OF = "part-of"
    """Is one part of a broader pledge."""
    SHARE_OF = "share-of"
    """Is one member's share of a commitment made by a group (a scorecard's cell): the
    whole is counted through its shares, never on its own."""


def _link_kind(value: object) -> Any:
    return f.member(LinkKind, value)


@attrs.frozen
class Link:
    """A link from a pledge to another pledge; ``note`` gives the judgement behind it (why
    the later pledge renews the earlier one)."""

    kind: LinkKind = attrs.field(converter=_link_kind, validator=f.member_of(LinkKind))
    pledge: str = attrs.field(validator=f.identifier)
    note: str | None = attrs.field(default=None, validator=f.optional_text)


@attrs.frozen(repr=False)
class Search:
    """A search for news of a pledge, so that "no evidence" means "nothing found after
    looking": when it was made, where (outlets, archives), over which period, with which
    terms, what it found (``None``: nothing) and the sources behind that finding."""

    on: PartialDate = attrs.field(converter=to_date, validator=_date)
    where: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.trimmed_texts)
    terms: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.trimmed_texts)
    period: Window | None = attrs.field(default=None, validator=_optional_window)
    found: str | None = attrs.field(default=None, validator=f.optional_text)
    sources: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.identifiers
    )

    def __repr__(self) -> str:
        return f"Search({self.on}, {shown(', '.join(self.where))}, found={shown(self.found)})"

    @where.validator
    def _somewhere(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value:
            raise InvalidField("Search", "where", value, "at least one outlet or archive")


class PledgeKind(StrEnum):
    """What sort of statement of intent a pledge records (the G7/G20 Research Group's
    definition of a commitment: a specific statement of intent about the future)."""

    COMMITMENT = "commitment"
    """Made by one side or both: "will", "pledged", "agreed to"."""
    OFFER = "offer"
    """Made conditionally: "ready to ... if you are interested"."""
    REQUEST = "request"
    """Asked of the other side: ``made_by`` asked, ``made_to`` was asked."""
    INVITATION = "invitation"
    """An invitation given (and, in its history, accepted or taken up)."""
    AGREEMENT = "agreement"
    """A document signed or a treaty to conclude."""


def _pledge_kind(value: object) -> Any:
    return f.member(PledgeKind, value)


def _made(instance: Pledge, attribute: attrs.Attribute[Any], value: tuple[Update, ...]) -> None:
    if not value:
        raise InvalidField("Pledge", "history", value, "at least one update (its making)")


_history: list[f.Validator] = [f.tuple_of(Update), _made]


class Extra(Mapping[str, "str | tuple[str, ...]"]):
    """A pledge's extra fields: a tracker's own columns (``era``, ``party``, ``area``), kept
    under their own names, each a text or a tuple of texts. A read-only mapping, in the order
    given, hashable; any field can be grouped and filtered on like a built-in one.

    >>> extra = Extra({"era": "labour", "party": ("labour", "greens")})
    >>> extra["era"], list(extra)
    ('labour', ['era', 'party'])
    >>> extra.values_of("party")
    ('labour', 'greens')
    """

    __slots__ = ("_items", "_table")
    _items: tuple[tuple[str, str | tuple[str, ...]], ...]
    _table: dict[str, str | tuple[str, ...]]

    def __init__(self, items: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> None:
        table: dict[str, str | tuple[str, ...]] = {}
        for pair in tuple(items.items() if isinstance(items, Mapping) else items):
            if not (isinstance(pair, tuple | list) and len(pair) == 2):
                raise InvalidField("Pledge", "extra", pair, "(name, text) pairs")
            name, value = pair
            if isinstance(value, list):
                value = tuple(value)
            if not f.is_trimmed_text(name):
                raise InvalidField("Pledge", "extra", name, "names of visible, trimmed text")
            if not (
                f.is_visible(value)
                or (isinstance(value, tuple) and value and all(map(f.is_visible, value)))
            ):
                raise InvalidField(
                    "Pledge", "extra", value, f"a text or a list of texts (for {name!r})"
                )
            if name in table:
                raise InvalidField("Pledge", "extra", name, "a name given once")
            table[name] = value
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_items", tuple(table.items()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, name: str) -> str | tuple[str, ...]:
        return self._table[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Extra):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._table == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Extra({self._table!r})"

    def __reduce__(self) -> tuple[type[Extra], tuple[tuple[Any, ...]]]:
        return (Extra, (self._items,))

    def as_dict(self) -> dict[str, str | list[str]]:
        """A plain dict: each field's text, or its texts as a list."""
        return {k: v if isinstance(v, str) else list(v) for k, v in self._items}

    def text(self, name: str) -> str:
        """The field as one text (a list's items joined by ``"; "``); "" when absent."""
        return "; ".join(self.values_of(name))

    def values_of(self, name: str) -> tuple[str, ...]:
        """The field as a tuple of texts: one for a text, none when absent."""
        value = self._table.get(name)
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else value


def _to_extra(value: object) -> Any:
    """Converter: a mapping or pairs to :class:`Extra`; anything else is passed on for the
    field's rule to refuse."""
    if isinstance(value, Extra) or not isinstance(value, Mapping | tuple | list):
        return value
    return Extra(value)


@attrs.frozen(repr=False)
class Pledge:
    """A commitment: who made it, to whom, on which occasion, in which words, and its history.

    ``history[0]`` is the making of the pledge; its date is :attr:`made_on`. ``searches``
    record where news of it was looked for; ``extra`` keeps fields an importer found no
    place for (a spreadsheet's other columns), under their own names (:class:`Extra`).
    """

    id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(validator=f.text)
    text: str = attrs.field(validator=f.text)
    made_by: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.identifiers)
    history: tuple[Update, ...] = attrs.field(converter=f.to_tuple, validator=_history)
    made_to: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.identifiers
    )
    kind: PledgeKind = attrs.field(
        default=PledgeKind.COMMITMENT,
        converter=_pledge_kind,
        validator=f.member_of(PledgeKind),
    )
    occasion: str | None = attrs.field(default=None, validator=f.optional_id)
    topics: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.trimmed_texts
    )
    window: Window | None = attrs.field(default=None, validator=_optional_window)
    links: tuple[Link, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Link)
    )
    lifecycle: str = attrs.field(default="default", validator=f.identifier)
    note: str | None = attrs.field(default=None, validator=f.optional_text)
    searches: tuple[Search, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Search)
    )
    extra: Extra = attrs.field(default=Extra(), converter=_to_extra, validator=f.instance_of(Extra))

    def __repr__(self) -> str:
        updates = f"{len(self.history)} update{'s' * (len(self.history) != 1)}"
        return (
            f"Pledge({self.id!r}, {shown(self.title)}, made {self.made_on}, {updates}, "
            f"now {self.status!r})"
        )

    def update_on(self, date: PartialDate | None) -> int:
        """The place in the history of the one update dated ``date`` (written as the file
        writes it); :class:`~pledges.errors.InvalidQuery` when there is none, or several."""
        found = [i for i, u in enumerate(self.history) if u.date == date]
        if len(found) != 1:
            dates = ", ".join(str(u.date) for u in self.history)
            raise InvalidQuery(
                f"pledge {self.id!r} has {'no update' if not found else 'several updates'} "
                f"dated {date} (its updates: {dates})"
            )
        return found[0]

    def _repr_html_(self) -> str:
        """A notebook's view: its words and each step of its history."""
        from pledges.present.notebook import pledge_html

        return pledge_html(self)

    @made_by.validator
    def _someone_made_it(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value:
            raise InvalidField("Pledge", "made_by", value, "at least one actor")

    @property
    def made_on(self) -> PartialDate:
        """The date of the first update: when the pledge was made."""
        return self.history[0].date

    @property
    def status(self) -> str:
        """The status after the last update."""
        return self.history[-1].status

    def linked(self, kind: LinkKind) -> tuple[str, ...]:
        """The ids of the pledges this one links to with ``kind``."""
        return tuple(link.pledge for link in self.links if link.kind is kind)


@attrs.frozen(repr=False)
class Occasion:
    """Where commitments are made: a visit, talks, a summit."""

    id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(validator=f.text)
    start: PartialDate = attrs.field(converter=to_date, validator=_date)
    end: PartialDate | None = attrs.field(default=None, converter=to_date, validator=_optional_date)
    place: str | None = attrs.field(default=None, validator=f.optional_text)
    participants: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.identifiers
    )
    note: str | None = attrs.field(default=None, validator=f.optional_text)

    def __repr__(self) -> str:
        days = f"{self.start}" + ("" if self.end is None else f" to {self.end}")
        return f"Occasion({self.id!r}, {shown(self.title)}, {days})"

    @end.validator
    def _end_after_start(self, attribute: attrs.Attribute[Any], value: PartialDate | None) -> None:
        if value is not None and value.certainly_before(self.start):
            raise InvalidField("Occasion", "end", value, f"on or after its start ({self.start})")

    @property
    def last(self) -> PartialDate:
        """The last (or only) date of the occasion."""
        return self.start if self.end is None else self.end


@attrs.frozen(repr=False)
class Correction:
    """A correction to a published call, kept in the open: the day it was made (``on``), the
    pledge and the date of the update it corrects, the status that update had (``was``),
    what was wrong, what changed and why, and the sources that prompted it. History is never
    rewritten without one (see :func:`pledges.edits.rewrites`)."""

    on: PartialDate = attrs.field(converter=to_date, validator=_date)
    pledge: str = attrs.field(validator=f.identifier)
    wrong: str = attrs.field(validator=f.text)
    change: str = attrs.field(validator=f.text)
    why: str = attrs.field(validator=f.text)
    update: PartialDate | None = attrs.field(
        default=None, converter=to_date, validator=_optional_date
    )
    was: str | None = attrs.field(default=None, validator=f.optional_id)
    sources: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.identifiers
    )

    def __repr__(self) -> str:
        return f"Correction({self.on}, {self.pledge!r}, {shown(self.change)})"
