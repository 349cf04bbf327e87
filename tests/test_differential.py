"""Both ways in agree on every file: random mutations of valid ledgers (keys deleted,
renamed, retyped or given twice, records written inline, byte order marks, truncation, bad
enum values, NaN, huge integers, deep nesting, NUL bytes), in JSON and TOML, read by the
fast path (with its fallback) and by the plain path alone: the same verdict, the same
ledger, and nothing but a located error.

The number of examples follows the Hypothesis profile; docs/security.md records a long run.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings, strategies as st

from pledges import Ledger, LoadError, dumps, loads
from pledges.serialization import from_data, parse
from pledges.testing import ledgers

PLACES = ("$", "line ", "byte ", "end of file")

MUTATIONS = (
    "delete line",
    "duplicate line",
    "swap lines",
    "truncate",
    "bom",
    "nul",
    "rename key",
    "retype",
    "bad enum",
    "nan",
    "huge integer",
    "deep",
    "inline record",
)
_KEY = {
    "json": re.compile(r'"([a-z_]+)": '),
    "toml": re.compile(r"^([a-z_]+) = ", re.M),
}
_ENUMS = re.compile(r'"(made|progress|reaffirmed|commitment|renews|state|person|open)"')
_STRING = {"json": re.compile(r': "[^"\\]*"'), "toml": re.compile(r' = "[^"\\]*"')}


def mutate(text: str, fmt: str, mutation: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    at = data.draw(st.integers(0, max(0, len(lines) - 2)))
    if mutation == "delete line":
        del lines[at]
    elif mutation == "duplicate line":
        lines.insert(at, lines[at])
    elif mutation == "swap lines":
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif mutation == "truncate":
        return text[: data.draw(st.integers(0, len(text) - 1))]
    elif mutation in ("bom", "nul"):
        spot = data.draw(st.integers(0, len(text)))
        return text[:spot] + ("\ufeff" if mutation == "bom" else "\x00") + text[spot:]
    else:
        return _token(text, fmt, mutation, data)
    return "\n".join(lines)


def _pick(pattern: re.Pattern[str], text: str, data: st.DataObject) -> re.Match[str] | None:
    found = list(pattern.finditer(text))
    return data.draw(st.sampled_from(found)) if found else None


def _token(text: str, fmt: str, mutation: str, data: st.DataObject) -> str:
    """A mutation of one token: a key, a string value, an enum value."""
    if mutation == "rename key":
        match = _pick(_KEY[fmt], text, data)
        new = data.draw(st.sampled_from(["title", "id", "staus", "x", "history"]))
        if match is None:
            return text
        return text[: match.start(1)] + new + text[match.end(1) :]
    if mutation == "bad enum":
        match = _pick(_ENUMS, text, data)
        return text if match is None else text[: match.start(1)] + "x" + text[match.end(1) :]
    if mutation == "inline record":
        if fmt == "toml":
            return text + '\nactors = [{ id = "a", name = "A", kind = "x" }]\n'
        return text.replace('"actors": [\n', '"actors": [\n    {"id": "z"},\n', 1)
    match = _pick(_STRING[fmt], text, data)
    if match is None:
        return text
    value = {
        "retype": data.draw(st.sampled_from(["1", "[]", "true", "{}" if fmt == "json" else "{ }"])),
        "nan": "NaN" if fmt == "json" else "nan",
        "huge integer": "9" * 5000,
        "deep": "[" * 3000 + "]" * 3000,
    }[mutation]
    separator = ": " if fmt == "json" else " = "
    return text[: match.start()] + separator + value + text[match.end() :]


def verdict(read: object, text: str, fmt: str) -> Ledger | LoadError:
    try:
        return read(text, fmt)  # type: ignore[operator,no-any-return]
    except LoadError as error:
        for problem in error.problems:
            assert problem.message
            assert problem.where.startswith(PLACES), f"not located: {problem}"
        return error


def plain(text: str, fmt: str) -> Ledger:
    return from_data(parse(text, fmt))  # type: ignore[arg-type]


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    ledgers(max_pledges=2),
    st.sampled_from(["json", "toml"]),
    st.sampled_from(MUTATIONS),
    st.data(),
)
def test_both_paths_agree_on_any_mutant(
    ledger: Ledger, fmt: str, mutation: str, data: st.DataObject
) -> None:
    text = mutate(dumps(ledger, fmt), fmt, mutation, data)  # type: ignore[arg-type]
    fast = verdict(loads, text, fmt)
    full = verdict(plain, text, fmt)
    if isinstance(fast, Ledger) or isinstance(full, Ledger):
        assert fast == full
    else:
        assert [str(p) for p in fast.problems] == [str(p) for p in full.problems]
