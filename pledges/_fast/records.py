"""Tricks 3 and 4: builders and writers generated per record type, dates parsed once,
ids interned."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from types import UnionType
from typing import Any, Union, get_args, get_origin

import attrs

from pledges.dates import PartialDate, Window
from pledges.model import Actor, Evidence, Link, Occasion, Pledge, Search, Source, Update

__all__ = ["RECORD_OF", "Fallback", "builder", "json_texts", "plain_records"]


class Fallback(Exception):
    """The fast path cannot take this text as it is; the full path will, or will say why."""


RECORD_OF = {"actors": Actor, "sources": Source, "occasions": Occasion, "pledges": Pledge}
"""The record type of each top-level array of a ledger file."""

_date = functools.lru_cache(maxsize=1 << 16)(PartialDate.parse)
_intern = sys.intern
_RECORDS = (Evidence, Update, Link, Search, Window, Pledge, Actor, Source, Occasion)
_builders: dict[type, Callable[[Any], Any]] = {}


def _validators(attribute: attrs.Attribute[Any]) -> list[Any]:
    validator = attribute.validator
    if validator is None:
        return []
    return list(getattr(validator, "_validators", (validator,)))


def _conversion(kind: Any, target: str, names: dict[str, Any], field: str) -> list[str]:
    """Lines that turn the raw ``v`` into the field's value (or raise :class:`Fallback`)."""
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"no fast conversion for {kind}")
        lines = _conversion(inner[0], target, names, field)
        return ["if v is not None:", *(f"    {line}" for line in lines)]
    if kind is str:
        intern = field in ("id", "source", "status", "pledge", "occasion", "lifecycle")
        return ["if v.__class__ is not str: raise Fallback", *(["v = _intern(v)"] * intern)]
    if kind is int:
        return ["if v.__class__ is not int: raise Fallback"]
    if kind is PartialDate:
        return ["if v.__class__ is not str: raise Fallback", "v = _date(v)"]
    if isinstance(kind, type) and issubclass(kind, Enum):
        names[f"members_{target}"] = {m.value: m for m in kind}
        return [f"v = members_{target}[v]"]
    if kind in _RECORDS:
        names[f"build_{target}"] = builder(kind)
        return [f"v = build_{target}(v)"]
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if item is str:
            return [
                "if not isinstance(v, list): raise Fallback",
                "for x in v:",
                "    if x.__class__ is not str: raise Fallback",
                "v = tuple(v)",
            ]
        if item in _RECORDS:
            names[f"build_{target}"] = builder(item)
            return [
                "if not isinstance(v, list): raise Fallback",
                f"v = tuple(map(build_{target}, v))",
            ]
        if get_origin(item) is tuple:  # name and text pairs, written as a table
            return [
                "if not isinstance(v, dict): raise Fallback",
                "v = tuple(v.items())",
                "for x, y in v:",
                "    if x.__class__ is not str or y.__class__ is not str: raise Fallback",
            ]
    raise TypeError(f"no fast conversion for {kind}")


def _implied(implied_by: Any, kind: Any) -> bool:
    """True when every value the conversion of a field of type ``kind`` makes is of the
    type ``implied_by`` (a validator's check the builder need not repeat)."""
    if implied_by is None:
        return False
    if get_origin(kind) in (Union, UnionType):
        inner = [a for a in get_args(kind) if a is not type(None)]
        kind = inner[0] if len(inner) == 1 else None
    return bool(kind == implied_by and (kind in (PartialDate, Window) or _built(kind)))


def _built(kind: Any) -> bool:
    """Types the builders make themselves: enums, records and tuples of records."""
    if isinstance(kind, type) and issubclass(kind, Enum):
        return True
    args = get_args(kind)
    return kind in _RECORDS or (get_origin(kind) is tuple and bool(args) and args[0] in _RECORDS)


def builder(cls: type) -> Callable[[Any], Any]:
    """The builder of ``cls`` from plain data, generated once."""
    if cls in _builders:
        return _builders[cls]
    fields = [a for a in attrs.fields(attrs.resolve_types(cls)) if a.init]
    names: dict[str, Any] = {
        "Fallback": Fallback,
        "_intern": _intern,
        "_date": _date,
        "new": object.__new__,
        "cls": cls,
        "keys": frozenset(a.name for a in fields),
    }
    body = [
        "def build(d):",
        "    if not isinstance(d, dict) or not keys.issuperset(d): raise Fallback",
        "    o = new(cls)",
    ]
    later: list[str] = []
    for i, field in enumerate(fields):
        target = f"f{i}"
        names[f"a_{target}"] = field
        slot: Any = cls.__dict__[field.name]  # attrs' classes have slots: set them directly
        names[f"set_{target}"] = slot.__set__
        if field.default is attrs.NOTHING:
            body.append(f"    v = d[{field.name!r}]")
            indent = "    "
        else:
            names[f"default_{target}"] = field.default
            body.append(f"    if {field.name!r} in d:")
            body.append(f"        v = d[{field.name!r}]")
            indent = "        "
        body += [indent + line for line in _conversion(field.type, target, names, field.name)]
        for j, validator in enumerate(_validators(field)):
            if _implied(getattr(validator, "implied_by", None), field.type):
                continue  # the conversion above has made sure of it
            predicate = getattr(validator, "predicate", None)
            optional = getattr(validator, "optional", None)
            if optional is not None:  # None, or a value the inner rule takes
                names[f"p_{target}_{j}"] = optional.predicate
                body.append(f"{indent}if v is not None and not p_{target}_{j}(v): raise Fallback")
            elif predicate is not None:  # a per-value rule: checked here, as the value is
                names[f"p_{target}_{j}"] = predicate
                body.append(f"{indent}if not p_{target}_{j}(v): raise Fallback")
            else:  # a rule on the whole record (or of a nested kind): after every field
                names[f"v_{target}_{j}"] = validator
                later.append(f"    v_{target}_{j}(o, a_{target}, o.{field.name})")
        body.append(f"{indent}set_{target}(o, v)")
        if field.default is not attrs.NOTHING:
            body.append("    else:")
            body.append(f"        set_{target}(o, default_{target})")
    body += later
    body.append("    return o")
    source = "\n".join(body)
    exec(compile(source, f"<pledges fast builder of {cls.__name__}>", "exec"), names)
    build: Callable[[Any], Any] = names["build"]
    _builders[cls] = build
    return build


# Writing: each record type's writer, generated once per output (plain data, or JSON text
# as ``json.dumps(..., ensure_ascii=False)`` gives that plain data), from one reading of its
# fields' types.

_EXPRESSIONS: dict[str, dict[str, str]] = {
    "plain": {
        "optional": "(None if v is None else {})",
        "text": "v",
        "int": "v",
        "bool": "v",
        "date": "str(v)",
        "enum": "v.value",
        "record": "{}(v)",
        "records": "[{}(x) for x in v]",
        "texts": "list(v)",
        "pairs": "dict(v)",
    },
    "json": {
        "optional": "('null' if v is None else {})",
        "text": "enc(v)",
        "int": "int_repr(v)",
        "bool": "('true' if v else 'false')",
        "date": "enc(str(v))",
        "enum": "enc(v.value)",
        "record": "{}(v)",
        "records": "'[' + ', '.join(map({}, v)) + ']'",
        "texts": "'[' + ', '.join(map(enc, v)) + ']'",
        "pairs": "dumps(dict(v))",
    },
}
_JSON_NAMES: dict[str, Any] = {
    "enc": json.encoder.encode_basestring,  # the C encoder json.dumps uses for text
    "int_repr": int.__repr__,
    "dumps": json.JSONEncoder(ensure_ascii=False).encode,
}
_writers: dict[tuple[type, str], Callable[[Any], Any]] = {}


def _shape(kind: Any) -> tuple[str, Any]:
    """What a field's type is, for writing: its shape's name and the type inside it."""
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, UnionType):
        return "optional", next(a for a in args if a is not type(None))
    simple = {str: "text", int: "int", bool: "bool", PartialDate: "date"}.get(kind)
    if simple is not None:
        return simple, None
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "enum", None
    if kind in _RECORDS:
        return "record", kind
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if args[0] in _RECORDS:
            return "records", args[0]
        if args[0] is str:
            return "texts", None
        if get_origin(args[0]) is tuple:
            return "pairs", None
    raise TypeError(f"no fast writing of {kind}")


def _expression(kind: Any, output: str, names: dict[str, Any], target: str) -> str:
    """An expression turning the field's value ``v`` into ``output``."""
    shape, inner = _shape(kind)
    template = _EXPRESSIONS[output][shape]
    if shape == "optional":
        return template.format(_expression(inner, output, names, target))
    if shape in ("record", "records"):
        names[f"write_{target}"] = _writer(inner, output)
        return template.format(f"write_{target}")
    return template


def _writer(cls: type, output: str) -> Callable[[Any], Any]:
    """The function that gives a record as plain data or as JSON text (fields left out
    where they hold their default), generated once."""
    if (cls, output) in _writers:
        return _writers[cls, output]
    fields = [a for a in attrs.fields(attrs.resolve_types(cls)) if a.init]
    names: dict[str, Any] = dict(_JSON_NAMES)
    body = ["def write(o):", "    d = {}" if output == "plain" else "    p = []"]
    for i, field in enumerate(fields):
        target = f"f{i}"
        value = _expression(field.type, output, names, target)
        if output == "plain":
            store = f"d[{field.name!r}] = {value}"
        else:
            store = f"p.append({json.dumps(field.name) + ': '!r} + {value})"
        body.append(f"    v = o.{field.name}")
        if field.default is attrs.NOTHING:
            body.append(f"    {store}")
        else:
            names[f"default_{target}"] = field.default
            body += [f"    if v != default_{target}:", f"        {store}"]
    body.append("    return d" if output == "plain" else "    return '{' + ', '.join(p) + '}'")
    source = "\n".join(body)
    exec(compile(source, f"<pledges fast {output} writer of {cls.__name__}>", "exec"), names)
    write: Callable[[Any], Any] = names["write"]
    _writers[cls, output] = write
    return write


def plain_records(records: Iterable[Any], cls: type) -> list[dict[str, Any]]:
    """Records of one type as plain data, as the converter's unstructuring gives them."""
    return list(map(_writer(cls, "plain"), records))


def json_texts(records: Iterable[Any], cls: type) -> Iterator[str]:
    """Records of one type as JSON texts, one a record, as ``json.dumps(...,
    ensure_ascii=False)`` gives their plain data."""
    return map(_writer(cls, "json"), records)
