"""The Streamlit studio: pages that render what `core` computes."""
from studio.legacy_pages import leave_legacy_pages_mode

leave_legacy_pages_mode()
