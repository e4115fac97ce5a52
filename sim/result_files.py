"""The files of a result folder: its writer's lock, atomic writes, Parquet files that say what they hold.

Everything here turns a failure of the machine (a full disk, a missing permission, a corrupt file) into
one :class:`~sim.errors.EnvironmentFailure` naming the path and what to do, and never leaves a torn
file: every file is written under a temporary name beside it (``.NAME.TOKEN.tmp``, created with the
user's umask) and renamed into place only once complete.

- :class:`FolderLock`: one writer per folder, an ``fcntl.flock`` on ``.sim.lock`` held for the whole
  run and released by the operating system when the process ends, however it ends.
- :func:`atomic_file`, :func:`atomic_write_text`, :func:`write_parquet`: whole files or nothing.
- :func:`parquet_record`, :func:`check_parquet`: the record (``ceasefire-sim`` key of the Parquet
  key-value metadata) of what a part or ``runs.parquet`` holds, and whether a file opens and matches it.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import EnvironmentFailure

try:  # POSIX; elsewhere a folder is not locked
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK", "RECORD_KEY", "FolderLock", "assemble", "atomic_file", "atomic_write_text", "check_parquet",
           "environment_failure", "first_line", "parquet_record", "reading", "record_schema", "remove_temporaries",
           "write_parquet", "writing"]

LOCK = ".sim.lock"
RECORD_KEY = b"ceasefire-sim"
# What the temporary files of an interrupted write look like (older releases named runs' ".runs.X.parquet.tmp").
TEMPORARIES = (".runs.*.tmp", ".manifest.json.*.tmp", ".scenario.resolved.yaml.*.tmp", ".write-test")
PART_TEMPORARIES = (".part-*.tmp",)

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def environment_failure(path: Path | str, exc: OSError, doing: str = "cannot write",
                        then: str = "rerun with --resume (finished chunks are kept)") -> EnvironmentFailure:
    """One line for an operating-system error on ``path``: what failed and what to do about it."""
    code = exc.errno
    if doing == "cannot read":
        advice = ("make it readable" if code in _DENIED else "check the file and the disk") + ", then run the command again"
    elif code in _FULL or "No space left" in str(exc):
        advice = f"free some disk space, then {then}"
    elif code in _DENIED:
        advice = f"make the folder writable, then {then}"
    else:
        advice = f"check the disk, then {then}"
    return EnvironmentFailure(f"{doing} {path}: {_reason(exc)}: {advice}")


@contextmanager
def writing(path: Path | str, then: str | None = None) -> Iterator[None]:
    """Turn an ``OSError`` raised while writing ``path`` into one :class:`EnvironmentFailure`
    (``then``: what to do once the cause is fixed; default: rerun with --resume)."""
    try:
        yield
    except EnvironmentFailure:
        raise
    except OSError as exc:
        raise environment_failure(path, exc, **({"then": then} if then else {})) from None


@contextmanager
def reading(path: Path | str) -> Iterator[None]:
    """Turn an ``OSError`` raised while reading ``path`` into one :class:`EnvironmentFailure`."""
    try:
        yield
    except EnvironmentFailure:
        raise
    except OSError as exc:
        raise environment_failure(path, exc, "cannot read") from None


@contextmanager
def atomic_file(path: Path, mode: str = "wb", then: str | None = None) -> Iterator[IO[Any]]:
    """A file object whose content appears at ``path`` only if the block ends without an error.

    The temporary file beside it is created with mode 0o666 less the user's umask (as ``open`` would),
    flushed to disk before the rename, and removed if anything fails; an ``OSError`` becomes an
    :class:`EnvironmentFailure` (``then``: as for :func:`writing`).
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with writing(path, then):
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file so that readers see the old or the new content, never a torn one."""
    with writing(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path, "w") as fh:
        fh.write(text)


def _with_record(table: pa.Table, record: Mapping[str, Any]) -> pa.Table:
    metadata = dict(table.schema.metadata or {})
    metadata[RECORD_KEY] = json.dumps(dict(record), sort_keys=True).encode()
    return table.replace_schema_metadata(metadata)


def write_parquet(path: Path, table: Any, record: Mapping[str, Any], then: str | None = None) -> None:
    """Write a pandas or Arrow table to ``path`` atomically, with ``record`` in its key-value metadata."""
    arrow = table if isinstance(table, pa.Table) else pa.Table.from_pandas(table, preserve_index=False)
    with atomic_file(path, then=then) as fh:
        pq.write_table(_with_record(arrow, record), fh)


def record_schema(schema: pa.Schema, record: Mapping[str, Any]) -> pa.Schema:
    """``schema`` carrying ``record`` (for a :class:`pyarrow.parquet.ParquetWriter`)."""
    metadata = dict(schema.metadata or {})
    metadata[RECORD_KEY] = json.dumps(dict(record), sort_keys=True).encode()
    return schema.with_metadata(metadata)


def _record_of(schema: pa.Schema) -> dict[str, Any] | None:
    raw = (schema.metadata or {}).get(RECORD_KEY)
    try:
        record = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def parquet_record(path: Path) -> dict[str, Any] | None:
    """The record a Parquet file carries (None if it has none); raises if the file does not open."""
    return _record_of(pq.read_schema(path))


def first_line(exc: BaseException) -> str:
    """The first line of an error's text (pyarrow's run over several)."""
    text = re.sub(r"^Could not open Parquet input source '.*?': ", "", str(exc).strip())  # the path is named already
    return text.splitlines()[0] if text else type(exc).__name__


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text[:12] + "..." if len(text) > 16 else text


def check_parquet(path: Path, expected: Mapping[str, Any], rows: int) -> str | None:
    """Why the Parquet file at ``path`` cannot be trusted to hold ``expected`` (None if it can).

    It must open and read whole, carry a record whose every ``expected`` key has the expected value,
    and hold ``rows`` rows.
    """
    try:
        with reading(path):
            table = pq.read_table(path)
        record = _record_of(table.schema)
    except EnvironmentFailure:
        raise
    except (pa.ArrowException, ValueError, TypeError) as exc:
        return f"is corrupt ({first_line(exc)})"
    found = table.num_rows
    if record is None:
        return "is from another experiment (it carries no record of its seed and scenario)"
    different = [f"{k} {_short(record.get(k))}, not {_short(v)}" for k, v in expected.items() if record.get(k) != v]
    if different:
        return f"is from another experiment ({'; '.join(different)})"
    if found != rows:
        return f"is incomplete ({found} rows, not {rows})"
    return None


def _read_part(path: Path) -> pa.Table:
    try:
        with reading(path):
            return pq.read_table(path)
    except (pa.ArrowException, ValueError) as exc:
        raise EnvironmentFailure(f"{path} is corrupt ({first_line(exc)}): rerun with --resume to simulate its "
                                 "runs again") from None


def assemble(target: Path, parts: Sequence[Path], record: Mapping[str, Any], csv: Path | None = None) -> None:
    """Join Parquet parts in order into ``target`` (and ``csv``), one part in memory at a time; the
    joined file carries ``record``."""
    csv_file = atomic_file(csv, "w") if csv is not None else nullcontext()
    with atomic_file(target) as fh, csv_file as csv_fh:
        writer: pq.ParquetWriter | None = None
        try:
            for k, part in enumerate(parts):
                table = _read_part(part)
                if writer is None:
                    schema = record_schema(table.schema, record)
                    writer = pq.ParquetWriter(fh, schema)
                writer.write_table(table.cast(schema))
                if csv_fh is not None:
                    table.to_pandas().to_csv(csv_fh, header=(k == 0), index=False)
        finally:
            if writer is not None:
                writer.close()


def remove_temporaries(folder: Path, parts: Path) -> None:
    """Remove the temporary files an interrupted writer left (call with the folder's lock held)."""
    for where, patterns in ((folder, TEMPORARIES), (parts, PART_TEMPORARIES)):
        for pattern in patterns:
            for leftover in where.glob(pattern):
                with writing(leftover):
                    leftover.unlink(missing_ok=True)


class FolderLock:
    """The one writer of a result folder: an exclusive ``flock`` on ``FOLDER/.sim.lock``.

    The lock belongs to the open file, so it lasts while this process runs and the operating system
    drops it when the process ends, even by SIGKILL: a lock left by a killed run never blocks the
    next one. The lock file itself is never removed (removing it would let two writers lock two files).

    Raises:
        EnvironmentFailure: another process holds the lock, or the folder cannot be written.
    """

    def __init__(self, folder: Path):
        self.path = folder / LOCK
        with writing(folder):
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
                os.close(fd)
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise environment_failure(self.path, exc) from None
                pid = f" (pid {holder})" if holder.isdigit() else ""
                raise EnvironmentFailure(f"{folder} is being written by another run{pid}: wait for it to finish, "
                                         "or choose another --out") from None
        try:
            with writing(folder):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd: int | None = fd

    def release(self) -> None:
        """Give the folder up (closing the lock file drops the lock); safe to call twice."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
