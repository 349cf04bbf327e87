"""The ``pledges`` command line: argument wiring only; the work is in the library.

Exit codes: 0 on success; 1 when the data is invalid or a check fails (every problem listed,
each with where it is); 2 on a usage error (a bad option, date or name, a name that matches
nothing). Everything written passes one cleaning step (:class:`~pledges.cli._common.Out`);
no input, however hostile, makes a command print a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO, cast

from pledges import escape
from pledges._version import __version__
from pledges.cli import _cache
from pledges.cli._common import FAILED, OK, USAGE, Command, Out, UsageError
from pledges.errors import InvalidDate, InvalidQuery, NotFound, PledgesError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse, with its messages (which echo what was typed) cleaned like all output."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            (file or sys.stderr).write(escape.terminal(message))


def _parser() -> argparse.ArgumentParser:
    from pledges.cli import curate, imports, read, site

    parser = _Parser(
        prog="pledges",
        description="Track the commitments governments make to each other. "
        "LEDGER defaults to the bundled Vietnam–Belarus dataset.",
    )
    parser.add_argument("--version", action="version", version=f"pledges {__version__}")
    commands = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", required=True, metavar="COMMAND"),
    )
    read.register(commands)
    site.register(commands)
    curate.register(commands)
    imports.register(commands)
    return parser


VALUE_OPTIONS = ("--status",)
"""Options whose values may start with ``-`` (``--status -1=non-compliance``)."""


class _Tee(io.StringIO):
    """A stream that writes to another and keeps a copy (a run's answer, to cache)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self.broken = False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding

    def isatty(self) -> bool:
        return self.stream.isatty()

    def write(self, text: str) -> int:
        try:
            self.stream.write(text)
        except BrokenPipeError:
            self.broken = True
            raise
        return super().write(text)


def _attached(argv: Sequence[str]) -> list[str]:
    """``--status -1=x`` as ``--status=-1=x``: argparse takes a value starting with ``-`` for
    an option, so values of the options that may start with one are attached to them."""
    joined: list[str] = []
    for arg in argv:
        if joined and joined[-1] in VALUE_OPTIONS and arg.startswith("-") and "=" in arg:
            joined[-1] = f"{joined[-1]}={arg}"
        else:
            joined.append(arg)
    return joined


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; return the exit code (0 ok, 1 invalid data, 2 usage error).

    Run as a program (no arguments given here), a reading command's answer is kept and
    given again while the files it reads are unchanged (see :mod:`pledges.cli._cache`)."""
    arguments = _attached(sys.argv[1:] if argv is None else argv)
    key = _cache.key_for_run(arguments) if argv is None and out is None and err is None else None
    if key is not None:
        kept = _cache.recall(key)
        if kept is not None:
            with contextlib.suppress(BrokenPipeError):
                Out(sys.stdout).write(kept)
            return OK
    tee = _Tee(sys.stdout) if key is not None else None
    stdout = Out(tee or (sys.stdout if out is None else out))
    stderr = Out(sys.stderr if err is None else err)
    code = _run(arguments, stdout, stderr)
    if tee is not None and code == OK and not tee.broken:
        _cache.remember(key, tee.getvalue())  # type: ignore[arg-type]
    return code


def _run(arguments: list[str], stdout: Out, stderr: Out) -> int:
    parser = _parser()
    try:  # argparse prints to sys.stdout and sys.stderr: to the streams given here
        with contextlib.redirect_stdout(stdout.stream), contextlib.redirect_stderr(stderr.stream):
            args = parser.parse_args(arguments)
    except SystemExit as exc:  # argparse has printed its message (or --help, --version)
        return int(exc.code) if isinstance(exc.code, int) else USAGE
    run: Command = args.run
    try:
        return run(args, stdout)
    except (NotFound, InvalidQuery, InvalidDate, UsageError) as exc:
        stderr.line(f"pledges: error: {exc}")
        return USAGE
    except PledgesError as exc:
        stderr.line(f"pledges: {exc}")
        return FAILED
    except BrokenPipeError:  # output piped into head, say
        return OK
