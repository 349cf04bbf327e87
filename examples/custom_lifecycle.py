"""A lifecycle of your own, as TOML: loaded, checked, used in a ledger, mapped onto a preset.

Run it: ``python examples/custom_lifecycle.py``.
"""

from __future__ import annotations

from pledges import COMPLIANCE, Evidence, LoadError, PartialDate, Update, UpdateKind
from pledges.scales import ScaleMapping
from pledges.serialization import loads_lifecycle

MEDIATION = """
schema_version = 1
id = "mediation"
label = "Mediation"
initial = "proposed"

[[statuses]]
id = "proposed"
label = "Proposed"
to = ["accepted", "rejected"]

[[statuses]]
id = "accepted"
label = "Accepted by both"
score = 0
rank = 1
to = ["implemented", "abandoned"]

[[statuses]]
id = "implemented"
label = "Implemented"
kind = "fulfilled"
score = 1
rank = 2
final = true

[[statuses]]
id = "rejected"
label = "Rejected"
kind = "failed"
score = -1
final = true

[[statuses]]
id = "abandoned"
label = "Abandoned"
kind = "closed"
final = true
"""


def main() -> int:
    """Check the lifecycle, a history under it, a broken variant, and a mapping."""
    mediation = loads_lifecycle(MEDIATION, source="mediation.toml")
    print(f"{mediation.label}: {', '.join(mediation.ids)}")
    cited = [Evidence("press", summary="Press release.")]
    history = [
        Update(PartialDate.parse("2024-02"), "proposed", UpdateKind.MADE, cited),
        Update(PartialDate.parse("2024-05"), "accepted", UpdateKind.PROGRESS, cited),
        Update(PartialDate.parse("2024-09"), "implemented", UpdateKind.PROGRESS, cited),
    ]
    print("valid history:", mediation.violations(history) == ())
    reversed_history = [history[0], history[2]]
    print("skipping acceptance:", mediation.violations(reversed_history)[0])
    try:
        loads_lifecycle(
            MEDIATION.replace('to = ["implemented", "abandoned"]', 'to = ["done"]'),
            source="broken.toml",
        )
    except LoadError as error:
        print("a broken definition:", error)
    to_compliance = ScaleMapping(
        "mediation",
        "compliance",
        (
            ("proposed", "not-assessed"),
            ("accepted", "partial-compliance"),
            ("implemented", "full-compliance"),
            ("rejected", "non-compliance"),
            ("abandoned", "not-assessed"),
        ),
    )
    to_compliance.check(mediation, COMPLIANCE)
    print("implemented on the compliance scale:", to_compliance("implemented"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
