"""The template environment of the site and the HTML reports (private).

Jinja2 with autoescaping on for every template, :func:`pledges.escape.terminal` as the
finalizer of every ``{{ }}`` (no control character or bidirectional override reaches a page),
and helpers the templates call: :func:`safe_url` (only http, https and relative addresses),
dates in words with their precision (:func:`pledges.present.phrases.human_date`).
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
from pledges.errors import InvalidQuery
from pledges.present.phrases import human_date

__all__ = ["csp", "environment", "safe_url", "slug"]


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


def site_address(url: str) -> str:
    """The address a site is served from, checked: ``http`` or ``https`` with a host, and
    nothing invisible (:class:`~pledges.errors.InvalidQuery` otherwise), so that the feed's
    and the ClaimReview markup's links it starts are never live code."""
    parts = urlsplit(url) if isinstance(url, str) and url.isprintable() else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidQuery(f"not an http or https address: {url!r}")
    return url


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
    env.globals.update(human_date=human_date, safe_url=safe_url, slug=slug)
    return env
