"""Charts that reflow: plain markup, no script, no request, the same bytes every time.

- :func:`shares_chart`: a bar a point in time, stacked by where the pledges stood (the
  categories of :mod:`pledges.present.phrases`: kept, kept in part, in progress, not
  started, stalled, broken, closed), each segment with its symbol and count, so that no part
  is told by colour alone (a segment too narrow for them has them after its bar).
- :func:`timeline_chart`: one pledge's dated steps on a time axis, each drawn by the
  precision of its date: a dot for an exact day, a bar across the days, month or year it
  could be in, and the status it led to written beside it with its symbol.

Each bar is an SVG without a ``viewBox``: its shapes are placed in percentages of its width
and its text is sized by the page's style in pixels, so that a phone shows the same labels
at the same size as a desktop (a ``viewBox`` would shrink them with the picture). Every
label is escaped; each chart has a legend and a text alternative, and the pages put a table
of the same numbers beside it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Sequence

import attrs
from markupsafe import Markup, escape

from pledges import escape as clean
from pledges.dates import PartialDate, Precision
from pledges.present.phrases import CATEGORIES, Category

__all__ = ["Shares", "Step", "legend", "shares_chart", "timeline_chart"]

_BY_KEY = {c.key: c for c in CATEGORIES}
_BAR = 78.0
"""The share of a row the longest bar takes (the rest holds the labels of thin segments)."""
_INSIDE = 11.0
"""The narrowest segment, in per cent of the row, that holds its own symbol and count."""


def _text(value: object) -> str:
    return str(escape(clean.terminal(str(value))))


@attrs.frozen
class Shares:
    """The counts by category (:data:`pledges.present.phrases.CATEGORIES` keys) at one point
    in time (a year's end, an occasion)."""

    label: str
    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        """Every pledge counted at this point."""
        return sum(n for _, n in self.counts)


def legend(keys: Collection[str] | None = None) -> Markup:
    """The categories with their colours and symbols, in the charts' order (only ``keys``
    when given)."""
    shown = [c for c in CATEGORIES if keys is None or c.key in keys]
    items = "".join(
        f'<li><span class="swatch k-{c.key}" aria-hidden="true">{c.symbol}</span> '
        f"{_text(c.words)}</li>"
        for c in shown
    )
    return Markup(f'<ul class="legend">{items}</ul>')


def _label(category: Category, count: int) -> str:
    return f"{category.symbol}\u00a0{count}"


def _bar(point: Shares, most: int) -> str:
    counts = dict(point.counts)
    parts, outside = [], []
    x = 0.0
    for category in CATEGORIES:
        count = counts.get(category.key, 0)
        if not count:
            continue
        width = count * _BAR / most
        parts.append(
            f'<rect x="{x:.2f}%" y="0" width="{width:.2f}%" height="100%" '
            f'class="k-{category.key}"><title>{_text(point.label)}: {count} '
            f"{_text(category.words)}</title></rect>"
        )
        if width >= _INSIDE:
            parts.append(
                f'<text x="{x + width / 2:.2f}%" y="17" class="count" text-anchor="middle">'
                f"{_label(category, count)}</text>"
            )
        else:
            outside.append(_label(category, count))
        x += width
    if outside:
        parts.append(f'<text x="{x + 1:.2f}%" y="17" class="beside">{" ".join(outside)}</text>')
    return (
        f'<svg class="bar" width="100%" height="24" aria-hidden="true" focusable="false">'
        f"{''.join(parts)}</svg>"
    )


def shares_chart(points: Sequence[Shares], title: str) -> Markup:
    """A figure of stacked bars, a row a point, with its legend and a text alternative."""
    most = max((p.total for p in points), default=0) or 1
    description = "; ".join(
        f"{p.label}: "
        + ", ".join(f"{n} {_BY_KEY[k].words}" for k, n in p.counts if n and k in _BY_KEY)
        for p in points
    )
    used = {k for p in points for k, n in p.counts if n}
    rows = "".join(
        f'<div class="bar-row"><span class="when">{_text(p.label)}</span>{_bar(p, most)}</div>'
        for p in points
    )
    return Markup(
        f'<figure class="shares"><figcaption>{_text(title)}</figcaption>{legend(used)}'
        f'<div class="bars" role="img" aria-label="{_text(title)}: {_text(description)}">'
        f"{rows}</div></figure>"
    )


@attrs.frozen
class Step:
    """One dated step of a pledge: its date, the status it led to and where that status
    stands (a :data:`~pledges.present.phrases.CATEGORIES` key)."""

    date: PartialDate
    label: str
    category: str


def _year_ticks(start: int, end: int, x: object) -> list[str]:
    years = range(_dt.date.fromordinal(start).year, _dt.date.fromordinal(end).year + 1)
    stride = max(1, len(years) // 12)
    ticks = []
    for index, year in enumerate(years):
        if index % stride and year != years[-1]:
            continue
        # On a narrow screen every other year's label steps aside (the style hides it).
        minor = " minor" if (index // stride) % 2 and len(years) > 6 else ""
        px = x(_dt.date(year, 1, 1).toordinal())  # type: ignore[operator]
        ticks.append(
            f'<line x1="{px:.2f}%" y1="-8" x2="{px:.2f}%" y2="0" class="axis-line"/>'
            f'<text x="{px:.2f}%" y="14" class="axis{minor}" text-anchor="middle">{year}</text>'
        )
    return ticks


def timeline_chart(steps: Sequence[Step], title: str) -> Markup:
    """A pledge's steps on a time axis, a row a step, each by its date's precision, as wide
    as the column it is in."""
    left, right = 3.0, 97.0
    first = min(s.date.first_ordinal for s in steps)
    last = max(s.date.last_ordinal for s in steps)
    start = _dt.date(_dt.date.fromordinal(first).year, 1, 1).toordinal()
    end = _dt.date(_dt.date.fromordinal(last).year + 1, 1, 1).toordinal()
    span = max(end - start, 1)

    def x(ordinal: int) -> float:
        return left + (ordinal - start) * (right - left) / span

    row, top = 28, 10
    axis = top + len(steps) * row + 8
    height = axis + 22
    shapes = []
    for index, step in enumerate(steps):
        y = top + index * row
        x1, x2 = x(step.date.first_ordinal), x(step.date.last_ordinal + 1)
        category = _BY_KEY[step.category]
        if step.date.precision is Precision.DAY:
            shapes.append(
                f'<circle cx="{(x1 + x2) / 2:.2f}%" cy="{y + 6}" r="6" class="k-{category.key}"/>'
            )
        else:
            style = "year" if step.date.precision is Precision.YEAR else "month"
            shapes.append(
                f'<rect x="{x1:.2f}%" y="{y}" width="{max(x2 - x1, 0.8):.2f}%" height="12" '
                f'rx="3" class="k-{category.key} span-{style}"/>'
            )
        middle = (x1 + x2) / 2
        anchor, tx = ("end", f"{x1 - 1:.2f}%") if middle > 50 else ("start", f"{x2 + 1:.2f}%")
        shapes.append(
            f'<text x="{tx}" y="{y + 11}" class="step" text-anchor="{anchor}">'
            f"{category.symbol} {_text(step.date)} {_text(step.label)}</text>"
        )
    description = "; ".join(f"{s.date} ({s.date.precision.name.lower()}): {s.label}" for s in steps)
    ticks = "".join(_year_ticks(start, end, x))
    return Markup(
        f'<figure class="timeline"><figcaption>{_text(title)}</figcaption>'
        f"{legend(sorted({s.category for s in steps}))}"
        f'<svg width="100%" height="{height}" role="img" '
        f'aria-label="{_text(title)}: {_text(description)}">'
        f"{''.join(shapes)}"
        f'<g transform="translate(0 {axis})"><line x1="{left}%" y1="0" x2="{right}%" y2="0" '
        f'class="axis-line"/>{ticks}</g></svg></figure>'
    )
