"""What a batch-mode run has already paid for, kept on disk so a restart never pays twice.

Two files in `<checkpoints>/batch/`: `results.jsonl`, every batch result
received (one line per request: its `custom_id`, a hash of the request's
parameters, and the result), made durable before the results are used; and
`in_flight.json`, replaced atomically, naming each submitted batch whose
results have not been journaled yet and the requests in it; and
`submitting.json`, written just before a batch is created and removed once it
is recorded, so a crash between the two leaves word of a batch the API may
hold under an id nobody wrote down. A resumed run replays its conversations:
a request found in the journal is answered from it, and one that sits in a
recorded batch waits for that batch.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core.output_writer import AppendLog, write_json

JOURNAL_FOLDER = "batch"
RESULTS_FILE = "results.jsonl"
IN_FLIGHT_FILE = "in_flight.json"
SUBMITTING_FILE = "submitting.json"


def params_hash(params: dict[str, Any]) -> str:
    """A short, stable digest of one request's parameters (key order does not matter)."""
    text = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class JournalError(Exception):
    """A journal file that cannot be read; the message names it and the way out."""


@dataclass(frozen=True)
class JournaledResult:
    custom_id: str
    params_hash: str
    result: dict[str, Any]  # {"type": "succeeded", "message": {...}} or errored / expired / canceled


@dataclass(frozen=True)
class Submission:
    """A batch about to be created: its requests (custom_id -> params hash) and the moment (UTC) before."""

    since: datetime
    requests: dict[str, str]


class BatchJournal:
    """The journal of one run. Lookups read a line back from disk through an in-memory index,
    so a long run keeps only offsets in memory, not the messages."""

    def __init__(self, checkpoint_dir: str | os.PathLike[str]) -> None:
        self.directory = Path(checkpoint_dir) / JOURNAL_FOLDER
        self.directory.mkdir(parents=True, exist_ok=True)
        self._results_path = self.directory / RESULTS_FILE
        self._in_flight_path = self.directory / IN_FLIGHT_FILE
        self._submitting_path = self.directory / SUBMITTING_FILE
        self._answers: dict[tuple[str, str], int] = {}  # (custom_id, hash) -> offset of its success
        self._failures: dict[tuple[str, str], tuple[int, int]] = {}  # -> (how many, offset of the last)
        length = self._index_existing()
        self._log = AppendLog.open(self._results_path, length=length)
        self._offset = length
        self._reader = open(self._results_path, "rb")
        self._in_flight: dict[str, dict[str, str]] = (
            json.loads(self._in_flight_path.read_text(encoding="utf-8")) if self._in_flight_path.exists() else {})

    def _index_existing(self) -> int:
        """Index the whole lines already journaled; returns their length (a torn last line is dropped)."""
        if not self._results_path.exists():
            return 0
        offset = 0
        with open(self._results_path, "rb") as handle:
            for line in handle:
                if not line.endswith(b"\n"):  # cut short by a crash: not journaled
                    break
                try:
                    entry = JournaledResult(**json.loads(line))
                except (ValueError, TypeError):
                    raise JournalError(f"{self._results_path}: the line at byte {offset} is not a journaled result; "
                                       f"delete {self.directory} to start its requests over (they are paid again)"
                                       ) from None
                self._index(entry, offset)
                offset += len(line)
        return offset

    def _index(self, entry: JournaledResult, offset: int) -> None:
        key = (entry.custom_id, entry.params_hash)
        if entry.result.get("type") == "succeeded":
            self._answers[key] = offset
        else:
            self._failures[key] = (self._failures.get(key, (0, 0))[0] + 1, offset)

    def answer(self, custom_id: str, request_hash: str) -> dict[str, Any] | None:
        """The succeeded result journaled for exactly this request, if any."""
        offset = self._answers.get((custom_id, request_hash))
        return None if offset is None else self._read(offset)

    def failures(self, custom_id: str, request_hash: str) -> tuple[int, dict[str, Any] | None]:
        """How many times this request came back errored, expired or canceled, and the last such result."""
        count, offset = self._failures.get((custom_id, request_hash), (0, 0))
        return count, self._read(offset) if count else None

    def _read(self, offset: int) -> dict[str, Any]:
        self._reader.seek(offset)
        return json.loads(self._reader.readline())["result"]

    def append(self, entries: Iterable[JournaledResult]) -> None:
        """Journal results durably (one fsync for all of them)."""
        for entry in entries:
            line = (json.dumps(entry.__dict__, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            self._log.append(line)
            self._index(entry, self._offset)
            self._offset += len(line)
        self._log.sync()

    def recorded_batch(self, custom_id: str, request_hash: str) -> str | None:
        """The submitted, not yet journaled batch that holds exactly this request, if any."""
        return next((batch_id for batch_id, requests in self._in_flight.items()
                     if requests.get(custom_id) == request_hash), None)

    def batch_requests(self, batch_id: str) -> dict[str, str]:
        """The requests of a recorded batch: custom_id -> params hash."""
        return dict(self._in_flight.get(batch_id, {}))

    def batch_submitted(self, batch_id: str, requests: dict[str, str]) -> None:
        self._in_flight[batch_id] = dict(requests)
        write_json(self._in_flight_path, self._in_flight)

    def batch_journaled(self, batch_id: str) -> None:
        self._in_flight.pop(batch_id, None)
        write_json(self._in_flight_path, self._in_flight)

    def recorded_batches(self) -> set[str]:
        return set(self._in_flight)

    def batch_submitting(self, requests: dict[str, str], since: datetime) -> None:
        """Note, durably, a batch about to be created (before the API is asked)."""
        write_json(self._submitting_path, {"since": since.isoformat(), "requests": requests})

    def submission(self) -> Submission | None:
        """The batch a crash may have created without its id being recorded, if any."""
        if not self._submitting_path.exists():
            return None
        try:
            data = json.loads(self._submitting_path.read_text(encoding="utf-8"))
            return Submission(datetime.fromisoformat(data["since"]), dict(data["requests"]))
        except (ValueError, KeyError, TypeError):
            raise JournalError(f"{self._submitting_path} is not a batch submission note; delete it to go on "
                               "(a batch it stood for may then be paid again)") from None

    def submission_settled(self) -> None:
        """The noted batch is recorded, refused or known never to have been created."""
        self._submitting_path.unlink(missing_ok=True)

    def close(self) -> None:
        self._log.close()
        self._reader.close()


def discard_journal(checkpoint_dir: str | os.PathLike[str]) -> None:
    """Forget a run's batch journal (a fresh start, or a run that finished)."""
    shutil.rmtree(Path(checkpoint_dir) / JOURNAL_FOLDER, ignore_errors=True)
