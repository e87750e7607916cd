"""Conversion between OpenAI-format messages and the Messages API is exact both ways."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.backends.anthropic_messages import (
    CACHE_POINT,
    ConversionError,
    from_anthropic,
    system_blocks,
    to_anthropic,
    tools_to_anthropic,
)


def call(call_id: str, name: str, **arguments: object) -> dict:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def assistant(content: str | None, *calls: dict) -> dict:
    message = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = list(calls)
    return message


def tool(call_id: str, payload: dict) -> dict:
    return {"role": "tool", "tool_call_id": call_id, "content": json.dumps(payload)}


def function_tool(name: str) -> dict:
    return {"type": "function", "function": {"name": name, "description": f"{name} tool", "parameters": {"type": "object"}}}


def parallel_conversation() -> list[dict]:
    return [
        {"role": "user", "content": "Warmer today: Oslo or Lisbon?"},
        assistant(
            "Checking both.",
            call("call_oslo", "get_current_weather", latitude=59.91, longitude=10.75),
            call("call_lisbon", "get_current_weather", latitude=38.72, longitude=-9.14),
        ),
        tool("call_oslo", {"current": {"temperature_2m": 4.0}}),
        tool("call_lisbon", {"error": {"code": "service_unavailable", "message": "try later"}}),
        assistant("Oslo is 4 °C; Lisbon's service is down."),
    ]


def test_parallel_calls_become_tool_use_blocks_in_order_with_ids_and_object_input():
    converted = to_anthropic(parallel_conversation())

    assert converted[1] == {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Checking both."},
            {"type": "tool_use", "id": "call_oslo", "name": "get_current_weather", "input": {"latitude": 59.91, "longitude": 10.75}},
            {"type": "tool_use", "id": "call_lisbon", "name": "get_current_weather", "input": {"latitude": 38.72, "longitude": -9.14}},
        ],
    }


def test_all_results_of_one_turn_go_back_in_one_user_message_flagging_tool_errors():
    converted = to_anthropic(parallel_conversation())

    assert len(converted) == 4
    assert converted[2]["role"] == "user"
    assert [(b["type"], b["tool_use_id"], b["is_error"]) for b in converted[2]["content"]] == [
        ("tool_result", "call_oslo", False),
        ("tool_result", "call_lisbon", True),
    ]
    assert converted[2]["content"][0]["content"] == parallel_conversation()[2]["content"]


def test_openai_to_anthropic_and_back_is_the_identity():
    assert from_anthropic(to_anthropic(parallel_conversation())) == parallel_conversation()


def test_anthropic_to_openai_and_back_is_the_identity():
    anthropic_form = to_anthropic(parallel_conversation())

    assert to_anthropic(from_anthropic(anthropic_form)) == anthropic_form


def test_a_call_without_text_comes_back_with_null_content():
    messages = [{"role": "user", "content": "Forecast for Oslo?"}, assistant(None, call("toolu_1", "get_forecast", days=3))]

    assert to_anthropic(messages)[1]["content"] == [
        {"type": "tool_use", "id": "toolu_1", "name": "get_forecast", "input": {"days": 3}}
    ]
    assert from_anthropic(to_anthropic(messages)) == messages


def test_training_weight_is_not_sent_to_the_api():
    weighted = dict(assistant(None, call("call_1", "get_forecast", days=20)), weight=0)

    converted = to_anthropic([{"role": "user", "content": "hi"}, weighted, tool("call_1", {"forecast": []})])

    assert set(converted[1]) == {"role", "content"}


@pytest.mark.parametrize("arguments", ['["not", "an", "object"]', "{not json", "7"])
def test_arguments_that_are_not_a_json_object_cannot_become_tool_use_input(arguments):
    bad = {"id": "call_bad", "type": "function", "function": {"name": "get_forecast", "arguments": arguments}}

    with pytest.raises(ConversionError, match="call_bad.*must be a JSON object"):
        to_anthropic([{"role": "user", "content": "hi"}, assistant(None, bad)])


def test_a_tool_message_must_answer_an_assistant_turn():
    with pytest.raises(ConversionError, match="does not follow an assistant message"):
        to_anthropic([{"role": "user", "content": "hi"}, tool("call_1", {})])


def test_the_system_prompt_is_passed_separately_not_as_a_message():
    with pytest.raises(ConversionError, match="system"):
        to_anthropic([{"role": "system", "content": "You are a weather assistant."}])


def test_tools_keep_their_schema_and_the_last_one_is_the_cache_breakpoint():
    converted = tools_to_anthropic([function_tool("geocode_location"), function_tool("get_forecast")])

    assert [t["name"] for t in converted] == ["geocode_location", "get_forecast"]
    assert converted[0] == {"name": "geocode_location", "description": "geocode_location tool", "input_schema": {"type": "object"}}
    assert converted[1]["cache_control"] == CACHE_POINT
    assert system_blocks("Be brief.") == [{"type": "text", "text": "Be brief.", "cache_control": CACHE_POINT}]


def test_tool_result_content_given_as_text_blocks_reads_back_as_one_string():
    messages = [
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "get_forecast", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "{\"a\": 1}"}]}]},
    ]

    assert from_anthropic(messages)[1] == {"role": "tool", "tool_call_id": "t1", "content": "{\"a\": 1}"}


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_arguments = st.dictionaries(st.text(min_size=1, max_size=8), _json_values, max_size=4)
_tool_payloads = st.one_of(
    st.dictionaries(st.sampled_from(["current", "daily", "results"]), _json_values, max_size=2),
    st.builds(lambda code: {"error": {"code": code, "message": "m"}}, st.text(min_size=1, max_size=10)),
)


@st.composite
def conversations(draw) -> list[dict]:
    messages = [{"role": "user", "content": draw(st.text(min_size=1, max_size=20))}]
    for turn in range(draw(st.integers(0, 3))):
        count = draw(st.integers(1, 3))
        calls = [
            {"id": f"call_{turn}_{i}", "type": "function", "function": {"name": draw(st.sampled_from(["get_forecast", "geocode_location"])), "arguments": json.dumps(draw(_arguments))}}
            for i in range(count)
        ]
        messages.append(assistant(draw(st.none() | st.text(min_size=1, max_size=10)), *calls))
        messages += [tool(c["id"], draw(_tool_payloads)) for c in calls]
    messages.append(assistant(draw(st.text(min_size=1, max_size=20))))
    return messages


@settings(derandomize=True, max_examples=40, deadline=None)
@given(conversations())
def test_any_tool_conversation_survives_the_round_trip(messages):
    assert from_anthropic(to_anthropic(messages)) == messages
