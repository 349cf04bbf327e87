"""Errors raised by pledges.

Every error derives from :class:`PledgesError` and also from the builtin that fits it
(``ValueError`` for bad values, ``TypeError`` for values of the wrong type, ``KeyError`` for
look-ups), so callers may catch either. Each carries its data as attributes and formats one
message from them; a message quotes data through :func:`shown`, so that no value, however
long, deep or hostile, can break or swamp it (control characters come out escaped).
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "DefinitionError",
    "FieldTypeError",
    "HistoryError",
    "InvalidDate",
    "InvalidField",
    "InvalidQuery",
    "LedgerInvalid",
    "LoadError",
    "NotFound",
    "PledgesError",
    "Problem",
    "Rule",
    "TransitionNotAllowed",
    "UsageError",
    "shown",
]

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 60, 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4
_NAME = reprlib.Repr()
_NAME.maxstring = 160


def shown(value: object) -> str:
    """A value quoted for a message: its repr, bounded in depth and length (see
    :func:`shown_name` for the names a message lists).

    >>> shown("a\\x1b[31m" + "x" * 100)
    "'a\\\\x1b[31mxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
    """
    return _REPR.repr(value)


def shown_name(name: str) -> str:
    """A known name listed in a message (an id, an occasion with its dates): quoted, and cut
    only past 160 characters."""
    return _NAME.repr(name)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


class PledgesError(Exception):
    """Base of every error that pledges raises on purpose."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        # KeyError would otherwise print the repr of its argument.
        return self.message


class Problem(NamedTuple):
    """One problem found in data: where it is (a path such as ``$.pledges[3].history[1]``,
    or ``row 7`` of a spreadsheet) and what is wrong. (A named tuple rather than an attrs
    class, so that the command line's quickest paths need not import attrs.)"""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} @ {self.where}" if self.where else self.message

    def within(self, prefix: str) -> Problem:
        """The same problem located under ``prefix`` (``$`` is replaced by it)."""
        where = prefix + self.where[1:] if self.where.startswith("$") else prefix
        return Problem(where, self.message)


class Rule(StrEnum):
    """The rules a pledge's history must keep; each :class:`HistoryError` names one."""

    UNKNOWN_STATUS = "unknown-status"
    INITIAL = "initial"
    MADE_ONCE = "made-once"
    MOVE = "move"
    REOPEN = "reopen"
    DATE_ORDER = "date-order"
    EVIDENCE = "evidence"


class InvalidField(PledgesError, ValueError):
    """A record given a value its field cannot hold.

    ``record`` is the class's name, ``field`` the field's, ``value`` what was given and
    ``expected`` what the field takes, as attrs' validators report them.
    """

    def __init__(self, record: str, field: str, value: object, expected: str) -> None:
        self.record = record
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{record}.{field} must be {expected} (got {shown(value)})")


class FieldTypeError(InvalidField, TypeError):
    """A record given a value of the wrong type for a field."""

    def __init__(self, record: str, field: str, value: object, expected: str) -> None:
        super().__init__(record, field, value, expected)
        self.message = (
            f"{record}.{field} must be {expected} (got {shown(value)}, a {type(value).__name__})"
        )
        self.args = (self.message,)


class InvalidDate(PledgesError, ValueError):
    """A date or window that cannot be parsed or does not exist."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"invalid date {shown(text)}: {reason}")


class DefinitionError(PledgesError, ValueError):
    """A definition (a lifecycle, a scale mapping) that breaks its own rules.

    ``kind`` says what was defined, ``name`` its id, ``problems`` every problem found, each
    located inside the definition (``$.statuses[2].to[0]``).
    """

    def __init__(self, kind: str, name: str, problems: Iterable[Problem]) -> None:
        self.kind = kind
        self.name = name
        self.problems = tuple(problems)
        listed = "; ".join(str(p) for p in self.problems)
        super().__init__(f"{kind} {shown(name)} is not valid: {listed}")


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
    """A look-up (pledge, actor, occasion, source, lifecycle, ...) that matched nothing;
    ``known`` lists what there is."""

    def __init__(self, kind: str, key: str, known: Iterable[str] = (), advice: str = "") -> None:
        self.kind = kind
        self.key = key
        self.known = tuple(known)
        hint = f"; {advice}" if advice else ""
        if self.known:
            listed = ", ".join(shown_name(k) for k in self.known[:12])
            more = f", ... ({len(self.known)} in all)" if len(self.known) > 12 else ""
            hint += f" (known: {listed}{more})"
        super().__init__(f"no {kind} {shown(key)}{hint}")


class UsageError(PledgesError):
    """A command line argument that cannot be taken as given (the command line exits 2)."""


class InvalidQuery(PledgesError, ValueError):
    """A question that cannot be answered as asked: an outcome before its baseline, a
    comparison of a ledger that has no rounds, a filter that contradicts itself."""


class LedgerInvalid(PledgesError, ValueError):
    """A ledger that breaks its invariants; ``problems`` lists every one, not the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"ledger is not valid ({_plural(len(self.problems), 'problem')}):\n{lines}"
        )


class LoadError(PledgesError, ValueError):
    """A file that could not be read as a ledger; ``problems`` lists every one found."""

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{source}: {_plural(len(self.problems), 'problem')}:\n{lines}")
