"""Ledgers to and from TOML and JSON.

One cattrs converter, made by :func:`make_converter`: unknown keys are refused, text and
numbers are not coerced (``1`` is not ``"1"``), dates go through explicit hooks. Every file
carries a ``schema_version``; older versions are migrated dict-to-dict before structuring.
A failed load raises :class:`~pledges.errors.LoadError` listing every problem with its path
(``unknown key 'staus' @ $.pledges[3].history[1]``). Output is deterministic (same ledger,
same bytes) and :func:`save` is atomic.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import gc
import json
import os
import reprlib
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar, get_args, get_origin

import attrs
import cattrs
import tomli_w
from cattrs.errors import ForbiddenExtraKeysError

from pledges.dates import PartialDate
from pledges.errors import DefinitionError, LedgerInvalid, LoadError, PledgesError, Problem
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle, StatusKind
from pledges.model import ActorKind, LinkKind, PledgeKind, UpdateKind

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SHIPPED_LIFECYCLES",
    "Format",
    "dumps",
    "from_data",
    "load",
    "load_lifecycle",
    "load_lifecycle_preset",
    "loads",
    "loads_lifecycle",
    "make_converter",
    "save",
    "to_data",
]

SCHEMA_VERSION = 1
"""The version of the file format this release writes."""

Format = Literal["toml", "json"]

MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Dict-to-dict upgrades: ``MIGRATIONS[n]`` turns a version ``n`` document into version
``n + 1``. Empty while there is only version 1."""

_T = TypeVar("_T", Ledger, Lifecycle)


_INTERN_UP_TO = 48
_ENUMS = (ActorKind, LinkKind, PledgeKind, UpdateKind, StatusKind)


class _Refused(TypeError):
    """A value of the wrong type, with a message made for people."""


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 60, 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = 4


def _show(value: object) -> str:
    """A value from the data, quoted for a message: bounded in depth and length, so that a
    deeply nested or huge value cannot break (or swamp) the message about it."""
    return _REPR.repr(value)


def _kind(value: object) -> str:
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
    if value.__class__ is not str and not isinstance(value, str):
        raise _Refused(f"expected text, got {_kind(value)} ({_show(value)})")
    # Short texts (ids, statuses, kinds) repeat across a ledger: hold one copy of each.
    return sys.intern(value) if len(value) <= _INTERN_UP_TO else value


def _structure_int(value: Any, _: type) -> int:
    if value.__class__ is not int and (isinstance(value, bool) or not isinstance(value, int)):
        raise _Refused(f"expected an integer, got {_kind(value)} ({_show(value)})")
    return value  # type: ignore[no-any-return,unused-ignore]


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise _Refused(f"expected true or false, got {_kind(value)} ({_show(value)})")
    return value


def _structure_enum(value: Any, type_: type[Enum]) -> Enum:
    try:
        return type_(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in type_)
        raise _Refused(f"{_show(value)} is not one of {allowed}") from None


def _structure_date(value: Any, _: type) -> PartialDate:
    if isinstance(value, _dt.datetime):
        raise _Refused(f"expected a date such as '2025-05-12', got a date and time ({value})")
    if isinstance(value, _dt.date):  # a TOML date written without quotes
        return PartialDate.of(value)
    if not isinstance(value, str):
        raise _Refused(
            f"expected a date such as '2025', '2025-05' or '2025-05-12', got {_kind(value)}"
        )
    return _parse_date(value)


@functools.lru_cache(maxsize=65_536)
def _parse_date(text: str) -> PartialDate:
    """Dates repeat across a ledger, and a PartialDate is immutable: parse each text once."""
    return PartialDate.parse(text)


def make_converter(*, detailed_validation: bool = True) -> cattrs.Converter:
    """The converter pledges uses for files: strict, with dates as ISO text. Without
    ``detailed_validation`` it is faster but cannot say where a problem is."""
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
            if not isinstance(value, list | tuple):
                raise _Refused(f"expected a list, got {_kind(value)} ({_show(value)})")
            return tuple(items(value, as_list))

        return structure

    def is_homogeneous_tuple(type_: Any) -> bool:
        args = get_args(type_)
        return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis

    converter.register_structure_hook_factory(is_homogeneous_tuple, tuple_hook)
    return converter


_CONVERTER = make_converter()
_FAST = make_converter(detailed_validation=False)


def _describe(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = sorted(exc.extra_fields)
        return f"unknown key{'s' * (len(keys) != 1)} {', '.join(repr(k) for k in keys)}"
    if isinstance(exc, PledgesError):
        return exc.message
    if isinstance(exc, KeyError):
        return "missing required key"
    if isinstance(exc, _Refused | ValueError | TypeError) and str(exc):
        return str(exc)
    return cattrs.v.format_exception(exc, type_)


def _problems(exc: BaseException, path: str) -> list[Problem]:
    problems = []
    for line in cattrs.transform_error(exc, path, _describe):
        message, _, where = line.rpartition(" @ ")
        problems.append(Problem(where, message))
    return problems


def to_data(record: Ledger | Lifecycle) -> dict[str, Any]:
    """A ledger or lifecycle as plain data (dicts, lists, text, numbers), ``schema_version``
    first and fields left out where they hold their default."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for field in attrs.fields(attrs.resolve_types(type(record))):
        value = getattr(record, field.name)
        if field.init and value != field.default:
            data[field.name] = _CONVERTER.unstructure(value, field.type)
    return data


def from_data(data: Any, source: str = "<data>") -> Ledger:
    """Build a ledger from plain data; :class:`~pledges.errors.LoadError` lists every problem."""
    return _build(Ledger, data, source)


def _build(cls: type[_T], data: Any, source: str) -> _T:
    """Migrate a document, refuse unknown keys, structure each field (gathering every
    problem), then build ``cls``, turning its own check's problems into located ones."""
    if not isinstance(data, dict):
        _fail(source, "$", f"expected a table at the top, got {_kind(data)}")
    data = _migrate(data, source)
    fields = {a.name: a for a in attrs.fields(attrs.resolve_types(cls)) if a.init}
    problems: list[Problem] = []
    unknown = sorted(set(data) - set(fields) - {"schema_version"})
    if unknown:
        keys = ", ".join(repr(k) for k in unknown)
        problems.append(Problem("$", f"unknown key{'s' * (len(unknown) != 1)} {keys}"))
    parts: dict[str, Any] = {}
    with _gc_paused():
        _structure_fields(data, fields, parts, problems)
        if not problems:
            return _construct(cls, parts, source)
    raise LoadError(source, problems)


def _construct(cls: type[_T], parts: dict[str, Any], source: str) -> _T:
    """Build ``cls`` from structured fields; its own checks' problems become located ones."""
    try:
        return cls(**parts)
    except LedgerInvalid as exc:
        raise LoadError(source, exc.problems) from None
    except DefinitionError as exc:
        raise LoadError(source, [Problem("$", p) for p in exc.problems]) from None
    except (PledgesError, ValueError, TypeError) as exc:
        raise LoadError(source, [Problem("$", str(exc))]) from None


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: structuring makes hundreds of thousands of
    acyclic objects, and each full collection it would trigger walks the whole heap."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _structure_fields(
    data: dict[str, Any],
    fields: dict[str, attrs.Attribute[Any]],
    parts: dict[str, Any],
    problems: list[Problem],
) -> None:
    """Structure each field into ``parts``, adding every failure to ``problems``."""
    for name, field in fields.items():
        if name not in data:
            if field.default is attrs.NOTHING:
                problems.append(Problem(f"$.{name}", "missing required key"))
            continue
        kind: Any = field.type  # resolved by attrs.resolve_types in _build
        try:  # the fast converter first; on failure the detailed one says where
            parts[name] = _FAST.structure(data[name], kind)
        except Exception:
            try:
                parts[name] = _CONVERTER.structure(data[name], kind)
            except Exception as exc:  # cattrs gathers every failure beneath one field
                problems.extend(_problems(exc, f"$.{name}"))


def _fail(source: str, where: str, message: str) -> NoReturn:
    raise LoadError(source, [Problem(where, message)])


def _migrate(data: dict[str, Any], source: str) -> dict[str, Any]:
    version = data.get("schema_version")
    at = "$.schema_version"
    if version is None:
        _fail(source, at, f"missing required key (this release writes {SCHEMA_VERSION})")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        _fail(source, at, f"expected a positive integer, got {_show(version)}")
    if version > SCHEMA_VERSION:
        _fail(
            source,
            at,
            f"version {version} is newer than this release reads "
            f"({SCHEMA_VERSION}): upgrade pledges",
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data


def _parse(text: str | bytes, format: Format, source: str) -> Any:
    """TOML or JSON text (or UTF-8 bytes) as plain data."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            _fail(source, f"byte {exc.start}", "the file is not UTF-8 text")
    try:
        data = tomllib.loads(text) if format == "toml" else json.loads(text)
    except tomllib.TOMLDecodeError as exc:
        _fail(source, "", f"not valid TOML: {exc}")
    except json.JSONDecodeError as exc:
        _fail(source, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")
    except RecursionError:
        _fail(source, "", "the data is nested too deeply")
    return data


def loads(text: str | bytes, format: Format = "toml", source: str = "<string>") -> Ledger:
    """Parse TOML or JSON text (or UTF-8 bytes) into a checked ledger."""
    return from_data(_parse(text, format, source), source)


def loads_lifecycle(
    text: str | bytes, format: Format = "toml", source: str = "<string>"
) -> Lifecycle:
    """Parse a lifecycle defined in TOML or JSON; :class:`~pledges.errors.LoadError` lists
    every problem, its definition's among them (unknown or unreachable statuses, ...)."""
    return _build(Lifecycle, _parse(text, format, source), source)


def load_lifecycle(path: str | os.PathLike[str]) -> Lifecycle:
    """Read a lifecycle file (``.toml`` or ``.json``) and check it."""
    fmt = format_of(path)
    return loads_lifecycle(_read(path), fmt, source=str(path))


def load_lifecycle_preset(name: str) -> Lifecycle:
    """A lifecycle file shipped with pledges (``pledges/lifecycles/NAME.toml``): the four
    presets and ``trumptracker``."""
    shipped = resources.files("pledges").joinpath("lifecycles", f"{name}.toml")
    if not shipped.is_file():
        _fail(name, "", f"no shipped lifecycle {name!r} (shipped: {', '.join(SHIPPED_LIFECYCLES)})")
    return loads_lifecycle(shipped.read_text(encoding="utf-8"), source=f"<shipped {name}.toml>")


SHIPPED_LIFECYCLES = ("default", "politifact", "compliance", "treaty", "trumptracker")
"""The lifecycle files that ship with pledges."""


def format_of(path: str | os.PathLike[str]) -> Format:
    """The format a file name implies: ``.toml`` or ``.json``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix == ".json":
        return "json"
    _fail(str(path), "", f"unknown file type {suffix!r}: use .toml or .json")


def _read(path: str | os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        _fail(str(path), "", f"cannot read the file: {exc.strerror}")


def load(path: str | os.PathLike[str]) -> Ledger:
    """Read a ledger file (``.toml`` or ``.json``) and check it."""
    fmt = format_of(path)  # before reading: a wrong file type is the clearer message
    return loads(_read(path), fmt, source=str(path))


def dumps(record: Ledger | Lifecycle, format: Format = "toml") -> str:
    """A ledger (or lifecycle) as TOML or JSON text; the same record always gives the same
    text."""
    data = to_data(record)
    if format == "toml":
        return tomli_w.dumps(data)
    return _json_lines(data)


def _json_lines(data: dict[str, Any]) -> str:
    """JSON with one record a line: top-level keys, then each item of each list on its own
    line (so a changed pledge is a changed line), all through the C encoder."""

    def encode(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(encode(item) for item in value)
            lines.append(f"  {encode(key)}: [\n    {items}\n  ]")
        else:
            lines.append(f"  {encode(key)}: {encode(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def save(
    record: Ledger | Lifecycle, path: str | os.PathLike[str], format: Format | None = None
) -> None:
    """Write a ledger (or lifecycle) atomically: to a temporary file beside ``path``, then
    renamed over it, so a crash leaves the previous file whole."""
    target = Path(path)
    text = dumps(record, format or format_of(target))
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
