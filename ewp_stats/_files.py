"""File helpers shared by every layer: sha256 of a file, atomic writes, atomic directories, locks.

The atomic helpers follow one rule: build the new state beside the old one, check it, then
swap it in with a single rename, so an exception, a full disk, ``SIGINT`` or ``SIGTERM`` at
any point leaves the previous state untouched (byte for byte).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from ewp_stats._typing import PathLike
from ewp_stats.errors import DataValidationError, EwpStatsError

__all__ = ["sha256_of", "sha256_bytes", "atomic_write_bytes", "atomic_write_text", "atomic_directory",
           "directory_lock", "LockedError", "decode_text", "read_text", "decode_json"]


class LockedError(EwpStatsError):
    """Another process holds the lock on an output directory."""


def decode_text(blob: bytes, *, file: str, allow_empty: bool = False) -> str:
    """Decode a file's bytes as UTF-8 (a leading BOM is an error too), naming the file and line.

    Parameters
    ----------
    blob
        The file's bytes.
    file
        The file's name in messages.
    allow_empty
        Accept a file of zero bytes (or whitespace only).

    Raises
    ------
    DataValidationError
        The bytes are not UTF-8 (names the 1-based line and the offending byte) or the file
        is empty.
    """
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = blob.count(b"\n", 0, exc.start) + 1
        raise DataValidationError(f"not UTF-8 text (byte 0x{blob[exc.start]:02x} at offset {exc.start}); "
                                  "save the file as UTF-8", file=file, row=line) from None
    if text.startswith("\ufeff"):
        raise DataValidationError("starts with a byte-order mark; save the file as UTF-8 without BOM",
                                  file=file, row=1)
    if not allow_empty and not text.strip():
        raise DataValidationError("the file is empty; expected a header and data rows", file=file)
    return text


def read_text(path: PathLike, *, file: str, allow_empty: bool = False) -> str:
    """Read a text file as UTF-8 (see :func:`~ewp_stats._files.decode_text`)."""
    return decode_text(Path(path).read_bytes(), file=file, allow_empty=allow_empty)


def decode_json(text: str, *, file: str) -> object:
    """Parse JSON, naming the file, line and column of a syntax error (e.g. a truncated file).

    Raises
    ------
    DataValidationError
        The text is not valid JSON.
    """
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataValidationError(f"not valid JSON ({exc.msg}, column {exc.colno}); the file is truncated or "
                                  "edited: restore it", file=file, row=exc.lineno) from None


def sha256_of(path: PathLike) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB blocks.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        64 lower-case hex digits.
    """
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(blob: bytes) -> str:
    """Hex sha256 of ``blob`` (64 lower-case hex digits)."""
    return hashlib.sha256(blob).hexdigest()


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_file_mode(path: Path) -> int:
    """The permission bits ``open(path, "w")`` would give: the existing file's, else 0666 minus umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def atomic_write_bytes(path: PathLike, blob: bytes) -> None:
    """Write ``blob`` to ``path`` through a temporary file beside it and one rename.

    A reader sees the old file or the complete new one, never a part; on any failure the
    temporary file is removed and ``path`` is unchanged. A symlink at ``path`` is replaced,
    not followed.

    Parameters
    ----------
    path
        The file to write.
    blob
        Its new content.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _new_file_mode(path))  # mkstemp makes 0600; give a plain write's mode
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: PathLike, text: str) -> None:
    """:func:`~ewp_stats._files.atomic_write_bytes` of ``text`` encoded as UTF-8."""
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """Within the block, ``SIGTERM`` raises ``SystemExit(143)`` (so cleanup runs) like ``SIGINT``
    raises ``KeyboardInterrupt``; outside the main thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Defer ``SIGINT``/``SIGTERM`` for the few system calls of a swap (POSIX main thread)."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    sigs = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where not supported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: file system or kernel without exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def _carry(src: Path, dst: Path) -> None:
    """Copy one entry of the old directory into the new one (hard link where possible)."""
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
    elif src.is_dir():
        shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


@contextlib.contextmanager
def atomic_directory(target: PathLike, *,
                     carry_over: Callable[[str], bool] | None = None) -> Iterator[Path]:
    """Build a directory's new content in a temporary directory beside it, then swap it in.

    Use as ``with atomic_directory(out) as tmp: <write and check files in tmp>``. When the
    block ends normally ``tmp`` replaces ``target`` in one rename (an atomic exchange on
    Linux); when it raises -- an exception, a full disk, ``KeyboardInterrupt`` from ``SIGINT``,
    or ``SystemExit`` from ``SIGTERM`` -- ``tmp`` is removed and ``target`` is untouched.
    Files of ``target`` that the block does not write are gone afterwards unless kept by
    ``carry_over``; symlinks inside ``target`` are never followed.

    Parameters
    ----------
    target
        The directory to replace (created if absent; its parent is created too).
    carry_over
        ``name -> bool``: entries of the old ``target`` copied into ``tmp`` before the block
        runs (e.g. the modules of a package directory that also holds data).

    Yields
    ------
    Path
        The temporary directory to fill.
    """
    target = Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} exists and is not a directory")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _terminate_as_exit():
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        try:
            if carry_over is not None and target.is_dir():
                for entry in sorted(os.listdir(target)):
                    if carry_over(entry):
                        _carry(target / entry, tmp / entry)
            yield tmp
            os.chmod(tmp, 0o777 & ~_umask())
            with _signals_blocked():
                if not target.exists():
                    os.rename(tmp, target)
                    tmp = None
                elif _exchange(tmp, target):
                    pass  # tmp now holds the old content
                else:
                    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
                    os.rmdir(old)
                    os.rename(target, old)
                    os.rename(tmp, target)
                    tmp = old
            _fsync_dir(target.parent)
        finally:
            if tmp is not None:
                with _signals_blocked():
                    shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def directory_lock(target: PathLike, *, command: str) -> Iterator[Path]:
    """Hold an exclusive lock on ``target`` for the block, through a lock file beside it.

    Parameters
    ----------
    target
        The directory being written.
    command
        What holds the lock (named in the error, e.g. ``"ewp-stats reproduce"``).

    Yields
    ------
    Path
        The lock file (``.<name>.lock`` beside ``target``).

    Raises
    ------
    LockedError
        Another process holds the lock; the message names the lock file and what to do.
    """
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}.lock"
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: exclusive creation instead of flock
        fcntl = None  # type: ignore[assignment]

    def busy() -> LockedError:
        try:
            holder = lock.read_text(encoding="utf-8").strip() or "unknown"
        except OSError:
            holder = "unknown"
        return LockedError(f"{target} is being written by another {command} (process {holder}), which holds "
                           f"the lock {lock}; wait for it to finish, or, if no such process is running, "
                           f"delete {lock} and try again")

    if fcntl is None:  # pragma: no cover
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raise busy() from None
        try:
            os.write(fd, str(os.getpid()).encode())
            yield lock
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(lock)
        return
    while True:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise busy() from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed the file between our open and lock: retry
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield lock
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)
