"""Weathervane studio entry point: `streamlit run studio/app.py`."""
import streamlit as st

st.set_page_config(page_title="Weathervane", page_icon="🌦️", layout="wide")
st.title("Weathervane")
st.info("The studio is being built. Until its pages land, generate data from a terminal: "
        "`python scripts/generate_synthetic_tool_data.py --count 50`.")
