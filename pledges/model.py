"""The records of a ledger: actors, sources, occasions, evidence, updates and pledges.

Every class is a frozen, slotted attrs class holding tuples; change one with
:func:`attrs.evolve`, which returns a new object. Values are checked when a record is built;
rules that span records (references, lifecycles) live in :mod:`pledges.ledger`.
"""

from __future__ import annotations

import re
import reprlib
import unicodedata
from enum import StrEnum
from typing import Any

import attrs

from pledges._checks import as_tuple, id_text, id_texts, non_empty, optional_text
from pledges.dates import DateLike, PartialDate, Window, as_of_day
from pledges.errors import HistoryError, Rule

__all__ = [
    "Actor",
    "ActorKind",
    "Evidence",
    "Link",
    "LinkKind",
    "Occasion",
    "Pledge",
    "PledgeKind",
    "Source",
    "Update",
    "UpdateKind",
    "fold",
]

_SHA256 = re.compile(r"[0-9a-f]{64}")


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


@attrs.frozen
class Actor:
    """A state, person or body, found by its name or any alias.

    >>> lam = Actor("to-lam", "To Lam", aliases=("Tô Lâm",), kind=ActorKind.PERSON)
    >>> lam.answers_to("TÔ LÂM")
    True
    """

    id: str = attrs.field(validator=id_text)
    name: str = attrs.field(validator=non_empty)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=as_tuple)
    kind: ActorKind = ActorKind.STATE
    role: str | None = attrs.field(default=None, validator=optional_text)

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias."""
        return (self.name, *self.aliases)

    def answers_to(self, name: str) -> bool:
        """True when ``name`` is this actor's id, name or an alias, folded (see :func:`fold`)."""
        wanted = fold(name)
        return wanted == fold(self.id) or any(fold(n) == wanted for n in self.names)


def _sha256(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and _SHA256.fullmatch(value) is None:
        raise ValueError(f"'sha256' must be 64 lower-case hex digits (got {reprlib.repr(value)})")


@attrs.frozen
class Source:
    """A document that evidence cites: a local text pinned by its sha256, or a web page.

    ``path`` names the local text, relative to the texts directory given to
    ``pledges verify``; a source with a path must carry its ``sha256``.
    """

    id: str = attrs.field(validator=id_text)
    title: str = attrs.field(validator=non_empty)
    outlet: str | None = attrs.field(default=None, validator=optional_text)
    url: str | None = attrs.field(default=None, validator=optional_text)
    published: PartialDate | None = None
    language: str = "en"
    path: str | None = attrs.field(default=None, validator=optional_text)
    sha256: str | None = attrs.field(default=None, validator=_sha256)
    note: str | None = attrs.field(default=None, validator=optional_text)

    @path.validator
    def _path_needs_hash(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and self.sha256 is None:
            raise ValueError(f"source {self.id!r} has a local 'path' but no 'sha256' to pin it")
        if self.url is None and value is None:
            raise ValueError(f"source {self.id!r} needs a 'url' or a local 'path'")


@attrs.frozen
class Evidence:
    """One link to a source: a verbatim ``quote`` (checkable), a ``summary`` of a page we cite
    but do not hold, or both; ``locator`` says where in the source ("paragraph 7")."""

    source: str = attrs.field(validator=id_text)
    quote: str | None = attrs.field(default=None, validator=optional_text)
    summary: str | None = attrs.field(default=None, validator=optional_text)
    published: PartialDate | None = None
    locator: str | None = attrs.field(default=None, validator=optional_text)

    @summary.validator
    def _quote_or_summary(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if self.quote is None and value is None:
            raise ValueError(f"evidence from {self.source!r} needs a 'quote' or a 'summary'")


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


def _evidence(
    instance: Update, attribute: attrs.Attribute[Any], value: tuple[Evidence, ...]
) -> None:
    if not value:
        raise HistoryError(Rule.EVIDENCE, None, f"the update of {instance.date} has no evidence")


@attrs.frozen
class Update:
    """One dated entry in a pledge's history: the status after it, what kind of step it was,
    the evidence for it (at least one piece), a short note, and the occasion it happened at
    (a signing, a visit), if any. The same status again means a reaffirmation or a progress
    note."""

    date: PartialDate
    status: str = attrs.field(validator=id_text)
    kind: UpdateKind
    evidence: tuple[Evidence, ...] = attrs.field(converter=as_tuple, validator=_evidence)
    note: str | None = attrs.field(default=None, validator=optional_text)
    occasion: str | None = attrs.field(default=None, validator=attrs.validators.optional(id_text))


class LinkKind(StrEnum):
    """How one pledge relates to another."""

    RENEWS = "renews"
    """Restates an earlier pledge (a reaffirmation of it)."""
    SUPERSEDES = "supersedes"
    """Replaces an earlier pledge."""
    PART_OF = "part-of"
    """Is one part of a broader pledge."""


@attrs.frozen
class Link:
    """A link from a pledge to another pledge."""

    kind: LinkKind
    pledge: str = attrs.field(validator=id_text)
    note: str | None = attrs.field(default=None, validator=optional_text)


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


def _history(instance: Pledge, attribute: attrs.Attribute[Any], value: tuple[Update, ...]) -> None:
    if not value:
        raise ValueError(f"pledge {instance.id!r} needs at least one update (its making)")


def _topics(instance: Pledge, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for topic in value:
        if not isinstance(topic, str) or not topic.strip() or topic != topic.strip():
            raise ValueError(
                f"'topics' must hold non-empty trimmed text (got {reprlib.repr(topic)})"
            )


@attrs.frozen
class Pledge:
    """A commitment: who made it, to whom, on which occasion, in which words, and its history.

    ``history[0]`` is the making of the pledge; its date is :attr:`made_on`.
    """

    id: str = attrs.field(validator=id_text)
    title: str = attrs.field(validator=non_empty)
    text: str = attrs.field(validator=non_empty)
    made_by: tuple[str, ...] = attrs.field(converter=as_tuple, validator=id_texts)
    history: tuple[Update, ...] = attrs.field(converter=as_tuple, validator=_history)
    made_to: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=id_texts)
    kind: PledgeKind = PledgeKind.COMMITMENT
    occasion: str | None = attrs.field(default=None, validator=attrs.validators.optional(id_text))
    topics: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=_topics)
    window: Window | None = None
    links: tuple[Link, ...] = attrs.field(default=(), converter=as_tuple)
    lifecycle: str = attrs.field(default="default", validator=id_text)
    note: str | None = attrs.field(default=None, validator=optional_text)

    @made_by.validator
    def _someone_made_it(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value:
            raise ValueError(f"pledge {self.id!r}: 'made_by' names no actor")

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

    def updates_between(self, after: DateLike | None, until: DateLike) -> tuple[Update, ...]:
        """Updates that count as of ``until`` but not as of ``after`` (see the "as of" rule in
        :mod:`pledges.dates`)."""
        last = as_of_day(until).toordinal()
        first = -1 if after is None else as_of_day(after).toordinal()
        return tuple(u for u in self.history if first < u.date.last_ordinal <= last)


@attrs.frozen
class Occasion:
    """Where commitments are made: a visit, talks, a summit."""

    id: str = attrs.field(validator=id_text)
    title: str = attrs.field(validator=non_empty)
    start: PartialDate
    end: PartialDate | None = attrs.field(default=None)
    place: str | None = attrs.field(default=None, validator=optional_text)
    participants: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=id_texts)
    note: str | None = attrs.field(default=None, validator=optional_text)

    @end.validator
    def _end_after_start(self, attribute: attrs.Attribute[Any], value: PartialDate | None) -> None:
        if value is not None and value.certainly_before(self.start):
            raise ValueError(f"occasion {self.id!r} ends ({value}) before it starts ({self.start})")

    @property
    def last(self) -> PartialDate:
        """The last (or only) date of the occasion."""
        return self.start if self.end is None else self.end
