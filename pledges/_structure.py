"""The one cattrs converter pledges uses for files, and located problems (private).

Unknown keys are refused, text and numbers are not coerced (``1`` is not ``"1"``), dates and
tables of pairs go through explicit hooks, a lone string is refused where a list belongs.
When structuring fails, :func:`locate` walks cattrs' exception groups into problems with
paths (``unknown key 'staus' @ $.pledges[3].history[1]``); an error raised by a record's own
validator names its field, which the path then ends in.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from enum import Enum
from typing import Any, get_args, get_origin

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.v import format_exception

from pledges.dates import PartialDate
from pledges.errors import (
    DefinitionError,
    InvalidField,
    LedgerInvalid,
    PledgesError,
    Problem,
    shown,
)
from pledges.lifecycle import Lifecycle, StatusKind
from pledges.model import ActorKind, Confidence, Extra, LinkKind, PledgeKind, UpdateKind

__all__ = [
    "CONVERTER",
    "MIGRATIONS",
    "PAIRS",
    "SCHEMA_VERSION",
    "Refused",
    "describe_type",
    "json_object",
    "locate",
    "make_converter",
    "no_constant",
]

SCHEMA_VERSION = 2
"""The version of the file format this release writes."""


def _to_version_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added corrections, a call's confidence and alternative, a status's
    description, and the ledger's publication day, licence, version and method, all
    optional: a version 1 document is a version 2 document as it is."""
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _to_version_2}
"""Dict-to-dict upgrades: ``MIGRATIONS[n]`` turns a version ``n`` document into version
``n + 1``."""

PAIRS: Any = tuple[tuple[str, str], ...]
"""The type of fields that files show as a table of names and texts (a status's ``onto``)."""

_ENUMS = (ActorKind, LinkKind, PledgeKind, UpdateKind, StatusKind, Confidence)


class Refused(TypeError):
    """A value of the wrong type, with a message made for people."""


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The ``object_pairs_hook`` of every JSON reading: a table, refusing a key given twice
    (``ValueError``, as the other refusals of the JSON parser)."""
    table = dict(pairs)
    if len(table) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {shown(key)} appears twice in one object")
            seen.add(key)
    return table


def no_constant(name: str) -> Any:
    """The ``parse_constant`` of every JSON reading: ``NaN`` and ``Infinity`` are refused."""
    raise ValueError(f"{name} is not a JSON number")


def describe_type(value: object) -> str:
    """What sort of value this is, in a file's terms."""
    names = {
        str: "text",
        int: "an integer",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


def _structure_str(value: Any, _: type) -> str:
    if value.__class__ is not str:
        raise Refused(f"expected text, got {describe_type(value)} ({shown(value)})")
    return value


def _structure_int(value: Any, _: type) -> int:
    if value.__class__ is not int:
        raise Refused(f"expected an integer, got {describe_type(value)} ({shown(value)})")
    return value


def _structure_bool(value: Any, _: type) -> bool:
    if value.__class__ is not bool:
        raise Refused(f"expected true or false, got {describe_type(value)} ({shown(value)})")
    return value


def _structure_enum(value: Any, type_: type[Enum]) -> Enum:
    try:
        return type_(value)
    except (ValueError, TypeError):
        allowed = ", ".join(repr(m.value) for m in type_)
        raise Refused(f"{shown(value)} is not one of {allowed}") from None


def _structure_date(value: Any, _: type) -> PartialDate:
    if isinstance(value, _dt.datetime | _dt.time):
        raise Refused(f"expected a date such as '2025-05-12', got a time ({value})")
    if isinstance(value, _dt.date):  # a TOML date written without quotes
        return PartialDate.of(value)
    if value.__class__ is not str:
        raise Refused(
            f"expected a date such as '2025', '2025-05' or '2025-05-12', got {describe_type(value)}"
        )
    return PartialDate.parse(value)


def _structure_pairs(value: Any, _: type) -> tuple[tuple[str, str], ...]:
    if value.__class__ is not dict:
        raise Refused(f"expected a table of names and texts, got {describe_type(value)}")
    for name, text in value.items():
        if text.__class__ is not str:
            raise Refused(f"expected text for {shown(name)}, got {describe_type(text)}")
    return tuple(value.items())


def _structure_extra(value: Any, _: type) -> Extra:
    if value.__class__ is not dict:
        raise Refused(f"expected a table of names and texts, got {describe_type(value)}")
    for name, text in value.items():
        texts = text if text.__class__ is list else [text]
        if not all(t.__class__ is str for t in texts):
            raise Refused(
                f"expected a text or a list of texts for {shown(name)}, got {describe_type(text)}"
            )
    return Extra(value)


def make_converter(*, detailed_validation: bool = True) -> cattrs.Converter:
    """A converter for pledges' records: strict, with dates as ISO text and tables of pairs.
    Without ``detailed_validation`` it is faster but cannot say where a problem is."""
    converter = cattrs.Converter(
        forbid_extra_keys=True, omit_if_default=True, detailed_validation=detailed_validation
    )
    # Registered by class, as cattrs' own scalar hooks are (they outrank predicate hooks).
    # Each enum class is named too: the hook for str would otherwise catch StrEnum classes.
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    for enum in (Enum, *_ENUMS):
        converter.register_structure_hook(enum, _structure_enum)
    converter.register_structure_hook(PartialDate, _structure_date)
    converter.register_unstructure_hook(PartialDate, str)

    def tuple_hook(type_: Any) -> Callable[[Any, type], tuple[Any, ...]]:
        as_list: Any = list[get_args(type_)[0]]  # type: ignore[misc]
        items = converter.get_structure_hook(as_list)

        def structure(value: Any, _: type) -> tuple[Any, ...]:
            if value.__class__ is not list:
                raise Refused(f"expected a list, got {describe_type(value)} ({shown(value)})")
            return tuple(items(value, as_list))

        return structure

    def is_homogeneous_tuple(type_: Any) -> bool:
        args = get_args(type_)
        return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis

    converter.register_structure_hook_factory(is_homogeneous_tuple, tuple_hook)
    # Registered last, so it outranks the tuple factory for this one type.
    converter.register_structure_hook_func(lambda t: t == PAIRS, _structure_pairs)
    converter.register_unstructure_hook_func(lambda t: t == PAIRS, dict)
    converter.register_structure_hook(Extra, _structure_extra)
    converter.register_structure_hook(Lifecycle, lambda value, _: Lifecycle.from_data(value))
    converter.register_unstructure_hook(Extra, Extra.as_dict)
    return converter


def _unknown(exc: ForbiddenExtraKeysError) -> str:
    keys = sorted(exc.extra_fields)
    return f"unknown key{'s' * (len(keys) != 1)} {', '.join(shown(k) for k in keys)}"


def locate(exc: BaseException, path: str) -> list[Problem]:
    """Every problem inside a failed structuring, each with its path below ``path``."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        problems: list[Problem] = []
        noted, others = exc.group_exceptions()
        for inner, note in noted:
            name = getattr(note, "name", None)
            index = getattr(note, "index", None)
            where = f"{path}.{name}" if name is not None else f"{path}[{index!r}]"
            problems += locate(inner, where)
        for inner in others:
            problems += locate(inner, path)
        return problems
    if isinstance(exc, ForbiddenExtraKeysError):
        return [Problem(path, _unknown(exc))]
    if isinstance(exc, InvalidField):
        return [Problem(f"{path}.{exc.field}", exc.message)]
    if isinstance(exc, DefinitionError):
        return [p.within(path) for p in exc.problems]
    if isinstance(exc, LedgerInvalid):
        return list(exc.problems)
    if isinstance(exc, PledgesError):
        return [Problem(path, exc.message)]
    if isinstance(exc, KeyError):
        return [Problem(path, "missing required key")]
    if isinstance(exc, Refused | ValueError | TypeError) and str(exc):
        return [Problem(path, str(exc))]
    return [Problem(path, format_exception(exc, None))]


CONVERTER = make_converter()
"""The converter for files (detailed validation: every problem located)."""
