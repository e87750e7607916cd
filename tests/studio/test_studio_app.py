"""The studio shell: every page renders, empty states offer a first run, the sidebar follows the current run."""
from pathlib import Path

import pytest

from studio_factories import make_record, make_run, studio

PAGES = ["views/generate.py", "views/runs.py", "views/browse.py", "views/groundedness.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_machine(tmp_path, monkeypatch, page):
    app = studio(tmp_path, monkeypatch, page)
    assert app.title[0].value == Path(page).stem.capitalize()


def test_the_sidebar_says_there_is_no_run_yet(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch, "views/runs.py")
    assert [caption.value for caption in app.sidebar.caption] == ["No runs yet."]


@pytest.mark.parametrize("page", ["views/runs.py", "views/browse.py", "views/groundedness.py"])
def test_pages_that_need_a_run_offer_fifty_offline_examples_in_one_click(tmp_path, monkeypatch, page):
    app = studio(tmp_path, monkeypatch, page)
    assert app.info[0].value == "No runs yet — generate 50 offline examples to try the studio."
    assert app.button(key="quick_start").label == "Generate 50 offline examples"


def test_the_sidebar_shows_the_newest_run_and_its_key_figures_and_switches_runs(tmp_path, monkeypatch):
    make_run(tmp_path, "20260101-a", [make_record(0, city="oslo-no")], pass_rate=0.5, mean_groundedness=0.91)
    make_run(tmp_path, "20260102-b", [make_record(1, city="lima-pe")])
    (tmp_path / "runs" / "20260101-a" / "config.json").write_text("{}")
    (tmp_path / "runs" / "20260102-b" / "config.json").write_text("{}")
    app = studio(tmp_path, monkeypatch, "views/browse.py")
    picker = app.sidebar.selectbox(key="sidebar_run_picker")
    assert picker.options == ["20260102-b", "20260101-a"] and picker.value == "20260102-b"
    assert list(app.dataframe[0].value["cities"]) == [["Lima, PE"]]
    picker.set_value("20260101-a").run()
    assert list(app.dataframe[0].value["cities"]) == [["Oslo, NO"]]
    figures = {metric.label: metric.value for metric in app.sidebar.metric}
    assert figures["Records"] == "1" and figures["Pass rate"] == "50.0%" and figures["Groundedness"] == "91.0%"
