"""A lifecycle derived from the status names a tracker uses, and status names matched to a
lifecycle's own, so that an import needs only what the file cannot say.

:func:`derive_lifecycle` makes one status per distinct name, in the order met, and guesses
each one's kind, rank and score from common words (``delivered``, ``kept``, ``achieved``:
kept; ``partly``, ``compromise``: kept in part, ``largely`` and ``mostly`` above
``partly``; ``broken``, ``not delivered``, ``abandoned``: broken; ``superseded``,
``withdrawn``: closed; ``in progress``: open, above the start; ``stalled``: open, below it;
``not started``: the start). Every guess is listed, so that a person can check it and, if
need be, write the lifecycle out (``pledges lifecycle new``) and correct it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from pledges.importers._common import slug
from pledges.lifecycle import Lifecycle, Status, StatusKind

__all__ = ["Guess", "derive_lifecycle", "matching_statuses", "name_key"]


def name_key(name: str) -> str:
    """How status names are compared: case, spaces, hyphens and underscores aside
    (``Not delivered``, ``not-delivered`` and ``NOT_DELIVERED`` are one name)."""
    return re.sub(r"[\s_-]+", " ", name.casefold()).strip()


def matching_statuses(names: Iterable[str], lifecycle: Lifecycle) -> dict[str, str]:
    """The names that are a status's id or label, as :func:`name_key` compares them, each
    with that status's id."""
    known: dict[str, str] = {}
    for status in lifecycle.statuses:
        known.setdefault(name_key(status.id), status.id)
        known.setdefault(name_key(status.label), status.id)
    return {n: known[name_key(n)] for n in names if name_key(n) in known}


@attrs.frozen
class Guess:
    """What a word says of a status: its kind, its rank (higher is further along), its
    score, and the words the guess rests on."""

    kind: StatusKind
    rank: int
    score: int | None
    because: str


# Most specific first: "not delivered" before "delivered", "partly kept" before "kept".
_WORDS: tuple[tuple[str, Guess], ...] = tuple(
    (pattern, Guess(kind, rank, score, pattern))
    for pattern, kind, rank, score in (
        (
            r"\bnot (yet )?(started|rated|begun|assessed)|pending|no action",
            StatusKind.OPEN,
            2,
            None,
        ),
        (
            r"\bnot (delivered|kept|done|met|fulfilled)|broken|abandoned|failed|dropped",
            StatusKind.FAILED,
            0,
            -1,
        ),
        (
            r"superseded|withdrawn|replaced|obsolete|moot|not applicable|\bn ?/ ?a\b",
            StatusKind.CLOSED,
            0,
            None,
        ),
        (r"largely|mostly|substantially", StatusKind.PARTIAL, 5, 0),
        (r"partly|partially|partial|in part|compromise|some progress", StatusKind.PARTIAL, 4, 0),
        (r"stalled|delayed|on hold|blocked|stuck", StatusKind.OPEN, 1, 0),
        (r"in progress|under ?way|in the works|ongoing|started|progressing", StatusKind.OPEN, 3, 0),
        (
            r"delivered|kept|achieved|done|completed|fulfilled|implemented|met",
            StatusKind.FULFILLED,
            6,
            1,
        ),
    )
)


def guess(name: str) -> Guess | None:
    """What a status name's words say of it, or ``None`` when no word is known."""
    key = name_key(name)
    for pattern, found in _WORDS:
        match = re.search(pattern, key)
        if match:
            return attrs.evolve(found, because=match.group().strip())
    return None


_STARTED = Guess(StatusKind.OPEN, 2, None, "no word known: taken as not started")


def derive_lifecycle(
    names: Iterable[str], lifecycle_id: str = "imported", label: str = "Imported"
) -> tuple[Lifecycle, tuple[str, ...]]:
    """A lifecycle with one status per distinct name (compared as :func:`name_key` does), in
    the order met, and the guesses made, one line each.

    The first status is the first name that means "not started", else a status ``made``
    added for it. Every status may move to every other (a tracker's own history is what it
    is); kept, kept-in-part, broken and closed statuses are final and may be reopened to the
    open ones."""
    seen: dict[str, str] = {}
    for name in names:
        if name.strip() and name_key(name) not in seen:
            seen[name_key(name)] = name.strip()
    guessed = {key: guess(name) or _STARTED for key, name in seen.items()}
    start = next((k for k, g in guessed.items() if g.rank == 2 and g.kind is StatusKind.OPEN), None)
    ids: dict[str, str] = {}
    for key, name in seen.items():
        made = slug(name) or "status"
        while made in ids.values():
            made += "-x"
        ids[key] = made
    initial = ids[start] if start is not None else "made"
    notes = [
        f"status {name!r}: {g.kind.value}, rank {g.rank}"
        + ("" if g.score is None else f", score {g.score:+d}")
        + f" (guessed from {g.because!r})"
        for (key, name), g in zip(seen.items(), guessed.values(), strict=True)
    ]
    open_ids = [
        ids[k] for k, g in guessed.items() if g.kind is StatusKind.OPEN and ids[k] != initial
    ]
    statuses = []
    if start is None:
        statuses.append(Status("made", "Made", rank=2, to=tuple(ids.values())))
        notes.insert(0, "no status means 'not started': a first status 'made' was added")
    for key, name in seen.items():
        g, sid = guessed[key], ids[key]
        final = g.kind is not StatusKind.OPEN
        others = tuple(i for i in ids.values() if i not in (sid, initial))
        statuses.append(
            Status(
                sid,
                name,
                g.kind,
                g.score,
                g.rank,
                final,
                to=() if final else others,
                reopen_to=tuple(i for i in open_ids if i != sid) if final else (),
            )
        )
    lifecycle = Lifecycle(lifecycle_id, label, tuple(statuses), initial)
    return lifecycle, tuple(notes)
