"""Shared test set-up: Hypothesis profiles, chosen by the HYPOTHESIS_PROFILE variable.

``dev`` (default) is quick for local runs; ``ci`` runs more examples; ``long`` is for a
thorough run by hand; ``mutation`` is for mutmut (docs/development.md): the same examples on
every run, and a failure ends the test at once instead of being shrunk.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

settings.register_profile("dev", max_examples=6, deadline=None)
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "mutation",
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

SHARED_SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _forget_caches_under_mutmut() -> None:
    """Under mutmut, before each test, forget what the package keeps between calls
    (generated builders and writers, memoised functions): mutmut forks each mutant's run
    from a process that has run the tests already, and maps each function to the tests
    that run it, so code that runs once and is cached would be tested by none."""
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return
    import sys

    from pledges._fast import records

    records._builders.clear()
    records._writers.clear()
    for name, module in list(sys.modules.items()):
        if name == "pledges" or name.startswith("pledges."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Commands run by the tests keep their cache in a folder of the test run's own."""
    os.environ["PLEDGES_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def seeds_dir() -> Path:
    """The seed texts beside the checkout (../shared/seeds); skips where they are absent."""
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"the seed texts are not at {SHARED_SEEDS}")
    return SHARED_SEEDS


def _evidence(quote: str = "We will do it.") -> tuple[object, ...]:
    from pledges import Evidence

    return (Evidence("src", quote=quote),)


@pytest.fixture
def small_ledger() -> object:
    """Two actors, one source, two occasions, and three pledges: one kept (treaty), one
    renewing it, one never heard of again."""
    from pledges import (
        Actor,
        ActorKind,
        Ledger,
        Link,
        LinkKind,
        Occasion,
        PartialDate as D,
        Pledge,
        Source,
        Update,
        UpdateKind as K,
        Window,
    )

    ev = _evidence()
    return Ledger(
        title="Small",
        actors=(
            Actor("vn", "Vietnam", aliases=("Việt Nam",)),
            Actor("by", "Belarus"),
            Actor("to-lam", "To Lam", aliases=("Tô Lâm",), kind=ActorKind.PERSON),
        ),
        sources=(Source("src", "A report", url="https://example.org/report"),),
        occasions=(
            Occasion("talks-2014", "Talks", D.parse("2014-11-26"), place="Minsk"),
            Occasion("visit-2025", "Visit", D.parse("2025-05-11"), D.parse("2025-05-12")),
        ),
        pledges=(
            Pledge(
                "fta",
                "Sign the FTA",
                "Belarus will speed up the FTA.",
                ("by",),
                made_to=("vn",),
                occasion="talks-2014",
                topics=("trade",),
                lifecycle="treaty",
                window=Window.parse("2014-11/2015", "early signing"),
                history=(
                    Update(D.parse("2014-11-26"), "negotiating", K.MADE, ev),
                    Update(D.parse("2015-05-29"), "signed", K.PROGRESS, ev),
                    Update(D.parse("2016-10"), "in-force", K.PROGRESS, ev),
                ),
            ),
            Pledge(
                "fta-2025",
                "Leverage the FTA",
                "Both will use the FTA.",
                ("vn", "by"),
                occasion="visit-2025",
                topics=("trade",),
                links=(Link(LinkKind.RENEWS, "fta"),),
                history=(Update(D.parse("2025-05-12"), "made", K.MADE, ev),),
            ),
            Pledge(
                "viettel",
                "Facilitate Viettel",
                "Belarus will facilitate it.",
                ("by",),
                made_to=("vn",),
                occasion="talks-2014",
                topics=("investment", "telecoms"),
                window=Window.parse("2014/2016"),
                history=(Update(D.parse("2014-11-26"), "made", K.MADE, ev),),
            ),
        ),
    )
