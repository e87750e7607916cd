"""Datasets in: good lines become records and table rows, bad lines are reported by number."""
import json

import pytest

from core.data_loader import COLUMNS, BadLine, DatasetError, load_dataframe, load_records, record_row, to_dataframe


def call(name, call_id="call_1"):
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": "{}"}}


def make_record(record_id="r1", *, passed=True, cities=("Oslo, NO",), final="It is 4 °C in Oslo."):
    return {
        "id": record_id,
        "messages": [
            {"role": "system", "content": "You are a weather assistant."},
            {"role": "user", "content": "Weather in Oslo?"},
            {"role": "assistant", "content": None, "tool_calls": [call("geocode_location", "c1")]},
            {"role": "tool", "tool_call_id": "c1", "content": "{}"},
            {"role": "assistant", "content": None,
             "tool_calls": [call("get_current_weather", "c2"), call("get_current_weather", "c3")]},
            {"role": "tool", "tool_call_id": "c2", "content": "{}"},
            {"role": "tool", "tool_call_id": "c3", "content": "{}"},
            {"role": "assistant", "content": final},
            {"role": "user", "content": "And tomorrow?"},
            {"role": "assistant", "content": "Colder."},
        ],
        "tags": {"persona": "twain"},
        "metadata": {
            "scenario": "multi_turn", "intent": "current", "error_kind": None, "index": 3,
            "locations": list(cities), "simulated_date": "2026-03-14", "attempts": 2,
            "generator": {"backend": "offline", "model": "offline-templates"},
            "usage": {"input_tokens": 10, "output_tokens": 4},
            "validation": {"passed": passed, "groundedness": 0.9,
                           "checks": {"format": "pass", "schema": "pass", "semantic": "pass",
                                      "groundedness": "pass" if passed else "fail"}},
        },
    }


def write_lines(tmp_path, lines):
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_lines_are_reported_by_number_and_the_good_ones_still_load(tmp_path):
    path = write_lines(tmp_path, [json.dumps(make_record("a")), "{not json", "", "[1, 2]",
                                  json.dumps(make_record("b"))])
    loaded = load_records(path)
    assert [record["id"] for record in loaded.records] == ["a", "b"]
    assert [bad.number for bad in loaded.bad_lines] == [2, 4]
    assert "not valid JSON" in loaded.bad_lines[0].error
    assert "expected a JSON object, found list" in loaded.bad_lines[1].error


def test_a_missing_file_is_a_dataset_error_naming_it(tmp_path):
    with pytest.raises(DatasetError, match="nope.jsonl"):
        load_records(tmp_path / "nope.jsonl")


def test_a_row_states_the_facts_of_a_record():
    row = record_row(make_record(cities=("Oslo, NO", "Longyearbyen, NO")))
    assert row["persona"] == "twain" and row["scenario"] == "multi_turn" and row["index"] == 3
    assert row["cities"] == ["Oslo, NO", "Longyearbyen, NO"]
    assert row["climate_groups"] == ["continental", "polar"]
    assert row["user_turns"] == 2
    assert row["tool_calls"] == 3
    assert row["tools_used"] == ["geocode_location", "get_current_weather"]
    assert row["final_answer_length"] == len("Colder.")
    assert (row["check_groundedness"], row["passed"], row["groundedness"]) == ("pass", True, 0.9)
    assert (row["attempts"], row["backend"], row["input_tokens"], row["output_tokens"]) == (2, "offline", 10, 4)


def test_a_record_missing_its_metadata_still_gives_a_row_of_nones():
    row = record_row({"id": "bare"})
    assert row["id"] == "bare"
    assert row["scenario"] is None and row["passed"] is None and row["cities"] == []
    assert row["tool_calls"] == 0 and row["final_answer_length"] == 0


def test_the_dataframe_has_one_row_per_record_and_every_column(tmp_path):
    path = write_lines(tmp_path, [json.dumps(make_record("a")), "oops", json.dumps(make_record("b", passed=False))])
    frame, bad = load_dataframe(path)
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["id"]) == ["a", "b"]
    assert list(frame["passed"]) == [True, False]
    assert bad == [BadLine(2, bad[0].error)]


def test_an_empty_dataset_gives_an_empty_table_with_the_columns():
    assert list(to_dataframe([]).columns) == list(COLUMNS)
