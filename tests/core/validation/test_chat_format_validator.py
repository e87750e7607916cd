"""Chat format: the cookbook's checks, extended so tool conversations are judged correctly."""
from __future__ import annotations

import pytest

from core.validation.chat_format_validator import check_format
from tests.core.validation.factories import (OSLO, answer, call, calls, current_output, current_record, record,
                                             system, tool, user)


def rules(findings) -> set[str]:
    return {finding.rule for finding in findings}


def corrupt(change) -> dict:
    """A well-formed current-weather record with `change(messages, record)` applied."""
    example = current_record()
    change(example["messages"], example)
    return example


def test_a_well_formed_tool_conversation_passes():
    assert check_format(current_record()) == []


def test_null_content_is_valid_beside_tool_calls():
    example = current_record()
    assert example["messages"][2]["content"] is None
    assert check_format(example) == []


def test_a_multi_turn_conversation_that_alternates_passes():
    example = current_record()
    example["messages"] += [user("And is it windy?"), answer("A 12 km/h breeze, nothing more.")]
    assert check_format(example) == []


def test_parallel_calls_may_be_answered_in_any_order_when_parallel_is_allowed():
    coordinates = {"latitude": OSLO[0], "longitude": OSLO[1]}
    example = record([system(), user("Oslo now and for three days?"),
                      calls(call("a", "get_current_weather", coordinates),
                            call("b", "get_forecast", {**coordinates, "days": 3})),
                      tool("b", {"daily": {}}), tool("a", current_output()), answer("Here you go: 4 °C.")])
    example["parallel_tool_calls"] = True
    assert check_format(example) == []


@pytest.mark.parametrize("bad, rule", [
    ([], "data_type"),
    ({"messages": []}, "missing_messages_list"),
    ({"tools": []}, "missing_messages_list"),
])
def test_records_that_are_not_conversations(bad, rule):
    assert rules(check_format(bad)) == {rule}


CORRUPTIONS = {
    "message_missing_key": lambda m, r: m[1].pop("role"),
    "message_unrecognized_key": lambda m, r: m[1].update(mood="curious"),
    "unrecognized_role": lambda m, r: m[1].update(role="human"),
    "missing_content": lambda m, r: m[4].update(content=None),
    "invalid_weight": lambda m, r: m[2].update(weight=0.5),
    "invalid_tool_calls": lambda m, r: m[2]["tool_calls"][0].update(type="retrieval"),
    "unknown_function": lambda m, r: m[2]["tool_calls"][0]["function"].update(name="get_horoscope"),
    "arguments_not_string": lambda m, r: m[2]["tool_calls"][0]["function"].update(
        arguments={"latitude": OSLO[0], "longitude": OSLO[1]}),
    "orphan_tool_message": lambda m, r: m.insert(4, tool("call_nobody", {"ok": True})),
    "duplicate_tool_answer": lambda m, r: m.insert(4, dict(m[3])),
    "unanswered_tool_call": lambda m, r: m.pop(3),
    "ends_without_answer": lambda m, r: m.pop(),
    "example_missing_assistant_message": lambda m, r: m.__delitem__(slice(2, None)),
    "invalid_tools": lambda m, r: r.update(tools=[{"name": "get_forecast"}]),
    "invalid_parallel_tool_calls": lambda m, r: r.update(parallel_tool_calls="no"),
}


@pytest.mark.parametrize("rule", sorted(CORRUPTIONS))
def test_each_corruption_is_caught_by_its_rule(rule):
    assert rule in rules(check_format(corrupt(CORRUPTIONS[rule])))


def test_empty_assistant_text_is_missing_content():
    assert "missing_content" in rules(check_format(corrupt(lambda m, r: m[4].update(content="  "))))


def test_a_tool_message_needs_a_call_id():
    findings = check_format(corrupt(lambda m, r: m[3].pop("tool_call_id")))
    assert "message_missing_key" in rules(findings)


def test_an_empty_tool_calls_list_is_invalid():
    assert "invalid_tool_calls" in rules(check_format(corrupt(lambda m, r: m[2].update(tool_calls=[]))))


def test_arguments_given_as_a_dict_name_the_call_and_the_fix():
    findings = check_format(corrupt(CORRUPTIONS["arguments_not_string"]))
    [finding] = [f for f in findings if f.rule == "arguments_not_string"]
    assert finding.message_index == 2 and finding.tool_call_id == "call_1"
    assert "JSON string" in finding.reason and "json.dumps" in finding.reason


def test_swapped_tool_call_ids_are_reported_as_a_mismatch():
    coordinates = {"latitude": OSLO[0], "longitude": OSLO[1]}
    example = record([system(), user("Oslo now, then the forecast?"),
                      calls(call("call_A", "get_current_weather", coordinates)),
                      tool("call_B", current_output()),
                      calls(call("call_B", "get_forecast", {**coordinates, "days": 2})),
                      tool("call_A", {"daily": {}}),
                      answer("It is 4.2 °C.")])
    findings = check_format(example)
    mismatches = [f for f in findings if f.rule == "tool_call_id_mismatch"]
    assert [(f.message_index, f.tool_call_id) for f in mismatches] == [(3, "call_B"), (5, "call_A")]
    assert "swapped" in mismatches[0].reason
    assert "unanswered_tool_call" in rules(findings)


def test_an_orphan_tool_message_names_its_id():
    [finding] = [f for f in check_format(corrupt(CORRUPTIONS["orphan_tool_message"]))
                 if f.rule == "orphan_tool_message"]
    assert finding.message_index == 4 and finding.tool_call_id == "call_nobody"
    assert "no assistant tool call" in finding.reason


def test_tool_call_ids_must_be_unique_across_the_record():
    def reuse(messages, example):
        messages[4:4] = [calls(call("call_1", "get_current_weather", {"latitude": 1, "longitude": 2})),
                         tool("call_1", current_output())]

    findings = check_format(corrupt(reuse))
    assert "duplicate_tool_call_id" in rules(findings)


def test_a_function_must_be_declared_in_the_records_tools():
    example = current_record()
    example["tools"] = [tool for tool in example["tools"] if tool["function"]["name"] != "get_current_weather"]
    assert "unknown_function" in rules(check_format(example))


def test_serial_records_may_not_make_parallel_calls():
    def two_calls(messages, example):
        messages[2]["tool_calls"].append(call("call_2", "get_current_weather", {"latitude": 1, "longitude": 2}))
        messages.insert(4, tool("call_2", current_output()))

    assert rules(check_format(corrupt(two_calls))) == {"parallel_tool_calls"}


@pytest.mark.parametrize("change, where", [
    (lambda m, r: m.pop(0), "must start with a system message"),
    (lambda m, r: m.insert(2, system()), "first message only"),
    (lambda m, r: m.insert(2, user("Also, hello?")), "user turns must follow"),
    (lambda m, r: m.insert(5, answer("And another thing.")), "assistant speaks after"),
    (lambda m, r: m.insert(4, user("Thanks!")), "user turns must follow"),
])
def test_turn_order(change, where):
    findings = [f for f in check_format(corrupt(change)) if f.rule == "order"]
    assert findings and where in findings[0].reason


def test_an_unanswered_call_is_reported_at_the_call():
    [finding] = [f for f in check_format(corrupt(CORRUPTIONS["unanswered_tool_call"]))
                 if f.rule == "unanswered_tool_call"]
    assert (finding.message_index, finding.tool_call_id) == (2, "call_1")
