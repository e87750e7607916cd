"""Generate: set a run's size, backend and distributions, check the exact counts and the
estimate, launch it as its own process and watch it."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from core.config import (BACKENDS, CLIMATE_GROUPS, DEFAULT_ERROR_KIND_WEIGHTS, DEFAULT_INTENT_WEIGHTS,
                         DEFAULT_PERSONA_WEIGHTS, DEFAULT_SCENARIO_WEIGHTS, ConfigError, RunConfig)
from core.estimate import estimate_run, expected_counts
from core.locations import BY_ID, LOCATIONS
from core.plan import eligible_locations
from studio.components.run_figures import duration, money, render_progress
from studio.state import API_KEY, current_run_id, launch, runs_root

BACKEND_LABELS = {"offline": "Offline (built in)", "anthropic": "Anthropic", "openai": "OpenAI-compatible"}
WEIGHT_GROUPS = {
    "scenario": ("Scenarios", DEFAULT_SCENARIO_WEIGHTS),
    "persona": ("Personas", DEFAULT_PERSONA_WEIGHTS),
    "intent": ("Intents", DEFAULT_INTENT_WEIGHTS),
    "error_kind": ("Error kinds (of error scenarios)", DEFAULT_ERROR_KIND_WEIGHTS),
}
CLIMATE_COLOURS = {"tropical": "#16a34a", "arid": "#d97706", "temperate": "#2563eb",
                   "continental": "#7c3aed", "polar": "#0891b2", "highland": "#78716c"}
SESSION = "session"


@st.cache_data(show_spinner=False, max_entries=32)
def _counts(config_json: str) -> dict[str, dict[str, int]]:
    return expected_counts(RunConfig.from_dict(json.loads(config_json)))


@st.cache_data(show_spinner=False, max_entries=32)
def _estimate(config_json: str):
    config = RunConfig.from_dict(json.loads(config_json))
    return estimate_run(config, batch=config.batch)


def _run_settings() -> dict[str, Any]:
    first, second = st.columns(2)
    values: dict[str, Any] = {
        "count": first.number_input("Examples", 1, 1_000_000, 200, step=50, key="g_count", persist_state=SESSION),
        "seed": second.number_input("Seed", 0, None, 42, key="g_seed", persist_state=SESSION),
    }
    backend = st.segmented_control("Backend", BACKENDS, default="offline", format_func=BACKEND_LABELS.get,
                                   key="g_backend", persist_state=SESSION, required=True)
    values["backend"] = backend
    if backend != "offline":
        values["model"] = st.text_input("Model", key="g_model", persist_state=SESSION,
                                        placeholder="claude-haiku-4-5" if backend == "anthropic" else "llama3.1") or None
        st.text_input("API key", type="password", key=API_KEY, persist_state=SESSION,
                      help="Kept in this browser session's memory only; the run process gets it through its "
                           "environment. Leave empty to use the environment variable.")
    if backend == "openai":
        values["base_url"] = st.text_input("Base URL", key="g_base_url", persist_state=SESSION,
                                           placeholder="http://localhost:11434/v1") or None
    return values


def _weights() -> dict[str, Any]:
    values = {}
    for name, (label, defaults) in WEIGHT_GROUPS.items():
        st.markdown(f"**{label}**")
        cells = st.columns(len(defaults))
        values[f"{name}_weights"] = {
            option: cells[i].number_input(option.replace("_", " "), 0.0, 1000.0, float(default), step=5.0,
                                          key=f"w_{name}_{option}", persist_state=SESSION)
            for i, (option, default) in enumerate(defaults.items())}
    return values


def _places() -> dict[str, Any]:
    groups = st.multiselect("Climate groups", CLIMATE_GROUPS, key="g_groups", persist_state=SESSION,
                            placeholder="every climate group")
    cities = st.multiselect("Cities", [location.id for location in LOCATIONS], key="g_cities",
                            persist_state=SESSION, format_func=lambda city: BY_ID[city].label,
                            placeholder="every city")
    return {"climate_groups": groups or None, "cities": cities or None}


def _execution() -> dict[str, Any]:
    first, second = st.columns(2)
    concurrency = first.number_input("Concurrency (0: the backend's default)", 0, 256, 0, key="g_concurrency",
                                     persist_state=SESSION)
    every = second.number_input("Checkpoint every", 1, 100_000, 250, key="g_checkpoint", persist_state=SESSION)
    batch = st.checkbox("Message Batches (Anthropic only: half price, a run takes hours)", key="g_batch",
                        persist_state=SESSION)
    return {"concurrency": concurrency or None, "checkpoint_every": every, "batch": batch}


def _map(config: RunConfig) -> None:
    chosen = [BY_ID[city] for city in eligible_locations(config)]
    st.caption(f"{len(chosen)} of {len(LOCATIONS)} cities eligible")
    st.map(pd.DataFrame({"lat": [c.latitude for c in chosen], "lon": [c.longitude for c in chosen],
                         "colour": [CLIMATE_COLOURS[c.climate_group] for c in chosen]}),
           latitude="lat", longitude="lon", color="colour", size=60000, zoom=0, height=300)


def _counts_table(counts: dict[str, dict[str, int]]) -> None:
    for name, (label, defaults) in WEIGHT_GROUPS.items():
        per_option = counts.get(name) or {}
        if per_option:
            frame = pd.DataFrame([{option: per_option.get(option, 0) for option in defaults}])
            st.caption(label)
            st.dataframe(frame, hide_index=True)


def _preview(settings: dict[str, Any]) -> RunConfig | None:
    try:
        config = RunConfig.from_dict(settings)
        config_json = json.dumps(config.to_dict(), sort_keys=True)
        counts = _counts(config_json)
        estimate = _estimate(config_json)
    except ConfigError as error:
        st.error(f"Not a valid run: {error}")
        return None
    st.subheader("Exact counts")
    _counts_table(counts)
    st.subheader("Estimate")
    cells = st.columns(4)
    cells[0].metric("Model calls", f"{estimate.calls:,}")
    cells[1].metric("Tokens in / out", f"{estimate.input_tokens / 1e6:,.2f}M / {estimate.output_tokens / 1e6:,.2f}M")
    cells[2].metric("Cost", money(estimate.cost_usd))
    cells[3].metric("Time", duration(estimate.seconds))
    st.caption(estimate.note)
    return config


st.title("Generate")
current = current_run_id()
if current and (runs_root() / current).is_dir():
    render_progress(runs_root() / current)

settings_column, preview_column = st.columns([3, 2], gap="large")
with settings_column:
    run_tab, weights_tab, places_tab, execution_tab = st.tabs(["Run", "Distributions", "Places", "Execution"])
    with run_tab:
        settings = _run_settings()
    with weights_tab:
        settings |= _weights()
    with places_tab:
        settings |= _places()
    with execution_tab:
        settings |= _execution()
with preview_column:
    config = _preview(settings)
    if config is not None:
        with places_tab:
            _map(config)
    if st.button("Launch run", type="primary", disabled=config is None, icon=":material/rocket_launch:"):
        launch(config)
        st.rerun()
