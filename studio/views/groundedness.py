"""Groundedness: the run's score distribution, its least grounded records first, and any
record's answers with every claim highlighted as supported or not."""
from __future__ import annotations

import altair as alt
import streamlit as st

from core.validation import validate_record
from studio.components.claims import render_claims
from studio.components.run_picker import require_run
from studio.state import run_data

st.title("Groundedness")
run_id, run_dir = require_run()
table = run_data(run_dir).table
scored = table.dropna(subset=["groundedness"])
if scored.empty:
    st.info("No record of this run has a groundedness score yet.")
    st.stop()

left, right = st.columns([2, 3], gap="large")
with left:
    st.metric("Mean groundedness", f"{scored['groundedness'].mean():.1%}",
              help=f"over {len(scored):,} scored records")
    st.altair_chart(
        alt.Chart(scored[["groundedness"]]).mark_bar().encode(
            alt.X("groundedness:Q", bin=alt.Bin(step=0.05), scale=alt.Scale(domain=[0, 1]), title="score"),
            alt.Y("count():Q", title="records")),
        width="stretch")
with right:
    st.caption("Least grounded first; select one to see its claims.")
    lowest = scored.sort_values(["groundedness", "index"], kind="stable")
    event = st.dataframe(lowest[["index", "persona", "scenario", "intent", "cities", "groundedness", "passed"]],
                         key="grounded_table", on_select="rerun", selection_mode="single-row", hide_index=True,
                         height=300)

rows = event.selection.rows
if rows and rows[0] < len(lowest):
    record = run_data(run_dir).records[lowest.index[rows[0]]]
    st.subheader(f"Record {record.get('metadata', {}).get('index', '?')}")
    render_claims(record, validate_record(record).groundedness)
