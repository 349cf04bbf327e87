"""Reports of numbers for people: a summary (counts, scores, kept shares, by group) and a
lifecycle's table, as documents (the numbers themselves come from :mod:`pledges.summary`)."""

from __future__ import annotations

from typing import Any

from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.present.render import Document, Table
from pledges.summary import Summary, Tally

__all__ = ["lifecycle_document", "summary_document"]


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}"


def _tally_data(tally: Tally) -> dict[str, Any]:
    return {
        "group": tally.group,
        "pledges": len(tally.pledges),
        "by_status": {f"{c.lifecycle.label}: {c.status.label}": c.count for c in tally.statuses},
        "compliance": {"score": tally.score, "scored": tally.scored},
        "kept": {"kept": tally.kept, "counted": tally.counted, "share": tally.kept_share},
        "overdue": [p.id for p in tally.overdue],
    }


def summary_document(
    ledger: Ledger, summary: Summary, *, extra: tuple[Summary, ...] = ()
) -> Document:
    """A summary as a document: counts by status, the compliance score, the kept share and
    the overdue pledges; a table of groups when grouped; ``extra`` summaries (by topic, by
    actor) add count tables."""
    total = summary.total
    rule = summary.rule
    unscored = [c.status.label for c in total.statuses if c.status.score is None]
    left_out = f" ({', '.join(dict.fromkeys(unscored))}: no score, left out)" if unscored else ""
    score_line = (
        f"Compliance score: {total.score:+.2f} on the -1 / 0 / +1 scale, over {total.scored} "
        f"scored pledges{left_out}"
        if total.score is not None
        else "Compliance score: none (no pledge has a scored status)"
    )
    kept_line = (
        f"Kept: {total.kept} of {total.counted} counted pledges ({_percent(total.kept_share)}); "
        f"kept means {', '.join(rule.kept)}; left out: {', '.join(rule.left_out) or 'none'}"
    )
    statuses = Table(
        "counts",
        ("status", "pledges"),
        tuple((f"{c.lifecycle.label}: {c.status.label}", str(c.count)) for c in total.statuses),
        wrap=(0,),
    )
    sections: list[tuple[str, Table]] = [("By status", statuses)]
    if summary.by is not None:
        groups = Table(
            "groups",
            (summary.by.value, "pledges", "score", "scored", "kept", "counted", "kept share"),
            tuple(
                (
                    g.group,
                    str(len(g.pledges)),
                    _score(g.score),
                    str(g.scored),
                    str(g.kept),
                    str(g.counted),
                    _percent(g.kept_share),
                )
                for g in summary.groups
            ),
            wrap=(0,),
        )
        sections.append((f"By {summary.by.value}", groups))
    for other in extra:
        if other.by is None:
            continue
        rows = tuple((g.group, str(len(g.pledges))) for g in other.groups)
        label = "actor (made by)" if other.by.value == "actor" else other.by.value
        table = Table("counts", (other.by.value, "pledges"), rows, wrap=(0,))
        sections.append((f"By {label}", table))
    overdue = Table(
        "overdue",
        ("pledge", "window"),
        tuple((f"{p.id}\n{p.title}", str(p.window)) for p in total.overdue),
        wrap=(0,),
    )
    sections.append((f"Overdue ({len(total.overdue)})", overdue))
    data: dict[str, Any] = {
        "as_of": str(summary.as_of),
        "scale": None if summary.scale is None else summary.scale.id,
        "kept_rule": {"kept": list(rule.kept), "left_out": list(rule.left_out)},
        **_tally_data(total),
    }
    if summary.by is not None:
        data["by"] = summary.by.value
        data["groups"] = [_tally_data(g) for g in summary.groups]
    return Document(
        kind="summary",
        title=f"{ledger.title}: summary as of {summary.as_of}",
        lines=(f"{len(total.pledges)} pledges made by {summary.as_of}", score_line, kept_line),
        sections=tuple(sections),
        flat=sections[1][1] if summary.by is not None else statuses,
        data=data,
    )


def lifecycle_document(lifecycle: Lifecycle) -> Document:
    """A lifecycle as a document: each status with its label, kind, score, rank, whether it
    is final, where it may move (or be reopened to) and what it stands for on other scales."""
    rows = tuple(
        (
            s.id,
            s.label,
            s.kind.value,
            "" if s.score is None else f"{s.score:+d}",
            str(s.rank),
            "final" if s.final else "",
            " ".join(s.to) if not s.final else f"reopen: {' '.join(s.reopen_to) or '-'}",
            " ".join(f"{target}:{status}" for target, status in s.onto),
        )
        for s in lifecycle.statuses
    )
    table = Table(
        "lifecycle",
        ("id", "label", "kind", "score", "rank", "final", "moves to", "onto"),
        rows,
        wrap=(6, 7),
    )
    return Document(
        kind="lifecycle",
        title=f"{lifecycle.label} ({lifecycle.id}), starting at {lifecycle.initial!r}: valid",
        lines=(lifecycle.description,) if lifecycle.description else (),
        sections=(("Statuses", table),),
        flat=table,
        data={"id": lifecycle.id, "rows": [dict(zip(table.headers, r, strict=True)) for r in rows]},
    )
