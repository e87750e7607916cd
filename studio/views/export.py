"""Export: choose runs, filters and a format; check the counts; write, re-validate, download.

`core.export` selects, writes and re-reads; this page only gathers the choices
and offers a file once it has passed its check. Every export also stays in
`data/exports/`, with a README saying what it holds and how to load it.
"""
from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from core.export import FORMATS, ExportError, ExportOptions, ExportResult, RunRecords, preview_counts, select, \
    write_export
from core.personas import PERSONAS
from core.review_store import ReviewStore, verdicts
from studio.components.run_picker import require_run
from studio.components.safe_text import escape_markdown
from studio.state import all_runs, data_root, review_db_path, run_data, runs_root

_RESULT = "export_result"
_MIMES = {"openai": "application/jsonl", "full": "application/jsonl", "hf": "application/vnd.apache.parquet"}


def _options() -> ExportOptions:
    with st.container(border=True):
        first = st.columns(3)
        validated = first[0].checkbox("Validated only", value=True, key="x_validated",
                                      help="Leave out records that failed a validation check.")
        reviewed = first[1].checkbox("Reviewed-accepted only", value=False, key="x_reviewed",
                                     help="Only records a reviewer accepted and nobody rejected.")
        exclude = first[2].checkbox("Exclude rejected", value=True, key="x_exclude",
                                    help="Leave out records any reviewer rejected.")
        second = st.columns([1, 2, 2])
        use_minimum = second[0].checkbox("Minimum groundedness", value=False, key="x_use_min")
        minimum = second[1].slider("Minimum groundedness", 0.0, 1.0, 0.9, step=0.05, key="x_min",
                                   disabled=not use_minimum, label_visibility="collapsed")
        personas = second[2].multiselect("Personas (all when empty)", list(PERSONAS), key="x_personas",
                                         format_func=lambda name: PERSONAS[name].label)
    return ExportOptions(validated_only=validated, reviewed_accepted_only=reviewed, exclude_rejected=exclude,
                         min_groundedness=minimum if use_minimum else None, personas=tuple(personas))


def _offer(result: ExportResult) -> None:
    st.success(f"{result.count:,} records written and re-read without a problem: "
               f"{result.path.relative_to(data_root())}")
    st.download_button(f"Download {result.path.name}", data=result.path.read_bytes(), file_name=result.path.name,
                       mime=_MIMES[result.format], type="primary", icon=":material/download:", key="x_download")
    with st.expander("README written next to the export"):
        st.code(result.readme.read_text(encoding="utf-8"), language="markdown")


st.title("Export")
current_run, _ = require_run()
run_ids = [run.run_id for run in all_runs()]
chosen = st.multiselect("Runs", run_ids, default=[current_run], key="x_runs")
options = _options()
fmt = st.radio("Format", list(FORMATS), format_func=FORMATS.get, horizontal=True, key="x_format")

if not chosen:
    st.info("Choose at least one run.")
    st.stop()
decisions = ReviewStore(review_db_path()).decisions(chosen) if review_db_path().exists() else []
selection = select([RunRecords(run_id, run_data(runs_root() / run_id).records) for run_id in chosen],
                   options, verdicts(decisions))
st.subheader(f"{len(selection.items):,} records match")
if selection.items:
    st.dataframe(preview_counts(selection), key="x_preview")

if st.button("Write export", type="primary", icon=":material/save:", key="x_write", disabled=not selection.items):
    try:
        st.session_state[_RESULT] = write_export(selection, fmt, data_root() / "exports",
                                                 now=datetime.now(timezone.utc))
    except ExportError as error:
        st.session_state.pop(_RESULT, None)
        st.error(escape_markdown(str(error)))  # the reasons may quote record text
result = st.session_state.get(_RESULT)
if result is not None and result.path.exists():
    _offer(result)
