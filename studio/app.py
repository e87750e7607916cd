"""Weathervane studio entry point: `streamlit run studio/app.py`.

Builds the navigation and the sidebar (the current run and its key figures);
each page renders on its own and reads everything through `core`.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `core` and `studio` from any working directory

import streamlit as st  # noqa: E402

from studio.components.run_sidebar import render_run_sidebar  # noqa: E402

st.set_page_config(page_title="Weathervane", page_icon="🌦️", layout="wide")
page = st.navigation({
    "Create": [
        st.Page("views/generate.py", title="Generate", icon=":material/bolt:", default=True),
        st.Page("views/runs.py", title="Runs", icon=":material/folder_open:"),
    ],
    "Inspect": [
        st.Page("views/browse.py", title="Browse", icon=":material/forum:"),
        st.Page("views/groundedness.py", title="Groundedness", icon=":material/fact_check:"),
        st.Page("views/dashboard.py", title="Dashboard", icon=":material/bar_chart:"),
    ],
    "Curate": [
        st.Page("views/review.py", title="Review", icon=":material/rate_review:"),
        st.Page("views/export.py", title="Export", icon=":material/download:"),
    ],
})
render_run_sidebar()
page.run()
