"""Files: TOML and JSON round trips, strict loading with located errors, atomic saves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from pledges import Ledger, LoadError, dumps, load, loads, save
from pledges._files import FileError
from pledges._structure import make_converter
from pledges.serialization import (
    SCHEMA_VERSION,
    from_data,
    load_lifecycle,
    loads_lifecycle,
    parse,
    read,
    to_data,
)
from pledges.testing import hostile_documents, hostile_ledger, ledgers

FILE_TESTS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(ledgers())
def test_structure_of_unstructure_is_the_identity(ledger: Ledger) -> None:
    assert from_data(to_data(ledger)) == ledger


@given(ledgers())
def test_toml_and_json_round_trip_and_save_load_save_is_byte_identical(ledger: Ledger) -> None:
    for fmt in ("toml", "json"):
        text = dumps(ledger, fmt)
        again = loads(text, fmt)
        assert again == ledger
        assert dumps(again, fmt) == text


def test_the_schema_version_comes_first(small_ledger: Ledger) -> None:
    assert dumps(small_ledger).startswith(f"schema_version = {SCHEMA_VERSION}\n")
    assert next(iter(json.loads(dumps(small_ledger, "json")))) == "schema_version"


def problems(text: str, fmt: str = "toml") -> list[str]:
    with pytest.raises(LoadError) as caught:
        loads(text, fmt)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_a_typo_in_a_key_is_reported_with_its_path(small_ledger: Ledger) -> None:
    text = dumps(small_ledger).replace('status = "signed"', 'staus = "signed"')
    assert problems(text) == [
        "missing required key @ $.pledges[0].history[1].status",
        "unknown key 'staus' @ $.pledges[0].history[1]",
    ]


def test_wrong_types_are_not_coerced(small_ledger: Ledger) -> None:
    data = to_data(small_ledger)
    data["pledges"][0]["title"] = 7
    data["actors"][0]["aliases"] = "Việt Nam"
    data["pledges"][1]["topics"] = [1]
    text = json.dumps(data)
    assert problems(text, "json") == [
        "expected a list, got text ('Việt Nam') @ $.actors[0].aliases",
        "expected text, got an integer (7) @ $.pledges[0].title",
        "expected text, got an integer (1) @ $.pledges[1].topics[0]",
    ]


def test_unknown_values_of_a_closed_set_list_the_choices(small_ledger: Ledger) -> None:
    text = dumps(small_ledger).replace('kind = "progress"', 'kind = "kept"', 1)
    (found,) = problems(text)
    assert found.startswith("'kept' is not one of 'made', 'progress'")
    assert found.endswith("@ $.pledges[0].history[1].kind")


def test_an_unknown_status_is_a_lifecycle_problem(small_ledger: Ledger) -> None:
    text = dumps(small_ledger).replace('status = "signed"', 'status = "kept"')
    (found,) = problems(text)
    assert "status 'kept' is not in lifecycle 'treaty'" in found
    assert found.endswith("@ $.pledges[0].history[1]")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2025-13-01", "month 13 is not 1-12"),
        ("May 2025", "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD..DD"),
    ],
)
def test_malformed_dates_are_located(small_ledger: Ledger, bad: str, message: str) -> None:
    text = dumps(small_ledger).replace('"2015-05-29"', f'"{bad}"')
    assert problems(text) == [f"invalid date '{bad}': {message} @ $.pledges[0].history[1].date"]


def test_native_toml_dates_are_read_as_days(small_ledger: Ledger) -> None:
    text = dumps(small_ledger).replace('"2015-05-29"', "2015-05-29")
    assert loads(text) == small_ledger


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("", "toml", "missing required key (this release writes 2) @ $.schema_version"),
        ("", "json", "not valid JSON: Expecting value @ line 1, column 1"),
        ("[1, 2]", "json", "expected a table at the top, got a list @ $"),
        ('title = "x', "toml", "not valid TOML: Unterminated string @ end of file"),
        ("schema_version = 99\ntitle='x'", "toml", "version 99 is newer than this release"),
        ("schema_version = '1'\ntitle='x'", "toml", "expected a positive integer, got '1'"),
        ("schema_version = 1", "toml", "missing required key @ $.title"),
        ("schema_version = 1\ntitle='x'\ncolour='red'", "toml", "unknown key 'colour' @ $"),
    ],
)
def test_files_that_are_not_ledgers(text: str, fmt: str, expected: str) -> None:
    (found,) = problems(text, fmt)
    assert found.startswith(expected)


def test_not_utf8_is_reported_not_raised() -> None:
    with pytest.raises(LoadError, match="not UTF-8"):
        loads(b"title = '\xff'", "toml")


def test_a_byte_order_mark_is_accepted(small_ledger: Ledger) -> None:
    assert loads(dumps(small_ledger).encode("utf-8-sig")) == small_ledger


def test_load_picks_the_format_by_suffix_and_reports_the_file(
    small_ledger: Ledger, tmp_path: Path
) -> None:
    for name in ("ledger.toml", "ledger.json"):
        save(small_ledger, tmp_path / name)
        assert load(tmp_path / name) == small_ledger
    with pytest.raises(LoadError, match=r"unknown file type '\.yaml'"):
        load(tmp_path / "ledger.yaml")
    with pytest.raises(LoadError, match=r"missing\.toml: 1 problem:\n  cannot be read: No such"):
        load(tmp_path / "missing.toml")
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(LoadError, match="is a directory, not a regular file"):
        load(tmp_path / "dir.toml")


def test_a_crash_mid_save_leaves_the_previous_file_whole(
    small_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ledger.toml"
    save(small_ledger, target)
    before = target.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("pledges._files.os.replace", crash)
    with pytest.raises(FileError, match="cannot be written"):
        save(small_ledger.evolve(title="Changed"), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.toml"]


def test_the_converter_is_made_by_a_factory() -> None:
    assert make_converter() is not make_converter()


def test_older_files_are_migrated_dict_to_dict_before_loading(
    small_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of version 2, read by a release that writes version 3 (here: 'name' became
    'title'), goes through MIGRATIONS[2] (after MIGRATIONS[1] for a file of version 1)."""
    from pledges import serialization

    def rename(data: dict[str, object]) -> dict[str, object]:
        data = dict(data)
        data["title"] = data.pop("name")
        return data

    old = to_data(small_ledger)
    old["name"] = old.pop("title")
    monkeypatch.setattr(serialization, "SCHEMA_VERSION", 3)
    monkeypatch.setitem(serialization.MIGRATIONS, 2, rename)
    assert from_data(old) == small_ledger
    assert from_data({**old, "schema_version": 1}) == small_ledger
    assert to_data(small_ledger)["schema_version"] == 3


def test_a_version_1_file_reads_as_it_was_and_saves_as_version_2(small_ledger: Ledger) -> None:
    """Version 2 only added optional fields: a version 1 file is read as it stands."""
    text = dumps(small_ledger).replace("schema_version = 2", "schema_version = 1", 1)
    assert loads(text) == small_ledger
    assert dumps(loads(text)).startswith("schema_version = 2\n")


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        (
            '{"schema_version": 1, "title": "a", "title": "b"}',
            "json",
            "the key 'title' appears twice",
        ),
        ('{"schema_version": 1, "title": NaN}', "json", "NaN is not a JSON number"),
        ('{"schema_version": 1' + "0" * 5000 + "}", "json", "more than 4,300 digits"),
        ("schema_version = 1" + "0" * 5000, "toml", "more than 4,300 digits"),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "json", "nested too deeply"),
        ("schema_version = 1\n" + "a." * 40 + "b = 1", "toml", "a key of 41 dotted parts"),
        ("schema_version = 1\n[" + "a." * 40 + "b]", "toml", "a key of 41 dotted parts"),
    ],
)
def test_what_parsers_would_take_or_choke_on_is_refused(text: str, fmt: str, expected: str) -> None:
    (found,) = problems(text, fmt)
    assert expected in found


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        (
            '{"schema_version": 2, "title": "a", "title": "b"}',
            "json",
            "not valid JSON: the key 'title' appears twice in one object @ $.title",
        ),
        (
            '{"schema_version": 2, "title": NaN}',
            "json",
            "not valid JSON: NaN is not a JSON number @ $.title",
        ),
        (
            '{"schema_version": 2' + "0" * 5000 + "}",
            "json",
            "not valid JSON: an integer of more than 4,300 digits @ $.schema_version",
        ),
        (
            "schema_version = 2\nx = 1" + "0" * 5000 + "\ny = 1",
            "toml",
            "not valid TOML: an integer of more than 4,300 digits @ line 2",
        ),
        (
            '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "json",
            "the data is nested too deeply @ line 1, column 506",
        ),
        (
            "schema_version = 2\n" + "a." * 40 + "b = 1",
            "toml",
            "a key of 41 dotted parts (at most 32) @ line 2",
        ),
        (
            "# a comment\n\nschema_version = 2\n  " + "a." * 40 + "b = 1",
            "toml",
            "a key of 41 dotted parts (at most 32) @ line 4",
        ),
        (
            "schema_version = 2\n[" + "a." * 40 + "b]",
            "toml",
            "a key of 41 dotted parts (at most 32) @ line 2",
        ),
        (
            'schema_version = 2\ntitle = "T"\nx = [1,',
            "toml",
            "not valid TOML: Invalid value @ end of file",
        ),
        (
            'schema_version = 2\ntitle = "T"\nx = ]',
            "toml",
            "not valid TOML: Invalid value @ line 3, column 5",
        ),
        (
            '{"schema_version": 2,\n "title": }',
            "json",
            "not valid JSON: Expecting value @ line 2, column 11",
        ),
        (b'schema_version = 2\ntitle = "\xff"', "toml", "the file is not UTF-8 text @ byte 28"),
        ('title = "T"', "toml", "missing required key (this release writes 2) @ $.schema_version"),
        ('schema_version = "2"', "toml", "expected a positive integer, got '2' @ $.schema_version"),
    ],
)
def test_a_file_the_parsers_refuse_gets_one_problem_placed_in_it(
    text: str | bytes, fmt: str, expected: str
) -> None:
    with pytest.raises(LoadError) as caught:
        loads(text, fmt, f"f.{fmt}")  # type: ignore[arg-type]
    assert str(caught.value) == f"f.{fmt}: 1 problem:\n  {expected}"


def test_json_is_written_a_record_a_line_in_its_own_letters() -> None:
    from pledges import Actor

    ledger = Ledger(title="Việt Nam – Belarus", actors=(Actor("vn", "Việt Nam"),))
    assert dumps(ledger, "json") == (
        '{\n  "schema_version": 2,\n  "title": "Việt Nam – Belarus",\n'
        '  "actors": [\n    {"id": "vn", "name": "Việt Nam"}\n  ]\n}\n'
    )
    assert dumps(ledger) == dumps(ledger, "toml")


def test_the_top_of_a_file_is_checked_before_its_fields(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        from_data([])
    assert str(caught.value) == "<data>: 1 problem:\n  expected a table at the top, got a list @ $"
    assert problems("schema_version = 99") == [
        "version 99 is newer than this release reads (2): upgrade pledges @ $.schema_version"
    ]
    assert problems('schema_version = 2\ntitle = "T"\nx = 1') == ["unknown key 'x' @ $"]
    path = tmp_path / "ledger.yaml"
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.problems[0].where == ""  # the file as a whole
    expected = "unknown file type '.yaml': use .toml or .json"
    assert str(caught.value) == f"{path}: 1 problem:\n  {expected}"


def test_dots_in_values_comments_and_after_a_header_are_not_key_parts() -> None:
    dots = "x." * 40
    text = f'schema_version = 2\n[a] # {dots}]\n  b = "{dots}=y"\n[c]\nd = 1 # {dots}'
    assert problems(text) == ["unknown keys 'a', 'c' @ $", "missing required key @ $.title"]


@pytest.mark.parametrize(
    "line",
    ["  [" + "a." * 40 + "b]", "[" + "a . " * 40 + "b]", "a . " * 40 + "b = 1"],
)
def test_a_long_key_is_refused_indented_or_spaced(line: str) -> None:
    """TOML allows white space before a header and around a key's dots."""
    assert problems(f"schema_version = 2\n{line}") == [
        "a key of 41 dotted parts (at most 32) @ line 2"
    ]


def test_brackets_nested_too_deeply_are_placed_outside_strings() -> None:
    from pledges.serialization import _too_deep

    assert _too_deep("[[", limit=1) == "line 1, column 2"
    assert _too_deep("[]{}[[", limit=1) == "line 1, column 6"  # closed ones count no more
    assert _too_deep('\n"[[\\"[[" {[', limit=1) == "line 2, column 11"  # \" stays inside
    assert _too_deep('"\\\\" [[', limit=1) == "line 1, column 7"  # \\ ends before "
    assert _too_deep("[" * 500) == ""
    assert _too_deep("XxX[", limit=1) == ""  # letters open nothing
    assert _too_deep("[[XX[", limit=2) == "line 1, column 5"  # and close nothing
    assert _too_deep("\n" + "[" * 501) == "line 2, column 501"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"a": [{"b": 1}, {"b": 1, "b": 2}]}', "$.a[1].b"),
        ('{"a b": 1, "a b": 2}', '$["a b"]'),
        ('{"x": [1, NaN], "y": NaN}', "$.x[1]"),
        ('{"a": [1], "b": {"c": NaN}}', "$.b.c"),  # found after a list is walked
        ('{"x": [-' + "1" * 4301 + "]}", "$.x[0]"),
        ('{"x": -' + "1" * 4300 + "}", ""),  # as many digits as Python reads: not refused
        ('{"x": ', ""),  # not JSON at all: the parser said where
    ],
)
def test_a_json_refusal_is_placed_on_its_path(text: str, where: str) -> None:
    from pledges.serialization import _json_where

    assert _json_where(text) == where


def test_an_over_long_toml_integer_is_placed_on_its_line() -> None:
    from pledges.serialization import _long_number

    assert _long_number("a = 1\nb = " + "1_0" * 1434) == ""  # 4,302 characters, 2,868 digits
    assert _long_number("a = 1\nb = " + "1_0" * 2151) == "line 2"  # 4,302 digits
    assert _long_number("\na = 1\nb = " + "1" * 4301 + "\nc = 1\n") == "line 3"
    assert _long_number("a = " + "1" * 4300) == ""


def test_errors_name_the_file_they_come_from(tmp_path: Path) -> None:
    folder = tmp_path / "ledger.toml"
    folder.mkdir()
    for reader in (load, read, load_lifecycle):
        with pytest.raises(LoadError) as caught:
            reader(folder)
        assert caught.value.source == str(folder)
        assert caught.value.problems[0].where == ""  # the file as a whole
        assert str(caught.value) == f"{folder}: 1 problem:\n  {caught.value.problems[0].message}"
    broken = tmp_path / "broken.toml"
    broken.write_text("schema_version = 2\ntitle = 1\n", encoding="utf-8")
    newer = tmp_path / "newer.toml"
    newer.write_text("schema_version = 99\n", encoding="utf-8")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(dumps(hostile_ledger("x")).replace('"src"', '"gone"', 1), "utf-8")
    scale = tmp_path / "scale.toml"
    scale.write_text("id = [", encoding="utf-8")
    for path, reader in ((broken, load), (newer, load), (unknown, load), (scale, load_lifecycle)):
        with pytest.raises(LoadError) as caught:
            reader(path)
        assert caught.value.source == str(path)
    for read_text in (parse, loads):
        with pytest.raises(LoadError) as caught:
            read_text("x = [", "toml")
        assert caught.value.source == "<string>"
    cases = (("[1]", "json"), ("id = 1", "toml"), ('schema_version = 2\nid = "x"', "toml"))
    for text, fmt in (*cases, ("id = [", "toml"), ("[1", "json")):
        with pytest.raises(LoadError) as caught:
            loads_lifecycle(text, fmt)  # type: ignore[arg-type]
        assert caught.value.source == "<string>"
        with pytest.raises(LoadError) as caught:
            loads_lifecycle(text.encode(), fmt, "scale.toml")  # type: ignore[arg-type]
        assert caught.value.source == "scale.toml"
    with pytest.raises(LoadError, match=r"expected a table at the top, got a list @ \$$"):
        loads_lifecycle("[1]", "json")


def test_a_json_lifecycle_file_is_read_as_json(tmp_path: Path) -> None:
    from pledges.presets import TREATY

    path = tmp_path / "treaty.json"
    save(TREATY, path)
    assert load_lifecycle(path) == TREATY


def test_a_canonical_file_is_loaded_by_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_ledger: Ledger
) -> None:
    from pledges import serialization

    def full_path(*_: object) -> object:
        raise AssertionError("the full path was taken")

    monkeypatch.setenv("PLEDGES_FAST", "1")
    monkeypatch.setattr(serialization, "from_data", full_path)
    for fmt in ("toml", "json"):
        path = tmp_path / f"l.{fmt}"
        path.write_text(dumps(small_ledger, fmt), encoding="utf-8")
        assert load(path) == small_ledger
        assert loads(path.read_bytes(), fmt) == small_ledger


def test_a_long_dotted_key_is_refused_before_the_parser_sees_it() -> None:
    """The standard TOML parser takes quadratic time in a key's parts (100,000 parts: 21 s)."""
    import time

    start = time.perf_counter()
    (found,) = problems("schema_version = 1\n" + "a." * 100_000 + "b = 1")
    assert "100001 dotted parts" in found
    assert time.perf_counter() - start < 5


def test_lone_surrogates_are_refused_at_load(small_ledger: Ledger) -> None:
    text = dumps(small_ledger, "json").replace('"Small"', '"Small \\ud800"')
    (found,) = problems(text, "json")
    assert (
        found
        == "Ledger.title must be text with something visible in it (got 'Small \\ud800') @ $.title"
    )


@given(hostile_documents())
def test_hostile_documents_are_refused_with_located_problems(case: tuple[str, bytes]) -> None:
    fmt, raw = case
    with pytest.raises(LoadError) as caught:
        loads(raw, fmt)  # type: ignore[arg-type]
    assert caught.value.problems
    assert all(p.message for p in caught.value.problems)


def test_invisible_and_reordering_characters_are_written_as_escapes() -> None:
    ledger = hostile_ledger("Invoice \u202egpj.exe \x85 \u2028")
    for fmt in ("toml", "json"):
        text = dumps(ledger, fmt)
        assert not any(c in text for c in "\u202e\x85\u2028\x1b")
        assert "\\u202e" in text
        assert loads(text, fmt) == ledger
        assert dumps(loads(text, fmt), fmt) == text


def test_searches_extra_fields_and_mappings_round_trip() -> None:
    ledger = hostile_ledger("plain")
    text = dumps(ledger)
    assert "[pledges.extra]" in text
    assert "[[pledges.searches]]" in text
    assert loads(text) == ledger


def test_problems_in_a_lifecycle_file_are_located() -> None:
    text = """
schema_version = 1
id = "x"
label = "X"
initial = "a"

[[statuses]]
id = "a"
label = "A"
to = ["b", "ghost"]
onto = { compliance = 1 }

[[statuses]]
id = "b"
label = "B"
final = true
to = ["a"]
"""
    with pytest.raises(LoadError) as caught:
        loads_lifecycle(text)
    found = [str(p) for p in caught.value.problems]
    assert found == [
        "Status.onto must be (lifecycle id, status id) pairs (got ('compliance', 1))"
        " @ $.statuses[0].onto"
    ]
    with pytest.raises(LoadError) as caught:
        loads_lifecycle(text.replace("onto = { compliance = 1 }", ""))
    found = [str(p) for p in caught.value.problems]
    assert found == [
        "status 'a' moves to unknown status 'ghost' @ $.statuses[0].to[1]",
        "final status 'b' has moves out of it (a); a final status may only be reopened "
        "(reopen_to) @ $.statuses[1].to",
    ]


@pytest.mark.parametrize(
    "call",
    [lambda: loads("", "yaml"), lambda: parse("", "TOML")],  # type: ignore[arg-type]
)
def test_an_unknown_format_is_refused_not_read_as_another(call: object) -> None:
    with pytest.raises(ValueError, match=r"unknown format .*; choose one of toml, json"):
        call()  # type: ignore[operator]


def test_dumps_refuses_an_unknown_format_and_writes_toml_by_default(
    small_ledger: Ledger,
) -> None:
    assert dumps(small_ledger) == dumps(small_ledger, "toml")
    assert dumps(small_ledger).startswith("schema_version = ")
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        dumps(small_ledger, "yaml")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "raised", "expected"),
    [
        ("toml", "tomllib", "not valid TOML: odd @ line 1"),
        ("toml", RecursionError(), "the data is nested too deeply @ line 1"),
        ("json", RecursionError(), "the data is nested too deeply @ line 1"),
        ("json", ValueError("odd"), "not valid JSON: odd @ line 1"),
        ("toml", ValueError("odd"), "not valid TOML: odd @ line 1"),
    ],
)
def test_a_refusal_the_parser_does_not_place_is_put_at_line_1(
    monkeypatch: pytest.MonkeyPatch, fmt: str, raised: object, expected: str
) -> None:
    """The parsers place every refusal this release has met; one they do not place is
    still reported, at the file's first line, with the parser's own words."""
    import tomllib

    def refuse(*args: object, **kwargs: object) -> object:
        raise tomllib.TOMLDecodeError("odd") if raised == "tomllib" else raised  # type: ignore[misc]

    monkeypatch.setenv("PLEDGES_FAST", "0")  # the parsers' refusals: the full path's
    monkeypatch.setattr(tomllib, "loads", refuse)
    monkeypatch.setattr(json, "loads", refuse)
    assert problems('schema_version = 2\ntitle = "T"', fmt) == [expected]


def test_each_migration_reads_a_document_of_its_own_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``MIGRATIONS[n]`` is given a version ``n`` document: the version is stamped after
    each step, so that a chain of them runs in order, once each."""
    from pledges import serialization

    seen: list[object] = []

    def step(data: dict[str, object]) -> dict[str, object]:
        seen.append(data["schema_version"])
        return data

    monkeypatch.setattr(serialization, "SCHEMA_VERSION", 4)
    monkeypatch.setattr(serialization, "MIGRATIONS", {1: step, 2: step, 3: step})
    assert serialization._migrate({"schema_version": 1}, "f") == {"schema_version": 4}
    assert seen == [1, 2, 3]
