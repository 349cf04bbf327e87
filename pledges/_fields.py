"""The field rules and converters every record uses (private).

Each rule lives here once, as a small frozen object (attrs' own habit for validators): a
:class:`Check` holds a predicate, what it expects in words and the type a value must have;
called as an attrs validator it raises :class:`~pledges.errors.InvalidField` (or
:class:`~pledges.errors.FieldTypeError`) naming the record, the field and the value. The
loader's generated builders (:mod:`pledges._fast`) read the same objects openly: they call
:meth:`Check.accepts` where attrs would call the validator, and skip a check whose
``implied_by`` type their own conversion already guarantees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar
from urllib.parse import urlsplit

import attrs

from pledges.errors import FieldTypeError, InvalidField

_E = TypeVar("_E", bound=Enum)
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*", re.ASCII)
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", re.ASCII)

ID_RULE = "an id (letters, digits and . _ : -, starting with a letter or digit)"
TEXT_RULE = "text with something visible in it"


def is_id(value: object) -> bool:
    """An id: ASCII letters, digits and ``. _ : -``, starting with a letter or digit."""
    return value.__class__ is str and _ID.fullmatch(value) is not None


def is_visible(value: object) -> bool:
    """Text with at least one character a reader can see (white space, control and format
    characters such as U+200B do not count), and no lone surrogate (it cannot be saved)."""
    if not isinstance(value, str):
        return False
    for char in value:
        if char.isprintable() and not char.isspace():
            break
    else:
        return False
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def is_web_address(value: object) -> bool:
    """An absolute ``http`` or ``https`` address with a host, free of spaces and controls."""
    if not isinstance(value, str) or not value.isprintable() or " " in value:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_relative_path(value: object) -> bool:
    """A relative path that stays where it is put: no ``..``, no absolute start, no NUL or
    other control character, ``/`` between parts."""
    if not isinstance(value, str) or not value or not value.isprintable():
        return False
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value):
        return False
    return all(part not in ("", ".", "..") for part in value.replace("\\", "/").split("/"))


def is_trimmed_text(value: object) -> bool:
    """Visible text with no white space at either end (topics, aliases)."""
    return isinstance(value, str) and is_visible(value) and value == value.strip()


def is_int(value: object) -> bool:
    """An integer that is not a bool."""
    return value.__class__ is int


def is_bool(value: object) -> bool:
    """``True`` or ``False``."""
    return value.__class__ is bool


def is_sha256(value: object) -> bool:
    """64 lower-case hexadecimal digits."""
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def is_language(value: object) -> bool:
    """A language tag such as ``en``, ``vi`` or ``pt-BR``."""
    return isinstance(value, str) and _LANGUAGE.fullmatch(value) is not None


def _name(instance: Any) -> str:
    return type(instance).__name__


def fail(instance: Any, field: str, value: Any, expected: str, of: type = str) -> None:
    """Raise the error for a value a field cannot hold: a :class:`FieldTypeError` when it is
    not even an ``of``."""
    wrong = FieldTypeError if not isinstance(value, of) or value.__class__ is bool else InvalidField
    raise wrong(_name(instance), field, value, expected)


@attrs.frozen(repr=False)
class Check:
    """A field's rule as an attrs validator: ``predicate`` must hold of the value (``None``
    passes too when ``optional``); a failure names ``expected`` and is a type error when the
    value is not even an ``of``. ``implied_by`` names the type whose every value passes (a
    check the loader's own conversion makes)."""

    predicate: Callable[[object], bool]
    expected: str
    of: type = str
    optional: bool = False
    implied_by: Any = None

    def accepts(self, value: object) -> bool:
        """True when the value keeps the rule."""
        return (self.optional and value is None) or self.predicate(value)

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not self.accepts(value):
            fail(instance, attribute.name, value, self.expected, self.of)

    def __repr__(self) -> str:
        return f"<check: {'nothing or ' * self.optional}{self.expected}>"

    def or_none(self) -> Check:
        """The same rule, with ``None`` allowed."""
        return attrs.evolve(self, optional=True)


@attrs.frozen(repr=False)
class Each:
    """A tuple (not a string), every item of which ``item`` accepts."""

    item: Check
    implied_by: Any = None

    def accepts(self, value: object) -> bool:
        """True when the value is a tuple of accepted items."""
        return isinstance(value, tuple) and all(map(self.item.accepts, value))

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            raise FieldTypeError(
                _name(instance), attribute.name, value, "a sequence (not a string)"
            )
        for element in value:
            self.item(instance, attribute, element)

    def __repr__(self) -> str:
        return f"<each: {self.item.expected}>"


def checked(predicate: Callable[[object], bool], expected: str, of: type = str) -> Check:
    """A rule from a predicate: the value must satisfy it (and be an ``of``)."""
    return Check(predicate, expected, of)


def each(predicate: Callable[[object], bool], expected: str) -> Each:
    """A tuple, every item of which satisfies ``predicate``."""
    return Each(Check(predicate, f"a tuple of {expected}"))


def optional(check: Check) -> Check:
    """``None``, or a value ``check`` accepts."""
    return check.or_none()


@attrs.frozen(repr=False)
class _IsInstance:
    types: tuple[type, ...]

    def __call__(self, value: object) -> bool:
        return isinstance(value, self.types)


def instance_of(*types: type) -> Check:
    """The value is an instance of one of ``types``."""
    expected = " or ".join(f"a {t.__name__}" for t in types)
    return Check(
        _IsInstance(types), expected, types[0], implied_by=types[0] if len(types) == 1 else None
    )


def tuple_of(item: type) -> Each:
    """A tuple of ``item`` instances."""
    check = Check(_IsInstance((item,)), f"a tuple of {item.__name__}", item, implied_by=item)
    return Each(check, implied_by=tuple[item, ...])  # type: ignore[valid-type]


identifier = checked(is_id, ID_RULE)
text = checked(is_visible, TEXT_RULE)
optional_text = text.or_none()
optional_id = identifier.or_none()
identifiers = each(is_id, "ids")
trimmed_texts = each(is_trimmed_text, "trimmed text")
integer = checked(is_int, "an integer", of=int)
optional_integer = integer.or_none()
boolean = checked(is_bool, "true or false", of=bool)


def to_tuple(value: Iterable[Any]) -> Any:
    """Converter: any sequence to a tuple. A string, bytes, a mapping or a non-iterable is
    passed on unchanged, for the field's validator to refuse (a lone string in place of a
    list is almost always a mistake)."""
    if isinstance(value, tuple | str | bytes | dict):
        return value
    try:
        return tuple(value)
    except TypeError:
        return value


def to_pairs(value: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> Any:
    """Converter: a mapping (or a sequence of pairs) to a tuple of ``(name, value)`` pairs, in
    order; files show such a field as a table."""
    if isinstance(value, Mapping):
        return tuple(value.items())
    converted = to_tuple(value)
    if not isinstance(converted, tuple):
        return converted
    return tuple(tuple(pair) if isinstance(pair, list) else pair for pair in converted)


def member(enum: type[_E], value: object) -> Any:
    """Converter of every enum field: the member of ``enum`` with this value, or the value
    unchanged (for :func:`member_of` to refuse)."""
    if value.__class__ is enum:
        return value
    try:
        return enum(value)
    except (ValueError, TypeError):
        return value


def member_of(enum: type[Enum]) -> Check:
    """The value is a member of ``enum``."""
    allowed = ", ".join(repr(m.value) for m in enum)
    return Check(_IsInstance((enum,)), f"one of {allowed}", implied_by=enum)
