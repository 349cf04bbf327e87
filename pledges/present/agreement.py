"""Two codings compared, for people and programs (``pledges agreement``): the statistics, the
confusion matrix, the matching, each disagreement with both sides' reasons, and the pledges
only one side coded. Text and Markdown from one :class:`~pledges.present.render.Document`;
JSON with every count a reader needs to recompute the statistics by hand."""

from __future__ import annotations

from typing import Any

from pledges.agreement import Agreement
from pledges.diff import Change, DiffRow
from pledges.present.phrases import change_words, plural
from pledges.present.render import (
    JSON_VERSION,
    Document,
    Entry,
    Line,
    Section,
    Table,
    render_document,
    to_json,
)

__all__ = ["AGREEMENT_FORMATS", "agreement_document", "render_agreement"]

AGREEMENT_FORMATS = ("text", "markdown", "json")
"""The formats :func:`render_agreement` writes."""


def _call(row: DiffRow) -> str:
    return row.reason


def _disagreements(result: Agreement) -> Section:
    entries = []
    for d in result.disagreements:
        heading = d.match.a if d.match.a == d.match.b else f"{d.match.a} = {d.match.b}"
        lines = [Line(f"A: {_call(d.a)}"), Line(f"B: {_call(d.b)}")]
        entries.append(Entry(f"{heading}: {d.a.pledge.title}", tuple(lines)))
    return Section(
        f"Disagreements ({len(entries)})" if entries else "Disagreements",
        entries=tuple(entries),
        empty="None: every pledge both coded got the same call.",
    )


def _only(pledges: tuple[Any, ...], name: str, other: str) -> Section:
    table = Table(
        "only", ("pledge", "title"), tuple((p.id, p.title) for p in pledges), (1,), ids=(0,)
    )
    return Section(
        f"Coded by {name} only ({len(pledges)})" if pledges else f"Coded by {name} only",
        table=table,
        empty=f"None: {other} coded every pledge {name} did.",
    )


def agreement_document(result: Agreement, names: tuple[str, str] = ("A", "B")) -> Document:
    """The comparison as a document: ``names`` call the two codings (file names, say)."""
    n = len(result.pairs)
    agreed = sum(x == y for x, y in result.pairs)
    ordinal = f"{result.alpha_ordinal:.3f}" if result.alpha_ordinal is not None else "not computed"
    statistics = (
        (
            f"{plural(n, 'pledge')} coded by both; the same call for {agreed}: "
            f"{result.percent:.1%} agreement",
            f"Cohen's kappa {result.kappa:.3f}; Krippendorff's alpha {result.alpha:.3f} "
            f"(nominal, on the calls), {ordinal} (ordinal, on the statuses' ranks)",
        )
        if n
        else ("No pledge was coded by both: there is no agreement to measure.",)
    )
    lines = (
        f"A: {names[0]}; B: {names[1]}",
        f"Round: {result.diff_a.baseline.label} ({result.diff_a.baseline.day}), judged at "
        f"{result.diff_a.outcome.label} ({result.diff_a.outcome.day})",
        *statistics,
        f"{_found('A', 'B', result.recall_a, n + len(result.only_b))}; "
        f"{_found('B', 'A', result.recall_b, n + len(result.only_a))}",
    )
    matrix = _confusion(result)
    matching = Table(
        "matching",
        ("A", "B", "matched by"),
        tuple(
            (m.a, m.b, m.by if m.by != "words" else f"words ({m.overlap:.0%} shared)")
            for m in result.matches
            if m.by != "id"
        ),
        ids=(0, 1),
    )
    by_id = sum(m.by == "id" for m in result.matches)
    sections = (
        Section("Calls, A against B", table=matrix, empty="No pledge was coded by both."),
        _disagreements(result),
        _only(result.only_a, "A", "B"),
        _only(result.only_b, "B", "A"),
        Section(
            f"Matched otherwise than by id ({len(matching.rows)} of {len(result.matches)})",
            table=matching,
            empty=f"None: all {by_id} pairs share their ids." if by_id else "None: no pair.",
        ),
    )
    return Document(
        "agreement",
        "Agreement between two codings",
        lines,
        sections,
        matrix,
        data=_data(result, names),
    )


def _confusion(result: Agreement) -> Table:
    """The calls of A (rows) against those of B (columns), with each row's total; only the
    calls either side made."""
    used = [c for c in Change if any(c in pair for pair in result.pairs)]
    counts = {(x, y): k for x, y, k in result.confusion}
    return Table(
        "confusion",
        ("A\\B", *(change_words(c) for c in used), "all"),
        tuple(
            (
                change_words(x),
                *(counts.get((x, y), 0) for y in used),
                sum(counts.get((x, y), 0) for y in used),
            )
            for x in used
        ),
    )


def _found(one: str, other: str, recall: float, coded: int) -> str:
    """How much of the other side's coding one side found, or that there was none."""
    if not coded:
        return f"{other} coded no pledge of the round"
    return f"{one} found {recall:.1%} of {other}'s pledges"


def _data(result: Agreement, names: tuple[str, str]) -> dict[str, Any]:
    return {
        "a": names[0],
        "b": names[1],
        "baseline": str(result.diff_a.baseline.day),
        "outcome": str(result.diff_a.outcome.day),
        "both": len(result.pairs),
        "agreed": sum(x == y for x, y in result.pairs),
        "percent_agreement": result.percent,
        "cohen_kappa": result.kappa,
        "krippendorff_alpha_nominal": result.alpha,
        "krippendorff_alpha_ordinal": result.alpha_ordinal,
        "recall_a": result.recall_a,
        "recall_b": result.recall_b,
        "confusion": [{"a": x.value, "b": y.value, "count": k} for x, y, k in result.confusion],
        "matches": [{"a": m.a, "b": m.b, "by": m.by, "overlap": m.overlap} for m in result.matches],
        "disagreements": [
            {
                "a_pledge": d.match.a,
                "b_pledge": d.match.b,
                "a_call": d.a.change.value,
                "b_call": d.b.change.value,
                "a_status": d.a.after,
                "b_status": d.b.after,
                "a_reason": d.a.reason,
                "b_reason": d.b.reason,
            }
            for d in result.disagreements
        ],
        "only_a": [p.id for p in result.only_a],
        "only_b": [p.id for p in result.only_b],
    }


def render_agreement(
    result: Agreement,
    fmt: str = "text",
    names: tuple[str, str] = ("A", "B"),
    *,
    width: int | None = 80,
) -> str:
    """The comparison in ``fmt`` (one of :data:`AGREEMENT_FORMATS`); the result carries
    both codings' diffs, so the ledgers themselves are not needed."""
    document = agreement_document(result, names)
    if fmt == "json":
        return to_json({"pledges_json": JSON_VERSION, "kind": "agreement", **document.data})
    if fmt not in AGREEMENT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(AGREEMENT_FORMATS)}")
    return render_document(document, "github" if fmt == "markdown" else "simple", width=width)
