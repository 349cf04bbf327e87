"""Changing a ledger file by one record, keeping the rest of its text (the curating
commands' engine: ``pledges add``, ``update``, ``link``, ``source add``, ``actor add``).

Each change is made through the ledger's own API first (``with_pledge``, ``with_update``,
...), so the whole ledger is checked and a refused change raises the error the API raises,
before anything is written. Then only the text the change needs is written:

- a file in the canonical layout (what :func:`~pledges.serialization.save` writes, and
  every JSON ledger) is written canonically again, which changes only the new record's lines;
- a TOML file laid out by hand keeps its comments, order and layout: the new record is
  placed into the parsed document (tomlkit), in the canonical style, and the result is read
  back and compared with the ledger the API gave before it may be written.

The write is atomic and keeps the file's mode (see :mod:`pledges._files`), and refuses to
replace a file that changed since it was read; :func:`locked` around the read and the
write makes a second writer wait instead (the commands hold it). A :class:`FileChange` can
also be shown as a unified diff without writing (``--dry-run``).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import tomli_w
import tomlkit
from tomlkit.items import AoT, Array, InlineTable, Table
from tomlkit.toml_document import TOMLDocument

from pledges._files import create_new, locked, write_atomic
from pledges._structure import CONVERTER
from pledges.errors import InvalidQuery, PledgesError
from pledges.escape import unicode_escapes
from pledges.ledger import Ledger
from pledges.model import Actor, Correction, Link, Occasion, Pledge, Source, Update
from pledges.serialization import dumps, format_of, loads, read

__all__ = [
    "FileChange",
    "add_actor",
    "add_correction",
    "add_link",
    "add_occasion",
    "add_pledge",
    "add_source",
    "add_update",
    "init",
    "locked",
]

_BOM = "\ufeff"


@attrs.frozen
class FileChange:
    """One change to a ledger file, not yet written: the file's text before and after, and
    the (checked) ledger it holds after."""

    path: Path
    before: str
    after: str
    ledger: Ledger

    def diff(self) -> str:
        """The change as a unified diff (empty when nothing changes). A change replaces one
        stretch of lines, found in linear time from both ends, and only that stretch and
        its context are compared."""
        old, new = self.before.splitlines(keepends=True), self.after.splitlines(keepends=True)
        head, old_end, new_end = _changed(old, new)
        if head == old_end == new_end:
            return ""
        start = max(0, head - 3)
        name = self.path.as_posix().lstrip("/")
        lines = difflib.unified_diff(
            old[start : old_end + 3], new[start : new_end + 3], f"a/{name}", f"b/{name}"
        )
        text = "".join(lines)
        return re.sub(  # the hunk's line numbers, counted from the file's first line
            r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@",
            lambda m: f"@@ -{int(m[1]) + start}{m[2] or ''} +{int(m[3]) + start}{m[4] or ''} @@",
            text,
            flags=re.M,
        )

    def write(self) -> None:
        """Write the file atomically, keeping its mode (and a symlink's target); refused,
        with nothing written, when the file has changed since it was read (another writer
        came first: hold :func:`locked` around reading and writing to wait for it instead)."""
        if read(self.path).decode("utf-8", "replace") != self.before:
            raise PledgesError(
                f"{self.path}: the file changed since it was read, so nothing was written; "
                "run the command again"
            )
        write_atomic(self.path, self.after.encode("utf-8"))


def _change(
    path: str | os.PathLike[str],
    apply: Callable[[Ledger], Ledger],
    place: Callable[[TOMLDocument, Ledger], str | None],
) -> FileChange:
    """Read ``path``, apply the change through the API, and lay it into the file's text.
    ``place`` edits the parsed document; when it also changes a value in place before it
    inserts a table, it returns the text as it stood between the two, so that the inserted
    table is found, and spaced, against that text."""
    path = Path(path)
    fmt = format_of(path)
    raw = read(path)
    old = loads(raw, fmt, source=str(path))
    new = apply(old)
    text = raw.decode("utf-8")
    bom = _BOM if text.startswith(_BOM) else ""
    text = text.removeprefix(_BOM)
    if fmt == "json" or text == dumps(old, fmt):
        return FileChange(path, bom + text, bom + dumps(new, fmt), new)
    try:
        document = tomlkit.parse(text)
        edited = place(document, old)
        laid = document.as_string()
        if text.endswith("\n") and not laid.endswith("\n"):
            laid += "\n"  # tomlkit ends a table it adds at the end of a file without one
        after = _spaced(edited or text, laid)
        placed = loads(after, fmt) == new  # a text that does not load is refused below
    except (PledgesError, tomlkit.exceptions.TOMLKitError, KeyError, IndexError, TypeError):
        placed = False
    if not placed:
        raise PledgesError(
            f"{path}: this change cannot be laid into the file's own layout, so nothing was "
            "written; `pledges export LEDGER --format toml --output LEDGER` rewrites it in the "
            "canonical layout, which takes every change"
        )
    return FileChange(path, bom + text, bom + after, new)


def _snippet(data: dict[str, Any], *keys: str | int) -> Any:
    """The canonical TOML of ``data`` (as :func:`~pledges.serialization.dumps` writes it),
    parsed, and the item found at ``keys``."""
    item: Any = tomlkit.parse(unicode_escapes(tomli_w.dumps(data)))
    for key in keys:
        item = item[key]
    return item


def _as_table(item: Table | InlineTable) -> Table:
    if isinstance(item, Table):
        return item
    table = tomlkit.table()
    for key, value in item.items():
        table.add(key, value)
    return table


def _append(container: Any, key: str, item: Table | InlineTable) -> None:
    """Append ``item`` to the array of tables (or inline array) under ``key``, made if it is
    missing."""
    if key not in container:
        container[key] = tomlkit.aot()
    target = container[key]
    if isinstance(target, Array):
        inline = tomlkit.inline_table()
        inline.update(item.unwrap())
        target.append(inline)
        return
    if not isinstance(target, AoT):
        raise TypeError(f"{key} is neither an array of tables nor an array")
    target.append(_as_table(item))


def _changed(old: list[str], new: list[str]) -> tuple[int, int, int]:
    """Where two texts differ, as one stretch: the lines they share at the start, and the
    end of the differing stretch in each (what follows it they share). Linear time."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, len(old) - tail, len(new) - tail


def _spaced(before: str, after: str) -> str:
    """``after`` with a blank line before and after the table the change inserted, as
    between the file's other tables (tomlkit places the table, not the blank lines). A
    change inserts one stretch of lines, found in linear time."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    head, old_end, new_end = _changed(old, new)
    block = new[head:new_end]
    if old_end != head or not block or not block[0].lstrip().startswith("["):
        return after  # not one inserted table: nothing to space
    out = new[:head]
    if out and out[-1].strip():
        out.append("\n")
    out += block
    following = new[new_end] if new_end < len(new) else ""
    if following.lstrip().startswith("[") and block[-1].strip():
        out.append("\n")
    return "".join(out + new[new_end:])


def _pledge_table(document: TOMLDocument, ledger: Ledger, pledge_id: str) -> Any:
    index = [p.id for p in ledger.pledges].index(pledge_id)
    return document["pledges"][index]


def _unstructured(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = CONVERTER.unstructure(record)
    return data


def _add_record(
    path: str | os.PathLike[str],
    field: str,
    record: Pledge | Source | Actor | Occasion,
    add: Callable[[Ledger], Ledger],
    advice: str,
) -> FileChange:
    """A new top-level record at the end of its array (``field``), refused with ``advice``
    when its id is taken."""

    def apply(ledger: Ledger) -> Ledger:
        if record.id in {r.id for r in getattr(ledger, field)}:
            kind = type(record).__name__.lower()
            raise InvalidQuery(f"{kind} {record.id!r} is in the ledger already ({advice})")
        return add(ledger)

    def place(document: TOMLDocument, ledger: Ledger) -> None:
        _append(document, field, _snippet({field: [_unstructured(record)]}, field, 0))

    return _change(path, apply, place)


def add_pledge(path: str | os.PathLike[str], pledge: Pledge) -> FileChange:
    """A new pledge at the end of the ledger."""
    advice = "pledges update adds a step to it"
    return _add_record(path, "pledges", pledge, lambda led: led.with_pledge(pledge), advice)


def add_update(path: str | os.PathLike[str], pledge_id: str, update: Update) -> FileChange:
    """A new step at the end of a pledge's history (checked against its lifecycle)."""

    def place(document: TOMLDocument, ledger: Ledger) -> None:
        data = {"pledges": [{"history": [_unstructured(update)]}]}
        item = _snippet(data, "pledges", 0, "history", 0)
        _append(_pledge_table(document, ledger, pledge_id), "history", item)

    return _change(path, lambda ledger: ledger.with_update(pledge_id, update), place)


def add_link(path: str | os.PathLike[str], pledge_id: str, link: Link) -> FileChange:
    """A new link from a pledge to another (refused if it points forward in time, nowhere,
    or closes a cycle)."""

    def place(document: TOMLDocument, ledger: Ledger) -> None:
        table = _pledge_table(document, ledger, pledge_id)
        data = _unstructured(link)
        if "links" in table:
            table["links"].append(_snippet({"links": [data]}, "links", 0))
        else:
            table["links"] = _snippet({"links": [data]}, "links")

    return _change(path, lambda ledger: ledger.with_link(pledge_id, link), place)


def add_source(path: str | os.PathLike[str], source: Source) -> FileChange:
    """A new source at the end of the ledger's sources."""
    return _add_record(
        path, "sources", source, lambda led: led.with_source(source), "choose another id"
    )


def add_occasion(path: str | os.PathLike[str], occasion: Occasion) -> FileChange:
    """A new occasion at the end of the ledger's occasions."""
    return _add_record(
        path, "occasions", occasion, lambda led: led.with_occasion(occasion), "choose another id"
    )


def init(path: str | os.PathLike[str], title: str, description: str | None = None) -> Ledger:
    """Start a ledger file with nothing in it but its title (and description); never
    replaces a file (:class:`~pledges._files.FileError` if the name is taken)."""
    ledger = Ledger(title, description=description)
    create_new(path, dumps(ledger, format_of(path)).encode("utf-8"))
    return ledger


def add_actor(path: str | os.PathLike[str], actor: Actor) -> FileChange:
    """A new actor at the end of the ledger's actors (its names and aliases may not be
    another actor's)."""
    return _add_record(
        path, "actors", actor, lambda led: led.with_actor(actor), "choose another id"
    )


def add_correction(
    path: str | os.PathLike[str], correction: Correction, status: str | None = None
) -> FileChange:
    """A correction at the end of the ledger's corrections; with ``status``, the update it
    names is given that status in the same change (see :meth:`Ledger.with_correction`)."""
    recorded: list[Correction] = []

    def apply(ledger: Ledger) -> Ledger:
        changed = ledger.with_correction(correction, status)
        recorded.append(changed.corrections[-1])
        return changed

    def place(document: TOMLDocument, ledger: Ledger) -> str | None:
        edited = None
        if status is not None:
            pledge = ledger.pledge(correction.pledge)
            index = pledge.update_on(correction.update)
            _pledge_table(document, ledger, pledge.id)["history"][index]["status"] = status
            edited = document.as_string()
        data = {"corrections": [_unstructured(recorded[-1])]}
        _append(document, "corrections", _snippet(data, "corrections", 0))
        return edited

    return _change(path, apply, place)
