"""The bundled Vietnam–Belarus ledger: the facts it pins, and its evidence."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from pledges import LinkKind, PartialDate, StatusKind, load_bundled
from pledges.cli import main
from pledges.diff import Change, compare
from pledges.present.render import render
from pledges.present.report import calls_table
from pledges.verify import verify

LEDGER = load_bundled()
DOCS = Path(__file__).resolve().parent.parent / "docs" / "dataset.md"
SEEDS = {s.id for s in LEDGER.sources if s.path is not None}
# Known only from public pages: the joint statement's own pledges, and the Hanoi invitation.
NOT_IN_SEEDS = {
    "2014-sectors",
    "2014-intergovernmental-committee",
    "2014-east-sea",
    "2025-invitation-hanoi",
    "2014-legal-basis",  # the French VNA text of the joint statement
}


def history(pledge_id: str) -> list[tuple[str, str, str]]:
    return [(str(u.date), u.status, u.kind.value) for u in LEDGER.pledge(pledge_id).history]


def test_the_two_rounds_carry_their_true_dates() -> None:
    talks = LEDGER.occasion("talks-2014")
    assert (talks.start, talks.end) == (PartialDate(2014, 11, 26), PartialDate(2014, 11, 27))
    assert talks.note is not None
    assert "'2013'" in talks.note
    visit = LEDGER.occasion("visit-2025")
    assert (str(visit.start), str(visit.last)) == ("2025-05-11", "2025-05-12")


def test_the_fta_history() -> None:
    assert history("2014-fta") == [
        ("2014-11-26", "negotiating", "made"),
        ("2015-05-29", "signed", "progress"),
        ("2016-05-31", "ratified", "progress"),
        ("2016-10-05", "in-force", "progress"),
    ]
    assert [p.id for p in LEDGER.linked_to("2014-fta", LinkKind.RENEWS)] == ["2025-fta-leverage"]


def test_the_visa_exemption_history() -> None:
    assert history("2014-visa-exemption") == [
        ("2014-11-26..27", "negotiating", "made"),
        ("2014-12", "negotiating", "progress"),
        ("2015-07-01", "negotiating", "progress"),
        ("2023-12-08", "signed", "progress"),
        ("2025-01-30", "in-force", "progress"),
        ("2025-05-12", "in-force", "reaffirmed"),
    ]


def test_the_roadmap_history() -> None:
    assert history("2024-roadmap") == [
        ("2024-10", "made", "made"),
        ("2025-05-12", "made", "reaffirmed"),
        ("2025-12-03", "made", "reaffirmed"),
    ]
    roadmap = LEDGER.pledge("2024-roadmap")
    assert roadmap.window is not None
    assert str(roadmap.window) == "2025/2027"
    assert LEDGER.overdue("2028-01-01") == (roadmap,)


def test_the_defence_training_histories() -> None:
    assert history("2014-defence-training") == [
        ("2014-11-26", "made", "made"),
        ("2018-11-15", "in-progress", "progress"),
        ("2024-12-17", "in-progress", "progress"),
        ("2025-12-01..04", "in-progress", "progress"),
    ]
    assert history("2025-defence-training") == [
        ("2025-05-12", "made", "made"),
        ("2025-12-01..04", "in-progress", "progress"),
    ]
    # Dated by the third review (issue 27), each change recorded as a correction.
    corrected = {c.pledge for c in LEDGER.corrections if c.update == PartialDate(2025)}
    assert corrected == {"2014-defence-training", "2025-defence-training"}
    renewals = {p.id for p in LEDGER.linked_to("2014-defence-training", LinkKind.RENEWS)}
    assert renewals == {"2025-defence-training"}


def test_every_pledge_has_a_quote_from_a_seed() -> None:
    for pledge in LEDGER.pledges:
        quoted = {e.source for u in pledge.history for e in u.evidence if e.quote is not None}
        assert (quoted & SEEDS) or pledge.id in NOT_IN_SEEDS, pledge.id


def test_every_2025_renewal_points_at_the_2014_pledge() -> None:
    renewals = {
        (p.id, link.pledge)
        for p in LEDGER.pledges
        for link in p.links
        if link.kind is LinkKind.RENEWS
    }
    assert renewals == {
        ("2025-fta-leverage", "2014-fta"),
        ("2025-market-access", "2014-market-access"),
        ("2025-mutual-deliveries", "2014-market-access"),
        ("2025-defence-training", "2014-defence-training"),
        ("2025-defence-training", "2014-security"),
        ("2025-exchanges-all-levels", "2014-leader-visits"),
        ("2025-exchanges-all-levels", "2014-localities"),
        ("2025-exchanges-all-levels", "2014-intergovernmental-committee"),
        ("2025-new-areas", "2014-education-culture"),
        ("2025-new-areas", "2014-business-cooperation"),
        ("2025-new-areas", "2014-students"),
        ("2025-digital", "2014-business-cooperation"),
        ("2025-associations-bridge", "2014-students"),
        ("2025-joint-manufacturing", "2014-sectors"),
        ("2025-south-china-sea", "2014-east-sea"),
        ("2025-multilateral", "2014-multilateral"),
        ("2025-community", "2014-community"),
        ("2025-payments-air-service", "2014-direct-flights"),
    }
    for later, earlier in renewals:
        assert LEDGER.pledge(later).occasion == "visit-2025"
        assert LEDGER.pledge(earlier).occasion == "talks-2014"


def test_every_judgement_is_written_in_the_data() -> None:
    """A renewal is a judgement: each link says why. A call that rests on a reading of a
    quote says so in its update's note."""
    for pledge in LEDGER.pledges:
        for link in pledge.links:
            if link.kind is LinkKind.RENEWS:
                assert link.note, (pledge.id, link.pledge)
    for pledge_id in ("2014-market-access", "2014-defence-training", "2014-direct-flights"):
        assert any(u.note for u in LEDGER.pledge(pledge_id).history[1:]), pledge_id


def test_no_evidence_records_where_it_was_looked_for() -> None:
    diff = compare(LEDGER)
    silent = [r.pledge for r in diff.of(Change.NO_EVIDENCE)]
    assert [p.id for p in silent] == ["2014-viettel", "2014-governance-experience"]
    for pledge in silent:
        (search,) = pledge.searches
        assert search.where
        assert search.terms
        assert search.period is not None


def test_the_calls_of_the_review() -> None:
    """Issues 11 and 27: the disputed calls, settled by evidence, and the decade's."""
    rows = {r.pledge.id: r for r in compare(LEDGER).rows}
    calls = {pledge_id: r.change for pledge_id, r in rows.items()}
    assert calls["2014-defence-training"] is Change.PROGRESSED
    assert calls["2014-business-cooperation"] is Change.PROGRESSED  # the 2017 business forum
    assert calls["2014-security"] is Change.PROGRESSED
    assert calls["2014-east-sea"] is Change.REAFFIRMED
    assert calls["2014-market-access"] is Change.PROGRESSED  # the latest figure, 2024
    assert calls["2014-viettel"] is Change.NO_EVIDENCE
    assert calls["2014-labour"] is Change.REAFFIRMED
    assert calls["2014-direct-flights"] is Change.REAFFIRMED
    assert calls["2014-students"] is Change.PROGRESSED
    # Each disputed call says how sure it is, and what else it could have been.
    for pledge_id in ("2014-business-cooperation", "2014-market-access", "2014-labour",
                      "2014-direct-flights"):  # fmt: skip
        deciding = rows[pledge_id].deciding
        assert deciding is not None
        assert deciding.confidence is not None
        assert deciding.alternative is not None, pledge_id
    market = rows["2014-market-access"].deciding
    assert market is not None
    assert market.confidence is not None
    assert market.confidence.value == "low"


def test_every_published_change_of_a_call_is_a_correction() -> None:
    (market,) = [c for c in LEDGER.corrections if c.pledge == "2014-market-access"]
    assert (market.update, market.was) == (PartialDate(2025, 4, 1), "stalled")
    assert LEDGER.pledge("2014-market-access").history[-1].status == "in-progress"


def test_every_source_is_cited() -> None:
    """As evidence, by a search or a correction, or by its id in a note (the sources that
    settle the 2014 round's year are named in the note of the article that lacks it)."""
    cited = {e.source for p in LEDGER.pledges for u in p.history for e in u.evidence}
    cited |= {s for p in LEDGER.pledges for search in p.searches for s in search.sources}
    cited |= {s for c in LEDGER.corrections for s in c.sources}
    notes = " ".join(
        n or ""
        for n in (
            *(s.note for s in LEDGER.sources),
            *(o.note for o in LEDGER.occasions),
            *(p.note for p in LEDGER.pledges),
            *(u.note for p in LEDGER.pledges for u in p.history),
        )
    )
    uncited = {s.id for s in LEDGER.sources} - cited
    assert {s for s in uncited if s not in notes} == set()


def test_no_note_names_a_path_outside_the_project_and_every_source_has_an_outlet() -> None:
    from pledges import dumps

    text = dumps(LEDGER)
    assert "FACTS" not in text
    assert "../" not in text
    assert all(source.outlet for source in LEDGER.sources)


def test_the_joint_statement_s_pledges_carry_the_visit_s_days() -> None:
    joint = "vietnamnet-2014-joint-statement"
    for pledge in LEDGER.pledges:
        making = pledge.history[0]
        if {e.source for e in making.evidence} == {joint}:
            assert str(making.date) == "2014-11-26..27", pledge.id


def test_no_evidence_is_never_written_as_broken() -> None:
    for pledge in LEDGER.pledges:
        for update in pledge.history:
            status = LEDGER.status_info(pledge, update.status)
            assert status.kind is not StatusKind.FAILED, pledge.id


def test_the_open_questions_stay_open() -> None:
    assert LEDGER.status_at("2014-viettel", "2025-12-31") == "made"
    assert LEDGER.status_at("2024-roadmap", "2025-12-31") == "made"
    assert LEDGER.status_at("2025-invitation-hanoi", "2025-09-30") == "made"


def counts_tables() -> str:
    """The counts of docs/dataset.md, as Markdown tables."""

    def table(title: str, counter: Counter[str]) -> str:
        rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        lines = [f"| {title} | pledges |", "|---|---:|", *(f"| {k} | {v} |" for k, v in rows)]
        return "\n".join(lines)

    rounds = Counter(p.occasion or "" for p in LEDGER.pledges)
    topics = Counter(t for p in LEDGER.pledges for t in p.topics)
    actors = Counter(LEDGER.actor(a).name for p in LEDGER.pledges for a in p.made_by)
    kinds = Counter(p.kind.value for p in LEDGER.pledges)
    return "\n\n".join(
        [
            table("occasion", rounds),
            table("kind", kinds),
            table("made by", actors),
            table("topic", topics),
        ]
    )


def calls() -> str:
    """The calls table of docs/dataset.md."""
    return render(calls_table(LEDGER, compare(LEDGER)), "github").rstrip("\n")


@pytest.mark.parametrize(("marker", "make"), [("calls", calls), ("counts", counts_tables)])
def test_the_generated_sections_of_the_dataset_page_agree_with_the_data(
    marker: str, make: Callable[[], str]
) -> None:
    page = DOCS.read_text(encoding="utf-8")
    start, end = f"<!-- {marker}:start -->\n", f"<!-- {marker}:end -->"
    before, rest = page.split(start)
    shown, after = rest.split(end)
    if os.environ.get("PLEDGES_UPDATE_DOCS") == "1":
        DOCS.write_text(f"{before}{start}{make()}\n{end}{after}", encoding="utf-8")
        return
    assert shown == make() + "\n"


def test_the_counts_are_pinned() -> None:
    assert len(LEDGER.pledges) == 44
    assert Counter(p.occasion for p in LEDGER.pledges) == {
        "talks-2014": 21,
        "visit-2025": 22,
        "brics-kazan-2024": 1,
    }


def test_the_bundled_ledger_validates_through_the_cli(tmp_path: Path) -> None:
    from pledges.bundled import bundled_text

    path = tmp_path / "bundled.toml"
    path.write_text(bundled_text(), encoding="utf-8")
    assert main(["validate", str(path)]) == 0


def test_every_quote_is_verbatim_and_every_text_pinned(seeds_dir: Path) -> None:
    result = verify(LEDGER, seeds_dir)
    assert result.problems == ()
    assert (result.pinned, result.found) == (5, result.quotes)
    assert result.quotes > 40
    assert main(["verify", "--texts", str(seeds_dir)]) == 0


@pytest.mark.parametrize("source", sorted(SEEDS))
def test_each_seed_is_a_local_source_with_its_url(source: str) -> None:
    record = LEDGER.source(source)
    assert record.path == source
    assert record.url is not None
    assert record.url.startswith("https://")
