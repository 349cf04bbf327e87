"""The ``pledges`` command line: argument wiring only; the work is in the library.

Exit codes: 0 on success; 1 when the data is invalid or a check fails (every problem listed,
each with where it is); 2 on a usage error (a bad option, date or name, a name that matches
nothing). Everything written passes one cleaning step (:class:`~pledges.cli._common.Out`);
no input, however hostile, makes a command print a traceback.

Only the parser of the command given is built (its module imported), so that ``--version``,
``--help`` and a kept answer start quickly; :data:`COMMANDS` names every command once.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO, cast

from pledges import escape
from pledges._version import __version__
from pledges.cli._common import FAILED, OK, USAGE, Command, Out

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["COMMANDS", "main", "parser"]

COMMANDS: dict[str, tuple[str, str]] = {
    "report": ("read", "the main job: one round's pledges against a later round or date"),
    "status": ("read", "every pledge's status at a date"),
    "summary": ("read", "counts by status, compliance score, kept share, overdue; by group"),
    "show": ("read", "one pledge: its text, history and evidence"),
    "validate": ("read", "check a ledger file; list every problem"),
    "verify": ("read", "check every quote against its local source text, and the texts' sha256"),
    "export": ("read", "the whole ledger as json, toml, csv, sqlite or a data package"),
    "lifecycle": ("read", "show a shipped lifecycle, check one in a file, or derive one"),
    "schema": ("read", "the JSON Schema of the ledger format (draft 2020-12)"),
    "site": ("site", "the tracker as a static site: a page per pledge, occasion and actor"),
    "init": ("curate", "start a ledger file with nothing in it but its title"),
    "add": ("curate", "add a pledge, with the evidence of its making"),
    "update": ("curate", "add a step to a pledge's history"),
    "link": ("curate", "link a pledge to an earlier one"),
    "source": ("curate", "add a source"),
    "actor": ("curate", "add an actor"),
    "occasion": ("curate", "add an occasion"),
    "correct": ("curate", "record a correction of a published call (and make it)"),
    "changes": ("curate", "what changed between two versions of a ledger (files or git revisions)"),
    "import": ("imports", "bring a spreadsheet, a scorecard or TrumpTracker in as a ledger"),
    "extract": ("workbench", "candidate commitments from a text, each a verbatim quote"),
    "agreement": ("workbench", "two codings of one round compared: kappa, alpha, disagreements"),
}
"""Every command: the module of :mod:`pledges.cli` that builds its parser (its
``add_<command>`` function) and its help."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its messages (which echo what was typed) cleaned like all output."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            (file or sys.stderr).write(escape.terminal(message))


def parser(command: str | None = None, *, every: bool = False) -> argparse.ArgumentParser:
    """The parser, with the full options of ``command`` (of every command with ``every``:
    for the documentation); the others are listed by name and help only."""
    top = _Parser(
        prog="pledges",
        description="Track the commitments governments make to each other. "
        "LEDGER defaults to the bundled Vietnam–Belarus dataset.",
    )
    top.add_argument("--version", action="version", version=f"pledges {__version__}")
    commands = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        top.add_subparsers(dest="command", required=True, metavar="COMMAND"),
    )
    for name, (module, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if every or name == command:
            build = getattr(importlib.import_module(f"pledges.cli.{module}"), f"add_{name}")
            build(sub)
    return top


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


def _command_of(arguments: Sequence[str]) -> str | None:
    """The command named (the first argument that is no option), if it is one."""
    first = next((a for a in arguments if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; return the exit code (0 ok, 1 invalid data, 2 usage error).

    Run as a program (no arguments given here), a reading command's answer is kept and
    given again while the files it reads, and the code, are unchanged (see
    :mod:`pledges.cli._cache`)."""
    arguments = _attached(sys.argv[1:] if argv is None else argv)
    as_program = argv is None and out is None and err is None
    stdout = Out(sys.stdout if out is None else out)
    stderr = Out(sys.stderr if err is None else err)
    try:
        return _run(arguments, stdout, stderr, as_program)
    except BrokenPipeError:  # output piped into head, say
        return OK


def _run(arguments: list[str], stdout: Out, stderr: Out, as_program: bool) -> int:
    try:  # argparse prints to sys.stdout and sys.stderr: to the streams given here
        with contextlib.redirect_stdout(stdout.stream), contextlib.redirect_stderr(stderr.stream):
            args = parser(_command_of(arguments)).parse_args(arguments)
    except SystemExit as exc:  # argparse has printed its message (or --help, --version)
        return int(exc.code) if isinstance(exc.code, int) else USAGE
    from pledges.cli._cache import CACHED_COMMANDS, Inputs, recall, remember
    from pledges.errors import InvalidDate, InvalidQuery, NotFound, PledgesError, UsageError

    args.inputs = Inputs()
    args.argv = arguments
    args.stderr = stderr
    run: Command = args.run
    keep = as_program and args.command in CACHED_COMMANDS
    try:
        if keep:
            from pledges.cli._common import ledger_file

            args.inputs.bytes_of(ledger_file(args)[0])  # what the command reads, read once
            key = args.inputs.key(arguments, stdout.width, stdout.encoding)
            kept = recall(key)
            if kept is not None:
                stdout.write(kept)
                return OK
        tee = _Tee(stdout.stream) if keep else None
        code = run(args, Out(tee) if tee is not None else stdout)
        if tee is not None and code == OK and not tee.broken:
            remember(key, tee.getvalue())
        return code
    except (NotFound, InvalidQuery, InvalidDate, UsageError) as exc:
        stderr.wrapped(f"pledges: error: {exc}")
        return USAGE
    except PledgesError as exc:  # a problem a line, whole, so that grep finds each
        stderr.line(f"pledges: {exc}")
        return FAILED
    except BrokenPipeError:
        return OK
    except OSError as exc:  # a path the system refuses: too long, not allowed, ...
        where = f"{exc.filename}: " if exc.filename is not None else ""
        stderr.line(f"pledges: {where}{exc.strerror or exc}")
        return FAILED
