"""The fast way in and out (private): every speed trick of loading and saving a ledger, in
one place.

:func:`load_fast` turns a file's text into a checked ledger several times faster than the
full path of :mod:`pledges.serialization`, and with a lower memory peak. It runs every check
the full path runs, but it does not say where a problem is: on the first surprise it raises
:class:`Fallback` (or the error a record's own check raises), and the caller takes the full
path, which builds the same ledger or locates every problem. Nothing else is caught: a bug
here is an error, never a quiet slow path. ``PLEDGES_FAST=0`` turns the path off (the test
suite runs both ways). The tricks, each explained once:

1. **The garbage collector is paused** while a document is parsed and built
   (:func:`paused_gc`, in :mod:`~pledges._fast.gc`). Building hundreds of thousands of
   objects that all stay alive makes the collector walk the growing heap again and again
   for nothing.
2. **Canonical files are read record by record.** What :func:`~pledges.serialization.dumps`
   writes has a fixed shape: JSON with one record a line, TOML in ``tomli_w``'s layout. The
   JSON is parsed a line at a time and the TOML by a strict reader of that layout (the
   standard TOML parser is pure Python and the slowest step of all), and each record is
   built as soon as it is read, so that its plain dicts are freed at once (the readers are
   :mod:`~pledges._fast.json_lines` and :mod:`~pledges._fast.toml_lines`). Anything outside
   the layout falls back; the strict reader never accepts what the standard parser refuses.
3. **Each record type has a builder generated from its attrs fields** (as cattrs generates
   its structuring code, and registered in :mod:`linecache` as theirs are): it checks the
   keys, converts each value, checks it with the field's own rule object from
   :mod:`pledges._fields` (the one attrs calls as the validator: one home for each rule),
   makes the object without running ``__init__`` again, and runs the few validators that
   look at more than one field (:mod:`~pledges._fast.records`).
4. **Dates are parsed once per text** (a cache: ledgers repeat the same dates), and ids are
   interned, which also shrinks the loaded ledger.
5. **Saving uses writers generated per record type** the same way: :func:`plain_records`
   gives what the converter's unstructuring gives, without its generic dispatch, and
   :func:`json_texts` gives each record's JSON text directly, as ``json.dumps`` of its
   plain data would, without making the plain data first.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from pledges._fast.gc import paused_gc
from pledges._fast.json_lines import read_json_lines
from pledges._fast.records import RECORD_OF, Fallback, builder, json_texts, plain_records
from pledges._fast.toml_lines import read_toml_lines
from pledges._structure import SCHEMA_VERSION
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle

__all__ = ["Fallback", "enabled", "json_texts", "load_fast", "paused_gc", "plain_records"]

_TEXTS = ("title", "description", "license", "version", "method")
"""The ledger's own fields that are texts (``title`` the one required)."""

_TOP = frozenset({"schema_version", "lifecycles", "published", *_TEXTS, *RECORD_OF})


def enabled() -> bool:
    """Whether loads may take the fast path: yes, unless ``PLEDGES_FAST=0`` (for a run of
    the test suite, or a user who suspects it, on the plain path alone)."""
    return os.environ.get("PLEDGES_FAST") != "0"


def _ledger(document: dict[str, Any]) -> Ledger:
    """A ledger from a document whose records are built: the rest built, then checked
    whole."""
    version = document.get("schema_version")
    if version.__class__ is not int or version != SCHEMA_VERSION or not _TOP.issuperset(document):
        raise Fallback  # older files are migrated, and unknown keys located, by the full path
    parts: dict[str, Any] = {}
    for key, cls in RECORD_OF.items():
        records = document.get(key, [])
        if not isinstance(records, list):
            raise Fallback
        build = builder(cls)  # records not built yet: those of an inline array
        parts[key] = tuple(r if isinstance(r, cls) else build(r) for r in records)
    lifecycles = document.get("lifecycles", [])
    if not isinstance(lifecycles, list):
        raise Fallback
    built = tuple(map(Lifecycle.from_data, lifecycles))
    texts: dict[str, Any] = {key: document.get(key) for key in _TEXTS}  # None: default
    # The ledger's own checks refuse a text or date of the wrong type (a PledgesError).
    return Ledger(**texts, lifecycles=built, published=document.get("published"), **parts)


def load_fast(lines: Iterable[str], format: str) -> Ledger:
    """The ledger of a canonical file's lines (without their line ends), checked whole.

    Raises :class:`Fallback` for anything outside the canonical layout, and the
    :class:`~pledges.errors.PledgesError` a record's own checks raise; in both cases the
    full path reads the file again and locates every problem. Any other exception is a bug
    of this path, and is not hidden."""
    with paused_gc():
        document = read_json_lines(iter(lines)) if format == "json" else read_toml_lines(lines)
        return _ledger(document)
