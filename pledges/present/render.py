"""Rendering tables and documents as text, Markdown, LaTeX, TSV, CSV or JSON, inert.

Every cell and line goes through the one cleaning step of :mod:`pledges.escape` for its
target. Terminal formats wrap long columns to a width and bound each cell
(:data:`MAX_CELL` characters), so no value can swamp the output; Markdown escapes every piece
of data; LaTeX cells are escaped by tabulate and titles by :func:`~pledges.escape.latex`; CSV
and TSV neutralise cells a spreadsheet would run as formulas; JSON has a stable shape with a
``pledges_json`` version key. Formats whose markup pledges does not escape (reStructuredText,
MediaWiki, AsciiDoc, Textile, Jira, Org, raw LaTeX and raw HTML) are not offered. HTML pages
come from the templates of :mod:`pledges.site`.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import tabulate as _tabulate
from tabulate import tabulate

from pledges import escape

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "KEEP",
    "LATEX_FORMATS",
    "MARKDOWN_FORMATS",
    "MAX_CELL",
    "TEXT_FORMATS",
    "Cell",
    "Document",
    "Entry",
    "Line",
    "Section",
    "Table",
    "csv_cell",
    "render",
    "render_document",
    "to_json",
]

TERMINAL_FORMATS: tuple[str, ...] = (
    "plain",
    "simple",
    "grid",
    "simple_grid",
    "rounded_grid",
    "heavy_grid",
    "mixed_grid",
    "double_grid",
    "fancy_grid",
    "outline",
    "simple_outline",
    "rounded_outline",
    "heavy_outline",
    "mixed_outline",
    "double_outline",
    "fancy_outline",
    "psql",
    "pretty",
    "presto",
)
MARKDOWN_FORMATS: tuple[str, ...] = ("github", "pipe")
LATEX_FORMATS: tuple[str, ...] = ("latex", "latex_booktabs", "latex_longtable")
TEXT_FORMATS: tuple[str, ...] = (*TERMINAL_FORMATS, *MARKDOWN_FORMATS, *LATEX_FORMATS, "tsv")
"""The text formats: terminal tables, Markdown, LaTeX and TSV."""

FORMATS: tuple[str, ...] = (*TEXT_FORMATS, "html", "csv", "json")
"""Every format a report can be written in (``html`` by :mod:`pledges.site`)."""

JSON_VERSION = 1
"""The version of the JSON output's shape; it changes only when the shape does."""

MAX_CELL = 2_000
"""The most characters a cell shows in a terminal or Markdown table; the rest is cut, and
the cut says how much."""


KEEP = "\u00a0"
"""Joins the words of an item that a line of a document must not break inside (``new 23``
in a counts line); it is written as a plain space."""


Cell = str | int | float | None
"""What a table cell holds: text, or a number that stays a number in CSV and JSON."""


@attrs.frozen
class Table:
    """Rows of cells under headers. ``kind`` names the table in JSON output; ``wrap`` lists
    the columns that may be wrapped to fit a width; ``ids`` the columns of identifiers,
    which are never broken (in a terminal, one longer than a third of the width is
    shortened with an ellipsis); ``numbers`` says how a number column reads in text
    (``percent``: a fraction shown as a percentage; ``score``: signed); ``meta`` is extra
    JSON context. A row with a cell too many or too few, or a column both an id and
    wrapped, is refused (:class:`ValueError` naming the table)."""

    kind: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...] = attrs.field()
    wrap: tuple[int, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    ids: tuple[int, ...] = attrs.field(default=())
    numbers: tuple[tuple[int, str], ...] = ()

    @ids.validator
    def _ids_are_never_wrapped(self, _: object, ids: tuple[int, ...]) -> None:
        if set(ids) & set(self.wrap):
            raise ValueError(f"table {self.kind!r}: an id column is never wrapped")

    @rows.validator
    def _a_cell_for_each_header(self, _: object, rows: tuple[tuple[Cell, ...], ...]) -> None:
        for i, row in enumerate(rows):
            if len(row) != len(self.headers):
                raise ValueError(
                    f"table {self.kind!r}: row {i + 1} has {len(row)} "
                    f"cell{'s' * (len(row) != 1)} for {len(self.headers)} headers"
                )

    def records(self) -> list[dict[str, Cell]]:
        """The rows as records, a dict each keyed by the headers; numbers stay numbers."""
        return [dict(zip(self.headers, row, strict=True)) for row in self.rows]

    def to_frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame (see :mod:`pledges.frames`)."""
        from pledges.frames import records_frame

        return records_frame(self.records())

    def _repr_html_(self) -> str:
        """A notebook's view of the table, its numbers written as in text."""
        from pledges.present.notebook import table_html

        return table_html(self)

    def text_rows(self, precision: int = 1) -> list[list[str]]:
        """The rows as text: numbers written as a reader reads them (``54.8%``, ``+0.68``),
        nothing as empty."""
        kinds = dict(self.numbers)
        return [
            [_number(c, kinds.get(i), precision) for i, c in enumerate(row)] for row in self.rows
        ]


def _number(cell: Cell, kind: str | None, precision: int) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if kind == "percent":
        return f"{cell:.{precision}%}"
    if kind == "score":
        return f"{cell:+.2f}"
    return str(cell)


def _bounded(cell: str) -> str:
    if len(cell) <= MAX_CELL:
        return cell
    return f"{cell[:MAX_CELL]}… [{len(cell) - MAX_CELL:,} more characters]"


class _HyphenWrapper(textwrap.TextWrapper):
    """Breaks a word after any hyphen (textwrap's own rule wants letters round it)."""

    wordsep_re = re.compile(r"(\s+|[^\s-]+-+(?=[^\s-]))")


@functools.lru_cache(maxsize=256)
def _wrapper(width: int, break_on_hyphens: bool) -> _HyphenWrapper:
    return _HyphenWrapper(width, break_on_hyphens=break_on_hyphens)


def _wrap(cell: str, width: int) -> str:
    """Wrap each line of a cell to ``width``, keeping the breaks it already has; a word
    longer than the width is broken after a hyphen if it has one, else anywhere."""
    if cell.isprintable() and cell == cell.strip() and "  " not in cell:
        words = cell.split(" ")  # one line of words each a space apart, as most cells are
        if max(map(len, words)) <= width:
            return _greedy(words, width)
    return "\n".join(
        "\n".join(_wrapper(width, _longest_word(line) > width).wrap(line)) or line
        for line in cell.split("\n")
    )


def _greedy(words: list[str], width: int) -> str:
    """Words that each fit the width, filled greedily into lines as textwrap fills them."""
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _longest_word(text: str, split: str | None = None) -> int:
    """The length of the longest word; with ``split="-"``, of the longest hyphen-piece."""
    words = text.split()
    if split:
        words = [piece for word in words for piece in word.split(split)]
    return max(map(len, words), default=0) + (1 if split else 0)


def _longest_line(cell: str) -> int:
    return len(cell) if "\n" not in cell else max(map(len, cell.split("\n")))


def _header_lines(header: str, cells: list[str]) -> str:
    """A header too wide for a table that must fit, wrapped to the width its column's cells
    take (less tabulate's padding of headers), never breaking a word."""
    room = max(
        _longest_word(header), max(map(_longest_line, cells), default=0) - _tabulate.MIN_PADDING
    )
    return "\n".join(textwrap.wrap(header, room, break_on_hyphens=False))


def _fit(rows: list[list[str]], table: Table, width: int, fmt: str) -> list[list[str]]:
    """Wrap the wrappable columns so that rows fit ``width``: each column gets what it needs,
    the widest ones share what is left (water-filling). A column is not narrowed below its
    longest word, unless that word is longer than half the width."""
    if not table.wrap or not rows:
        return rows
    natural = [
        max(_longest_line(h) + _tabulate.MIN_PADDING, *(_longest_line(r[i]) for r in rows))
        for i, h in enumerate(table.headers)
    ]
    fixed = sum(natural[i] for i in range(len(natural)) if i not in table.wrap)
    left = max(12 * len(table.wrap), width - fixed - _rules(fmt, len(natural)))
    longest_word = max(12, width // 2)
    cells = {i: [table.headers[i], *(r[i] for r in rows)] for i in table.wrap}
    words = {i: min(longest_word, max(map(_longest_word, cells[i]))) for i in table.wrap}
    # Identifiers too long to keep whole: break the longest at hyphens, until they fit.
    for i in sorted(words, key=words.__getitem__, reverse=True):
        if sum(words.values()) <= left:
            break
        words[i] = min(words[i], max(_longest_word(c, "-") for c in cells[i]))
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


# Characters that make tabulate measure or split a cell in ways the quick layout below does
# not follow: line breaks other than "\n" (str.splitlines takes these) and escapes (ANSI).
_TABULATE_SPECIAL = re.compile("[\r\x0b\x0c\x1b\x1c\x1d\x1e\x85\u2028\u2029]")


def _columns(headers: Sequence[str], rows: list[list[str]], fmt: str) -> str | None:
    """The table as tabulate lays it out in the ``simple`` and ``plain`` formats (every
    cell text, left-aligned, stripped, padded to its column, lines right-stripped), five
    times faster; ``None`` where tabulate would do something else (wide-character mode,
    escapes, other line breaks, no rows), so that tabulate lays it out itself."""
    if fmt not in ("simple", "plain") or not rows or _tabulate.PRESERVE_WHITESPACE:
        return None
    if getattr(_tabulate, "wcwidth", None) is not None and _tabulate.WIDE_CHARS_MODE:
        return None
    text = "\t".join(headers) + "\t".join("\t".join(row) for row in rows)
    if _TABULATE_SPECIAL.search(text) or any("\n" in h for h in headers):
        return None
    multiline = "\n" in text
    columns = [[c.strip() for c in column] for column in zip(*rows, strict=True)]
    widths = [
        max(len(h) + 2, max(len(c) if "\n" not in c else _longest_line(c) for c in column))
        for h, column in zip(headers, columns, strict=True)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    if fmt == "simple":
        lines.append("  ".join("-" * w for w in widths))
    padded = [[_padded(c, w) for c in column] for column, w in zip(columns, widths, strict=True)]
    for row, cells in zip(zip(*padded, strict=True), zip(*columns, strict=True), strict=True):
        line = "  ".join(row)
        if "\n" not in line:
            if any(cells) or not multiline:  # a row of empty cells has no line in a
                lines.append(line.rstrip())  # table that has cells of several lines
            continue
        parts = [cell.split("\n") for cell in row]
        for i in range(max(map(len, parts))):
            lines.append(
                "  ".join(
                    part[i] if i < len(part) else " " * w
                    for part, w in zip(parts, widths, strict=True)
                ).rstrip()
            )
    return "\n".join(lines)


def _padded(cell: str, width: int) -> str:
    """A cell's lines each padded to the width (an empty cell is blank)."""
    if "\n" not in cell:
        return cell.ljust(width)
    return "\n".join(line.ljust(width) for line in cell.split("\n"))


def to_json(body: dict[str, Any]) -> str:
    """A JSON document, indented, with invisible characters escaped."""
    return escape.unicode_escapes(json.dumps(body, ensure_ascii=False, indent=2)) + "\n"


def csv_cell(cell: Cell) -> str:
    """A CSV or TSV cell: text guarded against formulas (:func:`~pledges.escape.
    spreadsheet_cell`), a number written as a number (``-0.5`` is a number, never a
    formula), nothing as empty."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return escape.spreadsheet_cell(cell)
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        raise TypeError(f"a table cell is text or a number, not {type(cell).__name__}")
    return str(cell)  # a float's str is its shortest repr


def _delimited(table: Table, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)  # lines end in \r\n (RFC 4180; the default)
    writer.writerow([escape.spreadsheet_cell(h) for h in table.headers])
    writer.writerows([csv_cell(c) for c in row] for row in table.rows)
    return out.getvalue()


def _shortened(table: Table, rows: list[list[str]], width: int, fmt: str) -> list[list[str]]:
    """Identifiers that leave the other columns too little room end in an ellipsis (never
    broken): each id column keeps what the others can spare, at least a third of the
    width."""
    if not table.ids or not rows:
        return rows
    needs = _needs(table, table.headers, rows)
    others = sum(n for i, n in enumerate(needs) if i not in table.ids)
    spare = (width - others - _rules(fmt, len(needs))) // len(table.ids)
    most = max(16, width // 3, spare)
    return [
        [c[: most - 1] + "…" if i in table.ids and len(c) > most else c for i, c in enumerate(r)]
        for r in rows
    ]


def _rules(fmt: str, columns: int) -> int:
    """The characters a table's rules and padding take on a line, beside its cells: two
    spaces between columns in ``plain`` and ``simple``, a space to each side of every cell and
    a rule between them in ``presto``, and a rule besides in the formats drawn with borders."""
    if fmt in ("plain", "simple"):
        return 2 * (columns - 1)
    if fmt == "presto":
        return 3 * columns - 1
    return 3 * columns + 1


_TITLE_ROOM = 24
"""The fewest characters a wrapped column (a title) is left in a terminal before the
identifiers beside it move onto lines of their own."""


def _needs(table: Table, headers: Sequence[str], rows: list[list[str]]) -> list[int]:
    """What each column needs: its longest line, or its longest word if it wraps (a header
    with tabulate's padding)."""
    return [
        max(
            [
                _longest_line(h) + _tabulate.MIN_PADDING,
                *((_longest_word if i in table.wrap else _longest_line)(r[i]) for r in rows),
            ]
        )
        for i, h in enumerate(headers)
    ]


def _ids_apart(
    table: Table, rows: list[list[str]], width: int, fmt: str
) -> tuple[Table, list[list[str]]]:
    """A table whose id column leaves its first wrapped column (a title) too little room,
    with each id moved onto a line of its own above the title (shortened with an ellipsis
    only if it is wider than the whole column); otherwise the table as it is."""
    if len(table.ids) != 1 or not table.wrap or not rows:
        return table, rows
    (column,) = table.ids
    title = table.wrap[0]
    needs = _needs(table, table.headers, rows)
    fixed = sum(n for i, n in enumerate(needs) if i not in table.wrap)
    wanted = sum(
        min(_TITLE_ROOM, max(_longest_line(c) for c in (table.headers[i], *(r[i] for r in rows))))
        for i in table.wrap
    )
    if width - fixed - _rules(fmt, len(needs)) >= wanted:
        return table, rows
    room = width - (fixed - needs[column]) - _rules(fmt, len(needs) - 1)
    room = max(_TITLE_ROOM, room // len(table.wrap))

    def shown(cell: str) -> str:
        return cell if len(cell) <= room else cell[: room - 1] + "…"

    merged = [
        [f"{shown(r[column])}\n{c}" if i == title else c for i, c in enumerate(r) if i != column]
        for r in rows
    ]
    headers = [
        f"{table.headers[column]} / {h}" if i == title else h
        for i, h in enumerate(table.headers)
        if i != column
    ]

    def moved(i: int) -> int:
        return i - 1 if i > column else i

    apart = attrs.evolve(
        table,
        headers=tuple(headers),
        rows=(),
        wrap=tuple(moved(i) for i in table.wrap),
        ids=(),
    )
    return apart, merged


def render(table: Table, fmt: str = "simple", *, width: int | None = 80, precision: int = 1) -> str:
    """The table as text in ``fmt`` (one of :data:`FORMATS` but ``html``). In terminal
    formats, wrappable columns are wrapped so that rows fit ``width`` (``None``: no
    wrapping) and long identifiers are shortened; percentages show ``precision`` decimals.
    CSV and JSON keep numbers as numbers."""
    if fmt == "json":
        body: dict[str, Any] = {"pledges_json": JSON_VERSION, "kind": table.kind}
        body.update(dict(table.meta))
        body["rows"] = table.records()
        return to_json(body)
    if fmt in ("csv", "tsv"):
        return _delimited(table, "," if fmt == "csv" else "\t")
    if fmt not in TEXT_FORMATS:
        raise ValueError(
            f"unknown format {fmt!r}; choose one of {', '.join(TEXT_FORMATS)}, csv, json"
        )
    rows = [[_bounded(c) for c in r] for r in table.text_rows(precision)]
    headers: Sequence[str] = table.headers
    if fmt in MARKDOWN_FORMATS:
        rows = [[escape.markdown(c).replace("\n", "<br>") for c in r] for r in rows]
        headers = [escape.markdown(h) for h in headers]
    elif fmt in LATEX_FORMATS:  # tabulate escapes LaTeX in these formats
        rows = [[escape.terminal(c).replace("\n", "; ") for c in r] for r in rows]
    else:
        rows = [[escape.terminal(c) for c in r] for r in rows]
        if width is not None:
            table, rows = _ids_apart(table, rows, width, fmt)
            rows = _fit(_shortened(table, rows, width, fmt), table, width, fmt)
            headers = table.headers
            if sum(_needs(table, headers, rows)) + _rules(fmt, len(headers)) > width:
                headers = [_header_lines(h, [r[i] for r in rows]) for i, h in enumerate(headers)]
        quick = _columns(headers, rows, fmt)
        if quick is not None:
            return quick + "\n"
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True) + "\n"


@attrs.frozen
class Line:
    """One line of an entry: text (wrapped to the width, under a hanging indent), or a web
    address (``url``: on a line of its own, never broken, so that it can be followed)."""

    text: str
    indent: int = 1
    url: bool = False


@attrs.frozen
class Entry:
    """A block for one thing (a pledge, an update): a heading and its lines."""

    heading: str
    lines: tuple[Line, ...] = ()


@attrs.frozen
class Section:
    """A part of a document under a heading: a table, entries, or lines of text; ``empty``
    is what it says when it holds nothing (no empty table is printed)."""

    heading: str
    table: Table | None = None
    entries: tuple[Entry, ...] = ()
    lines: tuple[str, ...] = ()
    empty: str = "None."

    @property
    def is_empty(self) -> bool:
        """True when the section holds no row, entry or line."""
        return (
            not (self.table is not None and self.table.rows)
            and not self.entries
            and not (self.lines)
        )


@attrs.frozen
class Document:
    """A report for people, in a neutral model every renderer reads: a title, lines of
    context, and sections (tables, entries, lines).

    ``flat`` is the one table CSV output gives; ``data`` is the JSON body (its
    ``pledges_json`` version and ``kind`` are added); ``mermaid`` a diagram for Markdown.
    """

    kind: str
    title: str
    lines: tuple[str, ...]
    sections: tuple[Section, ...]
    flat: Table
    data: dict[str, Any] = attrs.field(factory=dict, hash=False)
    mermaid: str = ""


def _wrapped(text: str, width: int | None, first: str, rest: str) -> list[str]:
    """Lines of at most ``width``: words kept whole (an identifier is never broken), but
    for a word wider than a line."""
    return textwrap.wrap(
        escape.terminal(text),
        width or 10**6,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,  # a word is broken only when it is wider than the line
    ) or [first.rstrip()]


def _text_entry(entry: Entry, width: int | None) -> list[str]:
    out = _wrapped(entry.heading, width, "", "  ")
    for line in entry.lines:
        pad = "  " * line.indent
        if line.url:
            out.append(pad + escape.terminal(line.text))
        else:
            out += _wrapped(line.text, width, pad, pad + "  ")
    return out


def _markdown_entry(entry: Entry) -> list[str]:
    out = [f"### {escape.markdown(entry.heading)}", ""]
    for line in entry.lines:
        pad = "  " * (line.indent - 1)
        if line.url and escape.is_plain_address(line.text):
            out.append(f"{pad}- <{line.text}>")
        else:
            out.append(f"{pad}- {escape.markdown(line.text).replace(chr(10), ' ')}")
    return [*out, ""]


def render_document(
    doc: Document, fmt: str = "simple", *, width: int | None = 80, precision: int = 1
) -> str:
    """The document in ``fmt`` (one of :data:`FORMATS` but ``html``, which the site's
    templates write): JSON, CSV (its flat table), Markdown (with a Mermaid diagram), LaTeX,
    or text fitted to ``width``. Every text ends with a line break."""
    if fmt == "json":
        return to_json({"pledges_json": JSON_VERSION, "kind": doc.kind, **doc.data})
    if fmt in ("csv", "tsv"):
        return render(doc.flat, fmt)
    if fmt == "html":
        raise ValueError(
            "HTML documents come from the site's templates: use pledges.site.document_page "
            "(or diff_page, status_page), or `--format html` on the command line"
        )
    if fmt not in TEXT_FORMATS:
        raise ValueError(
            f"unknown format {fmt!r}; choose one of {', '.join(TEXT_FORMATS)}, csv, json"
        )
    out: list[str] = []
    lines = [line.replace(KEEP, " ") for line in doc.lines]
    if fmt in MARKDOWN_FORMATS:
        out += [f"# {escape.markdown(doc.title)}", ""]
        out += [f"{escape.markdown(line)}  " for line in lines]
        for section in doc.sections:
            out += ["", f"## {escape.markdown(section.heading)}", ""]
            if section.is_empty:
                out.append(escape.markdown(section.empty))
            out += [escape.markdown(line) + "  " for line in section.lines]
            if section.table is not None and section.table.rows:
                out.append(render(section.table, fmt, precision=precision))
            for entry in section.entries:
                out += _markdown_entry(entry)
        if doc.mermaid:
            out += ["", "```mermaid", doc.mermaid, "```"]
        return "\n".join(out).rstrip("\n") + "\n"
    if fmt in LATEX_FORMATS:
        out += [f"\\section*{{{escape.latex(doc.title)}}}", ""]
        out += [f"{escape.latex(line)}\\\\" for line in lines]
        for section in doc.sections:
            out += ["", f"\\subsection*{{{escape.latex(section.heading)}}}"]
            if section.is_empty:
                out.append(escape.latex(section.empty))
            out += [f"{escape.latex(line)}\\\\" for line in section.lines]
            if section.table is not None and section.table.rows:
                out.append(render(section.table, fmt, precision=precision))
            for entry in section.entries:
                out.append(f"\\paragraph{{{escape.latex(entry.heading)}}}")
                out += [f"{escape.latex(line.text)}\\\\" for line in entry.lines]
        return "\n".join(out).rstrip("\n") + "\n"
    for line in (doc.title, *doc.lines):  # wrapped between items (an item's words: KEEP)
        wrapped = textwrap.wrap(escape.terminal(line), width or 10**6, subsequent_indent="  ")
        out += [part.replace(KEEP, " ") for part in wrapped] or [""]
    for section in doc.sections:
        out += ["", *_wrapped(section.heading, width, "", "  ")]
        if section.is_empty:
            out += _wrapped(section.empty, width, "", "  ")
        for line in section.lines:
            out += _wrapped(line, width, "", "  ")
        if section.table is not None and section.table.rows:
            out.append(render(section.table, fmt, width=width, precision=precision).rstrip("\n"))
        for entry in section.entries:
            out += ["", *_text_entry(entry, width)]
    return "\n".join(out) + "\n"
