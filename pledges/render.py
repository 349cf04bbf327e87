"""Rendering tables and documents as text, markdown, HTML, LaTeX, CSV or JSON, safely.

Text formats wrap long columns to a width and strip control characters and escape sequences
that came with the data; markdown escapes pipes and line breaks; HTML escapes every piece of
data and is a complete page; CSV neutralises cells a spreadsheet would run as formulas; JSON
has a stable shape with a ``pledges_json`` version key.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import textwrap
from collections.abc import Sequence
from typing import Any

import attrs
from tabulate import tabulate, tabulate_formats

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "TEXT_FORMATS",
    "Document",
    "Table",
    "clean_text",
    "render",
    "render_document",
]

TEXT_FORMATS: tuple[str, ...] = tuple(sorted(tabulate_formats))
"""The text formats tabulate offers (plain, simple, github, grid, html, latex, ...)."""

FORMATS: tuple[str, ...] = (*TEXT_FORMATS, "csv", "json")
"""Every format :func:`render` accepts."""

JSON_VERSION = 1
"""The version of the JSON output's shape; it changes only when the shape does."""

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@attrs.frozen
class Table:
    """Rows of text under headers. ``kind`` names the table in JSON output; ``wrap`` lists
    the columns that may be wrapped to fit a width; ``meta`` is extra JSON context."""

    kind: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    wrap: tuple[int, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()


def clean_text(text: str) -> str:
    """Strip ANSI escape sequences and control characters (but newlines and tabs)."""
    return _CONTROL.sub("", text)


def _neutralise(cell: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _wrap(cell: str, width: int) -> str:
    """Wrap each line of a cell to ``width``, keeping the breaks it already has."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))
        or line
        for line in cell.split("\n")
    )


def _longest_line(cell: str) -> int:
    return max((len(line) for line in cell.split("\n")), default=0)


def _fit(rows: list[list[str]], table: Table, width: int) -> list[list[str]]:
    """Wrap the wrappable columns so that rows fit ``width``: each column gets what it needs,
    the widest ones share what is left (water-filling)."""
    if not table.wrap or not rows:
        return rows
    natural = [
        max(_longest_line(h), *(_longest_line(r[i]) for r in rows))
        for i, h in enumerate(table.headers)
    ]
    fixed = sum(natural[i] for i in range(len(natural)) if i not in table.wrap)
    left = max(12 * len(table.wrap), width - fixed - 3 * len(natural))
    # A column never gets less than its longest word: words are not broken.
    words = {
        i: max(len(w) for r in [table.headers, *rows] for w in r[i].split() or [""])
        for i in table.wrap
    }
    room: dict[int, int] = {}
    pending = sorted(table.wrap, key=lambda i: natural[i])
    while pending:
        share = left // len(pending)
        column = pending.pop(0)
        room[column] = max(words[column], min(natural[column], share))
        left -= room[column]
    # Where long words took more than was left, take it back from columns with slack.
    for column in sorted(room, key=lambda i: words[i] - room[i]):
        if left >= 0:
            break
        give = min(-left, room[column] - words[column])
        room[column] -= give
        left += give
    return [[_wrap(c, room[i]) if i in room else c for i, c in enumerate(r)] for r in rows]


_MARKDOWN = {"github", "pipe"}
_HTML = {"html", "unsafehtml"}


def _markdown_cell(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def render(table: Table, fmt: str = "simple", *, width: int | None = 80) -> str:
    """The table as text in ``fmt``: a tabulate format, ``csv`` or ``json``. In text formats,
    wrappable columns are wrapped so that rows fit ``width`` (``None``: no wrapping)."""
    if fmt == "json":
        body: dict[str, Any] = {"pledges_json": JSON_VERSION, "kind": table.kind}
        body.update(dict(table.meta))
        body["rows"] = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; \r and \n both get quoted
        writer.writerow(table.headers)
        writer.writerows([_neutralise(c) for c in row] for row in table.rows)
        return out.getvalue()
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows = [[clean_text(c) for c in r] for r in table.rows]
    headers: Sequence[str] = table.headers
    if fmt in _MARKDOWN:
        rows = [[_markdown_cell(c) for c in r] for r in rows]
        headers = [_markdown_cell(h) for h in headers]
    elif fmt in _HTML:
        rows = [[html.escape(c).replace("\n", "<br>") for c in r] for r in rows]
        headers = [html.escape(h) for h in headers]
        fmt = "unsafehtml"  # cells escaped just above, line breaks kept as <br>
    elif fmt.startswith("latex") or fmt == "tsv":
        rows = [[c.replace("\n", "; ") for c in r] for r in rows]  # no line breaks in a cell
    elif width is not None:
        rows = _fit(rows, table, width)
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True) + "\n"


@attrs.frozen
class Document:
    """A report for people: a title, lines of context, and tables under headings.

    ``flat`` is the one table CSV output gives; ``data`` is the JSON body (its
    ``pledges_json`` version and ``kind`` are added); ``mermaid`` a diagram for markdown.
    """

    kind: str
    title: str
    lines: tuple[str, ...]
    sections: tuple[tuple[str, Table], ...]
    flat: Table
    data: dict[str, Any] = attrs.field(factory=dict, hash=False)
    mermaid: str = ""


def render_document(doc: Document, fmt: str = "simple", *, width: int | None = 80) -> str:
    """The document in ``fmt``: JSON, CSV (its flat table), a complete HTML page, markdown
    (with a Mermaid diagram) or plain text with tables."""
    if fmt == "json":
        body: dict[str, Any] = {"pledges_json": JSON_VERSION, "kind": doc.kind}
        body.update(doc.data)
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return render(doc.flat, "csv")
    if fmt in _HTML:
        parts = [f"<h1>{html.escape(doc.title)}</h1>"]
        parts += [f"<p>{html.escape(clean_text(line))}</p>" for line in doc.lines]
        for heading, table in doc.sections:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
            parts.append(render(table, fmt))
        return _PAGE.format(title=html.escape(doc.title), body="\n".join(parts))
    out: list[str] = []
    if fmt in _MARKDOWN:
        out += [f"# {_markdown_cell(doc.title)}", ""]
        out += [f"{_markdown_cell(clean_text(line))}  " for line in doc.lines]
        for heading, table in doc.sections:
            out += ["", f"## {_markdown_cell(heading)}", "", render(table, fmt)]
        if doc.mermaid:
            out += ["", "```mermaid", doc.mermaid, "```", ""]
        return "\n".join(out)
    out.append(clean_text(doc.title))
    for line in doc.lines:
        out += textwrap.wrap(clean_text(line), width or 10**6, subsequent_indent="  ") or [""]
    for heading, table in doc.sections:
        out += ["", heading, render(table, fmt, width=width)]
    return "\n".join(out)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
table {{ border-collapse: collapse; margin-bottom: 2rem; }}
th, td {{ border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""
