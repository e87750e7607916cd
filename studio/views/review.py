"""Review: one record at a time from a spot-check sample or a problem queue.

Decisions go to the shared review store keyed by reviewer, so two people in
two tabs each keep their own verdict; the page shows how far this reviewer has
got and how the reviewers agree.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pandas as pd
import streamlit as st

from core.dashboard_data import accepted
from core.review_sampling import failed_checks_queue, lowest_groundedness_queue, stratified_sample
from core.review_store import ReviewStore, agreement, decision_counts
from studio.components.record_detail import render_record
from studio.components.run_picker import require_run
from studio.components.safe_text import escape_markdown
from studio.state import review_db_path, run_data

QUEUES = {"sample": "Random sample (accepted records)", "groundedness": "Lowest groundedness first",
          "failed": "Failed checks first"}
# "C" and "R" are reserved by Streamlit; single keys do not fire while typing in the note.
BUTTONS = (("accept", "Accept", "A", "primary", ":material/check:"),
           ("reject", "Reject", "X", "secondary", ":material/close:"),
           ("skip", "Skip", "S", "secondary", ":material/skip_next:"))
_POSITION, _SIGNATURE = "review_position", "review_signature"


def _queue(records: list[dict[str, Any]], table: pd.DataFrame, kind: str, size: int, seed: int) -> list[dict]:
    if kind == "sample":
        return stratified_sample([records[i] for i in accepted(table).index], size, seed)
    return (lowest_groundedness_queue if kind == "groundedness" else failed_checks_queue)(records)


def _decide(store: ReviewStore, run_id: str, record_id: str, reviewer: str, decision: str) -> None:
    store.record(run_id, record_id, reviewer, decision, at=datetime.now(timezone.utc),
                 note=st.session_state.get(f"note_{record_id}", ""))
    st.session_state[_POSITION] += 1


def _move(step: int, length: int) -> None:
    st.session_state[_POSITION] = min(max(st.session_state[_POSITION] + step, 0), length)


def _agreement_panel(store: ReviewStore, run_id: str) -> None:
    decisions = store.decisions([run_id])
    counts = decision_counts(decisions)
    columns = st.columns(5)
    for column, (name, label) in zip(columns, (("records", "Records reviewed"), ("accept", "Accepted"),
                                               ("reject", "Rejected"), ("skip", "Skipped"),
                                               ("reviewers", "Reviewers"))):
        column.metric(label, f"{counts[name]:,}")
    pairs = agreement(decisions)
    if pairs:
        st.dataframe(pd.DataFrame([{"reviewers": f"{p.reviewer_a} · {p.reviewer_b}", "shared records": p.items,
                                    "agreement": p.percent, "Cohen's kappa": p.kappa} for p in pairs]),
                     hide_index=True, key="review_agreement",
                     column_config={"agreement": st.column_config.NumberColumn(format="percent"),
                                    "Cohen's kappa": st.column_config.NumberColumn(format="%.2f")})
    else:
        st.caption("Agreement appears once two reviewers have judged the same records.")


st.title("Review")
run_id, run_dir = require_run()
data = run_data(run_dir)
store = ReviewStore(review_db_path())

settings = st.columns([2, 3, 1, 1])
reviewer = settings[0].text_input("Reviewer", key="reviewer", placeholder="your name").strip()
kind = settings[1].segmented_control("Queue", list(QUEUES), format_func=QUEUES.get, default="sample",
                                     key="review_queue") or "sample"
size = int(settings[2].number_input("Sample size", 1, 100_000, 50, key="review_size", disabled=kind != "sample"))
seed = int(settings[3].number_input("Seed", 0, 2**31 - 1, 0, key="review_seed", disabled=kind != "sample"))

with st.expander("Decisions and agreement", expanded=False):
    _agreement_panel(store, run_id)

if not reviewer:
    st.info("Enter your name to start: each reviewer's decisions are kept separately.")
    st.stop()

queue = _queue(data.records, data.table, kind, size, seed)
if not queue:
    st.info("This queue is empty: the run has no records of that kind yet.")
    st.stop()
mine = {d.example_id: d for d in store.decisions([run_id], reviewer=reviewer)}
signature = (run_id, kind, size, seed, reviewer)
if st.session_state.get(_SIGNATURE) != signature:
    st.session_state[_SIGNATURE] = signature
    st.session_state[_POSITION] = next((i for i, record in enumerate(queue) if record["id"] not in mine), len(queue))
position = min(st.session_state[_POSITION], len(queue))

decided = sum(record["id"] in mine for record in queue)
st.progress(decided / len(queue), text=f"{decided} of {len(queue)} decided by {escape_markdown(reviewer)}")
navigation = st.columns([1, 1, 6])
navigation[0].button("Previous", key="review_prev", shortcut="Left", icon=":material/arrow_back:",
                     on_click=_move, args=(-1, len(queue)), disabled=position == 0)
navigation[1].button("Next", key="review_next", shortcut="Right", icon=":material/arrow_forward:",
                     on_click=_move, args=(1, len(queue)), disabled=position >= len(queue))

if position >= len(queue):
    st.success("You have reached the end of this queue. Draw another sample or pick another queue.")
    st.stop()

record = queue[position]
previous = mine.get(record["id"])
with st.container(border=True):
    st.caption(f"Record {position + 1} of {len(queue)}" + (
        f" · your decision: {previous.decision}" if previous else " · not decided by you yet"))
    st.text_input("Note (optional)", key=f"note_{record['id']}", value=previous.note if previous else "",
                  placeholder="why, in a few words")
    buttons = st.columns(len(BUTTONS) + 3)
    for column, (decision, label, shortcut, style, icon) in zip(buttons, BUTTONS):
        column.button(label, key=f"review_{decision}", type=style, icon=icon, shortcut=shortcut,
                      on_click=_decide, args=(store, run_id, record["id"], reviewer, decision))
render_record(record)
