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

import ast
import functools
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pledges._version import __version__ as __version__

# The one list of public names: each imported from its home, here for type checkers and
# readers; at run time a name is imported from the module this block names on first use
# (PEP 562), so that a command that needs little (a cached answer, --version) does not wait
# for everything.
if TYPE_CHECKING:
    from pledges.bundled import (
        load_bundled as load_bundled,
    )
    from pledges.dates import (
        PartialDate as PartialDate,
        Precision as Precision,
        Window as Window,
        as_of_day as as_of_day,
    )
    from pledges.diff import (
        compare as compare,
    )
    from pledges.edits import (
        changes as changes,
        rewrites as rewrites,
    )
    from pledges.errors import (
        DefinitionError as DefinitionError,
        FieldTypeError as FieldTypeError,
        HistoryError as HistoryError,
        InvalidDate as InvalidDate,
        InvalidField as InvalidField,
        InvalidQuery as InvalidQuery,
        LedgerInvalid as LedgerInvalid,
        LoadError as LoadError,
        NotFound as NotFound,
        PledgesError as PledgesError,
        Problem as Problem,
        Rule as Rule,
        TransitionNotAllowed as TransitionNotAllowed,
    )
    from pledges.ledger import (
        Ledger as Ledger,
    )
    from pledges.lifecycle import (
        Lifecycle as Lifecycle,
        Status as Status,
        StatusKind as StatusKind,
    )
    from pledges.model import (
        Actor as Actor,
        ActorKind as ActorKind,
        Alternative as Alternative,
        Confidence as Confidence,
        Correction as Correction,
        Evidence as Evidence,
        Extra as Extra,
        Link as Link,
        LinkKind as LinkKind,
        Occasion as Occasion,
        Pledge as Pledge,
        PledgeKind as PledgeKind,
        Search as Search,
        Source as Source,
        Update as Update,
        UpdateKind as UpdateKind,
    )
    from pledges.presets import (
        COMPLIANCE as COMPLIANCE,
        DEFAULT as DEFAULT,
        POLITIFACT as POLITIFACT,
        PRESETS as PRESETS,
        TREATY as TREATY,
    )
    from pledges.serialization import (
        dumps as dumps,
        load as load,
        loads as loads,
        save as save,
    )
    from pledges.summary import (
        summarize as summarize,
    )


@functools.cache
def _homes() -> dict[str, str]:
    """Each public name and its module, read from the block above."""
    tree = ast.parse(Path(__file__).read_text("utf-8"))
    guarded = next(n for n in tree.body if isinstance(n, ast.If))
    return {
        alias.name: node.module
        for node in guarded.body
        if isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names
    }


def __getattr__(name: str) -> Any:
    if name == "__all__":
        value: Any = sorted([*_homes(), "__version__"], key=lambda n: (not n.isupper(), n))
    elif name in _homes():
        value = getattr(importlib.import_module(_homes()[name]), name)
    else:
        raise AttributeError(f"module 'pledges' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_homes()})
