"""The fast way in and out (private): every speed trick of loading and saving a ledger, in
one place.

:func:`load_fast` turns a file's text into a checked ledger several times faster than the
full path of :mod:`pledges.serialization`, and with a lower memory peak. It runs every check
the full path runs, but it does not say where a problem is: on the first surprise it raises
:class:`Fallback`, and the caller takes the full path, which builds the same ledger or
locates every problem. The tricks, each explained once:

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
   its structuring code): it checks the keys, converts each value, checks it with the
   field's own predicate from :mod:`pledges._fields` (one home for each rule), makes the
   object without running ``__init__`` again, and runs the few validators that look at
   more than one field (:mod:`~pledges._fast.records`).
4. **Dates are parsed once per text** (a cache: ledgers repeat the same dates), and ids are
   interned, which also shrinks the loaded ledger.
5. **Saving uses writers generated per record type** the same way: :func:`plain_records`
   gives what the converter's unstructuring gives, without its generic dispatch, and
   :func:`json_texts` gives each record's JSON text directly, as ``json.dumps`` of its
   plain data would, without making the plain data first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pledges._fast.gc import paused_gc
from pledges._fast.json_lines import read_json_lines
from pledges._fast.records import RECORD_OF, Fallback, builder, json_texts, plain_records
from pledges._fast.toml_lines import read_toml_lines
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle

__all__ = ["Fallback", "json_texts", "load_fast", "paused_gc", "plain_records"]


def _plain(value: Any) -> Any:
    """The reader's lists as plain lists."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _ledger(document: dict[str, Any]) -> Ledger:
    """A ledger from a document whose records are built: the rest built, then checked
    whole."""
    from pledges.serialization import CONVERTER, SCHEMA_VERSION

    if (
        document.get("schema_version") != SCHEMA_VERSION
        or document["schema_version"].__class__ is not int
    ):
        raise Fallback  # older files are migrated by the full path
    known = {"schema_version", "title", "description", "lifecycles", *RECORD_OF}
    if not known.issuperset(document):
        raise Fallback
    parts: dict[str, Any] = {}
    for key, cls in RECORD_OF.items():
        records = document.get(key, [])
        if not isinstance(records, list):
            raise Fallback
        build = builder(cls)  # records not built yet: those of an inline array
        parts[key] = tuple(build(r) if isinstance(r, dict) else r for r in records)
    title = document.get("title")
    description = document.get("description")
    if title.__class__ is not str or (description is not None and description.__class__ is not str):
        raise Fallback
    lifecycles = _plain(document.get("lifecycles", []))
    try:
        built = tuple(CONVERTER.structure(lifecycles, tuple[Lifecycle, ...]))
    except Exception:
        raise Fallback from None
    return Ledger(title, lifecycles=built, description=description, **parts)


def load_fast(lines: Iterable[str], format: str) -> Ledger:
    """The ledger of a canonical file's lines (without their line ends), checked whole
    (:class:`~pledges.errors.LedgerInvalid` when it breaks a rule across records);
    :class:`Fallback` for anything else."""
    with paused_gc():
        try:
            document = read_json_lines(iter(lines)) if format == "json" else read_toml_lines(lines)
        except Fallback:
            raise
        except Exception:  # a value the builders could not take: the full path says why
            raise Fallback from None
        return _ledger(document)
