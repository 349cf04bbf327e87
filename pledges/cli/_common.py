"""What every command shares: the output stream, the ledger argument, dates, formats."""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import shutil
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from pledges import escape

if TYPE_CHECKING:
    from pledges.dates import PartialDate
    from pledges.ledger import Ledger

# This module is imported by every run of the command line, a cached one too: what it needs
# of the library it imports when it is used.

__all__ = ["FAILED", "OK", "USAGE", "Out", "add_format", "add_ledger", "ledger_of"]

OK, FAILED, USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace, "Out"], int]

_FALLBACK = str.maketrans(
    {"→": "->", "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."}
)


class Out:
    """The one way the CLI writes: every text passes :func:`pledges.escape.terminal` (no
    escape sequence, control character or bidirectional override reaches the screen), and a
    stream that cannot encode a character gets a plain fallback (``→`` becomes ``->``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        encoding = getattr(stream, "encoding", None) or "utf-8"
        self.encoding = encoding
        self.is_terminal = stream.isatty() if hasattr(stream, "isatty") else False

    @property
    def width(self) -> int:
        """The width to fit: ``$COLUMNS`` when set, else the terminal's width, else 80."""
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) >= 20:
            return int(columns)
        return shutil.get_terminal_size((80, 24)).columns if self.is_terminal else 80

    def write(self, text: str) -> None:
        """Write ``text``, cleaned."""
        if not text:
            return
        clean = escape.terminal(text)
        try:
            clean.encode(self.encoding)
        except UnicodeEncodeError:
            clean = clean.translate(_FALLBACK)
            clean = clean.encode(self.encoding, "backslashreplace").decode(self.encoding)
        except LookupError:
            pass
        self.stream.write(clean)

    def line(self, text: str = "") -> None:
        """Write ``text`` and a line break."""
        self.write(text + "\n")

    def wrapped(self, text: str) -> None:
        """Write ``text`` a line at a time, each wrapped to :attr:`width` between words
        (a word, an id or an address, is never broken), under a hanging indent."""
        for line in text.split("\n"):
            indent = " " * (len(line) - len(line.lstrip(" ")))
            parts = textwrap.wrap(
                line,
                self.width,
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            self.line("\n".join(parts) if parts else line)


def date_argument(text: str) -> PartialDate:
    """An argparse type: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    from pledges.dates import PartialDate
    from pledges.errors import InvalidDate

    try:
        return PartialDate.parse(text)
    except InvalidDate as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def today() -> PartialDate:
    """Today, as an exact day."""
    from pledges.dates import PartialDate

    return PartialDate.of(_dt.date.today())


def add_ledger(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    """The LEDGER argument: a file, or (when optional) the bundled ledger."""
    if required:
        parser.add_argument("ledger", metavar="LEDGER", help="a .toml or .json ledger file")
    else:
        parser.add_argument(
            "ledger",
            nargs="?",
            metavar="LEDGER",
            help="a .toml or .json ledger file (default: the bundled Vietnam–Belarus ledger)",
        )


def ledger_file(args: argparse.Namespace) -> tuple[str, str | None]:
    """The path of the ledger the command names (the bundled one when it names none), and
    how messages should name it."""
    from pledges.bundled import BUNDLED_SOURCE, bundled_path

    path = getattr(args, "ledger", None)
    return (str(bundled_path()), BUNDLED_SOURCE) if path is None else (path, None)


def ledger_of(args: argparse.Namespace) -> Ledger:
    """The ledger the command names, read once (see :class:`~pledges.cli._cache.Inputs`)
    and checked."""
    ledger: Ledger = args.inputs.ledger(*ledger_file(args))
    return ledger


def warn_ranks(args: argparse.Namespace, ledger: Ledger) -> None:
    """Warn (on standard error) of each lifecycle the ledger's pledges follow whose ranks
    cannot tell a move forward from a move back, saying what to add."""
    used = {p.lifecycle for p in ledger.pledges}
    for lifecycle in ledger.known_lifecycles:
        if lifecycle.id in used and lifecycle.rank_advice:
            args.stderr.line(f"pledges: warning: {lifecycle.rank_advice}")


def add_format(
    parser: argparse.ArgumentParser, choices: Sequence[str], default: str = "simple"
) -> None:
    """The --format option."""
    parser.add_argument(
        "--format",
        "-f",
        default=default,
        choices=choices,
        metavar="F",
        help=f"output format: {', '.join(choices)} (default: {default})",
    )


def add_dates(parser: argparse.ArgumentParser, *, as_of: bool = True) -> None:
    """--as-of and --known-at."""
    if as_of:
        parser.add_argument(
            "--as-of",
            type=date_argument,
            metavar="DATE",
            help="YYYY, YYYY-MM or YYYY-MM-DD; a partial date means its last day (default: today)",
        )
    parser.add_argument(
        "--known-at",
        type=date_argument,
        metavar="DATE",
        help="count only the updates whose news had been published by this date",
    )
