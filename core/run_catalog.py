"""Every run under `data/runs/` with its key figures, and the one safe way to delete one.

A run's own files are the truth: `status.json` (live figures, written by the
run process), `config.json` and the output files. A run whose status says it is
running but whose process is gone (killed, machine restarted) is `interrupted`:
its checkpoint holds what it did, and starting it again resumes it. `queued`
means a process was started and has not reported yet.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.run_status import read_status
from core.run_launch import launched_pid, log_tail
from core.runner import RunPaths

LIVE_STATES = frozenset({"running", "cancelling"})
RESUMABLE_STATES = frozenset({"created", "cancelled", "stopped", "failed", "interrupted"})
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class RunCatalogError(ValueError):
    """A run id that names no run, or a run that must not be touched now."""


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    path: Path
    state: str
    created_at: str
    backend: str | None
    model: str | None
    total: int | None
    done: int
    accepted: int
    rejected: int
    size_bytes: int
    pass_rate: float | None
    mean_groundedness: float | None
    cost_usd: float | None
    rate_per_s: float | None
    eta_s: float | None
    last_error: str | None
    message: str | None

    @property
    def active(self) -> bool:
        return self.state in LIVE_STATES or self.state == "queued"

    @property
    def resumable(self) -> bool:
        return self.state in RESUMABLE_STATES


def process_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def effective_state(status: dict[str, Any] | None, launched_pid: int | None = None) -> str:
    """The status file's state, corrected by whether the process it depends on still exists:
    `interrupted` when a running run's process is gone, `failed` when a started process
    ended before it could write any status (its log says why), `created` when no process
    was ever started for it."""
    state = (status or {}).get("state", "queued")
    if state in LIVE_STATES and not process_alive(status.get("pid")):
        return "interrupted"
    if state == "queued" and launched_pid is None:
        return "created"
    if state == "queued" and not process_alive(launched_pid):
        return "failed"
    return state


def _created_at(run_dir: Path) -> str:
    stamp = (run_dir / "config.json") if (run_dir / "config.json").exists() else run_dir
    moment = datetime.fromtimestamp(stamp.stat().st_mtime, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _size_bytes(run_dir: Path) -> int:
    return sum(path.stat().st_size for path in run_dir.rglob("*") if path.is_file())


def summarize_run(run_dir: Path) -> RunSummary:
    """The key figures of one run directory, from its status file."""
    status = read_status(RunPaths.for_run_dir(run_dir).status) or {}
    state = effective_state(status, launched_pid(run_dir))
    last_error = status.get("last_error")
    if state == "failed" and status.get("state") == "queued":
        last_error = log_tail(run_dir)
    return RunSummary(
        run_id=run_dir.name, path=run_dir, state=state,
        created_at=status.get("created_at") or _created_at(run_dir),
        backend=status.get("backend"), model=status.get("model"), total=status.get("total"),
        done=status.get("done") or 0, accepted=status.get("accepted") or 0,
        rejected=status.get("rejected") or 0, size_bytes=_size_bytes(run_dir),
        pass_rate=status.get("pass_rate"), mean_groundedness=status.get("mean_groundedness"),
        cost_usd=status.get("cost_usd"), rate_per_s=status.get("rate_per_s"), eta_s=status.get("eta_s"),
        last_error=last_error, message=status.get("message"),
    )


def list_runs(runs_root: Path) -> list[RunSummary]:
    """Every run directory under `runs_root`, newest first."""
    if not runs_root.is_dir():
        return []
    runs = [summarize_run(path) for path in runs_root.iterdir() if path.is_dir() and _RUN_ID.match(path.name)]
    return sorted(runs, key=lambda run: (run.created_at, run.run_id), reverse=True)


def run_dir_for(runs_root: Path, run_id: str) -> Path:
    """The directory of `run_id`, refusing anything that is not a run directly under `runs_root`."""
    if not _RUN_ID.match(run_id or ""):
        raise RunCatalogError(f"{run_id!r} is not a run id (letters, digits, '.', '_' and '-' only)")
    run_dir = (runs_root / run_id).resolve()
    if run_dir.parent != runs_root.resolve() or not run_dir.is_dir():
        raise RunCatalogError(f"no run {run_id!r} under {runs_root}")
    return run_dir


def delete_run(runs_root: Path, run_id: str) -> None:
    """Remove a finished or interrupted run's directory; a live run must be cancelled first."""
    run_dir = run_dir_for(runs_root, run_id)
    state = summarize_run(run_dir).state
    if state in LIVE_STATES or state == "queued":
        raise RunCatalogError(f"run {run_id} is {state}; cancel it and wait for it to stop before deleting it")
    shutil.rmtree(run_dir)
