"""What changed between two ledgers, for people: plain text for a terminal, Markdown to paste
into a pull-request review, JSON for a program (``pledges changes``).

Each change is one line (a list item in Markdown) naming the pledge or record, the kind of
change and what it is; a status move, reaffirmation or new step is followed by the evidence
it cites. No changes, no output.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pledges import escape
from pledges.edits import Edit
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


def _json(edits: Sequence[Edit], new: Ledger) -> str:
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
    body = {"pledges_json": JSON_VERSION, "kind": "changes", "changes": rows}
    return to_json(body)


def render_changes(edits: Sequence[Edit], new: Ledger, fmt: str = "text") -> str:
    """The changes in ``fmt`` (one of :data:`CHANGE_FORMATS`); ``new`` is the later ledger,
    which names the sources the evidence cites. Empty text when there is no change (but for
    JSON, which always gives a document)."""
    if fmt == "json":
        return _json(edits, new)
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
        return "\n".join(lines) + "\n"
    lines = []
    for edit in edits:
        lines.append(_line(edit))
        lines += [f"    {e}" for e in _evidence_of(edit, new)]
    return "\n".join(lines) + "\n"
