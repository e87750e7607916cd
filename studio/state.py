"""Where the studio's data lives, which run is current, and cached reads of run files.

Reads are cached on each file's modification time and size, so a page over a
3,000-record run re-renders without touching the disk, yet a file a run has
just rewritten is read again on the next rerun. Run data is cached as a shared
resource, not with `st.cache_data`: that would pickle and unpickle the 22 MB
of a 3,000-record run on every hit (1.8 s); callers treat it as read-only.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.config import RunConfig
from core.data_loader import BadLine, load_records, to_dataframe
from core.record_filters import REVIEW_NONE, searchable_text
from core.run_catalog import RunSummary, list_runs
from core.run_launch import start_run
from core.runner import create_run_dir

DATA_DIR_ENV = "WEATHERVANE_DATA_DIR"
REPO_ROOT = Path(__file__).resolve().parents[1]
ACCEPTED_FILE = "tool_use_examples.jsonl"
REJECTED_FILE = "rejected.jsonl"
OUTPUT_NAMES = {ACCEPTED_FILE: "accepted", REJECTED_FILE: "rejected"}
_CURRENT_RUN = "current_run_id"
_PROCESSES = "run_processes"
API_KEY = "api_key"  # the Generate page's password field; lives in this session's memory only


def data_root() -> Path:
    """`data/` of the repository, or the folder named by WEATHERVANE_DATA_DIR."""
    return Path(os.environ.get(DATA_DIR_ENV) or REPO_ROOT / "data").resolve()


def runs_root() -> Path:
    return data_root() / "runs"


def review_db_path() -> Path:
    return data_root() / "studio.sqlite"


def file_stamp(path: Path) -> tuple[int, int]:
    """(mtime in ns, size) of a file, or (0, 0) when it does not exist: the cache key."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class RunData:
    """A run's records, accepted then rejected; row i of `table` describes `records[i]`.
    Shared by every session: copy before changing anything."""

    records: list[dict[str, Any]]
    table: pd.DataFrame
    bad_lines: dict[str, list[BadLine]] = field(default_factory=dict)


@st.cache_resource(show_spinner="Reading the run's records…", max_entries=4)
def _load_run_data(run_dir: str, stamps: tuple[tuple[int, int], ...]) -> RunData:
    records: list[dict[str, Any]] = []
    sources: list[str] = []
    bad_lines: dict[str, list[BadLine]] = {}
    for name, stamp in zip((ACCEPTED_FILE, REJECTED_FILE), stamps):
        if stamp == (0, 0):
            continue
        loaded = load_records(Path(run_dir) / name)
        records.extend(loaded.records)
        sources.extend([OUTPUT_NAMES[name]] * len(loaded.records))
        if loaded.bad_lines:
            bad_lines[name] = loaded.bad_lines
    table = to_dataframe(records)
    table["output"] = sources
    table["text"] = [searchable_text(record) for record in records]
    return RunData(records=records, table=table, bad_lines=bad_lines)


def run_data(run_dir: Path) -> RunData:
    """The run's accepted and rejected records, read again only when a file changed."""
    stamps = tuple(file_stamp(run_dir / name) for name in (ACCEPTED_FILE, REJECTED_FILE))
    return _load_run_data(str(run_dir), stamps)


def review_column(table: pd.DataFrame, run_id: str) -> pd.Series:
    """Each row's review verdict from the shared review store, or REVIEW_NONE."""
    path = review_db_path()
    if not path.exists():
        return pd.Series(REVIEW_NONE, index=table.index)
    from core.review_store import ReviewStore, verdicts

    verdict_of = verdicts(ReviewStore(path).decisions([run_id]))
    return table["id"].map(lambda record_id: verdict_of.get((run_id, record_id), REVIEW_NONE))


def current_run_id() -> str | None:
    return st.session_state.get(_CURRENT_RUN)


def set_current_run(run_id: str | None) -> None:
    st.session_state[_CURRENT_RUN] = run_id


def all_runs() -> list[RunSummary]:
    return list_runs(runs_root())


def _keep_process(run_id: str, process: subprocess.Popen) -> None:
    """Hold the handle so the finished process is reaped (and tests can wait on it)."""
    st.session_state.setdefault(_PROCESSES, {})[run_id] = process


def run_process(run_id: str) -> subprocess.Popen | None:
    return st.session_state.get(_PROCESSES, {}).get(run_id)


def launch(config: RunConfig) -> str:
    """Create a run directory for `config`, start its process and make it the current run."""
    run_dir = create_run_dir(runs_root(), config)
    _keep_process(run_dir.name, start_run(run_dir, api_key=st.session_state.get(API_KEY) or None))
    set_current_run(run_dir.name)
    return run_dir.name


def resume_run(run_dir: Path) -> None:
    """Start an interrupted, cancelled or stopped run again; it continues from its checkpoint."""
    _keep_process(run_dir.name, start_run(run_dir, api_key=st.session_state.get(API_KEY) or None))
