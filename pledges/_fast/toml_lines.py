"""Trick 2, TOML: a strict reader of the layout tomli_w writes, one line at a time.

It never accepts what the standard parser refuses: anything outside the layout (a
multi-line string, a float, a date, a surrogate escape, a key given twice) raises
:class:`~pledges._fast.records.Fallback`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from pledges._fast.records import RECORD_OF, Fallback, builder

__all__ = ["read_toml_lines"]

# The TOML that tomli_w writes: headers, ``key = value`` with bare or quoted keys, basic
# strings, integers, booleans, arrays (one item a line) and inline tables.
_HEADER = re.compile(r"(\[\[?)([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)(\]\]?)")
_KEY = re.compile(r'([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*") = (.*)')
_TOKEN = re.compile(
    r'[ \t]*(?:("(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[btnfr"\\]|\\u[0-9A-Fa-f]{4})*")'
    r"|(-?(?:0|[1-9][0-9]*))(?![0-9.eE_:-])|(true|false)\b|([A-Za-z0-9_-]+)|([{}\[\],=]))"
)


class _StaticList(list[Any]):
    """An array written as a value (``key = [...]``), which no header may extend."""


class _Tables(list[Any]):
    """An array of tables (``[[key]]``)."""


class _Inline(dict[str, Any]):
    """An inline table (``{ ... }``), which no header may extend."""


_STRING = re.compile(r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[btnfr"\\]|\\u[0-9A-Fa-f]{4})*"')
_ESCAPE = re.compile(r"\\(u[dD][89a-fA-F][0-9A-Fa-f]{2}|.)")  # \\ is one escape


def _string(token: str) -> str:
    """A TOML basic string (as the reader's tokens hold it); the escapes it may use are
    JSON's too, but for ``\\U`` and surrogates, which fall back."""
    if _STRING.fullmatch(token) is None:
        raise Fallback
    if "\\u" in token and any(len(e) > 1 for e in _ESCAPE.findall(token)):
        raise Fallback  # a surrogate escape
    try:
        text: str = json.loads(token, strict=False)  # TOML takes a raw tab
    except ValueError:
        raise Fallback from None
    return text


def _value(tokens: list[tuple[int, str]], at: int) -> tuple[Any, int]:
    """The TOML value starting at token ``at``, and the index after it."""
    kind, token = tokens[at]
    if kind == 1:
        return _string(token), at + 1
    if kind == 2:
        return int(token), at + 1
    if kind == 3:
        return token == "true", at + 1
    if token == "[":  # tomli_w writes a non-empty array an item a line, never inline
        if tokens[at + 1][1] != "]":
            raise Fallback
        return _StaticList(), at + 2
    if token == "{":
        table: dict[str, Any] = _Inline()
        at += 1
        while tokens[at][1] != "}":
            key_kind, key = tokens[at]
            name = _string(key) if key_kind == 1 else key if key_kind == 4 else None
            if name is None or tokens[at + 1][1] != "=" or name in table:
                raise Fallback
            table[name], at = _value(tokens, at + 2)
            if tokens[at][1] == ",":
                at += 1
                if tokens[at][1] == "}":
                    raise Fallback  # no trailing comma in an inline table
            elif tokens[at][1] != "}":
                raise Fallback
        return table, at + 1
    raise Fallback


def _tokens(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise Fallback
        kind = match.lastindex or 0
        found.append((kind, match[kind]))
        at = match.end()
    found.append((0, ""))  # the end
    return found


def _parse_value(text: str) -> Any:
    """A TOML value: the common forms by one regular expression each, the rest by the
    tokenizer; :class:`Fallback` for whatever it cannot take (an integer past Python's
    digit limit, nesting past the recursion limit)."""
    try:
        return _value_of(text)
    except (ValueError, RecursionError):
        raise Fallback from None


def _value_of(text: str) -> Any:
    plain = _PLAIN.fullmatch(text)
    if plain is not None:
        return plain[1]
    flat = _FLAT.fullmatch(text)
    if flat is not None:
        return _flat_table(flat[1])
    if text == "true" or text == "false":
        return text == "true"
    tokens = _tokens(text)
    value, at = _value(tokens, 0)
    if at != len(tokens) - 1:
        raise Fallback
    return value


# A string without escapes, and an inline table of such strings under bare keys: most of
# what a ledger holds, read without the tokenizer.
_CHAR = r'[^"\\\x00-\x08\x0a-\x1f\x7f]'  # in a basic string, needing no escape
_PLAIN = re.compile(rf'"({_CHAR}*)"')
_FLAT = re.compile(rf'\{{ ((?:[A-Za-z0-9_-]+ = "{_CHAR}*", )*[A-Za-z0-9_-]+ = "{_CHAR}*") \}}')
_PAIR = re.compile(r'([A-Za-z0-9_-]+) = "([^"]*)"')
_PLAIN_ITEM = re.compile(rf'    "({_CHAR}*)",')
_FLAT_ITEM = re.compile(r"    " + _FLAT.pattern + ",")
_PLAIN_KEY = re.compile(rf'([A-Za-z0-9_-]+) = "({_CHAR}*)"')


def _flat_table(text: str) -> _Inline:
    """An inline table of plain strings under bare keys (``a = "x = y", b = "z"``): its
    strings hold no quote, so the pairs are found left to right; a key given twice falls
    back."""
    pairs = _PAIR.findall(text)
    table = _Inline(pairs)
    if len(table) != len(pairs):
        raise Fallback
    return table


def _open(
    root: dict[str, Any],
    line: str,
    pending: tuple[str, _Tables] | None,
    finish: Callable[[], None],
) -> tuple[dict[str, Any], tuple[str, _Tables] | None]:
    """The table a header line opens, and the top-level record being read after it (the
    one before it built, when the header opens another)."""
    header = _HEADER.fullmatch(line)
    if header is None or len(header[1]) != len(header[3]):
        raise Fallback
    path = header[2].split(".")
    if len(path) == 1:
        finish()
        pending = None
    container = root
    for name in path[:-1]:
        step = container.get(name)
        if isinstance(step, _Tables):
            step = step[-1]
        if not isinstance(step, dict) or isinstance(step, _Inline):
            raise Fallback  # through a value, an inline table, an array or nothing
        container = step
    table: dict[str, Any] = {}
    name = path[-1]
    if header[1] == "[[":
        tables = container.setdefault(name, _Tables())
        if not isinstance(tables, _Tables):
            raise Fallback
        tables.append(table)
        if len(path) == 1:
            pending = (name, tables)
    elif name in container:
        raise Fallback
    else:
        container[name] = table
    return table, pending


def read_toml_lines(lines: Iterable[str]) -> dict[str, Any]:
    """A canonical TOML ledger read line by line, each top-level record built as soon as
    the next header shows it is whole."""
    root: dict[str, Any] = {}
    table = root
    pending: tuple[str, _Tables] | None = None  # the top-level record being read
    items: _StaticList | None = None  # the array being read, one item a line

    def finish() -> None:
        if pending is not None:
            key, tables = pending
            if key in RECORD_OF:
                tables[-1] = builder(RECORD_OF[key])(tables[-1])

    plain_item, flat_item, plain_key = (
        _PLAIN_ITEM.fullmatch,
        _FLAT_ITEM.fullmatch,
        _PLAIN_KEY.fullmatch,
    )
    for line in lines:
        if items is not None:  # inside an array: one item a line, most of them plain
            match = plain_item(line)
            if match is not None:
                items.append(match[1])
                continue
            match = flat_item(line)
            if match is not None:
                items.append(_flat_table(match[1]))
            elif line == "]":
                items = None
            elif line.startswith("    ") and line.endswith(","):
                items.append(_parse_value(line[4:-1]))
            else:
                raise Fallback
            continue
        match = plain_key(line)
        if match is not None:  # key = "text", the commonest line
            key = match[1]
            if key in table:
                raise Fallback
            table[key] = match[2]
            continue
        if not line or line[0] == "#":
            continue
        if line[0] == "[":
            table, pending = _open(root, line, pending, finish)
            continue
        match = _KEY.fullmatch(line)
        if match is None:
            raise Fallback
        key = _string(match[1]) if match[1][0] == '"' else match[1]
        if key in table:
            raise Fallback
        if match[2] == "[":
            items = table[key] = _StaticList()
        else:
            table[key] = _parse_value(match[2])
    if items is not None:
        raise Fallback
    finish()
    return root
