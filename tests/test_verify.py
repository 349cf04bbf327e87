"""verify: quotes against local texts, hashes, texts opened once beneath their folder
without following links, and an account of what could not be checked."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import attrs
import pytest
from hypothesis import given, strategies as st

from pledges import Evidence, Ledger, Source, Update, UpdateKind
from pledges.cli import main
from pledges.verify import Verification, normalise, verify

TEXT = "He said: “We will sign it early.”\nThe Việt  Nam side agreed.\n"


def local_ledger(
    small_ledger: Ledger, tmp_path: Path, quote: str, path: str = "a.txt", text: bytes | None = None
) -> Ledger:
    raw = TEXT.encode() if text is None else text
    (tmp_path / "a.txt").write_bytes(raw)
    source = Source("local", "A text", path=path, sha256=hashlib.sha256(raw).hexdigest())
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
    result = verify(local_ledger(small_ledger, tmp_path, quote.replace("the", "The")), tmp_path)
    assert result.problems == ()
    assert (result.texts, result.pinned, result.quotes, result.found) == (1, 1, 1, 1)


@pytest.mark.parametrize("quote", ["The Viet Nam side agreed.", "we will sign it early", "ratify"])
def test_diacritics_case_and_words_count(small_ledger: Ledger, tmp_path: Path, quote: str) -> None:
    (problem,) = verify(local_ledger(small_ledger, tmp_path, quote), tmp_path).problems
    assert problem.where == "$.pledges[2].history[0].evidence[0].quote"
    assert problem.message == f"pledge 'viettel': quote not found in 'local': {quote!r}"


def test_a_changed_text_fails_its_hash_and_its_quotes_are_still_checked(
    small_ledger: Ledger, tmp_path: Path
) -> None:
    ledger = local_ledger(small_ledger, tmp_path, "ratify")
    (tmp_path / "a.txt").write_text(TEXT + "edited", encoding="utf-8")
    first, second = verify(ledger, tmp_path).problems
    assert first.where == "$.sources[1].sha256"
    assert "the text has sha256" in first.message
    assert "quote not found" in second.message


def test_a_text_that_is_not_utf8_is_refused_not_decoded_with_replacements(
    small_ledger: Ledger, tmp_path: Path
) -> None:
    ledger = local_ledger(small_ledger, tmp_path, "bad \ufffd byte", text=b"bad \xff byte")
    (problem,) = verify(ledger, tmp_path).problems
    assert "not UTF-8 (byte 4)" in problem.message


@pytest.mark.parametrize("path", ["link.txt", "linked/a.txt"])
def test_no_link_is_followed(small_ledger: Ledger, tmp_path: Path, path: str) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    os.symlink(tmp_path / "a.txt", texts / "link.txt")
    os.symlink(tmp_path, texts / "linked")
    ledger = local_ledger(small_ledger, tmp_path, "We will sign it early.", path)
    (problem,) = verify(ledger, texts).problems
    assert "symbolic link (not followed)" in problem.message


def test_a_fifo_among_the_texts_does_not_hang(small_ledger: Ledger, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    os.mkfifo(texts / "a.txt")
    ledger = local_ledger(small_ledger, tmp_path, "x")
    found: list[Verification] = []
    worker = threading.Thread(target=lambda: found.append(verify(ledger, texts)), daemon=True)
    worker.start()
    worker.join(5)
    assert found, "verify hung on a FIFO"
    assert "is a FIFO, not a regular file" in found[0].problems[0].message


def test_a_swap_after_the_check_cannot_lead_outside(
    small_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text is opened once, beneath the folder; a link swapped in between the folders
    on the way and the file is refused, not followed (the race of the attack run)."""
    texts = tmp_path / "texts"
    (texts / "sub").mkdir(parents=True)
    (texts / "sub" / "a.txt").write_text(TEXT, encoding="utf-8")
    ledger = local_ledger(small_ledger, tmp_path, "We will sign it early.", "sub/a.txt")
    real_open = os.open

    def swapping_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if path == "a.txt":  # the folder is open; now swap the file for a link out
            os.remove(texts / "sub" / "a.txt")
            os.symlink(tmp_path / "a.txt", texts / "sub" / "a.txt")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("pledges.verify.os.open", swapping_open)
    (problem,) = verify(ledger, texts).problems
    assert "symbolic link" in problem.message


def test_a_missing_text_is_reported(small_ledger: Ledger, tmp_path: Path) -> None:
    ledger = local_ledger(small_ledger, tmp_path, "x", "missing.txt")
    (problem,) = verify(ledger, tmp_path).problems
    assert "cannot be read: No such file" in problem.message


def test_what_cannot_be_checked_is_counted(small_ledger: Ledger, tmp_path: Path) -> None:
    result = verify(local_ledger(small_ledger, tmp_path, "We will sign it early."), tmp_path)
    assert (result.summaries, result.unchecked_quotes) == (0, 4)  # the web page's quotes


def test_the_cli_lists_mismatches_and_says_what_it_did_not_check(
    small_ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pledges import save

    ledger = local_ledger(small_ledger, tmp_path, "ratify")
    save(ledger, tmp_path / "l.toml")
    assert main(["verify", str(tmp_path / "l.toml"), "--texts", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "'ratify'" in out
    words = " ".join(out.split())  # the summary lines are wrapped to the width
    problem = "1 problem: local texts matching their sha256: 1 of 1; quotes found verbatim: 0 of 1"
    assert problem in words
    assert "not checked: 0 summaries and 4 quotes of web pages" in words
    assert main(["verify", str(tmp_path / "l.toml"), "--texts", str(tmp_path / "no")]) == 2


@given(st.text())
def test_normalising_is_idempotent_and_keeps_letters(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert [c for c in once if c.isalnum()] == [c for c in text if c.isalnum()]
