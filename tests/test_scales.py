"""Lifecycles as TOML files, and mappings between scales."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pledges import PRESETS, DefinitionError, LoadError, load_bundled, summarize
from pledges.cli import main
from pledges.presets import SHIPPED, shipped
from pledges.scales import MAPPINGS, ScaleMapping, find
from pledges.serialization import loads_lifecycle

FILES = Path(__file__).resolve().parent.parent / "pledges" / "lifecycles"


def test_every_shipped_lifecycle_is_a_file() -> None:
    assert sorted(p.stem for p in FILES.glob("*.toml")) == sorted(SHIPPED)
    assert [shipped(n).id for n in SHIPPED] == list(SHIPPED)
    assert {name: shipped(name) for name in PRESETS} == PRESETS


BAD = """schema_version = 1
id = "bad"
label = "Bad"
initial = "{initial}"

[[statuses]]
id = "open"
label = "Open"
to = ["done", "ghost"]

[[statuses]]
id = "done"
label = "Done"
final = true
to = ["open"]

[[statuses]]
id = "orphan"
label = "Orphan"
"""


def test_a_lifecycle_file_with_mistakes_lists_every_one() -> None:
    with pytest.raises(LoadError) as caught:
        loads_lifecycle(BAD.format(initial="open"), source="bad.toml")
    assert [str(p) for p in caught.value.problems] == [
        "status 'open' moves to unknown status 'ghost' @ $.statuses[0].to[1]",
        "final status 'done' has moves out of it (open); a final status may only be reopened "
        "(reopen_to) @ $.statuses[1].to",
        "status 'orphan' cannot be reached from 'open' @ $.statuses[2]",
    ]
    with pytest.raises(LoadError, match="initial status 'start' is not one of its statuses"):
        loads_lifecycle(BAD.format(initial="start"))
    with pytest.raises(LoadError, match="unknown key 'colour'"):
        loads_lifecycle(BAD.format(initial="open") + 'colour = "red"\n')


def test_the_lifecycle_command_shows_and_checks(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["lifecycle", "politifact"], out, err) == 0
    assert "Promise Kept" in out.getvalue()
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD.format(initial="open"), encoding="utf-8")
    assert main(["lifecycle", str(bad)], out, err) == 1
    assert "cannot be reached" in err.getvalue()
    assert main(["lifecycle", "treaty", "--format", "toml"], out, err) == 0


def test_every_shipped_mapping_covers_its_scales() -> None:
    pairs = {(m.source, m.target) for m in MAPPINGS}
    assert pairs == {
        ("default", "compliance"),
        ("politifact", "compliance"),
        ("politifact", "default"),
        ("treaty", "compliance"),
        ("treaty", "default"),
        ("trumptracker", "compliance"),
        ("trumptracker", "default"),
        ("trumptracker", "politifact"),
    }
    for mapping in MAPPINGS:
        mapping.check(shipped(mapping.source), shipped(mapping.target))


def test_a_direct_mapping_agrees_with_the_chain_through_default() -> None:
    for source in ("politifact", "treaty", "trumptracker"):
        direct = find(source, "compliance")
        chained = find(source, "default").then(find("default", "compliance"))
        assert direct.statuses == chained.statuses, source


def test_mappings_chain() -> None:
    chained = find("treaty", "compliance")
    assert chained("in-force") == "full-compliance"
    assert chained("negotiating") == "not-assessed"
    with pytest.raises(KeyError):
        find("compliance", "treaty")


def test_a_mapping_that_leaves_statuses_out_is_refused() -> None:
    partial = ScaleMapping("treaty", "default", (("signed", "in-progress"), ("x", "nowhere")))
    with pytest.raises(DefinitionError) as caught:
        partial.check(PRESETS["treaty"], PRESETS["default"])
    assert (caught.value.kind, caught.value.name) == ("scale mapping", "treaty->default")
    assert str(caught.value).startswith("scale mapping 'treaty->default' is not valid: ")
    found = [str(p) for p in caught.value.problems]
    assert "status 'negotiating' has no status on 'default' @ $.statuses[0].onto" in found
    assert "'x' is not a status of 'treaty' @ $" in found


def test_a_lifecycle_file_declares_its_own_mapping(tmp_path: Path) -> None:
    from pledges import Actor, Evidence, Ledger, Pledge, Source, Update, UpdateKind

    mine = loads_lifecycle(MINE)
    pledge = Pledge(
        "p",
        "T",
        "X",
        ("a",),
        (
            Update("2020", "open", UpdateKind.MADE, (Evidence("s", quote="q"),)),
            Update("2021", "kept", UpdateKind.PROGRESS, (Evidence("s", quote="q"),)),
        ),
        lifecycle="meter",
    )
    ledger = Ledger(
        "L", (Actor("a", "A"),), (Source("s", "S", url="https://x.org"),), (), (pledge,), (mine,)
    )
    summary = summarize(ledger, "2022", scale=PRESETS["compliance"])
    assert [(c.status.id, c.count) for c in summary.total.statuses] == [("full-compliance", 1)]
    broken = MINE.replace('onto = { compliance = "not-assessed" }', "")
    with pytest.raises(Exception, match="status 'open' has no status on 'compliance'"):
        Ledger(
            "L",
            (Actor("a", "A"),),
            (Source("s", "S", url="https://x.org"),),
            (),
            (pledge,),
            (loads_lifecycle(broken),),
        )


MINE = """schema_version = 1
id = "meter"
label = "Meter"
initial = "open"

[[statuses]]
id = "open"
label = "Open"
to = ["kept"]
onto = { compliance = "not-assessed" }

[[statuses]]
id = "kept"
label = "Kept"
kind = "fulfilled"
score = 1
final = true
onto = { compliance = "full-compliance" }
"""


def test_a_summary_on_one_scale_counts_every_pledge_on_it() -> None:
    summary = summarize(load_bundled(), "2025-12-31", scale=PRESETS["compliance"])
    assert all(c.lifecycle.id == "compliance" for c in summary.total.statuses)
    assert sum(c.count for c in summary.total.statuses) == len(summary.total.pledges)
