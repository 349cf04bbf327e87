"""The pages of the site, and the HTML reports, from a ledger's records (private).

:class:`Pages` turns records into the small dicts the templates show, and renders them;
the public functions are in :mod:`pledges.site`.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

import attrs
from markupsafe import Markup

from pledges._version import __version__
from pledges.dates import PartialDate
from pledges.diff import Change, Diff, DiffRow
from pledges.ledger import Ledger
from pledges.model import LinkKind, Pledge, Update
from pledges.present import phrases
from pledges.present.phrases import CATEGORIES, cite, human_date, human_window, point_name
from pledges.site import charts
from pledges.site._env import asset, csp, environment, slug
from pledges.site.claims import claim_review, json_ld

__all__ = ["Badge", "Pages"]


@attrs.frozen
class Badge:
    """A status as a badge: where it stands (a category key, for the colour and the
    filters), the category's symbol, the status's label, and the anchor of its meaning on
    the methodology page (none for "not yet made")."""

    kind: str
    symbol: str
    label: str
    anchor: str = ""


_LINKED_FROM = {
    LinkKind.RENEWS: "renewed",
    LinkKind.SUPERSEDES: "superseded",
    LinkKind.PART_OF: "has part",
    LinkKind.SHARE_OF: "has share",
}
"""A link seen from the pledge it points to."""


def anchor(lifecycle_id: str, status_id: str) -> str:
    """The methodology page's anchor of a status."""
    return f"{slug(lifecycle_id)}--{slug(status_id)}"


class Pages:
    """Renders the pages of one ledger, as of one day."""

    def __init__(
        self,
        ledger: Ledger,
        as_of: PartialDate | None = None,
        *,
        standalone: bool = False,
        base_url: str = "",
    ) -> None:
        self.ledger = ledger
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        self.as_of = as_of or ledger.latest or PartialDate(2000, 1, 1)
        self.as_of_note = "" if as_of else "the date of the latest update in the ledger"
        self.standalone = standalone
        self.env = environment()
        self.style = asset("style.css")
        self.script = asset("filter.js")

    # -- pieces -------------------------------------------------------------------------

    def badge(self, pledge: Pledge, status_id: str | None) -> Badge:
        """The badge of a status of a pledge (``None``: not yet made)."""
        if status_id is None:
            return Badge("closed", "–", "not yet made")
        lifecycle = self.ledger.lifecycle_of(pledge)
        category = phrases.category(lifecycle, status_id)
        label = lifecycle.label_of(status_id)
        return Badge(category.key, category.symbol, label, anchor(lifecycle.id, status_id))

    def status_now(self, pledge: Pledge) -> str | None:
        """The pledge's status as of the pages' day."""
        return self.ledger.status_at(pledge, self.as_of)

    def _evidence(self, update: Update) -> list[dict[str, Any]]:
        found = []
        for evidence in update.evidence:
            source = self.ledger.source(evidence.source)
            published = evidence.published or source.published
            found.append(
                {
                    "evidence": evidence,
                    "source": source,
                    "outlet": source.outlet or "Source",
                    "published": human_date(published),
                    "cite": cite(self.ledger, evidence),
                }
            )
        return found

    def _move(self, pledge: Pledge, before: str | None, after: str) -> str:
        return phrases.move(self.ledger.lifecycle_of(pledge), before, after)

    def _item(self, pledge: Pledge) -> dict[str, Any]:
        status = self.status_now(pledge)
        since = self.ledger.status_since(pledge, self.as_of)
        return {
            "pledge": pledge,
            "badge": self.badge(pledge, status),
            "since": "" if since is None else str(since),
            "made": str(pledge.made_on),
            "actors": sorted({*pledge.made_by, *pledge.made_to}),
        }

    def diff_context(self, diff: Diff) -> dict[str, Any]:
        """What the templates show of a round-to-round diff."""
        rows = [self._diff_row(r) for r in diff.rows if r.change is not Change.NEW]
        counts = ", ".join(
            f"{n} {phrases.change_words(c)}"
            for c, n in diff.counts().items()
            if n and c is not Change.NEW
        )
        return {
            "baseline": point_name(diff.baseline),
            "baseline_date": human_date(PartialDate.of(diff.baseline.day)),
            "outcome": point_name(diff.outcome),
            "outcome_date": human_date(PartialDate.of(diff.outcome.day)),
            "counts": counts,
            "rows": rows,
            "new": len(diff.of(Change.NEW)),
        }

    def _diff_row(self, row: DiffRow) -> dict[str, Any]:
        pledge = row.pledge
        lifecycle = self.ledger.lifecycle_of(pledge)
        steps = [
            {
                "date": human_date(u.date),
                "label": phrases.step(lifecycle, u),
                "sources": self._evidence(u),
                "note": u.note,
            }
            for u in row.updates
        ]
        renewals = []
        for later in row.renewed_by:
            occasion = self.ledger.occasion(later.occasion) if later.occasion else None
            notes = [link.note for link in later.links if link.pledge == pledge.id and link.note]
            renewals.append(
                {
                    "pledge": later,
                    "when": human_date(later.made_on),
                    "where": occasion.title if occasion else "",
                    "note": "; ".join(notes),
                }
            )
        search = ""
        if pledge.searches:
            last = pledge.searches[-1]
            search = f"{human_date(last.on)} in {', '.join(last.where)}"
        return {
            "pledge": pledge,
            "change": phrases.change_words(row.change),
            "badge_before": self.badge(pledge, row.before),
            "badge_after": self.badge(pledge, row.after),
            "same": row.before == row.after,
            "reason": row.reason,
            "doubt": phrases.doubt(lifecycle, row.deciding),
            "steps": steps,
            "renewals": renewals,
            "search": search,
        }

    # -- pages --------------------------------------------------------------------------

    def render(self, template: str, root: str = "", *, script: bool = False, **context: Any) -> str:
        """A page: the template with the shared context (title, policy, style)."""
        shown_script = self.script if script else None
        return self.env.get_template(template).render(
            lang="en",
            site_title=self.ledger.title,
            policy=csp(self.style, shown_script),
            style=Markup(self.style),
            script=Markup(shown_script) if shown_script else None,
            root=root,
            standalone=self.standalone,
            version=__version__,
            as_of=human_date(self.as_of),
            as_of_note=self.as_of_note,
            categories=CATEGORIES,
            feed=bool(self.ledger.pledges) and not self.standalone,
            **context,
        )

    def shares(self) -> list[charts.Shares]:
        """Counts by category at the end of each year, from the first pledge to now."""
        years = sorted({p.made_on.year for p in self.ledger.pledges})
        if not years:
            return []
        points = []
        for year in range(years[0], self.as_of.year + 1):
            day = min(PartialDate(year, 12, 31).last_ordinal, self.as_of.last_ordinal)
            at = _dt.date.fromordinal(day)
            counts: Counter[str] = Counter()
            for pledge in self.ledger.pledges:
                status = self.ledger.status_at(pledge, at)
                if status is not None:
                    lifecycle = self.ledger.lifecycle_of(pledge)
                    counts[phrases.category(lifecycle, status).key] += 1
            label = str(year) if at.month == 12 and at.day == 31 else f"{at.isoformat()}"
            points.append(charts.Shares(label, tuple((c.key, counts[c.key]) for c in CATEGORIES)))
        return points

    def index(self, diff: Diff | None) -> str:
        """The overview: counts, the lead story (the diff), statuses over time, every pledge."""
        items = [self._item(p) for p in self.ledger.pledges]
        counter = Counter(i["badge"].kind for i in items if i["badge"].anchor)
        counts = [
            {"badge": Badge(c.key, c.symbol, c.words), "count": counter[c.key]}
            for c in CATEGORIES
            if counter[c.key]
        ]
        points = self.shares()
        chart = charts.shares_chart(points, "Where the pledges stood at the end of each year")
        actors = sorted(self.ledger.actors, key=lambda a: a.name.casefold())
        return self.render(
            "index.html",
            script=True,
            description=self.ledger.description,
            total=len(self.ledger.pledges),
            counts=counts,
            diff=None if diff is None else self.diff_context(diff),
            chart=chart if points else "",
            points=points,
            items=items,
            topics=self.ledger.topics,
            actors=actors,
        )

    def pledge(self, pledge: Pledge) -> str:
        """A pledge's page: its words, parties, status, timeline and every update with its
        evidence, and the pledges it is linked with."""
        ledger = self.ledger
        lifecycle = ledger.lifecycle_of(pledge)
        shown = ledger.updates_between(pledge, None, self.as_of)
        chart_steps = [
            charts.Step(
                u.date, lifecycle.label_of(u.status), phrases.category(lifecycle, u.status).key
            )
            for u in shown
        ]
        window = "" if pledge.window is None else human_window(pledge.window)
        status = self.status_now(pledge)
        since = ledger.status_since(pledge, self.as_of)
        return self.render(
            "pledge.html",
            "../",
            pledge=pledge,
            status=self.badge(pledge, status),
            since=human_date(since),
            made_by=[ledger.actor(a) for a in pledge.made_by],
            made_to=[ledger.actor(a) for a in pledge.made_to],
            occasion=ledger.occasion(pledge.occasion) if pledge.occasion else None,
            made_on=human_date(pledge.made_on),
            window=window,
            lifecycle=lifecycle,
            links=[
                {"kind": link.kind.value, "pledge": ledger.pledge(link.pledge), "note": link.note}
                for link in pledge.links
            ],
            linked_from=self._linked_from(pledge),
            chart=charts.timeline_chart(chart_steps, f"Timeline of {pledge.title}")
            if chart_steps
            else "",
            corrections=self._corrections_of(pledge.id),
            claim=self._claim(pledge),
            steps=self._steps(pledge, shown),
            searches=[
                {
                    "on": human_date(s.on),
                    "where": s.where,
                    "terms": s.terms,
                    "period": "" if s.period is None else human_window(s.period),
                    "found": s.found,
                }
                for s in pledge.searches
            ],
        )

    def _steps(self, pledge: Pledge, shown: Sequence[Update]) -> list[dict[str, Any]]:
        """A pledge's updates as its page lists them: each move in words, with its evidence."""
        lifecycle = self.ledger.lifecycle_of(pledge)
        steps = []
        previous = None
        for update in shown:
            occasion = self.ledger.occasion(update.occasion) if update.occasion else None
            steps.append(
                {
                    "date": human_date(update.date),
                    "move": self._move(pledge, previous, update.status),
                    "kind": phrases.step_words(update),
                    "note": update.note,
                    "doubt": phrases.doubt(lifecycle, update),
                    "occasion": occasion,
                    "evidence": self._evidence(update),
                }
            )
            previous = update.status
        return steps

    def _linked_from(self, pledge: Pledge) -> list[dict[str, Any]]:
        """The later pledges that link to this one, in the reader's words."""
        return [
            {
                "kind": _LINKED_FROM.get(link.kind, link.kind.value),
                "pledge": other,
                "when": human_date(other.made_on),
                "note": link.note,
            }
            for other in self.ledger.linked_to(pledge)
            for link in other.links
            if link.pledge == pledge.id
        ]

    def occasion(self, occasion_id: str) -> str:
        """An occasion's page: when and where, who took part, what was pledged and done."""
        ledger = self.ledger
        occasion = ledger.occasion(occasion_id)
        when = human_date(occasion.start)
        if occasion.end is not None:
            when += f" to {human_date(occasion.end)}"
        steps = [
            {"pledge": p, "move": f"{human_date(u.date)}, {self._move(p, None, u.status)}"}
            for p in ledger.pledges
            for u in p.history[1:]
            if u.occasion == occasion_id
        ]
        return self.render(
            "occasion.html",
            "../",
            occasion=occasion,
            when=when,
            participants=[ledger.actor(a) for a in occasion.participants],
            made=[self._item(p) for p in ledger.pledges if p.occasion == occasion_id],
            steps=steps,
        )

    def actor(self, actor_id: str) -> str:
        """An actor's page: its names and the pledges it made and received."""
        ledger = self.ledger
        actor = ledger.actor(actor_id)
        return self.render(
            "actor.html",
            "../",
            actor=actor,
            made=[self._item(p) for p in ledger.pledges if actor.id in p.made_by],
            received=[self._item(p) for p in ledger.pledges if actor.id in p.made_to],
        )

    def listing(self, kind: str) -> str:
        """The list of occasions or of actors."""
        ledger = self.ledger
        if kind == "occasions":
            entries = [
                {"id": o.id, "name": o.title, "detail": human_date(o.start)}
                for o in sorted(ledger.occasions, key=lambda o: (o.start, o.id))
            ]
            return self.render(
                "listing.html", heading="Occasions", folder="occasion", entries=entries
            )
        counts = Counter(a for p in ledger.pledges for a in {*p.made_by, *p.made_to})
        entries = [
            {"id": a.id, "name": a.name, "detail": f"{counts[a.id]} pledges"}
            for a in sorted(ledger.actors, key=lambda a: a.name.casefold())
        ]
        return self.render("listing.html", heading="Actors", folder="actor", entries=entries)

    def sources(self) -> str:
        """Every source: outlet, headline, date, address or local text, and who cites it."""
        citing: dict[str, dict[str, Pledge]] = {}
        for cited in self.ledger.cited():
            citing.setdefault(cited.evidence.source, {})[cited.pledge.id] = cited.pledge
        rows = [
            {
                "source": s,
                "published": human_date(s.published),
                "pledges": list(citing.get(s.id, {}).values()),
            }
            for s in self.ledger.sources
        ]
        return self.render("sources.html", rows=rows)

    def report(self, diff: Diff) -> str:
        """The round-to-round diff as one standalone page."""
        new_rows = [
            {
                "pledge": r.pledge,
                "made": human_date(r.pledge.made_on),
                "renews": r.pledge.linked(LinkKind.RENEWS),
            }
            for r in diff.of(Change.NEW)
        ]
        return self.render(
            "report.html",
            heading=f"What became of the pledges of {point_name(diff.baseline)}",
            diff=self.diff_context(diff),
            new_rows=new_rows,
        )

    def status(self, heading: str, pledges: Sequence[Pledge]) -> str:
        """A status table as one standalone page."""
        items = [self._item(p) for p in pledges if self.status_now(p) is not None]
        return self.render("status.html", heading=heading, items=items)

    def _claim(self, pledge: Pledge) -> Markup | None:
        page = f"{self.base_url}pledge/{slug(pledge.id)}.html"
        review = claim_review(self.ledger, pledge, self.as_of, page)
        return None if review is None else json_ld(review)

    def _corrections_of(self, pledge_id: str | None) -> list[dict[str, Any]]:
        known = {p.id: p for p in self.ledger.pledges}
        found = []
        for correction in self.ledger.corrections:
            if pledge_id is not None and correction.pledge != pledge_id:
                continue
            pledge = known.get(correction.pledge)
            was = (
                self.ledger.lifecycle_of(pledge).label_of(correction.was)
                if pledge is not None and correction.was is not None
                else correction.was
            )
            found.append(
                {
                    "correction": correction,
                    "pledge": pledge,
                    "on": human_date(correction.on),
                    "update_day": human_date(correction.update),
                    "was": was,
                    "sources": [self.ledger.source(s) for s in correction.sources],
                }
            )
        return found

    def corrections(self) -> str:
        """Every correction of a published call, newest first."""
        found = self._corrections_of(None)
        found.sort(key=lambda c: c["correction"].on.last_ordinal, reverse=True)
        return self.render("corrections.html", corrections=found)

    def method(self) -> str:
        """How the calls are made: the ledger's coding rules, and each lifecycle the pledges
        follow, with what each status means, where it stands, its rank, its score and the
        moves it allows."""
        used = list(dict.fromkeys(self.ledger.lifecycle_of(p) for p in self.ledger.pledges))
        scales = []
        for lifecycle in used:
            statuses = []
            for status in lifecycle.statuses:
                moves = status.reopen_to if status.final else status.to
                statuses.append(
                    {
                        "status": status,
                        "anchor": anchor(lifecycle.id, status.id),
                        "category": phrases.category(lifecycle, status.id),
                        "moves": [lifecycle.label_of(t) for t in moves],
                    }
                )
            scales.append({"lifecycle": lifecycle, "statuses": statuses})
        paragraphs = [p.strip() for p in (self.ledger.method or "").split("\n\n") if p.strip()]
        return self.render("method.html", scales=scales, paragraphs=paragraphs)
