"""Errors raised by pledges.

Every error derives from :class:`PledgesError` and also from the builtin that fits it
(``ValueError`` for bad values, ``KeyError`` for look-ups), so callers may catch either.
Each carries its data as attributes and formats one message from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import attrs

__all__ = [
    "DefinitionError",
    "HistoryError",
    "InvalidDate",
    "LedgerInvalid",
    "LoadError",
    "NotFound",
    "PledgesError",
    "Problem",
    "Rule",
    "TransitionNotAllowed",
]


class PledgesError(Exception):
    """Base of every error that pledges raises on purpose."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        # KeyError would otherwise print the repr of its argument.
        return self.message


@attrs.frozen
class Problem:
    """One problem found in data: where it is (a path such as ``$.pledges[3].history[1]``)
    and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} @ {self.where}" if self.where else self.message


class Rule(StrEnum):
    """The rules a pledge's history must keep; each :class:`HistoryError` names one."""

    UNKNOWN_STATUS = "unknown-status"
    INITIAL = "initial"
    MADE_ONCE = "made-once"
    MOVE = "move"
    REOPEN = "reopen"
    DATE_ORDER = "date-order"
    EVIDENCE = "evidence"


class InvalidDate(PledgesError, ValueError):
    """A date or window that cannot be parsed or does not exist."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"invalid date {text!r}: {reason}")


class DefinitionError(PledgesError, ValueError):
    """A lifecycle (or other definition) that breaks its own rules; lists every problem."""

    def __init__(self, name: str, problems: Iterable[str]) -> None:
        self.name = name
        self.problems = tuple(problems)
        listed = "; ".join(self.problems)
        super().__init__(f"lifecycle {name!r} is not valid: {listed}")


class HistoryError(PledgesError, ValueError):
    """An update that breaks a lifecycle rule.

    ``rule`` names the rule (a :class:`Rule`); ``index`` is the update's position in the
    history (``None`` when the update is not in a history yet); ``pledge_id`` is set when the
    history belongs to a known pledge.
    """

    def __init__(
        self,
        rule: Rule,
        index: int | None,
        detail: str,
        *,
        pledge_id: str | None = None,
        from_status: str | None = None,
        to_status: str | None = None,
    ) -> None:
        self.rule = rule
        self.index = index
        self.detail = detail
        self.pledge_id = pledge_id
        self.from_status = from_status
        self.to_status = to_status
        where = [f"pledge {pledge_id!r}"] if pledge_id is not None else []
        if index is not None:
            where.append(f"update {index}")
        prefix = ", ".join(where) + ": " if where else ""
        super().__init__(f"{prefix}{detail} [{rule}]")


class TransitionNotAllowed(HistoryError):
    """A move between two statuses that the lifecycle does not allow."""


class NotFound(PledgesError, KeyError):
    """A look-up (pledge, actor, occasion, source, lifecycle) that matched nothing."""

    def __init__(self, kind: str, key: str, known: Iterable[str] = (), advice: str = "") -> None:
        self.kind = kind
        self.key = key
        self.known = tuple(known)
        hint = f"; {advice}" if advice else ""
        if self.known:
            shown = ", ".join(repr(k) for k in self.known[:12])
            more = ", ..." if len(self.known) > 12 else ""
            hint += f" (known: {shown}{more})"
        super().__init__(f"no {kind} {key!r}{hint}")


class LedgerInvalid(PledgesError, ValueError):
    """A ledger that breaks its invariants; ``problems`` lists every one, not the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"ledger is not valid ({count} problem{'s' * (count != 1)}):\n{lines}")


class LoadError(PledgesError, ValueError):
    """A file that could not be read as a ledger; ``problems`` lists every one found."""

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"{source}: {count} problem{'s' * (count != 1)}:\n{lines}")
