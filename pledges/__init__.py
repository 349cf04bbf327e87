"""pledges: track the commitments governments make to each other.

Each promise as data (:class:`Pledge`), a status lifecycle whose rules a machine checks
(:class:`Lifecycle`), evidence for every step (:class:`Evidence`), and a :class:`Ledger` that
answers "where did things stand on a given day".

>>> import pledges
>>> ledger = pledges.load_bundled()
>>> ledger.status_at("2014-fta", "2016-12-31")
'in-force'
"""

from importlib import metadata

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

try:
    __version__ = metadata.version("pledges")
except metadata.PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

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
