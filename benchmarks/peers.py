"""The peers the benchmark measures pledges against, each a real package of the ``bench``
extra: pydantic v2 models of the same file, naive cattrs (a default converter into the same
classes), orjson as a floor, and lifecycle replays through python-statemachine and
transitions. Each is ``None`` where its package is not installed."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

from synthetic import MOVES, STATUSES

from pledges import DEFAULT

__all__ = [
    "msgspec_attrs",
    "msgspec_structs",
    "naive_cattrs",
    "orjson",
    "pydantic_load",
    "replays",
    "toml_parsers",
]


def orjson() -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]] | None:
    """orjson's ``loads`` and ``dumps``, the fastest JSON parser and writer: floors below
    the standard library's."""
    try:
        import orjson as module
    except ImportError:
        return None
    loads: Callable[[bytes], Any] = module.loads
    dumps: Callable[[Any], bytes] = module.dumps
    return loads, dumps


def naive_cattrs() -> Callable[[bytes], Any]:
    """``json.loads`` and a default :class:`cattrs.Converter` structuring into pledges' own
    classes (their attrs validators and the ledger's checks run in ``__init__``), with
    only the one hook a default converter lacks: dates from text."""
    import cattrs

    from pledges import Ledger
    from pledges.dates import PartialDate

    converter = cattrs.Converter()
    converter.register_structure_hook(PartialDate, lambda value, _: PartialDate.parse(value))

    def load(raw: bytes) -> Any:
        data = json.loads(raw)
        data.pop("schema_version")
        return converter.structure(data, Ledger)

    return load


def msgspec_structs() -> Callable[[bytes], Any] | None:
    """msgspec decoding into Structs of the same file, types only (the pydantic models'
    fields, unknown fields refused): the fastest typed decoding there is, and what a
    ledger of msgspec records would cost. Duplicate keys: the last wins (pledges refuses)."""
    try:
        import msgspec
    except ImportError:
        return None

    # Built with defstruct: this module's annotations are strings, which msgspec resolves
    # at module level only.
    strs = tuple[str, ...]

    def struct(name: str, fields: list[Any]) -> Any:
        return msgspec.defstruct(name, fields, frozen=True, forbid_unknown_fields=True)

    evidence = struct(
        "Evidence", [("source", str), ("quote", str | None, None), ("summary", str | None, None)]
    )
    update = struct(
        "Update",
        [
            ("date", str),
            ("status", str),
            ("kind", str),
            ("evidence", tuple[evidence, ...]),  # type: ignore[valid-type]
            ("note", str | None, None),
        ],
    )
    pledge = struct(
        "Pledge",
        [
            ("id", str),
            ("title", str),
            ("text", str),
            ("made_by", strs),
            ("history", tuple[update, ...]),  # type: ignore[valid-type]
            ("made_to", strs, ()),
            ("occasion", str | None, None),
            ("topics", strs, ()),
        ],
    )
    actor = struct("Actor", [("id", str), ("name", str), ("aliases", strs, ())])
    source = struct(
        "Source", [("id", str), ("title", str), ("url", str), ("published", str | None, None)]
    )
    occasion = struct("Occasion", [("id", str), ("title", str), ("start", str)])
    document = struct(
        "Document",
        [
            ("schema_version", int),
            ("title", str),
            ("actors", tuple[actor, ...]),  # type: ignore[valid-type]
            ("sources", tuple[source, ...]),  # type: ignore[valid-type]
            ("occasions", tuple[occasion, ...]),  # type: ignore[valid-type]
            ("pledges", tuple[pledge, ...]),  # type: ignore[valid-type]
        ],
    )
    decode: Callable[[bytes], Any] = msgspec.json.Decoder(document).decode
    return decode


def msgspec_attrs() -> tuple[Callable[[bytes], Any] | None, str]:
    """msgspec decoding straight into pledges' own attrs classes (the route that would keep
    the public API), and why it cannot where it cannot."""
    try:
        import msgspec
    except ImportError:
        return None, "msgspec not installed"
    from pledges import Ledger
    from pledges.dates import PartialDate

    def hook(kind: type, value: Any) -> Any:
        if kind is PartialDate:
            return PartialDate.parse(value)
        raise NotImplementedError

    def load(raw: bytes) -> Any:
        data = json.loads(raw)
        data.pop("schema_version")
        return msgspec.convert(data, Ledger, dec_hook=hook)

    try:
        from pledges import load_bundled
        from pledges.serialization import dumps

        load(dumps(load_bundled(), "json").encode())
    except msgspec.ValidationError as exc:
        return None, f"msgspec cannot decode the attrs records: {exc}"
    return load, ""


def toml_parsers() -> dict[str, Callable[[str], Any]]:
    """TOML parsers to weigh: the standard library's (pure Python) and rtoml (Rust), where
    installed."""
    import tomllib

    found: dict[str, Callable[[str], Any]] = {"tomllib.loads": tomllib.loads}
    try:
        import rtoml
    except ImportError:
        return found
    found["rtoml.load"] = rtoml.load
    return found


def pydantic_load() -> Callable[[bytes], Any] | None:
    """pydantic v2 ``model_validate_json`` on strict frozen models of the same file (dates
    as plain text, no checks across records, no lifecycle rules)."""
    try:
        model = _pydantic_model()
    except ImportError:
        return None
    return model.model_validate_json  # type: ignore[no-any-return]


def replays(histories: list[list[str]]) -> dict[str, Callable[[], None]]:
    """Replaying every history through python-statemachine and through transitions, one
    machine a pledge, where installed."""
    found: dict[str, Callable[[], None]] = {}
    try:
        machine = _statemachine()
    except ImportError:
        pass
    else:

        def replay_statemachine() -> None:
            for history in histories:
                _replay_statemachine(machine, history)

        found["python-statemachine replay"] = replay_statemachine
    try:
        from transitions import Machine
    except ImportError:
        return found

    def replay_transitions() -> None:
        for history in histories:
            model = Machine(
                states=list(STATUSES),
                initial=history[0],
                transitions=_TRANSITIONS,
                auto_transitions=False,
            )
            for before, after in itertools.pairwise(history):
                if before != after:
                    model.trigger(f"{before}_to_{after}")

    found["transitions replay"] = replay_transitions
    return found


_TRANSITIONS = [
    {"trigger": f"{a}_to_{b}", "source": a, "dest": b}
    for a, targets in MOVES.items()
    for b in targets
]


def _statemachine() -> Any:
    from statemachine import State, StateMachine

    states = {
        s: State(s.replace("-", "_"), initial=s == DEFAULT.initial, value=s, final=not MOVES[s])
        for s in STATUSES
    }
    namespace: dict[str, Any] = {s.replace("-", "_"): state for s, state in states.items()}
    for a, targets in MOVES.items():
        for b in targets:
            namespace[f"{a}_to_{b}".replace("-", "_")] = states[a].to(states[b])
    return type("PledgeMachine", (StateMachine,), namespace)


def _replay_statemachine(machine: Any, history: list[str]) -> None:
    instance = machine()
    for before, after in itertools.pairwise(history):
        if before != after:
            instance.send(f"{before}_to_{after}".replace("-", "_"))


def _pydantic_model() -> Any:
    from pydantic import BaseModel, ConfigDict

    class Strict(BaseModel):  # type: ignore[misc,unused-ignore]  # Any without pydantic
        model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    class Evidence(Strict):
        source: str
        quote: str | None = None
        summary: str | None = None

    class Update(Strict):
        date: str
        status: str
        kind: str
        evidence: tuple[Evidence, ...]
        note: str | None = None

    class Pledge(Strict):
        id: str
        title: str
        text: str
        made_by: tuple[str, ...]
        made_to: tuple[str, ...] = ()
        occasion: str | None = None
        topics: tuple[str, ...] = ()
        history: tuple[Update, ...]

    class Actor(Strict):
        id: str
        name: str
        aliases: tuple[str, ...] = ()

    class Source(Strict):
        id: str
        title: str
        url: str
        published: str | None = None

    class Occasion(Strict):
        id: str
        title: str
        start: str

    class Document(Strict):
        schema_version: int
        title: str
        actors: tuple[Actor, ...]
        sources: tuple[Source, ...]
        occasions: tuple[Occasion, ...]
        pledges: tuple[Pledge, ...]

    return Document
