"""The OpenAI-compatible backend against a loopback chat-completions server (the real `openai` SDK)."""
import random

import pytest

from core.backends.base import BackendError, MalformedOutput
from core.backends.openai_backend import NO_KEY, OpenAICompatibleBackend
from tests.support import loopback_chat_completions as chat
from tests.support.backend_requests import SYSTEM, assistant, drive, tool_result, turn_request, user, user_turn_request
from tests.support.fake_time import FakeTime
from tests.support.loopback_http import Scripted

MODEL = "llama3.1:8b"


def openai_backend(loopback, time: FakeTime | None = None, **options) -> OpenAICompatibleBackend:
    time = time or FakeTime()
    return OpenAICompatibleBackend(
        model=MODEL, base_url=loopback.base_url + "/v1", clock=time.clock, sleep=time.sleep, rng=random.Random(0), **options
    )


def forecast_call(call_id: str = "call_1", arguments: str = '{"latitude": 59.91, "longitude": 10.75, "days": 3}') -> dict:
    return chat.tool_call(call_id, "get_forecast", arguments)


def test_a_tool_call_comes_back_with_its_id_and_the_arguments_text_as_sent(loopback):
    loopback.script(chat.completion(None, forecast_call(), chat.tool_call("call_2", "geocode_location", '{"city":"Bergen"}')))
    backend = openai_backend(loopback)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert turn.text is None
    assert [(c.id, c.name, c.arguments) for c in turn.tool_calls] == [
        ("call_1", "get_forecast", '{"latitude": 59.91, "longitude": 10.75, "days": 3}'),
        ("call_2", "geocode_location", '{"city":"Bergen"}'),
    ]


def test_the_conversation_goes_out_in_openai_form_with_the_system_first_and_no_training_weight(loopback):
    loopback.script(chat.completion("Bergen will be wet."))
    backend = openai_backend(loopback, temperature=0.5)
    history = [
        user("Bergen, three days?"),
        dict(assistant(None, ("call_1", "get_forecast", {"latitude": 60.39, "longitude": 5.32, "days": 30})), weight=0),
        tool_result("call_1", {"error": {"code": "out_of_range", "message": "days: 30 is greater than the maximum of 14"}}),
        assistant(None, ("call_2", "get_forecast", {"latitude": 60.39, "longitude": 5.32, "days": 3})),
        tool_result("call_2", {"daily": {}}),
    ]

    turn = drive(backend, lambda: backend.assistant_turn(turn_request(*history)))
    sent = loopback.received[0].body

    assert turn.text == "Bergen will be wet."
    assert sent["model"] == MODEL and sent["temperature"] == 0.5
    assert sent["messages"][0] == {"role": "system", "content": SYSTEM}
    assert sent["messages"][1:] == [{k: v for k, v in m.items() if k != "weight"} for m in history]
    assert [t["function"]["name"] for t in sent["tools"]] == ["get_current_weather", "get_forecast", "geocode_location"]


def test_cached_prompt_tokens_are_reported_apart_from_fresh_input(loopback):
    usage = {"prompt_tokens": 1000, "completion_tokens": 50, "total_tokens": 1050, "prompt_tokens_details": {"cached_tokens": 800}}
    loopback.script(chat.completion("Hi.", usage=usage))
    backend = openai_backend(loopback)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert (turn.usage.input_tokens, turn.usage.cache_read_input_tokens, turn.usage.output_tokens) == (200, 800, 50)


@pytest.mark.parametrize(
    ("reply", "complaint"),
    [
        (chat.completion(None, forecast_call(arguments='{"days": 3')), "not a JSON object"),
        (chat.completion(None, forecast_call(arguments='[59.91, 10.75]')), "not a JSON object"),
        (chat.completion(None, chat.tool_call("call_9", "get_tide", "{}")), "unknown tool 'get_tide'"),
        (chat.completion("It will be", finish_reason="length"), "max_tokens"),
        (chat.completion(None), "neither text nor a tool call"),
    ],
    ids=["arguments not JSON", "arguments not an object", "unknown tool", "cut off", "empty"],
)
def test_unusable_output_is_a_malformed_failure(loopback, reply, complaint):
    loopback.script(reply)
    backend = openai_backend(loopback)

    with pytest.raises(MalformedOutput, match=complaint):
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert backend.metrics.snapshot()["failures_by_kind"] == {"malformed": 1}


def test_the_same_retry_schedule_applies_a_500_then_a_429_with_retry_after(loopback):
    loopback.script(chat.error(500, "boom"), chat.error(429, "slow down", headers={"retry-after": "3"}), chat.completion("Done."))
    time = FakeTime()
    backend = openai_backend(loopback, time)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert turn.text == "Done."
    assert 1.0 <= time.sleeps[0] <= 1.25 and time.sleeps[1:] == [3.0]
    assert backend.metrics.snapshot()["retries"] == 2


def test_a_slow_answer_times_out_and_is_retried(loopback):
    loopback.script(Scripted(hang=True), chat.completion("Made it."))
    backend = openai_backend(loopback, timeout_s=0.5)

    assert drive(backend, lambda: backend.assistant_turn(turn_request())).text == "Made it."


def test_retries_stop_after_three(loopback):
    loopback.script(*(chat.error(503, "loading model") for _ in range(5)))
    backend = openai_backend(loopback)

    with pytest.raises(BackendError) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert caught.value.kind == "overloaded"
    assert len(loopback.received) == 4


def test_401_is_not_retried_and_says_which_key_to_check(loopback):
    loopback.script(chat.error(401, "Incorrect API key provided"))
    backend = openai_backend(loopback, api_key="sk-local-secret-123")

    with pytest.raises(BackendError, match="OPENAI_API_KEY") as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert caught.value.kind == "auth" and "sk-local-secret-123" not in str(caught.value)
    assert len(loopback.received) == 1


def test_insufficient_quota_is_not_retried(loopback):
    loopback.script(chat.error(429, "You exceeded your current quota.", code="insufficient_quota"))
    backend = openai_backend(loopback)

    with pytest.raises(BackendError) as caught:
        drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert (caught.value.kind, caught.value.retryable) == ("quota", False)
    assert len(loopback.received) == 1


def test_a_local_server_without_a_key_gets_a_placeholder(loopback, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    loopback.script(chat.completion("Hi."))
    backend = openai_backend(loopback)

    drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert loopback.received[0].headers["authorization"] == f"Bearer {NO_KEY}"


def test_ratelimit_headers_with_nothing_left_hold_the_next_call(loopback):
    headers = {"x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "12s"}
    loopback.script(chat.completion("One.", headers=headers), chat.completion("Two."))
    time = FakeTime()
    backend = openai_backend(loopback, time)

    async def scenario():
        await backend.assistant_turn(turn_request())
        await backend.assistant_turn(turn_request())

    drive(backend, scenario)

    assert time.sleeps == [pytest.approx(12.0)]


def test_the_simulated_user_gets_the_brief_as_system_and_swapped_roles(loopback):
    loopback.script(chat.completion("What about Sunday?"))
    backend = openai_backend(loopback)

    text = drive(backend, lambda: backend.user_turn(user_turn_request(user("Oslo weekend?"), assistant("Dry and 12 °C."), turn=1, brief="Ask about Sunday.")))
    sent = loopback.received[0].body

    assert text == "What about Sunday?"
    assert sent["messages"][0]["role"] == "system" and "Ask about Sunday." in sent["messages"][0]["content"]
    assert [(m["role"], m["content"]) for m in sent["messages"][2:]] == [("assistant", "Oslo weekend?"), ("user", "Dry and 12 °C.")]
    assert "tools" not in sent


def test_an_unknown_option_is_named_with_the_known_ones(loopback):
    with pytest.raises(TypeError, match="max_tokns.*max_tokens"):
        openai_backend(loopback, max_tokns=10)
