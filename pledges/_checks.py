"""attrs validators and converters shared by the record classes (private)."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable
from typing import Any

import attrs

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")


_SEEN_IDS: set[str] = set()  # ids repeat (sources, statuses, actors): skip the regex for them
_SEEN_LIMIT = 65_536


def id_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An id: letters, digits and ``. _ : -``, starting with a letter or digit."""
    if value.__class__ is str and value in _SEEN_IDS:
        return
    if isinstance(value, str) and _ID.fullmatch(value) is not None:
        if len(_SEEN_IDS) < _SEEN_LIMIT:
            _SEEN_IDS.add(value)
        return
    raise ValueError(
        f"'{attribute.name}' must be an id: letters, digits and . _ : - "
        f"starting with a letter or digit (got {reprlib.repr(value)})"
    )


def id_texts(instance: Any, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    """Every item an id (see :func:`id_text`)."""
    for item in value:
        id_text(instance, attribute, item)


def non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Text with something in it besides white space."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'{attribute.name}' must be non-empty text (got {reprlib.repr(value)})")


def optional_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``None`` or non-empty text."""
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"'{attribute.name}' must be non-empty text (got {reprlib.repr(value)})")


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """A tuple of the items; a lone string is refused (it is almost always a mistake)."""
    if isinstance(value, str):
        raise TypeError(f"expected a sequence, got the string {reprlib.repr(value)}")
    return tuple(value)
