"""verify: quotes against local texts, hashes, and paths that stay inside the texts folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledges import Evidence, Ledger, Source, Update, UpdateKind
from pledges.cli import main
from pledges.verify import normalise, verify

TEXT = "He said: “We will sign it early.”\nThe Việt  Nam side agreed.\n"


def local_ledger(small_ledger: Ledger, tmp_path: Path, quote: str, path: str = "a.txt") -> Ledger:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    source = Source("local", "A text", path=path, sha256=digest)
    viettel = small_ledger.pledge("viettel")
    made = Update(viettel.made_on, "made", UpdateKind.MADE, (Evidence("local", quote=quote),))
    ledger = small_ledger.evolve(sources=(*small_ledger.sources, source))
    return ledger.with_pledge(attrs.evolve(viettel, history=(made,)))


@pytest.mark.parametrize(
    "quote", ["We will sign it early.", '"We will sign it early."', "the Việt Nam\nside agreed"]
)
def test_white_space_and_typographic_quotes_may_differ(
    small_ledger: Ledger, tmp_path: Path, quote: str
) -> None:
    assert verify(local_ledger(small_ledger, tmp_path, quote.replace("the", "The")), tmp_path) == ()


@pytest.mark.parametrize("quote", ["The Viet Nam side agreed.", "we will sign it early", "ratify"])
def test_diacritics_case_and_words_count(small_ledger: Ledger, tmp_path: Path, quote: str) -> None:
    (problem,) = verify(local_ledger(small_ledger, tmp_path, quote), tmp_path)
    assert problem.where == "$.pledges[2].history[0].evidence[0].quote"
    assert problem.message == f"pledge 'viettel': quote not found in 'local': {quote!r}"


def test_a_changed_text_fails_its_hash(small_ledger: Ledger, tmp_path: Path) -> None:
    ledger = local_ledger(small_ledger, tmp_path, "We will sign it early.")
    (tmp_path / "a.txt").write_text(TEXT + "edited", encoding="utf-8")
    (problem,) = verify(ledger, tmp_path)
    assert problem.where == "$.sources[1].sha256"
    assert "has sha256" in problem.message


@pytest.mark.parametrize("path", ["../a.txt", "/etc/passwd", "sub/../../a.txt", "link.txt"])
def test_a_path_cannot_lead_outside_the_texts_folder(
    small_ledger: Ledger, tmp_path: Path, path: str
) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    os.symlink(tmp_path / "a.txt", texts / "link.txt")
    ledger = local_ledger(small_ledger, tmp_path, "We will sign it early.", path)
    (problem,) = verify(ledger, texts)
    assert problem.message == f"source 'local': path {path!r} leads outside {texts}"


def test_a_missing_text_is_reported(small_ledger: Ledger, tmp_path: Path) -> None:
    ledger = local_ledger(small_ledger, tmp_path, "x", "missing.txt")
    (problem,) = verify(ledger, tmp_path)
    assert "cannot read" in problem.message


def test_the_cli_lists_mismatches_and_exits_1(
    small_ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pledges import save

    ledger = local_ledger(small_ledger, tmp_path, "ratify")
    save(ledger, tmp_path / "l.toml")
    assert main(["verify", str(tmp_path / "l.toml"), "--texts", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("1 problem:\n")
    assert "'ratify'" in out
    assert main(["verify", str(tmp_path / "l.toml"), "--texts", str(tmp_path / "no")]) == 2


@given(st.text())
def test_normalising_is_idempotent_and_keeps_letters(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert [c for c in once if c.isalnum()] == [c for c in text if c.isalnum()]
