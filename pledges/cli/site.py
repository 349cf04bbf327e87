"""The site command: a tracker as a folder of static pages."""

from __future__ import annotations

import argparse
from pathlib import Path

from pledges.cli._common import OK, Out, add_ledger, date_argument, ledger_of, warn_ranks

__all__ = ["add_site"]


def _site(args: argparse.Namespace, out: Out) -> int:
    from pledges.site import build

    ledger = ledger_of(args)
    warn_ranks(args, ledger)
    written = build(
        ledger,
        args.output,
        as_of=args.as_of,
        baseline=args.baseline,
        outcome=args.outcome,
        base_url=args.base_url or "",
    )
    index = Path(args.output) / "index.html"
    out.line(f"{args.output}: {len(written)} files (pages and feed.xml); open {index}")
    return OK


def add_site(site: argparse.ArgumentParser) -> None:
    """``pledges site``."""
    add_ledger(site)
    site.add_argument(
        "--output", "-o", required=True, metavar="DIR", help="the folder to write (made if missing)"
    )
    site.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="statuses as of this day (default: the ledger's latest update, so that a build "
        "does not change with the day it is made)",
    )
    site.add_argument(
        "--baseline",
        metavar="OCCASION|DATE",
        help="the lead story's baseline (default: first round)",
    )
    site.add_argument(
        "--outcome", metavar="OCCASION|DATE", help="the lead story's outcome (default: last round)"
    )
    site.add_argument(
        "--base-url",
        type=_base_url,
        metavar="URL",
        help="the address the site will be served from (https://...): makes the links of "
        "feed.xml and of each page's ClaimReview markup absolute",
    )
    site.set_defaults(run=_site)


def _base_url(value: str) -> str:
    from pledges.errors import InvalidQuery
    from pledges.site._env import site_address

    try:
        return site_address(value)
    except InvalidQuery as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
