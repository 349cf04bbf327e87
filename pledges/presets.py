"""The lifecycles that ship with pledges.

Their one source is the TOML files in ``pledges/lifecycles/`` (``pledges lifecycle NAME
--format toml`` prints one to start your own from). Four are presets that every ledger knows:
:data:`DEFAULT`, :data:`POLITIFACT`, :data:`COMPLIANCE` (the G7/G20 Research Group's
-1 / 0 / +1 scale) and :data:`TREATY`; ``trumptracker`` ships for that importer.

Each is read as every lifecycle is, by :meth:`~pledges.lifecycle.Lifecycle.from_data`.
"""

from __future__ import annotations

import tomllib
from importlib import resources

from pledges.errors import NotFound
from pledges.lifecycle import Lifecycle

__all__ = ["COMPLIANCE", "DEFAULT", "POLITIFACT", "PRESETS", "SHIPPED", "TREATY", "shipped"]

SHIPPED: tuple[str, ...] = ("default", "politifact", "compliance", "treaty", "trumptracker")
"""The names of the lifecycle files that ship with pledges."""


def shipped_text(name: str) -> str:
    """The TOML text of a shipped lifecycle; :class:`~pledges.errors.NotFound` if there is
    no such file."""
    if name not in SHIPPED:
        raise NotFound("shipped lifecycle", name, SHIPPED)
    return resources.files("pledges").joinpath("lifecycles", f"{name}.toml").read_text("utf-8")


def shipped(name: str) -> Lifecycle:
    """A shipped lifecycle by name (one of :data:`SHIPPED`)."""
    return Lifecycle.from_data(tomllib.loads(shipped_text(name)))


DEFAULT = shipped("default")
"""A general lifecycle: made, in progress or stalled, then fulfilled (in full or in part),
broken, withdrawn or superseded."""

POLITIFACT = shipped("politifact")
"""PolitiFact's promise meter."""

COMPLIANCE = shipped("compliance")
"""The -1 / 0 / +1 compliance scale."""

TREATY = shipped("treaty")
"""The lifecycle of an agreement such as a free trade agreement or a visa exemption."""

PRESETS: dict[str, Lifecycle] = {lc.id: lc for lc in (DEFAULT, POLITIFACT, COMPLIANCE, TREATY)}
"""The preset lifecycles by id; every ledger knows them."""
