"""Browse: every filter narrows the table; a selected row opens as a safe, readable conversation."""
import pytest

from studio_factories import live_markup, make_record, make_run, markdown_bodies, studio

PERSONAS = ("neutral", "twain", "franklin")


def make_browse_run(data_root):
    records = [
        make_record(0, persona="neutral", city="oslo-no", intent="current"),
        make_record(1, persona="twain", city="lima-pe", intent="what_to_wear", scenario="multi_turn",
                    user="Do I need an umbrella in Lima?"),
        make_record(2, persona="franklin", city="suva-fj", intent="current", groundedness=0.85),
    ]
    rejected = [make_record(3, persona="neutral", city="oslo-no", scenario="error", passed=False, groundedness=0.4)]
    make_run(data_root, "run-browse", records, rejected)


def shown_indexes(app):
    return list(app.dataframe[0].value["index"])


def open_browse(tmp_path, monkeypatch):
    make_browse_run(tmp_path)
    return studio(tmp_path, monkeypatch, "views/browse.py")


@pytest.mark.parametrize("key, value, expected", [
    ("f_persona", ["twain", "franklin"], [1, 2]),
    ("f_scenario", ["multi_turn"], [1]),
    ("f_intent", ["what_to_wear"], [1]),
    ("f_city", ["Oslo, NO"], [0, 3]),
    ("f_climate", ["tropical"], [2]),
    ("f_review", ["accept"], []),
])
def test_each_multiselect_filter_narrows_the_table(tmp_path, monkeypatch, key, value, expected):
    app = open_browse(tmp_path, monkeypatch)
    assert shown_indexes(app) == [0, 1, 2, 3]
    app.multiselect(key=key).set_value(value).run()
    assert shown_indexes(app) == expected
    assert f"{len(expected)} of 4 records" in markdown_bodies(app)


def test_validation_groundedness_and_text_filters_narrow_the_table(tmp_path, monkeypatch):
    app = open_browse(tmp_path, monkeypatch)
    app.segmented_control(key="f_validation").set_value("failed").run()
    assert shown_indexes(app) == [3]
    app.segmented_control(key="f_validation").set_value("any").run()
    app.slider(key="f_grounded").set_range(0.8, 0.9).run()
    assert shown_indexes(app) == [2]
    app.slider(key="f_grounded").set_range(0.0, 1.0).run()
    app.text_input(key="f_text").set_value("UMBRELLA").run()
    assert shown_indexes(app) == [1]


def test_selecting_a_row_opens_the_conversation_with_its_tool_calls(tmp_path, monkeypatch):
    app = open_browse(tmp_path, monkeypatch)
    app.session_state["browse_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    app.run()
    assert not app.exception
    assert [message.name for message in app.chat_message][:2] == ["user", "assistant"]
    labels = [expander.label for expander in app.expander]
    assert "System prompt" in labels
    assert any("get\\_current\\_weather" in label for label in labels)
    arguments, response = [code.value for code in app.code][:2]
    assert '"latitude": -12.0464' in arguments and '"current"' in response
    assert "Do I need an umbrella in Lima\\?" in markdown_bodies(app)


def test_a_hostile_record_renders_as_inert_text(tmp_path, monkeypatch):
    hostile = "<script>alert('x')</script> ![x](http://evil.example/a.png) <img src=x onerror=alert(1)>"
    make_run(tmp_path, "run-hostile", [make_record(0, answer=hostile, user=hostile)])
    app = studio(tmp_path, monkeypatch, "views/browse.py")
    app.session_state["browse_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    bodies = markdown_bodies(app)
    assert any("alert" in body for body in bodies)
    for element in [*app.markdown, *app.caption]:
        assert not element.proto.allow_html
        assert live_markup(element.value) == [], element.value
    assert not app.get("html") and not app.get("imgs")


def test_unreadable_lines_are_reported_and_the_rest_still_shown(tmp_path, monkeypatch):
    run_dir = make_run(tmp_path, "run-bad", [make_record(0), make_record(1)])
    examples = run_dir / "tool_use_examples.jsonl"
    examples.write_text(examples.read_text() + "{truncated\n")
    app = studio(tmp_path, monkeypatch, "views/browse.py")
    assert app.warning[0].value.startswith(r"1 unreadable line\(s\) in tool\_use\_examples\.jsonl skipped\; "
                                           r"first\: line 3\: not valid JSON")
    assert shown_indexes(app) == [0, 1]
