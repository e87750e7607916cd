"""Runs: every run with its key figures; open, resume or delete one; import a JSONL file."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.run_catalog import RunCatalogError, RunSummary, delete_run
from core.run_import import RunImportError, import_jsonl, save_upload
from studio.components.run_picker import render_empty_state
from studio.components.safe_text import escape_markdown
from studio.state import all_runs, data_root, resume_run, runs_root, set_current_run

_LAST_IMPORT = "runs_last_import"


def _table(runs: list[RunSummary]) -> pd.DataFrame:
    return pd.DataFrame([{
        "run": run.run_id, "state": run.state, "records": run.accepted,
        "done": f"{run.done:,} / {run.total:,}" if run.total else f"{run.done:,}",
        "size (MB)": round(run.size_bytes / 1e6, 2), "backend": run.backend, "model": run.model,
        "pass rate": run.pass_rate, "groundedness": run.mean_groundedness, "cost ($)": run.cost_usd,
        "created": run.created_at} for run in runs])


def _actions(run: RunSummary) -> None:
    st.subheader(f"Run {escape_markdown(run.run_id)}")
    if run.last_error:
        st.warning("Last error: " + escape_markdown(run.last_error))
    open_cell, resume_cell, delete_cell = st.columns(3)
    if open_cell.button("Open in Browse", icon=":material/forum:", key="runs_open"):
        set_current_run(run.run_id)
        st.switch_page("views/browse.py")
    if run.resumable and resume_cell.button("Resume", icon=":material/play_arrow:", key="runs_resume"):
        resume_run(run.path)
        set_current_run(run.run_id)
        st.switch_page("views/generate.py")
    confirmed = delete_cell.checkbox(f"Yes, delete {run.run_id} and its files", key="runs_confirm_delete")
    if delete_cell.button("Delete", icon=":material/delete:", disabled=not confirmed, key="runs_delete"):
        try:
            delete_run(runs_root(), run.run_id)
        except RunCatalogError as error:
            st.error(str(error))
        else:
            st.toast(f"Deleted {run.run_id}")
            st.rerun()


def _import_section() -> None:
    st.subheader("Import a JSONL file")
    st.caption(f"Upload a file, or name one inside {data_root()}. Every record is validated; "
               "lines that are not JSON objects are reported by number.")
    upload = st.file_uploader("JSONL file", type=["jsonl", "json"], key="runs_upload")
    path = st.text_input("…or a path inside the data folder", key="runs_import_path",
                         placeholder="synthetic/tool_use_examples.jsonl")
    if st.button("Import", icon=":material/upload:", disabled=not (upload or path.strip()), key="runs_import"):
        try:
            source = save_upload(data_root(), upload.name, upload.getvalue()) if upload else path.strip()
            st.session_state[_LAST_IMPORT] = import_jsonl(source, data_root=data_root(), runs_root=runs_root())
        except RunImportError as error:
            st.session_state[_LAST_IMPORT] = error
        st.rerun()  # so the runs table above lists the new run
    outcome = st.session_state.get(_LAST_IMPORT)
    if isinstance(outcome, RunImportError):
        st.error(f"Import failed: {escape_markdown(str(outcome))}")
    elif outcome is not None:
        st.success(f"Imported into {escape_markdown(outcome.run_dir.name)}: {outcome.accepted} passed validation, "
                   f"{outcome.rejected} rejected.")
        if outcome.bad_lines:
            st.warning(f"{len(outcome.bad_lines)} line(s) could not be read and were skipped:")
            st.dataframe(pd.DataFrame([{"line": bad.number, "problem": bad.error} for bad in outcome.bad_lines]),
                         hide_index=True)


st.title("Runs")
runs = all_runs()
if runs:
    event = st.dataframe(
        _table(runs), key="runs_table", on_select="rerun", selection_mode="single-row", hide_index=True,
        column_config={"pass rate": st.column_config.NumberColumn(format="percent"),
                       "groundedness": st.column_config.NumberColumn(format="percent")})
    if event.selection.rows and event.selection.rows[0] < len(runs):
        _actions(runs[event.selection.rows[0]])
    else:
        st.caption("Select a run to open, resume or delete it.")
else:
    render_empty_state()
st.divider()
_import_section()
