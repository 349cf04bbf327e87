"""Lifecycles as TOML files, and mappings between scales."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pledges import PRESETS, LoadError, load_bundled
from pledges.cli import main
from pledges.report import summary_document
from pledges.scales import MAPPINGS, ScaleMapping, find
from pledges.serialization import (
    SHIPPED_LIFECYCLES,
    dumps,
    load_lifecycle_preset,
    loads_lifecycle,
)

SHIPPED = Path(__file__).resolve().parent.parent / "pledges" / "lifecycles"


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_preset_ships_as_a_file_equal_to_it(name: str) -> None:
    assert load_lifecycle_preset(name) == PRESETS[name]
    assert (SHIPPED / f"{name}.toml").read_text(encoding="utf-8") == dumps(PRESETS[name])


def test_every_shipped_lifecycle_loads() -> None:
    assert sorted(p.stem for p in SHIPPED.glob("*.toml")) == sorted(SHIPPED_LIFECYCLES)
    assert [load_lifecycle_preset(n).id for n in SHIPPED_LIFECYCLES] == list(SHIPPED_LIFECYCLES)
    with pytest.raises(LoadError, match="no shipped lifecycle 'nope'"):
        load_lifecycle_preset("nope")


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
        "status 'open' moves to unknown status 'ghost' @ $",
        "final status 'done' has moves out of it (open); a final status may only be reopened "
        "(reopen_to) @ $",
        "status 'orphan' cannot be reached from 'open' @ $",
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


def test_every_preset_mapping_covers_its_scales() -> None:
    for mapping in MAPPINGS:
        mapping.check(PRESETS[mapping.source], PRESETS[mapping.target])


def test_mappings_chain() -> None:
    chained = find("treaty", "compliance")
    assert chained("in-force") == "full-compliance"
    assert chained("negotiating") == "not-assessed"
    with pytest.raises(KeyError):
        find("compliance", "treaty")


def test_a_mapping_that_leaves_statuses_out_is_refused() -> None:
    partial = ScaleMapping("treaty", "default", (("signed", "in-progress"), ("x", "nowhere")))
    with pytest.raises(ValueError, match="'negotiating' of 'treaty' is not mapped") as caught:
        partial.check(PRESETS["treaty"], PRESETS["default"])
    assert "'x' maps to 'nowhere'" in str(caught.value)


def test_a_summary_on_one_scale_counts_every_pledge_on_it() -> None:
    doc = summary_document(load_bundled(), "2025-12-31", PRESETS["compliance"])
    assert doc.data["by_status"] == {
        "Compliance (-1 / 0 / +1): Not assessed": 33,
        "Compliance (-1 / 0 / +1): Full compliance (+1)": 3,
        "Compliance (-1 / 0 / +1): Partial compliance (0)": 3,
    }
    assert doc.data["compliance"] == {"score": 0.5, "scored": 6}
