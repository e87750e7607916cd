"""Checkpoints: the committed examples of a run so far and the state to continue it.

A checkpoint directory holds two append-only logs (`accepted.jsonl`,
`rejected.jsonl`, the exact lines of the final files) and `state.json`, which
is replaced atomically and names how many bytes of each log are committed,
with their SHA-256. A commit fsyncs the logs, then replaces the state, so a
kill at any instant leaves the old or the new state and never a torn one;
bytes past the committed length are cut off on resume. Committing costs only
the new lines, however long the run.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from collections.abc import Iterator
from typing import IO, Any

from core.output_writer import AppendLog, fsync_directory, write_json

VERSION = 1
STATE_FILE = "state.json"
LOGS = {"accepted": "accepted.jsonl", "rejected": "rejected.jsonl"}
_CHUNK = 1 << 20


class CheckpointError(Exception):
    """A checkpoint that cannot be used. It is never modified; the message names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"checkpoint file {path} is corrupt: {problem}. It has been left untouched; "
                         f"delete {path.parent} (or start fresh) to begin the run again")
        self.path = path


@dataclass(frozen=True)
class CheckpointState:
    config: dict[str, Any]
    fingerprint: str
    seed: int
    total: int
    next_index: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)
    committed_bytes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOGS, 0))
    committed_sha256: dict[str, str] = field(
        default_factory=lambda: dict.fromkeys(LOGS, hashlib.sha256().hexdigest()))
    version: int = VERSION


def _parse_state(path: Path) -> CheckpointState:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise CheckpointError(path, f"cannot be read as JSON ({error})") from None
    if not isinstance(data, dict):
        raise CheckpointError(path, "expected a JSON object")
    if data.get("version") != VERSION:
        raise CheckpointError(path, f"unsupported version {data.get('version')!r} (this program writes {VERSION})")
    missing = sorted({f.name for f in fields(CheckpointState)} - set(data))
    if missing:
        raise CheckpointError(path, f"missing {', '.join(missing)}")
    try:
        state = CheckpointState(**{f.name: data[f.name] for f in fields(CheckpointState)})
        ok = (0 <= state.next_index <= state.total
              and all(isinstance(state.committed_bytes[log], int) and state.committed_bytes[log] >= 0
                      and isinstance(state.committed_sha256[log], str) for log in LOGS))
    except (TypeError, KeyError):
        ok = False
    if not ok:
        raise CheckpointError(path, "its fields have the wrong types or impossible values")
    return state


def read_state(directory: str | os.PathLike[str]) -> CheckpointState | None:
    """The saved state, or None when there is no checkpoint; cheap (logs are not read)."""
    path = Path(directory) / STATE_FILE
    return _parse_state(path) if path.exists() else None


def _hash_prefix(path: Path, length: int) -> "hashlib._Hash":
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        remaining = length
        while remaining:
            chunk = handle.read(min(_CHUNK, remaining))
            if not chunk:
                break
            digest.update(chunk)
            remaining -= len(chunk)
    return digest


def _verified_digests(directory: Path, state: CheckpointState) -> dict[str, "hashlib._Hash"]:
    """Running digests of the committed bytes, after checking them against the state."""
    digests = {}
    for log, name in LOGS.items():
        path = directory / name
        length = state.committed_bytes[log]
        size = path.stat().st_size if path.exists() else -1
        if size < length:
            raise CheckpointError(path, f"it holds {max(size, 0)} bytes but {length} were committed")
        digest = _hash_prefix(path, length)
        if digest.hexdigest() != state.committed_sha256[log]:
            raise CheckpointError(path, "its committed lines do not match the checksum in state.json")
        digests[log] = digest
    return digests


def _remove_files(directory: Path) -> None:
    """State first: once it is gone the logs are no longer a checkpoint."""
    for name in (STATE_FILE, *LOGS.values()):
        (directory / name).unlink(missing_ok=True)
    fsync_directory(directory)


def remove_checkpoint(directory: str | os.PathLike[str]) -> None:
    """Delete a checkpoint's own files, and the directory when nothing else is in it."""
    path = Path(directory)
    if not path.exists():
        return
    _remove_files(path)
    try:
        path.rmdir()
    except OSError:
        pass


def copy_committed(directory: str | os.PathLike[str], state: CheckpointState, log: str,
                   handle: IO[bytes]) -> None:
    """Stream the committed lines of `log` into `handle` (for the final or a partial file)."""
    source_path = Path(directory) / LOGS[log]
    with open(source_path, "rb") as source:
        remaining = state.committed_bytes[log]
        while remaining:
            chunk = source.read(min(_CHUNK, remaining))
            if not chunk:
                raise CheckpointError(source_path, "it was shortened while the run was using it")
            handle.write(chunk)
            remaining -= len(chunk)


def committed_lines(directory: str | os.PathLike[str], state: CheckpointState, log: str) -> Iterator[bytes]:
    """The committed lines of `log`, one at a time (to rebuild what a resumed run keeps in memory)."""
    remaining = state.committed_bytes[log]
    with open(Path(directory) / LOGS[log], "rb") as source:
        for line in source:
            if remaining <= 0:
                return
            remaining -= len(line)
            yield line


class CheckpointWriter:
    """Stages committed lines and commits them with the state, in order, at a cadence."""

    def __init__(self, directory: Path, state: CheckpointState,
                 logs: dict[str, AppendLog], digests: dict[str, "hashlib._Hash"]) -> None:
        self.directory = directory
        self.state = state
        self._logs = logs
        self._digests = digests

    @classmethod
    def start(cls, directory: str | os.PathLike[str], state: CheckpointState) -> "CheckpointWriter":
        """Begin a new checkpoint, discarding any old one in `directory`."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        _remove_files(path)
        logs = {log: AppendLog.open(path / name) for log, name in LOGS.items()}
        writer = cls(path, state, logs, {log: hashlib.sha256() for log in LOGS})
        writer.commit()
        return writer

    @classmethod
    def resume(cls, directory: str | os.PathLike[str]) -> "CheckpointWriter":
        """Continue the checkpoint in `directory` after verifying it; CheckpointError if unusable."""
        path = Path(directory)
        state = read_state(path)
        if state is None:
            raise CheckpointError(path / STATE_FILE, "the file does not exist")
        digests = _verified_digests(path, state)
        logs = {log: AppendLog.open(path / name, length=state.committed_bytes[log]) for log, name in LOGS.items()}
        return cls(path, state, logs, digests)

    def add(self, log: str, line: bytes) -> None:
        """Stage one line (with its newline); it is committed by the next `commit`."""
        self._logs[log].append(line)
        self._digests[log].update(line)

    def commit(self, **changes: Any) -> CheckpointState:
        """Make every staged line durable, then record it and `changes` in the state."""
        lengths = {log: self._logs[log].sync() for log in LOGS}
        self.state = replace(self.state, **changes, committed_bytes=lengths,
                             committed_sha256={log: digest.hexdigest() for log, digest in self._digests.items()})
        write_json(self.directory / STATE_FILE, vars(self.state))  # its fields in order; no deep copy
        return self.state

    def copy_committed(self, log: str, handle: IO[bytes]) -> None:
        copy_committed(self.directory, self.state, log, handle)

    def close(self) -> None:
        for log in self._logs.values():
            log.close()
