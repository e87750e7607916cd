"""The Streamlit studio: pages that render what `core` computes."""
