"""schema.org ClaimReview markup for a pledge's page (private to the site).

Fact-checking tools and search engines read a fact-check from a page's JSON-LD: the claim
reviewed (the pledge's words), who made it and when it first appeared (the pledge's makers,
the day it was made and the first source that reports it), and the rating (the status's score
on the lifecycle's score range, the status's label as ``alternateName``). The JSON is written
in ASCII, with ``<``, ``>`` and ``&`` as ``\\u`` escapes too, so that no text of a ledger
can close the ``<script>`` element it sits in or reach a reader as a control character.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from pledges.dates import PartialDate, Precision
from pledges.ledger import Ledger
from pledges.model import ActorKind, Pledge

__all__ = ["claim_review", "json_ld"]

_TYPES = {
    ActorKind.PERSON: "Person",
    ActorKind.STATE: "GovernmentOrganization",
    ActorKind.BODY: "Organization",
}
_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON that is safe inside ``<script type="application/ld+json">``."""
    return Markup(json.dumps(data, indent=1).translate(_UNSAFE))


def _day(date: PartialDate) -> str:
    """A date as ISO 8601 allows: ``2024``, ``2024-10``, ``2025-12-01``; a range of days is
    given by its first day."""
    return date.first.isoformat() if date.precision is Precision.DAYS else str(date)


def claim_review(
    ledger: Ledger, pledge: Pledge, as_of: PartialDate, url: str
) -> dict[str, Any] | None:
    """The ClaimReview of ``pledge`` as of ``as_of`` (``None`` before it was made), for the
    page at ``url``."""
    status_id = ledger.status_at(pledge, as_of)
    if status_id is None:
        return None
    lifecycle = ledger.lifecycle_of(pledge)
    status = lifecycle.status(status_id)
    deciding = ledger.updates_between(pledge, None, as_of)[-1]
    scores = [s.score for s in lifecycle.statuses if s.score is not None]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": status.label}
    if status.score is not None and scores:
        rating.update(ratingValue=status.score, worstRating=min(scores), bestRating=max(scores))
    authors = [
        {"@type": _TYPES[a.kind], "name": a.name} for a in (ledger.actor(i) for i in pledge.made_by)
    ]
    claim: dict[str, Any] = {
        "@type": "Claim",
        "author": authors,
        "datePublished": _day(pledge.made_on),
    }
    first = pledge.history[0].evidence
    if first:
        source = ledger.source(first[0].source)
        appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": source.title}
        if source.url:
            appearance["url"] = source.url
        if source.published is not None:
            appearance["datePublished"] = str(source.published)
        claim["firstAppearance"] = appearance
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": pledge.text,
        "datePublished": _day(deciding.date),
        "author": {"@type": "Organization", "name": ledger.title},
        "itemReviewed": claim,
        "reviewRating": rating,
    }
