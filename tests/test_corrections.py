"""Corrections: a published call changes only in the open. rewrites() finds every dated update
changed or taken out, and whether a correction records it; validate refuses a silent rewrite
of a published ledger; changes proposes the command that records one; correct makes the
change and records it in one step."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from hypothesis import given

from pledges import Correction, Ledger, PartialDate, Pledge, dumps, load, load_bundled, save
from pledges.cli import main
from pledges.edits import rewrites
from pledges.testing import ledgers

BUNDLED = load_bundled()
DAY = PartialDate.parse("2026-12-03")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def restatused(ledger: Ledger, pledge_id: str, index: int, status: str) -> Ledger:
    """The ledger with one update's status changed, and nothing else: a silent rewrite."""
    pledge = ledger.pledge(pledge_id)
    history = list(pledge.history)
    history[index] = history[index].with_status(status)
    return ledger.with_pledge(attrs.evolve(pledge, history=tuple(history)))


@given(ledgers())
def test_taking_a_pledge_out_rewrites_each_of_its_updates_and_adding_one_nothing(
    ledger: Ledger,
) -> None:
    assert rewrites(ledger, ledger) == ()
    if not ledger.pledges:
        return
    last = ledger.pledges[-1]  # nothing links to the last pledge: it can be taken out
    fewer = ledger.evolve(pledges=ledger.pledges[:-1])
    taken = rewrites(ledger, fewer)
    assert [(r.pledge, r.update, r.now) for r in taken] == [
        (last.id, u, None) for u in last.history
    ]
    assert all(r.silent for r in taken)  # no correction was added with it
    assert rewrites(fewer, ledger) == ()  # a pledge added is news


@pytest.mark.parametrize(
    "pledge",
    [p for p in BUNDLED.pledges if p.history[-1].status != p.history[-2:][0].status],
    ids=lambda p: p.id,
)
def test_a_changed_call_is_a_rewrite_unless_corrected(pledge: Pledge) -> None:
    """The last move of each pledge undone (its status as before: always allowed) is one
    silent rewrite; made with a correction, it is explained, and the former status kept."""
    index = len(pledge.history) - 1
    update, previous = pledge.history[index], pledge.history[index - 1].status
    silent = restatused(BUNDLED, pledge.id, index, previous)
    found = rewrites(BUNDLED, silent)
    assert [(r.pledge, r.update, r.silent) for r in found] == [(pledge.id, update, True)]
    correction = Correction(DAY, pledge.id, "wrong", "changed", "why", update.date)
    corrected = BUNDLED.with_correction(correction, previous)
    (rewrite,) = rewrites(BUNDLED, corrected)
    assert not rewrite.silent
    assert corrected.corrections[-1].was == update.status  # recorded for the reader


def test_a_correction_of_another_update_explains_nothing() -> None:
    pledge = BUNDLED.pledge("2014-market-access")
    changed = restatused(BUNDLED, pledge.id, 2, "in-progress")
    other = Correction(DAY, pledge.id, "w", "c", "y", pledge.history[1].date)
    assert [r.silent for r in rewrites(BUNDLED, changed.with_correction(other))] == [True]
    earlier = BUNDLED.with_correction(Correction(DAY, pledge.id, "w", "c", "y"))
    # A correction the old version had already explains no new rewrite.
    assert [
        r.silent for r in rewrites(earlier, changed.evolve(corrections=earlier.corrections))
    ] == [True]


def test_a_correction_naming_no_update_explains_no_changed_call() -> None:
    pledge = BUNDLED.pledge("2014-market-access")
    changed = restatused(BUNDLED, pledge.id, 2, "in-progress")
    wording = changed.with_correction(Correction(DAY, pledge.id, "typo", "the text", "a typo"))
    assert [r.silent for r in rewrites(BUNDLED, wording)] == [True]


def test_an_update_repeated_and_taken_out_once_is_one_rewrite() -> None:
    pledge = BUNDLED.pledge("2014-fta")
    twice = BUNDLED.with_pledge(attrs.evolve(pledge, history=(*pledge.history, pledge.history[-1])))
    (rewrite,) = rewrites(twice, BUNDLED)
    assert (rewrite.pledge, rewrite.update, rewrite.now) == (
        pledge.id,
        pledge.history[-1],
        pledge.history[-1],
    )
    assert rewrites(BUNDLED, twice) == ()  # the repeat added is news


def test_a_pledge_taken_out_is_explained_by_any_correction_of_it() -> None:
    gone = BUNDLED.evolve(pledges=[p for p in BUNDLED.pledges if p.id != "2014-viettel"])
    assert {r.silent for r in rewrites(BUNDLED, gone)} == {True}
    noted = gone.with_correction(
        Correction(DAY, "2014-viettel", "not a commitment", "taken out", "the rule of §2")
    )
    assert {r.silent for r in rewrites(BUNDLED, noted)} == {False}


def test_correct_refuses_an_update_it_cannot_name() -> None:
    with pytest.raises(Exception, match="no update dated 2019"):
        BUNDLED.with_correction(
            Correction(DAY, "2014-fta", "w", "c", "y", PartialDate.parse("2019")), "signed"
        )


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """The bundled ledger, declared published, committed in a git repository."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    path = tmp_path / "ledger.toml"
    save(BUNDLED.evolve(published=PartialDate.parse("2025-06-01")), path)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    for argv in (
        ["init", "-q"],
        ["add", "ledger.toml"],
        ["-c", "user.name=C", "-c", "user.email=c@example.org", "commit", "-qm", "publish"],
    ):
        subprocess.run(["git", "-C", str(tmp_path), *argv], check=True, env=env)
    return path


def test_validate_refuses_a_silent_rewrite_of_a_published_ledger(published: Path) -> None:
    assert run("validate", str(published))[0] == 0
    save(restatused(load(published), "2014-market-access", 2, "in-progress"), published)
    code, out, _ = run("validate", str(published))
    assert code == 1
    assert "2014-market-access: the call of 2021 (stalled) is now in-progress" in out
    assert "pledges correct 2014-market-access" in out
    code, out, _ = run("changes", "HEAD", str(published), "--fail-on", "rewrites")
    assert code == 1
    assert "Published calls changed without a correction (1)" in out
    code, out, _ = run("changes", "HEAD", str(published), "--format", "json")
    (proposed,) = json.loads(out)["rewrites"]
    assert proposed["proposal"].startswith("pledges correct 2014-market-access ")


def test_correct_makes_the_change_and_records_it(published: Path) -> None:
    argv = [
        "correct", "2014-market-access", str(published), "--update", "2021", "--status",
        "in-progress", "--wrong", "a pair of years chosen", "--change", "Stalled → In progress",
        "--why", "the latest figures before the outcome", "--on", "2026-12-03",
    ]  # fmt: skip
    code, out, _ = run(*argv, "--dry-run")
    assert code == 0
    assert '+status = "in-progress"' in out
    assert "+[[corrections]]" in out
    assert run(*argv)[0] == 0
    ledger = load(published)
    assert ledger.pledge("2014-market-access").history[2].status == "in-progress"
    correction = ledger.corrections[-1]
    assert correction.was == "stalled"
    code, out, _ = run("validate", str(published))
    assert code == 0
    assert "no published call changed without a correction" in out
    assert dumps(ledger) == published.read_text("utf-8")  # canonical in, canonical out


def test_correct_keeps_a_hand_kept_file_as_it_is_but_for_the_change(tmp_path: Path) -> None:
    """A file not in the canonical layout (here: with a comment) has the status and the
    correction laid into its own text; the rest stays as it was."""
    path = tmp_path / "ledger.toml"
    text = "# Kept by hand.\n" + dumps(BUNDLED)
    path.write_text(text, encoding="utf-8")
    argv = [
        "correct", "2014-market-access", str(path), "--update", "2021", "--status",
        "in-progress", "--wrong", "w", "--change", "c", "--why", "y", "--on", "2026-12-03",
    ]  # fmt: skip
    assert run(*argv)[0] == 0
    after = path.read_text(encoding="utf-8")
    assert after.startswith("# Kept by hand.\n")
    expected = BUNDLED.with_correction(
        Correction(DAY, "2014-market-access", "w", "c", "y", PartialDate(2021)), "in-progress"
    )
    assert load(path) == expected
    assert after.removeprefix("# Kept by hand.\n") == dumps(expected)
    wording = ["--wrong", "w", "--change", "c", "--why", "y", "--on", "2026-12-03"]
    assert run(*argv[:3], *wording)[0] == 0  # a correction of the wording: no status changed
    assert load(path).corrections[-1] == Correction(DAY, "2014-market-access", "w", "c", "y")


def test_correct_needs_the_update_to_change_a_status(published: Path) -> None:
    code, _, err = run(
        "correct", "2014-fta", str(published), "--status", "signed", "--wrong", "w",
        "--change", "c", "--why", "y", "--on", "2026-12-03",
    )  # fmt: skip
    assert code == 2
    assert "--update DATE" in err


def test_validate_since_a_file(tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    new = tmp_path / "new.toml"
    save(BUNDLED, old)
    save(restatused(BUNDLED, "2014-fta", 3, "ratified"), new)
    assert run("validate", str(new), "--since", str(old))[0] == 1
    assert run("validate", str(old), "--since", str(old))[0] == 0
