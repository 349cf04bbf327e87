"""What changed between two ledgers, for people: plain text for a terminal, Markdown to paste
into a pull-request review, JSON for a program (``pledges changes``).

Each change is one line (a list item in Markdown) naming the pledge or record, the kind of
change and what it is; a status move, reaffirmation or new step is followed by the evidence
it cites. A published call changed without a correction (a silent rewrite) is listed apart,
with the ``pledges correct`` command that records one. No changes, no output.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from pledges import escape
from pledges.edits import Edit, Rewrite
from pledges.ledger import Ledger
from pledges.model import Evidence
from pledges.present.phrases import cite
from pledges.present.render import JSON_VERSION, to_json

__all__ = ["CHANGE_FORMATS", "render_changes"]

CHANGE_FORMATS = ("text", "markdown", "json")
"""The formats :func:`render_changes` writes."""


def _evidence_line(ledger: Ledger, evidence: Evidence) -> str:
    said = f"“{evidence.quote}”" if evidence.quote else (evidence.summary or "")
    return f"{cite(ledger, evidence)}: {said}"


def _line(edit: Edit) -> str:
    down = " (down its scale)" if edit.regression else ""
    return f"{edit.subject}: {edit.kind.value}{down}: {edit.detail}"


def _evidence_of(edit: Edit, ledger: Ledger) -> list[str]:
    if edit.update is None or edit.kind.value.startswith("evidence"):
        return []
    return [_evidence_line(ledger, e) for e in edit.update.evidence]


def _rewrite_line(new: Ledger, rewrite: Rewrite) -> str:
    old = rewrite.update
    pledge = next((p for p in new.pledges if p.id == rewrite.pledge), None)
    label = new.lifecycle_of(pledge).label_of if pledge is not None else str
    if rewrite.now is None:
        what = "taken out" if pledge is not None else "taken out with its pledge"
    else:
        what = f"now {label(rewrite.now.status)}"  # the update of the same day in its place
    return (
        f"{rewrite.pledge}: the published call of {old.date} ({label(old.status)}) is {what}, "
        "with no correction"
    )


def proposal(rewrite: Rewrite, file: str) -> str:
    """The ``pledges correct`` command that records a correction of ``rewrite`` (the words
    in capitals are the curator's to write)."""
    argv = [
        "pledges", "correct", rewrite.pledge, file, "--update", str(rewrite.update.date),
        "--was", rewrite.update.status, "--wrong", "WHAT WAS WRONG", "--change",
        "WHAT CHANGED", "--why", "WHY", "--on", "YYYY-MM-DD",
    ]  # fmt: skip
    return shlex.join(argv)


def _json(edits: Sequence[Edit], silent: Sequence[Rewrite], file: str) -> str:
    rows: list[dict[str, Any]] = []
    for edit in edits:
        row: dict[str, Any] = {
            "kind": edit.kind.value,
            "subject": edit.subject,
            "detail": edit.detail,
            "regression": edit.regression,
        }
        if edit.update is not None:
            update = edit.update
            row["update"] = {
                "date": str(update.date),
                "status": update.status,
                "kind": update.kind.value,
                "note": update.note,
                "evidence": [
                    {"source": e.source, "quote": e.quote, "summary": e.summary}
                    for e in update.evidence
                ],
            }
        rows.append(row)
    unexplained = [
        {
            "pledge": r.pledge,
            "update": {"date": str(r.update.date), "status": r.update.status},
            "now": None if r.now is None else {"date": str(r.now.date), "status": r.now.status},
            "proposal": proposal(r, file),
        }
        for r in silent
    ]
    body = {
        "pledges_json": JSON_VERSION,
        "kind": "changes",
        "changes": rows,
        "rewrites": unexplained,
    }
    return to_json(body)


def render_changes(
    edits: Sequence[Edit],
    new: Ledger,
    fmt: str = "text",
    silent: Sequence[Rewrite] = (),
    file: str = "LEDGER",
) -> str:
    """The changes in ``fmt`` (one of :data:`CHANGE_FORMATS`); ``new`` is the later ledger,
    which names the sources the evidence cites; ``silent`` the published calls it changed
    without a correction, each with the command that records one (for the ledger ``file``).
    Empty text when there is no change (but for JSON, which always gives a document)."""
    if fmt not in CHANGE_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(CHANGE_FORMATS)}")
    if fmt == "json":
        return _json(edits, silent, file)
    if not edits:
        return ""
    if fmt == "markdown":
        regressions = sum(e.regression for e in edits)
        head = f"**{len(edits)} change{'s' * (len(edits) != 1)} to {escape.markdown(new.title)}**"
        if regressions:
            head += f" ({regressions} down the scale)"
        lines = [head, ""]
        for edit in edits:
            down = " **(down its scale)**" if edit.regression else ""
            lines.append(
                f"- **{escape.markdown(edit.subject)}** {escape.markdown(edit.kind.value)}"
                f"{down}: {escape.markdown(edit.detail)}"
            )
            lines += [f"  - {escape.markdown(e)}" for e in _evidence_of(edit, new)]
        if silent:
            lines += ["", f"**Published calls changed without a correction ({len(silent)})**", ""]
            for r in silent:
                lines.append(f"- {escape.markdown(_rewrite_line(new, r))}; record one:")
                lines.append(f"  {escape.markdown(proposal(r, file))}")
        return "\n".join(lines) + "\n"
    lines = []
    for edit in edits:
        lines.append(_line(edit))
        lines += [f"    {e}" for e in _evidence_of(edit, new)]
    if silent:
        lines += ["", f"Published calls changed without a correction ({len(silent)}):"]
        for r in silent:
            lines += [f"  {_rewrite_line(new, r)}; record one with", f"    {proposal(r, file)}"]
    return "\n".join(lines) + "\n"
