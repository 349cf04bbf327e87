"""The lifecycles that ship with pledges.

Their one source is the TOML files in ``pledges/lifecycles/`` (``pledges lifecycle NAME
--format toml`` prints one to start your own from). Four are presets that every ledger knows:
:data:`DEFAULT`, :data:`POLITIFACT`, :data:`COMPLIANCE` (the G7/G20 Research Group's
-1 / 0 / +1 scale) and :data:`TREATY`; ``trumptracker`` ships for that importer.

Reading them is reading the package's own data, checked by the same constructors as any
lifecycle; user files go through :mod:`pledges.serialization`, which reports problems by path.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from pledges.errors import NotFound
from pledges.lifecycle import Lifecycle, Status

__all__ = ["COMPLIANCE", "DEFAULT", "POLITIFACT", "PRESETS", "SHIPPED", "TREATY", "shipped"]

SHIPPED: tuple[str, ...] = ("default", "politifact", "compliance", "treaty", "trumptracker")
"""The names of the lifecycle files that ship with pledges."""


def shipped_text(name: str) -> str:
    """The TOML text of a shipped lifecycle; :class:`~pledges.errors.NotFound` if there is
    no such file."""
    if name not in SHIPPED:
        raise NotFound("shipped lifecycle", name, SHIPPED)
    return resources.files("pledges").joinpath("lifecycles", f"{name}.toml").read_text("utf-8")


def _build(data: dict[str, Any]) -> Lifecycle:
    fields = {k: v for k, v in data.items() if k != "schema_version"}
    statuses = [Status(**status) for status in fields.pop("statuses")]
    return Lifecycle(statuses=statuses, **fields)


def shipped(name: str) -> Lifecycle:
    """A shipped lifecycle by name (one of :data:`SHIPPED`)."""
    return _build(tomllib.loads(shipped_text(name)))


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
