"""The fast way in: it builds exactly the ledger the full path builds, and whatever it cannot
take (or the standard parsers refuse) it hands to the full path, never reading it otherwise."""

from __future__ import annotations

import gc
import json
import re
import threading
import tomllib
import traceback
from typing import Any, get_args

import attrs
import pytest
import tomli_w
from hypothesis import given, strategies as st

import pledges._fast as fastpath
from pledges import Ledger, LoadError, PledgesError, load, load_bundled, loads, save, serialization
from pledges._fast import Fallback, json_texts, load_fast, paused_gc, plain_records
from pledges._fast.records import RECORD_OF, builder
from pledges._fast.toml_lines import read_toml_lines
from pledges._structure import CONVERTER
from pledges.serialization import dumps, from_data, parse
from pledges.testing import ledgers
from tests.test_fuzz import TOML

BUNDLED = load_bundled()


def full(text: str, fmt: str) -> Ledger | None:
    """What the full path gives (``None``: it refuses)."""
    try:
        return from_data(parse(text, fmt))  # type: ignore[arg-type]
    except PledgesError:
        return None


def fast(text: str, fmt: str) -> Ledger | None:
    """What the fast path gives (``None``: it hands the text on, or the ledger breaks a
    rule across records, which the full path then reports)."""
    try:
        return load_fast(text.split("\n"), fmt)
    except (Fallback, PledgesError):
        return None


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_the_bundled_ledger_takes_the_fast_path(fmt: str) -> None:
    assert fast(dumps(BUNDLED, fmt), fmt) == BUNDLED  # type: ignore[arg-type]


@given(ledgers(), st.sampled_from(["toml", "json"]))
def test_any_ledger_written_reads_back_the_same_by_either_path(ledger: Ledger, fmt: str) -> None:
    text = dumps(ledger, fmt)  # type: ignore[arg-type]
    assert fast(text, fmt) == ledger
    assert full(text, fmt) == ledger


@given(ledgers())
def test_the_generated_writers_give_what_the_converter_and_json_give(ledger: Ledger) -> None:
    for name, cls in RECORD_OF.items():
        records = getattr(ledger, name)
        plain = [CONVERTER.unstructure(r, cls) for r in records]
        assert plain_records(records, cls) == plain
        assert list(json_texts(records, cls)) == [json.dumps(p, ensure_ascii=False) for p in plain]


_EDITS = st.sampled_from(["insert", "delete", "duplicate", "swap", "replace"])
_CHARS = st.sampled_from([*'"\\[]{},=#\t\r\x7f\x00 \n-.0a', "\\U0001F600", "\\ud800"])


@given(ledgers(max_pledges=2), st.sampled_from(["toml", "json"]), _EDITS, _CHARS, st.data())
def test_an_edited_file_is_read_as_the_standard_parser_reads_it_or_handed_on(
    ledger: Ledger, fmt: str, edit: str, char: str, data: st.DataObject
) -> None:
    text = dumps(ledger, fmt)  # type: ignore[arg-type]
    lines = text.split("\n")
    at = data.draw(st.integers(0, len(lines) - 1))
    line = lines[at]
    column = data.draw(st.integers(0, len(line)))
    if edit == "insert":
        lines[at] = line[:column] + char + line[column:]
    elif edit == "delete":
        lines[at] = line[:column] + line[column + 1 :]
    elif edit == "duplicate":
        lines.insert(at, line)
    elif edit == "swap" and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    else:
        lines[at] = line[:column] + char + line[column + 1 :]
    edited = "\n".join(lines)
    quick = fast(edited, fmt)
    if quick is not None:  # taken: exactly as the full path takes it
        assert quick == full(edited, fmt)


_RECORD_KEYS = {"actors", "sources", "occasions", "pledges"}


@given(TOML.filter(lambda d: not _RECORD_KEYS & set(d)))
def test_the_toml_reader_agrees_with_tomllib_on_what_tomli_w_writes(value: dict[str, Any]) -> None:
    text = tomli_w.dumps(value)
    try:
        read = read_toml_lines(text.split("\n"))
    except Fallback:
        return
    assert read == tomllib.loads(text)


@pytest.mark.parametrize(
    "value",
    [
        {"t": True, "f": False, "a": [{"b": True, "d": -12, "e": [1, 2], "g c": "q", "h": []}]},
        {
            "k": [
                {"a": {"b": [{"c": True, "d": False}, {"c": False, "e": -2, "f g": 'é\\"\u0001'}]}}
            ]
        },
        {"k": [{"b": [{"c": True, "d": False}, {"c": False, "e": [1, 2], "f": {"g": True}}]}]},
        {"x": [{"y": [True, False]}, {"y": []}], "z": [{"w": 0}]},
    ],
)
def test_the_toml_reader_takes_each_shape_tomli_w_writes(value: dict[str, Any]) -> None:
    """Booleans, integers, quoted keys and escapes, plain and in inline tables; arrays one
    item a line; tables and arrays of tables: read as tomllib reads them, none handed on."""
    text = tomli_w.dumps(value)
    assert read_toml_lines(text.split("\n")) == tomllib.loads(text) == value


def test_each_reader_builds_each_record_as_it_reads_it() -> None:
    from pledges._fast.json_lines import read_json_lines

    lines = dumps(BUNDLED, "json").split("\n")
    for document in (read_json_lines(iter(lines)), read_toml_lines(dumps(BUNDLED).split("\n"))):
        for key, cls in RECORD_OF.items():
            records = document.get(key, [])
            assert records
            assert all(isinstance(r, cls) for r in records), key
    for cut in (2, 5, lines.index("  ],"), lines.index("  ],") + 1, len(lines) - 2):  # cut short
        assert fast("\n".join(lines[:cut]), "json") is None


@pytest.mark.parametrize(
    "text",
    [
        'title = "a\x7fb"',  # DEL may not be written raw in TOML
        'title = "\\ud800"',  # a surrogate is no Unicode scalar value
        'title = "\\ud83d\\ude00"',  # nor is a pair of them, in TOML
        'title = "\\/"',  # JSON's escape, not TOML's
        'aliases = [\r"a"]',  # a carriage return is no TOML white space (found by the long run)
        "x = { a = 1, }",  # no trailing comma in an inline table
        "x = { a = 1 }\n[x.b]",  # an inline table cannot be extended
        "x = [\n    1,\n]\n[[x]]",  # nor can a static array
        "[a]\n[a]",  # a table defined twice
        "a.b = 1",  # dotted keys
        'title = "x"\r',  # line ends other than \n
        "n = 01",  # leading zeros
        "n = 1_000",
        "t = 1979-05-27",
        "f = 1.5",
        'a = [\nxxxx"x",\n]',  # an array's item is indented by four spaces
    ],
)
def test_what_the_reader_does_not_take_is_handed_on(text: str) -> None:
    with pytest.raises(Fallback):
        read_toml_lines(text.split("\n"))


@pytest.mark.parametrize(
    "value",
    [
        '{ a = "x = y", b = "z" }',  # strings under bare keys, without escapes
        '{ a = "1", a = "2" }',
        '{ a = "x\\"y", b = -1, c = true }',  # an escape: read by the tokenizer
        '{ a = "\\n", a = "2" }',
        '{ "a b" = { c = [] } }',
        '{ a "x" }',
        '{ a = "x" b = "y" }',
        "{ = 1 }",
        "{ , = 1 }",  # punctuation is no key
        "{ a 1 2 }",  # a key without its =
        "{ 1 = 2, true = 3 }",  # bare keys that look like values
        "{ a = [1] }",  # tomli_w writes no array inline
        '"a\\tb"',
        "true",
        "false",
        "truth",
        "[]",
        "[ ]",
    ],
)
def test_a_value_written_by_hand_is_read_as_tomllib_reads_it_or_handed_on(value: str) -> None:
    """What tomli_w never writes on a ``key = value`` line (an inline table, a boolean, an
    empty array): the reader takes it as tomllib does, or hands the file on; it never takes
    what tomllib refuses (a key given twice, a missing ``=`` or comma)."""
    text = f"x = {value}"
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(Fallback):
            read_toml_lines([text])
        return
    try:
        assert read_toml_lines([text]) == expected
    except Fallback:  # forms it leaves to tomllib: an inline array, keys that look like values
        assert value in ("{ a = [1] }", "{ 1 = 2, true = 3 }")


def test_a_json_line_layout_that_means_otherwise_is_handed_on() -> None:
    canonical = dumps(BUNDLED, "json")
    broken = canonical.replace("},\n    {", "}\n    {", 1)  # a comma gone between records
    assert fast(broken, "json") is None
    doubled = canonical.replace('  "title"', '  "title": "x",\n  "title"', 1)
    assert fast(doubled, "json") is None
    assert full(doubled, "json") is None
    opened = canonical.replace('"pledges": [\n', '"pledges": [,\n', 1)  # a comma after "["
    assert fast(opened, "json") is None
    assert full(opened, "json") is None


def test_the_collector_is_paused_and_restored_across_threads() -> None:
    assert gc.isenabled()
    inside: list[bool] = []

    def worker() -> None:
        with paused_gc():
            inside.append(gc.isenabled())

    with paused_gc():
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not gc.isenabled()
    assert inside == [False] * 4
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_load_reads_a_file_a_record_at_a_time_and_falls_back_whole(tmp_path: Any) -> None:
    path = tmp_path / "l.toml"
    save(BUNDLED, path)
    assert load(path) == BUNDLED
    path.write_text("# a comment the writer never writes\n" + path.read_text("utf-8"), "utf-8")
    assert load(path) == BUNDLED
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert load(path) == BUNDLED  # handed to tomllib, which takes CRLF


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_text_that_looks_like_a_key_is_read_by_the_fast_path(fmt: str) -> None:
    # Found flaky in CI: " = " inside a string of an inline table was counted as a key.
    ledger = BUNDLED.evolve(
        actors=(*BUNDLED.actors[:-1], attrs.evolve(BUNDLED.actors[-1], role="x = y, z = w"))
    )
    source = ledger.sources[0]
    evidence = attrs.evolve(BUNDLED.pledges[0].history[0].evidence[0], quote='a = "b", c = d')
    pledge = BUNDLED.pledges[0]
    making = attrs.evolve(pledge.history[0], evidence=(evidence,))
    ledger = ledger.with_pledge(attrs.evolve(pledge, history=(making, *pledge.history[1:])))
    assert source in ledger.sources
    assert fast(dumps(ledger, fmt), fmt) == ledger  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("toml", 'schema_version = 1\ntitle = "T"\nactors = [{}]\n'),
        (
            "toml",
            'schema_version = 1\ntitle = "T"\nactors = [{ id = "a", name = "A", kind = "x" }]\n',
        ),
        (
            "toml",
            'schema_version = 1\ntitle = "T"\nactors = [{ id = "a", name = "A", kind = [] }]\n',
        ),
        (
            "json",
            '{\n  "schema_version": 1,\n  "title": "T",\n  "actors": [\n    {"id": "a"}\n  ]\n}\n',
        ),
        (
            "json",
            '{\n  "schema_version": 1,\n  "title": "T",\n  "actors": [\n'
            '    {"id": "a", "name": "A", "kind": "x"}\n  ]\n}\n',
        ),
        (
            "json",
            '{\n  "schema_version": 1,\n  "title": "T",\n  "actors": [\n'
            '    {"id": "a", "name": "A", "role": 1}\n  ]\n}\n',
        ),
    ],
)
def test_records_the_builders_cannot_take_are_handed_on_and_located(fmt: str, text: str) -> None:
    # Found by the attack run: a KeyError traceback from the generated builders.
    assert fast(text, fmt) is None
    with pytest.raises(LoadError) as caught:
        loads(text, fmt)  # type: ignore[arg-type]
    assert all(p.where.startswith("$.actors[0]") for p in caught.value.problems)


def test_a_builder_refuses_an_unknown_key() -> None:
    build = builder(RECORD_OF["actors"])
    assert build({"id": "a", "name": "A"}).id == "a"
    with pytest.raises(Fallback):
        build({"id": "a", "name": "A", "nmae": "B"})


def test_text_after_the_closing_brace_is_handed_on() -> None:
    canonical = dumps(BUNDLED, "json")
    assert fast(canonical, "json") == BUNDLED
    assert fast(canonical + "{}\n", "json") is None
    assert fast(canonical.rstrip("\n") + "\n\n", "json") is None


def test_plain_path_only_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    path = tmp_path / "l.json"
    save(BUNDLED, path)

    def refuse(*args: object) -> Ledger:
        raise AssertionError("the fast path was taken")

    monkeypatch.setattr(serialization, "load_fast", refuse)
    monkeypatch.setenv("PLEDGES_FAST", "0")
    assert load(path) == BUNDLED
    assert loads(path.read_bytes(), "json") == BUNDLED
    monkeypatch.delenv("PLEDGES_FAST")
    with pytest.raises(AssertionError, match="fast path was taken"):
        load(path)


def test_a_bug_of_the_fast_path_is_loud_and_shows_its_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(document: object) -> Ledger:
        raise RuntimeError("a bug")

    monkeypatch.delenv("PLEDGES_FAST", raising=False)  # CI also runs the suite with it off
    monkeypatch.setattr(fastpath, "_ledger", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        loads(dumps(BUNDLED, "json"), "json")
    build = builder(RECORD_OF["actors"])
    with pytest.raises(Fallback) as caught:
        build({"id": 1, "name": "A"})
    frames = traceback.extract_tb(caught.value.__traceback__)
    assert "raise Fallback" in (frames[-1].line or "")  # the generated code, from linecache


# -- the generated builders, field by field ----------------------------------------------

VALUES: tuple[Any, ...] = (
    *(None, 1, 1.5, True, "", " ", "\u200b", "x", "Bad id!", "2014-13", "2014-05"),
    *("made", "in-progress", "state", "https://example.org/a", "ftp://x"),
    *([], ["x"], [""], [1], {}, {"a": 1}, {"a": [1]}),
)
"""Values of every type a file can hold, many of them wrong for any given field."""


def _first_of_each(*ledgers: Ledger) -> dict[type, Any]:
    """The first record of each type the builders make, nested ones too."""
    from pledges._fast.records import _RECORDS

    found: dict[type, Any] = {}

    def walk(value: Any) -> None:
        if type(value) in _RECORDS:
            found.setdefault(type(value), value)
            for field in attrs.fields(type(value)):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    for ledger in ledgers:
        for key in RECORD_OF:
            walk(getattr(ledger, key))
    assert set(found) == set(_RECORDS)  # every type is tried
    return found


def _outcome(build: Any, data: dict[str, Any]) -> Any:
    """What a builder makes of ``data``: the record, or ``None`` when it hands it on. Any
    other exception is a bug of the builder, and propagates."""
    try:
        return build(data)
    except (Fallback, PledgesError):
        return None


def test_a_builder_makes_what_the_full_path_makes_of_any_value_of_any_field() -> None:
    """For every record type and field, each of many values (or the key left out): the
    builder hands it on, or makes exactly the record the full path makes."""
    from pledges.testing import hostile_ledger

    for cls, record in _first_of_each(hostile_ledger("x"), BUNDLED).items():
        build = builder(cls)
        (plain,) = plain_records([record], cls)
        assert build(plain) == record
        for field in (a for a in attrs.fields(cls) if a.init):
            others = {k: v for k, v in plain.items() if k != field.name}
            for data in (others, *({**plain, field.name: v} for v in VALUES)):
                made = _outcome(build, data)
                if made is not None:
                    assert made == CONVERTER.structure(data, cls), (cls, field.name, data)


def test_a_builder_checks_each_rule_its_conversion_leaves_open_once() -> None:
    """The rules a builder skips are type checks of the field's own type, which its
    conversion makes sure of; it runs every other rule of a field."""
    from pledges._fast.records import _RECORDS, _rules
    from pledges._fields import Check, Each

    for cls in _RECORDS:
        names = builder(cls).__globals__
        for i, field in enumerate(a for a in attrs.fields(cls) if a.init):
            kind = field.type
            own = {kind, *(a for a in get_args(kind) if a is not type(None))}
            for j, rule in enumerate(_rules(field)):
                if not isinstance(rule, Check | Each):
                    continue
                if rule.implied_by is None:
                    assert names[f"p_f{i}_{j}"] == rule.accepts, (cls, field.name)
                else:
                    assert rule.implied_by in own, (cls, field.name)
                    assert f"p_f{i}_{j}" not in names


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_ids_read_by_the_fast_path_are_shared_and_texts_are_not(fmt: str) -> None:
    """Ids are interned (a ledger repeats them), so two loads share them; texts are not."""
    from pledges.testing import hostile_ledger

    ledger = hostile_ledger("x")
    text = dumps(ledger, fmt)  # type: ignore[arg-type]
    a, b = fast(text, fmt), fast(text, fmt)
    assert a is not None
    assert b is not None
    assert a == b == ledger
    (pa, la), (pb, lb) = a.pledges, b.pledges
    ua, ub = pa.history[-1], pb.history[-1]
    shared = [
        (pa.id, pb.id),
        (pa.lifecycle, pb.lifecycle),
        (pa.occasion, pb.occasion),
        (ua.status, ub.status),
        (ua.evidence[0].source, ub.evidence[0].source),
        (la.links[0].pledge, lb.links[0].pledge),
        (a.corrections[0].pledge, b.corrections[0].pledge),
    ]
    assert all(x is y for x, y in shared), shared
    assert pa.title is not pb.title
    assert ua.evidence[0].quote is not ub.evidence[0].quote


def test_a_document_the_fast_path_does_not_know_whole_is_handed_on() -> None:
    text = dumps(BUNDLED, "json")
    for changed in (
        text.replace('"schema_version": 2', '"schema_version": 1', 1),  # migrated first
        text.replace('"schema_version": 2', '"schema_version": "2"', 1),
        text.replace('"schema_version": 2', '"schema_version": 2, "x": 1', 1),  # located
        text.replace('"schema_version": 2', '"schema_version": 2, "lifecycles": {}', 1),
        text.replace('"schema_version": 2', '"schema_version": 2, "sources": {}', 1).replace(
            '"sources": [', '"x": [', 1
        ),
    ):
        assert changed != text
        with pytest.raises((Fallback, PledgesError)):
            load_fast(changed.split("\n"), "json")


def test_a_lifecycle_no_pledge_uses_is_kept_by_the_fast_path() -> None:
    from pledges.presets import TREATY

    ledger = BUNDLED.evolve(lifecycles=(attrs.evolve(TREATY, id="unused"),))
    for fmt in ("toml", "json"):
        assert fast(dumps(ledger, fmt), fmt) == ledger


def test_generated_code_is_registered_line_by_line() -> None:
    import linecache

    builder(RECORD_OF["actors"])
    lines = linecache.getlines("<pledges generated build of Actor>")
    assert lines[0] == "def build(d):\n"
    assert all(line.endswith("\n") for line in lines[:-1])


def test_a_type_the_generators_do_not_know_is_refused_by_name() -> None:
    from pledges._fast.records import _conversion, _shape

    for kind in (dict[str, int], int, str | int, tuple[str, int]):
        with pytest.raises(TypeError, match=re.escape(f"no fast conversion for {kind}")):
            _conversion(kind, "f0", {}, "x")
    for other in (dict[str, int], int, tuple[str, int], tuple[int, ...]):
        with pytest.raises(TypeError, match=re.escape(f"no fast writing of {other}")):
            _shape(other)
