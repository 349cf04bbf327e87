"""What changed between two versions of a ledger, in a tracker's own terms, as records.

:func:`changes` compares two ledgers and gives one :class:`Edit` per thing a reviewer would
name: a pledge added or removed, a status move (with its date and evidence), a
reaffirmation, evidence added or removed, a quote, date or note edited, a link added or
removed, a pledge's field edited, and sources, actors, occasions and lifecycles added,
removed or edited. A status move down the pledge's scale (by the old or the new version of
its lifecycle) and a pledge removed with its history are marked ``regression``, so that a
tracker's CI can refuse them. Two equal ledgers give no change at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Any

import attrs

from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.model import Correction, Evidence, Pledge, Update, UpdateKind

__all__ = ["Edit", "EditKind", "Rewrite", "changes", "rewrites"]


class EditKind(StrEnum):
    """The kinds of change a review names."""

    PLEDGE_ADDED = "pledge added"
    PLEDGE_REMOVED = "pledge removed"
    STATUS_MOVED = "status moved"
    REAFFIRMED = "reaffirmed"
    UPDATE_ADDED = "update added"
    UPDATE_REMOVED = "update removed"
    UPDATE_EDITED = "update edited"
    EVIDENCE_ADDED = "evidence added"
    EVIDENCE_REMOVED = "evidence removed"
    EVIDENCE_EDITED = "evidence edited"
    LINK_ADDED = "link added"
    LINK_REMOVED = "link removed"
    PLEDGE_EDITED = "pledge edited"
    RECORD_ADDED = "record added"
    RECORD_REMOVED = "record removed"
    RECORD_EDITED = "record edited"
    LEDGER_EDITED = "ledger edited"
    CORRECTED = "corrected"


@attrs.frozen
class Edit:
    """One change: what kind, which pledge (or other record, ``record`` naming its kind and
    id), a sentence saying it, the update concerned (for moves and reaffirmations: its date,
    status and evidence), and whether it moves a pledge down its scale."""

    kind: EditKind
    subject: str
    detail: str
    update: Update | None = None
    regression: bool = False


def changes(old: Ledger, new: Ledger) -> tuple[Edit, ...]:
    """Every change from ``old`` to ``new``, pledges first (in ``new``'s order, removed ones
    last), then the other records."""
    found: list[Edit] = []
    old_pledges = {p.id: p for p in old.pledges}
    new_ids = {p.id for p in new.pledges}
    for pledge in new.pledges:
        before = old_pledges.get(pledge.id)
        if before is None:
            found.append(
                Edit(EditKind.PLEDGE_ADDED, pledge.id, f"{pledge.title!r}, made {pledge.made_on}")
            )
        else:
            found += _pledge_changes(old, new, before, pledge)
    for pledge in old.pledges:
        if pledge.id not in new_ids:
            detail = f"{pledge.title!r}, with its history"
            found.append(Edit(EditKind.PLEDGE_REMOVED, pledge.id, detail, regression=True))
    for field, kind in (
        ("sources", "source"),
        ("actors", "actor"),
        ("occasions", "occasion"),
        ("lifecycles", "lifecycle"),
    ):
        found += _record_changes(kind, getattr(old, field), getattr(new, field))
    for correction in new.corrections:
        if correction not in old.corrections:
            on = f" of {correction.update}" if correction.update else ""
            detail = f"{correction.on}: the update{on}: {correction.change}"
            found.append(Edit(EditKind.CORRECTED, correction.pledge, detail))
    records = ("actors", "sources", "occasions", "pledges", "lifecycles", "corrections")
    found += [Edit(EditKind.LEDGER_EDITED, "ledger", d) for d in _edited(old, new, records)]
    return tuple(found)


def _fields(record: Any, skip: Sequence[str] = ()) -> Iterator[tuple[str, Any]]:
    for field in attrs.fields(type(record)):
        if field.init and field.name not in skip:
            yield field.name, getattr(record, field.name)


def _edited(old: Any, new: Any, skip: Sequence[str] = ()) -> list[str]:
    """``field: old -> new`` for every field that differs."""
    return [
        f"{name}: {_short(value)} → {_short(getattr(new, name))}"
        for name, value in _fields(old, skip)
        if value != getattr(new, name)
    ]


def _short(value: Any) -> str:
    text = str(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _record_changes(kind: str, old: Sequence[Any], new: Sequence[Any]) -> list[Edit]:
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    found = []
    for record in new:
        if record.id not in before:
            found.append(Edit(EditKind.RECORD_ADDED, f"{kind} {record.id}", _label(record)))
        elif before[record.id] != record:
            for detail in _edited(before[record.id], record):
                found.append(Edit(EditKind.RECORD_EDITED, f"{kind} {record.id}", detail))
    for record in old:
        if record.id not in after:
            found.append(Edit(EditKind.RECORD_REMOVED, f"{kind} {record.id}", _label(record)))
    return found


def _label(record: Any) -> str:
    for name in ("title", "name", "label"):
        if hasattr(record, name):
            return repr(getattr(record, name))
    return ""


def _down(scales: Sequence[Lifecycle], before: str, after: str) -> bool:
    """True when the move goes down any of the scales that know both statuses (the old
    and the new version of a lifecycle whose ranks a change may also have changed)."""
    return any(lc.progress(before, after) < 0 for lc in scales if before in lc and after in lc)


def _pledge_changes(old: Ledger, new: Ledger, before: Pledge, after: Pledge) -> list[Edit]:
    if before == after:
        return []
    pid = after.id
    found = [
        Edit(EditKind.PLEDGE_EDITED, pid, detail)
        for detail in _edited(before, after, skip=("history", "links"))
    ]
    found += [
        Edit(EditKind.LINK_ADDED, pid, f"{link.kind.value} {link.pledge}")
        for link in after.links
        if link not in before.links
    ]
    found += [
        Edit(EditKind.LINK_REMOVED, pid, f"{link.kind.value} {link.pledge}")
        for link in before.links
        if link not in after.links
    ]
    lifecycle = new.lifecycle_of(after)
    scales = (old.lifecycle_of(before), lifecycle)
    common = min(len(before.history), len(after.history))
    for index in range(common):
        found += _update_changes(pid, index, before.history[index], after.history[index])
    for index in range(common, len(after.history)):
        update = after.history[index]
        previous = after.history[index - 1].status  # common >= 1: a history is never empty
        found.append(_step(pid, lifecycle, scales, previous, update))
    for index in range(common, len(before.history)):
        update = before.history[index]
        detail = f"[{index}] {update.date} {update.status} ({update.kind.value})"
        found.append(Edit(EditKind.UPDATE_REMOVED, pid, detail, update))
    flagged = any(e.regression for e in found)
    if not flagged and _down(scales, before.status, after.status):  # a history rewritten
        detail = f"now {after.status}, was {before.status}"
        found.append(Edit(EditKind.STATUS_MOVED, pid, detail, after.history[-1], True))
    return found


def _step(
    pid: str,
    lifecycle: Lifecycle,
    scales: Sequence[Lifecycle],
    previous: str,
    update: Update,
) -> Edit:
    """An update appended to a history: a move, a reaffirmation, or another step."""
    if update.status != previous:
        down = _down(scales, previous, update.status)
        detail = (
            f"{update.date}: {lifecycle.label_of(previous)} → {lifecycle.label_of(update.status)}"
        )
        return Edit(EditKind.STATUS_MOVED, pid, detail, update, down)
    if update.kind is UpdateKind.REAFFIRMED:
        detail = f"{update.date}: still {lifecycle.label_of(update.status)}"
        return Edit(EditKind.REAFFIRMED, pid, detail, update)
    detail = f"{update.date}: {update.kind.value}, {lifecycle.label_of(update.status)}"
    return Edit(EditKind.UPDATE_ADDED, pid, detail, update)


def _update_changes(pid: str, index: int, before: Update, after: Update) -> list[Edit]:
    if before == after:
        return []
    found = [
        Edit(EditKind.UPDATE_EDITED, pid, f"[{index}] {detail}", after)
        for detail in _edited(before, after, skip=("evidence",))
    ]
    found += _evidence_changes(pid, index, before.evidence, after.evidence, after)
    return found


def _evidence_changes(
    pid: str, index: int, old: Sequence[Evidence], new: Sequence[Evidence], update: Update
) -> list[Edit]:
    found = []
    common = min(len(old), len(new))
    for k in range(common):
        for detail in _edited(old[k], new[k]):
            found.append(Edit(EditKind.EVIDENCE_EDITED, pid, f"[{index}] {detail}", update))
    for evidence in new[common:]:
        detail = f"[{index}] from {evidence.source}: {_short(evidence.quote or evidence.summary)}"
        found.append(Edit(EditKind.EVIDENCE_ADDED, pid, detail, update))
    for evidence in old[common:]:
        detail = f"[{index}] from {evidence.source}: {_short(evidence.quote or evidence.summary)}"
        found.append(Edit(EditKind.EVIDENCE_REMOVED, pid, detail, update))
    return found


@attrs.frozen
class Rewrite:
    """A published call changed: a dated update of ``old`` whose status or date is not the
    same in the new version (``now``: the update in its place, ``None`` when it is gone, or
    its pledge is), with the correction of the new version that records it (``None``: a
    silent rewrite)."""

    pledge: str
    update: Update
    now: Update | None
    correction: Correction | None

    @property
    def silent(self) -> bool:
        """No correction records it."""
        return self.correction is None


def rewrites(old: Ledger, new: Ledger) -> tuple[Rewrite, ...]:
    """Every update of ``old`` that ``new`` changed in status or date, or took out (with its
    pledge, or without): a call once published changes only with a correction added in
    ``new`` that names the pledge and the update's date (a pledge taken out: any correction
    of it). An update is kept when the new history has one of the same date and status;
    updates added (at the end, or between, as a step found later) are news, not rewrites."""
    added = [c for c in new.corrections if c not in old.corrections]
    current = {p.id: p for p in new.pledges}
    found = []
    for pledge in old.pledges:
        after = current.get(pledge.id)
        kept = Counter((u.date, u.status) for u in (after.history if after else ()))
        for update in pledge.history:
            if kept[update.date, update.status] > 0:
                kept[update.date, update.status] -= 1
                continue
            same_day = [u for u in (after.history if after else ()) if u.date == update.date]
            now = same_day[0] if same_day else None
            correction = next(
                (
                    c
                    for c in added
                    if c.pledge == pledge.id and (after is None or c.update == update.date)
                ),
                None,
            )
            found.append(Rewrite(pledge.id, update, now, correction))
    return tuple(found)
