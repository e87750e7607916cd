"""Runs: every run with its figures; delete only after confirming; imports validated, bad lines named."""
import json

from studio_factories import finished_pid, make_record, make_run, studio, write_jsonl


def select_run(app, row):
    app.session_state["runs_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return app.run()


def test_runs_are_listed_with_their_key_figures(tmp_path, monkeypatch):
    make_run(tmp_path, "run-a", [make_record(0), make_record(1)], [make_record(2, passed=False)], pass_rate=2 / 3)
    table = studio(tmp_path, monkeypatch, "views/runs.py").dataframe[0].value
    row = table.iloc[0].to_dict()
    assert (row["run"], row["state"], row["records"], row["done"], row["backend"]) == (
        "run-a", "completed", 2, "3 / 3", "offline")
    assert round(row["pass rate"], 3) == 0.667 and row["size (MB)"] >= 0


def test_a_run_is_deleted_only_after_confirmation(tmp_path, monkeypatch):
    make_run(tmp_path, "run-a", [make_record(0)])
    app = select_run(studio(tmp_path, monkeypatch, "views/runs.py"), 0)
    assert app.button(key="runs_delete").disabled
    app.checkbox(key="runs_confirm_delete").check().run()
    app.button(key="runs_delete").click().run()
    assert not (tmp_path / "runs" / "run-a").exists()
    assert app.info[0].value.startswith("No runs yet")


def test_an_interrupted_run_offers_resume_and_shows_its_last_error(tmp_path, monkeypatch):
    make_run(tmp_path, "run-a", [make_record(0)], state="running", pid=finished_pid(), total=10,
             last_error="rate_limit: <b>slow down</b>")
    app = select_run(studio(tmp_path, monkeypatch, "views/runs.py"), 0)
    assert app.dataframe[0].value.iloc[0]["state"] == "interrupted"
    assert app.button(key="runs_resume").label == "Resume"
    assert app.warning[0].value == r"Last error: rate\_limit\: \<b\>slow down\<\/b\>"


def test_an_imported_file_becomes_a_run_and_its_bad_lines_are_named(tmp_path, monkeypatch):
    source = tmp_path / "incoming" / "mine.jsonl"
    source.parent.mkdir()
    write_jsonl(source, [make_record(0), make_record(1)])
    source.write_text(source.read_text() + "oops\n[]\n")
    app = studio(tmp_path, monkeypatch, "views/runs.py")
    app.text_input(key="runs_import_path").set_value("incoming/mine.jsonl").run()
    app.button(key="runs_import").click().run()
    assert "2 passed validation, 0 rejected" in app.success[0].value
    assert app.warning[0].value == "2 line(s) could not be read and were skipped:"
    bad = app.dataframe[-1].value
    assert list(bad["line"]) == [3, 4] and bad["problem"][1] == "expected a JSON object, found list"
    assert app.dataframe[0].value.iloc[0]["run"].startswith("import-")


def test_an_uploaded_file_that_holds_no_record_is_reported(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch, "views/runs.py")
    app.file_uploader(key="runs_upload").upload("junk.jsonl", b"not json\n").run()
    app.button(key="runs_import").click().run()
    assert app.error[0].value.startswith("Import failed: junk\\.jsonl holds no readable record")
    assert not (tmp_path / "runs").exists()


def test_a_path_outside_the_data_folder_is_refused(tmp_path, monkeypatch):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.jsonl"
    outside.write_text(json.dumps(make_record(0)) + "\n")
    app = studio(tmp_path, monkeypatch, "views/runs.py")
    app.text_input(key="runs_import_path").set_value(str(outside)).run()
    app.button(key="runs_import").click().run()
    assert "only files inside" in app.error[0].value
    assert not (tmp_path / "runs").exists()
