"""Tricks 3 and 4: builders and writers generated per record type, dates parsed once,
ids interned."""

from __future__ import annotations

import functools
import json
import linecache
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from types import UnionType
from typing import Any, Union, get_args, get_origin

import attrs

from pledges._fields import Check, Each
from pledges.dates import PartialDate, Window
from pledges.model import (
    Actor,
    Alternative,
    Correction,
    Evidence,
    Extra,
    Link,
    Occasion,
    Pledge,
    Search,
    Source,
    Update,
)

__all__ = ["RECORD_OF", "Fallback", "builder", "json_texts", "plain_records"]


class Fallback(Exception):
    """The fast path cannot take this text as it is; the full path will, or will say why."""


RECORD_OF = {
    "actors": Actor,
    "sources": Source,
    "occasions": Occasion,
    "pledges": Pledge,
    "corrections": Correction,
}
"""The record type of each top-level array of a ledger file."""

_date = functools.lru_cache(maxsize=1 << 16)(PartialDate.parse)
_intern = sys.intern
_RECORDS = (
    Evidence,
    Alternative,
    Update,
    Link,
    Search,
    Window,
    Pledge,
    Actor,
    Source,
    Occasion,
    Correction,
)
_builders: dict[type, Callable[[Any], Any]] = {}


def compiled(source: str, name: str, names: dict[str, Any]) -> Callable[[Any], Any]:
    """The function ``name`` defined by ``source``, compiled with ``names`` as its globals and
    registered in :mod:`linecache` (as attrs and cattrs register theirs), so that tracebacks
    and debuggers show the generated code."""
    filename = f"<pledges generated {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), names)
    function: Callable[[Any], Any] = names[name.split()[0]]
    return function


def _rules(attribute: attrs.Attribute[Any]) -> list[Any]:
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
    if kind is PartialDate:
        return ["if v.__class__ is not str: raise Fallback", "v = _date(v)"]
    if kind is Extra:
        return ["if not isinstance(v, dict): raise Fallback", "v = Extra(v)"]
    if isinstance(kind, type) and issubclass(kind, Enum):
        names[f"members_{target}"] = {m.value: m for m in kind}
        return [
            "if v.__class__ is not str: raise Fallback",
            f"v = members_{target}.get(v)",
            "if v is None: raise Fallback",
        ]
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
    raise TypeError(f"no fast conversion for {kind}")


def builder(cls: type) -> Callable[[Any], Any]:
    """The builder of ``cls`` from plain data, generated once: it refuses a value that is not
    a table, an unknown or missing key, and a value of the wrong type with
    :class:`Fallback`; a value its field's rule refuses likewise; a rule across fields raises
    the record's own error."""
    if cls in _builders:
        return _builders[cls]
    fields = [a for a in attrs.fields(attrs.resolve_types(cls)) if a.init]
    names: dict[str, Any] = {
        "Fallback": Fallback,
        "Extra": Extra,
        "_intern": _intern,
        "_date": _date,
        "new": object.__new__,
        "cls": cls,
        "keys": frozenset(a.name for a in fields),
        "required": frozenset(a.name for a in fields if a.default is attrs.NOTHING),
    }
    body = [
        "def build(d):",
        "    if not isinstance(d, dict) or not keys.issuperset(d) or not required <= d.keys():",
        "        raise Fallback",
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
        for j, rule in enumerate(_rules(field)):
            if isinstance(rule, Check | Each):
                if rule.implied_by is not None:
                    continue  # a type check: the conversion above made a value of that type
                names[f"p_{target}_{j}"] = rule.accepts  # a per-value rule, checked here
                body.append(f"{indent}if not p_{target}_{j}(v): raise Fallback")
            else:  # a rule across the record's fields: after every field is set
                names[f"v_{target}_{j}"] = rule
                later.append(f"    v_{target}_{j}(o, a_{target}, o.{field.name})")
        body.append(f"{indent}set_{target}(o, v)")
        if field.default is not attrs.NOTHING:
            body.append("    else:")
            body.append(f"        set_{target}(o, default_{target})")
    body += later
    body.append("    return o")
    build = compiled("\n".join(body), f"build of {cls.__name__}", names)
    _builders[cls] = build
    return build


# Writing: each record type's writer, generated once per output (plain data, or JSON text
# as ``json.dumps(..., ensure_ascii=False)`` gives that plain data), from one reading of its
# fields' types.

_EXPRESSIONS: dict[str, dict[str, str]] = {
    "plain": {
        "optional": "(None if v is None else {})",
        "text": "v",
        "date": "str(v)",
        "enum": "v.value",
        "record": "{}(v)",
        "records": "[{}(x) for x in v]",
        "texts": "list(v)",
        "extra": "v.as_dict()",
    },
    "json": {
        "optional": "('null' if v is None else {})",
        "text": "enc(v)",
        "date": "enc(str(v))",
        "enum": "enc(v.value)",
        "record": "{}(v)",
        "records": "'[' + ', '.join(map({}, v)) + ']'",
        "texts": "'[' + ', '.join(map(enc, v)) + ']'",
        "extra": "dumps(v.as_dict())",
    },
}
_JSON_NAMES: dict[str, Any] = {
    "enc": json.encoder.encode_basestring,  # the C encoder json.dumps uses for text
    "dumps": json.JSONEncoder(ensure_ascii=False).encode,
}
_writers: dict[tuple[type, str], Callable[[Any], Any]] = {}


def _shape(kind: Any) -> tuple[str, Any]:
    """What a field's type is, for writing: its shape's name and the type inside it."""
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, UnionType):
        return "optional", next(a for a in args if a is not type(None))
    simple = {str: "text", PartialDate: "date", Extra: "extra"}.get(kind)
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
    write = compiled("\n".join(body), f"write of {cls.__name__} as {output}", names)
    _writers[cls, output] = write
    return write


def plain_records(records: Iterable[Any], cls: type) -> list[dict[str, Any]]:
    """Records of one type as plain data, as the converter's unstructuring gives them."""
    return list(map(_writer(cls, "plain"), records))


def json_texts(records: Iterable[Any], cls: type) -> Iterator[str]:
    """Records of one type as JSON texts, one a record, as ``json.dumps(...,
    ensure_ascii=False)`` gives their plain data."""
    return map(_writer(cls, "json"), records)
