"""Hypothesis strategies, a stateful machine and hostile inputs for testing lifecycles,
ledgers and everything that reads or writes them.

Needs Hypothesis (``pip install 'pledges[testing]'``). pledges' own tests use this kit, so it
cannot drift from the library. Point :class:`LifecycleMachine` at your own lifecycle::

    from pledges.testing import LifecycleMachine

    class MyRules(LifecycleMachine):
        lifecycle = MY_LIFECYCLE

    TestMyRules = MyRules.TestCase
"""

from pledges.testing.hostile import PAYLOADS, hostile_documents, hostile_ledger, hostile_texts
from pledges.testing.machine import LifecycleMachine
from pledges.testing.paths import (
    RuleCheck,
    check_rule,
    count,
    history_of,
    move_pairs,
    moves,
    paths,
)
from pledges.testing.strategies import (
    BREAKABLE_RULES,
    broken_histories,
    corrections_of,
    days,
    days_near,
    evidence,
    histories,
    ids,
    ledgers,
    partial_dates,
    pledge_records,
    searches,
    statuses,
    texts,
    windows,
)

__all__ = [
    "BREAKABLE_RULES",
    "PAYLOADS",
    "LifecycleMachine",
    "RuleCheck",
    "broken_histories",
    "check_rule",
    "corrections_of",
    "count",
    "days",
    "days_near",
    "evidence",
    "histories",
    "history_of",
    "hostile_documents",
    "hostile_ledger",
    "hostile_texts",
    "ids",
    "ledgers",
    "move_pairs",
    "moves",
    "partial_dates",
    "paths",
    "pledge_records",
    "searches",
    "statuses",
    "texts",
    "windows",
]
