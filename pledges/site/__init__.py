"""A tracker as a static site, and the HTML pages of the reports, from one set of templates.

:func:`build` writes a folder of plain HTML files that work from disk or any web server and
make no request of their own (no script, style, font or image is fetched; a
Content-Security-Policy in every page forbids it): an overview with the counts, the
round-to-round diff as the lead story, a chart of statuses over time and every pledge (with
filters that need JavaScript, the list being whole without it); a page per pledge with its
timeline, every piece of evidence linked, its corrections and its ClaimReview markup; a page
per occasion and per actor; a sources page; a methodology page (what each status means, linked
from every badge); a corrections page; and an Atom feed of every dated update and
correction. The same ledger always gives the same bytes.

Every piece of data goes through the template engine's autoescaping (and
:func:`pledges.escape.terminal`); addresses are linked only when they are ``http``,
``https`` or relative.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pledges._files import write_tree
from pledges.dates import DateLike, PartialDate, as_of_day
from pledges.diff import Diff, PointLike, compare, rounds
from pledges.ledger import Ledger
from pledges.model import Pledge
from pledges.present.render import Document
from pledges.site._env import site_address, slug
from pledges.site.feed import atom
from pledges.site.pages import Pages

__all__ = ["build", "diff_page", "document_page", "status_page"]


def _as_of(value: DateLike | None) -> PartialDate | None:
    return None if value is None else PartialDate.of(as_of_day(value))


def build(
    ledger: Ledger,
    output: str | os.PathLike[str],
    *,
    as_of: DateLike | None = None,
    baseline: PointLike | None = None,
    outcome: PointLike | None = None,
    base_url: str = "",
) -> list[Path]:
    """Write the site of ``ledger`` into the folder ``output`` (made if missing; its parent
    must exist) and return its files, in order; a page whose bytes are already on disk is
    not rewritten, so that a rebuild changes only what changed. Statuses are as of ``as_of`` (by
    default the date of the latest update, so that the site does not change with the day it
    is built); the lead story compares ``baseline`` with ``outcome`` (by default the first
    round with the last, when the ledger has two rounds or more). Nothing is written
    through a link beneath ``output``, and only pages a previous build recorded writing
    (for records that are gone) are removed (see :func:`pledges._files.write_tree`).
    ``base_url``, the address the site will be served from, makes the feed's and the
    ClaimReview markup's links absolute."""
    if base_url:
        site_address(base_url)
    pages = Pages(ledger, _as_of(as_of), base_url=base_url)
    diff = None
    if baseline is not None or outcome is not None or len(rounds(ledger)) >= 2:
        diff = compare(ledger, baseline, outcome)
    planned: dict[str, str] = {"index.html": pages.index(diff)}
    for pledge in ledger.pledges:
        planned[f"pledge/{slug(pledge.id)}.html"] = pages.pledge(pledge)
    for actor in ledger.actors:
        planned[f"actor/{slug(actor.id)}.html"] = pages.actor(actor.id)
    for occasion in ledger.occasions:
        planned[f"occasion/{slug(occasion.id)}.html"] = pages.occasion(occasion.id)
    planned["occasions.html"] = pages.listing("occasions")
    planned["actors.html"] = pages.listing("actors")
    planned["sources.html"] = pages.sources()
    planned["method.html"] = pages.method()
    planned["corrections.html"] = pages.corrections()
    planned["feed.xml"] = atom(ledger, pages.as_of, base_url)
    write_tree(output, {name: text.encode("utf-8") for name, text in planned.items()})
    return [Path(output) / name for name in planned]


def diff_page(ledger: Ledger, diff: Diff) -> str:
    """The round-to-round diff as one standalone HTML page."""
    return Pages(ledger, PartialDate.of(diff.outcome.day), standalone=True).report(diff)


def status_page(ledger: Ledger, pledges: Sequence[Pledge], as_of: DateLike, heading: str) -> str:
    """A status table as one standalone HTML page."""
    return Pages(ledger, _as_of(as_of), standalone=True).status(heading, pledges)


def document_page(
    ledger: Ledger, document: Document, as_of: DateLike, *, precision: int = 1
) -> str:
    """Any report document (a summary, say) as one standalone HTML page: each section's
    lines, table and entries, or what it says when it holds nothing."""
    sections = [
        {
            "heading": s.heading,
            "lines": s.lines,
            "empty": s.empty if s.is_empty else "",
            "headers": s.table.headers if s.table is not None and s.table.rows else (),
            "rows": s.table.text_rows(precision) if s.table is not None else [],
            "entries": s.entries,
        }
        for s in document.sections
    ]
    pages = Pages(ledger, _as_of(as_of), standalone=True)
    return pages.render(
        "table.html", heading=document.title, lines=document.lines, sections=sections
    )
