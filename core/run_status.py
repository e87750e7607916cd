"""`status.json`: how a run is doing, for whoever is watching from another process.

The file is small and replaced atomically, so a reader never sees half of it;
writes are throttled because a fast offline run commits thousands of examples
a second and the studio polls about once a second.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from core.output_writer import write_json

STATES = ("queued", "running", "cancelling", "cancelled", "completed", "failed", "stopped")
FINAL_STATES = frozenset({"cancelled", "completed", "failed", "stopped"})


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def read_status(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The last status written, or None when the run has not written one yet."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


class StatusWriter:
    """Keeps the current status and rewrites the file at most every `min_interval_s`."""

    def __init__(self, path: str | os.PathLike[str], *, clock: Callable[[], datetime],
                 min_interval_s: float = 1.0, **initial: Any) -> None:
        self.path = Path(path)
        self._clock = clock
        self._min_interval_s = min_interval_s
        self._last_write: datetime | None = None
        self._status: dict[str, Any] = {"state": "queued", "pid": os.getpid(), **initial}

    @property
    def status(self) -> dict[str, Any]:
        return dict(self._status)

    @property
    def due(self) -> bool:
        """Whether the throttle would let a write through now."""
        return self._last_write is None or \
            (self._clock() - self._last_write).total_seconds() >= self._min_interval_s

    def update(self, *, force: bool = False, **fields: Any) -> bool:
        """Merge `fields`; write when forced, when the state changes, or when due. True if written."""
        if "state" in fields and fields["state"] not in STATES:
            raise ValueError(f"unknown run state {fields['state']!r}; expected one of {', '.join(STATES)}")
        force = force or fields.get("state", self._status["state"]) != self._status["state"]
        self._status.update(fields)
        if not (force or self.due):
            return False
        now = self._clock()
        self._status["updated_at"] = iso(now)
        write_json(self.path, self._status)
        self._last_write = now
        return True
