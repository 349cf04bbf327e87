"""Check evidence against the texts it quotes.

For every source with a local ``path``, the text is opened once, beneath the texts directory
and without following links (each folder on the way and the file itself are opened relative
to the one before, refusing symbolic links), and only if it is a regular file; it must match
the ledger's sha256, and every quote citing it must appear in it verbatim. "Verbatim" allows
only white space and typographic quotes to differ (“ ” ‘ ’ and their kin count as " and ');
case and diacritics count. A text that is not UTF-8 is refused, never decoded with
replacement characters (which a quote could then match). A text whose sha256 differs is
still searched for its quotes, so both problems are reported.

Evidence that cites a web page (a summary, or a quote from a page we do not hold) cannot be
checked here: :class:`Verification` counts it, so a report says what was not checked.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
from pathlib import Path

import attrs

from pledges._files import FileError, read_fd
from pledges.errors import Problem, shown
from pledges.ledger import Ledger

__all__ = ["Verification", "normalise", "verify"]

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "″": '"',
    }
)
_SPACE = re.compile(r"\s+")
_LIMIT = 64 << 20  # a source text larger than 64 MiB is not a news report


def normalise(text: str) -> str:
    """Fold white space runs to one space and typographic quotes to plain ones."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


@attrs.frozen
class Verification:
    """What :func:`verify` found and how much it checked.

    ``texts`` local sources were read, ``pinned`` of them matching their sha256; ``quotes``
    quotes were searched in them and ``found`` were there. ``unchecked_quotes`` quote web
    pages and ``summaries`` summarise them: neither can be checked against a text.
    """

    problems: tuple[Problem, ...]
    texts: int
    pinned: int
    quotes: int
    found: int
    unchecked_quotes: int
    summaries: int

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def _open_beneath(root: int, relative: str) -> int:
    """A descriptor of ``relative`` under the folder open on ``root``, no link followed."""
    *folders, name = relative.replace("\\", "/").split("/")
    fd = os.dup(root)
    try:
        for part in folders:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        return os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)


def _read_text(root: int, relative: str, shown_path: str) -> bytes:
    try:
        fd = _open_beneath(root, relative)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):  # a link, or a file on the way
            raise FileError(
                shown_path, "is or passes through a symbolic link (not followed)"
            ) from None
        raise FileError(shown_path, f"cannot be read: {exc.strerror}") from None
    return read_fd(fd, shown_path, _LIMIT)


def _read_sources(
    ledger: Ledger, root: int, texts: str | os.PathLike[str], problems: list[Problem]
) -> tuple[dict[str, str], int]:
    """The normalised text of each local source that can be read as UTF-8, and how many
    match their pinned hash; a source that cannot be read, or does not match, is a problem."""
    contents: dict[str, str] = {}
    pinned = 0
    for i, source in enumerate(ledger.sources):
        if source.path is None:
            continue
        where = f"$.sources[{i}]"
        shown_path = str(Path(texts) / source.path)
        try:
            raw = _read_text(root, source.path, shown_path)
        except FileError as exc:
            problems.append(Problem(f"{where}.path", f"source {source.id!r}: {exc}"))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest == source.sha256:
            pinned += 1
        else:
            message = f"source {source.id!r}: the text has sha256 {digest}, not {source.sha256}"
            problems.append(Problem(f"{where}.sha256", message))
        try:
            contents[source.id] = normalise(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            message = (
                f"source {source.id!r}: the text is not UTF-8 (byte {exc.start}), "
                "so its quotes cannot be checked"
            )
            problems.append(Problem(f"{where}.path", message))
    return contents, pinned


def verify(ledger: Ledger, texts: str | os.PathLike[str]) -> Verification:
    """Check the ledger's local sources and quotes against the texts in the directory
    ``texts``; :class:`Verification` lists every problem and what was checked."""
    problems: list[Problem] = []
    try:
        root = os.open(texts, os.O_RDONLY | os.O_DIRECTORY)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "not a valid path"
        problem = Problem("", f"the texts directory {shown(str(texts))} cannot be opened: {reason}")
        return Verification((problem,), 0, 0, 0, 0, 0, 0)
    try:
        contents, pinned = _read_sources(ledger, root, texts, problems)
    finally:
        with contextlib.suppress(OSError):
            os.close(root)
    quotes = found = unchecked = summaries = 0
    local = {s.id for s in ledger.sources if s.path is not None}
    for cited in ledger.cited():
        evidence = cited.evidence
        if evidence.source not in local:
            unchecked += evidence.quote is not None
            summaries += evidence.quote is None
            continue
        text = contents.get(evidence.source)
        if evidence.quote is None or text is None:
            continue
        quotes += 1
        if normalise(evidence.quote) in text:
            found += 1
        else:
            problems.append(
                Problem(
                    f"{cited.where}.quote",
                    f"pledge {cited.pledge.id!r}: quote not found in {evidence.source!r}: "
                    f"{shown(evidence.quote)}",
                )
            )
    texts_read = sum(1 for s in ledger.sources if s.path is not None)
    return Verification(tuple(problems), texts_read, pinned, quotes, found, unchecked, summaries)
