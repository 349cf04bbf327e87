"""The command line's cache (private): answers and ledgers kept between runs, keyed by what
was actually read, so that a command on a large ledger that has not changed is quick.

- **What a key is made of.** The bytes of every ledger file a command reads, read once
  (:class:`Inputs`): the key hashes those very bytes, and the command loads those very
  bytes, so an edit in between can never file a new answer under old bytes. Then the
  command line itself, today's date (the default "as of"), the output's width and encoding,
  and the code: a hash of every file of the installed package (:func:`code_digest`), so an
  edited checkout or a patched build never answers with what another build printed.
- **Answers.** The output of a reading command (``report``, ``status``, ``summary``,
  ``show``) is kept under its key; only successful answers are kept.
- **Ledgers.** A TOML ledger, once read, is kept in the canonical JSON layout (the one the
  fast loader reads quickest), keyed by the TOML file's bytes and the code; the next command
  on the same bytes reads that instead of parsing the TOML again. It is a ledger file like
  any other, fully checked when read.

Nothing is read before it is checked: a file is opened without blocking, must be a regular
file within :data:`~pledges._files.MAX_BYTES` (a FIFO is refused at once, a huge sparse file
by its size), and cache entries are opened without following links and bounded in size.

The cache lives in ``$PLEDGES_CACHE_DIR``, else ``$XDG_CACHE_HOME/pledges``, else
``~/.cache/pledges``; ``PLEDGES_NO_CACHE=1`` turns it off. A folder that is not the user's
own, or that others may write to, is not used. Every entry carries a keyed hash
(HMAC-SHA256) of its bytes under a random key kept in the folder (mode 0600; a damaged key
is replaced), checked before the entry is used: a damaged entry, or one copied or written by
anyone who cannot read that key, is ignored and made again. The oldest entries are removed
beyond :data:`KEEP` of each kind or :data:`KEEP_BYTES` in all.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pledges._files import FileError, read_bytes, write_atomic

if TYPE_CHECKING:
    from pledges.ledger import Ledger

__all__ = [
    "CACHED_COMMANDS",
    "KEEP",
    "KEEP_BYTES",
    "Inputs",
    "code_digest",
    "folder",
    "recall",
    "remember",
]

CACHED_COMMANDS = frozenset({"report", "status", "summary", "show"})
"""The commands whose answers are kept: they only read."""

KEEP = 256
"""How many entries of each kind (answers, ledgers) the cache keeps."""

KEEP_BYTES = 512 << 20
"""How many bytes of entries of each kind the cache keeps (512 MiB)."""

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE_SUFFIXES = (".py", ".toml", ".html", ".css", ".js", ".txt")


@functools.cache
def code_digest() -> str:
    """A hash of every file of the installed package that can change what a command
    prints (its code, templates, lifecycles and bundled ledger)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    checkout = _PACKAGE.parent / "seeds"  # run from a source checkout: its bundled ledger
    for path in sorted(checkout.glob("*.toml")) if checkout.is_dir() else ():
        digest.update(path.read_bytes())
    return digest.hexdigest()


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


class Inputs:
    """The ledger files of one run, each read once: their bytes, and a digest of them."""

    def __init__(self) -> None:
        self.read: dict[str, tuple[bytes, str]] = {}

    def bytes_of(self, path: str) -> tuple[bytes, str]:
        """The bytes of the file at ``path`` and their digest, read on first use;
        :class:`~pledges._files.FileError` when it cannot be read (not a regular file,
        too large, missing)."""
        if path not in self.read:
            raw = read_bytes(path)
            self.read[path] = (raw, hashlib.sha256(raw).hexdigest())
        return self.read[path]

    def key(self, argv: Sequence[str], width: int, encoding: str) -> str:
        """The key of a command's answer over what has been read."""
        parts = [code_digest(), _dt.date.today().isoformat(), str(width), encoding, *argv]
        parts += [f"{path}\0{digest}" for path, (_, digest) in sorted(self.read.items())]
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def ledger(self, path: str, label: str | None = None) -> Ledger:
        """The ledger in the file at ``path`` (loaded from the bytes read, or from the kept
        canonical JSON of those bytes, when they are TOML and have been read before)."""
        from pledges.serialization import dumps, format_of, loads

        fmt = format_of(path)  # before reading: a wrong file type is the clearer message
        raw, digest = self.bytes_of(path)
        source = label or path
        root = folder()
        if root is None or fmt != "toml":
            return loads(raw, fmt, source=source)
        kept = root / "ledgers" / f"{digest}-{code_digest()[:16]}.json"
        body = _opened(root, kept)
        if body is not None:
            return loads(body, "json", source=str(kept))
        ledger = loads(raw, fmt, source=source)
        _keep(root, kept, dumps(ledger, "json").encode("utf-8"))
        return ledger


def _prune(kind: Path) -> None:
    try:
        entries = sorted(
            (entry.stat(follow_symlinks=False), entry)
            for entry in os.scandir(kind)
            if entry.is_file(follow_symlinks=False)
        )
    except OSError:
        return
    total = sum(info.st_size for info, _ in entries)
    count = len(entries)
    for info, entry in entries:  # oldest first
        if count <= KEEP and total <= KEEP_BYTES:
            break
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        count -= 1
        total -= info.st_size


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        write_atomic(path, data)
    except (OSError, FileError):
        return
    _prune(path.parent)


def _secret(root: Path) -> bytes | None:
    """The folder's key for the entries' hashes, made on first use and remade when it is
    damaged (mode 0600); ``None`` when the folder holds a key file that is not the user's
    own regular file."""
    path = root / "key"
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError:
        return None
    if info is not None:
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            return None
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return None
        try:
            key = read_bytes(path, 64, follow=False)
        except FileError:
            return None
        if len(key) == 32:
            return key
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path.with_name(".key.new"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(key)
        os.replace(path.with_name(".key.new"), path)
    except OSError:
        return None
    return key


def _sealed(root: Path, body: bytes) -> bytes | None:
    key = _secret(root)
    if key is None:
        return None
    return hmac.new(key, body, "sha256").hexdigest().encode() + b"\n" + body


def _opened(root: Path, path: Path) -> bytes | None:
    """The body of an entry, if it is a regular file (no link followed, no FIFO waited on)
    within the size bound and its keyed hash holds."""
    key = _secret(root)
    if key is None:
        return None
    try:
        seal, _, body = read_bytes(path, KEEP_BYTES, follow=False).partition(b"\n")
        os.utime(path, follow_symlinks=False)  # recently used: pruned last
    except (OSError, FileError):
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
