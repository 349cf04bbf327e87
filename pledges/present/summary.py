"""Reports of numbers for people: a summary (counts, scores, kept shares, by group) and a
lifecycle's table, as documents (the numbers themselves come from :mod:`pledges.summary`)."""

from __future__ import annotations

from typing import Any

from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.present.phrases import human_window, plural
from pledges.present.render import Document, Entry, Line, Section, Table
from pledges.summary import KeptRule, Summary, Tally

__all__ = ["lifecycle_document", "summary_document"]


def _tally_data(tally: Tally) -> dict[str, Any]:
    return {
        "group": tally.group,
        "pledges": len(tally.pledges),
        "by_status": [
            {
                "lifecycle": c.lifecycle.id,
                "status": c.status.id,
                "label": c.status.label,
                "count": c.count,
            }
            for c in tally.statuses
        ],
        "compliance": {"score": tally.score, "scored": tally.scored},
        "kept": {"kept": tally.kept, "counted": tally.counted, "share": tally.kept_share},
        "overdue": [p.id for p in tally.overdue],
    }


def _status_section(total: Tally) -> Section:
    """Counts by status: labels alone, unless statuses of several scales meet in the table,
    which then says so once (a column naming each status's scale)."""
    scales = list(dict.fromkeys(c.lifecycle.label for c in total.statuses))
    if len(scales) > 1:
        table = Table(
            "counts",
            ("status", "scale", "pledges"),
            tuple((c.status.label, c.lifecycle.label, c.count) for c in total.statuses),
            wrap=(0, 1),
        )
        note: tuple[str, ...] = (
            f"Statuses of {len(scales)} scales meet here: {', '.join(scales)}.",
        )
    else:
        table = Table(
            "counts",
            ("status", "pledges"),
            tuple((c.status.label, c.count) for c in total.statuses),
            wrap=(0,),
        )
        note = ()
    return Section("By status", table=table, lines=note, empty="No pledge.")


def _groups_table(summary: Summary) -> Table:
    """The numbers, a row a group (one row, ``all``, when not grouped): what CSV and JSON
    tables of a summary hold, scores and shares as numbers."""
    tallies = summary.groups if summary.by is not None else (summary.total,)
    return Table(
        "groups",
        (summary.by_name or "group", "pledges", "score", "scored", "kept", "counted", "kept share"),
        tuple(
            (g.group, len(g.pledges), g.score, g.scored, g.kept, g.counted, g.kept_share)
            for g in tallies
        ),
        wrap=(0,),
        numbers=((2, "score"), (6, "percent")),
    )


def _headline(total: Tally, rule: KeptRule, precision: int) -> tuple[str, str]:
    """The compliance score (and what it leaves out) and the kept share (and its rule)."""
    unscored = [c.status.label for c in total.statuses if c.status.score is None]
    left_out = f" ({', '.join(dict.fromkeys(unscored))}: no score, left out)" if unscored else ""
    score_line = (
        f"Compliance score: {total.score:+.2f} on the -1 / 0 / +1 scale, over "
        f"{plural(total.scored, 'scored pledge')}{left_out}"
        if total.score is not None
        else "Compliance score: none (no pledge has a scored status)"
    )
    share = "" if total.kept_share is None else f" ({total.kept_share:.{precision}%})"
    kept_line = (
        f"Kept: {total.kept} of {plural(total.counted, 'counted pledge')}{share}; "
        f"kept means {', '.join(rule.kept)}; left out: {', '.join(rule.left_out) or 'none'}"
    )
    return score_line, kept_line


def summary_document(
    ledger: Ledger, summary: Summary, *, extra: tuple[Summary, ...] = (), precision: int = 1
) -> Document:
    """A summary as a document: counts by status, the compliance score, the kept share and
    the overdue pledges; a table of groups when grouped; ``extra`` summaries (by topic, by
    actor) add count tables. Shares show ``precision`` decimals in text; numbers stay
    numbers in CSV and JSON."""
    total = summary.total
    rule = summary.rule
    sections = [_status_section(total)]
    groups = _groups_table(summary)
    if summary.by is not None:
        sections.append(Section(f"By {summary.by_name}", table=groups))
    for other in extra:
        if other.by is None:
            continue
        rows = tuple((g.group, len(g.pledges)) for g in other.groups)
        label = "actor (made by)" if other.by_name == "actor" else other.by_name
        table = Table("counts", (other.by_name, "pledges"), rows, wrap=(0,))
        sections.append(Section(f"By {label}", table=table))
    overdue = Table(
        "overdue",
        ("pledge", "window", "title"),
        tuple((p.id, human_window(p.window), p.title) for p in total.overdue if p.window),
        wrap=(1, 2),
        ids=(0,),
    )
    sections.append(
        Section(
            f"Overdue ({len(total.overdue)})" if total.overdue else "Overdue",
            table=overdue,
            empty="None: no pledge's time frame has ended while it was still open.",
        )
    )
    data: dict[str, Any] = {
        "as_of": str(summary.as_of),
        "scale": None if summary.scale is None else summary.scale.id,
        "kept_rule": {"kept": list(rule.kept), "left_out": list(rule.left_out)},
        **_tally_data(total),
    }
    if summary.by is not None:
        data["by"] = summary.by_name
        data["groups"] = [_tally_data(g) for g in summary.groups]
    return Document(
        kind="summary",
        title=f"{ledger.title}: summary as of {summary.as_of}",
        lines=(
            f"{plural(len(total.pledges), 'pledge')} made by {summary.as_of}",
            *_headline(total, rule, precision),
        ),
        sections=tuple(sections),
        flat=groups,
        data=data,
    )


def lifecycle_document(lifecycle: Lifecycle) -> Document:
    """A lifecycle as a document: each status with its label, kind, score, rank, whether it
    is final, where it may move (or be reopened to) and what it stands for on other scales;
    and, where its ranks cannot tell forward from back, what to add."""
    rows = tuple(
        (
            s.id,
            s.label,
            s.kind.value,
            s.score,
            s.rank,
            "final" if s.final else "",
            " ".join(s.to) if not s.final else f"reopen: {' '.join(s.reopen_to) or '-'}",
            " ".join(f"{target}:{status}" for target, status in s.onto),
        )
        for s in lifecycle.statuses
    )
    table = Table(  # the flat form, for CSV and JSON: the text shows the entries below
        "lifecycle", ("id", "label", "kind", "score", "rank", "final", "moves to", "onto"), rows
    )
    entries = []
    for s in lifecycle.statuses:
        facts = [
            s.kind.value,
            f"rank {s.rank}",
            "no score" if s.score is None else f"score {s.score:+d}",
        ]
        lines = [
            Line(
                f"{'final; may be reopened to' if s.final else 'moves to'}: "
                f"{', '.join(s.reopen_to if s.final else s.to) or 'nothing'}"
            )
        ]
        if s.onto:
            lines.append(Line("stands for: " + ", ".join(f"{t} {st}" for t, st in s.onto)))
        entries.append(Entry(f"{s.id}: {s.label} ({', '.join(facts)})", tuple(lines)))
    advice = lifecycle.rank_advice
    verdict = "valid" if advice is None else "valid, with a warning"
    return Document(
        kind="lifecycle",
        title=f"{lifecycle.label} ({lifecycle.id}), starting at {lifecycle.initial!r}: {verdict}",
        lines=tuple(x for x in (lifecycle.description, advice and f"Warning: {advice}.") if x),
        sections=(Section("Statuses", entries=tuple(entries)),),
        flat=table,
        data={
            "id": lifecycle.id,
            "warning": advice,
            "rows": table.records(),
        },
    )
