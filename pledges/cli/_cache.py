"""The command line's cache (private): answers and ledgers kept between runs, keyed by the
bytes of the files they come from, so that a command on a large ledger that has not changed
is quick.

- **Answers.** The output of a reading command (``report``, ``status``, ``summary``,
  ``show``) is kept under a key made of the command line, the bytes of every ledger file it
  names, today's date (the default "as of"), the output's width and encoding, and the
  version of pledges. The same command on the same bytes prints the kept answer; a changed
  byte, a new day or a new release makes a new key. Only successful answers are kept.
- **Ledgers.** A TOML ledger, once read, is kept in the canonical JSON layout (the one the
  fast loader reads quickest), keyed by the TOML file's bytes; the next command on the same
  bytes reads that instead of parsing the TOML again. It is a ledger file like any other,
  fully checked when read.

The cache lives in ``$PLEDGES_CACHE_DIR``, else ``$XDG_CACHE_HOME/pledges``, else
``~/.cache/pledges``; ``PLEDGES_NO_CACHE=1`` turns it off. A folder that is not the user's
own, or that others may write to, is not used. Every entry carries a keyed hash (HMAC-SHA256)
of its bytes under a random key kept in the folder (readable by the user alone), checked
before the entry is used: a damaged entry, or one copied or written by anyone who cannot
read that key, is ignored and made again. Answers are cleaned for the terminal again as
they are printed. The oldest entries are removed beyond :data:`KEEP` of each kind.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import os
import secrets
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pledges._version import __version__

if TYPE_CHECKING:
    from pledges.ledger import Ledger

__all__ = ["CACHED_COMMANDS", "KEEP", "answer_key", "folder", "load_cached", "recall", "remember"]

CACHED_COMMANDS = frozenset({"report", "status", "summary", "show"})
"""The commands whose answers are kept: they only read."""

KEEP = 256
"""How many entries of each kind (answers, ledgers) the cache keeps."""


def folder() -> Path | None:
    """The cache folder, made if missing (mode 0700); ``None`` when the cache is off or the
    folder is not safe to use (not a folder of the user's own, or writable by others)."""
    if os.environ.get("PLEDGES_NO_CACHE") == "1":
        return None
    chosen = os.environ.get("PLEDGES_CACHE_DIR")
    if chosen:
        root = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = Path(base) / "pledges"
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(root)
    except (OSError, ValueError):
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return root


def _file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return None
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except (OSError, ValueError):
        return None


def answer_key(argv: Sequence[str], width: int, encoding: str) -> str | None:
    """The key of a command's answer, or ``None`` when it is not one to keep (another
    command, or a named file that cannot be read)."""
    if not argv or argv[0] not in CACHED_COMMANDS:
        return None
    parts = [__version__, _dt.date.today().isoformat(), str(width), encoding, *argv]
    for arg in argv[1:]:
        if arg.endswith((".toml", ".json")):
            digest = _file_digest(arg)
            if digest is None:
                return None  # let the command say what is wrong with it
            parts.append(digest)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _prune(kind: Path) -> None:
    try:
        entries = sorted(kind.iterdir(), key=lambda p: p.stat().st_mtime)
        for stale in entries[:-KEEP]:
            stale.unlink()
    except OSError:
        pass


def _write(path: Path, data: bytes) -> None:
    from pledges._files import FileError, write_atomic

    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        write_atomic(path, data)
    except (OSError, FileError):
        return
    _prune(path.parent)


def _secret(root: Path) -> bytes | None:
    """The folder's key for the entries' hashes, made on first use (mode 0600)."""
    path = root / "key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    else:
        with os.fdopen(fd, "wb") as stream:
            stream.write(secrets.token_bytes(32))
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            return None
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return None
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def _sealed(root: Path, body: bytes) -> bytes | None:
    key = _secret(root)
    if key is None:
        return None
    return hmac.new(key, body, "sha256").hexdigest().encode() + b"\n" + body


def _opened(root: Path, path: Path) -> bytes | None:
    """The body of an entry, if its keyed hash holds."""
    key = _secret(root)
    if key is None:
        return None
    try:
        seal, _, body = path.read_bytes().partition(b"\n")
        os.utime(path)  # recently used: pruned last
    except OSError:
        return None
    if not hmac.compare_digest(seal, hmac.new(key, body, "sha256").hexdigest().encode()):
        return None
    return body


def _keep(root: Path, path: Path, body: bytes) -> None:
    sealed = _sealed(root, body)
    if sealed is not None:
        _write(path, sealed)


def recall(key: str) -> str | None:
    """The kept answer under ``key``, or ``None``."""
    root = folder()
    body = None if root is None else _opened(root, root / "answers" / key)
    if body is None:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def remember(key: str, text: str) -> None:
    """Keep ``text`` as the answer under ``key``."""
    root = folder()
    if root is not None:
        _keep(root, root / "answers" / key, text.encode("utf-8", "surrogatepass"))


def load_cached(path: str) -> Ledger:
    """The ledger in the file at ``path``: a TOML file is read from its kept canonical JSON
    when its bytes have been read before (and kept so after reading them now)."""
    from pledges.serialization import dumps, load, loads

    root = folder()
    if root is None or not str(path).endswith(".toml"):
        return load(path)
    digest = _file_digest(path)
    if digest is None:
        return load(path)
    kept = root / "ledgers" / f"{digest}-{__version__}.json"
    body = _opened(root, kept)
    if body is not None:
        try:
            return loads(body, "json", source=str(kept))
        except Exception:  # cannot happen but for a change of format: read the file itself
            pass
    ledger = load(path)
    _keep(root, kept, dumps(ledger, "json").encode("utf-8"))
    return ledger


def _main_width(stream: object) -> int:
    is_terminal = getattr(stream, "isatty", lambda: False)()
    if not is_terminal:
        return 80
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def key_for_run(argv: Sequence[str]) -> str | None:
    """The answer key of this process's command (its real standard output)."""
    return answer_key(argv, _main_width(sys.stdout), sys.stdout.encoding or "utf-8")
