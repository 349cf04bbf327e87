"""The coder's workbench (issue 26): candidate commitments from a text, and agreement
between two codings, with the statistics checked against published worked examples."""

from __future__ import annotations

import io
import json
import time
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, strategies as st
from pendulum import Date

from pledges import Ledger, load, load_bundled, save
from pledges.agreement import (
    Match,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    match,
    percent_agreement,
)
from pledges.cli import main
from pledges.dates import PartialDate
from pledges.diff import Change
from pledges.errors import InvalidQuery
from pledges.extract import MAX_TEXT, cues, extract
from pledges.model import Evidence, Update, UpdateKind
from pledges.serialization import from_data
from pledges.testing import hostile_texts

BUNDLED = load_bundled()
DATA = Path(__file__).resolve().parent / "data"
EXCERPT = DATA / "vns-2025-excerpt.txt"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


# -- the statistics against published examples -------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, missing values.
KRIPPENDORFF_C = list(
    zip(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
        strict=True,
    )
)


def test_alpha_equals_krippendorffs_own_worked_examples() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_C, "nominal") == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(KRIPPENDORFF_C, "ordinal") == pytest.approx(0.815, abs=5e-4)
    assert krippendorff_alpha(KRIPPENDORFF_C, "interval") == pytest.approx(0.849, abs=5e-4)
    # Section A: two observers, binary data, ten units.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha(list(zip(a, b, strict=True))) == pytest.approx(0.095, abs=5e-4)


def test_kappa_equals_the_textbook_example() -> None:
    # 50 proposals read by two readers: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert percent_agreement(pairs) == pytest.approx(0.7)
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_the_statistics_of_nothing_and_their_refusals() -> None:
    assert (percent_agreement([]), cohen_kappa([]), krippendorff_alpha([])) == (1.0, 1.0, 1.0)
    assert krippendorff_alpha([(1, None), (None, 2), (3,)]) == 1.0  # no unit pairable
    assert krippendorff_alpha([("a", "a")]) == 1.0  # one pairable unit: nothing to expect
    assert krippendorff_alpha([("a", "b")]) == 0.0  # one unit in dispute: no better than chance
    # A rank nobody gave, between two given, changes no ordinal distance.
    units = [(1, 2), (2, 4), (1, 4), (4, 4), (1, 1)]
    assert krippendorff_alpha(units, "ordinal", order=[1, 2, 3, 4]) == pytest.approx(
        krippendorff_alpha(units, "ordinal")
    )
    assert cohen_kappa([("a", "b")] * 4) == 0.0  # each coder one value, never the same
    # Units with fewer than two values are skipped, not the end of the data.
    both = [(1, 1), (2, 2), (1, 2)]
    assert krippendorff_alpha([(1, None), *both]) == krippendorff_alpha(both)
    assert krippendorff_alpha([(1, 1), (2, 2)]) == 1.0
    # An order may name values nobody gave; a value given must be in it.
    assert krippendorff_alpha(KRIPPENDORFF_C, "ordinal", order=[0, 1, 2, 3, 4, 5, 6]) == (
        pytest.approx(0.815, abs=5e-4)
    )
    with pytest.raises(ValueError, match=r"values \[5\] are not in the order given"):
        krippendorff_alpha(KRIPPENDORFF_C, "ordinal", order=[1, 2, 3, 4])
    with pytest.raises(ValueError, match="unknown metric 'ratio'"):
        krippendorff_alpha(KRIPPENDORFF_C, "ratio")


def test_matching_by_words_is_one_to_one_and_says_how_much() -> None:
    from pledges.agreement import WORDS_NEEDED

    a = BUNDLED
    b = BUNDLED.evolve(
        pledges=tuple(attrs.evolve(p, id=f"b-{p.id}", links=()) for p in BUNDLED.pledges)
    )
    found = match(a, b)
    assert len({m.a for m in found}) == len(found) == len({m.b for m in found})
    assert [m.a for m in found] == [p.id for p in a.pledges if p.id in {m.a for m in found}]
    assert all(m.by == "words" and WORDS_NEEDED <= m.overlap <= 1 for m in found)
    same = next(m for m in found if m.a == "2014-fta")
    assert same.overlap == 1.0  # the same text and quote: every word shared
    # A pledge mapped to no counterpart stays unmatched, and frees nothing for the words.
    unmapped = {m.a: m for m in match(a, b, {"2014-fta": None})}
    assert "2014-fta" not in unmapped
    assert "b-2014-fta" not in {m.b for m in unmapped.values()}
    with pytest.raises(InvalidQuery, match="'b-nope'"):
        match(a, b, {"2014-fta": "b-nope"})


def _coding(**texts: str) -> Ledger:
    """A ledger of pledges with the given ids and texts, each made with an unquoted source."""
    template = BUNDLED.pledge("2014-fta")
    made = attrs.evolve(
        template.history[0], evidence=(Evidence("vietnamplus-2014-visit", summary="made"),)
    )
    return BUNDLED.evolve(
        pledges=tuple(
            attrs.evolve(template, id=id_, text=text, history=(made,), links=())
            for id_, text in texts.items()
        )
    )


def test_matching_by_words_takes_the_best_pair_first_and_each_pledge_once() -> None:
    a = _coding(x="alpha beta gamma", z="alpha beta gamma delta")
    b = _coding(y="alpha beta gamma", w="alpha beta gamma delta epsilon zeta")
    # x-y share all (1.0); z-y (0.75) loses y to x; z-w (4 of 6) comes after that refusal;
    # x-w (exactly half) would reuse x.
    assert match(a, b) == (Match("x", "y", "words", 1.0), Match("z", "w", "words", 0.667))
    # Exactly half the words shared is enough.
    assert match(_coding(x="alpha beta"), _coding(y="alpha beta gamma delta")) == (
        Match("x", "y", "words", 0.5),
    )
    assert match(_coding(x="alpha beta"), _coding(y="alpha beta gamma delta eta")) == ()
    # A pledge matched is not offered again, though its next best is free.
    one = _coding(x="alpha beta gamma")
    assert match(one, _coding(y="alpha beta gamma", w="alpha beta gamma delta")) == (
        Match("x", "y", "words", 1.0),
    )


def test_matching_by_id_and_map_takes_each_pledge_once() -> None:
    same = "alpha beta gamma"
    # b's "p" is mapped, so a's "p" does not take it by id, and has no other counterpart.
    a = _coding(m="one two three", p="four five six")
    b = _coding(p="seven eight nine")
    assert match(a, b, {"m": "p"}) == (Match("m", "p", "map"),)
    # Paired by id, neither side is offered again to the words.
    assert match(_coding(p=same), _coding(p=same, q=same)) == (Match("p", "p", "id"),)
    assert match(_coding(p=same, r=same), _coding(p=same)) == (Match("p", "p", "id"),)
    with pytest.raises(InvalidQuery, match=r"neither coding has: 'x', 'y'$"):
        match(a, b, {"x": None, "m": "y"})


def test_words_come_from_the_text_and_the_quotes_of_the_making() -> None:
    from pledges.agreement import _jaccard, _words

    pledge = BUNDLED.pledge("2014-viettel")
    words = _words(pledge)
    quote = pledge.history[0].evidence[0].quote or ""
    assert {w.casefold() for w in quote.split()[:3]} <= words | {"belarus"}
    assert "xxxx" not in words
    assert _words(_coding(x="Alpha beta").pledges[0]) == {"alpha", "beta"}  # no quote
    two = attrs.evolve(
        pledge,
        text="x",
        history=(
            attrs.evolve(
                pledge.history[0],
                evidence=(
                    attrs.evolve(pledge.history[0].evidence[0], quote="one two"),
                    attrs.evolve(pledge.history[0].evidence[0], quote="three"),
                ),
            ),
        ),
    )
    assert _words(two) == {"x", "one", "two", "three"}
    assert _jaccard(frozenset(), frozenset()) == 0.0
    assert _jaccard(frozenset("ab"), frozenset("bc")) == pytest.approx(1 / 3)
    assert _jaccard(frozenset("a"), frozenset()) == 0.0


def test_the_ordinal_alpha_needs_a_lifecycle_with_ranks() -> None:
    from pledges.testing import hostile_ledger

    ranked = hostile_ledger("x")
    assert agreement(ranked, ranked, "o1", "2030").alpha_ordinal == 1.0
    (lifecycle,) = ranked.lifecycles
    statuses = tuple(attrs.evolve(s, rank=1) for s in lifecycle.statuses)
    flat = ranked.evolve(lifecycles=(attrs.evolve(lifecycle, statuses=statuses),))
    assert agreement(flat, flat, "o1", "2030").alpha_ordinal is None
    assert agreement(ranked, flat, "o1", "2030").alpha_ordinal is None  # ranks on one side


def test_both_codings_are_judged_from_the_baseline_given() -> None:
    result = agreement(BUNDLED, _second_coder(), "golovchenko-2023")
    assert result.diff_a.baseline.day == result.diff_b.baseline.day == Date(2023, 12, 9)


def test_a_counterpart_made_after_the_baseline_leaves_the_pledge_coded_by_one_side() -> None:
    result = agreement(BUNDLED, BUNDLED, mapping={"2014-viettel": "2025-digital"})
    assert "2014-viettel" in {p.id for p in result.only_a}
    assert ("2014-viettel", "2025-digital") not in {(m.a, m.b) for m in result.matches}


CALLS = st.lists(
    st.tuples(st.sampled_from(list(Change)), st.sampled_from(list(Change))), max_size=40
)


@given(CALLS)
def test_the_statistics_are_symmetric_in_the_two_coders(pairs: list[tuple[Change, Change]]) -> None:
    swapped = [(b, a) for a, b in pairs]
    assert percent_agreement(pairs) == percent_agreement(swapped)
    assert cohen_kappa(pairs) == pytest.approx(cohen_kappa(swapped))
    assert krippendorff_alpha(pairs) == pytest.approx(krippendorff_alpha(swapped))


@given(st.lists(st.sampled_from(list(Change)), min_size=1, max_size=40))
def test_a_coding_agrees_with_itself_perfectly(calls: list[Change]) -> None:
    pairs = [(c, c) for c in calls]
    assert percent_agreement(pairs) == 1.0
    assert cohen_kappa(pairs) == 1.0
    assert krippendorff_alpha(pairs) == 1.0
    ranks = [list(Change).index(c) for c in calls]
    assert krippendorff_alpha([(r, r) for r in ranks], "ordinal") == 1.0


@given(CALLS.filter(lambda p: len(p) >= 2))
def test_the_statistics_stay_in_their_ranges(pairs: list[tuple[Change, Change]]) -> None:
    assert 0.0 <= percent_agreement(pairs) <= 1.0
    assert -1.0 <= cohen_kappa(pairs) <= 1.0
    assert krippendorff_alpha(pairs) <= 1.0


# -- agreement between two codings ---------------------------------------------------------


def _second_coder() -> Ledger:
    """The bundled ledger with three calls changed and one pledge left out."""
    evidence = (Evidence("vietnamplus-2014-visit", summary="the second coder's reading"),)
    changed = {
        "2014-community": "in-progress",
        "2014-viettel": "in-progress",
        "2014-students": "fulfilled",
    }
    day = PartialDate(2025, 1, 15)
    pledges = tuple(
        attrs.evolve(
            p, history=(*p.history, Update(day, changed[p.id], UpdateKind.PROGRESS, evidence))
        )
        if p.id in changed
        else p
        for p in BUNDLED.pledges
        if p.id != "2014-labour"
    )
    return BUNDLED.evolve(pledges=pledges)


def test_agreement_reports_exactly_the_changed_calls_and_the_missing_pledge() -> None:
    result = agreement(BUNDLED, _second_coder())
    assert {d.match.a for d in result.disagreements} == {
        "2014-community",
        "2014-viettel",
        "2014-students",
    }
    assert [p.id for p in result.only_a] == ["2014-labour"]
    assert result.only_b == ()
    n = len(result.pairs)
    assert n == 20
    assert result.percent == pytest.approx(17 / 20)
    # By hand, from the confusion matrix: each coder's shares of the five calls.
    a = {c: sum(k for x, _, k in result.confusion if x is c) for c in Change}
    b = {c: sum(k for _, y, k in result.confusion if y is c) for c in Change}
    expected = sum(a[c] * b[c] for c in Change) / n**2
    assert result.kappa == pytest.approx((17 / 20 - expected) / (1 - expected))
    assert result.recall_b == pytest.approx(20 / 21)
    assert result.recall_a == 1.0


def test_both_codings_are_judged_at_the_points_named() -> None:
    second = _second_coder()
    result = agreement(BUNDLED, second, "talks-2014", "2018")
    assert str(result.diff_a.outcome.day) == str(result.diff_b.outcome.day) == "2018-12-31"
    assert result.diff_a.baseline.day == result.diff_b.baseline.day
    # By 2018 none of the second coder's 2025 steps had been taken: only the pledge left out.
    assert result.disagreements == ()
    assert [p.id for p in result.only_a] == ["2014-labour"]
    later = agreement(BUNDLED, second)
    rows_a = {r.pledge.id: r for r in later.diff_a.rows}
    rows_b = {r.pledge.id: r for r in later.diff_b.rows}
    pairs = [
        (
            BUNDLED.status_info(rows_a[m.a].pledge, rows_a[m.a].after).rank,
            second.status_info(rows_b[m.b].pledge, rows_b[m.b].after).rank,
        )
        for m in later.matches
    ]
    # Each pledge's rank on its own lifecycle (where both codings follow the same one).
    assert later.alpha_ordinal == pytest.approx(
        krippendorff_alpha(pairs, "ordinal", order=sorted({r for p in pairs for r in p}))
    )
    assert later.alpha == pytest.approx(krippendorff_alpha(later.pairs, order=list(Change)))


def test_a_coding_compared_with_itself_agrees_perfectly() -> None:
    result = agreement(BUNDLED, BUNDLED)
    assert (result.percent, result.kappa, result.alpha) == (1.0, 1.0, 1.0)
    assert result.alpha_ordinal is None or result.alpha_ordinal == 1.0
    assert result.disagreements == ()
    assert all(m.by == "id" for m in result.matches)


def test_pledges_with_other_ids_are_matched_by_their_words_or_a_mapping() -> None:
    renamed = BUNDLED.evolve(
        pledges=tuple(attrs.evolve(p, id=f"b-{p.id}", links=()) for p in BUNDLED.pledges)
    )
    found = {m.a: m for m in match(BUNDLED, renamed)}
    assert found["2014-fta"].b == "b-2014-fta"
    assert found["2014-fta"].by == "words"
    assert sum(m.b == f"b-{m.a}" for m in found.values()) >= len(BUNDLED.pledges) - 2
    mapped = {m.a: m for m in match(BUNDLED, renamed, {"2014-fta": "b-2014-viettel"})}
    assert (mapped["2014-fta"].b, mapped["2014-fta"].by) == ("b-2014-viettel", "map")
    with pytest.raises(InvalidQuery, match="neither coding has"):
        match(BUNDLED, renamed, {"nope": "b-2014-fta"})


def test_the_command_prints_text_markdown_and_json(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    save(BUNDLED, a)
    save(_second_coder(), b)
    code, text, _ = run("agreement", str(a), str(b))
    assert code == 0
    assert "Disagreements (3)" in text
    assert "Coded by A only (1)" in text
    assert "2014-labour" in text
    assert max(map(len, text.splitlines())) <= 80
    code, markdown, _ = run("agreement", str(a), str(b), "--format", "markdown")
    assert "## Disagreements (3)" in markdown
    code, raw, _ = run("agreement", str(a), str(b), "--format", "json")
    body = json.loads(raw)
    assert (body["both"], body["agreed"], body["only_a"]) == (20, 17, ["2014-labour"])
    mapping = tmp_path / "map.toml"
    mapping.write_text('[map]\n"2014-labour" = "2014-students"\n', encoding="utf-8")
    code, raw, _ = run("agreement", str(a), str(b), "--map", str(mapping), "--format", "json")
    assert {"a": "2014-labour", "b": "2014-students", "by": "map", "overlap": 1.0} in json.loads(
        raw
    )["matches"]
    mapping.write_text("[map]\nx = 1\n", encoding="utf-8")
    code, _, err = run("agreement", str(a), str(b), "--map", str(mapping))
    assert code == 2
    assert "expected a table [map]" in err


# -- extract -------------------------------------------------------------------------------


def test_candidates_are_verbatim_and_placed() -> None:
    text = EXCERPT.read_text(encoding="utf-8")
    found = extract(text)
    assert len(found) == 5
    for candidate in found:
        assert text[candidate.start : candidate.end] == candidate.quote
    assert "Party chief" not in " ".join(c.quote for c in found)  # the headline: no cue
    assert "RELATED NEWS" not in " ".join(c.quote for c in found)
    first = found[0]
    assert first.kind.value == "agreement"
    assert first.speaker == "The two countries"
    assert first.cues == ("agreed",)
    assert found[3].speaker == "the two sides"


def test_furniture_datelines_and_abbreviations_are_minded() -> None:
    text = (
        "MINSK — Mr. Lukashenko said Belarus will open a trade house by 2026.\n"
        "![]() |\n"
        "The leaders at the talks. |\n"
        "- Both sides agreed to hold the forum in Hanoi, Vietnam etc. next year.\n"
    )
    found = extract(text)
    assert [c.quote for c in found] == [
        "Mr. Lukashenko said Belarus will open a trade house by 2026.",
        "Both sides agreed to hold the forum in Hanoi, Vietnam etc. next year.",
    ]
    assert found[0].speaker == "Belarus"
    assert found[0].specificity >= 0.5  # a number and a deadline
    assert found[1].speaker == "Both sides"


def test_the_cues_are_data_a_user_can_replace(tmp_path: Path) -> None:
    own = tmp_path / "mine.toml"
    own.write_text('order = ["request"]\n[kinds]\nrequest = ["demanded"]\n', encoding="utf-8")
    found = extract("The council demanded a new bridge. It will be built.", cues(own))
    assert [c.quote for c in found] == ["The council demanded a new bridge."]
    own.write_text('order = ["wish"]\n[kinds]\nwish = ["hope"]\n', encoding="utf-8")
    with pytest.raises(InvalidQuery, match="not kinds of pledge"):
        cues(own)
    with pytest.raises(InvalidQuery, match="no cues shipped for 'xx'"):
        cues("xx")


@given(hostile_texts())
def test_any_text_gives_verbatim_candidates_or_none(payload: str) -> None:
    text = f"{payload} The two sides agreed to {payload}. {payload}"
    for candidate in extract(text):
        assert text[candidate.start : candidate.end] == candidate.quote
        assert 0 < len(candidate.quote) <= 1_500


@pytest.mark.parametrize(
    "text",
    [
        "we will support the plan and agree " * 2_000,  # no sentence end, no line break
        "a. " * 25_000,  # ends everywhere
        "\u202e will \x1b[31m agree\x00\n" * 3_000,  # controls and overrides
        "x" * 70_000,  # one word
    ],
    ids=["no-ends", "all-ends", "controls", "one-word"],
)
def test_hostile_texts_are_quick(text: str) -> None:
    start = time.perf_counter()
    for candidate in extract(text):
        assert text[candidate.start : candidate.end] == candidate.quote
    assert time.perf_counter() - start < 5


def test_a_text_too_long_is_a_clear_error_at_once() -> None:
    start = time.perf_counter()
    with pytest.raises(InvalidQuery, match="extract reads at most"):
        extract("x" * (MAX_TEXT + 1))
    assert time.perf_counter() - start < 1
    with pytest.raises(InvalidQuery, match="over 10,000 candidates"):
        extract("They will. " * 10_500)


@pytest.mark.slow
def test_the_longest_text_allowed_is_read_in_seconds() -> None:
    text = ("we will support the plan and agree. " * 40_000)[:MAX_TEXT]
    start = time.perf_counter()
    with pytest.raises(InvalidQuery):  # over 10,000 candidates
        extract(text)
    assert time.perf_counter() - start < 30


def test_extract_writes_toml_that_becomes_a_valid_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "round.toml"
    assert run("init", str(ledger), "--title", "Round")[0] == 0
    for actor in ("vietnam", "belarus"):
        assert run("actor", "add", actor, str(ledger), "--name", actor.title())[0] == 0
    assert run(
        "source", "add", "vns", str(ledger), "--title", "VNS", "--file", str(EXCERPT),
        "--published", "2025-05",
    )[0] == 0  # fmt: skip
    code, snippet, _ = run(
        "extract", str(EXCERPT), "--format", "toml", "--ledger", str(ledger), "--source", "vns"
    )
    assert code == 0
    records: dict[str, Any] = tomllib.loads(snippet)
    assert len(records["pledges"]) == 5
    # "Việt Nam and Belarus": this ledger knows no "Việt Nam", and Belarus by its name.
    assert records["pledges"][2]["made_by"] == ["belarus"]
    data = tomllib.loads(ledger.read_text(encoding="utf-8"))
    for record in records["pledges"]:
        record["made_by"] = record["made_by"] or ["belarus"]  # what a person fills in
    data["pledges"] = records["pledges"]
    merged = from_data(data)
    assert [p.text for p in merged.pledges] == [c.quote for c in extract(EXCERPT.read_text())]
    code, _, err = run("extract", str(EXCERPT), "--ledger", str(ledger), "--source", "vns",
                       "--accept", "2")  # fmt: skip
    assert code == 2
    assert "give --by ACTOR" in err  # "They also committed": no one named
    accept = ["--accept", "1", "--accept", "4", "--by", "vietnam", "--by", "belarus"]
    code, out, _ = run("extract", str(EXCERPT), "--ledger", str(ledger), "--source", "vns", *accept)
    assert code == 0
    assert out.count("added") == 2
    loaded = load(ledger)
    assert [p.text for p in loaded.pledges] == [
        extract(EXCERPT.read_text())[i].quote for i in (0, 3)
    ]
    texts = tmp_path
    (texts / EXCERPT.name).write_bytes(EXCERPT.read_bytes())
    code, out, _ = run("verify", str(ledger), "--texts", str(texts))
    assert code == 0
    assert "quotes found verbatim: 2 of 2" in " ".join(out.split())


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are kept outside the project")
def test_extract_finds_the_commitments_coded_from_the_seed_texts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "extract_recall.py"
    spec = importlib.util.spec_from_file_location("extract_recall", path)
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    quotes, found, proposed, useful, misses = bench.measure(SEEDS)
    assert found / quotes >= 0.95, misses
    assert useful / proposed >= 0.5
    for text_path in sorted(SEEDS.glob("0*.txt")):
        text = text_path.read_text(encoding="utf-8")
        for candidate in extract(text):  # what pledges verify checks: the words as they are
            assert text[candidate.start : candidate.end] == candidate.quote
