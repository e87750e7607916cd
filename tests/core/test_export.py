"""Exports keep only the chosen records and read back exactly as meant, in every format."""
import json
from datetime import datetime, timezone

import pytest

from core.export import (ExportError, ExportOptions, RunRecords, preview_counts,
                         read_parquet_rows, select, write_export)
from core.tools import TOOL_SCHEMAS
from core.validation.chat_format_validator import check_format

NOW = datetime(2026, 3, 14, 12, 0, 5, tzinfo=timezone.utc)
CALLS = {
    "current": [("get_current_weather", {"latitude": 59.9139, "longitude": 10.7522})],
    "forecast": [("get_forecast", {"latitude": -33.8688, "longitude": 151.2093, "days": 5})],
    "geocode": [("geocode_location", {"city": "Paris", "country": "FR"}),
                ("get_current_weather", {"latitude": 48.8566, "longitude": 2.3522})],
}


def make_record(index: int, *, calls: str = "current", persona: str = "neutral", scenario: str = "success",
                passed: bool = True, groundedness: float | None = 1.0, weight_zero: bool = False) -> dict:
    messages = [{"role": "system", "content": "You are Weathervane."},
                {"role": "user", "content": f"Question {index}?"}]
    for step, (name, arguments) in enumerate(CALLS[calls]):
        call_id = f"call_{index}_{step}"
        assistant = {"role": "assistant", "content": None, "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}]}
        if weight_zero and step == 0:
            assistant["weight"] = 0
        messages += [assistant, {"role": "tool", "tool_call_id": call_id, "content": json.dumps({"ok": step})}]
    messages.append({"role": "assistant", "content": f"Answer {index}: 4 °C."})
    return {"id": f"ex-{index}", "messages": messages, "tools": TOOL_SCHEMAS, "parallel_tool_calls": False,
            "tags": {"persona": persona, "tone": "neutral", "domain": ["weather", "tool_use"], "source": "synthetic"},
            "metadata": {"scenario": scenario, "intent": "current", "error_kind": None, "locations": ["Oslo, NO"],
                         "index": index, "attempts": 1,
                         "validation": {"passed": passed, "groundedness": groundedness,
                                        "checks": {"format": "pass", "schema": "pass", "semantic": "pass",
                                                   "groundedness": "pass" if passed else "fail"}}}}


def make_mixed_run(run_id: str = "run-1") -> RunRecords:
    kinds = ["current", "forecast", "geocode"]
    return RunRecords(run_id, [make_record(i, calls=kinds[i % 3], weight_zero=i == 1,
                                           persona=("neutral", "twain")[i % 2]) for i in range(6)])


def export(runs, fmt, tmp_path, options=ExportOptions(), verdicts=None):
    selection = select(runs, options, verdicts or {})
    return selection, write_export(selection, fmt, tmp_path / "exports", now=NOW)


def ids(selection) -> list[str]:
    return [record["id"] for _, record in selection.items]


def test_the_default_keeps_validated_records_nobody_rejected():
    run = RunRecords("run-1", [make_record(0), make_record(1, passed=False), make_record(2), make_record(3)])
    selection = select([run], ExportOptions(), {("run-1", "ex-2"): "reject", ("run-1", "ex-3"): "accept"})
    assert ids(selection) == ["ex-0", "ex-3"]


def test_reviewed_accepted_only_keeps_only_records_with_an_accept_verdict():
    run = RunRecords("run-1", [make_record(0), make_record(1), make_record(2)])
    selection = select([run], ExportOptions(reviewed_accepted_only=True),
                       {("run-1", "ex-1"): "accept", ("run-1", "ex-2"): "reject"})
    assert ids(selection) == ["ex-1"]


def test_turning_every_filter_off_keeps_failed_and_rejected_records():
    run = RunRecords("run-1", [make_record(0, passed=False), make_record(1)])
    options = ExportOptions(validated_only=False, exclude_rejected=False)
    assert ids(select([run], options, {("run-1", "ex-1"): "reject"})) == ["ex-0", "ex-1"]


def test_minimum_groundedness_and_persona_subset_narrow_the_selection():
    run = RunRecords("run-1", [make_record(0, groundedness=0.5), make_record(1, groundedness=0.9, persona="twain"),
                               make_record(2, groundedness=0.95)])
    assert ids(select([run], ExportOptions(min_groundedness=0.8), {})) == ["ex-1", "ex-2"]
    assert ids(select([run], ExportOptions(min_groundedness=0.8, personas=("twain",)), {})) == ["ex-1"]


def test_a_minimum_groundedness_outside_zero_to_one_is_refused():
    with pytest.raises(ExportError, match="min_groundedness"):
        select([make_mixed_run()], ExportOptions(min_groundedness=1.5), {})


def test_several_runs_are_combined_and_verdicts_apply_per_run():
    first, second = RunRecords("run-1", [make_record(0)]), RunRecords("run-2", [make_record(0)])
    selection = select([first, second], ExportOptions(), {("run-1", "ex-0"): "reject"})
    assert [run_id for run_id, _ in selection.items] == ["run-2"]


def test_the_preview_counts_records_by_persona_and_scenario():
    run = RunRecords("run-1", [make_record(0), make_record(1, persona="twain", scenario="error"),
                               make_record(2, persona="twain", scenario="error")])
    counts = preview_counts(select([run], ExportOptions(), {}))
    assert counts.loc["twain", "error"] == 2 and counts.loc["neutral", "success"] == 1
    assert counts.loc["total", "total"] == 3


def test_the_openai_export_holds_only_training_keys_and_passes_the_chat_format_validator(tmp_path):
    _, result = export([make_mixed_run()], "openai", tmp_path)
    lines = [json.loads(line) for line in result.path.read_text().splitlines()]
    assert result.count == len(lines) == 6
    assert all(set(line) == {"messages", "tools", "parallel_tool_calls"} for line in lines)
    assert all(check_format(line) == [] for line in lines)
    assert lines[1]["messages"][2]["weight"] == 0


def test_the_full_export_keeps_tags_and_metadata_and_names_the_run(tmp_path):
    run = make_mixed_run("run-7")
    _, result = export([run], "full", tmp_path)
    first = json.loads(result.path.read_text().splitlines()[0])
    assert first["tags"] == run.records[0]["tags"]
    assert first["metadata"] == {**run.records[0]["metadata"], "run_id": "run-7"}


def test_the_parquet_export_loads_with_datasets_and_tool_arguments_come_back_exactly(tmp_path):
    run = make_mixed_run()
    _, result = export([run], "hf", tmp_path)
    rows = read_parquet_rows(result.path)
    assert [row["id"] for row in rows] == [record["id"] for record in run.records]
    for row, record in zip(rows, run.records):
        sent = [json.loads(call["function"]["arguments"]) for m in record["messages"] for call in m.get("tool_calls", [])]
        back = [call["function"]["arguments"] for m in row["messages"] for call in m.get("tool_calls", [])]
        assert back == sent
        assert row["tools"] == TOOL_SCHEMAS
        assert [set(m) for m in row["messages"]] == [set(m) for m in record["messages"]]
    geocode = rows[2]["messages"][2]["tool_calls"][0]["function"]["arguments"]
    assert geocode == {"city": "Paris", "country": "FR"}


def test_an_export_is_a_folder_with_a_readme_that_says_how_to_load_it(tmp_path):
    _, result = export([make_mixed_run()], "hf", tmp_path)
    assert result.path.parent == result.readme.parent
    assert result.path.parent.parent == tmp_path / "exports"
    readme = result.readme.read_text()
    assert "datasets.Json" in readme and "json.loads" in readme and result.path.name in readme
    assert "twain" in readme  # the persona x scenario counts


def test_two_exports_in_the_same_second_get_separate_folders(tmp_path):
    _, first = export([make_mixed_run()], "openai", tmp_path)
    _, second = export([make_mixed_run()], "openai", tmp_path)
    assert first.path.parent != second.path.parent and first.path.exists() and second.path.exists()


def test_an_export_that_fails_its_check_is_removed_and_explained(tmp_path):
    broken = make_record(0, passed=False)
    broken["messages"] = []  # an API failure: nothing to train on
    run = RunRecords("run-1", [broken])
    with pytest.raises(ExportError, match="validated only"):
        export([run], "openai", tmp_path, ExportOptions(validated_only=False))
    assert list((tmp_path / "exports").iterdir()) == []


def test_an_empty_selection_or_unknown_format_is_refused(tmp_path):
    with pytest.raises(ExportError, match="no records"):
        export([RunRecords("run-1", [])], "openai", tmp_path)
    with pytest.raises(ExportError, match="format"):
        export([make_mixed_run()], "csv", tmp_path)


def test_arguments_that_are_not_json_come_back_as_the_same_text_in_parquet(tmp_path):
    record = make_record(0, weight_zero=True)
    record["messages"][2]["tool_calls"][0]["function"]["arguments"] = '{"latitude": 91,'
    _, result = export([RunRecords("run-1", [record])], "hf", tmp_path)
    assert read_parquet_rows(result.path)[0]["messages"][2]["tool_calls"][0]["function"]["arguments"] == \
        '{"latitude": 91,'
