"""An Atom 1.0 feed of a tracker's changes (private to the site): an entry a dated update,
newest first (the pledge, the move in words, the evidence with its links), and an entry a
correction of a published call.

Each entry's id is a ``urn:uuid`` made from what the entry is about (the pledge, the update's
date and status; the correction's day and the update it corrects), never from its place in
the file, so that a feed reader never shows an entry twice when the ledger grows. Dates known
only to the month or year are given as the first day they could be (and entries are in that
order), and said in words in the entry's title. Every text is escaped for XML, with the
characters XML cannot carry replaced.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from xml.sax.saxutils import escape as _escape, quoteattr

from pledges import escape as clean
from pledges.dates import PartialDate
from pledges.ledger import Ledger
from pledges.present import phrases
from pledges.site._env import safe_url, slug

__all__ = ["atom"]

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: object) -> str:
    return _escape(_NOT_XML.sub("\ufffd", clean.terminal(str(value))))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", clean.terminal(value)))


def _stamp(date: PartialDate) -> str:
    return f"{date.first.isoformat()}T00:00:00Z"


def _entry(
    namespace: uuid.UUID,
    key: str,
    title: str,
    date: PartialDate,
    link: str,
    summary: str,
) -> tuple[str, str, str]:
    entry = (
        "<entry>\n"
        f" <id>urn:uuid:{uuid.uuid5(namespace, key)}</id>\n"
        f" <title>{_text(title)}</title>\n"
        f" <updated>{_stamp(date)}</updated>\n"
        f' <link rel="alternate" type="text/html" href={_attr(link)}/>\n'
        f" <summary>{_text(summary)}</summary>\n"
        "</entry>\n"
    )
    return _stamp(date), key, entry


def atom(ledger: Ledger, as_of: PartialDate, base_url: str = "") -> str:
    """The feed of ``ledger``'s updates dated by ``as_of`` and its corrections; links are
    relative to the site's folder unless ``base_url`` (the address the site is served
    from) is given."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, base or f"pledges:{ledger.title}")
    entries = []
    for pledge in ledger.pledges:
        lifecycle = ledger.lifecycle_of(pledge)
        page = f"{base}pledge/{slug(pledge.id)}.html"
        seen: Counter[str] = Counter()
        previous: str | None = None
        for update in ledger.updates_between(pledge, None, as_of):
            key = f"update {pledge.id} {update.date} {update.status}"
            seen[key] += 1
            move = phrases.move(lifecycle, previous, update.status)
            previous = update.status
            evidence = "; ".join(
                f"{phrases.cite(ledger, e)} {ledger.source(e.source).url or ''}".strip()
                for e in update.evidence
            )
            summary = " ".join(x for x in (update.note, f"Evidence: {evidence}.") if x)
            entries.append(
                _entry(
                    namespace,
                    f"{key} #{seen[key]}",
                    f"{pledge.title}: {move}, {phrases.human_date(update.date)}",
                    update.date,
                    page,
                    summary,
                )
            )
    for correction in ledger.corrections:
        key = f"correction {correction.pledge} {correction.on} {correction.update}"
        entries.append(
            _entry(
                namespace,
                key,
                f"Correction ({phrases.human_date(correction.on)}): {correction.wrong}",
                correction.on,
                f"{base}corrections.html",
                f"{correction.change} Why: {correction.why}",
            )
        )
    entries.sort(reverse=True)  # newest first; one day's entries in a fixed order
    updated = entries[0][0] if entries else _stamp(as_of)
    home = safe_url(base + "index.html") or "index.html"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<id>urn:uuid:{namespace}</id>\n"
        f"<title>{_text(ledger.title)}: changes</title>\n"
        f"<updated>{updated}</updated>\n"
        f"<author><name>{_text(ledger.title)}</name></author>\n"
        f'<link rel="alternate" type="text/html" href={_attr(home)}/>\n'
        + (f'<link rel="self" href={_attr(base + "feed.xml")}/>\n' if base else "")
        + "".join(e[2] for e in entries)
        + "</feed>\n"
    )
