"""The studio's page files sit where Streamlit's legacy multipage mode cannot find them."""
from pathlib import Path

import studio


def test_no_pages_folder_beside_app_py_so_navigation_always_comes_from_app_py():
    app_dir = Path(studio.__file__).parent
    assert (app_dir / "app.py").is_file() and (app_dir / "views").is_dir()
    assert not (app_dir / "pages").exists()
