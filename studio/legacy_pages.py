"""Keep Streamlit out of its legacy `pages/` folder mode, so app.py always builds the studio.

A folder named `pages` beside app.py makes a fresh Streamlit process run a
requested page file on its own (no app.py, no sidebar, no `st.navigation`)
until some run calls `st.navigation`: a first visit straight to /browse would
get a bare page. The `studio` package calls this on import, which every page
does, so such a run switches the mode off and starts again through app.py.
"""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def leave_legacy_pages_mode() -> None:
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()
