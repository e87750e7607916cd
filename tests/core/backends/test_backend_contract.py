"""One behavioural suite for every backend: the same calls give the same kinds of answers.

The model backends talk to the loopback server with a scripted, plausible
model, the offline backend writes its own; whatever writes the words, a simulated user turn is text, assistant
turns are text and/or calls to known tools with JSON-object arguments, the
conversation ends in text, and the metrics count every call.
"""
import json
import random
from datetime import datetime, timezone

import pytest

from core.backends import BACKENDS, create_backend
from core.backends.base import AssistantTurn, Backend, TurnRequest, UserTurnRequest
from core.locations import BY_ID
from core.plan import ExamplePlan
from core.tools import TOOL_NAMES, TOOL_SCHEMAS, ToolContext, execute
from tests.support import loopback_chat_completions as chat
from tests.support import loopback_messages_api as api
from tests.support.backend_requests import SYSTEM, drive, sample_plan
from tests.support.fake_time import FakeTime

MAX_STEPS = 8


def forecast_arguments(plan: ExamplePlan) -> dict:
    place = BY_ID[plan.location_ids[0]]
    return {"latitude": place.latitude, "longitude": place.longitude, "days": plan.days or 3}


def anthropic_under_test(loopback, plan: ExamplePlan) -> Backend:
    loopback.script(
        api.message(api.text("Could you give me the outlook for the coming days?")),
        api.message(api.tool_use("toolu_c1", "get_forecast", forecast_arguments(plan))),
        api.message(api.text("Here is the outlook you asked for.")),
    )
    time = FakeTime()
    return create_backend(
        "anthropic", api_key="sk-contract", base_url=loopback.base_url, clock=time.clock, sleep=time.sleep, rng=random.Random(1)
    )


def openai_under_test(loopback, plan: ExamplePlan) -> Backend:
    loopback.script(
        chat.completion("Could you give me the outlook for the coming days?"),
        chat.completion(None, chat.tool_call("call_c1", "get_forecast", json.dumps(forecast_arguments(plan)))),
        chat.completion("Here is the outlook you asked for."),
    )
    time = FakeTime()
    return create_backend(
        "openai", model="local", base_url=loopback.base_url + "/v1", clock=time.clock, sleep=time.sleep, rng=random.Random(1)
    )


def offline_under_test(loopback, plan: ExamplePlan) -> Backend:
    return create_backend("offline", seed=3)


UNDER_TEST = {"anthropic": anthropic_under_test, "openai": openai_under_test, "offline": offline_under_test}


async def converse(backend: Backend, plan: ExamplePlan) -> tuple[str, list[AssistantTurn]]:
    """A user opening, then assistant turns with real tool results until the assistant answers in text."""
    opening = await backend.user_turn(UserTurnRequest(plan=plan, turn=0, messages=[], brief="Ask about the weather."))
    messages: list[dict] = [{"role": "user", "content": opening}]
    context = ToolContext(when=datetime(2026, 4, 20, 12, tzinfo=timezone.utc), seed=plan.seed)
    turns: list[AssistantTurn] = []
    for step in range(MAX_STEPS):
        turn = await backend.assistant_turn(TurnRequest(system=SYSTEM, messages=messages, tools=TOOL_SCHEMAS, plan=plan, step=step))
        turns.append(turn)
        if not turn.tool_calls:
            break
        messages.append(
            {
                "role": "assistant",
                "content": turn.text,
                "tool_calls": [
                    {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                    for c in turn.tool_calls
                ],
            }
        )
        messages += [
            {"role": "tool", "tool_call_id": c.id, "content": json.dumps(execute(c.name, c.arguments, context=context))}
            for c in turn.tool_calls
        ]
    return opening, turns


@pytest.fixture(params=sorted(UNDER_TEST))
def conversation(request, loopback):
    plan = sample_plan()
    backend = UNDER_TEST[request.param](loopback, plan)

    opening, turns = drive(backend, lambda: converse(backend, plan))
    return backend, opening, turns


def test_the_backend_says_truthfully_what_it_is(conversation):
    backend, _, _ = conversation

    assert backend.name in BACKENDS
    assert isinstance(backend.model, str) and backend.model
    assert backend.sdk_version is None or isinstance(backend.sdk_version, str)


def test_the_simulated_user_writes_plain_text(conversation):
    _, opening, _ = conversation

    assert isinstance(opening, str) and opening.strip() == opening and opening


def test_assistant_turns_call_known_tools_with_json_object_arguments_and_unique_ids(conversation):
    _, _, turns = conversation
    calls = [call for turn in turns for call in turn.tool_calls]

    assert all(isinstance(turn, AssistantTurn) for turn in turns)
    assert calls, "a weather question leads to at least one tool call"
    assert all(call.name in TOOL_NAMES for call in calls)
    assert all(isinstance(json.loads(call.arguments), dict) for call in calls)
    assert len({call.id for call in calls}) == len(calls) and all(call.id for call in calls)


def test_the_conversation_ends_with_an_answer_in_words(conversation):
    _, _, turns = conversation

    assert len(turns) < MAX_STEPS
    assert turns[-1].tool_calls == [] and turns[-1].text and turns[-1].text.strip()


def test_the_metrics_count_every_assistant_call_and_no_failure(conversation):
    backend, _, turns = conversation

    snapshot = backend.metrics.snapshot()

    assert len(turns) <= snapshot["calls"] <= len(turns) + 1, "the user turn counts where it is a model call"
    assert snapshot["failures"] == 0 and snapshot["failures_by_kind"] == {}
    assert {"retries", "input_tokens", "output_tokens", "latency_p50_ms", "latency_p99_ms", "cost_usd"} <= set(snapshot)
