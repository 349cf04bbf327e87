"""The Vietnam–Belarus ledger that ships with pledges."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pledges.errors import LoadError, Problem

if TYPE_CHECKING:
    from pledges.ledger import Ledger

__all__ = ["BUNDLED_NAME", "BUNDLED_SOURCE", "bundled_path", "bundled_text", "load_bundled"]

BUNDLED_NAME = "vietnam-belarus.toml"
"""The file name of the bundled ledger, in the project's ``seeds/`` folder."""

BUNDLED_SOURCE = f"<bundled {BUNDLED_NAME}>"
"""How messages name the bundled ledger."""


def bundled_path() -> Path:
    """Where the bundled ledger is: in the installed package, or in ``seeds/`` when pledges
    runs from a source checkout."""
    package = Path(__file__).resolve().parent
    for path in (package / "_seeds" / BUNDLED_NAME, package.parent / "seeds" / BUNDLED_NAME):
        if path.is_file():
            return path
    raise LoadError(BUNDLED_NAME, [Problem("", "the bundled ledger is missing from this install")])


def bundled_text() -> str:
    """The bundled ledger's TOML text."""
    return bundled_path().read_text(encoding="utf-8")


def load_bundled() -> Ledger:
    """The bundled Vietnam–Belarus ledger, loaded and checked."""
    from pledges.serialization import loads

    return loads(bundled_path().read_bytes(), "toml", source=BUNDLED_SOURCE)
