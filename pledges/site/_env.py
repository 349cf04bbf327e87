"""The template environment of the site and the HTML reports (private).

Jinja2 with autoescaping on for every template, :func:`pledges.escape.terminal` as the
finalizer of every ``{{ }}`` (no control character or bidirectional override reaches a page),
and helpers the templates call: :func:`safe_url` (only http, https and relative addresses),
dates in words with their precision, status badges.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from pledges import escape
from pledges.dates import PartialDate, Window

__all__ = ["BADGES", "csp", "environment", "human_date", "human_window", "safe_url", "slug"]

_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)

BADGES: dict[str, tuple[str, str]] = {
    "fulfilled": ("✓", "Kept"),
    "partial": ("◐", "Kept in part"),
    "failed": ("✗", "Broken"),
    "closed": ("■", "Closed"),
    "open": ("○", "Open"),
}
"""For each status kind, the symbol a badge shows beside its label (so that a status is
never told by colour alone) and the kind in words."""


def human_date(date: PartialDate | None) -> str:
    """``12 May 2025``, ``26 or 27 November 2014``, ``October 2024 (month only)``, ``2025
    (year only)``."""
    if date is None:
        return ""
    if date.month is None:
        return f"{date.year} (year only)"
    month = _MONTHS[date.month - 1]
    if date.day is None:
        return f"{month} {date.year} (month only)"
    if date.until is not None:
        days = (
            f"{date.day} or {date.until}"
            if date.until == date.day + 1
            else f"{date.day}–{date.until}"
        )
        return f"{days} {month} {date.year}"
    return f"{date.day} {month} {date.year}"


def human_window(window: Window) -> str:
    """``26 November 2014 to 2015 (year only)``, ``until 2027 (year only)``, ``from May 2025
    (month only)``, with the source's own wording after it."""
    start, end = human_date(window.start), human_date(window.end)
    if start and end:
        text = f"{start} to {end}"
    elif end:
        text = f"until {end}"
    elif start:
        text = f"from {start}"
    else:
        text = "open-ended"
    return f"{text} ({window.wording})" if window.wording else text


def safe_url(url: str | None) -> str | None:
    """The address if it is ``http``, ``https`` or relative (no scheme, no host), else
    ``None``: a ``javascript:`` or ``data:`` address is never linked."""
    if not url or not isinstance(url, str) or not url.isprintable():
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if not parts.scheme and not parts.netloc and not url.strip().startswith(("//", "\\")):
        return url
    return None


_SLUG_UNSAFE = re.compile(r"[_:]")


def slug(record_id: str) -> str:
    """A file name for a record's page: the id, with ``_`` and ``:`` written ``_5f`` and
    ``_3a`` (ids hold letters, digits and ``. _ : -``), so that two ids never share one."""
    return _SLUG_UNSAFE.sub(lambda m: f"_{ord(m.group()):02x}", record_id)


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape.terminal(value)
    return value


@functools.cache
def asset(name: str) -> str:
    """A file of ``pledges/site/static`` as text."""
    return resources.files("pledges.site").joinpath("static", name).read_text("utf-8")


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script or style."""
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def csp(style: str, script: str | None) -> str:
    """A policy that lets the page load nothing: no script or style but the inline ones
    given (by hash), no image, frame, font, form target or connection. (A page's own
    policy cannot forbid framing: ``frame-ancestors`` is for the server's header.)"""
    scripts = csp_hash(script) if script else "'none'"
    return (
        f"default-src 'none'; style-src {csp_hash(style)}; script-src {scripts}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


@functools.cache
def environment() -> jinja2.Environment:
    """The environment every page is rendered with (made once: its templates are compiled
    on first use and kept)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pledges.site", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(human_date=human_date, safe_url=safe_url, slug=slug, badges=BADGES)
    return env
