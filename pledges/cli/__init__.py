"""The ``pledges`` command line: argument wiring only; the work is in the library.

Exit codes: 0 on success; 1 when the data is invalid or a check fails (every problem listed,
each with where it is); 2 on a usage error (a bad option, date or name, a name that matches
nothing). Everything written passes one cleaning step (:class:`~pledges.cli._common.Out`);
no input, however hostile, makes a command print a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO, cast

import pledges
from pledges import escape
from pledges.cli import curate, imports, publish, read
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
    parser = _Parser(
        prog="pledges",
        description="Track the commitments governments make to each other. "
        "LEDGER defaults to the bundled Vietnam–Belarus dataset.",
    )
    parser.add_argument("--version", action="version", version=f"pledges {pledges.__version__}")
    commands = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", required=True, metavar="COMMAND"),
    )
    read.register(commands)
    publish.register(commands)
    curate.register(commands)
    imports.register(commands)
    return parser


def _attached(argv: Sequence[str]) -> list[str]:
    """``--status -1=x`` as ``--status=-1=x``: argparse takes a value starting with ``-`` for
    an option, so values of the options that may start with one are attached to them."""
    joined: list[str] = []
    for arg in argv:
        if joined and joined[-1] in imports.VALUE_OPTIONS and arg.startswith("-") and "=" in arg:
            joined[-1] = f"{joined[-1]}={arg}"
        else:
            joined.append(arg)
    return joined


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; return the exit code (0 ok, 1 invalid data, 2 usage error)."""
    stdout = Out(sys.stdout if out is None else out)
    stderr = Out(sys.stderr if err is None else err)
    parser = _parser()
    try:  # argparse prints to sys.stdout and sys.stderr: to the streams given here
        with contextlib.redirect_stdout(stdout.stream), contextlib.redirect_stderr(stderr.stream):
            args = parser.parse_args(_attached(sys.argv[1:] if argv is None else argv))
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
