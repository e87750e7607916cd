"""The Anthropic backend against a loopback Messages API: the real SDK, scripted replies.

Retries run in the SDK's own loop with an injected sleep, so the backoff
schedule is asserted without waiting; only the timeout cases spend real time
(at most half a second per attempt).
"""
import io
import json
import logging
import random
import socket
import sys
import traceback
from datetime import datetime, timedelta, timezone

import pytest

from core.backends.anthropic_backend import AnthropicBackend
from core.backends.base import AssistantTurn, BackendError, MalformedOutput
from core.backends.retry_policy import RetryPolicy
from core.tools import ToolContext, execute
from tests.support import loopback_messages_api as api
from tests.support.backend_requests import SYSTEM, assistant, drive, tool_result, turn_request, user, user_turn_request
from tests.support.fake_time import FakeTime
from tests.support.loopback_http import Scripted

KEY = "sk-ant-api03-LOOPBACK-secret-0123456789abcdef"


def anthropic_backend(base_url: str, time: FakeTime | None = None, **options) -> AnthropicBackend:
    time = time or FakeTime()
    return AnthropicBackend(api_key=KEY, base_url=base_url, clock=time.clock, sleep=time.sleep, rng=random.Random(0), **options)


def forecast_call(call_id: str = "toolu_01", days: int = 3) -> dict:
    return api.tool_use(call_id, "get_forecast", {"latitude": 59.91, "longitude": 10.75, "days": days})


def overloaded() -> Scripted:
    return api.error(529, "overloaded_error", "Overloaded")


def server_error() -> Scripted:
    return api.error(500, "api_error", "Internal server error")


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


# --- one turn ---------------------------------------------------------------------------------


def test_a_tool_use_reply_becomes_tool_calls_with_ids_and_json_text_arguments(loopback):
    loopback.script(api.message(api.text("Let me look that up."), forecast_call()))
    backend = anthropic_backend(loopback.base_url)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert isinstance(turn, AssistantTurn)
    assert turn.text == "Let me look that up."
    assert [(c.id, c.name, json.loads(c.arguments)) for c in turn.tool_calls] == [
        ("toolu_01", "get_forecast", {"latitude": 59.91, "longitude": 10.75, "days": 3})
    ]


def test_the_request_carries_model_tools_and_a_cacheable_system_prefix(loopback):
    loopback.script(api.message(api.text("Hello.")))
    backend = anthropic_backend(loopback.base_url)

    drive(backend, lambda: backend.assistant_turn(turn_request()))
    sent = loopback.received[0]

    assert sent.path == "/v1/messages"
    assert sent.body["model"] == "claude-haiku-4-5"
    assert sent.body["system"] == [{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}]
    assert [t["name"] for t in sent.body["tools"]] == ["get_current_weather", "get_forecast", "geocode_location"]
    assert sent.body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert "temperature" not in sent.body


def test_temperature_travels_in_the_body_because_create_no_longer_takes_it(loopback):
    loopback.script(api.message(api.text("Hello.")))
    backend = anthropic_backend(loopback.base_url, temperature=0.3, model="claude-haiku-4-5-20251001")

    drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert loopback.received[0].body["temperature"] == 0.3
    assert loopback.received[0].body["model"] == "claude-haiku-4-5-20251001"


def test_parallel_tool_calls_keep_their_order(loopback):
    loopback.script(
        api.message(
            api.tool_use("toolu_a", "geocode_location", {"city": "Paris"}),
            api.tool_use("toolu_b", "geocode_location", {"city": "Lyon", "country": "FR"}),
        )
    )
    backend = anthropic_backend(loopback.base_url)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert turn.text is None
    assert [(c.id, json.loads(c.arguments)["city"]) for c in turn.tool_calls] == [("toolu_a", "Paris"), ("toolu_b", "Lyon")]


def test_cache_tokens_the_api_reports_reach_the_turn_and_the_metrics(loopback):
    cached_usage = {"input_tokens": 30, "output_tokens": 12, "cache_creation_input_tokens": 4200, "cache_read_input_tokens": 0}
    warm_usage = {"input_tokens": 30, "output_tokens": 9, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 4200}
    loopback.script(api.message(api.text("One."), usage=cached_usage), api.message(api.text("Two."), usage=warm_usage))
    backend = anthropic_backend(loopback.base_url)

    async def scenario():
        first = await backend.assistant_turn(turn_request())
        second = await backend.assistant_turn(turn_request())
        return first, second

    first, second = drive(backend, scenario)
    snapshot = backend.metrics.snapshot()

    assert (first.usage.cache_creation_input_tokens, second.usage.cache_read_input_tokens) == (4200, 4200)
    assert (snapshot["cache_creation_input_tokens"], snapshot["cache_read_input_tokens"]) == (4200, 4200)
    assert snapshot["cost_usd"] == pytest.approx((60 * 1 + 4200 * 1.25 + 4200 * 0.1 + 21 * 5) / 1_000_000)


# --- a whole tool conversation -----------------------------------------------------------------


def test_a_tool_round_trip_sends_results_back_as_tool_result_blocks_with_ids_and_is_error(loopback):
    loopback.script(
        api.message(forecast_call("toolu_ok"), api.tool_use("toolu_bad", "get_forecast", {"latitude": 59.91, "longitude": 10.75, "days": 20})),
        api.message(api.text("Three days of drizzle; I could not fetch twenty days.")),
    )
    backend = anthropic_backend(loopback.base_url)
    question = user("Forecast for Oslo?")

    async def scenario():
        first = await backend.assistant_turn(turn_request(question))
        history = [
            question,
            assistant(None, *((c.id, c.name, json.loads(c.arguments)) for c in first.tool_calls)),
            tool_result("toolu_ok", {"daily": {"time": ["2026-04-20"]}}),
            tool_result("toolu_bad", {"error": {"code": "out_of_range", "message": "days: 20 is greater than the maximum of 14"}}),
        ]
        return await backend.assistant_turn(turn_request(*history))

    final = drive(backend, scenario)
    results = loopback.received[1].body["messages"][2]

    assert final.text.startswith("Three days") and final.tool_calls == []
    assert results["role"] == "user"
    assert [(b["tool_use_id"], b["is_error"]) for b in results["content"]] == [("toolu_ok", False), ("toolu_bad", True)]


def test_a_three_call_conversation_completes_through_injected_faults(loopback):
    """529, a 429 with retry-after, a dropped connection and a 500 on the way; every call still lands."""
    loopback.script(
        overloaded(),
        api.message(api.tool_use("toolu_1", "geocode_location", {"city": "Oslo"})),
        api.error(429, "rate_limit_error", "Slow down", headers={"retry-after": "2"}),
        api.message(api.tool_use("toolu_2", "get_current_weather", {"latitude": 59.9127, "longitude": 10.7461})),
        Scripted(drop=True),
        api.message(api.tool_use("toolu_3", "get_forecast", {"latitude": 59.9127, "longitude": 10.7461, "days": 2})),
        server_error(),
        api.message(api.text("Oslo is mild now, with two days of weather ahead.")),
    )
    time = FakeTime()
    backend = anthropic_backend(loopback.base_url, time)
    context = ToolContext(when=datetime(2026, 4, 20, 12, tzinfo=timezone.utc), seed=7)

    async def scenario():
        messages = [user("What's the weather in Oslo now and for the next two days?")]
        for step in range(4):
            turn = await backend.assistant_turn(turn_request(*messages, step=step))
            calls = [(c.id, c.name, json.loads(c.arguments)) for c in turn.tool_calls]
            messages.append(assistant(turn.text, *calls))
            messages += [tool_result(call_id, execute(name, args, context=context)) for call_id, name, args in calls]
        return messages

    messages = drive(backend, scenario)
    snapshot = backend.metrics.snapshot()
    last_request = loopback.received[-1].body["messages"]

    assert [m["tool_calls"][0]["function"]["name"] for m in messages if m.get("tool_calls")] == [
        "geocode_location", "get_current_weather", "get_forecast"
    ]
    assert messages[-1]["content"].startswith("Oslo is mild")
    assert len(loopback.received) == 8
    assert [b["tool_use_id"] for m in last_request if m["role"] == "user" and isinstance(m["content"], list) for b in m["content"]] == [
        "toolu_1", "toolu_2", "toolu_3"
    ]
    assert time.sleeps[1] == 2.0
    assert all(1.0 <= s <= 1.25 for s in (time.sleeps[0], time.sleeps[2], time.sleeps[3])), time.sleeps
    assert (snapshot["calls"], snapshot["retries"], snapshot["failures"]) == (4, 4, 0)


# --- retries ---------------------------------------------------------------------------------


def test_a_429_waits_exactly_as_long_as_retry_after_says_and_shrinks_concurrency(loopback):
    loopback.script(api.error(429, "rate_limit_error", "Rate limited", headers={"retry-after": "7"}), api.message(api.text("Done.")))
    time = FakeTime()
    backend = anthropic_backend(loopback.base_url, time, max_concurrency=4)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert turn.text == "Done."
    assert time.sleeps == [7.0]
    assert backend.metrics.snapshot()["retries"] == 1
    assert backend.throttle.concurrency == 2


@pytest.mark.parametrize("fault", [overloaded, server_error], ids=["529 overloaded", "500"])
def test_an_overloaded_or_failing_server_is_retried_after_about_a_second(loopback, fault):
    loopback.script(fault(), api.message(api.text("Recovered.")))
    time = FakeTime()
    backend = anthropic_backend(loopback.base_url, time)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert turn.text == "Recovered."
    assert len(time.sleeps) == 1 and 1.0 <= time.sleeps[0] <= 1.25
    assert len(loopback.received) == 2


def test_after_three_retries_the_failure_surfaces_with_backoff_one_two_four(loopback):
    loopback.script(*(server_error() for _ in range(5)))
    time = FakeTime()
    backend = anthropic_backend(loopback.base_url, time)

    with pytest.raises(BackendError) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert (caught.value.kind, caught.value.retryable) == ("server", True)
    assert len(loopback.received) == 4
    assert [round(s // b) for s, b in zip(time.sleeps, (1, 2, 4))] == [1, 1, 1]
    assert all(s <= b * 1.25 for s, b in zip(time.sleeps, (1, 2, 4)))
    snapshot = backend.metrics.snapshot()
    assert (snapshot["retries"], snapshot["failures_by_kind"]) == (3, {"server": 1})


def test_a_slow_answer_times_out_and_is_retried(loopback):
    loopback.script(Scripted(hang=True), api.message(api.text("Made it.")))
    backend = anthropic_backend(loopback.base_url, timeout_s=0.5)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert turn.text == "Made it."
    assert backend.metrics.snapshot()["retries"] == 1


def test_a_server_that_never_answers_is_a_timeout_failure_naming_the_limit(loopback):
    loopback.script(*(Scripted(hang=True) for _ in range(3)))
    backend = anthropic_backend(loopback.base_url, timeout_s=0.1, retry_policy=RetryPolicy(max_retries=2))

    with pytest.raises(BackendError) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert (caught.value.kind, caught.value.retryable) == ("timeout", True)
    assert "0.1 s" in str(caught.value)
    assert backend.metrics.snapshot()["retries"] == 2


def test_a_dropped_connection_is_retried(loopback):
    loopback.script(Scripted(drop=True), api.message(api.text("Reconnected.")))
    time = FakeTime()
    backend = anthropic_backend(loopback.base_url, time)

    assert drive(backend, lambda: backend.assistant_turn(turn_request())).text == "Reconnected."
    assert len(time.sleeps) == 1 and backend.metrics.snapshot()["retries"] == 1


def test_an_unreachable_server_is_a_connection_failure_after_the_retries():
    time = FakeTime()
    backend = anthropic_backend(closed_port_url(), time)

    with pytest.raises(BackendError) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert caught.value.kind == "connection"
    assert len(time.sleeps) == 3


def test_401_is_not_retried_and_points_at_the_key_variable_without_showing_the_key(loopback):
    loopback.script(api.error(401, "authentication_error", "invalid x-api-key"))
    time = FakeTime()
    backend = anthropic_backend(loopback.base_url, time)

    with pytest.raises(BackendError) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert (caught.value.kind, caught.value.retryable) == ("auth", False)
    assert "ANTHROPIC_API_KEY" in str(caught.value) and KEY not in str(caught.value)
    assert len(loopback.received) == 1 and time.sleeps == []


@pytest.mark.parametrize(
    ("status", "error_type", "kind"),
    [(400, "invalid_request_error", "bad_request"), (403, "permission_error", "permission"), (404, "not_found_error", "not_found")],
)
def test_client_errors_are_never_retried(loopback, status, error_type, kind):
    loopback.script(api.error(status, error_type, "no"), api.message(api.text("unreachable")))
    backend = anthropic_backend(loopback.base_url)

    with pytest.raises(BackendError) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert (caught.value.kind, caught.value.retryable) == (kind, False)
    assert len(loopback.received) == 1


def test_a_429_for_a_reached_spend_limit_is_a_quota_failure_and_not_retried(loopback):
    loopback.script(api.error(429, "rate_limit_error", "Monthly threshold crossed", error_code="enforced_spend_limit_reached"))
    backend = anthropic_backend(loopback.base_url)

    with pytest.raises(BackendError) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert (caught.value.kind, caught.value.retryable) == ("quota", False)
    assert "waiting will not help" in str(caught.value)
    assert len(loopback.received) == 1


# --- malformed output ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "complaint"),
    [
        (api.message(api.tool_use("toolu_x", "get_forecast", ["Oslo", 3])), "not a JSON object"),
        (api.message(api.tool_use("toolu_x", "get_horoscope", {"sign": "leo"})), "unknown tool 'get_horoscope'"),
        (api.message(stop_reason="max_tokens"), "max_tokens"),
        (api.message(api.text("It is sunny and"), stop_reason="max_tokens"), "max_tokens"),
        (api.message(), "neither text nor a tool call"),
    ],
    ids=["input not an object", "unknown tool", "max_tokens, empty", "max_tokens, cut text", "empty"],
)
def test_unusable_output_is_a_malformed_failure_that_still_counts_its_tokens(loopback, reply, complaint):
    loopback.script(reply)
    backend = anthropic_backend(loopback.base_url)

    with pytest.raises(MalformedOutput, match=complaint) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    snapshot = backend.metrics.snapshot()
    assert (caught.value.kind, caught.value.retryable) == ("malformed", True)
    assert snapshot["failures_by_kind"] == {"malformed": 1}
    assert snapshot["input_tokens"] == 100


# --- throttle feedback -----------------------------------------------------------------------


def test_rate_limit_headers_saying_the_budget_is_spent_hold_the_next_call_until_reset(loopback):
    time = FakeTime()
    reset = datetime.fromtimestamp(time.now, tz=timezone.utc) + timedelta(seconds=40)
    spent = api.ratelimit_headers(requests=(50, 0), input_tokens=(50_000, 30_000), reset=reset)
    loopback.script(api.message(api.text("First."), headers=spent), api.message(api.text("Second.")))
    backend = anthropic_backend(loopback.base_url, time, max_concurrency=4)

    async def scenario():
        await backend.assistant_turn(turn_request())
        assert time.sleeps == []
        assert backend.throttle.concurrency == 2, "nearly out of requests: half the calls in flight"
        await backend.assistant_turn(turn_request())

    drive(backend, scenario)

    assert time.sleeps == [pytest.approx(40.0)]


# --- the simulated user ----------------------------------------------------------------------


def test_the_simulated_user_sees_the_brief_as_system_and_the_history_with_roles_swapped(loopback):
    loopback.script(api.message(api.text("  And tomorrow, will it rain?  ")))
    backend = anthropic_backend(loopback.base_url)
    history = [
        user("Weather in Oslo?"),
        assistant(None, ("toolu_1", "get_current_weather", {"latitude": 59.91, "longitude": 10.75})),
        tool_result("toolu_1", {"current": {"temperature_2m": 4.0}}),
        assistant("It is 4 °C in Oslo."),
    ]

    text = drive(backend, lambda: backend.user_turn(user_turn_request(*history, turn=1, brief="Ask about tomorrow.")))
    sent = loopback.received[0].body

    assert text == "And tomorrow, will it rain?"
    assert "Ask about tomorrow." in sent["system"]
    assert "tools" not in sent
    assert sent["messages"][1:] == [
        {"role": "assistant", "content": "Weather in Oslo?"},
        {"role": "user", "content": "It is 4 °C in Oslo."},
    ]


def test_the_simulated_user_history_opens_with_a_cue_so_the_first_turn_has_something_to_answer(loopback):
    loopback.script(api.message(api.text("Hi! Is it jacket weather in Oslo?")))
    backend = anthropic_backend(loopback.base_url)

    drive(backend, lambda: backend.user_turn(user_turn_request()))

    assert [m["role"] for m in loopback.received[0].body["messages"]] == ["user"]


# --- the key ---------------------------------------------------------------------------------


def test_the_key_never_appears_in_logs_errors_or_metrics(loopback, caplog):
    caplog.set_level(logging.DEBUG)
    loopback.script(
        server_error(),
        api.message(api.text("Fine.")),
        api.message(api.tool_use("toolu_x", "get_forecast", "Oslo")),
        api.error(401, "authentication_error", f"invalid x-api-key {KEY}"),
    )
    backend = anthropic_backend(loopback.base_url)
    errors: list[BaseException] = []

    async def scenario():
        await backend.assistant_turn(turn_request())
        for _ in range(2):
            try:
                await backend.assistant_turn(turn_request())
            except BackendError as err:
                errors.append(err)

    drive(backend, scenario)

    assert [e.kind for e in errors] == ["malformed", "auth"]
    assert len(caplog.records) > 5, "SDK debug logging was captured"
    assert not [r for r in caplog.records if KEY in r.getMessage()]
    assert KEY not in caplog.text
    for err in errors:
        assert KEY not in "".join(traceback.format_exception(err)) + repr(err)
    assert KEY not in json.dumps(backend.metrics.snapshot())
    assert KEY not in repr(backend)


def test_without_any_key_the_backend_refuses_to_start_and_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO())

    with pytest.raises(BackendError, match="ANTHROPIC_API_KEY") as caught:
        AnthropicBackend()

    assert caught.value.kind == "auth"


def test_the_key_can_come_from_the_environment(loopback, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    loopback.script(api.message(api.text("Hello.")))
    backend = AnthropicBackend(base_url=loopback.base_url)

    drive(backend, lambda: backend.assistant_turn(turn_request()))

    sent = loopback.received[0].headers
    assert KEY in sent.get("x-api-key", "") + sent.get("authorization", "")
