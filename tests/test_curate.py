"""Curating from the command line: each command is the API's change, checked before it is
written, written atomically, and touching only the lines it needs (comments included)."""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pledges import (
    Actor,
    Evidence,
    Ledger,
    Link,
    LoadError,
    PartialDate,
    Pledge,
    PledgesError,
    Source,
    Update,
    UpdateKind,
    load,
    save,
)
from pledges.bundled import bundled_text
from pledges.cli import main
from pledges.serialization import dumps

HAND = Path(__file__).resolve().parent / "data" / "hand-kept.toml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def only_insertions(before: str, after: str) -> bool:
    """Every line of ``before`` is in ``after``, in order: nothing was changed or lost."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


@pytest.fixture
def canonical(tmp_path: Path) -> Path:
    path = tmp_path / "vb.toml"
    path.write_text(bundled_text(), encoding="utf-8")
    return path


@pytest.fixture
def hand(tmp_path: Path) -> Path:
    path = tmp_path / "hand.toml"
    shutil.copyfile(HAND, path)
    return path


def test_an_update_to_a_canonical_file_adds_its_lines_and_nothing_else(canonical: Path) -> None:
    before = canonical.read_text(encoding="utf-8")
    code, out, err = run("update", "2014-fta", str(canonical), "--reaffirm", "--date",
                         "2026-01-10", "--source", "moscowtimes-2015-fta", "--summary",
                         "Still in force.")  # fmt: skip
    assert (code, err) == (0, "")
    assert out == f"{canonical}: '2014-fta' reaffirmed: In force on 2026-01-10\n"
    after = canonical.read_text(encoding="utf-8")
    added = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
             if line.startswith(("+ ", "- "))]  # fmt: skip
    assert added.count("+ ") == 1  # one blank line between tables
    assert [line for line in added if line != "+ "] == [
        "+ [[pledges.history]]",
        '+ date = "2026-01-10"',
        '+ status = "in-force"',
        '+ kind = "reaffirmed"',
        "+ evidence = [",
        '+     { source = "moscowtimes-2015-fta", summary = "Still in force." },',
        "+ ]",
    ]
    assert after == dumps(load(canonical))  # still canonical


def test_every_command_keeps_a_hand_kept_file_s_comments_and_lines(hand: Path) -> None:
    original = hand.read_text(encoding="utf-8")
    steps = [
        ["update", "trees", str(hand), "--status", "in-progress", "--date", "2024-06",
         "--source", "plan-2023", "--summary", "1,200 planted."],
        ["source", "add", "news-2025", str(hand), "--title", "Trees: halfway there",
         "--outlet", "Riverside Post", "--url", "https://example.org/post/trees",
         "--published", "2025-03-02"],
        ["update", "trees", str(hand), "--reaffirm", "--date", "2025-03-02", "--source",
         "news-2025", "--quote", "2,600 trees are in the ground"],
        ["actor", "add", "mayor", str(hand), "--name", "Mayor of Riverside", "--kind",
         "person", "--alias", "the mayor"],
        ["add", "parks", str(hand), "--title", "Open two parks", "--text", "Open two parks.",
         "--made-on", "2025-03-02", "--made-by", "the mayor", "--made-to", "residents",
         "--topic", "environment", "--window", "2025/2026", "--source", "news-2025",
         "--summary", "The mayor's promise."],
        ["link", "parks", "part-of", "trees", str(hand), "--note", "Both green pledges."],
        ["link", "parks", "part-of", "bins", str(hand)],  # a second: the array grows
        ["update", "bins", str(hand), "--reaffirm", "--date", "2025-03-02", "--source",
         "news-2025", "--summary", "Still weekly."],  # into an inline array of steps
        ["occasion", "add", "council-2025", str(hand), "--title", "Council meeting",
         "--start", "2025-04-01", "--place", "Town hall"],
        ["correct", "trees", str(hand), "--update", "2024-06", "--wrong", "a count of 1,000",
         "--change", "1,200 planted", "--why", "the council's report", "--on", "2025-04-02"],
    ]  # fmt: skip
    for step in steps:
        before = hand.read_text(encoding="utf-8")
        code, _, err = run(*step)
        assert (code, err) == (0, ""), step
        after = hand.read_text(encoding="utf-8")
        assert only_insertions(before, after), step
    final = hand.read_text(encoding="utf-8")
    assert only_insertions(original, final)
    golden = Path(__file__).resolve().parent / "golden" / "hand-kept-after.toml"
    if os.environ.get("PLEDGES_UPDATE_GOLDEN") == "1":
        golden.write_text(final, encoding="utf-8")
    assert final == golden.read_text(encoding="utf-8")  # each table in place, spaced as the rest
    assert "# end of file" in final
    assert 'id = "council"          # the body that makes the pledges' in final
    ledger = load(hand)
    assert [u.status for u in ledger.pledge("trees").history] == [
        "made",
        "in-progress",
        "in-progress",
    ]
    assert ledger.pledge("parks").made_by == ("mayor",)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["update", "trees", "{f}", "--status", "kept", "--date", "2024", "--source",
          "plan-2023", "--summary", "x"], 1, "status 'kept' is not in lifecycle 'default'"),
        (["update", "trees", "{f}", "--status", "in-progress", "--date", "2020", "--source",
          "plan-2023", "--summary", "x"], 1, "goes back before an earlier update"),
        (["update", "trees", "{f}", "--status", "in-progress", "--date", "2024", "--source",
          "nowhere", "--summary", "x"], 1, "unknown source 'nowhere'"),
        (["update", "trees", "{f}", "--status", "in-progress", "--date", "2024", "--source",
          "plan-2023"], 2, "--quote (verbatim) or --summary"),
        (["update", "nope", "{f}", "--reaffirm", "--date", "2024", "--source", "plan-2023",
          "--summary", "x"], 2, "no pledge 'nope'"),
        (["link", "bins", "renews", "bins", "{f}"], 1, "links to itself"),
        (["link", "trees", "renews", "nope", "{f}"], 1, "nope"),
        (["add", "bins", "{f}", "--title", "T", "--text", "x", "--made-on", "2024",
          "--made-by", "council", "--source", "plan-2023", "--summary", "x"], 2,
         "in the ledger already"),
        (["add", "new", "{f}", "--title", "T", "--text", "x", "--made-on", "2024",
          "--made-by", "Nobody", "--source", "plan-2023", "--summary", "x"], 2, "no actor"),
        (["actor", "add", "c2", "{f}", "--name", "The Council"], 1, "the council"),
        (["source", "add", "s", "{f}", "--title", "T", "--url", "javascript:alert(1)"], 1,
         "Source.url"),
        (["source", "add", "s", "{f}", "--title", "T"], 2, "--url"),
    ],
)  # fmt: skip
def test_a_refused_command_leaves_the_file_byte_identical(
    hand: Path, argv: list[str], code: int, message: str
) -> None:
    before = hand.read_bytes()
    got, out, err = run(*(a.replace("{f}", str(hand)) for a in argv))
    assert (got, out) == (code, "")
    assert message in err
    assert "Traceback" not in err
    assert hand.read_bytes() == before


def test_the_lifecycle_explains_a_refused_reopening(canonical: Path) -> None:
    argv = ["update", "2014-invitation", str(canonical), "--status", "made", "--date", "2026",
            "--source", "moscowtimes-2015-fta", "--summary", "x"]  # fmt: skip
    code, _, err = run(*argv)
    assert code == 1
    assert "final status 'fulfilled' cannot be reopened to 'made'" in err


def test_dry_run_prints_the_diff_and_writes_nothing(hand: Path) -> None:
    before = hand.read_bytes()
    code, out, _ = run("link", "trees", "renews", "bins", str(hand), "--dry-run")
    assert code == 0
    assert out.startswith(f"--- a/{hand.as_posix().lstrip('/')}\n+++ b/")
    assert '+    { kind = "renews", pledge = "bins" },' in out
    assert hand.read_bytes() == before


def test_the_mode_and_a_byte_order_mark_are_kept(hand: Path) -> None:
    hand.write_bytes(b"\xef\xbb\xbf" + hand.read_bytes())
    os.chmod(hand, 0o640)
    assert run("actor", "add", "mayor", str(hand), "--name", "Mayor")[0] == 0
    assert hand.read_bytes().startswith(b"\xef\xbb\xbf# A tracker kept by hand")
    assert hand.stat().st_mode & 0o777 == 0o640


def test_a_json_ledger_stays_canonical(tmp_path: Path) -> None:
    path = tmp_path / "hand.json"
    save(load(HAND), path)
    assert run("actor", "add", "mayor", str(path), "--name", "Mayor")[0] == 0
    assert path.read_text(encoding="utf-8") == dumps(load(path), "json")


_TEXT = st.text(st.sampled_from("aé '\"\\#[]=\n\t—x"), min_size=1, max_size=12).filter(
    lambda t: t.strip() != "" and t == t.strip()
)
_DAY = st.dates(min_value=PartialDate(2023, 1, 1).first, max_value=PartialDate(2027, 1, 1).first)


@st.composite
def _commands(draw: st.DrawFn, ledger: Ledger) -> tuple[list[str], Ledger | None]:
    """A command line and the ledger the API gives for it (``None`` when the API refuses)."""
    ids = [p.id for p in ledger.pledges]
    what = draw(st.sampled_from(["add", "update", "reaffirm", "link", "source", "actor"]))
    day = PartialDate.of(draw(_DAY))
    text = draw(_TEXT)
    evidence = (Evidence("plan-2023", summary=text),)
    told = ["--source=plan-2023", f"--summary={text}"]
    change: Callable[[], Ledger]
    if what == "add":
        new_id = f"p{len(ids)}"
        argv = ["add", new_id, f"--title={text}", f"--text={text}", f"--made-on={day}",
                "--made-by=council", *told]  # fmt: skip
        making = Update(day, "made", UpdateKind.MADE, evidence)
        change = lambda: ledger.with_pledge(Pledge(new_id, text, text, ("council",), (making,)))  # noqa: E731
    elif what in ("update", "reaffirm"):
        pid = draw(st.sampled_from(ids))
        if what == "reaffirm":
            status, kind, flag = ledger.pledge(pid).status, UpdateKind.REAFFIRMED, "--reaffirm"
        else:
            status = draw(st.sampled_from(["in-progress", "stalled", "fulfilled", "made"]))
            kind, flag = UpdateKind.PROGRESS, f"--status={status}"
        argv = ["update", pid, flag, f"--date={day}", *told]
        change = lambda: ledger.with_update(pid, Update(day, status, kind, evidence))  # noqa: E731
    elif what == "link":
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        link = draw(st.sampled_from(["renews", "supersedes", "part-of"]))
        argv = ["link", a, link, b]
        change = lambda: ledger.with_link(a, Link(link, b))  # noqa: E731
    elif what == "source":
        sid = f"s{len(ledger.sources)}"
        argv = ["source", "add", sid, f"--title={text}", "--url=https://example.org/x"]
        change = lambda: ledger.with_source(Source(sid, text, url="https://example.org/x"))  # noqa: E731
    else:
        aid = f"a{len(ledger.actors)}"
        argv = ["actor", "add", aid, f"--name={text}"]
        change = lambda: ledger.with_actor(Actor(aid, text))  # noqa: E731
    try:
        return argv, change()
    except PledgesError:
        return argv, None


# Each example runs up to six commands, each reading and writing a file: a quarter of the
# profile's examples (10 locally, 15 in CI, 2,500 in the long run).
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    max_examples=max(10, settings().max_examples // 4),
)
@given(data=st.data())
def test_commands_give_the_ledger_the_api_gives(tmp_path: Path, data: st.DataObject) -> None:
    path = tmp_path / "random.toml"
    shutil.copyfile(HAND, path)
    ledger = load(path)
    for _ in range(data.draw(st.integers(1, 6))):
        argv, expected = data.draw(_commands(ledger))
        before = path.read_bytes()
        code, _, err = run(*argv, str(path))
        if expected is None:
            assert code != 0, err
            assert path.read_bytes() == before
            continue
        assert (code, err) == (0, ""), argv
        assert load(path) == expected
        assert only_insertions(before.decode(), path.read_text(encoding="utf-8"))
        ledger = expected


def _git(folder: Path, *argv: str) -> None:
    subprocess.run(["git", "-C", str(folder), *argv], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"})  # fmt: skip


def test_changes_between_a_ledger_and_itself_is_silent(canonical: Path) -> None:
    assert run("changes", str(canonical), str(canonical)) == (0, "", "")
    copy = canonical.with_name("copy.toml")
    shutil.copyfile(canonical, copy)
    assert run("changes", str(copy), str(canonical), "--fail-on", "regressions") == (0, "", "")


def test_changes_names_exactly_the_new_update(canonical: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    shutil.copyfile(canonical, old)
    run("update", "2014-fta", str(canonical), "--reaffirm", "--date", "2026-01-10",
        "--source", "moscowtimes-2015-fta", "--quote", "in force")  # fmt: skip
    code, out, _ = run("changes", str(old), str(canonical))
    assert code == 0
    assert out == (
        "2014-fta: reaffirmed: 2026-01-10: still In force\n"
        "    The Moscow Times, 2015-05-29: “in force”\n"
    )


def test_changes_against_a_git_revision_and_for_a_review(canonical: Path) -> None:
    folder = canonical.parent
    _git(folder, "init", "-q")
    _git(folder, "add", canonical.name)
    _git(folder, "commit", "-qm", "start")
    run("update", "2014-market-access", str(canonical), "--status", "broken", "--date", "2026",
        "--source", "moscowtimes-2015-fta", "--summary", "*Closed* <b>for good</b>")  # fmt: skip
    code, out, _ = run("changes", "HEAD", str(canonical), "--format", "markdown")
    assert code == 0
    assert out.startswith("**1 change to Vietnam–Belarus")
    assert "(1 down the scale)" in out
    assert "<b>" not in out
    assert "\\*Closed\\*" in out
    assert run("changes", "HEAD", str(canonical), "--fail-on", "regressions")[0] == 1
    code, out, _ = run("changes", "HEAD", str(canonical), "--format", "json")
    (change,) = json.loads(out)["changes"]
    assert (change["kind"], change["regression"], change["update"]["status"]) == (
        "status moved",
        True,
        "broken",
    )
    code, _, err = run("changes", "no-such-rev", str(canonical))
    assert code == 2
    assert "is no git revision of" in err
    assert run("changes", "--output=/tmp/x", str(canonical))[0] == 2


@given(
    st.lists(st.sampled_from(["a\n", "b\n", "c\n", "[x]\n", "\n"]), max_size=30),
    st.data(),
)
def test_a_change_of_one_stretch_is_diffed_as_a_patch_that_makes_it(
    lines: list[str], data: st.DataObject
) -> None:
    """The diff is empty for no change; otherwise one hunk, numbered from the file's first
    line, which, applied to the text before, gives the text after."""
    from pledges.curate import FileChange

    start = data.draw(st.integers(0, len(lines)))
    end = data.draw(st.integers(start, len(lines)))
    new = data.draw(st.lists(st.sampled_from(["d\n", "e\n", "a\n"]), max_size=5))
    after = [*lines[:start], *new, *lines[end:]]
    change = FileChange(Path("/Xtmp/l.toml"), "".join(lines), "".join(after), Ledger(title="T"))
    diff = change.diff()
    if after == lines:
        assert diff == ""
        return
    head, *hunks = diff.split("\n@@ ")
    assert head == "--- a/Xtmp/l.toml\n+++ b/Xtmp/l.toml"
    assert len(hunks) == 1
    numbers, *body = hunks[0].splitlines(keepends=True)
    old, new_side = (_hunk_range(part[1:]) for part in numbers.split()[:2])
    kept = [line[1:] for line in body if line[0] in " -"]
    made = [line[1:] for line in body if line[0] in " +"]
    assert (old[1], new_side[1]) == (len(kept), len(made))
    at, made_at = old[0], new_side[0]
    assert lines[at : at + len(kept)] == kept
    assert after[made_at : made_at + len(made)] == made
    assert [*lines[:at], *made, *lines[at + len(kept) :]] == after


def _hunk_range(spec: str) -> tuple[int, int]:
    """Where a hunk's side starts (0-based) and how many lines it has, from ``N,M`` (``N``
    alone: one line; ``M`` of 0: after line ``N``)."""
    first, _, count = spec.partition(",")
    lines = int(count) if count else 1
    return (int(first) - 1 if lines else int(first)), lines


def test_a_record_whose_id_is_taken_is_refused_with_what_to_do(canonical: Path) -> None:
    from pledges.curate import add_actor, add_occasion, add_pledge, add_source

    ledger = load(canonical)
    cases: list[tuple[Any, Any, str, str]] = [
        (add_pledge, ledger.pledges[0], "pledge", "pledges update adds a step to it"),
        (add_source, ledger.sources[0], "source", "choose another id"),
        (add_actor, ledger.actors[0], "actor", "choose another id"),
        (add_occasion, ledger.occasions[0], "occasion", "choose another id"),
    ]
    for add, record, kind, advice in cases:
        with pytest.raises(PledgesError) as caught:
            add(canonical, record)
        assert str(caught.value) == f"{kind} {record.id!r} is in the ledger already ({advice})"


def test_a_file_changed_since_it_was_read_is_not_written(canonical: Path) -> None:
    from pledges.curate import add_actor

    change = add_actor(canonical, Actor("new-actor", "New"))
    canonical.write_bytes(b"\xff not even UTF-8")
    with pytest.raises(PledgesError) as caught:
        change.write()
    assert str(caught.value) == (
        f"{canonical}: the file changed since it was read, so nothing was written; "
        "run the command again"
    )
    assert canonical.read_bytes() == b"\xff not even UTF-8"


@pytest.mark.parametrize("suffix", ["toml", "json"])
def test_init_writes_the_title_and_description_in_the_file_s_format(
    tmp_path: Path, suffix: str
) -> None:
    from pledges.curate import init

    path = tmp_path / f"new.{suffix}"
    ledger = init(path, "A tracker", "What it follows.")
    assert ledger == Ledger("A tracker", description="What it follows.")
    assert path.read_text(encoding="utf-8") == dumps(ledger, suffix)  # type: ignore[arg-type]


def test_a_change_carries_the_ledger_it_makes_in_either_layout(
    canonical: Path, hand: Path, tmp_path: Path
) -> None:
    """The ledger a change holds is the one its text loads as: for a canonical file, a
    hand-kept one, and a JSON file in another layout (rewritten canonically)."""
    import json

    from pledges.curate import add_actor

    spaced = tmp_path / "spaced.json"
    spaced.write_text(json.dumps(json.loads(dumps(load(hand), "json")), indent=4), "utf-8")
    for path in (canonical, hand, spaced):
        change = add_actor(path, Actor("new-actor", "New"))
        assert change.ledger.actor("new-actor").name == "New"
        assert load(path).evolve(actors=(*load(path).actors, Actor("new-actor", "New"))) == (
            change.ledger
        )
        change.write()
        assert load(path) == change.ledger
    assert spaced.read_text("utf-8") == dumps(load(spaced), "json")


def test_a_change_that_cannot_be_laid_into_the_file_is_refused_and_named(
    hand: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text laid into a hand-kept file is read back and must hold the ledger the change
    makes; here the laid-in record loses a field, and nothing is written."""
    from pledges import curate

    real = curate._unstructured
    monkeypatch.setattr(curate, "_unstructured", lambda r: {**real(r), "name": "Other"})
    before = hand.read_bytes()
    with pytest.raises(PledgesError) as caught:
        curate.add_actor(hand, Actor("new-actor", "New"))
    assert str(caught.value) == (
        f"{hand}: this change cannot be laid into the file's own layout, so nothing was "
        "written; `pledges export LEDGER --format toml --output LEDGER` rewrites it in the "
        "canonical layout, which takes every change"
    )
    assert hand.read_bytes() == before
    monkeypatch.setattr(curate, "_unstructured", lambda r: {**real(r), "kind": 7})
    with pytest.raises(PledgesError, match="cannot be laid into the file's own layout"):
        curate.add_actor(hand, Actor("new-actor", "New"))  # a text that does not load
    assert hand.read_bytes() == before
    broken = tmp_path / "broken.toml"
    broken.write_text("schema_version = 2\ntitle = 1\n", "utf-8")
    with pytest.raises(LoadError) as refused:
        curate.add_actor(broken, Actor("new-actor", "New"))
    assert refused.value.source == str(broken)


@given(st.lists(st.sampled_from("abc"), max_size=8), st.lists(st.sampled_from("abc"), max_size=8))
def test_the_changed_stretch_is_all_two_texts_do_not_share(old: list[str], new: list[str]) -> None:
    """What :func:`~pledges.curate._changed` finds: the longest shared start, then the
    longest shared end of what is left; between them, the one stretch that differs."""
    from pledges.curate import _changed

    head, old_end, new_end = _changed(old, new)
    assert old[:head] == new[:head]
    assert old[old_end:] == new[new_end:]
    assert head <= old_end
    assert head <= new_end
    assert head == min(len(old), len(new)) or old[head] != new[head]  # no longer start
    assert old_end == head or new_end == head or old[old_end - 1] != new[new_end - 1]


@pytest.mark.parametrize(
    ("before", "after", "spaced"),
    [
        (  # an indented table, before an indented header
            "[a]\nx = 1\n  [b]\ny = 2\n",
            "[a]\nx = 1\n  [c]\nz = 3\n  [b]\ny = 2\n",
            "[a]\nx = 1\n\n  [c]\nz = 3\n\n  [b]\ny = 2\n",
        ),
        (  # a table that ends in a blank line needs no other after it
            "[a]\nx = 1\n[b]\ny = 2\n",
            "[a]\nx = 1\n[c]\nz = 3\n\n[b]\ny = 2\n",
            "[a]\nx = 1\n\n[c]\nz = 3\n\n[b]\ny = 2\n",
        ),
        (  # at the end of the file, after a blank line
            "[a]\nx = 1\n\n",
            "[a]\nx = 1\n\n[c]\nz = 3\n",
            "[a]\nx = 1\n\n[c]\nz = 3\n",
        ),
        (  # not one inserted table (a line went too): left as it is
            "[a]\nx = 1\n[b]\ny = 2\n",
            "[a]\n[c]\nz = 3\n[b]\ny = 2\n",
            "[a]\n[c]\nz = 3\n[b]\ny = 2\n",
        ),
        (  # not a table: left as it is
            "[a]\nx = 1\n",
            "[a]\nx = 1\nz = 3\n",
            "[a]\nx = 1\nz = 3\n",
        ),
    ],
)
def test_an_inserted_table_is_spaced_as_the_file_s_others(
    before: str, after: str, spaced: str
) -> None:
    from pledges.curate import _spaced

    assert _spaced(before, after) == spaced
