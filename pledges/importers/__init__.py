"""Bring existing trackers in: a spreadsheet with one promise a row, a compliance scorecard
with one column per member, and TrumpTracker's data.

Importers never crash on bad rows and never drop data silently. Every row or cell they cannot
take whole is left out and reported as a :class:`~pledges.errors.Problem` located by row (as a
spreadsheet numbers them), member or promise; what they decided on the way (the delimiter,
which column holds which field, ids changed, look-alike signs read as ASCII, columns kept as
extra fields) is listed in the result's notes. In strict mode (the default) any problem raises
:class:`~pledges.errors.LoadError` with all of them; with ``lenient=True`` the importer
imports what it can and returns the problems beside the ledger. No imported pledge holds a
status its row did not give.
"""

from pledges.importers._common import IdPolicy, ImportResult, UnmappedStatuses, fold_signs, replay
from pledges.importers._rows import FROM_FILE
from pledges.importers._sheet import DELIMITERS, FIELDS, Columns
from pledges.importers.derive import derive_lifecycle
from pledges.importers.scorecard import COMPLIANCE_SCORES, import_scorecard
from pledges.importers.spreadsheet import import_csv
from pledges.importers.trumptracker import (
    TRUMPTRACKER_STATUSES,
    TRUMPTRACKER_TO_DEFAULT,
    import_trumptracker,
)

__all__ = [
    "COMPLIANCE_SCORES",
    "DELIMITERS",
    "FIELDS",
    "FROM_FILE",
    "TRUMPTRACKER_STATUSES",
    "TRUMPTRACKER_TO_DEFAULT",
    "Columns",
    "IdPolicy",
    "ImportResult",
    "UnmappedStatuses",
    "derive_lifecycle",
    "fold_signs",
    "import_csv",
    "import_scorecard",
    "import_trumptracker",
    "replay",
]
