"""The Vietnam–Belarus ledger that ships with pledges."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pledges.errors import LoadError, Problem
from pledges.ledger import Ledger
from pledges.serialization import loads

__all__ = ["BUNDLED_NAME", "bundled_text", "load_bundled"]

BUNDLED_NAME = "vietnam-belarus.toml"
"""The file name of the bundled ledger, in the project's ``seeds/`` folder."""


def bundled_text() -> str:
    """The bundled ledger's TOML text: from the installed package, or from ``seeds/`` when
    pledges runs from a source checkout."""
    installed = resources.files("pledges").joinpath("_seeds", BUNDLED_NAME)
    if installed.is_file():
        return installed.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parent.parent / "seeds" / BUNDLED_NAME
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise LoadError(BUNDLED_NAME, [Problem("", "the bundled ledger is missing from this install")])


def load_bundled() -> Ledger:
    """The bundled Vietnam–Belarus ledger, loaded and checked."""
    return loads(bundled_text(), "toml", source=f"<bundled {BUNDLED_NAME}>")
