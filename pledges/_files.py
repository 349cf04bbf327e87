"""Reading and writing files safely (private): the one place pledges touches the disk.

Reads take regular files only (a FIFO or device would block or never end), opened without
blocking and capped in size. Writes are atomic: the text goes to a temporary file beside the
target, is synced, renamed over the target and the folder synced, so that a crash leaves the
old file or the new one, whole. A symlinked target keeps its link (the file it points at is
replaced), an existing file keeps its mode, a new one gets the mode the umask gives, and
temporaries left by a killed writer (ours, by their name) are swept.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import io
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from pledges.errors import PledgesError, shown

__all__ = [
    "MAX_BYTES",
    "FileError",
    "check_folder",
    "create_new",
    "locked",
    "opened",
    "read_bytes",
    "read_stream",
    "text_lines",
    "write_atomic",
    "write_tree",
]

MAX_BYTES = 1 << 30
"""The largest file pledges reads (1 GiB)."""

_TEMPORARY = ".pledges-tmp"


class FileError(PledgesError):
    """A file that cannot be read or written, with why (``path``, ``reason``)."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{shown(self.path)}: {reason}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _check_regular(fd: int, path: str | os.PathLike[str], limit: int) -> None:
    """Refuse what ``fd`` is open on unless it is a regular file within ``limit`` bytes, and
    make reads on it block (it was opened without blocking, so that a FIFO cannot hang)."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise FileError(path, f"is {_kind(info.st_mode)}, not a regular file")
    if info.st_size > limit:
        raise FileError(path, f"is {info.st_size:,} bytes, over the limit of {limit:,}")
    os.set_blocking(fd, True)


def _read_all(read: Callable[[int], bytes], path: str | os.PathLike[str], limit: int) -> bytes:
    chunks = []
    total = 0
    try:
        while chunk := read(1 << 20):
            total += len(chunk)
            if total > limit:
                raise FileError(path, f"grew past the limit of {limit:,} bytes while read")
            chunks.append(chunk)
    except OSError as exc:
        raise FileError(path, f"cannot be read: {exc.strerror}") from None
    return b"".join(chunks)


def read_fd(fd: int, path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """Every byte of the regular file open on ``fd`` (which this closes), at most ``limit``."""
    try:
        _check_regular(fd, path, limit)
        return _read_all(functools.partial(os.read, fd), path, limit)
    except OSError as exc:
        raise FileError(path, f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def read_stream(stream: BinaryIO, path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """Every byte left in a stream :func:`opened` gave, at most ``limit``."""
    return _read_all(stream.read, path, limit)


def _open(path: str | os.PathLike[str], follow: bool = True) -> int:
    """A descriptor for reading ``path``, opened without blocking (and, unless ``follow``,
    refusing a symbolic link); :class:`FileError` if the path is not valid or cannot be
    opened."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        return os.open(path, flags)
    except ValueError:  # a NUL byte in the path
        raise FileError(path, "is not a valid path (it holds a NUL byte)") from None
    except OSError as exc:
        raise FileError(path, f"cannot be read: {exc.strerror}") from None


def read_bytes(
    path: str | os.PathLike[str], limit: int = MAX_BYTES, *, follow: bool = True
) -> bytes:
    """Every byte of a regular file; :class:`FileError` says why not (missing, a directory,
    a FIFO or device, too large, not allowed, a link when ``follow`` is false)."""
    return read_fd(_open(path, follow), path, limit)


@contextlib.contextmanager
def opened(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> Iterator[BinaryIO]:
    """A regular file open for reading, checked as :func:`read_bytes` checks it (a FIFO or
    device refused without blocking, the size within ``limit``); :class:`FileError` says why
    not. Read it once: :func:`text_lines` for its lines, ``read()`` for its bytes."""
    fd = _open(path)
    try:
        _check_regular(fd, path, limit)
    except OSError as exc:
        os.close(fd)
        raise FileError(path, f"cannot be read: {exc.strerror}") from None
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb") as stream:
        yield stream


def text_lines(stream: BinaryIO | bytes) -> Iterator[str]:
    """The lines of UTF-8 bytes (an open stream, or bytes, which are not copied), a byte
    order mark dropped, without their ``\n`` ends, decoded as they are used;
    ``UnicodeDecodeError`` for bytes that are not UTF-8."""
    source = io.BytesIO(stream) if isinstance(stream, bytes) else stream
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        for line in text:
            yield line[:-1] if line.endswith("\n") else line
    finally:
        text.detach()  # the stream stays open for its owner


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_ANY_TEMPORARY = re.compile(rf"\..+\.([0-9]+)\.[0-9a-f]+{re.escape(_TEMPORARY)}")


def _sweep(folder: Path | int, name: str | None = None) -> None:
    """Remove temporaries of ``name`` (of any name, when ``None``) left by writers that are
    no longer running, in a folder given by path or by descriptor."""
    pattern = (
        _ANY_TEMPORARY
        if name is None
        else re.compile(rf"\.{re.escape(name)}\.([0-9]+)\.[0-9a-f]+{re.escape(_TEMPORARY)}")
    )
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = pattern.fullmatch(entry.name)
            if match is None or int(match.group(1)) == os.getpid():
                continue
            try:
                os.kill(int(match.group(1)), 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    if isinstance(folder, int):
                        os.unlink(entry.name, dir_fd=folder)
                    else:
                        os.unlink(entry.path)
            except (PermissionError, OverflowError):
                pass  # another user's live process, or not a pid at all: leave it


def create_new(path: str | os.PathLike[str], data: bytes) -> None:
    """Create the file at ``path`` with ``data``, whole, never replacing one that is there
    (or a link): written beside it, synced, then linked into place, which fails if the name
    is taken; :class:`FileError` says why not."""
    target = Path(path)
    if "\0" in str(path) or not target.parent.is_dir():
        raise FileError(path, "cannot be made: its folder does not exist")
    temporary = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}{_TEMPORARY}"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(temporary, target)
    except FileExistsError:
        raise FileError(path, "exists already: nothing was replaced") from None
    except OSError as exc:
        raise FileError(path, f"cannot be made: {exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    _fsync_folder(target.parent)


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on the file at ``path`` (``flock``) for the block: a second
    writer waits until the first has read, checked and replaced it. A file replaced while
    we waited (a rename gives a new file) is locked again, so no two writers ever hold a
    lock on the file the path names at once."""
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            raise FileError(path, f"cannot be locked: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held, named = os.fstat(fd), os.stat(path)
        except OSError:
            os.close(fd)
            raise
        if (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino):
            break
        os.close(fd)  # replaced while we waited: lock the file there now
    try:
        yield
    finally:
        os.close(fd)  # closing releases the lock


def check_folder(path: str | os.PathLike[str]) -> Path:
    """The real path a file at ``path`` would be written to (links followed);
    :class:`FileError` when its folder does not exist or the path is not valid."""
    if "\0" in str(path):
        raise FileError(path, "is not a valid path (it holds a NUL byte)")
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        folder = shown(str(target.parent))
        raise FileError(path, f"cannot be written: the folder {folder} does not exist")
    return target


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at ``path`` with ``data`` atomically (see the module's notes)."""
    target = _replace(path, data, sync=True)
    _fsync_folder(target.parent)
    _sweep(target.parent, target.name)


MANIFEST = ".pledges-manifest"
"""The file in which :func:`write_tree` records the files it wrote beneath a folder."""


class _Beneath:
    """A folder open by descriptor, in which names are created, replaced and removed
    without following a link (``openat``-style): a name that is a link is replaced or
    refused, never written through."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            root.mkdir(exist_ok=True)
            self.fds = {"": os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)}
            _sweep(self.fds[""])
        except OSError as exc:
            raise FileError(root, f"cannot be made or opened: {exc.strerror}") from None

    def folder(self, name: str) -> int:
        """A descriptor of the folder ``name`` (one level, made if missing), refused if it
        is a link or no folder."""
        if name not in self.fds:
            try:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o777, dir_fd=self.fds[""])
                flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
                self.fds[name] = os.open(name, flags, dir_fd=self.fds[""])
                _sweep(self.fds[name])
            except OSError as exc:
                reason = (
                    "is a symbolic link or no folder; nothing is written through it"
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR)
                    else exc.strerror
                )
                raise FileError(self.root / name, f"cannot be used: {reason}") from None
        return self.fds[name]

    def holds(self, fd: int, name: str, data: bytes) -> bool:
        """True when ``name`` is a regular file (not a link) holding exactly ``data``."""
        try:
            found = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError:
            return False
        try:
            return (
                stat.S_ISREG(os.fstat(found).st_mode)
                and _read_all(functools.partial(os.read, found), name, len(data) + 1) == data
            )
        except (OSError, FileError):
            return False
        finally:
            os.close(found)

    def write(self, fd: int, name: str, data: bytes, shown: Path) -> None:
        """Replace ``name`` in the folder with ``data`` atomically (a link there is replaced,
        not followed; a folder there is refused)."""
        temporary = f".{name}.{os.getpid()}.{secrets.token_hex(6)}{_TEMPORARY}"
        try:
            out = os.open(
                temporary,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o666,
                dir_fd=fd,
            )
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(out, view) :]
                os.fdatasync(out)
            finally:
                os.close(out)
            os.rename(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=fd)
            raise FileError(shown, f"cannot be written: {exc.strerror}") from None

    def remove(self, fd: int, name: str) -> None:
        """Remove the regular file ``name`` (a link or folder there is left alone)."""
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
                os.unlink(name, dir_fd=fd)

    def close(self) -> None:
        """Sync the folders (their new names) and close them."""
        for fd in self.fds.values():
            with contextlib.suppress(OSError):
                os.fsync(fd)
            os.close(fd)


def _manifest(beneath: _Beneath) -> set[str]:
    """The files a previous :func:`write_tree` recorded (none if the record is missing,
    a link or not its own)."""
    fd = beneath.fds[""]
    try:
        found = os.open(MANIFEST, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    except OSError:
        return set()
    try:
        if not stat.S_ISREG(os.fstat(found).st_mode):
            return set()
        text = _read_all(functools.partial(os.read, found), MANIFEST, 1 << 26).decode()
    except (OSError, FileError, UnicodeDecodeError):
        return set()
    finally:
        os.close(found)
    lines = text.splitlines()
    if not lines or lines[0] != "# files written by pledges site; it removes only these":
        return set()
    return {line for line in lines[1:] if line and _is_page_name(line)}


def _is_page_name(name: str) -> bool:
    """A relative name of at most one folder, with no dot part, as write_tree writes."""
    parts = name.split("/")
    return len(parts) <= 2 and all(p and p not in (".", "..") and "\0" not in p for p in parts)


def write_tree(root: str | os.PathLike[str], files: Mapping[str, bytes]) -> int:
    """Write ``files`` (relative names: ``index.html``, ``pledge/x.html``) beneath the
    folder ``root`` (made if missing; its parent must exist), each replaced atomically and
    synced, without following any link beneath ``root``; a file already holding its bytes is
    left alone (its time kept). Files a previous call recorded writing (:data:`MANIFEST`)
    and not written now are removed; nothing else is ever removed. Returns how many files
    were written."""
    root = Path(root)
    if not root.parent.is_dir():
        parent = shown(str(root.parent))
        raise FileError(root, f"cannot be made: the folder {parent} does not exist")
    beneath = _Beneath(root)
    try:
        before = _manifest(beneath)
        written = 0
        for name, data in files.items():
            if not _is_page_name(name):
                raise FileError(root / name, "is not a name beneath the folder")
            folder, _, base = name.rpartition("/")
            fd = beneath.folder(folder)
            if not beneath.holds(fd, base, data):
                beneath.write(fd, base, data, root / name)
                written += 1
        for stale in sorted(before - set(files)):
            folder, _, base = stale.rpartition("/")
            if folder and folder not in beneath.fds:
                continue  # a folder this build has no file in: opened only to write
            beneath.remove(beneath.folder(folder), base)
        record = "\n".join(["# files written by pledges site; it removes only these", *files])
        beneath.write(beneath.fds[""], MANIFEST, (record + "\n").encode(), root / MANIFEST)
    finally:
        beneath.close()
    return written


def _replace(path: str | os.PathLike[str], data: bytes, *, sync: bool) -> Path:
    """Write ``data`` to a temporary file beside ``path`` (synced when ``sync``) and rename
    it over the target; the target's real path."""
    target = check_folder(path)
    folder = target.parent
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise FileError(path, f"cannot be written: {exc.strerror}") from None
    if target.is_dir():
        raise FileError(path, "is a directory")
    temporary = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}{_TEMPORARY}"
    try:
        # Made with the target's own mode (never wider, even for a moment), else the
        # umask's.
        created = 0o666 if mode is None else mode
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, created)
    except OSError as exc:
        raise FileError(path, f"cannot be written: {exc.strerror}") from None
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FileError(path, f"cannot be written: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target
