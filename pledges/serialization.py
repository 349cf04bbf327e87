"""Ledgers (and lifecycles) to and from TOML and JSON.

Every file carries a ``schema_version``; older versions are migrated dict-to-dict before
structuring. A failed load raises :class:`~pledges.errors.LoadError` listing every problem
with its path (``unknown key 'staus' @ $.pledges[3].history[1]``). Parsing refuses what the
standard parsers would take silently or choke on: duplicate keys and ``NaN`` in JSON,
integers past Python's 4,300-digit limit, nesting too deep, TOML keys of more than
:data:`MAX_KEY_PARTS` dotted parts (the standard TOML parser takes quadratic time on them).
Output is deterministic (same ledger, same bytes), with invisible and reordering characters
written as ``\\u`` escapes, and :func:`save` is atomic.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, NoReturn

import attrs
import tomli_w

from pledges._fast import (
    Fallback,
    enabled as fast_path_enabled,
    json_texts,
    load_fast,
    paused_gc,
    plain_records,
)
from pledges._files import FileError, opened, read_bytes, read_stream, text_lines, write_atomic
from pledges._structure import (
    CONVERTER,
    MIGRATIONS,
    SCHEMA_VERSION,
    describe_type,
    json_object,
    locate,
    no_constant,
)
from pledges.errors import DefinitionError, LoadError, PledgesError, Problem, shown
from pledges.escape import unicode_escapes
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle
from pledges.model import Actor, Correction, Occasion, Pledge, Source

__all__ = [
    "MAX_KEY_PARTS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Format",
    "dumps",
    "format_of",
    "from_data",
    "load",
    "load_lifecycle",
    "loads",
    "loads_lifecycle",
    "parse",
    "read",
    "save",
    "to_data",
]

MAX_KEY_PARTS = 32
"""The most dotted parts a TOML key may have (``a.b.c`` has three)."""

Format = Literal["toml", "json"]


def _known(format: str) -> None:
    """Refuse a format other than TOML or JSON: a caller's mistake, never read as either."""
    if format not in ("toml", "json"):
        raise ValueError(f"unknown format {format!r}; choose one of toml, json")


def _fail(source: str, where: str, message: str) -> NoReturn:
    raise LoadError(source, [Problem(where, message)])


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its pairs, in order (to find a key given twice)."""


_REFUSED = object()
"""Stands for a JSON value the reader refuses (NaN, an over-long integer), to find where."""

_MAX_DIGITS = 4300
"""The most digits Python turns into an integer (``sys.get_int_max_str_digits()``)."""


def _key_path(here: str, key: str) -> str:
    return f"{here}.{key}" if key.isidentifier() else f"{here}[{json.dumps(key)}]"


def _json_where(text: str) -> str:
    """Where in a JSON text the parser's refusal lies (a key given twice, NaN, an
    over-long integer), as a path such as ``$.pledges[3].title``; "" when not found."""
    try:
        data = json.loads(
            text,
            object_pairs_hook=_Pairs,
            parse_constant=lambda _: _REFUSED,
            parse_int=lambda s: _REFUSED if len(s.lstrip("-")) > _MAX_DIGITS else 0,
        )
    except (ValueError, RecursionError):
        return ""
    stack: list[tuple[str, Any]] = [("$", data)]
    while stack:
        here, value = stack.pop()
        if value is _REFUSED:
            return here
        if isinstance(value, _Pairs):
            seen: set[str] = set()
            for key, _ in value:
                if key in seen:
                    return _key_path(here, key)
                seen.add(key)
            stack += [(_key_path(here, k), v) for k, v in reversed(value)]
        elif isinstance(value, list):
            stack += [(f"{here}[{i}]", v) for i, v in reversed(list(enumerate(value)))]
    return ""


def _too_deep(text: str, limit: int = 500) -> str:
    """The line and column at which brackets outside strings nest past ``limit``."""
    depth, line, column, quoted, escaped = 0, 1, 0, False, False
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        elif quoted:
            quoted = escaped or char != '"'  # a quote ends the string unless escaped
            escaped = not escaped and char == "\\"
        elif char == '"':
            quoted = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return f"line {line}, column {column}"
        elif char in "]}":
            depth -= 1
    return ""


_LONG_NUMBER = re.compile(rf"(?:[0-9]_?){{{_MAX_DIGITS + 1}}}")


def _long_number(text: str) -> str:
    """The line of the first integer of more than 4,300 digits (TOML allows ``_`` between
    them)."""
    found = _LONG_NUMBER.search(text)
    return "" if found is None else f"line {text.count(chr(10), 0, found.start()) + 1}"


_TOML_PLACE = re.compile(r" \(at (line \d+, column \d+|end of document)\)$")


def _check_toml_keys(text: str, source: str) -> None:
    """Refuse TOML keys (and table headers) of more than :data:`MAX_KEY_PARTS` parts."""
    for number, line in enumerate(text.splitlines(), start=1):
        head = line.lstrip()
        if head.startswith("["):
            head = head.split("]", 1)[0]
        elif "=" in head:
            head = head.split("=", 1)[0]
        else:
            continue
        if head.count(".") >= MAX_KEY_PARTS:
            parts = head.count(".") + 1
            _fail(
                source, f"line {number}", f"a key of {parts} dotted parts (at most {MAX_KEY_PARTS})"
            )


def parse(text: str | bytes, format: Format, source: str = "<string>") -> Any:
    """TOML or JSON text (or UTF-8 bytes) as plain data, refusing what the module's notes
    say; :class:`~pledges.errors.LoadError` locates what is wrong."""
    _known(format)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            _fail(source, f"byte {exc.start}", "the file is not UTF-8 text")
    if format == "toml":
        _check_toml_keys(text, source)  # a LoadError of its own, outside the try below
    try:
        if format == "toml":
            return tomllib.loads(text)
        return json.loads(text, object_pairs_hook=json_object, parse_constant=no_constant)
    except tomllib.TOMLDecodeError as exc:
        place = _TOML_PLACE.search(str(exc))
        where = "" if place is None else place[1].replace("end of document", "end of file")
        message = str(exc) if place is None else str(exc)[: place.start()]
        _fail(source, where or "line 1", f"not valid TOML: {message}")
    except json.JSONDecodeError as exc:
        _fail(source, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")
    except RecursionError:
        _fail(source, _too_deep(text) or "line 1", "the data is nested too deeply")
    except ValueError as exc:  # duplicate keys, NaN, integers of more than 4,300 digits
        where = _json_where(text) if format == "json" else _long_number(text)
        reason = "an integer of more than 4,300 digits" if "4300 digits" in str(exc) else exc
        _fail(source, where or "line 1", f"not valid {format.upper()}: {reason}")


def _migrate(data: dict[str, Any], source: str) -> dict[str, Any]:
    version = data.get("schema_version")
    at = "$.schema_version"
    if version is None:
        _fail(source, at, f"missing required key (this release writes {SCHEMA_VERSION})")
    if version.__class__ is not int or version < 1:
        _fail(source, at, f"expected a positive integer, got {shown(version)}")
    if version > SCHEMA_VERSION:
        _fail(
            source,
            at,
            f"version {version} is newer than this release reads ({SCHEMA_VERSION}): "
            "upgrade pledges",
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data


def from_data(data: Any, source: str = "<data>") -> Ledger:
    """Build a ledger from plain data: migrate it, refuse unknown keys, structure each field
    (gathering every problem), then build the ledger, turning its own checks' problems into
    located ones; :class:`~pledges.errors.LoadError` lists every problem."""
    if not isinstance(data, dict):
        _fail(source, "$", f"expected a table at the top, got {describe_type(data)}")
    data = _migrate(data, source)
    fields = {a.name: a for a in attrs.fields(attrs.resolve_types(Ledger)) if a.init}
    problems: list[Problem] = []
    unknown = sorted(set(data) - set(fields) - {"schema_version"})
    if unknown:
        keys = ", ".join(shown(k) for k in unknown)
        problems.append(Problem("$", f"unknown key{'s' * (len(unknown) != 1)} {keys}"))
    parts: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in data:
            if field.default is attrs.NOTHING:
                problems.append(Problem(f"$.{name}", "missing required key"))
            continue
        kind: Any = field.type
        try:
            parts[name] = CONVERTER.structure(data[name], kind)
        except Exception as exc:  # cattrs gathers every failure beneath one field
            problems += locate(exc, f"$.{name}")
    if problems:
        raise LoadError(source, problems)
    try:
        return Ledger(**parts)
    except PledgesError as exc:  # the ledger's own checks, across its records
        raise LoadError(source, locate(exc, "$")) from None


def _top_level(record: Ledger | Lifecycle) -> Iterator[tuple[str, Any, type | None]]:
    """The fields a file holds, in order: each name, value and, for a ledger's records,
    their type (the others are unstructured by the converter; a lifecycle has no field of
    those names)."""
    for field in attrs.fields(attrs.resolve_types(type(record))):
        value = getattr(record, field.name)
        if field.init and value != field.default:
            yield field.name, value, _RECORD_TYPES.get(field.name)


_RECORD_TYPES: dict[str, type] = {
    "actors": Actor,
    "sources": Source,
    "occasions": Occasion,
    "pledges": Pledge,
    "corrections": Correction,
}


def to_data(record: Ledger | Lifecycle) -> dict[str, Any]:
    """A ledger or lifecycle as plain data (dicts, lists, text, numbers), ``schema_version``
    first and fields left out where they hold their default. A ledger's records are written
    by the generated writers of :mod:`pledges._fast`, which give what the converter
    gives."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for name, value, cls in _top_level(record):
        if cls is not None:
            data[name] = plain_records(value, cls)
        else:
            data[name] = CONVERTER.unstructure(value)
    return data


def loads(text: str | bytes, format: Format = "toml", source: str = "<string>") -> Ledger:
    """Parse TOML or JSON text (or UTF-8 bytes) into a checked ledger.

    A file in the layout :func:`dumps` writes takes the fast path (see
    :mod:`pledges._fast`); anything else, and every file with a problem, the full path,
    which locates each problem."""
    _known(format)
    if fast_path_enabled():
        try:
            lines = text.split("\n") if isinstance(text, str) else text_lines(text)
            return load_fast(lines, format)
        except (Fallback, PledgesError, UnicodeDecodeError):
            pass  # outside the canonical layout, or wrong: the full path says where
    return from_data(parse(text, format, source), source)


def loads_lifecycle(
    text: str | bytes, format: Format = "toml", source: str = "<string>"
) -> Lifecycle:
    """Parse a lifecycle defined in TOML or JSON; :class:`~pledges.errors.LoadError` lists
    every problem, its definition's among them (unknown or unreachable statuses, ...), each
    located (``$.statuses[2].to[0]``)."""
    data = parse(text, format, source)
    if not isinstance(data, dict):
        _fail(source, "$", f"expected a table at the top, got {describe_type(data)}")
    try:
        return Lifecycle.from_data(_migrate(data, source))
    except DefinitionError as exc:
        raise LoadError(source, exc.problems) from None


def format_of(path: str | os.PathLike[str]) -> Format:
    """The format a file name implies: ``.toml`` or ``.json``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix == ".json":
        return "json"
    _fail(str(path), "", f"unknown file type {shown(suffix)}: use .toml or .json")


def read(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a ledger or lifecycle file; :class:`~pledges.errors.LoadError` if it
    cannot be read (missing, a directory, a FIFO, too large)."""
    try:
        return read_bytes(path)
    except FileError as exc:
        _fail(str(path), "", exc.reason)


def load(path: str | os.PathLike[str]) -> Ledger:
    """Read a ledger file (``.toml`` or ``.json``) and check it. A file in the layout
    :func:`dumps` writes is read a record at a time (the fast path); any other, and every
    file with a problem, whole, by the full path."""
    fmt = format_of(path)  # before reading: a wrong file type is the clearer message
    try:
        with opened(path) as stream:
            if fast_path_enabled():
                try:
                    return load_fast(text_lines(stream), fmt)
                except (Fallback, PledgesError, UnicodeDecodeError):
                    stream.seek(0)  # the same file, read whole by the full path
            raw = read_stream(stream, path)
    except FileError as exc:
        _fail(str(path), "", exc.reason)
    return from_data(parse(raw, fmt, str(path)), str(path))


def load_lifecycle(path: str | os.PathLike[str]) -> Lifecycle:
    """Read a lifecycle file (``.toml`` or ``.json``) and check it."""
    fmt = format_of(path)
    return loads_lifecycle(read(path), fmt, source=str(path))


def dumps(record: Ledger | Lifecycle, format: Format = "toml") -> str:
    """A ledger (or lifecycle) as TOML or JSON text; the same record always gives the same
    text."""
    _known(format)
    with paused_gc():  # nothing it makes outlives it: the collector would only walk the heap
        text = _json_lines(record) if format == "json" else tomli_w.dumps(to_data(record))
    return unicode_escapes(text)


def _json_lines(record: Ledger | Lifecycle) -> str:
    """JSON with one record a line: top-level keys, then each item of each list on its own
    line (so a changed pledge is a changed line). A ledger's records go straight to text
    through generated writers (:func:`pledges._fast.json_texts`); the rest through the C
    encoder."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = [f"  {encode('schema_version')}: {SCHEMA_VERSION}"]
    for name, value, cls in _top_level(record):
        if cls is None:
            value = CONVERTER.unstructure(value)
            if not isinstance(value, list):
                lines.append(f"  {encode(name)}: {encode(value)}")
                continue
        items = list(json_texts(value, cls) if cls is not None else map(encode, value))
        listed = ",\n    ".join(items)  # never empty: an empty list is a default, left out
        lines.append(f"  {encode(name)}: [\n    {listed}\n  ]")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def save(
    record: Ledger | Lifecycle, path: str | os.PathLike[str], format: Format | None = None
) -> None:
    """Write a ledger (or lifecycle) atomically, keeping a symlink's target and the file's
    mode (see :mod:`pledges._files`); :class:`~pledges._files.FileError` if it cannot be."""
    text = dumps(record, format or format_of(path))
    write_atomic(path, text.encode("utf-8"))
