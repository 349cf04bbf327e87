"""Hostile input: text that tries to come alive in an output, and files that try to break
a loader.

- :data:`PAYLOADS` and :func:`hostile_texts`: script and event-handler HTML, ``javascript:``
  links in HTML and Markdown, Markdown and LaTeX that would run or include files, ANSI
  escape sequences, C0 and C1 controls, bidirectional overrides, spreadsheet formulas,
  template syntax.
- :func:`hostile_ledger` puts one payload in every text field of a valid ledger.
- :func:`hostile_documents`: ledger files (as bytes) with huge integers, lone surrogates,
  duplicate keys, link cycles, non-ASCII digits in dates, deep nesting, long dotted TOML
  keys, invisible titles, blank aliases, ``javascript:`` addresses, NUL bytes in paths:
  each wrong in one way, each to be refused with a located problem, never a crash.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from pledges.dates import PartialDate, Window
from pledges.ledger import Ledger
from pledges.lifecycle import Lifecycle, Status, StatusKind
from pledges.model import (
    Actor,
    Alternative,
    Confidence,
    Correction,
    Evidence,
    Link,
    LinkKind,
    Occasion,
    Pledge,
    Search,
    Source,
    Update,
    UpdateKind,
)

__all__ = ["PAYLOADS", "hostile_documents", "hostile_ledger", "hostile_texts"]

PAYLOADS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "x\\|Fulfilled",
    "| a | b |\n|---|---|",
    "# Heading\n- item\n> quote\n1. list",
    '--8<-- "/etc/passwd"',
    "`code` *em* _u_ ~~s~~ {{ 7*7 }} {% raw %}",
    "\\input{/etc/passwd} \\write18{rm -rf /} $x^2$ 100% & #",
    "\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "\x9b31mC1 CSI\x85NEL\x1b[2J",
    "Invoice \u202egpj.exe \u2066isolate\u2069",
    '=HYPERLINK("http://example.org","x")',
    "+1+1 @SUM(A1) -2 \t=1",
    "line\rover\u2028para\u2029",
    "nul\x00byte",
    "&amp; &lt;b&gt; &#x3C;",
)
"""Strings that try to come alive, each somewhere pledges writes."""


def hostile_texts() -> st.SearchStrategy[str]:
    """A payload, a payload inside ordinary text, or several payloads together."""
    payload = st.sampled_from(PAYLOADS)
    around = st.text(max_size=8)
    inside = st.tuples(around, payload, around).map("".join)
    several = st.lists(payload, min_size=2, max_size=4).map(" ".join)
    return payload | inside | several


def hostile_ledger(payload: str) -> Ledger:
    """A valid ledger with ``payload`` in every text field (titles, names, aliases, quotes,
    summaries, notes, topics, places, wordings, labels, extra fields)."""
    text = f"{payload} ·"  # something visible, whatever the payload is
    day = PartialDate.parse
    return Ledger(
        text,
        (
            Actor("a", f"{text} A", (f"{text.strip()} a1",), role=text),
            Actor("b", f"{text} B", role=text),
        ),
        (Source("src", text, text, "https://example.org/?q=<script>", day("2014"), note=text),),
        (
            Occasion("o1", text, day("2014-11-26"), place=text, participants=("a",), note=text),
            Occasion("o2", text, day("2025-05-11"), day("2025-05-12"), place=text),
        ),
        _hostile_pledges(text),
        (
            Lifecycle(
                "mine",
                text,
                (
                    Status("open", text, to=("kept",), description=text),
                    Status("kept", text, StatusKind.FULFILLED, 1, 2, final=True, description=text),
                ),
                initial="open",
                description=text,
            ),
        ),
        description=text,
        corrections=(
            Correction(day("2016"), "p1", text, text, text, day("2015"), "open", ("src",)),
        ),
        license=text,
        version=text,
        method=f"{text}\n\n{text}",
    )


def _hostile_pledges(text: str) -> tuple[Pledge, Pledge]:
    """Two pledges with ``text`` in every text field: one on its own lifecycle, moved, with
    every optional field; one renewing it."""
    ev = (Evidence("src", quote=text, summary=text, locator=text),)
    day = PartialDate.parse
    first = Pledge(
        "p1",
        text,
        text,
        ("a",),
        (
            Update(day("2014-11-26"), "open", UpdateKind.MADE, ev, note=text, occasion="o1"),
            Update(
                day("2015"),
                "kept",
                UpdateKind.PROGRESS,
                ev,
                note=text,
                confidence=Confidence.MEDIUM,
                alternative=Alternative("open", text),
            ),
        ),
        made_to=("b",),
        occasion="o1",
        topics=(text.strip(),),
        window=Window(day("2014"), day("2016"), text),
        lifecycle="mine",
        note=text,
        searches=(Search(day("2025-01"), (text.strip(),), (text.strip(),), found=text),),
        extra=((text.strip(), text),),
    )
    second = Pledge(
        "p2",
        text,
        text,
        ("b",),
        (Update(day("2025-05-12"), "made", UpdateKind.MADE, ev, note=text),),
        occasion="o2",
        topics=(text.strip(),),
        links=(Link(LinkKind.RENEWS, "p1", text),),
    )
    return first, second


def _small_pledge(pledge_id: str) -> dict[str, object]:
    return {
        "id": pledge_id,
        "title": "P",
        "text": "T",
        "made_by": ["a"],
        "history": [
            {
                "date": "2014-11-26",
                "status": "made",
                "kind": "made",
                "evidence": [{"source": "s", "quote": "q"}],
            }
        ],
    }


_SMALL_LEDGER = {
    "schema_version": 1,
    "title": "T",
    "actors": [{"id": "a", "name": "A"}],
    "sources": [{"id": "s", "title": "S", "url": "https://example.org"}],
    "pledges": [_small_pledge("p"), _small_pledge("q")],
}


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


def _mutants() -> list[str]:
    base = _json(_SMALL_LEDGER)
    cycle = json.loads(base)
    cycle["pledges"][0]["links"] = [{"kind": "renews", "pledge": "q"}]
    cycle["pledges"][1]["links"] = [{"kind": "supersedes", "pledge": "p"}]
    return [
        base.replace('"schema_version": 1', '"schema_version": 1' + "0" * 5000),
        base.replace('"title": "T"', '"title": "\\ud800"'),
        base.replace('"title": "T"', '"title": "x\\udfff"'),
        base.replace('"title": "T"', '"title": "T", "title": "U"'),
        base.replace('{"id": "a", "name": "A"}', '{"id": "a", "name": "A", "id": "b"}'),
        _json(cycle),
        base.replace('"2014-11-26"', '"２０１４-11-26"', 1),
        base.replace('"2014-11-26"', '"2014-١١-26"', 1),
        base.replace('"title": "T"', '"title": NaN'),
        base.replace('"title": "T"', '"title": Infinity'),
        base.replace('"title": "T"', '"title": ' + "[" * 5000 + "]" * 5000),
        base.replace('"title": "T"', '"title": "\\u200b"'),
        base.replace('"name": "A"', '"name": "A", "aliases": [" "]'),
        base.replace('"url": "https://example.org"', '"url": "javascript:alert(1)"'),
        base.replace(
            '"url": "https://example.org"',
            '"url": "https://x", "path": "a/\\u0000b", "sha256": "' + "0" * 64 + '"',
        ),
    ]


_TOML_MUTANTS = [
    'schema_version = 1\ntitle = "T"\n' + "a." * 2000 + "b = 1\n",
    'schema_version = 1\ntitle = "T"\n[' + "a." * 2000 + "b]\n",
    "schema_version = " + "9" * 5000 + "\n",
    'schema_version = 1\ntitle = "T"\ntitle = "U"\n',
    'schema_version = 1\ntitle = "\\ud800"\n',
]


def hostile_documents() -> st.SearchStrategy[tuple[str, bytes]]:
    """``(format, bytes)`` of a ledger file that is wrong in one way that a plain parser or
    structurer would take, or choke on."""
    documents = [("json", m.encode("utf-8", "surrogatepass")) for m in _mutants()]
    documents += [("toml", m.encode("utf-8", "surrogatepass")) for m in _TOML_MUTANTS]
    return st.sampled_from(documents)
