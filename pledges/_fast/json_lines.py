"""Trick 2, JSON: a canonical JSON ledger read one line (one record) at a time."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from pledges._fast.records import RECORD_OF, Fallback, builder
from pledges._structure import json_object, no_constant

__all__ = ["read_json_lines"]


_json = json.JSONDecoder(object_pairs_hook=json_object, parse_constant=no_constant).decode


def _decode(text: str) -> Any:
    """One JSON value; :class:`Fallback` for text the full path refuses (a key given twice,
    NaN, past Python's digit and recursion limits): it then says where."""
    try:
        return _json(text)
    except (ValueError, RecursionError):
        raise Fallback from None


_TOP = re.compile(r'  ("[a-z_]+"): (.*?)(,?)')


def read_json_lines(lines: Iterator[str]) -> dict[str, Any]:
    """The top-level fields of a canonical JSON ledger, its records built one line at a
    time. The layout is checked line by line, commas included, so that the lines read
    together mean what the whole document means."""
    if next(lines, None) != "{":
        raise Fallback
    document: dict[str, Any] = {}
    last = False
    for line in lines:
        if line == "}":
            if not last or next(lines, "") != "" or next(lines, None) is not None:
                raise Fallback
            return document
        if last:
            raise Fallback
        match = _TOP.fullmatch(line)
        if match is None:
            raise Fallback
        key, value, comma = _decode(match[1]), match[2], match[3]
        if key in document:
            raise Fallback
        if value == "[" and not comma:
            document[key] = _json_list(key, lines)
            closing = next(lines, None)
            if closing not in ("  ]", "  ],"):
                raise Fallback
            last = closing == "  ]"
        else:
            document[key] = _decode(value)
            last = not comma
    raise Fallback


def _json_list(key: str, lines: Iterator[str]) -> list[Any]:
    build = builder(RECORD_OF[key]) if key in RECORD_OF else None
    items: list[Any] = []
    for line in lines:
        if not line.startswith("    "):
            raise Fallback
        item = _decode(line[4:-1] if line.endswith(",") else line[4:])
        items.append(build(item) if build else item)
        if not line.endswith(","):
            return items
    raise Fallback
