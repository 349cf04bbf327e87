"""pledges: track the commitments governments make to each other.

Each promise as data (:class:`Pledge`), a status lifecycle whose rules a machine checks
(:class:`Lifecycle`), evidence for every step (:class:`Evidence`), and a :class:`Ledger` that
answers "where did things stand on a given day".

>>> import pledges
>>> ledger = pledges.load_bundled()
>>> ledger.status_at("2014-fta", "2016-12-31")
'in-force'
"""

from pledges.bundled import load_bundled
from pledges.dates import PartialDate, Precision, Window, as_of_day
from pledges.errors import (
    DefinitionError,
    HistoryError,
    InvalidDate,
    LedgerInvalid,
    LoadError,
    NotFound,
    PledgesError,
    Problem,
    Rule,
    TransitionNotAllowed,
)
from pledges.ledger import Ledger
from pledges.lifecycle import (
    COMPLIANCE,
    DEFAULT,
    POLITIFACT,
    PRESETS,
    TREATY,
    Lifecycle,
    Status,
    StatusKind,
)
from pledges.model import (
    Actor,
    ActorKind,
    Evidence,
    Link,
    LinkKind,
    Occasion,
    Pledge,
    PledgeKind,
    Source,
    Update,
    UpdateKind,
)
from pledges.serialization import dumps, load, loads, save

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
    "HistoryError",
    "InvalidDate",
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
    "Source",
    "Status",
    "StatusKind",
    "TransitionNotAllowed",
    "Update",
    "UpdateKind",
    "Window",
    "__version__",
    "as_of_day",
    "dumps",
    "load",
    "load_bundled",
    "loads",
    "save",
]

__version__ = "0.1.0"
