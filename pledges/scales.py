"""Mappings between status scales, so that trackers on different scales can be compared.

A :class:`ScaleMapping` sends every status of one lifecycle to a status of another. Mappings
are declared in the lifecycles themselves: each status may say which status of another
lifecycle it stands for (``onto = { compliance = "full-compliance" }`` in a lifecycle file).
The shipped lifecycles declare default, PolitiFact, treaty and TrumpTracker onto the -1 / 0 /
+1 compliance scale, PolitiFact, treaty and TrumpTracker onto the default lifecycle, and
TrumpTracker onto PolitiFact. The compliance scale maps onto nothing: it cannot say whether a
pledge was withdrawn or is still being worked on. :func:`find` chains two mappings when no
direct one exists.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from pledges import _fields as f
from pledges.errors import DefinitionError, NotFound, Problem
from pledges.lifecycle import Lifecycle
from pledges.presets import PRESETS, SHIPPED, shipped

__all__ = ["MAPPINGS", "ScaleMapping", "declared", "find"]


@attrs.frozen
class ScaleMapping:
    """Each status of lifecycle ``source`` sent to a status of lifecycle ``target``."""

    source: str = attrs.field(validator=f.identifier)
    target: str = attrs.field(validator=f.identifier)
    statuses: tuple[tuple[str, str], ...] = attrs.field(converter=f.to_pairs)

    @property
    def name(self) -> str:
        """``source->target``."""
        return f"{self.source}->{self.target}"

    def __call__(self, status: str) -> str:
        """The status on the target scale; :class:`~pledges.errors.NotFound` if unmapped."""
        for source, target in self.statuses:
            if source == status:
                return target
        raise NotFound(f"status mapped by {self.name}", status, [s for s, _ in self.statuses])

    def problems(self, source: Lifecycle, target: Lifecycle) -> list[Problem]:
        """Every status of ``source`` left unmapped and every target status ``target`` does
        not know, located in ``source``'s definition."""
        mapped = dict(self.statuses)
        found = []
        for i, status in enumerate(source.statuses):
            where = f"$.statuses[{i}].onto"
            if status.id not in mapped:
                found.append(Problem(where, f"status {status.id!r} has no status on {target.id!r}"))
            elif mapped[status.id] not in target:
                message = f"{status.id!r} maps to {mapped[status.id]!r}, which {target.id!r} lacks"
                found.append(Problem(where, message))
        found += [
            Problem("$", f"{s!r} is not a status of {source.id!r}")
            for s in mapped
            if s not in source
        ]
        return found

    def check(self, source: Lifecycle, target: Lifecycle) -> None:
        """Raise :class:`~pledges.errors.DefinitionError` listing every problem."""
        problems = self.problems(source, target)
        if problems:
            raise DefinitionError("scale mapping", self.name, problems)

    def then(self, other: ScaleMapping) -> ScaleMapping:
        """This mapping followed by ``other`` (whose source is this one's target)."""
        if other.source != self.target:
            raise DefinitionError(
                "scale mapping",
                f"{self.name} then {other.name}",
                [Problem("$", f"{other.name} does not start where {self.name} ends")],
            )
        return ScaleMapping(
            self.source, other.target, tuple((s, other(t)) for s, t in self.statuses)
        )


def declared(lifecycles: Iterable[Lifecycle]) -> tuple[ScaleMapping, ...]:
    """The mappings the lifecycles' statuses declare (``onto``), one per lifecycle and
    target; statuses that declare nothing for a target are left out (see
    :meth:`ScaleMapping.problems`)."""
    found: list[ScaleMapping] = []
    for lifecycle in lifecycles:
        targets = dict.fromkeys(t for s in lifecycle.statuses for t, _ in s.onto)
        for target in targets:
            pairs = [
                (s.id, dict(s.onto)[target]) for s in lifecycle.statuses if target in dict(s.onto)
            ]
            found.append(ScaleMapping(lifecycle.id, target, tuple(pairs)))
    return tuple(found)


MAPPINGS: tuple[ScaleMapping, ...] = declared(
    [*PRESETS.values(), *(shipped(name) for name in SHIPPED if name not in PRESETS)]
)
"""The mappings the shipped lifecycles declare."""


def find(source: str, target: str, mappings: Iterable[ScaleMapping] = MAPPINGS) -> ScaleMapping:
    """A mapping from lifecycle ``source`` to ``target``: a direct one, or two chained;
    :class:`~pledges.errors.NotFound` when there is none."""
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
    raise NotFound("mapping", f"{source}->{target}", [m.name for m in known])
