"""Making data inert for each place it is written: one function per target.

Data in a ledger can hold anything: ANSI escape sequences, control characters, bidirectional
overrides that make text lie about itself ("Invoice \u202egpj.exe"), Markdown or LaTeX that
would come alive, spreadsheet formulas. Every output of pledges goes through exactly one of
these steps (HTML goes through the template engine's autoescaping, with :func:`terminal` as
its finalizer):

- :func:`terminal` for text shown to people: escape sequences and control characters are
  dropped (but tab and line breaks), bidirectional controls become visible ``[U+202E]``;
- :func:`unicode_escapes` for JSON and TOML: the same characters written as ``\\u202e``, which
  loses nothing and shows nothing;
- :func:`markdown` for Markdown text and table cells, checked with Python-Markdown (the
  engine MkDocs uses) by the tests;
- :func:`latex` for LaTeX;
- :func:`spreadsheet_cell` for CSV and TSV.
"""

from __future__ import annotations

import re

__all__ = [
    "BIDI_CONTROLS",
    "is_plain_address",
    "latex",
    "markdown",
    "spreadsheet_cell",
    "terminal",
    "unicode_escapes",
]

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Embeddings, overrides and isolates: the characters that reorder text on screen."""

# An ANSI/VT escape sequence (CSI, OSC, or a two-character escape), then lone controls: C0
# but tab and line feed, DEL, C1. A carriage return is kept only before a line feed.
_SEQUENCE = (
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])?|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROL = re.compile(_SEQUENCE + r"|\r(?!\n)|[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_INVISIBLE = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")


def terminal(text: str) -> str:
    """Text safe to show on a terminal: escape sequences and control characters dropped
    (tab, line feed and a carriage return before a line feed stay), bidirectional controls
    shown as ``[U+202E]``.

    >>> terminal("\\x1b[31mred\\x1b[0m \\u202egpj.exe")
    'red [U+202E]gpj.exe'
    """
    if text.isascii() and text.isprintable():
        return text  # nothing to clean: the common case, checked in C
    cleaned = _CONTROL.sub("", text)
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", cleaned)


def unicode_escapes(text: str) -> str:
    """JSON or TOML text with DEL, C1 controls, line and paragraph separators and
    bidirectional controls written as ``\\uXXXX`` escapes. Both formats allow these
    characters only inside strings, where the escape means the same character, so the data
    is unchanged and nothing invisible reaches a screen."""
    if text.isascii() and "\x7f" not in text:
        return text  # none of them can be there: checked in C, without the expression
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "\\": "&#92;", "~": "&#126;"}
# Characters that start inline markup anywhere (entities where Python-Markdown, the engine
# MkDocs uses, has no backslash escape), then what starts a block at a line's start.
_MD_INLINE = re.compile(r"[&<>|\\~`*_\[\]!]")
_MD_BLOCK = re.compile(r"^[ \t]+|^[#+=:-]|^[0-9]+(?=[.)](?:[ \t]|$))", re.M)  # 1. or 1) a list


def _md_inline(match: re.Match[str]) -> str:
    found = match.group()
    return _MD_ENTITIES.get(found) or "\\" + found


def _md_block(match: re.Match[str]) -> str:
    found = match.group()
    if found.isspace():  # leading spaces would make a code block
        return "&#32;" * len(found)
    if found.isdigit():  # "1." at a line's start would start a list
        return found[:-1] + f"&#{ord(found[-1])};"
    return f"&#{ord(found)};"


def markdown(text: str) -> str:
    """Markdown that shows ``text`` as written: HTML, links, images, emphasis, code,
    headings, lists and quotes are escaped; ``|`` and ``\\`` become entities, so that no cell
    of a table can be split and no escape undone. Line breaks stay, as line feeds (a table
    cell replaces them itself).

    >>> markdown("[x](javascript:alert(1)) <img src=x onerror=y> a|b")
    '\\\\[x\\\\](javascript:alert(1)) &lt;img src=x onerror=y&gt; a&#124;b'
    """
    lines = terminal(text).replace("\r\n", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _MD_BLOCK.sub(_md_block, _MD_INLINE.sub(_md_inline, lines))


_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
}
_LATEX_SPECIAL = re.compile(r"[\\{}$&#^_%~]")


def latex(text: str) -> str:
    r"""LaTeX that typesets ``text`` as written: every special character escaped, so that
    ``\input{/etc/passwd}`` prints as text.

    >>> latex(r"\input{x} 100% & $5")
    '\\textbackslash{}input\\{x\\} 100\\% \\& \\$5'
    """
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], terminal(text))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(cell: str) -> str:
    """A CSV or TSV cell a spreadsheet will not run as a formula: controls and bidirectional
    overrides cleaned as for :func:`terminal`, then a cell whose first character that is not
    white space (a spreadsheet skips blanks, line breaks, no-break and ideographic spaces) is
    ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a full-width form of them gets a
    ``'`` before it. The guard looks at the text as it is written, whole."""
    cleaned = terminal(cell)
    if cleaned.startswith(_FORMULA_START) or cleaned.lstrip().startswith(_FORMULA_START):
        return "'" + cleaned
    return cleaned


_PLAIN_ADDRESS = re.compile(r"https?://[!#-;=?-\[\]_a-z~%]+", re.ASCII)


def is_plain_address(text: str) -> bool:
    """An ``http(s)`` address of printable ASCII with no space, quote, angle bracket,
    backslash or backtick: one that can be written as a Markdown autolink (``<...>``) and
    followed as it is."""
    return _PLAIN_ADDRESS.fullmatch(text) is not None
