"""Versions of a ledger file for the commands that compare two: a file, or a git revision
of one, read through git with its size checked first (private)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pledges._files import MAX_BYTES, read_bytes
from pledges.errors import UsageError

__all__ = ["revision", "version"]


def _git(folder: str, *argv: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", folder, *argv], capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise UsageError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise UsageError(" ".join(reason) or f"git {argv[0]} failed")
    return done.stdout


def revision(spec: str, file: str, role: str) -> tuple[bytes, str]:
    """The bytes of ``file`` at the git revision ``spec``, checked for size before they
    are read (as a file over the limit is refused)."""
    if spec.startswith("-") or not spec.strip():
        raise UsageError(f"{role} {spec!r} is not a git revision")
    folder, name = os.path.dirname(file) or ".", os.path.basename(file)
    blob = f"{spec}:./{name}"
    try:
        size = int(_git(folder, "cat-file", "-s", blob).strip() or b"0")
    except UsageError as exc:
        raise UsageError(f"{role} {spec!r} is no git revision of {file} ({exc})") from None
    if size > MAX_BYTES:
        raise UsageError(f"{blob} is {size:,} bytes, over the limit of {MAX_BYTES:,}")
    return _git(folder, "cat-file", "blob", blob), f"{spec}:{file}"


def version(spec: str, file: str, role: str) -> tuple[bytes, str]:
    """The bytes of a version: the file ``spec``, or ``spec`` as a git revision of ``file``."""
    if Path(spec).is_file():
        return read_bytes(spec), spec
    return revision(spec, file, role)
