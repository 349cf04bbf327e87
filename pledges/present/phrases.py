"""The reader's vocabulary: every phrase a report, a page or a feed shows, in one place.

What a change means in words ("moved forward", "restated, no new step", "no news found"),
where a status stands for a reader (kept, in progress, stalled, ...) with the symbol and
colour every picture gives it, a move and a step, a source as readers know it, a renewal, a
search, dates in words. The terminal, Markdown, HTML and the site all take their words from
here, so that no two of them can drift apart.
"""

from __future__ import annotations

import attrs

from pledges.dates import PartialDate, Window
from pledges.diff import Change, Point
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle, StatusKind
from pledges.model import Evidence, Pledge, Search, Update, UpdateKind

__all__ = [
    "ARROW",
    "CATEGORIES",
    "CHANGE_WORDS",
    "Category",
    "category",
    "change_words",
    "cite",
    "doubt",
    "human_date",
    "human_window",
    "move",
    "plural",
    "point_name",
    "renewal",
    "renewal_notes",
    "search_line",
    "step",
    "step_words",
]

ARROW = "→"
"""The arrow of a status move; a terminal that cannot show it gets ``->``."""

CHANGE_WORDS: dict[Change, str] = {
    Change.FULFILLED: "kept",
    Change.PROGRESSED: "moved forward",
    Change.REAFFIRMED: "restated",
    Change.REGRESSED: "moved back",
    Change.CLOSED: "closed",
    Change.NO_EVIDENCE: "no news found",
    Change.NEW: "new",
}
"""What each class of the round-to-round diff means, in a reader's words ("no news found" is
never "broken")."""


def change_words(change: Change) -> str:
    """A diff class in a reader's words."""
    return CHANGE_WORDS[change]


@attrs.frozen
class Category:
    """Where a status stands, for a reader: ``key`` (the pages' class and the colour's name),
    the words, and the symbol shown beside every colour, so that nothing is told by colour
    alone."""

    key: str
    words: str
    symbol: str


CATEGORIES: tuple[Category, ...] = (
    Category("fulfilled", "kept", "✓"),
    Category("partial", "kept in part", "◐"),
    Category("progress", "in progress", "▲"),
    Category("open", "not started", "○"),
    Category("stalled", "stalled", "▼"),
    Category("failed", "broken", "✗"),
    Category("closed", "closed", "■"),
)
"""Every category, in the order of the charts, legends, counts and filters."""

_BY_KEY = {c.key: c for c in CATEGORIES}
_BY_KIND = {
    StatusKind.FULFILLED: "fulfilled",
    StatusKind.PARTIAL: "partial",
    StatusKind.FAILED: "failed",
    StatusKind.CLOSED: "closed",
}


def category(lifecycle: Lifecycle, status_id: str) -> Category:
    """Where a status stands: its kind, and for a status still open, whether it ranks above
    the lifecycle's first status (in progress), below it (stalled: a step back), or with it
    (not started)."""
    status = lifecycle.status(status_id)
    if status.kind is not StatusKind.OPEN:
        return _BY_KEY[_BY_KIND[status.kind]]
    first = lifecycle.status(lifecycle.initial)
    direction = lifecycle.progress(first.id, status.id)
    return _BY_KEY["progress" if direction > 0 else "stalled" if direction < 0 else "open"]


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 pledge``, ``2 pledges``, ``0 pledges``."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def move(lifecycle: Lifecycle, before: str | None, after: str) -> str:
    """A status move in the lifecycle's labels: ``Made → In progress``; ``still Made`` when
    the status stayed; ``made`` for a pledge not made before (``made (Negotiating)`` when it
    starts in a status of another name)."""
    if before is None:
        label = lifecycle.label_of(after)
        return "made" if label.casefold() == "made" else f"made ({label})"
    if before == after:
        return f"still {lifecycle.label_of(after)}"
    return f"{lifecycle.label_of(before)} {ARROW} {lifecycle.label_of(after)}"


_STEP_WORDS = {
    UpdateKind.REAFFIRMED: "restated",
    UpdateKind.SETBACK: "set back",
    UpdateKind.CLOSED: "closed",
    UpdateKind.REOPENED: "reopened",
}


def step_words(update: Update) -> str | None:
    """What kind of step an update was, when that is not plain progress or the making:
    ``restated``, ``set back``, ``closed``, ``reopened``."""
    return _STEP_WORDS.get(update.kind)


def step(lifecycle: Lifecycle, update: Update) -> str:
    """One step of a history: the status it led to, and what kind of step it was when that
    is not plain progress (``In progress (restated)``)."""
    label = lifecycle.label_of(update.status)
    words = step_words(update)
    return f"{label} ({words})" if words else label


def doubt(lifecycle: Lifecycle, update: Update | None) -> str | None:
    """How contestable a call is, from the update it rests on: ``medium confidence; could
    also be In progress: business forums were held`` (``None`` when it says nothing)."""
    if update is None or (update.confidence is None and update.alternative is None):
        return None
    parts = []
    if update.confidence is not None:
        parts.append(f"{update.confidence.value} confidence")
    if update.alternative is not None:
        other = lifecycle.label_of(update.alternative.status)
        parts.append(f"could also be {other}: {update.alternative.why}")
    return "; ".join(parts)


def cite(ledger: Ledger, evidence: Evidence | str) -> str:
    """A source as readers know it: its outlet and publication date (``VietNamNet,
    2015-12``), the headline where there is no outlet."""
    source = ledger.source(evidence if isinstance(evidence, str) else evidence.source)
    published = None if isinstance(evidence, str) else evidence.published
    published = published or source.published
    name = source.outlet or source.title
    return f"{name}, {published}" if published else name


def renewal(ledger: Ledger, later: Pledge) -> str:
    """A later pledge that renews one: ``renewed by ID (DATE, OCCASION)``."""
    occasion = ledger.occasion(later.occasion).title if later.occasion else None
    where = f", {occasion}" if occasion else ""
    return f"renewed by {later.id} ({later.made_on}{where})"


def renewal_notes(later: Pledge, pledge: Pledge) -> tuple[str, ...]:
    """The judgements behind ``later``'s renewing ``pledge`` (the notes of its links)."""
    return tuple(link.note for link in later.links if link.pledge == pledge.id and link.note)


def search_line(search: Search) -> str:
    """A search in words: when, where, and what it found (``nothing found``)."""
    return f"searched {search.on}: {', '.join(search.where)}; {search.found or 'nothing found'}"


_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def human_date(date: PartialDate | None) -> str:
    """``12 May 2025``, ``26 or 27 November 2014``, ``October 2024 (month only)``, ``2025
    (year only)``."""
    if date is None:
        return ""
    if date.month is None:
        return f"{date.year} (year only)"
    month = _MONTHS[date.month - 1]
    if date.day is None:
        return f"{month} {date.year} (month only)"
    if date.until is not None:
        days = (
            f"{date.day} or {date.until}"
            if date.until == date.day + 1
            else f"{date.day}–{date.until}"
        )
        return f"{days} {month} {date.year}"
    return f"{date.day} {month} {date.year}"


def point_name(point: Point) -> str:
    """A baseline or outcome as readers know it: the occasion's title, or the day in words."""
    if point.occasion is not None:
        return point.occasion.title
    return human_date(PartialDate.of(point.day))


def human_window(window: Window) -> str:
    """``26 November 2014 to 2015 (year only)``, ``until 2027 (year only)``, ``from May 2025
    (month only)``, with the source's own wording after it."""
    start, end = human_date(window.start), human_date(window.end)
    if start and end:
        text = f"{start} to {end}"
    elif end:
        text = f"until {end}"
    elif start:
        text = f"from {start}"
    else:
        text = "open-ended"
    return f"{text} ({window.wording})" if window.wording else text
