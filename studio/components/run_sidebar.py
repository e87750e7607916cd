"""The sidebar: which run the pages show, and its key figures at a glance."""
from __future__ import annotations

import streamlit as st

from core.run_catalog import RunSummary
from studio.components.run_figures import money, percent, render_live
from studio.state import all_runs, current_run_id, set_current_run

_PICKER = "sidebar_run_picker"


def _picked() -> None:
    set_current_run(st.session_state[_PICKER])


def _figures(run: RunSummary) -> None:
    st.caption(" · ".join(part for part in (run.state, run.backend, f"created {run.created_at}") if part))
    left, right = st.columns(2)
    left.metric("Records", f"{run.accepted:,}", help="accepted examples")
    right.metric("Done", percent(run.done / run.total if run.total else None),
                 help=f"{run.done:,} of {run.total or '?'} planned examples")
    left.metric("Pass rate", percent(run.pass_rate))
    right.metric("Groundedness", percent(run.mean_groundedness))
    if run.cost_usd:
        st.metric("Cost", money(run.cost_usd))


def render_run_sidebar() -> None:
    runs = all_runs()
    with st.sidebar:
        if not runs:
            st.caption("No runs yet.")
            return
        ids = [run.run_id for run in runs]
        if current_run_id() not in ids:
            set_current_run(ids[0])
        st.session_state[_PICKER] = current_run_id()
        st.selectbox("Current run", ids, key=_PICKER, on_change=_picked)
        render_live(runs[ids.index(current_run_id())].path, _figures)
