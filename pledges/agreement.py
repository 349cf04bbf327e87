"""Agreement between two codings of one round (``pledges agreement``).

Two coders read the same sources and code the same round: two ledgers, or two versions of
one. :func:`match` pairs their pledges (by a mapping given, then the same id, then the
overlap of their words); :func:`agreement` compares the pairs' diff classes at the outcome
(kept, moved forward, restated, ...) and reports what a journal asks of a coded dataset:

- percent agreement, Cohen's kappa and Krippendorff's alpha (nominal) on the classes;
- Krippendorff's alpha (ordinal) on the statuses at the outcome, each by its rank on its
  pledge's lifecycle, where both codings put every matched pledge on the same lifecycle and
  that lifecycle ranks its statuses (ranks of different lifecycles are compared as numbers:
  the shipped lifecycles rank alike, made below in progress below kept);
- the confusion matrix, each disagreement (with both sides' reasons), and the pledges only
  one side coded (each side's recall of the other).

The statistics are plain functions of plain data (:func:`percent_agreement`,
:func:`cohen_kappa`, :func:`krippendorff_alpha`), tested against published worked examples.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Literal, TypeVar

import attrs

from pledges.diff import Change, Diff, DiffRow, PointLike, compare
from pledges.errors import InvalidQuery
from pledges.ledger import Ledger
from pledges.model import Pledge

__all__ = [
    "Agreement",
    "Disagreement",
    "Match",
    "agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "match",
    "percent_agreement",
]

H = TypeVar("H", bound=Hashable)

MatchedBy = Literal["map", "id", "words"]
WORDS_NEEDED = 0.5
"""The least overlap of two pledges' words (Jaccard: shared ÷ all) to match them."""


# -- the statistics -------------------------------------------------------------------


def percent_agreement(pairs: Sequence[tuple[H, H]]) -> float:
    """The share of pairs whose two values are equal (1.0 for no pairs)."""
    if not pairs:
        return 1.0
    return sum(a == b for a, b in pairs) / len(pairs)


def cohen_kappa(pairs: Sequence[tuple[H, H]]) -> float:
    """Cohen's kappa of two coders' values, unit by unit: (observed − expected agreement) ÷
    (1 − expected), expected from each coder's own shares. 1.0 when both give one and the
    same value throughout (no chance to beat)."""
    if not pairs:
        return 1.0
    n = len(pairs)
    observed = percent_agreement(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[v] * second[v] for v in first) / (n * n)
    if expected == 1.0:  # both gave one and the same value throughout: observed is 1 too
        return 1.0
    return (observed - expected) / (1 - expected)


def _delta(metric: str, order: Sequence[H], totals: Mapping[H, float]) -> dict[tuple[H, H], float]:
    """The squared difference of every two values under the metric."""
    if metric == "nominal":
        return {(c, k): float(c != k) for c in order for k in order}
    if metric == "ordinal":
        position = {v: i for i, v in enumerate(order)}
        out = {}
        for c in order:
            for k in order:
                low, high = sorted((position[c], position[k]))
                between = sum(totals.get(order[g], 0.0) for g in range(low, high + 1))
                out[c, k] = (between - (totals.get(c, 0.0) + totals.get(k, 0.0)) / 2) ** 2
        return out
    if metric == "interval":
        return {(c, k): (float(c) - float(k)) ** 2 for c in order for k in order}  # type: ignore[arg-type]
    raise ValueError(f"unknown metric {metric!r}: nominal, ordinal or interval")


def krippendorff_alpha(
    units: Iterable[Sequence[H | None]],
    metric: str = "nominal",
    order: Sequence[H] | None = None,
) -> float:
    """Krippendorff's alpha: ``1 − observed ÷ expected disagreement``, for any number of
    coders and missing values (``None``). ``units`` holds, for each unit, the value each
    coder gave; units with fewer than two values are not pairable and left out. ``metric``
    is ``nominal``, ``ordinal`` (``order`` lists the values from lowest to highest; by
    default sorted) or ``interval`` (numbers). 1.0 when there is no disagreement to
    expect (a single value throughout)."""
    coincidence: defaultdict[tuple[H, H], float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[a, b] += 1 / (m - 1)
    totals: defaultdict[H, float] = defaultdict(float)
    for (a, _), weight in coincidence.items():
        totals[a] += weight
    n = sum(totals.values())
    if n <= 1:
        return 1.0
    values = list(order) if order is not None else sorted(totals)  # type: ignore[type-var]
    missing = [v for v in totals if v not in values]
    if missing:
        raise ValueError(f"values {missing!r} are not in the order given")
    delta = _delta(metric, values, totals)
    observed = sum(w * delta[a, b] for (a, b), w in coincidence.items())
    expected = sum(totals[a] * totals[b] * delta[a, b] for a in totals for b in totals) / (n - 1)
    if expected == 0:
        return 1.0
    return 1 - observed / expected


# -- matching -------------------------------------------------------------------------


@attrs.frozen
class Match:
    """A pledge of coding A and its counterpart in coding B; ``by`` says how they were
    matched (``map``, ``id`` or ``words``, with ``overlap`` the share of words shared)."""

    a: str
    b: str
    by: MatchedBy
    overlap: float = 1.0


_WORD = re.compile(r"\w+")


def _words(pledge: Pledge) -> frozenset[str]:
    quotes = " ".join(e.quote or "" for e in pledge.history[0].evidence)
    return frozenset(w.casefold() for w in _WORD.findall(f"{pledge.text} {quotes}"))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def match(
    a: Ledger, b: Ledger, mapping: Mapping[str, str | None] | None = None
) -> tuple[Match, ...]:
    """The pledges of ``a`` paired with those of ``b``: first as ``mapping`` says (an id of
    ``a`` to one of ``b``, or to ``None``: no counterpart), then by the same id, then, of
    those left, each pair whose words overlap most (at least :data:`WORDS_NEEDED`), best
    first. Each pledge is in one pair at most."""
    mapping = dict(mapping or {})
    ids_a = {p.id for p in a.pledges}
    ids_b = {p.id for p in b.pledges}
    wrong = [f"{k!r}" for k in mapping if k not in ids_a] + [
        f"{v!r}" for v in mapping.values() if v is not None and v not in ids_b
    ]
    if wrong:
        raise InvalidQuery(f"the mapping names pledges neither coding has: {', '.join(wrong)}")
    found: list[Match] = [Match(k, v, "map") for k, v in mapping.items() if v is not None]
    taken_a = set(mapping)
    taken_b = {v for v in mapping.values() if v is not None}
    for pledge in a.pledges:
        if pledge.id not in taken_a and pledge.id in ids_b and pledge.id not in taken_b:
            found.append(Match(pledge.id, pledge.id, "id"))
            taken_a.add(pledge.id)
            taken_b.add(pledge.id)
    left_a = [p for p in a.pledges if p.id not in taken_a]
    left_b = [p for p in b.pledges if p.id not in taken_b]
    words_b = {p.id: _words(p) for p in left_b}
    scored = sorted(
        ((-_jaccard(_words(p), words_b[q.id]), p.id, q.id) for p in left_a for q in left_b),
    )
    for score, id_a, id_b in scored:
        if -score < WORDS_NEEDED:
            break
        if id_a in taken_a or id_b in taken_b:
            continue
        found.append(Match(id_a, id_b, "words", round(-score, 3)))
        taken_a.add(id_a)
        taken_b.add(id_b)
    order = {p.id: i for i, p in enumerate(a.pledges)}
    return tuple(sorted(found, key=lambda m: order[m.a]))


# -- the comparison -------------------------------------------------------------------


@attrs.frozen
class Disagreement:
    """A pledge both coded whose calls differ: each side's row of its diff."""

    match: Match
    a: DiffRow
    b: DiffRow


@attrs.frozen
class Agreement:
    """Two codings of one round compared: the matching, the pairs of calls, the statistics,
    the confusion matrix, the disagreements and the pledges only one side coded."""

    diff_a: Diff
    diff_b: Diff
    matches: tuple[Match, ...]
    pairs: tuple[tuple[Change, Change], ...]
    percent: float
    kappa: float
    alpha: float
    alpha_ordinal: float | None
    confusion: tuple[tuple[Change, Change, int], ...]
    disagreements: tuple[Disagreement, ...]
    only_a: tuple[Pledge, ...]
    only_b: tuple[Pledge, ...]

    @property
    def recall_a(self) -> float:
        """The share of B's pledges of the round that A coded too."""
        both = len(self.pairs)
        return both / (both + len(self.only_b)) if both + len(self.only_b) else 1.0

    @property
    def recall_b(self) -> float:
        """The share of A's pledges of the round that B coded too."""
        both = len(self.pairs)
        return both / (both + len(self.only_a)) if both + len(self.only_a) else 1.0


def _ranked(ledger: Ledger, row: DiffRow) -> tuple[str, int] | None:
    lifecycle = ledger.lifecycle_of(row.pledge)
    ranks = {s.rank for s in lifecycle.statuses}
    return (lifecycle.id, lifecycle.status(row.after).rank) if len(ranks) > 1 else None


def agreement(
    a: Ledger,
    b: Ledger,
    baseline: PointLike | None = None,
    outcome: PointLike | None = None,
    *,
    mapping: Mapping[str, str | None] | None = None,
) -> Agreement:
    """Compare two codings of one round: the round's pledges in ``a`` (made by
    ``baseline``, judged at ``outcome``; by default ``a``'s first and last rounds) matched
    with ``b``'s, judged at the same two days."""
    diff_a = compare(a, baseline, outcome)
    diff_b = compare(b, diff_a.baseline.day, diff_a.outcome.day)
    rows_a = {r.pledge.id: r for r in diff_a.rows if r.change is not Change.NEW}
    rows_b = {r.pledge.id: r for r in diff_b.rows if r.change is not Change.NEW}
    matches = tuple(m for m in match(a, b, mapping) if m.a in rows_a and m.b in rows_b)
    pairs = tuple((rows_a[m.a].change, rows_b[m.b].change) for m in matches)
    order = list(Change)
    confusion = Counter(pairs)
    ranked = [(_ranked(a, rows_a[m.a]), _ranked(b, rows_b[m.b])) for m in matches]
    same_scale = [(x[1], y[1]) for x, y in ranked if x and y and x[0] == y[0]]
    ordinal = None
    if ranked and len(same_scale) == len(ranked):  # ranks of one scale on both sides
        ordinal = krippendorff_alpha(same_scale, metric="ordinal")
    matched_a = {m.a for m in matches}
    matched_b = {m.b for m in matches}
    return Agreement(
        diff_a=diff_a,
        diff_b=diff_b,
        matches=matches,
        pairs=pairs,
        percent=percent_agreement(pairs),
        kappa=cohen_kappa(pairs),
        alpha=krippendorff_alpha(pairs),
        alpha_ordinal=ordinal,
        confusion=tuple((x, y, confusion[x, y]) for x in order for y in order if confusion[x, y]),
        disagreements=tuple(
            Disagreement(m, rows_a[m.a], rows_b[m.b])
            for m in matches
            if rows_a[m.a].change is not rows_b[m.b].change
        ),
        only_a=tuple(r.pledge for i, r in rows_a.items() if i not in matched_a),
        only_b=tuple(r.pledge for i, r in rows_b.items() if i not in matched_b),
    )
