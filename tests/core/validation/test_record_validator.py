"""validate_record: the four checks together, and the hand-written corrupt records each caught for its reason."""
from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.validation import Finding, validate_record
from tests.core.validation.factories import (OSLO, REYKJAVIK, answer, call, calls, current_output, current_record,
                                             forecast_output, forecast_record, record, single_call_record, system,
                                             tool, user)


def failed(result) -> dict[str, set[str]]:
    """check -> rules that failed."""
    found: dict[str, set[str]] = {}
    for finding in result.failures:
        found.setdefault(finding.check, set()).add(finding.rule)
    return found


def test_a_good_record_passes_every_check_with_a_reason_for_each():
    result = validate_record(current_record())
    assert result.passed and result.checks == {"format": "pass", "schema": "pass", "semantic": "pass",
                                               "groundedness": "pass"}
    assert [finding.check for finding in result.findings] == ["format", "schema", "semantic", "groundedness"]
    assert all(finding.passed and finding.reason for finding in result.findings)
    assert result.to_metadata() == {"passed": True, "groundedness": 1.0, "checks": result.checks}


def test_swapped_tool_call_ids():
    point = {"latitude": OSLO[0], "longitude": OSLO[1]}
    example = record([system(), user("Oslo now, and the next two days?"),
                      calls(call("call_A", "get_current_weather", point)),
                      tool("call_B", current_output()),
                      calls(call("call_B", "get_forecast", {**point, "days": 2})),
                      tool("call_A", forecast_output(highs=(8.0, 10.5), lows=(1.0, 3.5), codes=(61, 3),
                                                     chances=(80, 20), winds=(18.0, 9.0), sums=(4.2, 0.0))),
                      answer("It is 4.2 °C now; tomorrow reaches 10.5 °C.")])
    result = validate_record(example)
    assert not result.passed and result.checks["format"] == "fail"
    assert "tool_call_id_mismatch" in failed(result)["format"]


def test_arguments_as_a_dict():
    example = current_record()
    example["messages"][2]["tool_calls"][0]["function"]["arguments"] = {"latitude": OSLO[0], "longitude": OSLO[1]}
    result = validate_record(example)
    assert failed(result) == {"format": {"arguments_not_string"}}
    assert result.checks["schema"] == "pass"  # reported once, by the check that owns it


def test_a_tool_message_answering_nothing():
    example = current_record()
    example["messages"].insert(4, tool("call_ghost", current_output()))
    result = validate_record(example)
    assert failed(result) == {"format": {"orphan_tool_message"}}


def test_95_f_in_reykjavik_in_january():
    output = current_output(at=REYKJAVIK, place=("Reykjavík", "Iceland", "IS"), temperature=95.0, apparent=97.0,
                            unit="°F", code=0, time="2026-01-15T13:00")
    example = single_call_record("get_current_weather", {"latitude": REYKJAVIK[0], "longitude": REYKJAVIK[1]},
                                 output, question="Is it cold in Reykjavik?", text="It's 95 °F under clear skies.",
                                 locations=["Reykjavík, IS"], simulated_date=date(2026, 1, 15))
    result = validate_record(example)
    assert failed(result) == {"semantic": {"implausible_temperature"}}
    assert result.groundedness.score == 1.0  # faithful to a tool that is itself wrong


def test_sunny_and_30_when_the_tool_said_rain_at_12():
    example = current_record("It's sunny and 30 °C in Oslo, enjoy!", temperature=12.0, apparent=10.5, code=63)
    result = validate_record(example)
    assert failed(result) == {"groundedness": {"ungrounded_claims"}}
    [finding] = result.failures
    assert "'sunny'" in finding.reason and "'30'" in finding.reason and "moderate rain" in finding.reason
    assert finding.message_index == 4
    assert result.to_metadata() == {"passed": False, "groundedness": 0.0,
                                    "checks": {"format": "pass", "schema": "pass", "semantic": "pass",
                                               "groundedness": "fail"}}


def test_the_groundedness_threshold_is_configurable():
    example = current_record("It is 4 °C, 87% humidity, drizzle, but 30 km/h wind.")
    assert not validate_record(example).passed
    assert validate_record(example, groundedness_threshold=0.75).passed


def test_a_record_that_is_not_a_conversation_fails_every_check_without_raising():
    result = validate_record(["not", "a", "record"])
    assert result.checks == dict.fromkeys(("format", "schema", "semantic", "groundedness"), "fail")
    assert result.groundedness is None and result.to_metadata()["groundedness"] is None
    assert {finding.rule for finding in result.failures} == {"data_type", "not_checked"}


def test_odd_values_anywhere_are_findings_not_exceptions():
    example = current_record()
    example["metadata"] = {"locations": [["Oslo"]], "simulated_date": 20260314, "scenario": 5}
    example["messages"][3]["content"] = '{"current": {"temperature_2m": "warm", "weather_code": true}}'
    example["messages"].append(7)
    result = validate_record(example)
    assert not result.passed and isinstance(result.failures[0], Finding)


def test_to_dict_carries_findings_and_claims_for_the_details_log():
    data = validate_record(current_record("Sunny and 4 °C.")).to_dict()
    assert data["passed"] is False and data["groundedness"] == 0.5
    assert data["groundedness_detail"]["claims"][0]["text"] == "Sunny"
    assert {finding["check"] for finding in data["findings"]} == {"format", "schema", "semantic", "groundedness"}


# json reads any run of digits as an int: one beyond the float range must be a finding too, never an OverflowError.
HUGE_INTEGERS = st.sampled_from([10**400, -10**400, 2**1024])
# Units too: a unit a field does not take (a weather code in "mph") must not break the reading of its values.
UNITS = st.sampled_from(["mph", "cm", "°F", "inch", "wmo code", "%"])
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | HUGE_INTEGERS
                           | st.floats(allow_nan=False) | st.text(max_size=12) | UNITS,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                        max_size=3), max_leaves=6)


def _paths(value, prefix=()):
    yield prefix
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _paths(child, (*prefix, key))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.data())
def test_validation_never_raises_whatever_part_of_a_record_is_replaced(data):
    example = current_record()
    path = data.draw(st.sampled_from(list(_paths(example))[1:]))
    parent = example
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = data.draw(JSON_VALUES)
    result = validate_record(example)
    assert set(result.checks.values()) <= {"pass", "fail"}


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.data())
def test_validation_never_raises_whatever_a_tool_answer_or_call_holds(data):
    """The JSON strings of calls and answers are parsed by the validator: any value inside them is a finding."""
    example = data.draw(st.sampled_from([current_record, forecast_record]))()
    holders = [(message, "content") for message in example["messages"] if message["role"] == "tool"] + [
        (tool_call["function"], "arguments") for message in example["messages"]
        for tool_call in message.get("tool_calls") or ()]
    holder, key = data.draw(st.sampled_from(holders))
    payload = json.loads(holder[key])
    path = data.draw(st.sampled_from(list(_paths(payload))[1:]))
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = data.draw(JSON_VALUES)
    holder[key] = json.dumps(payload)
    result = validate_record(example)
    assert set(result.checks.values()) <= {"pass", "fail"}


def test_an_integer_beyond_the_float_range_in_an_answer_is_not_a_weather_value():
    example = current_record()
    payload = json.loads(example["messages"][3]["content"])
    payload["current"]["temperature_2m"] = 10**400
    example["messages"][3]["content"] = json.dumps(payload)
    result = validate_record(example)
    assert not result.passed and "semantic" in failed(result)


@pytest.mark.parametrize("unit", ["mph", "cm", "inch"])
def test_a_weather_code_given_in_some_other_unit_is_read_as_the_code_it_is(unit):
    example = current_record()
    payload = json.loads(example["messages"][3]["content"])
    payload["current_units"]["weather_code"] = unit
    example["messages"][3]["content"] = json.dumps(payload)
    assert validate_record(example).checks["groundedness"] == "pass"  # "light drizzle" still matches code 51
