"""The run a page shows, or the empty state that starts a first run in one click."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.config import RunConfig
from studio.state import current_run_id, launch, runs_root

QUICK_START_COUNT = 50


def render_empty_state() -> None:
    st.info(f"No runs yet — generate {QUICK_START_COUNT} offline examples to try the studio.")
    if st.button(f"Generate {QUICK_START_COUNT} offline examples", type="primary", icon=":material/bolt:",
                 key="quick_start"):
        launch(RunConfig(count=QUICK_START_COUNT, backend="offline"))
        st.switch_page("views/generate.py")


def require_run() -> tuple[str, Path]:
    """The current run's id and folder; without one, the empty state and nothing else."""
    run_id = current_run_id()
    if run_id is None or not (runs_root() / run_id).is_dir():
        render_empty_state()
        st.stop()
    return run_id, runs_root() / run_id
