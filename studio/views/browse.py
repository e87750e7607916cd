"""Browse: the current run's records, filtered; a selected row opens as a conversation."""
from __future__ import annotations

import streamlit as st

from core.config import CLIMATE_GROUPS, INTENTS, SCENARIOS
from core.personas import PERSONAS
from core.record_filters import REVIEW_NONE, VALIDATION_STATES, RecordFilter, apply_filter
from studio.components.record_detail import render_record
from studio.components.run_picker import require_run
from studio.components.safe_text import escape_markdown
from studio.state import review_column, run_data

TABLE_COLUMNS = ["index", "persona", "scenario", "intent", "cities", "passed", "groundedness", "review", "output"]


def _filters(table) -> RecordFilter:
    cities = sorted({city for cities in table["cities"] for city in cities})
    with st.container(border=True):
        first = st.columns(4)
        personas = first[0].multiselect("Persona", list(PERSONAS), key="f_persona",
                                        format_func=lambda name: PERSONAS[name].label)
        scenarios = first[1].multiselect("Scenario", SCENARIOS, key="f_scenario")
        intents = first[2].multiselect("Intent", INTENTS, key="f_intent")
        validation = first[3].segmented_control("Validation", VALIDATION_STATES, default="any",
                                                key="f_validation") or "any"
        second = st.columns(4)
        chosen_cities = second[0].multiselect("City", cities, key="f_city")
        groups = second[1].multiselect("Climate group", CLIMATE_GROUPS, key="f_climate")
        reviews = second[2].multiselect("Review", [REVIEW_NONE, "accept", "reject"], key="f_review")
        low, high = second[3].slider("Groundedness", 0.0, 1.0, (0.0, 1.0), step=0.05, key="f_grounded")
        text = st.text_input("Search the conversation text", key="f_text", placeholder="e.g. umbrella")
    return RecordFilter(personas=tuple(personas), scenarios=tuple(scenarios), intents=tuple(intents),
                        cities=tuple(chosen_cities), climate_groups=tuple(groups), validation=validation,
                        groundedness=None if (low, high) == (0.0, 1.0) else (low, high),
                        reviews=tuple(reviews), text=text)


st.title("Browse")
run_id, run_dir = require_run()
data = run_data(run_dir)
for name, bad in data.bad_lines.items():
    st.warning(escape_markdown(f"{len(bad)} unreadable line(s) in {name} skipped; first: line {bad[0].number}: "
                               f"{bad[0].error}"))
if data.table.empty:
    st.info("This run has no records to read yet: a run writes them when it finishes.")
    st.stop()
table = data.table.assign(review=review_column(data.table, run_id))
shown = apply_filter(table, _filters(table))
st.caption(f"{len(shown):,} of {len(table):,} records")
event = st.dataframe(
    shown[TABLE_COLUMNS], key="browse_table", on_select="rerun", selection_mode="single-row",
    hide_index=True, height=320,
    column_config={"groundedness": st.column_config.ProgressColumn("groundedness", min_value=0.0, max_value=1.0,
                                                                    format="percent"),
                   "output": st.column_config.TextColumn("output", help="which output file holds the record")},
)
if event.selection.rows:
    render_record(data.records[shown.index[event.selection.rows[0]]])
else:
    st.info("Select a row to read its conversation, tool calls, groundedness and validation findings.")
