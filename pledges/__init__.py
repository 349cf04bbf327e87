"""pledges: track the commitments governments make to each other.

Each promise as data (:class:`Pledge`), a status lifecycle whose rules a machine checks
(:class:`Lifecycle`), evidence for every step (:class:`Evidence`), and a :class:`Ledger` that
answers "where did things stand on a given day".

>>> import pledges
>>> ledger = pledges.load_bundled()
>>> ledger.status_at("2014-fta", "2016-12-31")
'in-force'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pledges.bundled import load_bundled
    from pledges.changes import changes
    from pledges.dates import PartialDate, Precision, Window, as_of_day
    from pledges.diff import compare
    from pledges.errors import (
        DefinitionError,
        FieldTypeError,
        HistoryError,
        InvalidDate,
        InvalidField,
        InvalidQuery,
        LedgerInvalid,
        LoadError,
        NotFound,
        PledgesError,
        Problem,
        Rule,
        TransitionNotAllowed,
    )
    from pledges.ledger import Ledger
    from pledges.lifecycle import Lifecycle, Status, StatusKind
    from pledges.model import (
        Actor,
        ActorKind,
        Evidence,
        Link,
        LinkKind,
        Occasion,
        Pledge,
        PledgeKind,
        Search,
        Source,
        Update,
        UpdateKind,
    )
    from pledges.presets import COMPLIANCE, DEFAULT, POLITIFACT, PRESETS, TREATY
    from pledges.serialization import dumps, load, loads, save
    from pledges.summary import summarize

# Every public name, and the module that holds it: imported on first use (PEP 562), so that
# a command that needs little (a cached answer, --version) does not wait for everything.
_HOMES = {
    **dict.fromkeys(["load_bundled"], "pledges.bundled"),
    **dict.fromkeys(["changes"], "pledges.changes"),
    **dict.fromkeys(["PartialDate", "Precision", "Window", "as_of_day"], "pledges.dates"),
    **dict.fromkeys(["compare"], "pledges.diff"),
    **dict.fromkeys(
        [
            "DefinitionError",
            "FieldTypeError",
            "HistoryError",
            "InvalidDate",
            "InvalidField",
            "InvalidQuery",
            "LedgerInvalid",
            "LoadError",
            "NotFound",
            "PledgesError",
            "Problem",
            "Rule",
            "TransitionNotAllowed",
        ],
        "pledges.errors",
    ),
    **dict.fromkeys(["Ledger"], "pledges.ledger"),
    **dict.fromkeys(["Lifecycle", "Status", "StatusKind"], "pledges.lifecycle"),
    **dict.fromkeys(
        [
            "Actor",
            "ActorKind",
            "Evidence",
            "Link",
            "LinkKind",
            "Occasion",
            "Pledge",
            "PledgeKind",
            "Search",
            "Source",
            "Update",
            "UpdateKind",
        ],
        "pledges.model",
    ),
    **dict.fromkeys(
        ["COMPLIANCE", "DEFAULT", "POLITIFACT", "PRESETS", "TREATY"], "pledges.presets"
    ),
    **dict.fromkeys(["dumps", "load", "loads", "save"], "pledges.serialization"),
    **dict.fromkeys(["summarize"], "pledges.summary"),
}


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("pledges")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
    else:
        raise AttributeError(f"module 'pledges' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "COMPLIANCE",
    "DEFAULT",
    "POLITIFACT",
    "PRESETS",
    "TREATY",
    "Actor",
    "ActorKind",
    "DefinitionError",
    "Evidence",
    "FieldTypeError",
    "HistoryError",
    "InvalidDate",
    "InvalidField",
    "InvalidQuery",
    "Ledger",
    "LedgerInvalid",
    "Lifecycle",
    "Link",
    "LinkKind",
    "LoadError",
    "NotFound",
    "Occasion",
    "PartialDate",
    "Pledge",
    "PledgeKind",
    "PledgesError",
    "Precision",
    "Problem",
    "Rule",
    "Search",
    "Source",
    "Status",
    "StatusKind",
    "TransitionNotAllowed",
    "Update",
    "UpdateKind",
    "Window",
    "__version__",
    "as_of_day",
    "changes",
    "compare",
    "dumps",
    "load",
    "load_bundled",
    "loads",
    "save",
    "summarize",
]
