"""Weathervane's generation and validation library (no Streamlit in here)."""
