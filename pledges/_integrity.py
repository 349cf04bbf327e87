"""A ledger's look-up tables and the invariants checked while building them (private).

Every problem is collected, each located by a path such as ``$.pledges[3].history[1]``:
ids are unique, every reference resolves, no two actors answer to the same name, every
history keeps its lifecycle's rules, links point at pledges made no later, and links form no
cycle.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pledges.errors import Problem
from pledges.lifecycle import Lifecycle
from pledges.model import Actor, Correction, LinkKind, Occasion, Pledge, Source, Update, fold
from pledges.presets import PRESETS
from pledges.scales import declared

_R = TypeVar("_R", Actor, Source, Occasion, Pledge)


def effect_keys(history: Sequence[Update]) -> list[int]:
    """For each update, the first day (an ordinal) from which it is in effect: the smallest
    last day of it and of every later update, since a later update that counts implies the
    ones before it. Never decreasing, so a bisection finds how many updates count as of a
    day."""
    keys: list[int] = []
    running = sys.maxsize
    for update in reversed(history):
        running = min(running, update.date.last_ordinal)
        keys.append(running)
    keys.reverse()
    return keys


class Index:
    """Look-up tables of a ledger, and the problems found while building them."""

    def __init__(
        self,
        actors: Sequence[Actor],
        sources: Sequence[Source],
        occasions: Sequence[Occasion],
        pledges: Sequence[Pledge],
        lifecycles: Sequence[Lifecycle],
        corrections: Sequence[Correction] = (),
    ) -> None:
        self.problems: list[Problem] = []
        self.actors = self._unique("actor", "actors", actors)
        self.sources = self._unique("source", "sources", sources)
        self.occasions = self._unique("occasion", "occasions", occasions)
        self.pledges = self._unique("pledge", "pledges", pledges)
        self.lifecycles: dict[str, Lifecycle] = dict(PRESETS)
        for i, lifecycle in enumerate(lifecycles):
            if PRESETS.get(lifecycle.id) == lifecycle:
                continue  # a preset declared as it is: nothing to add
            if lifecycle.id in self.lifecycles:
                self._problem(
                    f"$.lifecycles[{i}].id",
                    f"duplicate lifecycle id {lifecycle.id!r}"
                    " (the presets default, politifact, compliance and treaty are taken)",
                )
            self.lifecycles[lifecycle.id] = lifecycle
        self._check_mappings(lifecycles)
        self.actor_names = self._names(actors)
        self.incoming: dict[str, list[tuple[LinkKind, str]]] = {}
        self._keys: dict[str, list[int]] = {}
        self._check_occasions(occasions)
        self._check_pledges(pledges)
        self._check_cycles(pledges)
        self._check_corrections(corrections)

    def _check_corrections(self, corrections: Sequence[Correction]) -> None:
        """A correction names sources of the ledger, and a status of its pledge's lifecycle
        (``was``) when the pledge is still there: a correction may record that a pledge was
        taken out."""
        for i, correction in enumerate(corrections):
            at = f"$.corrections[{i}]"
            pledge = self.pledges.get(correction.pledge)
            if pledge is not None and correction.was is not None:
                lifecycle = self.lifecycles.get(pledge.lifecycle)
                if lifecycle is not None and correction.was not in lifecycle:
                    self._problem(
                        f"{at}.was", f"{correction.was!r} is not a status of {lifecycle.id!r}"
                    )
            self._refs(f"{at}.sources", "source", self.sources, correction.sources)

    def _check_mappings(self, lifecycles: Sequence[Lifecycle]) -> None:
        """Each mapping a declared lifecycle's statuses give (``onto``) names a known
        lifecycle and maps every status onto one of its statuses."""
        for i, lifecycle in enumerate(lifecycles):
            for mapping in declared([lifecycle]):
                target = self.lifecycles.get(mapping.target)
                if target is None:
                    self._problem(
                        f"$.lifecycles[{i}]",
                        f"lifecycle {lifecycle.id!r} maps onto unknown lifecycle "
                        f"{mapping.target!r}",
                    )
                    continue
                for problem in mapping.problems(lifecycle, target):
                    self.problems.append(problem.within(f"$.lifecycles[{i}]"))

    def keys(self, pledge: Pledge) -> list[int]:
        """The effect keys of a pledge's history, built once per pledge of this ledger."""
        if self.pledges.get(pledge.id) is not pledge:  # not this ledger's: nothing to cache
            return effect_keys(pledge.history)
        found = self._keys.get(pledge.id)
        if found is None:
            found = self._keys[pledge.id] = effect_keys(pledge.history)
        return found

    def _problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def _unique(self, kind: str, field: str, records: Iterable[_R]) -> dict[str, _R]:
        table: dict[str, _R] = {}
        first: dict[str, int] = {}
        for i, record in enumerate(records):
            if record.id in table:
                self._problem(
                    f"$.{field}[{i}].id",
                    f"duplicate {kind} id {record.id!r} (first at $.{field}[{first[record.id]}])",
                )
                continue
            table[record.id] = record
            first[record.id] = i
        return table

    def _names(self, actors: Iterable[Actor]) -> dict[str, Actor]:
        names: dict[str, Actor] = {}
        for i, actor in enumerate(actors):
            for name in {fold(n) for n in (actor.id, *actor.names)}:
                other = names.setdefault(name, actor)
                if other.id != actor.id:
                    self._problem(
                        f"$.actors[{i}]",
                        f"actor {actor.id!r} answers to {name!r}, as actor {other.id!r} does",
                    )
        return names

    def _refs(self, where: str, kind: str, table: dict[str, Any], refs: Iterable[str]) -> None:
        for ref in refs:
            if ref not in table:
                self._problem(where, f"unknown {kind} {ref!r}")

    def _check_occasions(self, occasions: Iterable[Occasion]) -> None:
        for i, occasion in enumerate(occasions):
            self._refs(
                f"$.occasions[{i}].participants", "actor", self.actors, occasion.participants
            )

    def _check_pledges(self, pledges: Iterable[Pledge]) -> None:
        for i, pledge in enumerate(pledges):
            at = f"$.pledges[{i}]"
            self._refs(f"{at}.made_by", "actor", self.actors, pledge.made_by)
            self._refs(f"{at}.made_to", "actor", self.actors, pledge.made_to)
            if pledge.occasion is not None:
                self._refs(f"{at}.occasion", "occasion", self.occasions, [pledge.occasion])
            for j, link in enumerate(pledge.links):
                self._check_link(f"{at}.links[{j}]", pledge, link.pledge)
                self.incoming.setdefault(link.pledge, []).append((link.kind, pledge.id))
            for j, search in enumerate(pledge.searches):
                where = f"{at}.searches[{j}].sources"
                self._refs(where, "source", self.sources, search.sources)
            for j, update in enumerate(pledge.history):
                if update.occasion is not None:
                    where = f"{at}.history[{j}].occasion"
                    self._refs(where, "occasion", self.occasions, [update.occasion])
                for k, evidence in enumerate(update.evidence):
                    self._refs(
                        f"{at}.history[{j}].evidence[{k}].source",
                        "source",
                        self.sources,
                        [evidence.source],
                    )
            lifecycle = self.lifecycles.get(pledge.lifecycle)
            if lifecycle is None:
                self._problem(f"{at}.lifecycle", f"unknown lifecycle {pledge.lifecycle!r}")
                continue
            for error in lifecycle.violations(pledge.history, pledge.id):
                self._problem(f"{at}.history[{error.index}]", error.message)
            for j, update in enumerate(pledge.history):
                other = update.alternative
                if other is not None and (
                    other.status not in lifecycle or other.status == update.status
                ):
                    self._problem(
                        f"{at}.history[{j}].alternative.status",
                        f"{other.status!r} is not another status of {lifecycle.id!r}",
                    )

    def _check_link(self, where: str, pledge: Pledge, target_id: str) -> None:
        target = self.pledges.get(target_id)
        if target is None:
            self._problem(where, f"unknown pledge {target_id!r}")
        elif target.id == pledge.id:
            self._problem(where, f"pledge {pledge.id!r} links to itself")
        elif pledge.made_on.certainly_before(target.made_on):
            self._problem(
                where,
                f"pledge {pledge.id!r} (made {pledge.made_on}) links to {target.id!r}, "
                f"which was made later ({target.made_on})",
            )

    def _check_cycles(self, pledges: Sequence[Pledge]) -> None:
        """Links of every kind, followed from pledge to pledge, never come back: a pledge
        cannot (through others) renew, supersede or be part of itself."""
        position = {p.id: i for i, p in reversed(list(enumerate(pledges)))}
        done: set[str] = set()
        for pledge in pledges:
            if pledge.id in done:
                continue
            path: list[str] = []
            on_path: set[str] = set()
            stack: list[tuple[str, int]] = [(pledge.id, 0)]
            while stack:
                current, next_link = stack.pop()
                if next_link == 0:
                    path.append(current)
                    on_path.add(current)
                links = self.pledges[current].links  # only known ids are pushed
                if next_link < len(links):
                    stack.append((current, next_link + 1))
                    target = links[next_link].pledge
                    if target in on_path and target != current:
                        cycle = [*path[path.index(target) :], target]
                        self._problem(
                            f"$.pledges[{position[current]}].links[{next_link}]",
                            f"links form a cycle: {' -> '.join(cycle)}",
                        )
                    elif target not in done and target not in on_path and target in self.pledges:
                        stack.append((target, 0))
                    continue
                path.pop()
                on_path.discard(current)
                done.add(current)
