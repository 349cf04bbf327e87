"""Importing a compliance scorecard: one row per commitment, one column per member, dirty
cells mapped or reported, and both views (the commitment, each member) one command away."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, strategies as st

from pledges import LinkKind, LoadError, PledgesError, summarize
from pledges.cli import main
from pledges.importers import COMPLIANCE_SCORES, fold_signs, import_scorecard
from pledges.presets import DEFAULT

SCORECARD = Path(__file__).resolve().parent / "data" / "scorecard.csv"
OPTIONS: dict[str, Any] = {"made_on": "2023-09-10", "assessed_on": "2024-06", "drop": ["Average"]}


def test_dirty_cells_are_mapped_or_reported() -> None:
    with pytest.raises(LoadError) as caught:
        import_scorecard(SCORECARD, made_on="2023-09-10", assessed_on="2024-06")
    problems = [str(p) for p in caught.value.problems]
    assert problems[0].startswith(
        "4 of its 4 cells are no mapped score ('0.20', '0.25', '0.67', ...): not a member? "
        "--drop 'Average' leaves it out"
    )  # one line, however many values
    assert problems[0].endswith("@ column 'Average'")
    assert problems[1].startswith(
        "cell names not mapped onto lifecycle 'compliance': '-' (row 4 (Argentina))"
    )
    assert problems[1].endswith("@ row 4 (Argentina)")
    assert len(problems) == 2


def test_each_member_s_compliance_is_a_part_of_the_commitment() -> None:
    result = import_scorecard(SCORECARD, {"-": "not-assessed"}, **OPTIONS)
    ledger = result.ledger
    assert "members: Argentina, Australia, Brazil, Canada, India" in result.notes
    assert "blank cells, left not assessed: rows 3 (Canada) and 4 (India)" in result.notes
    assert "row 2 (Argentina): MINUS SIGN (U+2212) read as an ASCII sign" in result.notes
    whole = ledger.pledge("phase-out-inefficient-fossil-fuel-subsidies")
    assert [ledger.actor(a).name for a in whole.made_by] == ["All members"]
    assert whole.status == "not-assessed"
    assert whole.topics == ("Energy",)
    part = ledger.pledge("phase-out-inefficient-fossil-fuel-subsidies:argentina")
    assert part.linked(LinkKind.SHARE_OF) == (whole.id,)
    assert [(str(u.date), u.status) for u in part.history] == [
        ("2023-09-10", "not-assessed"),
        ("2024-06", "non-compliance"),  # '−1' with U+2212
    ]
    wto = ledger.pledge("support-the-wto-dispute-settlement-system:australia")
    assert wto.status == "full-compliance"  # '+ 1'
    with pytest.raises(PledgesError):
        ledger.pledge("support-the-wto-dispute-settlement-system:canada")  # blank: not made
    assert len(ledger.pledges) == 4 + 18


def test_a_member_s_average_and_a_commitment_s_average_are_one_call_each() -> None:
    ledger = import_scorecard(SCORECARD, {"-": "not-assessed"}, **OPTIONS).ledger
    by_actor = {g.group: g for g in summarize(ledger, "2024-12", by="actor").groups}
    assert by_actor["Australia"].score == 1.0
    assert by_actor["Argentina"].score == 0.0  # -1, 0, +1 scored; '-' not assessed
    assert by_actor["Argentina"].scored == 3
    assert by_actor["India"].score == pytest.approx(2 / 3)
    by_commitment = {g.group: g for g in summarize(ledger, "2024-12", by="commitment").groups}
    assert by_commitment["strengthen-pandemic-preparedness"].score == 1.0
    assert by_commitment["phase-out-inefficient-fossil-fuel-subsidies"].score == pytest.approx(0.2)
    before = summarize(ledger, "2024-05", by="actor")
    assert all(g.score is None for g in before.groups)  # assessed in June 2024


def test_the_command_and_a_summary_by_actor(tmp_path: Path) -> None:
    out_file = tmp_path / "g20.toml"
    out, err = io.StringIO(), io.StringIO()
    args = ["import", "scorecard", str(SCORECARD), "-o", str(out_file), "--made-on",
            "2023-09-10", "--assessed-on", "2024-06", "--drop", "Average",
            "--status", "-=not-assessed", "--group", "G20"]  # fmt: skip
    assert main(args, out, err) == 0, err.getvalue()
    assert out.getvalue().startswith(f"{out_file}: 22 pledges imported")
    out = io.StringIO()
    summary = ["summary", str(out_file), "--by", "actor", "--as-of", "2024-12", "-f", "json"]
    assert main(summary, out) == 0
    data = json.loads(out.getvalue())
    groups = {g["group"]: g for g in data["groups"]}
    assert groups["Australia"]["compliance"] == {"score": 1.0, "scored": 4}
    assert "G20" not in groups  # the group's commitments are counted through its members
    assert data["pledges"] == 18  # member assessments only
    assert not any(r["status"] == "not-assessed" and r["count"] > 1 for r in data["by_status"])


def test_a_scorecard_on_another_scale_needs_its_mapping() -> None:
    with pytest.raises(PledgesError, match="needs a mapping of its cells"):
        import_scorecard(SCORECARD, lifecycle=DEFAULT, **OPTIONS)
    result = import_scorecard(
        b"title,A,B\nCommitment,yes,no\n",
        {"yes": "fulfilled", "no": "broken"},
        lifecycle=DEFAULT,
        made_on="2020",
        assessed_on="2021",
    )
    assert [p.status for p in result.ledger.pledges] == ["made", "fulfilled", "broken"]


def test_a_file_with_no_member_column_says_so() -> None:
    with pytest.raises(LoadError, match="no member columns"):
        import_scorecard(b"title,date\nA,2020\n")


@given(
    st.lists(
        st.lists(st.sampled_from(["-1", "0", "+1", "1", "\u22121", "+ 1", "", " ", "-", "x"]),
                 min_size=3, max_size=3),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)  # fmt: skip
def test_random_scorecards_never_give_a_status_its_cell_did_not(
    rows: list[list[str]], lenient: bool
) -> None:
    lines = ["title,A,B,C"] + [f"C{i}," + ",".join(row) for i, row in enumerate(rows)]
    try:
        result = import_scorecard(
            "\n".join(lines).encode(), made_on="2020", assessed_on="2021", lenient=lenient
        )
    except PledgesError:
        return
    for pledge in result.ledger.pledges:
        if ":" not in pledge.id:
            continue
        commitment, member = pledge.id.split(":")
        cell = rows[int(commitment[1:])]["abc".index(member)]
        key = re.sub(r"(?<=[+-])\s+", "", fold_signs(cell.strip()))
        assert pledge.status == COMPLIANCE_SCORES[key]


def test_a_commitment_page_names_its_members_shares(tmp_path: Path) -> None:
    from pledges.site import build

    ledger = import_scorecard(SCORECARD, {"-": "not-assessed"}, **OPTIONS).ledger
    build(ledger, tmp_path / "site")
    commitment = next(p for p in ledger.pledges if not p.links)
    page = (tmp_path / "site" / "pledge" / f"{commitment.id}.html").read_text(encoding="utf-8")
    assert page.count("has share by") == len(ledger.linked_to(commitment))
