"""Reading the user's input files (scenarios, overlays, facts): regular files only, and at most a size limit.

A scenario file is named by hand, so it may be anything: a directory, a named pipe (``open`` would
wait for a writer forever), a device such as ``/dev/zero`` (reading never ends), a symlink loop, or a
file far too large. Each is refused after one ``stat``, before the file is opened, and the open itself
does not block (``O_NONBLOCK``); the read stops one byte past the limit whatever ``stat`` said.

A problem with the file the user named is their mistake (:class:`~sim.errors.ScenarioError`, exit 1);
a file that exists but that the machine does not let us read (permissions, an I/O error) is a failure
of the environment (:class:`~sim.errors.EnvironmentFailure`, exit 3).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import EnvironmentFailure, ScenarioError

__all__ = ["DEFAULT_MAX_BYTES", "LIMIT_VARIABLE", "FileRefused", "file_problem", "max_bytes", "read_input",
           "refusal_error"]

#: Largest input file accepted by default (1 MiB); real scenarios are a few kilobytes.
DEFAULT_MAX_BYTES = 1 << 20
#: Environment variable that raises (or lowers) the limit, in bytes.
LIMIT_VARIABLE = "SIM_MAX_FILE_BYTES"

# errno values that mean "the machine would not let us", not "the user named the wrong thing".
_ENVIRONMENT_ERRNOS = frozenset((errno.EACCES, errno.EPERM, errno.EIO, errno.ENOMEM, errno.EMFILE,
                                 errno.ENFILE, errno.ESTALE, errno.ENXIO, errno.EAGAIN))

_KINDS = ((stat.S_ISDIR, "is a directory"), (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
          (stat.S_ISCHR, "is a character device, not a regular file"),
          (stat.S_ISBLK, "is a block device, not a regular file"),
          (stat.S_ISSOCK, "is a socket, not a regular file"))


class FileRefused(Exception):
    """Why a file cannot be read: ``message`` in the user's words; ``environment`` if the machine is to blame."""

    def __init__(self, message: str, environment: bool = False):
        super().__init__(message)
        self.message = message
        self.environment = environment


def max_bytes(default: int | None = None) -> int:
    """The size limit: ``$SIM_MAX_FILE_BYTES`` if set, else ``default`` (:data:`DEFAULT_MAX_BYTES`)."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip().replace("_", "")
    if not text:
        return DEFAULT_MAX_BYTES if default is None else default
    if not text.isdigit() or int(text) < 1:
        raise ScenarioError.single(f"${LIMIT_VARIABLE}", f"{os.environ[LIMIT_VARIABLE]!r} is not a size in bytes",
                                   expected="a whole number of bytes such as 1048576")
    return int(text)


def _os_problem(exc: OSError) -> FileRefused:
    if exc.errno == errno.ENOENT:
        return FileRefused("file not found")
    if exc.errno == errno.ELOOP:
        return FileRefused("symlink loop (a link that leads back to itself)")
    if exc.errno == errno.ENOTDIR:
        return FileRefused("file not found (a part of the path is a file, not a folder)")
    if exc.errno == errno.ENAMETOOLONG:
        return FileRefused("file name too long")
    if exc.errno == errno.EISDIR:
        return FileRefused("is a directory")
    reason = (exc.strerror or str(exc)).rstrip(".")
    return FileRefused(f"cannot read the file: {reason}",
                       environment=exc.errno in _ENVIRONMENT_ERRNOS or exc.errno is None)


def _kind_problem(mode: int, size: int, limit: int) -> FileRefused | None:
    for test, words in _KINDS:
        if test(mode):
            return FileRefused(words)
    if not stat.S_ISREG(mode):
        return FileRefused("is not a regular file")
    if size > limit:
        return FileRefused(f"file is {size:,} bytes, too large for a scenario")
    return None


def file_problem(path: str | Path, limit: int) -> FileRefused | None:
    """Why ``path`` cannot be read as an input file (checked with ``stat``, nothing opened), or None."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return _os_problem(exc)
    except ValueError:  # e.g. a NUL character in the name
        return FileRefused("not a usable file name")
    return _kind_problem(info.st_mode, info.st_size, limit)


def _read_bounded(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises :class:`FileRefused`."""
    if refused := file_problem(path, limit):
        raise refused
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO after the stat, open returns at once.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_problem(exc) from None
    try:
        info = os.fstat(fd)
        if refused := _kind_problem(info.st_mode, info.st_size, limit):
            raise refused
        chunks, got = [], 0
        while got <= limit:
            chunk = os.read(fd, limit + 1 - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:  # it grew after the stat
            raise FileRefused(f"file is more than {limit:,} bytes, too large for a scenario")
        return b"".join(chunks)
    except OSError as exc:
        raise _os_problem(exc) from None
    finally:
        os.close(fd)


def refusal_error(name: str, refused: FileRefused, limit: int) -> Exception:
    """The error to raise for a refused file: ScenarioError (exit 1) or EnvironmentFailure (exit 3)."""
    if refused.environment:
        return EnvironmentFailure(f"{name}: {refused.message} "
                                  "(expected a file this user may read: check its permissions and the disk)")
    if "too large" in refused.message:
        expected = f"at most {limit:,} bytes (raise the limit with {LIMIT_VARIABLE}=BYTES)"
    elif "not found" in refused.message:
        expected = "a path to a scenario .yaml file"
    else:
        expected = "a scenario .yaml file" if "directory" in refused.message else "a regular scenario .yaml file"
    return ScenarioError.single(name, refused.message, expected=expected)


def read_input(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of the input file ``path``, refused unless it is a regular file of at most ``limit`` bytes.

    Raises:
        ScenarioError: the file is missing, not a regular file (a directory, FIFO, device, socket), a
            symlink loop, or too large.
        EnvironmentFailure: the file exists but cannot be read (permission denied, I/O error).
    """
    limit = max_bytes() if limit is None else limit
    try:
        return _read_bounded(path, limit)
    except FileRefused as refused:
        raise refusal_error(str(path), refused, limit) from None
