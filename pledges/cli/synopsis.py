"""The synopsis of every command, from the parsers themselves (docs/cli.md shows it, and a
test keeps the two equal): what ``pledges COMMAND --help`` opens with, one block."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator

from pledges.cli import COMMANDS, parser

__all__ = ["synopsis"]


def _subparsers(node: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for action in node._actions:  # argparse keeps its subcommands only here
        if isinstance(action, argparse._SubParsersAction):
            yield from dict.fromkeys(action.choices.values())


def _usages(node: argparse.ArgumentParser, width: int) -> Iterator[str]:
    children = list(_subparsers(node))
    if not children:
        formatter = argparse.HelpFormatter(node.prog, width=width, max_help_position=40)
        formatter.add_usage(node.usage, node._actions, node._mutually_exclusive_groups, "")
        yield formatter.format_help().strip().replace(" [-h]", "", 1)
        return
    for child in children:
        yield from _usages(child, width)


def synopsis(width: int = 100) -> str:
    """Every command's usage line (wrapped to ``width``), in the order of
    :data:`~pledges.cli.COMMANDS`, and ``pledges --version``."""
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)  # argparse reads the width from here
    try:
        full = parser(every=True)
        lines: list[str] = []
        for action in full._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name in COMMANDS:
                    lines += _usages(action.choices[name], width)
        lines.append("pledges --version")
        return "\n".join(lines) + "\n"
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
