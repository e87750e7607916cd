"""A run's live progress panel and the number formats the pages share.

The panel polls `status.json` (through `core.run_catalog`) in a fragment that
reruns every second only while the run is alive; the run process never calls
Streamlit, and when it ends the page stops polling.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import streamlit as st

from core.run_catalog import RunSummary, summarize_run
from core.runner import request_cancel
from studio.components.safe_text import escape_markdown
from studio.state import resume_run

POLL_SECONDS = 1.0
_STATE_BADGES = {"completed": "green", "running": "blue", "queued": "gray", "cancelling": "orange",
                 "cancelled": "orange", "interrupted": "orange", "stopped": "red", "failed": "red"}


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def money(value: float | None) -> str:
    return "–" if value is None else f"${value:,.4f}"


def _panel_body(run: RunSummary) -> None:
    st.badge(run.state, color=_STATE_BADGES.get(run.state, "gray"))
    total = run.total or 0
    st.progress(min(run.done / total, 1.0) if total else 0.0, text=f"{run.done:,} / {total:,} examples")
    cells = st.columns(5)
    cells[0].metric("Rate", "–" if run.rate_per_s is None else f"{run.rate_per_s:,.1f}/s")
    cells[1].metric("ETA", duration(run.eta_s) if run.active else "–")
    cells[2].metric("Pass rate", percent(run.pass_rate))
    cells[3].metric("Groundedness", percent(run.mean_groundedness))
    cells[4].metric("Cost so far", money(run.cost_usd))
    if run.last_error:
        st.warning("Last error: " + escape_markdown(run.last_error))
    if run.message and not run.active:
        st.caption(escape_markdown(run.message))


def _controls(run: RunSummary) -> None:
    left, right, _ = st.columns([1, 1, 4])
    if run.active and left.button("Cancel run", key=f"cancel_{run.run_id}", icon=":material/stop:"):
        request_cancel(run.path)
        st.toast("Cancelling: the run finishes the examples in flight, then stops.")
    if run.resumable and left.button("Resume run", key=f"resume_{run.run_id}", icon=":material/play_arrow:"):
        resume_run(run.path)
        st.rerun(scope="app")
    if run.state == "completed" and right.button("Browse records", key=f"browse_{run.run_id}"):
        st.switch_page("views/browse.py")


def render_live(run_dir: Path, body: Callable[[RunSummary], None]) -> None:
    """Render `body` for the run in `run_dir`: in a fragment polling status.json every
    second while the run is alive, once and for all when it is not."""
    run = summarize_run(run_dir)
    if not run.active:
        body(run)
        return

    def poll() -> None:
        current = summarize_run(run_dir)
        body(current)
        if not current.active:
            st.rerun(scope="app")  # the run ended: redraw once without polling

    st.fragment(poll, run_every=POLL_SECONDS)()


def _panel(run: RunSummary) -> None:
    _panel_body(run)
    _controls(run)


def render_progress(run_dir: Path) -> None:
    """The run's progress, figures and Cancel / Resume / Browse controls."""
    with st.container(border=True):
        st.subheader(f"Run {escape_markdown(run_dir.name)}")
        render_live(run_dir, _panel)
