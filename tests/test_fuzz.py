"""Fuzzing the loaders: whatever comes in, only a located PledgesError may come out.

The number of examples follows the Hypothesis profile (HYPOTHESIS_PROFILE: dev, ci, long);
docs/performance.md records a long run.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings, strategies as st

from pledges import Ledger, LoadError, PledgesError
from pledges.serialization import from_data, loads, loads_lifecycle, to_data
from pledges.testing import hostile_texts, ledgers

SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)
TOML_SCALARS = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates()
)
TOML = st.dictionaries(
    st.text(min_size=1, max_size=12),
    st.recursive(
        TOML_SCALARS,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3)
        ),
        max_leaves=20,
    ),
    max_size=6,
)
KEYS = (
    "schema_version",
    "title",
    "actors",
    "sources",
    "occasions",
    "pledges",
    "lifecycles",
    "id",
    "name",
    "history",
    "date",
    "status",
    "kind",
    "evidence",
    "source",
    "quote",
    "made_by",
    "window",
    "start",
    "end",
    "links",
    "pledge",
    "statuses",
    "to",
    "initial",
)


def located(error: LoadError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.message
        assert problem.where.startswith(("$", "line ", "byte ", "end of file")), problem


def only_pledges_errors(call: Any, *args: Any) -> None:
    try:
        call(*args)
    except LoadError as error:
        located(error)
    except PledgesError:
        pass


@given(JSON)
def test_arbitrary_json_values(value: Any) -> None:
    text = json.dumps(value)
    only_pledges_errors(loads, text, "json")
    only_pledges_errors(loads_lifecycle, text, "json")


@given(JSON.map(lambda v: {"schema_version": 1, "title": "t", "pledges": v}))
def test_arbitrary_values_where_the_pledges_go(value: dict[str, Any]) -> None:
    only_pledges_errors(loads, json.dumps(value), "json")


@given(TOML)
def test_arbitrary_toml_documents(value: dict[str, Any]) -> None:
    only_pledges_errors(loads, tomli_w.dumps(value), "toml")


@given(st.binary(max_size=200))
def test_arbitrary_bytes(raw: bytes) -> None:
    only_pledges_errors(loads, raw, "toml")
    only_pledges_errors(loads, raw, "json")


def paths(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists."""
    found = [here]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*here, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*here, index))
    return found


def replace(data: Any, path: tuple[Any, ...], change: Any) -> Any:
    if not path:
        return change(data)
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replace(data[path[0]], path[1:], change)
    return copy


def nest(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


MUTATIONS = st.sampled_from(
    (
        "drop",
        "rename",
        "retype",
        "duplicate",
        "huge",
        "deep",
        "range",
        "surrogate",
        "digits",
        "payload",
        "cycle",
    )
)
WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
REPLACEMENTS = st.one_of(
    SCALARS,
    st.just([]),
    st.just({}),
    st.just(math.inf),
    st.just(-1),
    st.just(10**30),
    st.just("2025-13-45"),
)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ledgers(max_pledges=3), MUTATIONS, st.data())
def test_mutations_of_valid_ledgers(ledger: Ledger, mutation: str, data: st.DataObject) -> None:
    document = to_data(ledger)
    path = data.draw(st.sampled_from(paths(document)[1:]))
    parent, last = path[:-1], path[-1]
    if mutation == "drop" and isinstance(last, str):
        document = replace(document, parent, lambda d: {k: v for k, v in d.items() if k != last})
    elif mutation == "rename" and isinstance(last, str):
        new = data.draw(st.sampled_from(KEYS) | st.text(max_size=8))
        document = replace(
            document, parent, lambda d: {(new if k == last else k): v for k, v in d.items()}
        )
    elif mutation == "duplicate" and isinstance(last, int):
        document = replace(document, parent, lambda d: [*d, d[last]])
    elif mutation == "huge":
        document = replace(document, path, lambda _: "x" * 1_000_000)
    elif mutation == "deep":
        document = replace(document, path, lambda _: nest(data.draw(st.integers(10, 3000))))
    elif mutation == "surrogate":
        document = replace(document, path, lambda v: f"{v}\ud800" if isinstance(v, str) else v)
    elif mutation == "digits":
        document = replace(
            document, path, lambda v: v.translate(WIDE_DIGITS) if isinstance(v, str) else v
        )
    elif mutation == "payload":
        payload = data.draw(hostile_texts())
        document = replace(document, path, lambda v: payload if isinstance(v, str) else v)
    elif mutation == "cycle" and len(document.get("pledges", [])) >= 2:
        first, second = document["pledges"][0]["id"], document["pledges"][1]["id"]
        document = replace(
            document,
            ("pledges", 0),
            lambda p: {**p, "links": [{"kind": "renews", "pledge": second}]},
        )
        document = replace(
            document,
            ("pledges", 1),
            lambda p: {**p, "links": [{"kind": "part-of", "pledge": first}]},
        )
        with pytest.raises(LoadError, match=r"cycle|made later"):
            from_data(document)
    else:
        value = data.draw(REPLACEMENTS)
        document = replace(document, path, lambda _: value)
    only_pledges_errors(from_data, document)
    try:
        text = json.dumps(document, allow_nan=True)
    except (ValueError, RecursionError):
        return
    only_pledges_errors(loads, text, "json")
    only_pledges_errors(loads, text.encode("utf-8", "surrogatepass"), "json")


def test_json_nested_past_the_recursion_limit_is_a_located_error() -> None:
    with pytest.raises(LoadError, match="nested too deeply"):
        loads("[" * 100_000 + "]" * 100_000, "json")


def test_a_deeply_nested_or_huge_value_gets_a_short_message() -> None:
    """Found by the long profile: the message quoting such a value must not recurse."""
    deep = nest(5000)
    with pytest.raises(LoadError) as caught:
        from_data({"schema_version": deep, "title": "t"})
    assert "expected a positive integer, got [[[[...]]]]" in str(caught.value)
    with pytest.raises(LoadError) as caught:
        from_data({"schema_version": 1, "title": ["x" * 1_000_000]})
    assert len(str(caught.value)) < 300
