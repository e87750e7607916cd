"""Export: the preview counts what the filters keep; a written export is re-read and offered."""
import json
from datetime import datetime, timezone

from core.export import read_parquet_rows
from core.review_store import ReviewStore
from core.validation.chat_format_validator import check_format
from studio_factories import make_record, make_run, studio

WHEN = datetime(2026, 3, 14, 12, tzinfo=timezone.utc)


def make_export_runs(data_root):
    first = [make_record(0), make_record(1, persona="twain"), make_record(2, persona="franklin", scenario="error")]
    make_run(data_root, "run-a", first, [make_record(3, passed=False, groundedness=0.2)])
    make_run(data_root, "run-b", [make_record(10, persona="twain")])
    return first


def open_export(tmp_path, monkeypatch):
    """The Export page with run-a chosen."""
    records = make_export_runs(tmp_path)
    app = studio(tmp_path, monkeypatch, "views/export.py")
    app.multiselect(key="x_runs").set_value(["run-a"]).run()
    return app, records


def preview_total(app) -> int:
    return int(app.dataframe[0].value.loc["total", "total"])


def written_file(app, data_root):
    assert not app.error, [error.value for error in app.error]
    (download,) = [element for element in app.main if element.type == "download_button"]
    (folder,) = (data_root / "exports").iterdir()
    (data,) = [path for path in folder.iterdir() if path.name != "README.md"]
    return data


def test_the_current_run_is_chosen_by_default(tmp_path, monkeypatch):
    make_export_runs(tmp_path)
    app = studio(tmp_path, monkeypatch, "views/export.py")
    assert app.multiselect(key="x_runs").value == [app.session_state["current_run_id"]]


def test_the_preview_counts_records_by_persona_and_scenario(tmp_path, monkeypatch):
    app, _ = open_export(tmp_path, monkeypatch)
    preview = app.dataframe[0].value
    assert preview_total(app) == 3
    assert preview.loc["franklin", "error"] == 1 and preview.loc["twain", "success"] == 1


def test_filters_and_several_runs_change_the_preview(tmp_path, monkeypatch):
    app, records = open_export(tmp_path, monkeypatch)
    app.multiselect(key="x_runs").set_value(["run-a", "run-b"]).run()
    assert preview_total(app) == 4
    app.multiselect(key="x_personas").set_value(["twain"]).run()
    assert preview_total(app) == 2
    app.multiselect(key="x_personas").set_value([]).run()
    app.checkbox(key="x_validated").uncheck().run()
    assert preview_total(app) == 5
    ReviewStore(tmp_path / "studio.sqlite").record("run-a", records[0]["id"], "ana", "accept", at=WHEN)
    app.checkbox(key="x_reviewed").check().run()
    assert preview_total(app) == 1


def test_an_openai_export_is_written_re_read_and_offered_for_download(tmp_path, monkeypatch):
    app, records = open_export(tmp_path, monkeypatch)
    ReviewStore(tmp_path / "studio.sqlite").record("run-a", records[1]["id"], "ana", "reject", at=WHEN)
    app.run()
    app.button(key="x_write").click().run()
    path = written_file(app, tmp_path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["messages"] for line in lines] == [records[0]["messages"], records[2]["messages"]]
    assert all(set(line) == {"messages", "tools", "parallel_tool_calls"} and not check_format(line)
               for line in lines)
    assert any("2 records written and re-read" in success.value for success in app.success)


def test_a_parquet_export_reads_back_with_datasets(tmp_path, monkeypatch):
    app, records = open_export(tmp_path, monkeypatch)
    app.radio(key="x_format").set_value("hf").run()
    app.button(key="x_write").click().run()
    rows = read_parquet_rows(written_file(app, tmp_path))
    assert [row["id"] for row in rows] == [record["id"] for record in records]
    call = rows[0]["messages"][2]["tool_calls"][0]["function"]
    assert call["arguments"] == json.loads(records[0]["messages"][2]["tool_calls"][0]["function"]["arguments"])


def test_an_export_that_fails_its_check_is_not_offered(tmp_path, monkeypatch):
    broken = make_record(5, passed=False, groundedness=None)
    broken["messages"] = []
    make_run(tmp_path, "run-broken", [], [broken])
    app = studio(tmp_path, monkeypatch, "views/export.py")
    app.checkbox(key="x_validated").uncheck().run()
    app.button(key="x_write").click().run()
    assert any("re-read check" in error.value.replace("\\", "") for error in app.error)  # shown escaped
    assert not [element for element in app.main if element.type == "download_button"]
    assert list((tmp_path / "exports").iterdir()) == []


def test_without_a_run_the_page_offers_a_first_run(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch, "views/export.py")
    assert app.button(key="quick_start").label == "Generate 50 offline examples"
