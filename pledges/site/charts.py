"""Charts as inline SVG: plain markup, no script, no request, the same bytes every time.

- :func:`shares_chart`: stacked bars, one a point in time, of how many pledges were in each
  kind of status (kept, kept in part, broken, closed, open); every segment carries its count
  as text, so no part of the chart is told by colour alone.
- :func:`timeline_chart`: one pledge's dated steps on a time axis, each drawn by the
  precision of its date: a dot for an exact day, a bar across the month or the year it
  could be in, and the status it led to written beside it.

Every label is escaped; the SVG has a title and a description for screen readers, and the
pages put a table of the same numbers beside each chart.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import attrs
from markupsafe import Markup, escape

from pledges import escape as clean
from pledges.dates import PartialDate, Precision

__all__ = ["KIND_NAMES", "KIND_ORDER", "Shares", "Step", "shares_chart", "timeline_chart"]

KIND_ORDER = ("fulfilled", "partial", "open", "failed", "closed")
"""The order of status kinds in the charts and their legends."""

KIND_NAMES: dict[str, str] = {
    "fulfilled": "kept",
    "partial": "kept in part",
    "open": "open",
    "failed": "broken",
    "closed": "closed",
}
"""Each status kind in words, as the charts and the pages' filters name it."""


def _text(value: object) -> str:
    return str(escape(clean.terminal(str(value))))


@attrs.frozen
class Shares:
    """The counts by status kind at one point (a year's end, an occasion)."""

    label: str
    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        """Every pledge counted at this point."""
        return sum(n for _, n in self.counts)


def shares_chart(points: Sequence[Shares], title: str) -> Markup:
    """Stacked bars of counts by status kind, one bar a point."""
    width, label_width, bar_height, gap = 640, 96, 22, 8
    top = 28
    height = top + len(points) * (bar_height + gap) + 8
    most = max((p.total for p in points), default=0) or 1
    scale = (width - label_width - 16) / most
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-labelledby="shares-title shares-desc">',
        f'<title id="shares-title">{_text(title)}</title>',
        '<desc id="shares-desc">'
        + _text(
            "; ".join(
                f"{p.label}: " + ", ".join(f"{n} {KIND_NAMES[k]}" for k, n in p.counts if n)
                for p in points
            )
        )
        + "</desc>",
    ]
    x = label_width
    for kind in KIND_ORDER:  # the legend
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" class="k-{kind}"/>')
        parts.append(f'<text x="{x + 16}" y="14" class="legend">{KIND_NAMES[kind]}</text>')
        x += 16 + 7 * len(KIND_NAMES[kind]) + 14
    for row, point in enumerate(points):
        y = top + row * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" class="axis" text-anchor="end">'
            f"{_text(point.label)}</text>"
        )
        x0 = float(label_width)
        counts = dict(point.counts)
        for kind in KIND_ORDER:
            count = counts.get(kind, 0)
            if not count:
                continue
            w = count * scale
            parts.append(
                f'<rect x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                f'class="k-{kind}"><title>{_text(point.label)}: {count} '
                f"{KIND_NAMES[kind]}</title></rect>"
            )
            if w >= 18:
                parts.append(
                    f'<text x="{x0 + w / 2:.1f}" y="{y + 15}" class="count" '
                    f'text-anchor="middle">{count}</text>'
                )
            x0 += w
    parts.append("</svg>")
    return Markup("\n".join(parts))


@attrs.frozen
class Step:
    """One dated step of a pledge: its date, the status it led to and that status's kind."""

    date: PartialDate
    label: str
    kind: str


def timeline_chart(steps: Sequence[Step], title: str) -> Markup:
    """A pledge's steps on a time axis, each by its date's precision."""
    width, left, right = 640, 24, 24
    first = min(s.date.first_ordinal for s in steps)
    last = max(s.date.last_ordinal for s in steps)
    start = _dt.date(_dt.date.fromordinal(first).year, 1, 1).toordinal()
    end = _dt.date(_dt.date.fromordinal(last).year + 1, 1, 1).toordinal()
    span = max(end - start, 1)
    rows = len(steps)
    height = 44 + rows * 26

    def x(ordinal: int) -> float:
        return left + (ordinal - start) * (width - left - right) / span

    years = range(_dt.date.fromordinal(start).year, _dt.date.fromordinal(end).year + 1)
    stride = max(1, len(years) // 10)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart timeline" role="img" aria-labelledby="tl-title tl-desc">',
        f'<title id="tl-title">{_text(title)}</title>',
        '<desc id="tl-desc">'
        + _text("; ".join(f"{s.date} ({s.date.precision.name.lower()}): {s.label}" for s in steps))
        + "</desc>",
        f'<line x1="{left}" y1="{height - 24}" x2="{width - right}" y2="{height - 24}" '
        'class="axis-line"/>',
    ]
    for index, year in enumerate(years):
        if index % stride and year != years[-1]:
            continue
        px = x(_dt.date(year, 1, 1).toordinal())
        parts.append(
            f'<line x1="{px:.1f}" y1="{height - 28}" x2="{px:.1f}" y2="{height - 20}" '
            'class="axis-line"/>'
        )
        parts.append(
            f'<text x="{px:.1f}" y="{height - 6}" class="axis" text-anchor="middle">{year}</text>'
        )
    for row, step in enumerate(steps):
        y = 16 + row * 26
        x1, x2 = x(step.date.first_ordinal), x(step.date.last_ordinal + 1)
        shape = step.date.precision
        if shape is Precision.DAY:
            parts.append(
                f'<circle cx="{(x1 + x2) / 2:.1f}" cy="{y + 6}" r="6" class="k-{step.kind}"/>'
            )
        else:
            style = "year" if shape is Precision.YEAR else "month"  # a month or a few days
            w = max(x2 - x1, 4)
            parts.append(
                f'<rect x="{x1:.1f}" y="{y}" width="{w:.1f}" height="12" rx="3" '
                f'class="k-{step.kind} span-{style}"/>'
            )
        anchor, tx = ("end", x1 - 6) if x1 > width / 2 else ("start", x2 + 6)
        parts.append(
            f'<text x="{tx:.1f}" y="{y + 10}" class="step" text-anchor="{anchor}">'
            f"{_text(step.date)} {_text(step.label)}</text>"
        )
    parts.append("</svg>")
    return Markup("\n".join(parts))
