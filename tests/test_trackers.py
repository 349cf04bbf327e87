"""Any tracker as it is (issue 23): its own columns kept and grouped on, status names mapped
by themselves or onto a lifecycle derived from the file, honest dates, and a tracker started
and kept by commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from pledges import Ledger, PledgesError, load, save, summarize
from pledges.cli import main
from pledges.importers import Columns, import_csv, import_trumptracker
from pledges.importers.derive import derive_lifecycle, guess
from pledges.lifecycle import Lifecycle, Status, StatusKind
from pledges.testing import ledgers, texts

DATA = Path(__file__).resolve().parent / "data"
PROMISES = DATA / "government-promises.csv"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_the_promises_tracker_gives_its_headline_figure_in_one_import(tmp_path: Path) -> None:
    result = import_csv(PROMISES, lifecycle="from-file", made_on="2024-07", assessed_on="2024-07")
    ledger = result.ledger
    assert len(ledger.pledges) == 78
    assert ledger.title == "Government promises"
    assert "government-promises.csv" in (ledger.description or "")
    by_era = {g.group: g for g in summarize(ledger, "2024-07", by="era").groups}
    assert round(by_era["1997–2010 Labour"].kept_share * 100, 1) == 54.8  # type: ignore[operator]
    assert round(by_era["2010–2015 Coalition"].kept_share * 100, 1) == 45.0  # type: ignore[operator]
    pledge = ledger.pledges[2]
    assert len({e.source for e in pledge.history[-1].evidence}) == 3  # url | url | url
    assert ledger.source(pledge.history[-1].evidence[0].source).outlet == "example.org"
    assert "assessed:" in (pledge.history[-1].note or "")  # whatHappened, on its step
    largely = ledger.lifecycle_of(pledge).status("largely-delivered")
    partly = ledger.lifecycle_of(pledge).status("partly-delivered")
    assert largely.rank > partly.rank  # kept apart, in order
    code, out, _ = run(
        "summary", str(_saved(ledger, tmp_path)), "--by", "era", "--as-of", "2024-07"
    )
    assert code == 0
    assert "54.8%" in out


def _saved(ledger: Ledger, tmp_path: Path) -> Path:
    path = tmp_path / "l.toml"
    save(ledger, path)
    return path


def test_names_that_are_the_lifecycle_s_own_map_themselves() -> None:
    text = (
        b"title,status,assessed,date\n"
        b"A,Fulfilled,2024,2023\nB,in progress,2024,2023\nC,MADE,,2023\n"
    )
    ledger = import_csv(text).ledger
    assert [p.status for p in ledger.pledges] == ["fulfilled", "in-progress", "made"]


def test_an_unknown_field_or_value_lists_what_there_is(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    save(
        import_csv(PROMISES, lifecycle="from-file", made_on="2024", assessed_on="2024").ledger, path
    )
    code, _, err = run("summary", str(path), "--by", "eraa")
    assert code == 2
    assert "no field 'eraa'" in err
    assert "'era'" in err
    code, _, err = run("status", str(path), "--where", "era=Tudor")
    assert code == 2
    assert "no era value 'Tudor'" in err
    assert "1997–2010 Labour" in err


@pytest.mark.parametrize(
    ("name", "kind", "rank"),
    [
        ("Delivered", StatusKind.FULFILLED, 6),
        ("Promise kept", StatusKind.FULFILLED, 6),
        ("Not delivered", StatusKind.FAILED, 0),
        ("Broken", StatusKind.FAILED, 0),
        ("Largely delivered", StatusKind.PARTIAL, 5),
        ("Compromise", StatusKind.PARTIAL, 4),
        ("Superseded", StatusKind.CLOSED, 0),
        ("In the works", StatusKind.OPEN, 3),
        ("Stalled", StatusKind.OPEN, 1),
        ("Not yet rated", StatusKind.OPEN, 2),
    ],
)
def test_common_words_are_guessed(name: str, kind: StatusKind, rank: int) -> None:
    found = guess(name)
    assert found is not None
    assert (found.kind, found.rank) == (kind, rank)


@given(st.lists(texts(20), min_size=1, max_size=8))
def test_a_lifecycle_derived_from_a_file_takes_every_status_of_it(names: list[str]) -> None:
    if not any(n.strip() for n in names):
        return
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["title", "status"])
    writer.writerows([f"P{i}", n] for i, n in enumerate(names))
    try:
        result = import_csv(
            rows.getvalue().encode(), lifecycle="from-file", made_on="2020", assessed_on="2021"
        )
    except PledgesError as error:  # a row it cannot take (a blank status), never a status
        message = str(error)
    else:
        message = ""
    assert "not mapped" not in message
    if message:
        return
    assert len(result.ledger.pledges) == sum(1 for n in names if n.strip())
    lifecycle, _ = derive_lifecycle(names)
    assert lifecycle.level_moves() == () or lifecycle.rank_advice


_CELL = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8)


@given(
    st.lists(
        st.tuples(_CELL, _CELL, st.lists(_CELL, min_size=1, max_size=3)), min_size=1, max_size=6
    )
)
def test_any_csv_the_importer_takes_keeps_its_extra_fields(
    rows: list[tuple[str, str, list[str]]],
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "status", "era", "parties"])
    for i, (era, _, parties) in enumerate(rows):
        writer.writerow([f"P{i}", "made", era, " | ".join(parties)])
    columns = Columns(split=("parties",))
    ledger = import_csv(out.getvalue().encode(), columns=columns, made_on="2020").ledger
    for pledge, (era, _, parties) in zip(ledger.pledges, rows, strict=True):
        assert pledge.extra["era"] == era
        assert pledge.extra["parties"] == tuple(dict.fromkeys(parties))
    from pledges.serialization import dumps, loads

    assert loads(dumps(ledger)) == ledger


@given(ledgers(max_pledges=5), st.data())
def test_grouping_by_a_field_equals_filtering_by_each_value(
    ledger: Ledger, data: st.DataObject
) -> None:
    field = data.draw(st.sampled_from(ledger.fields))
    summary = summarize(ledger, "2040", by=field)
    counted = {p.id for p in ledger.counted()}
    for group in summary.groups:
        chosen = ledger.select(where={field: group.group}) if group.group != "(none)" else None
        if chosen is None:
            continue
        assert {p.id for p in group.pledges} <= {p.id for p in chosen} & counted
        assert {p.id for p in chosen if p.id in counted and p.made_on.year <= 2040} >= {
            p.id for p in group.pledges
        }


def test_init_never_replaces_a_file(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    assert run("init", str(path), "--title", "T")[0] == 0
    assert load(path).title == "T"
    path.write_text("mine")
    code, _, err = run("init", str(path), "--title", "U")
    assert code == 1
    assert "exists already" in err
    assert path.read_text() == "mine"
    link = tmp_path / "l.toml"
    link.symlink_to(tmp_path / "elsewhere.toml")
    assert run("init", str(link), "--title", "U")[0] == 1
    assert not (tmp_path / "elsewhere.toml").exists()


def test_an_occasion_is_added_by_command(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    run("init", str(path), "--title", "T")
    run("actor", "add", "a", str(path), "--name", "A")
    code, _, err = run(
        "occasion", "add", "o", str(path), "--title", "Talks", "--start", "2024-03",
        "--end", "2024-03-05", "--participant", "A",
    )  # fmt: skip
    assert (code, err) == (0, "")
    (occasion,) = load(path).occasions
    assert (str(occasion.start), str(occasion.end), occasion.participants) == (
        "2024-03",
        "2024-03-05",
        ("a",),
    )


def test_every_option_of_every_command_says_what_it_does() -> None:
    from pledges.cli import parser

    top = parser(every=True)
    missing = []
    stack = [("pledges", top)]
    while stack:
        name, current = stack.pop()
        for action in current._actions:
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                stack += [(f"{name} {k}", v) for k, v in choices.items()]
            elif action.help is None and action.dest not in ("help",):
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_a_lifecycle_that_cannot_tell_forward_from_back_is_warned_of(tmp_path: Path) -> None:
    flat = Lifecycle(
        "flat",
        "Flat",
        (Status("open", "Open", to=("a", "b")), Status("a", "A", to=("b",)), Status("b", "B")),
        "open",
    )
    assert flat.level_moves() == (("open", "a"), ("open", "b"), ("a", "b"))
    assert "Give each status a rank" in (flat.rank_advice or "")
    lifecycle = tmp_path / "flat.toml"
    from pledges.serialization import save as save_lifecycle

    save_lifecycle(flat, lifecycle)
    code, out, _ = run("lifecycle", str(lifecycle))
    assert code == 0
    assert "valid, with a warning" in out
    assert "Give each status a rank" in out
    text = b"title,status,date,assessed\nP,A,2020,2021\n"
    ledger = import_csv(text, {"A": "a"}, lifecycle=flat).ledger
    path = _saved(ledger, tmp_path)
    code, _, err = run("report", str(path), "--baseline", "2020-06", "--outcome", "2022")
    assert code == 0
    assert "warning: lifecycle 'flat' has moves that go neither up nor down" in err


def test_trumptracker_tags_are_an_extra_field_and_a_missing_folder_is_unreadable(
    tmp_path: Path,
) -> None:
    tracker = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "trumptracker"
    with pytest.raises(PledgesError, match="cannot be read"):
        import_trumptracker(tmp_path / "nope", assessed_on="2018")
    if not tracker.is_dir():
        pytest.skip("the TrumpTracker data is not beside the checkout")
    ledger = import_trumptracker(tracker).ledger
    assert all(len(t) < 40 for p in ledger.pledges for t in p.topics)
    tagged = [p for p in ledger.pledges if "tags" in p.extra]
    assert tagged
    assert isinstance(tagged[0].extra["tags"], tuple)


def test_summary_precision_and_numbers_in_json(tmp_path: Path) -> None:
    path = _saved(
        import_csv(PROMISES, lifecycle="from-file", made_on="2024", assessed_on="2024").ledger,
        tmp_path,
    )
    _, out, _ = run("summary", str(path), "--by", "era", "--precision", "2", "--as-of", "2024")
    assert "54.84%" in out
    _, out, _ = run("summary", str(path), "--by", "era", "-f", "json", "--as-of", "2024")
    shares = {g["group"]: g["kept"]["share"] for g in json.loads(out)["groups"]}
    assert shares["1997–2010 Labour"] == pytest.approx(17 / 31)
