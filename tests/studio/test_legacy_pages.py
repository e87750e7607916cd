"""A `pages/` folder must not put Streamlit in its legacy mode, where a page runs without app.py."""
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import studio.legacy_pages  # noqa: F401  imported outside any script run, so the package import is a no-op

SCRIPT = """
import streamlit as st
from studio.legacy_pages import leave_legacy_pages_mode

st.session_state.runs = st.session_state.get("runs", 0) + 1
leave_legacy_pages_mode()
st.write(f"runs: {st.session_state.runs}")
"""


def test_a_run_in_legacy_pages_mode_switches_it_off_and_starts_again(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "other.py").write_text("import streamlit as st\nst.write('other')\n")
    (tmp_path / "app.py").write_text(SCRIPT)
    app = AppTest.from_file(str(tmp_path / "app.py")).run()
    assert not app.exception
    assert [element.value for element in app.markdown] == ["runs: 2"]
    assert PagesManager.uses_pages_directory is False
