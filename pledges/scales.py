"""Mappings between status scales, so that trackers on different scales can be compared.

A :class:`ScaleMapping` sends every status of one lifecycle to a status of another. Presets map
PolitiFact's ratings, the default lifecycle and the treaty lifecycle onto the −1 / 0 / +1
compliance scale (and the treaty lifecycle onto the default one); :func:`find` chains two when
no direct mapping exists.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from pledges._checks import as_tuple, id_text
from pledges.errors import DefinitionError, NotFound
from pledges.lifecycle import Lifecycle

__all__ = [
    "DEFAULT_TO_COMPLIANCE",
    "MAPPINGS",
    "POLITIFACT_TO_COMPLIANCE",
    "TREATY_TO_DEFAULT",
    "ScaleMapping",
    "find",
]


@attrs.frozen
class ScaleMapping:
    """Each status of lifecycle ``source`` sent to a status of lifecycle ``target``."""

    source: str = attrs.field(validator=id_text)
    target: str = attrs.field(validator=id_text)
    statuses: tuple[tuple[str, str], ...] = attrs.field(converter=as_tuple)

    def __call__(self, status: str) -> str:
        """The status on the target scale; :class:`~pledges.errors.NotFound` if unmapped."""
        for source, target in self.statuses:
            if source == status:
                return target
        raise NotFound(
            f"mapping from {self.source!r} for status", status, [s for s, _ in self.statuses]
        )

    def check(self, source: Lifecycle, target: Lifecycle) -> None:
        """Raise :class:`~pledges.errors.DefinitionError` listing every status of ``source``
        left unmapped and every target status ``target`` does not know."""
        mapped = dict(self.statuses)
        problems = [
            f"status {s!r} of {source.id!r} is not mapped" for s in source.ids if s not in mapped
        ]
        problems += [
            f"{s!r} maps to {t!r}, which {target.id!r} does not know"
            for s, t in self.statuses
            if t not in target
        ]
        problems += [f"{s!r} is not a status of {source.id!r}" for s in mapped if s not in source]
        if problems:
            raise DefinitionError(f"{self.source}->{self.target}", problems)

    def then(self, other: ScaleMapping) -> ScaleMapping:
        """This mapping followed by ``other`` (whose source is this one's target)."""
        if other.source != self.target:
            raise ValueError(
                f"cannot chain {self.source}->{self.target} with {other.source}->{other.target}"
            )
        return ScaleMapping(
            self.source, other.target, tuple((s, other(t)) for s, t in self.statuses)
        )


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in (pair.split(">") for pair in text.split()))


POLITIFACT_TO_COMPLIANCE = ScaleMapping(
    "politifact",
    "compliance",
    _pairs(
        "not-yet-rated>not-assessed in-the-works>partial-compliance stalled>non-compliance "
        "compromise>partial-compliance promise-kept>full-compliance promise-broken>non-compliance"
    ),
)
"""PolitiFact's six ratings on the −1 / 0 / +1 scale (Stalled counts as no compliance)."""

DEFAULT_TO_COMPLIANCE = ScaleMapping(
    "default",
    "compliance",
    _pairs(
        "made>not-assessed in-progress>partial-compliance stalled>non-compliance "
        "partially-fulfilled>partial-compliance fulfilled>full-compliance broken>non-compliance "
        "withdrawn>not-assessed superseded>not-assessed"
    ),
)
"""The default lifecycle on the compliance scale (withdrawn and superseded are not assessed)."""

TREATY_TO_DEFAULT = ScaleMapping(
    "treaty",
    "default",
    _pairs(
        "negotiating>made signed>in-progress ratified>in-progress in-force>fulfilled "
        "terminated>withdrawn"
    ),
)
"""The treaty lifecycle on the default one: signed and ratified are progress, in force kept."""

MAPPINGS: tuple[ScaleMapping, ...] = (
    POLITIFACT_TO_COMPLIANCE,
    DEFAULT_TO_COMPLIANCE,
    TREATY_TO_DEFAULT,
)
"""The preset mappings."""


def find(source: str, target: str, mappings: Iterable[ScaleMapping] = MAPPINGS) -> ScaleMapping:
    """A mapping from lifecycle ``source`` to ``target``: the identity, a direct one, or two
    chained; :class:`~pledges.errors.NotFound` when there is none."""
    known = tuple(mappings)
    for mapping in known:
        if (mapping.source, mapping.target) == (source, target):
            return mapping
    for first in known:
        if first.source != source:
            continue
        for second in known:
            if (second.source, second.target) == (first.target, target):
                return first.then(second)
    raise NotFound("mapping", f"{source}->{target}", [f"{m.source}->{m.target}" for m in known])
