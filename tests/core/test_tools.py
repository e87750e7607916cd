"""The three tools: one schema source, readable argument checks, and a dispatcher that never raises."""
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from core import weather
from core.tool_errors import ERROR_CODES, is_error, tool_error
from core.tools import (
    TOOL_NAMES,
    TOOL_SCHEMAS,
    ToolContext,
    anthropic_tools,
    execute,
    validate_arguments,
)

WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def context(seed=11, fault=None):
    return ToolContext(when=WHEN, seed=seed, fault=fault)


def schema(name):
    return next(tool["function"]["parameters"] for tool in TOOL_SCHEMAS if tool["function"]["name"] == name)


def oslo(**extra):
    return {"latitude": 59.91, "longitude": 10.75, **extra}


# ---------------------------------------------------------------------------
# Schemas.

def test_the_three_tools_have_the_fixed_names_in_openai_function_form():
    assert TOOL_NAMES == ("get_current_weather", "get_forecast", "geocode_location")
    for tool in TOOL_SCHEMAS:
        assert tool["type"] == "function"
        assert set(tool["function"]) == {"name", "description", "parameters"}
        Draft202012Validator.check_schema(tool["function"]["parameters"])
        assert tool["function"]["parameters"]["additionalProperties"] is False


def test_coordinates_days_and_names_have_types_bounds_and_requirements():
    forecast_schema = schema("get_forecast")
    assert forecast_schema["required"] == ["latitude", "longitude", "days"]
    latitude, longitude, days = (forecast_schema["properties"][key] for key in ("latitude", "longitude", "days"))
    assert (latitude["type"], latitude["minimum"], latitude["maximum"]) == ("number", -90, 90)
    assert (longitude["type"], longitude["minimum"], longitude["maximum"]) == ("number", -180, 180)
    assert (days["type"], days["minimum"], days["maximum"]) == ("integer", 1, 14)
    assert schema("get_current_weather")["required"] == ["latitude", "longitude"]
    assert schema("geocode_location")["required"] == ["city"]
    assert set(schema("geocode_location")["properties"]) == {"city", "country"}


def test_descriptions_tell_a_model_when_to_use_each_tool():
    descriptions = {tool["function"]["name"]: tool["function"]["description"] for tool in TOOL_SCHEMAS}
    assert "geocode_location first" in descriptions["get_current_weather"]
    assert "geocode_location first" in descriptions["get_forecast"]
    assert "ambiguous" in descriptions["geocode_location"]
    for properties in (schema(name)["properties"] for name in TOOL_NAMES):
        assert all(spec["description"] for spec in properties.values())


def test_anthropic_tools_are_derived_from_the_same_source():
    converted = anthropic_tools()
    assert [tool["name"] for tool in converted] == list(TOOL_NAMES)
    for tool, original in zip(converted, TOOL_SCHEMAS):
        assert set(tool) == {"name", "description", "input_schema"}
        assert tool["description"] == original["function"]["description"]
        assert tool["input_schema"] == original["function"]["parameters"]


# ---------------------------------------------------------------------------
# validate_arguments.

def test_valid_arguments_have_no_violations():
    assert validate_arguments("get_current_weather", oslo()) == []
    assert validate_arguments("get_forecast", oslo(days=14)) == []
    assert validate_arguments("get_forecast", oslo(days=3.0)) == []  # JSON has no separate integer type
    assert validate_arguments("geocode_location", {"city": "Paris"}) == []
    assert validate_arguments("geocode_location", {"city": "Paris", "country": "FR"}) == []


@pytest.mark.parametrize("name, arguments, expected", [
    ("get_forecast", oslo(days=20), "days: 20 is greater than the maximum of 14"),
    ("get_forecast", oslo(days=0), "days: 0 is less than the minimum of 1"),
    ("get_forecast", oslo(days=2.5), "days: 2.5 is not of type 'integer'"),
    ("get_current_weather", {"latitude": "abc", "longitude": 1}, "latitude: 'abc' is not of type 'number'"),
    ("get_current_weather", {"latitude": True, "longitude": 1}, "latitude: True is not of type 'number'"),
    ("get_current_weather", {"latitude": float("nan"), "longitude": 1}, "latitude: nan is not a finite number"),
    ("get_current_weather", {"longitude": 1}, "latitude: required argument is missing"),
    ("get_current_weather", oslo(foo=1), "unexpected argument 'foo' (allowed: latitude, longitude)"),
    ("get_current_weather", {"latitude": 95, "longitude": 1}, "latitude: 95 is greater than the maximum of 90"),
    ("geocode_location", {"city": "   "}, "city: must contain a non-blank name"),
    ("geocode_location", {"city": "Paris", "country": 7}, "country: 7 is not of type 'string'"),
])
def test_each_violation_is_one_readable_line_naming_the_field(name, arguments, expected):
    assert validate_arguments(name, arguments) == [expected]


def test_every_violation_is_reported_in_schema_order():
    assert validate_arguments("get_forecast", {"longitude": 200, "days": 20, "units": "F"}) == [
        "latitude: required argument is missing",
        "longitude: 200 is greater than the maximum of 180",
        "days: 20 is greater than the maximum of 14",
        "unexpected argument 'units' (allowed: latitude, longitude, days)",
    ]


def test_several_missing_arguments_are_each_reported_once():
    assert validate_arguments("get_forecast", {"days": 3}) == [
        "latitude: required argument is missing", "longitude: required argument is missing"]


def test_unknown_tools_and_non_objects_are_violations_not_exceptions():
    assert validate_arguments("get_weather", {}) == [
        "unknown tool 'get_weather'; the tools are get_current_weather, get_forecast, geocode_location"]
    assert validate_arguments("get_forecast", [1, 2]) == ["arguments must be a JSON object, got list: [1, 2]"]


# ---------------------------------------------------------------------------
# execute: success.

def test_weather_calls_return_what_the_weather_service_returns_for_the_context():
    place = oslo()
    assert execute("get_current_weather", place, context=context()) == weather.current_weather(
        59.91, 10.75, when=WHEN, seed=11)
    assert execute("get_forecast", json.dumps(oslo(days=3)), context=context()) == weather.forecast(
        59.91, 10.75, 3, when=WHEN, seed=11)


def test_a_whole_number_float_is_accepted_as_days():
    response = execute("get_forecast", '{"latitude": 59.91, "longitude": 10.75, "days": 3.0}', context=context())
    assert len(response["daily"]["time"]) == 3


def test_geocoding_returns_matches_with_coordinates():
    response = execute("geocode_location", '{"city": "Oslo"}', context=context())
    assert response["query"] == {"city": "Oslo", "country": None}
    assert response["count"] == 1
    [result] = response["results"]
    assert set(result) == {"name", "admin1", "country", "country_code", "latitude", "longitude", "elevation",
                           "timezone", "population"}
    assert (result["name"], result["country_code"], result["timezone"]) == ("Oslo", "NO", "Europe/Oslo")


def test_an_ambiguous_name_returns_every_candidate_and_a_country_narrows_it():
    response = execute("geocode_location", {"city": "Springfield"}, context=context())
    assert response["count"] >= 2
    assert {result["admin1"] for result in response["results"]} >= {"IL", "MO"}
    narrowed = execute("geocode_location", {"city": "Paris", "country": "France"}, context=context())
    assert [result["country_code"] for result in narrowed["results"]] == ["FR"]


# ---------------------------------------------------------------------------
# execute: every error path.

def assert_error(response, code):
    assert is_error(response), response
    assert response["error"]["code"] == code
    assert response["error"]["message"]
    return response["error"]


def test_an_unknown_place_is_location_not_found_with_suggestions():
    error = assert_error(execute("geocode_location", {"city": "Osloo"}, context=context()), "location_not_found")
    assert "Oslo" in error["suggestions"]
    assert "Osloo" in error["message"]


def test_malformed_json_is_invalid_parameter_quoting_the_text():
    error = assert_error(execute("get_forecast", '{"latitude": 59.9, "longitude": ', context=context()),
                         "invalid_parameter")
    assert '{"latitude": 59.9, "longitude": ' in error["message"]


def test_json_that_is_not_an_object_or_uses_nan_is_invalid_parameter():
    assert_error(execute("get_current_weather", "[59.9, 10.7]", context=context()), "invalid_parameter")
    assert_error(execute("get_current_weather", '{"latitude": NaN, "longitude": 1}', context=context()),
                 "invalid_parameter")


@pytest.mark.parametrize("name, arguments, code, quoted", [
    ("get_forecast", oslo(), "missing_parameter", "days: required argument is missing"),
    ("get_forecast", oslo(days=20), "out_of_range", "days: 20 is greater than the maximum of 14"),
    ("get_current_weather", {"latitude": -91, "longitude": 0}, "out_of_range", "latitude: -91 is less than"),
    ("get_current_weather", {"latitude": "59.9N", "longitude": 0}, "invalid_parameter", "is not of type 'number'"),
    ("get_current_weather", oslo(city="Oslo"), "invalid_parameter", "unexpected argument 'city'"),
    ("geocode_location", {}, "missing_parameter", "city: required argument is missing"),
])
def test_schema_violations_map_to_error_codes(name, arguments, code, quoted):
    error = assert_error(execute(name, arguments, context=context()), code)
    assert quoted in error["message"]


def test_a_missing_argument_outranks_an_out_of_range_one_but_both_are_reported():
    error = assert_error(execute("get_forecast", {"latitude": 10, "days": 30}, context=context()), "missing_parameter")
    assert "longitude: required argument is missing" in error["message"]
    assert "days: 30 is greater than the maximum of 14" in error["message"]


def test_an_unknown_tool_is_unknown_tool():
    error = assert_error(execute("get_weather", {"city": "Oslo"}, context=context()), "unknown_tool")
    assert "get_current_weather" in error["message"]


@pytest.mark.parametrize("fault", ["rate_limited", "service_unavailable", "timeout"])
def test_an_injected_fault_replaces_the_answer_for_every_tool(fault):
    for name, arguments in (("get_current_weather", oslo()), ("get_forecast", oslo(days=2)),
                            ("geocode_location", {"city": "Oslo"})):
        assert_error(execute(name, arguments, context=context(fault=fault)), fault)


def test_rate_limited_says_when_to_retry():
    error = assert_error(execute("get_current_weather", oslo(), context=context(fault="rate_limited")), "rate_limited")
    assert isinstance(error["retry_after_seconds"], int) and error["retry_after_seconds"] > 0
    assert str(error["retry_after_seconds"]) in error["message"]


def test_a_context_must_be_aware_and_name_a_known_fault():
    with pytest.raises(ValueError, match="timezone-aware"):
        ToolContext(when=datetime(2026, 1, 1), seed=1)
    with pytest.raises(ValueError, match="rate_limited"):
        ToolContext(when=WHEN, seed=1, fault="flood")


def test_tool_error_rejects_codes_outside_the_vocabulary():
    assert tool_error("timeout", "slow") == {"error": {"code": "timeout", "message": "slow"}}
    with pytest.raises(ValueError, match="unknown tool error code"):
        tool_error("oops", "x")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)
arguments = st.one_of(
    st.text(max_size=40),
    st.dictionaries(st.sampled_from(["latitude", "longitude", "days", "city", "country", "x"]), json_values,
                    max_size=5),
    json_values)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([*TOOL_NAMES, "nope"]), arguments)
def test_execute_never_raises_and_always_answers_with_data_or_a_known_error(name, raw):
    response = execute(name, raw, context=context())
    assert isinstance(response, dict)
    if is_error(response):
        assert response["error"]["code"] in ERROR_CODES
    else:
        assert validate_arguments(name, json.loads(raw) if isinstance(raw, str) else raw) == []


@pytest.mark.parametrize("name, raw", [
    ("get_current_weather", {"latitude": 10**400, "longitude": 10.75}),
    ("get_forecast", '{"latitude": 59.91, "longitude": 10.75, "days": ' + "9" * 400 + "}"),
])
def test_integers_beyond_the_float_range_are_refused_as_errors_not_raised(name, raw):
    assert execute(name, raw, context=context())["error"]["code"] in ("invalid_parameter", "out_of_range")
