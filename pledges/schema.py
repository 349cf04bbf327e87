"""A JSON Schema (draft 2020-12) of the ledger format, built from the records' own fields and
rules, so that it cannot drift from what the loader accepts (``pledges schema``).

The schema describes a ledger as JSON (``pledges export --format json``; a TOML ledger is the
same data, its dates written either way). Every ledger the library accepts validates; the
schema refuses what JSON Schema can say of one value: unknown and missing keys, types, ids,
dates as written, enum values, web addresses, relative paths, hashes, language tags, empty
lists of evidence. The library's other rules (:data:`NOT_EXPRESSED`) span several values or
several records, or need more than a pattern, and only the loader checks them.
"""

from __future__ import annotations

import copy
import functools
import types
import typing
from enum import Enum
from typing import Any

import attrs

from pledges import _fields as f
from pledges._structure import PAIRS, SCHEMA_VERSION
from pledges.dates import PartialDate, Window
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle, Status
from pledges.model import Evidence, Extra, Pledge, Update
from pledges.tables import PARTIAL_DATE

__all__ = ["DIALECT", "NOT_EXPRESSED", "SHIPPED", "ledger_schema", "schema_id"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect the schema is written in."""

NOT_EXPRESSED: tuple[str, ...] = (
    "ids are unique among their records, and every id a record names exists",
    "a pledge's history starts with its making, in date order, each move one its lifecycle allows",
    "links make no cycle; a pledge does not link to itself",
    "an occasion ends after it starts; a window's end is after its start",
    "a key is given once in an object (JSON parsers keep the last)",
    "text has a visible character: the schema's pattern counts format characters such as "
    "U+200B as visible, and cannot refuse lone surrogates",
    "a date exists in the calendar (2025-02-30 matches the pattern)",
)
"""The loader's rules that the schema does not express, in words."""

_PATTERNS: dict[Any, dict[str, Any]] = {
    f.is_id: {"pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]*$"},
    f.is_visible: {"pattern": "\\S"},
    f.is_trimmed_text: {"pattern": "^\\S(?:[\\s\\S]*\\S)?$"},
    f.is_web_address: {"format": "uri", "pattern": "^https?://[^\\s/?#]+[^\\s]*$"},
    f.is_relative_path: {
        "pattern": "^(?![A-Za-z]:)(?!(?:.*[/\\\\])?\\.{0,2}(?:[/\\\\]|$))"
        "[^\\x00-\\x1f\\x7f-\\x9f]+$"
    },
    f.is_sha256: {"pattern": "^[0-9a-f]{64}$"},
    f.is_language: {"pattern": "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"},
}
"""What each text rule of :mod:`pledges._fields` says as a JSON Schema keyword."""

_AT_LEAST_ONE = {(Update, "evidence"), (Pledge, "history"), (Lifecycle, "statuses")}
"""Lists that may not be empty."""

_SOME_OF = {Evidence: ("quote", "summary")}
"""Records that need at least one of these keys."""

_DATE = {"type": "string", "pattern": f"^{PARTIAL_DATE}$"}
_ID = {"type": "string", **_PATTERNS[f.is_id]}


def schema_id() -> str:
    """The schema's identifier: one per version of the format."""
    return f"https://pledges.dev/schema/ledger-{SCHEMA_VERSION}.json"


def _checks(validator: Any) -> list[Any]:
    """The rules among a field's validators (attrs joins a field's several validators in
    one that holds them as ``_validators``)."""
    if isinstance(validator, list | tuple):
        return [c for v in validator for c in _checks(v)]
    if hasattr(validator, "_validators"):
        return _checks(list(validator._validators))
    return [validator] if isinstance(validator, f.Check | f.Each) else []


def _text(checks: list[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for check in checks:
        if isinstance(check, f.Check):
            schema.update(_PATTERNS.get(check.predicate, {}))
    return schema


def _bare(tp: Any) -> Any:
    """The type without ``None`` (a missing key stands for nothing in files)."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def _value(tp: Any, checks: list[Any], defs: dict[str, Any]) -> dict[str, Any]:
    tp = _bare(tp)
    if tp is PAIRS:
        return {"type": "object", "propertyNames": _ID, "additionalProperties": _ID}
    if tp is str:
        return _text(checks)
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is PartialDate:
        return dict(_DATE)
    if tp is Extra:
        texts = {"type": "string", **_PATTERNS[f.is_visible]}
        return {
            "type": "object",
            "propertyNames": _PATTERNS[f.is_trimmed_text],
            "additionalProperties": {
                "anyOf": [texts, {"type": "array", "items": texts, "minItems": 1}]
            },
        }
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    if typing.get_origin(tp) is tuple:
        items = [c.item for c in checks if isinstance(c, f.Each)]
        return {"type": "array", "items": _value(typing.get_args(tp)[0], items, defs)}
    if attrs.has(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # a placeholder first: records may nest
            defs[tp.__name__] = _record(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new field type


def _record(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    """An attrs record as an object: its fields' values, those without default required,
    no other key."""
    properties: dict[str, Any] = {}
    required = []
    for field in attrs.fields(attrs.resolve_types(cls)):
        if not field.init:
            continue
        value = _value(field.type, _checks(field.validator), defs)
        if (cls, field.name) in _AT_LEAST_ONE:
            value["minItems"] = 1
        properties[field.name] = value
        if field.default is attrs.NOTHING:
            required.append(field.name)
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    record: dict[str, Any] = {
        "type": "object",
        "description": " ".join(doc.split()),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if cls in _SOME_OF:
        record["anyOf"] = [{"required": [key]} for key in _SOME_OF[cls]]
    return record


@functools.cache
def _built() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    top = _record(Ledger, defs)
    top["properties"] = {"schema_version": {"const": SCHEMA_VERSION}, **top["properties"]}
    top["required"] = ["schema_version", *top["required"]]
    for cls in (Window, Status):  # named for readers even where they are nested
        _value(cls, [], defs)
    return {
        "$schema": DIALECT,
        "$id": schema_id(),
        "title": f"A pledges ledger, format version {SCHEMA_VERSION}",
        "$comment": "Checked by the loader, not by this schema: " + "; ".join(NOT_EXPRESSED),
        **top,
        "$defs": dict(sorted(defs.items())),
    }


SHIPPED = f"schemas/ledger-{SCHEMA_VERSION}.schema.json"
"""Where the package holds the schema as a file, for tools outside Python (relative to
the package; a test keeps it equal to :func:`ledger_schema`)."""


def ledger_schema() -> dict[str, Any]:
    """The JSON Schema of a ledger of this release's format version (a fresh copy)."""
    return copy.deepcopy(_built())
