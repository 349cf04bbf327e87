"""What every importer shares (private): the result, the problem collector, ids, signs,
status mappings, web sources and replaying steps under a lifecycle.

Every importer keeps one promise: a pledge it imports holds exactly the status its row (or
its history) gave. A row it cannot take whole is left out and listed, in strict mode as an
error and in lenient mode beside the ledger.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from enum import StrEnum
from urllib.parse import urlsplit

import attrs

from pledges._fields import is_id
from pledges.dates import PartialDate
from pledges.errors import InvalidQuery, LoadError, NotFound, Problem
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.model import Actor, Evidence, Pledge, Source, Update, UpdateKind, fold
from pledges.presets import PRESETS

__all__ = [
    "Collector",
    "IdPolicy",
    "Ids",
    "ImportResult",
    "UnmappedStatuses",
    "fold_signs",
    "replay",
    "slug",
    "status_mapping",
    "url_source",
]

_SLUG = re.compile(r"[^a-z0-9]+")
_SIGNS = {
    "\u2010": "-",  # HYPHEN
    "\u2011": "-",  # NON-BREAKING HYPHEN
    "\u2012": "-",  # FIGURE DASH
    "\u2013": "-",  # EN DASH
    "\u2014": "-",  # EM DASH
    "\u2212": "-",  # MINUS SIGN
    "\ufe63": "-",  # SMALL HYPHEN-MINUS
    "\uff0d": "-",  # FULLWIDTH HYPHEN-MINUS
    "\ufe62": "+",  # SMALL PLUS SIGN
    "\uff0b": "+",  # FULLWIDTH PLUS SIGN
}
_SIGN_TABLE = str.maketrans(_SIGNS)


class UnmappedStatuses(LoadError):
    """An import refused because status names were left unmapped; ``names`` holds each with
    how often it was met (for a command line ready to edit)."""

    def __init__(
        self, source: str, problems: Sequence[Problem], names: Sequence[tuple[str, int]]
    ) -> None:
        super().__init__(source, problems)
        self.names = tuple(names)


@attrs.frozen
class ImportResult:
    """What an import built: the ledger, every problem met (rows left out, in lenient mode)
    and notes on what the import decided (columns read, ids changed, signs folded)."""

    ledger: Ledger
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


def fold_signs(text: str) -> str:
    """``text`` with look-alike minus and plus signs (U+2212, dashes, full-width forms) made
    ASCII, as spreadsheets and word processors write ``−1`` for ``-1``."""
    return text.translate(_SIGN_TABLE)


def sign_names(text: str) -> list[str]:
    """The look-alike signs in ``text``, named (``MINUS SIGN (U+2212)``)."""
    return [f"{unicodedata.name(c)} (U+{ord(c):04X})" for c in dict.fromkeys(text) if c in _SIGNS]


def slug(text: str, limit: int = 60) -> str:
    """An id made from text: ASCII letters and digits joined by ``-``, cut at a word boundary
    past ``limit`` characters; empty when nothing is left."""
    folded = fold(text).encode("ascii", "ignore").decode()  # Đường -> duong
    made = _SLUG.sub("-", folded).strip("-")
    if len(made) > limit:
        made = made[: limit + 1].rsplit("-", 1)[0]
    return made


def cell_key(text: str) -> str:
    """How a status cell or a mapping's name is compared: trimmed, look-alike signs folded,
    inner white space gone next to a sign (``+ 1`` is ``+1``)."""
    return re.sub(r"(?<=[+-])\s+", "", fold_signs(text.strip()))


def status_mapping(mapping: Mapping[str, str], lifecycle: Lifecycle) -> dict[str, str]:
    """``mapping`` (a file's status names onto ``lifecycle``'s ids) keyed by :func:`cell_key`,
    every target checked before a row is read: :class:`~pledges.errors.NotFound` names the
    first target the lifecycle lacks, with its statuses. A name may be empty (blank cells)."""
    keyed: dict[str, str] = {}
    for name, target in mapping.items():
        if target not in lifecycle:
            raise NotFound(
                f"status of lifecycle {lifecycle.id!r} (in statuses, for {name!r})",
                target,
                lifecycle.ids,
            )
        key = cell_key(name)
        if key in keyed and keyed[key] != target:
            raise InvalidQuery(
                f"statuses: {name!r} and another name read alike ({key!r}) but map onto "
                f"{keyed[key]!r} and {target!r}"
            )
        keyed[key] = target
    return keyed


def lifecycles_for(lifecycle: Lifecycle) -> tuple[Lifecycle, ...]:
    """The lifecycles a ledger must declare to hold pledges on ``lifecycle``: none for a
    preset (every ledger knows them), else the lifecycle itself."""
    return () if PRESETS.get(lifecycle.id) == lifecycle else (lifecycle,)


class IdPolicy(StrEnum):
    """How an importer treats the ids a file gives (the ``--ids`` option)."""

    KEEP = "keep"
    """Take each id as given: an ill-formed or repeated id is a problem with its row."""
    CLEAN = "clean"
    """Make an ill-formed id into a well-formed one and suffix a repeated one (``-2``)."""
    DERIVE = "derive"
    """Make every id from the title (for files with no id column)."""


@attrs.define
class Ids:
    """Hands out ids under a policy, each once, reporting every id it changes."""

    policy: IdPolicy = attrs.field(converter=IdPolicy)
    fallback: str = "pledge"
    """The id to start from when a title leaves nothing to make one of."""
    taken: dict[str, str] = attrs.field(factory=dict)  # id -> where it was first given

    def take(self, given: str, title: str, where: str, notes: list[str]) -> str:
        """The id for a record at ``where``; :class:`~pledges.errors.InvalidQuery` (caught as
        a row problem) when the policy keeps ids and this one cannot be kept."""
        if self.policy == IdPolicy.KEEP:
            if not given:
                raise InvalidQuery("blank id (--ids derive makes ids from titles)")
            if not is_id(given):
                raise InvalidQuery(
                    f"{given!r} is not an id: letters, digits and . _ : - only "
                    "(--ids clean makes one from it)"
                )
            if given in self.taken:
                raise InvalidQuery(
                    f"duplicate id {given!r}, first at {self.taken[given]} "
                    "(--ids clean suffixes repeats)"
                )
            self.taken[given] = where
            return given
        base = given if self.policy == IdPolicy.CLEAN and is_id(given) else ""
        base = base or slug(given if self.policy == IdPolicy.CLEAN else title) or self.fallback
        made, number = base, 1
        while made in self.taken:
            number += 1
            made = f"{base}-{number}"
        self.taken[made] = where
        if self.policy == IdPolicy.CLEAN and made != given:
            notes.append(f"{where}: id {given!r} became {made!r}")
        elif self.policy == IdPolicy.DERIVE and made != base:
            notes.append(f"{where}: id {base!r} was taken; this one is {made!r}")
        return made


@attrs.define
class Collector:
    """Problems and notes met during one import, and what it built."""

    name: str
    lenient: bool
    problems: list[Problem] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)
    actors: dict[str, Actor] = attrs.field(factory=dict)
    sources: dict[str, Source] = attrs.field(factory=dict)
    pledges: list[Pledge] = attrs.field(factory=list)
    title: str = "Imported tracker"
    """The ledger's title when the import is given none (made from the file's name)."""
    description: str | None = None
    """Where the data came from, for the ledger's description."""
    unmapped: tuple[tuple[str, int], ...] = ()
    """Status names no mapping took, with how often each was met."""

    def problem(self, where: str, message: str) -> None:
        """Record a problem at ``where``."""
        self.problems.append(Problem(where, message))

    actor_ids: Ids = attrs.field(factory=lambda: Ids(IdPolicy.DERIVE, "actor"))

    def actor(self, name: str) -> str:
        """The id of the actor named ``name``, made once per name."""
        if name not in self.actors:
            self.actors[name] = Actor(self.actor_ids.take("", name, "", []), name)
        return self.actors[name].id

    def url_source(self, url: str) -> Source:
        """The source for a web page, made once per URL (its id from the URL's hash)."""
        return url_source(self.sources, url)

    def result(self, title: str | None, lifecycle: Lifecycle) -> ImportResult:
        """The ledger built (titled from the file's name when ``title`` is ``None``), or
        :class:`~pledges.errors.LoadError` listing every problem in strict mode
        (:class:`UnmappedStatuses` when status names were left unmapped). Only the sources
        some evidence cites are kept."""
        if self.problems and not self.lenient:
            if self.unmapped:
                raise UnmappedStatuses(self.name, self.problems, self.unmapped)
            raise LoadError(self.name, self.problems)
        used = {e.source for p in self.pledges for u in p.history for e in u.evidence}
        ledger = Ledger(
            title or self.title,
            tuple(self.actors.values()),
            tuple(s for s in self.sources.values() if s.id in used),
            (),
            tuple(self.pledges),
            lifecycles_for(lifecycle),
            self.description,
        )
        return ImportResult(ledger, tuple(self.problems), tuple(self.notes))


def url_source(sources: dict[str, Source], url: str) -> Source:
    """The source for a web page, made once per URL (its id from the URL's hash, its outlet
    from its host); raises :class:`~pledges.errors.InvalidField` when ``url`` is not a web
    address."""
    if url not in sources:
        digest = hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        host = urlsplit(url).hostname  # Source below refuses what is not a web address
        outlet = host.removeprefix("www.") if host else None
        sources[url] = Source(f"url-{digest}", url, outlet or None, url=url)
    return sources[url]


Step = tuple[PartialDate, str, tuple[Evidence, ...], "str | None"]
"""One step of a history to replay: its date, status, evidence and note."""


def replay(
    pledge_id: str, steps: Sequence[Step], lifecycle: Lifecycle, where: str
) -> tuple[list[Update], list[Problem]]:
    """Build a history from ``(date, status, evidence, note)`` steps under ``lifecycle``.

    The first step is the making (in the initial status; a first status other than the
    initial one becomes a second update on the same date). A move out of a final status that
    ``reopen_to`` allows becomes a ``reopened`` update. A step the lifecycle forbids is left
    out and reported with the promise, the move and its date: a caller that must not keep a
    pledge at a status its source did not give leaves the pledge out when there is any.
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
        elif lifecycle.status(previous).final:
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


def listed(places: Sequence[object], noun: str = "row", limit: int = 8) -> str:
    """``rows 2, 5 and 9``: the first ``limit`` places, then how many more."""
    shown = [str(p) for p in places[:limit]]
    if len(places) > limit:
        shown.append(f"{len(places) - limit} more")
    text = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"{noun}{'s' * (len(places) != 1)} {text}"
