"""Dashboard: what the current run holds against what it planned, as Altair charts.

Every table comes from `core.dashboard_data`; the persona and scenario filters
at the top narrow the records and the plans alike, so each chart (targets
included) shows the chosen slice. The map is an equirectangular projection of
the cities' coordinates over a generated graticule: no map tiles or topojson
are fetched.
"""
from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from core import dashboard_data as charts
from core.config import SCENARIOS, RunConfig
from core.config_loader import load_config
from core.personas import PERSONAS
from core.plan import build_plans
from core.record_filters import RecordFilter, apply_filter
from core.validation.groundedness import DEFAULT_THRESHOLD
from studio.components.run_figures import money
from studio.components.run_picker import require_run
from studio.state import ACCEPTED_FILE, REJECTED_FILE, file_stamp, run_data

SERIES_COLOURS = alt.Scale(domain=list(charts.SERIES), range=["#cbd5e1", "#2563eb"])
WHOLE_NUMBERS = alt.Axis(tickMinStep=1, format="d")
CHART_TITLES = {"persona": "Personas", "scenario": "Scenarios", "intent": "Intents", "error_kind": "Error kinds"}


@st.cache_data(show_spinner=False, max_entries=8)
def _plan_table(config_json: str) -> pd.DataFrame:
    return charts.plan_table(build_plans(RunConfig.from_dict(json.loads(config_json))))


def _config(run_dir: Path) -> RunConfig | None:
    """The run's config; None for an imported dataset, which had no plan."""
    path = run_dir / "config.json"
    return load_config(path) if path.exists() else None


@st.cache_data(show_spinner="Re-checking rejected records…", max_entries=8)
def _failures(run_dir: str, stamps: tuple, rows: tuple[int, ...], threshold: float) -> pd.DataFrame:
    data = run_data(Path(run_dir))
    return charts.validation_failures(data.table.loc[list(rows)], data.records, groundedness_threshold=threshold)


def target_chart(frame: pd.DataFrame, dimension: str) -> alt.Chart:
    return alt.Chart(frame, title=CHART_TITLES[dimension]).mark_bar().encode(
        alt.X("value:N", title=None, sort=None, axis=alt.Axis(labelAngle=-30, labelOverlap=False)), alt.XOffset("series:N", sort=list(charts.SERIES)),
        alt.Y("count:Q", title="records", axis=WHOLE_NUMBERS), alt.Color("series:N", scale=SERIES_COLOURS, title=None),
        tooltip=["value:N", "series:N", "count:Q"]).properties(height=260)


def city_map(points: pd.DataFrame) -> alt.LayerChart:
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill="#f1f5f9", stroke="#cbd5e1")
    grid = alt.Chart(alt.graticule(step=[30, 30])).mark_geoshape(filled=False, stroke="#e2e8f0", strokeWidth=0.5)
    cities = alt.Chart(points).mark_circle(opacity=0.8, stroke="white", strokeWidth=0.5).encode(
        longitude="longitude:Q", latitude="latitude:Q",
        size=alt.Size("records:Q", scale=alt.Scale(range=[30, 400]), legend=None),
        color=alt.Color("climate_group:N", title="climate group"),
        tooltip=["city:N", "climate_group:N", "records:Q"])
    return alt.layer(sphere, grid, cities, title="Cities used").project(type="equirectangular").properties(height=340)


def groundedness_chart(histogram: pd.DataFrame) -> alt.Chart:
    return alt.Chart(histogram, title="Groundedness").mark_bar().encode(
        alt.X("bin_start:Q", bin="binned", title="score", scale=alt.Scale(domain=[0, 1])), alt.X2("bin_end:Q"),
        alt.Y("records:Q", title="records", axis=WHOLE_NUMBERS), tooltip=["bin_start:Q", "bin_end:Q", "records:Q"]).properties(height=240)


def failures_chart(failures: pd.DataFrame) -> alt.Chart:
    return alt.Chart(failures, title="Validation failures by check and rule").mark_bar().encode(
        alt.Y("rule:N", sort="-x", title=None), alt.X("failures:Q", title="failed findings", axis=WHOLE_NUMBERS),
        alt.Color("check:N"), tooltip=["check:N", "rule:N", "failures:Q", "example:N"]).properties(height=240)


def length_chart(lengths: pd.DataFrame) -> alt.Chart:
    return alt.Chart(lengths, title="Final answer length by persona").mark_boxplot(extent="min-max").encode(
        alt.X("persona:N", title=None), alt.Y("final_answer_length:Q", title="characters"),
        alt.Color("persona:N", legend=None)).properties(height=240)


def tokens_chart(tokens: pd.DataFrame) -> alt.Chart:
    return alt.Chart(tokens, title="Tokens by persona").transform_fold(
        ["input_tokens", "output_tokens"], as_=["kind", "tokens"]).mark_bar().encode(
        alt.X("persona:N", title=None), alt.Y("tokens:Q", title="tokens"), alt.Color("kind:N", title=None),
        tooltip=["persona:N", "kind:N", "tokens:Q"]).properties(height=240)


def _filters() -> RecordFilter:
    left, right = st.columns(2)
    personas = left.pills("Persona", list(PERSONAS), selection_mode="multi", key="dash_persona",
                          format_func=lambda name: PERSONAS[name].label)
    scenarios = right.pills("Scenario", list(SCENARIOS), selection_mode="multi", key="dash_scenario")
    return RecordFilter(personas=tuple(personas), scenarios=tuple(scenarios))


st.title("Dashboard")
run_id, run_dir = require_run()
data = run_data(run_dir)
config = _config(run_dir)
criteria = _filters()
table = apply_filter(data.table, criteria)
plans = apply_filter(_plan_table(json.dumps(config.to_dict())) if config else charts.plan_table([]), criteria)
kept = charts.accepted(table)
st.caption(f"{len(kept):,} accepted and {len(table) - len(kept):,} rejected records in this selection"
           + ("" if config else " · an imported dataset has no plan, so targets are zero"))

columns = st.columns(2)
for position, dimension in enumerate(charts.TARGET_DIMENSIONS):
    columns[position % 2].altair_chart(target_chart(charts.achieved_vs_target(table, plans, dimension), dimension),
                                       key=f"chart_{dimension}")

left, right = st.columns([3, 2])
left.altair_chart(city_map(charts.city_points(table)), key="chart_cities")
right.altair_chart(alt.Chart(charts.climate_groups(table), title="Climate groups").mark_bar().encode(
    alt.X("records:Q"), alt.Y("climate_group:N", sort="-x", title=None),
    tooltip=["climate_group:N", "records:Q", "cities:Q"]).properties(height=340), key="chart_climate")

left, right = st.columns(2)
left.altair_chart(groundedness_chart(charts.groundedness_histogram(table)), key="chart_groundedness")
stamps = tuple(file_stamp(run_dir / name) for name in (ACCEPTED_FILE, REJECTED_FILE))
failures = _failures(str(run_dir), stamps, tuple(table.index),
                     config.groundedness_threshold if config else DEFAULT_THRESHOLD)
if failures.empty:
    right.info("No validation failures in this selection.")
else:
    right.altair_chart(failures_chart(failures), key="chart_failures")

left, right = st.columns(2)
left.altair_chart(length_chart(charts.response_lengths(table)), key="chart_lengths")
tokens = charts.tokens_and_cost(table, data.records)
if tokens[["input_tokens", "output_tokens"]].to_numpy().sum():
    right.altair_chart(tokens_chart(tokens), key="chart_tokens")
else:
    right.info("No tokens in this selection: the offline backend writes without a model.")
figures = st.columns(3)
figures[0].metric("Input tokens", f"{int(tokens['input_tokens'].sum()):,}")
figures[1].metric("Output tokens", f"{int(tokens['output_tokens'].sum()):,}")
cost = tokens["cost_usd"].sum(min_count=1) if not tokens.empty else None
figures[2].metric("Cost of kept records", money(None if pd.isna(cost) else float(cost)),
                  help="List price of the accepted conversations; none for the offline backend. "
                       "The run's billed cost, retries included, is in the sidebar.")
