"""Groundedness: the run's histogram, least grounded first, and claims painted supported or not."""
from studio_factories import live_markup, make_record, make_run, studio
from tests.core.validation.factories import current_output


def make_grounded_run(data_root):
    make_run(data_root, "run-g", [
        make_record(0, groundedness=1.0),
        make_record(1, answer="It is 30 °C and snowing in Oslo.", groundedness=0.0, passed=False,
                    output=current_output()),  # 4.2 °C and drizzle, written by hand
        make_record(2, groundedness=0.75),
    ])


def test_the_histogram_and_the_least_grounded_records_first(tmp_path, monkeypatch):
    make_grounded_run(tmp_path)
    app = studio(tmp_path, monkeypatch, "views/groundedness.py")
    assert app.metric[0].value == "58.3%"
    assert list(app.dataframe[0].value["index"]) == [1, 2, 0]
    chart = app.get("vega_lite_chart")[0].proto
    assert '"bin"' in chart.spec and "groundedness" in chart.spec


def test_a_selected_record_shows_each_claim_supported_or_not(tmp_path, monkeypatch):
    make_grounded_run(tmp_path)
    app = studio(tmp_path, monkeypatch, "views/groundedness.py")
    app.session_state["grounded_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    painted = [element.value for element in app.markdown if "-background[" in element.value]
    assert painted == ["It is :red-background[30] °C and :red-background[snowing] in Oslo\\."]
    assert all(live_markup(body) == [] for body in painted)
    claims = app.dataframe[-1].value
    assert list(claims["claim"]) == ["30", "snowing"] and not claims["supported"].any()
    assert claims["nearest tool value"].notna().all()


def test_a_run_without_scores_says_so(tmp_path, monkeypatch):
    make_run(tmp_path, "run-u", [make_record(0, groundedness=None)])
    app = studio(tmp_path, monkeypatch, "views/groundedness.py")
    assert app.info[0].value == "No record of this run has a groundedness score yet."
