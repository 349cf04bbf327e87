"""The field checks and converters every record uses (private).

Each rule lives here once, as a predicate (``is_id``, ``is_visible``, ...) that the loader's
fast path calls too, and as an attrs validator or converter that raises
:class:`~pledges.errors.InvalidField` (or :class:`~pledges.errors.FieldTypeError`) naming the
record, the field and the value, as attrs' own validators do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from types import GenericAlias
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


def _name(instance: Any) -> str:
    return type(instance).__name__


def fail(
    instance: Any, attribute: attrs.Attribute[Any], value: Any, expected: str, of: type = str
) -> None:
    """Raise the error for a value a field cannot hold: a :class:`FieldTypeError` when it is
    not even an ``of``."""
    wrong = FieldTypeError if not isinstance(value, of) or value.__class__ is bool else InvalidField
    raise wrong(_name(instance), attribute.name, value, expected)


def checked(predicate: Callable[[object], bool], expected: str, of: type = str) -> Validator:
    """A validator from a predicate: the value must satisfy it (and be an ``of``)."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not predicate(value):
            fail(instance, attribute, value, expected, of)

    validate.__doc__ = f"The value must be {expected}."
    return carrying(validate, predicate)


def carrying(
    validator: Validator, predicate: Callable[[object], bool], implied_by: object = None
) -> Validator:
    """The validator, carrying the predicate it applies as ``predicate``: the fast loader
    (:mod:`pledges._fast`) checks each value by the same rule without the cost of a
    validator call, and the validator stays the one that explains a failure. ``implied_by``
    names the type whose every value passes (a check the loader's own conversion makes)."""
    validator.predicate = predicate  # type: ignore[attr-defined]
    validator.implied_by = implied_by  # type: ignore[attr-defined]
    return validator


def optional(validator: Validator) -> Validator:
    """``None``, or a value the validator accepts."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    inner = getattr(validator, "predicate", None)
    if inner is None:
        return validate
    validate.optional = validator  # type: ignore[attr-defined]
    return carrying(
        validate,
        lambda value: value is None or inner(value),
        getattr(validator, "implied_by", None),
    )


def sequence(item: Validator) -> Validator:
    """A tuple, each item of which ``item`` accepts."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            raise FieldTypeError(
                _name(instance), attribute.name, value, "a sequence (not a string)"
            )
        for element in value:
            item(instance, attribute, element)

    inner = getattr(item, "predicate", None)
    if inner is None:
        return validate
    return carrying(validate, lambda value: isinstance(value, tuple) and all(map(inner, value)))


def each(predicate: Callable[[object], bool], expected: str) -> Validator:
    """A tuple, every item of which satisfies ``predicate``."""
    return sequence(checked(predicate, f"a tuple of {expected}"))


def is_trimmed_text(value: object) -> bool:
    """Visible text with no white space at either end (topics, aliases)."""
    return isinstance(value, str) and is_visible(value) and value == value.strip()


def is_int(value: object) -> bool:
    """An integer that is not a bool."""
    return value.__class__ is int


def is_sha256(value: object) -> bool:
    """64 lower-case hexadecimal digits."""
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def is_language(value: object) -> bool:
    """A language tag such as ``en``, ``vi`` or ``pt-BR``."""
    return isinstance(value, str) and _LANGUAGE.fullmatch(value) is not None


identifier = checked(is_id, ID_RULE)
text = checked(is_visible, TEXT_RULE)
optional_text = optional(text)
optional_id = optional(identifier)
identifiers = each(is_id, "ids")
trimmed_texts = each(is_trimmed_text, "trimmed text")
integer = checked(is_int, "an integer", of=int)
optional_integer = optional(integer)
boolean = checked(lambda v: v.__class__ is bool, "true or false", of=bool)


def instance_of(*types: type) -> Validator:
    """The value is an instance of one of ``types``."""
    expected = " or ".join(f"a {t.__name__}" for t in types)

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, types):
            raise FieldTypeError(_name(instance), attribute.name, value, expected)

    return carrying(
        validate, lambda value: isinstance(value, types), types[0] if len(types) == 1 else None
    )


def tuple_of(item: type) -> Validator:
    """A tuple of ``item`` instances."""
    expected = f"a tuple of {item.__name__}"

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, item):
            raise FieldTypeError(_name(instance), attribute.name, value, expected)

    validator = sequence(carrying(validate, lambda value: isinstance(value, item), item))
    validator.implied_by = GenericAlias(tuple, (item, ...))  # type: ignore[attr-defined]
    return validator


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
    """The member of ``enum`` with this value, or the value unchanged (for
    :func:`member_of` to refuse)."""
    if value.__class__ is enum:
        return value
    try:
        return enum(value)
    except (ValueError, TypeError):
        return value


def member_of(enum: type[Enum]) -> Validator:
    """The value is a member of ``enum``."""
    allowed = ", ".join(repr(m.value) for m in enum)

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value.__class__ is not enum:
            fail(instance, attribute, value, f"one of {allowed}")

    return carrying(validate, lambda value: value.__class__ is enum, enum)
