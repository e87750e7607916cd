"""Argument schemas: every call against its tool's JSON Schema, deliberate mistakes marked and answered."""
from __future__ import annotations

import pytest

from core.validation.conversation import parse_conversation
from core.validation.schema_validator import check_schema
from tests.core.validation.factories import (OSLO, answer, call, calls, current_output, current_record, error,
                                             record, system, tool, user)


def schema_findings(example: dict):
    return check_schema(example, parse_conversation(example))


def forecast_call_record(arguments, *, weight: int | None = None, response: dict | None = None) -> dict:
    return record([system(), user("Oslo for the next 3 days?"),
                   calls(call("call_1", "get_forecast", arguments), weight=weight),
                   tool("call_1", response if response is not None else error("out_of_range", "days: too many")),
                   answer("Sorry, I could not get that forecast.")], scenario="error", error_kind="too_many_days")


def test_valid_arguments_pass():
    assert schema_findings(current_record()) == []


@pytest.mark.parametrize("arguments, problem", [
    ({"latitude": OSLO[0], "longitude": OSLO[1], "days": 20}, "days"),
    ({"latitude": 95, "longitude": OSLO[1], "days": 3}, "latitude"),
    ({"latitude": OSLO[0], "longitude": -200, "days": 3}, "longitude"),
    ({"latitude": OSLO[0], "longitude": OSLO[1]}, "days: required"),
    ({"latitude": "59.9", "longitude": OSLO[1], "days": 3}, "latitude"),
    ({"latitude": OSLO[0], "longitude": OSLO[1], "days": 3, "units": "metric"}, "units"),
])
def test_invalid_arguments_fail_with_the_violation(arguments, problem):
    [finding] = schema_findings(forecast_call_record(arguments))
    assert finding.rule == "invalid_arguments" and finding.check == "schema"
    assert problem in finding.reason and "weight" in finding.reason
    assert (finding.message_index, finding.tool_call_id) == (2, "call_1")


def test_malformed_json_is_reported_with_the_offending_text():
    [finding] = schema_findings(forecast_call_record('{"latitude": 59.9, "longitude": 10.7, "days": 3'))
    assert finding.rule == "malformed_arguments"
    assert "not valid JSON" in finding.reason and '{"latitude": 59.9, "longitude": 10.7, "days": 3' in finding.reason


def test_arguments_that_are_json_but_not_an_object_fail():
    [finding] = schema_findings(forecast_call_record("[59.9, 10.7, 3]"))
    assert finding.rule == "malformed_arguments" and "not an object" in finding.reason


def test_a_deliberate_mistake_marked_weight_0_and_answered_by_an_error_passes():
    assert schema_findings(forecast_call_record({"latitude": OSLO[0], "longitude": OSLO[1], "days": 20},
                                                weight=0)) == []


def test_weight_0_does_not_excuse_a_mistake_the_tool_did_not_reject():
    example = forecast_call_record({"latitude": OSLO[0], "longitude": OSLO[1], "days": 20}, weight=0,
                                   response=current_output())
    [finding] = schema_findings(example)
    assert finding.rule == "invalid_arguments" and "must be answered by a tool error" in finding.reason


def test_an_error_answer_without_weight_0_does_not_excuse_a_mistake():
    [finding] = schema_findings(forecast_call_record({"latitude": OSLO[0], "longitude": OSLO[1], "days": 20}))
    assert finding.rule == "invalid_arguments"


def test_declared_tools_must_be_the_products_schemas():
    example = current_record()
    example["tools"][1]["function"]["parameters"]["properties"]["days"]["maximum"] = 30
    [finding] = schema_findings(example)
    assert finding.rule == "tool_definition_differs" and "get_forecast" in finding.reason


def test_a_declared_tool_the_product_does_not_have_fails():
    example = current_record()
    example["tools"].append({"type": "function", "function": {"name": "get_tides", "parameters": {}}})
    [finding] = schema_findings(example)
    assert finding.rule == "unknown_tool_definition" and "get_tides" in finding.reason
