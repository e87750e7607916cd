"""The Streamlit studio: pages that render what `core` computes.

Page files live in `views/`, not `pages/`: a `pages/` folder beside app.py
switches Streamlit into its legacy multipage mode, bypassing `st.navigation`.
"""
