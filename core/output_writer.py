"""Files that are either wholly old or wholly new, whatever instant the process dies.

Every final output goes through `atomic_file`: a temp file in the destination
directory, flushed and fsynced, renamed over the target, then the directory
fsynced so the rename itself survives a power cut. `AppendLog` is the other
half: an append-only file whose durable length the caller records elsewhere.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from core.json_codec import encode_json


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Temp files are created private (0600); finished files get the usual permissions.
_FILE_MODE = 0o666 & ~_current_umask()


def dumps_record(record: dict[str, Any]) -> str:
    """The one serialisation of a record as a JSONL line (without the newline).

    A record that `core.records` built holds `core.tools.TOOL_SCHEMAS` itself, whose JSON
    that module writes once; the rest is written around it, exactly as one encoding
    would write the whole. (A record can only hold the schemas once their module is
    loaded, so it is looked up, not imported: many callers never need it.)
    """
    tools = sys.modules.get("core.tools")
    if tools is None or type(record) is not dict or record.get("tools") is not tools.TOOL_SCHEMAS:
        return encode_json(record)
    items = list(record.items())
    at = [key for key, _ in items].index("tools")
    before, after = encode_json(dict(items[:at]))[1:-1], encode_json(dict(items[at + 1:]))[1:-1]
    return "{" + ", ".join(part for part in (before, '"tools": ' + tools.TOOL_SCHEMAS_JSON, after) if part) + "}"


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable (a no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary handle whose contents replace `path` only if the block finishes."""
    target = Path(path)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    fsync_directory(target.parent)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_file(path) as handle:
        handle.write(data)


def write_json(path: str | os.PathLike[str], data: Any) -> None:
    """Pretty, key-stable JSON so two runs' metadata diff cleanly."""
    write_bytes(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def record_line(record: dict[str, Any]) -> bytes:
    """A record as the bytes of its JSONL line, newline included."""
    return dumps_record(record).encode("utf-8") + b"\n"


def write_jsonl(path: str | os.PathLike[str], records: Iterable[dict[str, Any]]) -> int:
    """Stream `records` to `path` atomically, one per line; returns how many were written."""
    count = 0
    with atomic_file(path) as handle:
        for record in records:
            handle.write(record_line(record))
            count += 1
    return count


_APPEND_BUFFER = 1 << 20  # a record is ~8 KB: the default 8 KiB buffer would make a system call per record


class AppendLog:
    """An append-only file: writes are buffered, `sync` makes them durable and returns
    the durable length, which the caller stores atomically elsewhere. Bytes past
    that stored length are uncommitted, and `open` with `length` cuts them off."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle = handle

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, length: int = 0) -> "AppendLog":
        """Open for appending after the first `length` bytes (the rest is discarded)."""
        target = Path(path)
        handle = open(target, "r+b" if target.exists() else "w+b", buffering=_APPEND_BUFFER)
        handle.truncate(length)
        handle.seek(length)
        return cls(target, handle)

    def append(self, line: bytes) -> None:
        self._handle.write(line)

    def sync(self) -> int:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        return self._handle.tell()

    def close(self) -> None:
        self._handle.close()
