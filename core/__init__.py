"""Weathervane's generation and validation library (no Streamlit in here)."""
from core import compiled_modules

compiled_modules.install()
