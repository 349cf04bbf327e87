"""Check evidence against the texts it quotes.

For every source with a local ``path``: the file must lie inside the texts directory (no
``..``, absolute paths or symlinks out), its sha256 must match the ledger's, and every quote
citing it must appear in it verbatim. "Verbatim" allows only white space and typographic
quotes to differ (“ ” ‘ ’ and their kin count as " and '); case and diacritics count.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from pledges.errors import Problem
from pledges.ledger import Ledger

__all__ = ["normalise", "verify"]

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "″": '"',
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold white space runs to one space and typographic quotes to plain ones."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def _inside(root: Path, relative: str) -> Path | None:
    """The file ``relative`` names under ``root``, or ``None`` if it would lie outside it."""
    if os.path.isabs(relative) or ".." in Path(relative).parts:
        return None
    candidate = (root / relative).resolve()
    return candidate if candidate.is_relative_to(root.resolve()) else None


def verify(ledger: Ledger, texts: str | os.PathLike[str]) -> tuple[Problem, ...]:
    """Every problem found checking the ledger's local sources and quotes against the texts
    in the directory ``texts`` (empty when all is well)."""
    root = Path(texts)
    problems: list[Problem] = []
    contents: dict[str, str] = {}
    for i, source in enumerate(ledger.sources):
        if source.path is None:
            continue
        where = f"$.sources[{i}].path"
        path = _inside(root, source.path)
        if path is None:
            problems.append(
                Problem(where, f"source {source.id!r}: path {source.path!r} leads outside {root}")
            )
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(
                Problem(where, f"source {source.id!r}: cannot read {path}: {exc.strerror}")
            )
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source.sha256:
            message = f"source {source.id!r}: {path} has sha256 {digest}, not {source.sha256}"
            problems.append(Problem(f"$.sources[{i}].sha256", message))
            continue
        contents[source.id] = normalise(raw.decode("utf-8", errors="replace"))
    for i, pledge in enumerate(ledger.pledges):
        for j, update in enumerate(pledge.history):
            for k, evidence in enumerate(update.evidence):
                text = contents.get(evidence.source)
                if evidence.quote is None or text is None:
                    continue
                if normalise(evidence.quote) not in text:
                    problems.append(
                        Problem(
                            f"$.pledges[{i}].history[{j}].evidence[{k}].quote",
                            f"pledge {pledge.id!r}: quote not found in {evidence.source!r}: "
                            f"{evidence.quote!r}",
                        )
                    )
    return tuple(problems)
